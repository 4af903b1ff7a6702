"""Stage `read_mrz` and `check_mrz` on rendered passport pages, through real Tesseract."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pytest

from models.flags import FlagCode
from models.internal import DocumentState
from pipeline.reading.mrz import check_mrz, read_mrz
from pipeline.tools import tesseract

from .conftest import image_doc, passport_page, td3_lines

pytestmark = pytest.mark.skipif(not tesseract.available(), reason="needs Tesseract")


def ocred(image: np.ndarray, role: str = "identity") -> DocumentState:
    """A document as the OCR stage leaves it (full-page Tesseract words)."""
    text = tesseract.ocr_words(image, 0, tesseract.OcrRequest(psm=3))
    return replace(image_doc(image, role), text=(text,))


def put(line: str, pos: int, text: str) -> str:
    return line[:pos] + text + line[pos + len(text) :]


def test_valid_td3_read_back(ctx) -> None:
    doc = read_mrz(ocred(passport_page(td3_lines())), ctx)
    mrz = doc.mrz
    assert mrz is not None
    assert mrz.kind == "TD3" and mrz.valid and mrz.lines == tuple(td3_lines())
    values = {k: v.value for k, v in mrz.fields.items()}
    assert values["last_name"] == "ERIKSSON"
    assert (values["first_name"], values["middle_name"]) == ("ANNA", "MARIA")
    assert values["date_of_birth"] == dt.date(1974, 8, 12)
    assert values["expiry_date"] == dt.date(2031, 4, 15)
    assert values["document_number"] == "X12345674"
    assert all(v.source == "mrz" and v.box == mrz.box for v in mrz.fields.values())
    x0, y0, x1, y1 = mrz.box
    assert y0 > 500 and y1 < 700 and x1 - x0 > 600  # the bottom band of the page
    result = check_mrz(doc, ctx)
    assert result is not None and result.status == "pass" and result.flag is None


def test_corrupted_check_digit_is_flagged(ctx) -> None:
    l1, l2 = td3_lines()
    bad = put(l2, 19, str((int(l2[19]) + 3) % 10))  # date-of-birth check digit
    doc = read_mrz(ocred(passport_page([l1, bad])), ctx)
    assert doc.mrz is not None and not doc.mrz.valid and doc.mrz.confident
    result = check_mrz(doc, ctx)
    assert result is not None and result.status == "fail"
    assert result.flag == FlagCode.MRZ_INVALID
    assert "date of birth" in (result.message or "")
    assert result.applicant_message


def test_no_mrz_on_a_page_without_one(ctx) -> None:
    page = np.full((500, 900, 3), 245, np.uint8)
    doc = read_mrz(ocred(page), ctx)
    assert doc.mrz is None
    assert check_mrz(doc, ctx) is None


def test_residency_documents_are_skipped(ctx) -> None:
    doc = ocred(passport_page(td3_lines()), role="residency")
    assert read_mrz(doc, ctx).mrz is None


def test_structurally_broken_zone_is_not_flagged(ctx) -> None:
    l1, l2 = td3_lines()
    broken = put(l2, 13, "7W0X1Y")  # letters where the date of birth must be digits
    doc = read_mrz(ocred(passport_page([l1, broken])), ctx)
    assert doc.mrz is not None and not doc.mrz.valid and not doc.mrz.confident
    result = check_mrz(doc, ctx)
    assert result is not None and result.status == "warn" and result.flag is None
