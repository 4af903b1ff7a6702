"""A confidently read zone whose expiry digit OCR misread ('331100' for '331106', read
alike twice) is not an invalid MRZ when the expiry the applicant declared (or the one
printed) differs from the zone's only in easily misread digits and, written into the zone,
satisfies every check digit; the zone's corrected expiry then judges DOCUMENT_EXPIRED.
An altered check digit stays MRZ_INVALID (MA-O3919-0069)."""

from __future__ import annotations

import datetime as dt

from models.flags import DocumentType
from models.internal import Classification, DocumentState, FieldValue, MrzRecord
from pipeline.matching.checks import check_expiry
from pipeline.reading.mrz import check_mrz, witnessed_zone
from pipeline.reading.mrz_repair import check_digit
from tests.reading_mrz.conftest import make_context

EXPIRY = "331106"
DECLARED = dt.date(2033, 11, 6)
ISSUE_READ_AS_EXPIRY = {"expiry_date": FieldValue(dt.date(2023, 10, 13), "ocr", 0.95, 0)}


def _td3(expiry: str, expiry_digit: str | None = None) -> tuple[str, str]:
    number, dob = "A42374673", "630913"
    digit = expiry_digit if expiry_digit is not None else check_digit(expiry)
    body = f"{number}{check_digit(number)}USA{dob}{check_digit(dob)}M{expiry}{digit}"
    body += "<" * 14 + "<"
    composite = check_digit(body[0:10] + body[13:20] + body[21:43])
    return "P<USAKOWALSKI<<FRANCISCO<LEE".ljust(44, "<"), body + composite


def _misread(wrong: str = "0") -> tuple[str, str]:
    line1, line2 = _td3(EXPIRY)
    return line1, line2[:26] + wrong + line2[27:]  # the expiry's last digit misread


def _altered() -> tuple[str, str]:
    right = check_digit(EXPIRY)
    return _td3(EXPIRY, expiry_digit=str((int(right) + 3) % 10))


def _doc(
    lines: tuple[str, str],
    declared: dt.date | None = DECLARED,
    fields: dict[str, FieldValue] | None = None,
) -> DocumentState:
    record = MrzRecord("TD3", lines, False, True, ("expiry date", "composite"), {}, page=0)
    return DocumentState(
        "d1",
        "identity",
        "front",
        b"",
        declared_expiry_date=declared,
        mrz=record,
        fields=ISSUE_READ_AS_EXPIRY if fields is None else fields,
        classification=Classification(DocumentType.PASSPORT, 0.9, ()),
    )


def test_a_misread_expiry_confirmed_by_the_declared_one_is_not_flagged():
    doc = _doc(_misread())
    result = check_mrz(doc, make_context("2026-06-21"))
    assert result is not None and result.flag is None and result.status == "warn"


def test_the_corrected_zone_expiry_judges_expiry():
    result = check_expiry(_doc(_misread()), make_context("2026-06-21"))
    assert result is not None and result.flag is None and result.status == "pass"


def test_a_printed_expiry_is_a_witness_too():
    printed = {"expiry_date": FieldValue(DECLARED, "ocr", 0.9, 0)}
    assert witnessed_zone(_doc(_misread()).mrz, printed, None) is not None


def test_an_altered_check_digit_stays_invalid():
    doc = _doc(_altered())
    result = check_mrz(doc, make_context("2026-06-21"))
    assert result is not None and result.flag is not None
    assert witnessed_zone(doc.mrz, doc.fields, DECLARED) is None


def _misread_date() -> tuple[str, str]:
    """'331106' read '331108': a calendar date, so only a witness can tell the misread."""
    return _misread("8")


def test_no_witness_or_a_far_one_proves_nothing():
    assert check_mrz(_doc(_misread_date(), declared=None), make_context()).flag is not None
    # '2' for '6' is not an easily misread pair: not taken as a slip
    far = _doc(_misread("2"))
    assert witnessed_zone(far.mrz, far.fields, DECLARED) is None


def test_a_witness_from_the_zone_itself_is_none():
    from_zone = {"expiry_date": FieldValue(DECLARED, "mrz", 0.9, 0)}
    assert witnessed_zone(_doc(_misread_date()).mrz, from_zone, None) is None
    assert witnessed_zone(_doc(_misread_date()).mrz, {}, DECLARED) is not None


def test_an_impossible_date_is_its_own_witness() -> None:
    """Day 00 is no date: with nothing printed or declared, the one easily misread digit
    that makes it a date satisfying both check digits is taken (a warning, not a flag)."""
    doc = _doc(_misread(), declared=None, fields={})
    result = check_mrz(doc, make_context("2026-06-21"))
    assert result is not None and result.flag is None and result.status == "warn"
    lines = witnessed_zone(doc.mrz, {}, None)
    assert lines is not None and lines[1][21:27] == EXPIRY
    assert check_expiry(doc, make_context("2026-06-21")).status == "pass"


def test_a_calendar_date_misread_needs_a_witness() -> None:
    line1, line2 = _td3("331108")
    misread = (line1, line2[:26] + "6" + line2[27:])  # '331106' is a date: no self-witness
    assert witnessed_zone(_doc(misread).mrz, {}, None) is None
