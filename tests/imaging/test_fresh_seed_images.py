"""Fresh seed 10020: a card on a grey table outlined from the frame's corners (the
background's hull, MA-S10020-0001: the card warped past reading, TEXT_UNREADABLE on a
clean application) and the lit lower half of a shadowed blank tax bill taken for glare
(MA-S10020-0172); later fresh seeds' documents below. All are regenerated from their
specs."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import make_ctx

from models.contract import Application
from models.internal import DocumentState
from pipeline.config import GeometryConfig, OcrConfig
from pipeline.imaging import outline, quality, rectify
from pipeline.load import load_file
from pipeline.tools import cv
from samples.generator import plan
from samples.scenarios import Spec, build


def _loaded(spec: Spec, document_id: str) -> DocumentState:
    built = build(spec)
    app = Application.model_validate(built.manifest)
    ref = next(d for d in app.documents if d.document_id == document_id)
    doc = DocumentState(ref.document_id, ref.role.value, ref.side, built.files[ref.file])
    return load_file(doc, make_ctx())


def test_the_frames_corners_are_no_document_outline() -> None:
    image = _loaded(Spec(10020, 0, "MA"), "doc-1").pages[0].image
    cfg = GeometryConfig()
    small = cv.scale(image, min(1.0, cfg.outline_side / max(image.shape[:2])))
    found, _ = outline.find_outline(small, cfg)
    assert found is not None
    assert not outline._frame_corners(found.quad, small.shape)
    assert 0.3 < found.area < 0.8  # the card, not the table around it


def test_frame_corners_rule() -> None:
    shape = (480, 640)
    background = np.array([[0, 0], [596, 0], [549, 427], [0, 479]], float)
    card = np.array([[88, 64], [579, 125], [550, 426], [60, 380]], float)
    one_corner = np.array([[0, 0], [500, 20], [480, 400], [30, 380]], float)
    assert outline._frame_corners(background, shape)
    assert not outline._frame_corners(card, shape)
    assert not outline._frame_corners(one_corner, shape)


def test_the_lit_half_of_a_shadowed_blank_page_is_not_glare() -> None:
    ctx = make_ctx()
    doc = quality.measure(rectify.rectify(_loaded(Spec(10020, 171, "MA"), "doc-2"), ctx), ctx)
    result = quality.check_glare(doc, ctx)
    assert result is not None and result.status == "pass", result.detail


def _planned(seed: int, number: int) -> Spec:
    """The spec of application `number` of `docverify samples generate --n 200 --seed`."""
    return plan(200, seed)[number - 1]


def _outline_area(spec: Spec, document_id: str) -> float:
    image = _loaded(spec, document_id).pages[0].image
    cfg = GeometryConfig()
    small = cv.scale(image, min(1.0, cfg.outline_side / max(image.shape[:2])))
    found, _ = outline.find_outline(small, cfg)
    assert found is not None
    return found.area


def test_a_reflection_bulging_past_a_passport_page_is_glare() -> None:
    """MA-S10069-0069: the region of page and reflection, whose hull took the bulge in on
    the table, enclosed the page's own outline and won; on that crop the reflection sat on
    its edge, the lit side of a gradient, and passed. A reflection spills past the page's
    outline and not past the other: the page's is kept, and the spill is glare."""
    ctx = make_ctx()
    doc = quality.measure(rectify.rectify(_loaded(_planned(10069, 69), "doc-1"), ctx), ctx)
    spill = doc.measurement("geometry.glare_spill")
    assert spill is not None and spill.value > 0.3
    result = quality.check_glare(doc, ctx)
    assert result is not None and result.status != "pass"


def test_a_blank_white_box_on_a_document_is_not_a_reflection_past_it() -> None:
    """A barcode's white box on a licence back (MA-S10066-0097) and the blank lower half of
    a lit tax bill (MA-S10069-0176) are outlined too, and their blown-out blank runs past
    them onto the document's paper: the document around them adds far more than a
    reflection's bulge, and stays the outline."""
    assert _outline_area(_planned(10066, 97), "doc-2") > 0.9
    assert _outline_area(_planned(10069, 176), "doc-3") > 0.6


@pytest.mark.parametrize(("number", "document_id"), [(177, "doc-3"), (139, "doc-2"), (49, "doc-3")])
def test_a_statement_or_bill_with_a_dark_band_is_turned_the_right_way(
    number: int, document_id: str
) -> None:
    """Residency pages of generate 10070 whose dark header band, joined by its box's borders
    to the lines under it, made the ink balance read firmly the wrong way: the upright
    statement (MA-S10070-0177) was turned over on OSD's word, and upside-down copies of
    it and of two bills (-0139, -0049 in `samples turned`) were left upside down; all were
    read as gibberish. Rules and filled bands are no letters on a page of print."""
    page = _loaded(_planned(10070, number), document_id).pages[0].image
    geo, ocr = GeometryConfig(), OcrConfig()
    assert rectify.rectify_image(page, geo, ocr, None, ruled=True).rotation == 0
    upside_down = np.ascontiguousarray(page[::-1, ::-1])
    assert rectify.rectify_image(upside_down, geo, ocr, None, ruled=True).rotation == 180


def test_white_paper_left_out_by_an_outline_fitted_short_is_no_reflection() -> None:
    """MA-S10085-0160: a phone-photographed lease, its paper white to 250, outlined 11 px
    inside its left edge: 5 px of the page beyond the margin made the whole blown-out page
    "a reflection spilling past the document" covering 80.7 % of it (IMAGE_GLARE on a
    clean lease). A reflection spilling onto the table blows out hundreds of pixels there
    (495 to 14,092 on fresh seeds); the reflection past the passport page above still does."""
    image = _loaded(_planned(10085, 160), "doc-3").pages[0].image
    cfg = GeometryConfig()
    small = cv.scale(image, min(1.0, cfg.outline_side / max(image.shape[:2])))
    found, _ = outline.find_outline(small, cfg)
    assert found is not None and found.area > 0.7
    assert found.spill == 0.0


@pytest.mark.parametrize(("seed", "number"), [(10089, 135), (10077, 102)])
def test_a_reflection_run_into_a_passports_zone_is_glare(seed: int, number: int) -> None:
    """CT-S10089-0135, CT-S10077-0102: a reflection over a near-white passport page ran into
    its white machine-readable strip; the strip's crisp characters, amid the one clipped
    blob, read as print the light did not hide, and the page passed. By the reflection's
    blank body the print is washed out (90th-percentile ink 49 against 202 elsewhere)."""
    ctx = make_ctx()
    doc = quality.measure(rectify.rectify(_loaded(_planned(seed, number), "doc-1"), ctx), ctx)
    result = quality.check_glare(doc, ctx)
    assert result is not None and result.status == "fail", result.detail
