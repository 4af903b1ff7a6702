"""check_address and check_state: USPS-normalised, component-by-component comparison."""

from __future__ import annotations

from dataclasses import replace

import pytest

from models.flags import DocumentType, FlagCode
from models.internal import PageText, Word
from pipeline.matching.addresses import parse_address
from pipeline.matching.checks import check_address, check_state
from tests.matching.builders import address, context, doc

# Profile: 12 Elm Street, Apt 3, Hartford CT 06106.
CLEAN = [
    address("12 ELM ST", "APT 3"),
    address("12 Elm St Apt 3", None),
    address("12 Elm Street", "Apartment 3"),
    address("12 Elm St # 3"),
    address("12 Elm St #3"),
    address("12 Elm St", "Unit 3"),
    address("12 Elm Street", "Apt. 3", zip_code="06106-1234"),
    address("12 ELM STREET APT 3", city="HARTFORD", state="Connecticut"),
    address("12 Elm St", None),  # unit not printed
    address("12 Elm St Apt 3", city="Hartfrod"),  # city typo within tolerance
]


@pytest.mark.parametrize("read", CLEAN, ids=[f"{a.line1}|{a.line2}|{a.zip}" for a in CLEAN])
def test_clean_forms_pass(read) -> None:
    result = check_address(doc(address=read), context())
    assert result is not None and result.status == "pass", result.detail


NEAR_MISSES = [
    (address("13 Elm St", "Apt 3"), "house number"),
    (address("12 Oak St", "Apt 3"), "street"),
    (address("12 Elm St", "Apt 4"), "unit"),
    (address("12 Elm St", "Apt 3", zip_code="06114"), "ZIP code"),
    (address("12 Elm St", "Apt 3", city="New Haven"), "city"),
    (address("12 Elm Ave", "Apt 3"), "street type"),
]


@pytest.mark.parametrize(("read", "component"), NEAR_MISSES, ids=[c for _, c in NEAR_MISSES])
def test_near_misses_are_flagged_naming_the_component(read, component: str) -> None:
    result = check_address(doc(address=read), context())
    assert result is not None and result.flag == FlagCode.ADDRESS_MISMATCH
    assert result.evidence and component in result.evidence["differing"]
    assert component in (result.message or "")
    assert result.applicant_message


@pytest.mark.parametrize("line1", ["PO Box 44", "P.O. Box 44", "12 Elm St PMB 12"])
def test_mailboxes_are_not_a_residence(line1: str) -> None:
    result = check_address(doc(address=address(line1)), context())
    assert result is not None and result.flag == FlagCode.ADDRESS_MISMATCH
    assert "not a residence" in (result.message or "")


def test_low_confidence_digit_slip_warns() -> None:
    read = address("13 Elm St", "Apt 3")
    low = check_address(doc(source="ocr", confidence=0.5, address=read), context())
    assert low is not None and low.status == "warn" and low.flag is None
    sure = check_address(doc(source="ocr", confidence=0.95, address=read), context())
    assert sure is not None and sure.flag == FlagCode.ADDRESS_MISMATCH


def _lines(lines: list[tuple[str, float]]) -> PageText:
    words = [
        Word(text, confidence, (10 * j, 30 * i, 10 * j + 8, 30 * i + 20), 0, i)
        for i, (line, confidence) in enumerate(lines)
        for j, text in enumerate(line.split())
    ]
    return PageText(0, tuple(words), "ocr", 1000, 1400)  # type: ignore[arg-type]


def test_a_digit_slip_excused_only_where_its_own_word_was_unsure() -> None:
    """The block's confidence is its weakest word's: '13 Elm St' read at 0.97 under a city
    line read at 0.00 (MA-S10001-0003) is another house, not a slip."""
    read = address("13 Elm St", "Apt 3")
    unsure = doc(source="ocr", confidence=0.0, address=read)
    sure_number = replace(unsure, text=(_lines([("13 Elm St", 0.97), ("Hartford CT", 0.0)]),))
    result = check_address(sure_number, context())
    assert result is not None and result.flag == FlagCode.ADDRESS_MISMATCH
    slip = replace(unsure, text=(_lines([("13 Elm St", 0.5), ("Hartford CT", 0.97)]),))
    result = check_address(slip, context())
    assert result is not None and result.status == "warn" and result.flag is None


def test_identity_address_compared_only_when_in_state() -> None:
    licence = DocumentType.DRIVERS_LICENSE
    other = address("1 Main St", city="Albany", state="NY", zip_code="12203")
    out = check_address(doc(role="identity", doc_type=licence, address=other), context())
    assert out is not None and out.status == "pass" and "out-of-state" in (out.detail or "")
    moved = address("99 Oak St", city="Hartford", state="CT")
    flagged = check_address(doc(role="identity", doc_type=licence, address=moved), context())
    assert flagged is not None and flagged.flag == FlagCode.ADDRESS_MISMATCH


@pytest.mark.parametrize(
    ("program", "read", "flagged"),
    [
        ("CT", address("12 Elm St"), False),
        ("CT", address("1 Main St", city="Albany", state="NY", zip_code="12203"), True),
        ("CT", address("1 Main St", city="Boston", state="MA", zip_code="02108"), True),
        ("MA", address("1 Main St", city="Boston", state="MA", zip_code="02108"), False),
        ("MA", address("1 Main St", city="Hopkinton", state="MA", zip_code="05501"), False),
        ("MA", address("1 Main St", city="Providence", state="RI", zip_code="02906"), True),
        ("MA", address("1 Main St", city="Hartford", state="CT", zip_code="06106"), True),
        ("MA", address("1 Main St", city="Nashua", state=None, zip_code="03060"), True),
    ],
)
def test_state_by_state_and_zip_prefix(program: str, read, flagged: bool) -> None:
    result = check_state(doc(address=read), context(program))
    assert result is not None
    assert (result.flag == FlagCode.ADDRESS_OUT_OF_STATE) is flagged, result.detail


def test_state_and_zip_disagreeing_only_warns() -> None:
    read = address("12 Elm St", state="CT", zip_code="02108")
    result = check_state(doc(address=read), context())
    assert result is not None and result.status == "warn" and result.flag is None


def test_state_check_ignores_identity_documents() -> None:
    read = address("1 Main St", city="Albany", state="NY", zip_code="12203")
    licence = doc(role="identity", doc_type=DocumentType.DRIVERS_LICENSE, address=read)
    assert check_state(licence, context("MA")) is None


def test_parse_normalises_to_usps() -> None:
    a = parse_address(
        "123 North Main Street Apartment 4B", None, "boston", "massachusetts", "02108-1234"
    )
    assert (a.number, a.street, a.street_type, a.unit) == ("123", "N MAIN", "ST", "4B")
    assert (a.city, a.state, a.zip5) == ("BOSTON", "MA", "02108")


def test_identity_front_ocr_address_only_warns() -> None:
    moved = address("99 Oak St", city="Hartford", state="CT")
    licence = doc(role="identity", doc_type=DocumentType.DRIVERS_LICENSE, source="ocr",
                  confidence=0.95, address=moved)  # fmt: skip
    result = check_address(licence, context())
    assert result is not None and result.status == "warn" and result.flag is None


def test_ocr_zip_misread_warns_but_a_moved_zip_flags() -> None:
    misread = address("12 Elm St", "Apt 3", zip_code="96106")  # 0 read as 9
    result = check_address(doc(source="ocr", confidence=0.85, address=misread), context())
    assert result is not None and result.status == "warn" and result.flag is None
    moved = address("12 Elm St", "Apt 3", city="Hartford", zip_code="06114")
    flagged = check_address(doc(source="ocr", confidence=0.85, address=moved), context())
    assert flagged is not None and flagged.flag == FlagCode.ADDRESS_MISMATCH
