"""Classification cues (keywords, barcode, MRZ, face, layout) and the two type checks."""

from __future__ import annotations

import numpy as np

from models.flags import DocumentType, FlagCode
from models.internal import BarcodeRecord, Classification, MrzRecord, PageText, Word
from pipeline.reading.classify import check_declared_type, check_document_type, classify
from tests.reading.synth import context, image_doc, text_doc

CTX = context()


def _page(text: str, width: int = 1700, height: int = 2200, source: str = "pdf_text") -> PageText:
    words = tuple(
        Word(tok, 0.95, (10 + 60 * i, 20 + 40 * n, 60 + 60 * i, 50 + 40 * n), 0, n)
        for n, line in enumerate(text.splitlines())
        for i, tok in enumerate(line.split())
    )
    return PageText(0, words, source, width, height)  # type: ignore[arg-type]


def _kind(text: str, role: str = "residency", **kw: object) -> DocumentType:
    doc = classify(text_doc((_page(text, **kw),), role=role), CTX)
    assert doc.classification is not None
    return doc.classification.document_type


def test_keyword_cues_pick_each_residency_type() -> None:
    assert (
        _kind("Your electric bill\nUsage this month 612 kWh\nAmount due")
        == DocumentType.UTILITY_BILL
    )
    assert (
        _kind("Checking account statement\nDeposits 100\nEnding balance 20")
        == DocumentType.BANK_STATEMENT
    )
    assert _kind("Residential lease\nLandlord and Tenant agree\nRent 1200") == DocumentType.LEASE
    assert _kind("Mortgage statement\nEscrow balance\nPrincipal") == DocumentType.MORTGAGE_STATEMENT
    assert (
        _kind("Auto insurance\nPolicy number 12\nPremium 300") == DocumentType.INSURANCE_STATEMENT
    )
    assert _kind("Real estate tax bill\nAssessed value\nParcel 12-3") == DocumentType.TAX_BILL
    assert _kind("Earnings statement\nGross pay 100 Net pay 80\nYTD") == DocumentType.PAY_STUB
    assert _kind("Commonwealth of Massachusetts\nDepartment of Revenue\nNotice") == (
        DocumentType.GOVERNMENT_LETTER
    )


def test_scoring_is_weighted_not_first_match() -> None:
    # a bank statement mentions "tax" once; its own cues must still win
    text = "Harbor Bank\nChecking statement\nDeposits 10\nWithdrawals 5\nEnding balance 5\nTax 0"
    assert _kind(text) == DocumentType.BANK_STATEMENT


def test_identity_keywords_and_card_layout() -> None:
    card = {"width": 1012, "height": 638, "source": "ocr"}
    assert (
        _kind("STATE OF CONNECTICUT\nDRIVER LICENSE\nDOB", "identity", **card)
        == DocumentType.DRIVERS_LICENSE
    )
    assert _kind("MASSACHUSETTS\nIDENTIFICATION CARD", "identity", **card) == DocumentType.STATE_ID
    assert _kind("UNIFORMED SERVICES\nID card", "identity", **card) == DocumentType.MILITARY_ID
    assert _kind("PASSPORT CARD\nUNITED STATES", "identity", **card) == DocumentType.PASSPORT_CARD


def test_state_header_on_a_card_is_not_a_government_letter() -> None:
    card = {"width": 1012, "height": 638, "source": "ocr"}
    text = "COMMONWEALTH OF MASSACHUSETTS\nDRIVER'S LICENSE\nCLASS D"
    assert _kind(text, "identity", **card) == DocumentType.DRIVERS_LICENSE


def test_barcode_subfile_decides_licence_or_id() -> None:
    record = BarcodeRecord(9, "636006", {"DCA": "NONE", "subfile": "ID"}, {})
    doc = classify(image_doc(np.zeros((638, 1012, 3), np.uint8), barcode=record), CTX)
    assert doc.classification.document_type == DocumentType.STATE_ID
    record = BarcodeRecord(9, "636006", {"DCA": "D"}, {})
    doc = classify(image_doc(np.zeros((638, 1012, 3), np.uint8), barcode=record), CTX)
    assert doc.classification.document_type == DocumentType.DRIVERS_LICENSE


def test_mrz_decides_passport_or_card() -> None:
    td3 = MrzRecord("TD3", ("P<USA", "X"), True, True, (), {})
    td1 = MrzRecord("TD1", ("I<USA", "X", "Y"), True, True, (), {})
    img = np.zeros((880, 1250, 3), np.uint8)
    assert (
        classify(image_doc(img, mrz=td3), CTX).classification.document_type == DocumentType.PASSPORT
    )
    assert (
        classify(image_doc(img, mrz=td1), CTX).classification.document_type
        == DocumentType.PASSPORT_CARD
    )


def test_textless_face_is_a_photo_and_nothing_is_other() -> None:
    img = np.zeros((800, 600, 3), np.uint8)
    doc = classify(image_doc(img, role="identity", faces=1), CTX)
    assert doc.classification.document_type == DocumentType.PHOTO
    doc = classify(text_doc((_page("hello world\nlorem ipsum"),)), CTX)
    assert doc.classification.document_type == DocumentType.OTHER


def _with(kind: DocumentType, role: str, text: str = "", **kw: object):
    doc = (
        text_doc((_page(text),), role=role, **kw)
        if text
        else image_doc(np.zeros((10, 10, 3), np.uint8), role)
    )
    return doc.__class__(**{**doc.__dict__, "classification": Classification(kind, 0.9, ("test",))})


def test_wrong_document_type_for_the_role() -> None:
    doc = _with(DocumentType.UTILITY_BILL, "identity", "Electric bill kWh usage amount due now")
    result = check_document_type(doc, CTX)
    assert result.status == "fail" and result.flag == FlagCode.WRONG_DOCUMENT_TYPE
    assert "utility bill" in result.message and "identity" in result.message
    ok = check_document_type(
        _with(DocumentType.UTILITY_BILL, "residency", "Electric bill kWh usage now"), CTX
    )
    assert ok.status == "pass" and ok.flag is None


def test_unreadable_document_is_not_called_the_wrong_type() -> None:
    doc = _with(DocumentType.OTHER, "residency", "x")
    result = check_document_type(doc, CTX)
    assert result.status == "skipped" and result.flag is None


def test_photo_role_accepts_photo() -> None:
    assert check_document_type(_with(DocumentType.PHOTO, "photo"), CTX).status == "pass"


def test_declared_type_check() -> None:
    text = "Electric bill kWh usage amount due"
    assert check_declared_type(_with(DocumentType.UTILITY_BILL, "residency", text), CTX) is None
    same = _with(DocumentType.UTILITY_BILL, "residency", text, declared_type="utility_bill")
    assert check_declared_type(same, CTX).status == "pass"
    other = _with(DocumentType.UTILITY_BILL, "residency", text, declared_type="lease")
    result = check_declared_type(other, CTX)
    assert result.status == "warn" and result.flag is None and "lease" in result.message
