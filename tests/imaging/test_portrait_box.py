"""A vertical card scanned edge to edge: its portrait's box is not the card.

MA-O4239-0037 (outside generator, seed 4239): an under-21 licence scanned flat, 638 x
1012 px, its portrait in a box of nearly the card's own shape. The box was outlined as
the document, 369 px across, and a clean licence was flagged IMAGE_LOW_RESOLUTION.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from outside_docs import outside_upload

from models.internal import DocumentState
from pipeline.context import Context
from pipeline.imaging import rectify


@pytest.fixture(scope="module")
def front() -> tuple[DocumentState, Context]:
    return outside_upload(4239, 37, "identity", side="front")  # MA-O4239-0037


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
