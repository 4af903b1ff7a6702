"""Blown-out blank paper is not a reflection on it: a white licence back the light blows out
(its blank band along the top edge, next to faint print) was called glare by washed-out ink,
with room around it in 4-5 of 8 directions though it runs into the card's edge. A washed-out
blob must be brighter than the paper far around it; the glare on the front of the same
application is still found."""

from __future__ import annotations

import pytest
from conftest import make_ctx
from test_quality_lit_paper import _measured

from pipeline.imaging import quality
from samples.generator import plan


@pytest.mark.parametrize(
    ("n", "seed", "index"),
    [
        (60, 6101, 32),  # MA-S6101-0033, a clean application: glare 8.9% before
        (200, 9191, 3),  # MA-S9191-0004, its licence front has a glare: the back 15.6% before
    ],
)
def test_blown_out_white_licence_back_is_not_glare(n, seed, index):
    spec = plan(n, seed)[index]
    doc = _measured(spec, "doc-2")
    result = quality.check_glare(doc, make_ctx())
    assert result is not None
    assert result.status == "pass", result.detail


def test_glare_on_the_front_of_the_same_application_is_found():
    doc = _measured(plan(200, 9191)[3], "doc-1")
    result = quality.check_glare(doc, make_ctx())
    assert result is not None
    assert result.status == "fail", result.detail


def test_a_blank_lit_half_whose_words_sit_at_its_edge_is_not_glare():
    """MA-S10008-0058: a lease under a diagonal shadow, its lit half blown out (28 % of the
    page) and blank but for the ends of lines of print, in bays of the blob: they are as
    dark as the print elsewhere, so the light hid nothing."""
    doc = _measured(plan(200, 10008)[57], "doc-3")
    result = quality.check_glare(doc, make_ctx())
    assert result is not None
    assert result.status == "pass", result.detail


def test_a_reflection_bordering_a_printed_element_is_still_glare():
    """CT-S10005-0074: the clipped core of a real reflection borders dark print along a
    straight edge (no bay): it stays glare."""
    doc = _measured(plan(200, 10005)[73], "doc-1")
    result = quality.check_glare(doc, make_ctx())
    assert result is not None
    assert result.status == "fail", result.detail
