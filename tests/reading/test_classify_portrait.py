"""An identity document too blurred or dark to read: a portrait beside unreadable printed
text on a card-shaped image is an ID card, or a passport page by its proportions."""

from __future__ import annotations

import numpy as np

from models.flags import DocumentType
from models.internal import Page, PageText, Word
from pipeline.reading.classify import classify
from tests.reading.synth import context, text_doc

CTX = context()


def _doc(
    width: int,
    height: int,
    words: int,
    faces: int | None,
    role: str = "identity",
    declared: str | None = None,
):
    garbage = tuple(Word("ae", 0.2, (10 * i, 10, 10 * i + 8, 20), 0, 0) for i in range(words))
    page = Page(0, np.zeros((height, width, 3), np.uint8))
    text = PageText(0, garbage, "ocr", width, height)
    doc = text_doc((text,), role=role, pages=(page,), faces=faces, declared_type=declared)
    out = classify(doc, CTX)
    assert out.classification is not None
    return out.classification.document_type


def test_blurred_card_with_a_portrait_is_a_licence() -> None:
    assert _doc(1100, 694, 20, 1) == DocumentType.DRIVERS_LICENSE


def test_a_blurred_card_with_a_portrait_is_the_card_declared() -> None:
    for card in ("passport_card", "military_id", "state_id"):
        assert _doc(1100, 694, 20, 1, declared=card) == DocumentType(card)
    assert _doc(1100, 694, 20, 1, declared="utility_bill") == DocumentType.DRIVERS_LICENSE


def test_blurred_passport_page_with_a_portrait_is_a_passport() -> None:
    assert _doc(1250, 880, 20, 1) == DocumentType.PASSPORT


def test_no_portrait_or_no_print_or_a_page_stays_unknown() -> None:
    assert _doc(1100, 694, 20, 0) == DocumentType.OTHER
    assert _doc(1100, 694, 2, 1) == DocumentType.PHOTO  # a face and hardly any print
    assert _doc(1700, 2200, 20, 1) == DocumentType.OTHER  # a portrait page, no card
