"""A white printed band (a passport's machine-readable strip, lettered in black, on a
tinted page) stands out of the page like a reflection but holds crisp print, which a
reflection hides: it is no glare. Reflections on cards are still found."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import make_ctx
from test_quality_lit_paper import _measured

from models.contract import Application
from models.internal import DocumentState
from pipeline.imaging import quality, rectify
from pipeline.load import load_file
from samples.generator import build, plan


def _measured_cubic(spec, document_id: str) -> DocumentState:
    """The document flattened with the bicubic warp: its overshoot left the strip as
    blown out as a reflection (the bilinear default does not), so the print rule is what
    keeps it from being glare here."""
    ctx = make_ctx()
    ctx = replace(
        ctx, config=replace(ctx.config, geometry=replace(ctx.config.geometry, warp_cubic=True))
    )
    built = build(spec)
    app = Application.model_validate(built.manifest)
    ref = next(d for d in app.documents if d.document_id == document_id)
    doc = DocumentState(ref.document_id, ref.role.value, ref.side, built.files[ref.file])
    return quality.measure(rectify.rectify(load_file(doc, ctx), ctx), ctx)


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
    doc = _measured_cubic(spec, "doc-1")
    result = quality.check_glare(doc, ctx)
    assert result is not None and result.status == "pass", result.detail
    blind = replace(ctx.config.quality, glare_print_inside_max=2.0)  # print ignored
    image = doc.pages[0].image
    assert quality.glare_fraction(image, blind).fraction > blind.glare_fraction_max


def test_glare_over_a_licence_front_is_still_found():
    doc = _measured(plan(200, 9191)[3], "doc-1")
    result = quality.check_glare(doc, make_ctx())
    assert result is not None and result.status == "fail", result.detail
