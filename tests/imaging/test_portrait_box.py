"""A vertical card scanned edge to edge: its portrait's box is not the card.

MA-O4239-0037 (outside generator, seed 4239): an under-21 licence scanned flat, 638 x
1012 px, its portrait in a box of nearly the card's own shape. The box was outlined as
the document, 369 px across, and a clean licence was flagged IMAGE_LOW_RESOLUTION.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from models.contract import Application
from models.internal import DocumentState
from pipeline.config import PipelineConfig
from pipeline.context import Context
from pipeline.imaging import rectify
from pipeline.load import load_file
from pipeline.rules import builtin_pack
from samples import outside


def _front() -> tuple[DocumentState, Context]:
    built = outside.build(outside.plan(100, 4239)[36])
    app = Application.model_validate(built.manifest)
    assert app.application_id == "MA-O4239-0037"
    ctx = Context(app, builtin_pack(app.program), PipelineConfig())
    ref = next(r for r in app.documents if r.role.value == "identity" and r.side == "front")
    doc = DocumentState(ref.document_id, ref.role.value, ref.side, built.files[ref.file])
    return load_file(doc, ctx), ctx


@pytest.fixture(scope="module")
def front() -> tuple[DocumentState, Context]:
    return _front()


def test_the_portrait_box_of_a_vertical_card_is_not_its_outline(front) -> None:
    doc, ctx = front
    out = rectify.rectify(doc, ctx)
    assert doc.pages[0].image.shape[:2] == (1012, 638)
    assert out.measurement("geometry.outline").value == 0.0  # the card fills the frame
    assert out.measurement("geometry.source_px").value == 1012


def test_the_box_is_outlined_and_filled_by_the_face(front, monkeypatch) -> None:
    """What the rule rests on: the outline search does find the box (so without the rule
    it is the document), and the face spans more than `PORTRAIT_FILL` of it."""
    doc, ctx = front
    monkeypatch.setattr(rectify, "PORTRAIT_FILL", 1.0)  # no face fills a box wholly
    out = rectify.rectify(doc, ctx)
    assert out.measurement("geometry.outline").value == 1.0
    assert out.measurement("geometry.source_px").value < 400


def test_a_card_with_its_portrait_keeps_its_outline(front) -> None:
    """The same card photographed on a table, a card's share of the frame: outlined."""
    doc, ctx = front
    image = doc.pages[0].image
    pad = 80
    table = np.full((image.shape[0] + 2 * pad, image.shape[1] + 2 * pad, 3), 60, np.uint8)
    table[pad:-pad, pad:-pad] = image
    page = replace(doc.pages[0], image=table)
    out = rectify.rectify(replace(doc, pages=(page,)), ctx)
    assert out.measurement("geometry.outline").value == 1.0
    assert out.measurement("geometry.source_px").value > 950
