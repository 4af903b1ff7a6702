"""A document number misread in a confidently read zone is not an invalid MRZ: the number
printed on the page, written into the zone, satisfies every check digit; an altered zone
fails with it as well (MA-O3299-0043: '101476853' read '401476853' in the zone)."""

from __future__ import annotations

from models.internal import DocumentState, FieldValue, MrzRecord
from pipeline.reading.mrz import check_mrz
from pipeline.reading.mrz_repair import check_digit
from tests.reading_mrz.conftest import make_context


def _td3(number: str, number_digit: str | None = None) -> tuple[str, str]:
    dob, expiry = "861230", "290606"
    digit = number_digit if number_digit is not None else check_digit(number)
    body = f"{number}{digit}USA{dob}{check_digit(dob)}M{expiry}{check_digit(expiry)}"
    body += "<" * 14 + "<"
    return "P<USAMACDONALD<<JOSE".ljust(44, "<"), body + check_digit(
        body[0:10] + body[13:20] + body[21:43]
    )


def _doc(lines: tuple[str, str], printed: str | None) -> DocumentState:
    failed = ("document number", "composite")
    record = MrzRecord("TD3", lines, False, True, failed, {}, page=0)
    fields = {} if printed is None else {"document_number": FieldValue(printed, "ocr", 0.97, 0)}
    return DocumentState("d1", "identity", "front", b"", mrz=record, fields=fields)


def _misread() -> tuple[str, str]:
    line1, line2 = _td3("101476853")
    return line1, "4" + line2[1:]  # the zone's first digit read '4'


def test_a_misread_number_agreeing_with_the_printed_one_is_not_flagged():
    result = check_mrz(_doc(_misread(), "101476853"), make_context())
    assert result is not None
    assert result.flag is None and result.status == "warn"


def test_a_wrong_number_check_digit_is_still_flagged():
    right = check_digit("101476853")
    altered = _td3("101476853", number_digit=str((int(right) + 1) % 10))
    result = check_mrz(_doc(altered, "101476853"), make_context())
    assert result is not None and result.flag is not None


def test_without_a_printed_number_the_failure_stands():
    result = check_mrz(_doc(_misread(), None), make_context())
    assert result is not None and result.flag is not None
    result = check_mrz(_doc(_misread(), "401476853"), make_context())
    assert result is not None and result.flag is not None
