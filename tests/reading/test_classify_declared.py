"""A document whose content cannot tell its type keeps the type the applicant declared,
marked as such: the type checks skip it, and the picture's proportions can still rule it out."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from models.flags import DocumentType
from models.internal import DocumentState, PageText, Word
from pipeline.reading.classify import (
    check_declared_type,
    check_document_type,
    classify,
    taken_as_declared,
)
from pipeline.verify import run_checks, unreadable
from tests.reading.synth import context, image_doc

CTX = context()
T = DocumentType
CARD = np.full((638, 1012, 3), 235, np.uint8)
PAGE = np.full((1100, 850, 3), 235, np.uint8)


def _faded(width: int, height: int) -> tuple[PageText, ...]:
    """Fragments read off a faded page: short tokens at low confidence, no cue."""
    tokens = ["PR", "oy", "VAL", "ii", "7", "ae"]
    words = tuple(
        Word(t, 0.31, (10 + 40 * i, 20, 40 + 40 * i, 50), 0, 0) for i, t in enumerate(tokens)
    )
    return (PageText(0, words, "ocr", width, height),)  # type: ignore[arg-type]


def test_a_faded_bill_keeps_its_declared_type_and_the_type_checks_skip() -> None:
    doc = image_doc(PAGE, role="residency", text=_faded(850, 1100), declared_type="utility_bill")
    doc = classify(doc, CTX)
    assert doc.classification.document_type is T.UTILITY_BILL
    assert taken_as_declared(doc)
    assert doc.classification.confidence < 0.3
    assert check_document_type(doc, CTX).status == "skipped"
    assert check_declared_type(doc, CTX) is None  # nothing found to compare the claim with


def test_proportions_rule_a_declaration_out() -> None:
    card = image_doc(CARD, role="residency", text=_faded(1012, 638), declared_type="utility_bill")
    assert classify(card, CTX).classification.document_type is T.OTHER
    page = image_doc(PAGE, text=_faded(850, 1100), declared_type="drivers_license")
    assert classify(page, CTX).classification.document_type is T.OTHER


def test_a_legible_page_of_no_kind_is_not_taken_at_its_word() -> None:
    tokens = [
        "Thank",
        "you",
        "for",
        "dining",
        "with",
        "us",
        "tonight",
        "please",
        "come",
        "again",
        "soon",
    ]
    words = tuple(
        Word(t, 0.93, (10 + 60 * i, 20, 60 + 60 * i, 50), 0, 0) for i, t in enumerate(tokens)
    )
    text = (PageText(0, words, "ocr", 850, 1100),)  # type: ignore[arg-type]
    doc = classify(image_doc(PAGE, role="residency", text=text, declared_type="lease"), CTX)
    assert doc.classification.document_type is T.OTHER
    assert check_document_type(doc, CTX).flag is not None  # WRONG_DOCUMENT_TYPE stands


def test_a_file_that_cannot_be_opened_reports_the_declared_type() -> None:
    doc = DocumentState("d1", "identity", None, b"", declared_type="passport")
    doc = run_checks(_stopped(doc), CTX)
    assert doc.document_type is T.PASSPORT and taken_as_declared(doc)
    assert [c.flag.value for c in doc.checks if c.flag] == ["FILE_UNREADABLE"]
    undeclared = run_checks(_stopped(DocumentState("d2", "identity", None, b"")), CTX)
    assert undeclared.document_type is T.OTHER


def _stopped(doc: DocumentState) -> DocumentState:
    return replace(doc, stopped=unreadable("the file is empty"))


def test_a_dark_card_showing_only_its_portrait_keeps_its_declared_type() -> None:
    dark = image_doc(CARD, text=_faded(1012, 638)[:0], faces=1, declared_type="state_id")
    doc = classify(dark, CTX)
    assert doc.classification.document_type is T.STATE_ID and taken_as_declared(doc)
    selfie = image_doc(CARD, role="residency", faces=1, declared_type="utility_bill")
    assert classify(selfie, CTX).classification.document_type is T.PHOTO  # not a bill
