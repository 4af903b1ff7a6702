"""Fresh seed 10020: a card on a grey table outlined from the frame's corners (the
background's hull, MA-S10020-0001: the card warped past reading, TEXT_UNREADABLE on a
clean application) and the lit lower half of a shadowed blank tax bill taken for glare
(MA-S10020-0172). Both documents are regenerated from their specs."""

from __future__ import annotations

import numpy as np
from conftest import make_ctx

from models.contract import Application
from models.internal import DocumentState
from pipeline.config import GeometryConfig
from pipeline.imaging import quality, rectify
from pipeline.load import load_file
from pipeline.tools import cv
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
    outline, _ = rectify.find_outline(small, cfg)
    assert outline is not None
    assert not rectify._frame_corners(outline.quad, small.shape)
    assert 0.3 < outline.area < 0.8  # the card, not the table around it


def test_frame_corners_rule() -> None:
    shape = (480, 640)
    background = np.array([[0, 0], [596, 0], [549, 427], [0, 479]], float)
    card = np.array([[88, 64], [579, 125], [550, 426], [60, 380]], float)
    one_corner = np.array([[0, 0], [500, 20], [480, 400], [30, 380]], float)
    assert rectify._frame_corners(background, shape)
    assert not rectify._frame_corners(card, shape)
    assert not rectify._frame_corners(one_corner, shape)


def test_the_lit_half_of_a_shadowed_blank_page_is_not_glare() -> None:
    ctx = make_ctx()
    doc = quality.measure(rectify.rectify(_loaded(Spec(10020, 171, "MA"), "doc-2"), ctx), ctx)
    result = quality.check_glare(doc, ctx)
    assert result is not None and result.status == "pass", result.detail
