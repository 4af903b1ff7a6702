"""A card's zone is on its back and its number on its front: a reviewer turns the card
over. The front's printed values witness the back's zone (`lend_front_to_back`): a 7 of
the zone read as a 1 (CT-O4253-0059) is a misread; a zone whose check digit was altered
stays MRZ_INVALID however the front reads."""

from __future__ import annotations

from dataclasses import replace

from models.flags import DocumentType, FlagCode
from models.internal import Classification, DocumentState, FieldValue, MrzRecord
from pipeline.reading.mrz import check_mrz, lend_front_to_back
from pipeline.reading.mrz_repair import failing_checks
from tests.reading_mrz.conftest import make_context, td1_lines

NUMBER = "C03005988"


def _front(number: str = NUMBER) -> DocumentState:
    return DocumentState(
        "front",
        "identity",
        "front",
        b"",
        fields={"document_number": FieldValue(number, "ocr", 0.99, 0, (10, 10, 90, 30))},
        classification=Classification(DocumentType.PASSPORT_CARD, 0.9, ()),
    )


def _back(lines: list[str]) -> DocumentState:
    failed = failing_checks(tuple(lines), "TD1")
    record = MrzRecord("TD1", tuple(lines), not failed, True, failed, {}, page=0)
    return DocumentState(
        "back",
        "identity",
        "back",
        b"",
        mrz=record,
        classification=Classification(DocumentType.PASSPORT_CARD, 0.9, ()),
    )


def _misread() -> list[str]:
    """The zone with one digit of its number misread as one OCR confuses with it."""
    lines = td1_lines()
    assert lines[0][5:14] == NUMBER
    lines[0] = lines[0][:10] + "6" + lines[0][11:]  # 'C03005988' read 'C03006988'
    return lines


def test_the_fronts_number_turns_a_misread_back_zone_into_a_warning() -> None:
    docs = lend_front_to_back((_front(), _back(_misread())))
    back = docs[1]
    assert back.witnesses["document_number"].value == NUMBER
    result = check_mrz(back, make_context())
    assert result is not None and result.status == "warn" and result.flag is None
    assert "card's front" in (result.detail or "")
    alone = check_mrz(_back(_misread()), make_context())
    assert alone is not None and alone.flag == FlagCode.MRZ_INVALID


def test_an_altered_back_zone_stays_invalid_whatever_the_front_prints() -> None:
    lines = td1_lines()
    digit = lines[0][14]
    lines[0] = lines[0][:14] + str((int(digit) + 3) % 10) + lines[0][15:]
    docs = lend_front_to_back((_front(), _back(lines)))
    result = check_mrz(docs[1], make_context())
    assert result is not None and result.flag == FlagCode.MRZ_INVALID


def test_only_one_front_and_one_back_with_a_zone_lend() -> None:
    back = _back(_misread())
    two_fronts = (_front(), _front(), back)
    assert lend_front_to_back(two_fronts) == two_fronts
    no_zone = (_front(), replace(back, mrz=None))
    assert lend_front_to_back(no_zone) == no_zone
    read_by_zone = replace(_front(), fields={"document_number": FieldValue(NUMBER, "mrz", 1.0, 0)})
    assert lend_front_to_back((read_by_zone, back))[1].witnesses == {}
