"""A poorly read zone whose failing fields the printed page explains, and whose composite
still fails, is an altered composite digit: MRZ_INVALID (MA-O4193-0019: "BO2283321" read
for the printed B02283321 beside an altered final digit only warned). Where the printed
number explains every failure, OCR misread the zone."""

from __future__ import annotations

from models.flags import DocumentType, FlagCode
from models.internal import Classification, DocumentState, FieldValue, MrzRecord
from pipeline.reading.mrz import check_mrz
from pipeline.reading.mrz_repair import check_digit, failing_checks
from tests.reading_mrz.conftest import make_context

NUMBER = "B02283321"


def _zone(composite_shift: int) -> tuple[str, str]:
    """The zone as OCR read it: the number's 0 read as O; the composite shifted by
    `composite_shift` (0: as issued)."""
    body = f"{NUMBER}{check_digit(NUMBER)}USA8709181F3308143" + "<" * 14 + "<"
    composite = (int(check_digit(body[0:10] + body[13:20] + body[21:43])) + composite_shift) % 10
    line2 = body + str(composite)
    return "P<USASMITH<JONES<<SAMANTHA".ljust(44, "<"), "BO" + line2[2:]


def _doc(lines: tuple[str, str]) -> DocumentState:
    record = MrzRecord("TD3", lines, False, False, failing_checks(lines, "TD3"), {}, page=0)
    printed = {"document_number": FieldValue(NUMBER, "ocr", 0.42, 0)}
    return DocumentState(
        "d1",
        "identity",
        "front",
        b"",
        mrz=record,
        fields=printed,
        classification=Classification(DocumentType.PASSPORT, 0.9, ()),
    )


def test_an_altered_composite_beside_a_misread_number_is_invalid() -> None:
    lines = _zone(composite_shift=4)
    assert failing_checks(lines, "TD3") == ("document number", "composite")
    result = check_mrz(_doc(lines), make_context())
    assert result is not None and result.flag == FlagCode.MRZ_INVALID
    assert result.detail.endswith("satisfy their own")


def test_a_misread_number_alone_is_not_flagged() -> None:
    result = check_mrz(_doc(_zone(composite_shift=0)), make_context())
    assert result is not None and result.flag is None
