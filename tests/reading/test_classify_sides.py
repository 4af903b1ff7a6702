"""Licence vs ID card from weak evidence, the two sides of one card, and legible text."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from models.flags import DocumentType, FlagCode
from models.internal import BarcodeRecord, DocumentState, PageText, Word
from pipeline.reading.classify import (
    check_document_type,
    classify,
    keyword_scores,
    reconcile_sides,
    taken_as_declared,
    text_legibility,
)
from pipeline.reading.ocr import check_text_readable
from tests.reading.synth import context, image_doc, text_doc

CTX = context()
T = DocumentType
CARD = np.full((638, 1012, 3), 235, np.uint8)


def _page(tokens: list[str], conf: float = 0.9, width: int = 1012, height: int = 638) -> PageText:
    words = tuple(
        Word(t, conf, (10 + 40 * i, 20, 40 + 40 * i, 50), 0, 0) for i, t in enumerate(tokens)
    )
    return PageText(0, words, "ocr", width, height)  # type: ignore[arg-type]


def _front(text: str, **kw: object) -> DocumentState:
    doc = image_doc(CARD, text=(_page(text.split()),), faces=1, **kw)
    return classify(doc, CTX)


def _back(subfile: str) -> DocumentState:
    record = BarcodeRecord(9, "636006", {"subfile": subfile}, {})
    back = replace(image_doc(CARD, barcode=record), document_id="d2", side="back")
    return classify(back, CTX)


def test_none_values_are_no_licence_evidence() -> None:
    scores, _ = keyword_scores("9 CLASS NONE 9a END NONE 12 RESTR NONE ENDORSEMENTS: N/A")
    assert T.DRIVERS_LICENSE not in scores
    scores, _ = keyword_scores("9 CLASS D 9a END M 12 RESTR B")
    assert scores[T.DRIVERS_LICENSE] >= 1.7


def test_id_number_label_leans_to_the_id_card() -> None:
    doc = _front("IDN 123456789 LN SMITH FN JOHN DOB 01/02/1980 HGT 5-10 EYES BRO")
    assert doc.classification.document_type is T.STATE_ID


def test_back_barcode_types_an_undecided_front() -> None:
    front = _front("SMITH JOHN 12 MAIN STREET HARTFORD DOB 01/02/1980 EYES BRO")
    assert front.classification.document_type is T.DRIVERS_LICENSE  # shared fields lean DL
    docs = reconcile_sides((front, _back("ID")))
    assert docs[0].classification.document_type is T.STATE_ID
    assert any("back barcode" in c for c in docs[0].classification.cues)


def test_front_that_names_itself_keeps_its_name() -> None:
    front = _front("CONNECTICUT DRIVER LICENSE SMITH JOHN DOB 01/02/1980 CLASS D")
    docs = reconcile_sides((front, _back("ID")))
    assert docs[0].classification.document_type is T.DRIVERS_LICENSE


def test_no_reconciling_without_exactly_one_front_and_back() -> None:
    front = _front("SMITH JOHN 12 MAIN STREET HARTFORD DOB 01/02/1980 EYES BRO")
    bill = replace(text_doc((_page(["ELECTRIC", "BILL"]),)), document_id="d3", side="back")
    assert reconcile_sides((front, bill)) == (front, bill)
    two = (front, _back("ID"), _back("ID"))
    assert reconcile_sides(two) == two


def test_fragments_are_not_legible_text() -> None:
    noise = [
        "PR",
        "2024",
        "BA",
        "f",
        "7",
        "AW",
        "oy",
        "a",
        "cr",
        "at",
        "t",
        "e",
        "ii",
        "wi",
        "EF",
        "Der",
        "ce",
        "GB",
        "te",
        "yt",
        "Be",
        "VAL",
        "CHE",
        "he",
        "CE",
    ]
    doc = text_doc((_page(noise, 0.7, 1445, 1870),))
    assert not text_legibility(doc, CTX)[0]
    result = check_text_readable(classify(doc, CTX), CTX)
    assert result.flag == FlagCode.TEXT_UNREADABLE
    assert check_document_type(classify(doc, CTX), CTX).status != "fail"
    words = [
        "Harbor",
        "Bank",
        "checking",
        "statement",
        "ending",
        "balance",
        "deposits",
        "12",
        "Main",
        "St",
    ]
    assert text_legibility(text_doc((_page(words, 0.9, 1445, 1870),)), CTX)[0]


def test_unreadable_front_with_a_portrait_is_the_back_s_card() -> None:
    front = classify(image_doc(CARD, faces=1), CTX)
    assert front.classification.document_type is T.PHOTO  # a face, no text
    docs = reconcile_sides((front, _back("DL")))
    assert docs[0].classification.document_type is T.DRIVERS_LICENSE


def test_unread_front_declared_as_the_back_s_kind() -> None:
    front = classify(image_doc(CARD, faces=0, declared_type="drivers_license"), CTX)
    assert front.classification.document_type is T.DRIVERS_LICENSE
    assert taken_as_declared(front)  # nothing read: the applicant's word, nothing found
    same = reconcile_sides((front, _back("DL")))[0]
    assert same.classification.document_type is T.DRIVERS_LICENSE
    assert not taken_as_declared(same)  # now found, by the back's barcode
    other = reconcile_sides((front, _back("ID")))[0]
    assert other is front  # a back of another kind does not overrule the declaration


def test_long_words_guessed_unsurely_are_no_legible_text() -> None:
    """MA-S10021-0002: a faded bill read as fragments and long guesses ("Servis", "yines",
    "UMION") at middling confidence passed as legible; legible text has long words read
    surely."""
    guessed = ["Servis", "yines", "UMION", "AVEN", "Sarvi", "flor", "wets", "Jame", "ate", "ge"]
    faded = [Word(t, 0.6, (10 + 60 * i, 20, 60 + 60 * i, 50), 0, 0) for i, t in enumerate(guessed)]
    faded[0] = replace(faded[0], confidence=0.9)  # one sure word among the guesses
    doc = text_doc((PageText(0, tuple(faded), "ocr", 1445, 1870),))
    assert not text_legibility(doc, CTX)[0]
    sure = [replace(w, confidence=0.9) if i < 3 else w for i, w in enumerate(faded)]
    assert text_legibility(text_doc((PageText(0, tuple(sure), "ocr", 1445, 1870),)), CTX)[0]
