"""A white printed band (a passport's machine-readable strip, lettered in black, on a
tinted page) stands out of the page like a reflection but holds crisp print, which a
reflection hides: it is no glare. Reflections on cards are still found."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import make_ctx
from test_quality_lit_paper import _measured

from pipeline.imaging import quality
from samples.generator import plan


@pytest.mark.parametrize(
    ("n", "seed", "index"),
    [
        (100, 8801, 41),  # MA-S8801-0042, a passport photographed on a table: 8.9% before
        (100, 8803, 34),  # MA-S8803-0035, the same design: 10.1% before
    ],
)
def test_a_passport_s_white_machine_readable_strip_is_not_glare(n, seed, index):
    spec = plan(n, seed)[index]
    ctx = make_ctx()
    doc = _measured(spec, "doc-1")
    result = quality.check_glare(doc, ctx)
    assert result is not None and result.status == "pass", result.detail
    blind = replace(ctx.config.quality, glare_print_inside_max=2.0)  # print ignored
    image = doc.pages[0].image
    assert quality.glare_fraction(image, blind).fraction > blind.glare_fraction_max


def test_glare_over_a_licence_front_is_still_found():
    doc = _measured(plan(200, 9191)[3], "doc-1")
    result = quality.check_glare(doc, make_ctx())
    assert result is not None and result.status == "fail", result.detail
