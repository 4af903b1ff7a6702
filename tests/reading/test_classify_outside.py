"""Classification on layouts unlike our own templates (issue #4 generalisation): upright
under-21 cards, cards whose small labels are unreadable, passport cards vs passport books,
and a card scanned edge to edge whose printed portrait box is no document outline."""

from __future__ import annotations

import numpy as np

from models.flags import DocumentType
from models.internal import MrzRecord, Page, PageText, Word
from pipeline.config import GeometryConfig
from pipeline.imaging.rectify import rectify_image
from pipeline.reading.classify import classify
from tests.reading.synth import context, text_doc

CTX = context()
T = DocumentType


def _kind(
    width: int,
    height: int,
    text: str,
    faces: int | None = 1,
    declared: str | None = None,
    mrz: MrzRecord | None = None,
) -> DocumentType:
    tokens = text.split()
    words = tuple(Word(t, 0.8, (12 * i, 10, 12 * i + 10, 20), 0, 0) for i, t in enumerate(tokens))
    page = Page(0, np.zeros((height, width, 3), np.uint8))
    doc = text_doc(
        (PageText(0, words, "ocr", width, height),),
        role="identity",
        pages=(page,),
        faces=faces,
        declared_type=declared,
        mrz=mrz,
    )
    out = classify(doc, CTX)
    assert out.classification is not None
    return out.classification.document_type


GARBLED_CARD = "tn BROWN rn LUCIA ALAN 486 WASHINGTON ST MILFORD pos 05-18-1954 iss exp"


def test_upright_under_21_card_is_a_licence() -> None:
    text = "UNDER 21 UNTIL 12/10/1992 aon 1 HADDAD 2 PATRICIA 92 ASYLUM AVE BOSTON"
    assert _kind(644, 918, text) is T.DRIVERS_LICENSE
    assert _kind(694, 1100, GARBLED_CARD, declared="state_id") is T.STATE_ID


def test_card_with_unreadable_labels_is_the_declared_card() -> None:
    assert _kind(1026, 523, GARBLED_CARD, declared="drivers_license") is T.DRIVERS_LICENSE


def test_upright_sheet_with_a_portrait_and_page_words_is_no_card() -> None:
    letter = "Dear resident NOTICE from the Office of benefits about your account " * 2
    assert _kind(1240, 1754, letter) is not T.DRIVERS_LICENSE
    assert _kind(644, 918, GARBLED_CARD, faces=0) is T.OTHER  # no portrait: nothing says card


def test_an_untrusted_mrz_does_not_hide_the_portrait() -> None:
    failed = ("number", "birth", "expiry", "composite")
    rows = MrzRecord("TD2", ("I<USA", "X"), False, False, failed, {})
    assert _kind(1002, 539, GARBLED_CARD, mrz=rows, declared="drivers_license") is (
        T.DRIVERS_LICENSE
    )


def test_passport_card_front_is_not_a_passport_book() -> None:
    text = "UNITED STATES OF AMERICA PASSPORT CARD Nationality USA Place of Birth MA Surname X"
    assert _kind(1100, 694, text) is T.PASSPORT_CARD
    book = "PASSPORT United States of America Nationality Place of Birth Surname Given Names"
    assert _kind(1240, 872, book) is T.PASSPORT


def _flat_card_scan() -> np.ndarray:
    """A 1012x638 card filling the whole frame: light background, a framed portrait box,
    lines of print."""
    img = np.full((638, 1012, 3), 235, np.uint8)
    img[:90] = (40, 40, 160)  # header band
    img[150:520, 60:350] = (120, 150, 200)  # the portrait box
    img[150:520, 60:64] = img[150:520, 346:350] = 20
    img[150:154, 60:350] = img[516:520, 60:350] = 20
    for y in range(160, 560, 45):
        img[y : y + 14, 420:900] = 30  # print
    return img


def test_card_scanned_edge_to_edge_keeps_the_whole_frame() -> None:
    out = rectify_image(_flat_card_scan(), GeometryConfig(orientation=False), None)
    assert out.outline is None
    assert out.image.shape[:2] == (638, 1012)
