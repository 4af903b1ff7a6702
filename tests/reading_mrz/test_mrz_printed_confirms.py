"""A zone OCR was unsure of (an unusual zone font reads at confidence 0 even when read
right) still proves an altered check digit when the page prints exactly the value the
failing check protects (CT-S9696-0059: the number's check digit altered, missed)."""

from __future__ import annotations

from models.internal import DocumentState, FieldValue, MrzRecord
from pipeline.reading.mrz import check_mrz
from pipeline.reading.mrz_repair import check_digit
from tests.reading_mrz.conftest import make_context
from tests.reading_mrz.test_mrz_printed_number import _td3

NUMBER = "A88066728"


def _altered() -> tuple[str, str]:
    right = check_digit(NUMBER)
    return _td3(NUMBER, number_digit=str((int(right) + 1) % 10))


def _unsure(lines: tuple[str, str], printed: str | None) -> DocumentState:
    record = MrzRecord("TD3", lines, False, False, ("document number", "composite"), {})
    fields = {} if printed is None else {"document_number": FieldValue(printed, "ocr", 0.97, 0)}
    return DocumentState("d1", "identity", "front", b"", mrz=record, fields=fields)


def test_an_unsure_zone_whose_number_the_page_confirms_is_flagged():
    result = check_mrz(_unsure(_altered(), NUMBER), make_context())
    assert result is not None and result.status == "fail" and result.flag is not None


def test_an_unsure_zone_without_confirmation_only_warns():
    for printed in (None, "A88066723"):  # not printed, or printed otherwise: OCR may be wrong
        result = check_mrz(_unsure(_altered(), printed), make_context())
        assert result is not None and result.status == "warn" and result.flag is None


def test_an_unsure_zone_whose_check_digit_is_no_digit_only_warns():
    line1, line2 = _altered()
    garbled = (line1, line2[:9] + "K" + line2[10:])  # the check digit read as a letter
    result = check_mrz(_unsure(garbled, NUMBER), make_context())
    assert result is not None and result.status == "warn"
