"""A residency proof whose street line was not read must not pass on city, state and ZIP
alone: the profile's street is looked for in the document's text (issue #5)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from models.flags import FlagCode
from models.internal import PageText
from pipeline.matching.addresses import find_street, parse_address
from pipeline.matching.checks import check_address
from tests.matching.builders import address, context, doc, text_page

# Profile: 12 Elm Street, Apt 3, Hartford CT 06106.
PROFILE = parse_address("12 Elm Street", "Apt 3", "Hartford", "CT", "06106")


def _page(lines: list[str], confidence: float = 0.95, source: str = "ocr") -> PageText:
    return text_page(lines, confidence, source)


def _bill(lines: list[str], confidence: float = 0.95, source: str = "ocr"):
    """A utility bill whose address field has city, state and ZIP but no street line."""
    d = doc(address=address(None), source=source, confidence=confidence)  # type: ignore[arg-type]
    return replace(d, text=(_page(lines, confidence, source),))


HEADER = ["Hartford Electric", "PO Box 5000", "Hartford, CT 06101", "Bill Date 11/02/2026"]


@pytest.mark.parametrize(
    "street",
    [
        "12 ELM ST APT 3",
        "12 Elm Street, Apt. 3",
        "12 Elm St #3",
        "Service address: 12 Elm St Unit 3",
        "l2 Elm St",  # OCR's l for 1
    ],
)
def test_profile_street_printed_in_the_text_passes(street: str) -> None:
    bill = _bill([*HEADER, "MARIA GONZALEZ-RIVERA", street, "HARTFORD, CT 06106-1234"])
    result = check_address(bill, context())
    assert result is not None and result.status == "pass", result.detail
    assert "printed in the document's text" in (result.detail or "")


@pytest.mark.parametrize("street", ["13 Elm St Apt 3", "112 Elm Street", "1 Elm St", "120 Elm St"])
def test_another_house_number_on_the_profile_street_is_a_mismatch(street: str) -> None:
    bill = _bill([*HEADER, "MARIA GONZALEZ-RIVERA", street, "HARTFORD, CT 06106"])
    result = check_address(bill, context())
    assert result is not None and result.flag == FlagCode.ADDRESS_MISMATCH
    assert result.evidence and result.evidence["differing"] == ["house number"]
    assert "house number" in (result.message or "")
    assert result.applicant_message


def test_street_name_is_ocr_tolerant_the_house_number_is_not() -> None:
    ctx = context(address={"line1": "2061 Washington Street", "city": "Hartford", "state": "CT",
                           "zip": "06106"})  # fmt: skip
    lines = [*HEADER, "MARIA GONZALEZ-RIVERA", "2061 Washlngton St", "HARTFORD, CT 06106"]
    result = check_address(_bill(lines), ctx)
    assert result is not None and result.status == "pass", result.detail
    lines[-2] = "2161 Washlngton St"
    result = check_address(_bill(lines), ctx)
    assert result is not None and result.flag == FlagCode.ADDRESS_MISMATCH


def test_another_street_type_is_a_mismatch() -> None:
    bill = _bill([*HEADER, "MARIA GONZALEZ-RIVERA", "12 Elm Avenue", "HARTFORD, CT 06106"])
    result = check_address(bill, context())
    assert result is not None and result.flag == FlagCode.ADDRESS_MISMATCH


def test_an_unsure_street_type_is_left_to_the_reviewer() -> None:
    """'12 Elm St' read '12 Elm Pt' at confidence 0.53 (MA-S9999-0026: 'Pl' read 'pt'):
    the same type word printed clearly stays a mismatch (above)."""
    bill = _bill([*HEADER, "MARIA GONZALEZ-RIVERA", "12 Elm Pt", "HARTFORD, CT 06106"])
    words = tuple(replace(w, confidence=0.53) if w.text == "Pt" else w for w in bill.text[0].words)
    bill = replace(bill, text=(replace(bill.text[0], words=words),))
    result = check_address(bill, context())
    assert result is not None and result.status == "warn" and result.flag is None
    assert "street type 'PT' vs profile 'ST'" in (result.detail or "")
    assert result.evidence and result.evidence["type_confidence"] == 0.53
    clear = _bill([*HEADER, "MARIA GONZALEZ-RIVERA", "12 Elm Pt", "HARTFORD, CT 06106"])
    assert check_address(clear, context()).flag == FlagCode.ADDRESS_MISMATCH  # type: ignore[union-attr]
    other_house = replace(bill, text=(replace(bill.text[0], words=tuple(
        replace(w, text="13") if w.text == "12" else w for w in words)),))  # fmt: skip
    assert check_address(other_house, context()).flag == FlagCode.ADDRESS_MISMATCH  # type: ignore[union-attr]


def test_street_absent_from_readable_text_is_a_mismatch() -> None:
    bill = _bill([*HEADER, "MARIA GONZALEZ-RIVERA", "88 Walnut Pl", "HARTFORD, CT 06106"])
    result = check_address(bill, context())
    assert result is not None and result.flag == FlagCode.ADDRESS_MISMATCH
    assert "not printed anywhere" in (result.message or "")


def test_street_absent_from_poor_ocr_text_warns() -> None:
    bill = _bill([*HEADER, "MAR1A G0NZ", "~~ ,, ..", "HARTFORD, CT 06106"], confidence=0.45)
    result = check_address(bill, context())
    assert result is not None and result.status == "warn" and result.flag is None
    assert "check the address by eye" in (result.detail or "")


def test_city_line_that_already_differs_is_the_usual_mismatch() -> None:
    bill = _bill([*HEADER, "12 Elm St", "NEW HAVEN, CT 06511"])
    bill = replace(
        bill,
        fields={
            **bill.fields,
            "address": replace(
                bill.fields["address"], value=address(None, city="New Haven", zip_code="06511")
            ),
        },
    )
    result = check_address(bill, context())
    assert result is not None and result.flag == FlagCode.ADDRESS_MISMATCH
    assert "ZIP code" in (result.evidence or {}).get("differing", [])


def test_identity_documents_keep_city_state_zip_comparison() -> None:
    card = replace(_bill(["12 Elm St"]), role="identity")
    result = check_address(card, context())
    assert result is not None and result.status == "pass"
    assert "printed in the document's text" not in (result.detail or "")


def test_find_street_keeps_the_house_number_exact() -> None:
    found = find_street(
        "2161 MAPLE AVE\nHARTFORD CT", parse_address("2061 Maple Avenue"), street_min=0.8
    )
    assert [(s.number, s.same_number, s.same_address) for s in found] == [("2161", False, False)]
    found = find_street("2O61 Maple Ave", parse_address("2061 Maple Avenue"), street_min=0.8)
    assert found and found[0].same_address
    found = find_street("258 Walnut Pl", parse_address("46 Walnut Place"), street_min=0.8)
    assert found and not found[0].same_number
    # a 5 read as a sign glued to the digits (MA-S10032-0061: "$56 Union Blvd" for 556)
    union = parse_address("556 Union Blvd")
    found = find_street("located at: $56 Union Blvd Unit 3A", union, street_min=0.8)
    assert found and found[0].same_address
    found = find_street("located at: $ 56 Union Blvd", union, street_min=0.8)
    assert found and not found[0].same_number  # a sign apart is no digit
    # a 0 read as an at sign glued to the digits (CT-S10088-0052: "5@ HIGHLAND ROAD")
    highland = parse_address("50 Highland Rd")
    found = find_street("LINH CASTILLO\n5@ HIGHLAND ROAD Account", highland, street_min=0.8)
    assert found and found[0].same_address
    found = find_street("5 @ HIGHLAND ROAD", highland, street_min=0.8)
    assert found and not found[0].same_number  # a sign apart is no digit


def test_find_street_ignores_directionals_and_other_streets() -> None:
    profile = parse_address("40 N Main St")
    assert find_street("40 North Main Street", profile, street_min=0.8)[0].same_address
    assert find_street("40 Maine St", profile, street_min=0.8)[0].same_address  # OCR noise
    assert not find_street("40 Elm St", profile, street_min=0.8)
    assert not find_street("Main St", profile, street_min=0.8)


def test_the_city_after_a_street_without_type_is_no_street_type() -> None:
    """'871 Prospec' cut at a lease's edge, 'Fall River' on the next line (MA-O4103-0013):
    FALL is a USPS street type, but here it opens the profile's city."""
    profile = parse_address("871 Prospect St", city="Fall River")
    found = find_street("at 871 Prospec\nFall River, Massachusetts", profile, street_min=0.8)
    assert found and found[0].same_address and found[0].street_type is None
    other = find_street("at 871 Prospect Fall\nSomerset", profile, street_min=0.8)
    assert other and not other[0].same_address


def test_the_citys_last_word_after_a_cut_line_is_no_street_type() -> None:
    """'located at 2779 Union' cut at a lease's edge ('Dr, New' lost), 'Haven, Connecticut
    06513' on the next line (CT-O4171-0043): HAVEN is a USPS street type, but here it ends
    the profile's city, its state and ZIP after it. Without them it stays a street type."""
    profile = parse_address("2779 Union Dr", city="New Haven", state="CT", zip_code="06513")
    text = "located at 2779 Union\nHaven, Connecticut 06513 (the Premises)"
    found = find_street(text, profile, street_min=0.8)
    assert found and found[0].same_address and found[0].street_type is None
    found = find_street("at 2779 Union\nHaven, CT 06513", profile, street_min=0.8)
    assert found and found[0].same_address
    other = find_street("at 2779 Union Haven\nHamden", profile, street_min=0.8)
    assert other and not other[0].same_address and other[0].street_type == "HVN"


def test_bill_without_any_address_block_is_searched_too() -> None:
    bill = _bill([*HEADER, "MARIA GONZALEZ-RIVERA", "13 Elm St Apt 3", "HARTFORD, CT06106"])
    bill = replace(bill, fields={})
    result = check_address(bill, context())
    assert result is not None and result.flag == FlagCode.ADDRESS_MISMATCH
    bill = replace(bill, text=(_page([*HEADER, "12 Elm St Apt 3", "HARTFORD, CT06106"]),))
    result = check_address(bill, context())
    assert result is not None and result.status == "pass"
    bill = replace(bill, text=(_page([*HEADER, "Thank you for your payment"]),))
    result = check_address(bill, context())
    assert result is not None and result.status == "warn" and result.flag is None


def test_misread_house_number_with_the_profile_address_printed_elsewhere_warns() -> None:
    """A bill prints the address twice (letter and stub): one OCR slip in one of them is a
    misread; a bill addressed to another house prints that other number everywhere."""
    slipped = _bill(["MARIA GONZALEZ-RIVERA", "17 Elm St Apt 3", "HARTFORD, CT 06106",
                     "MARIA GONZALEZ-RIVERA", "12 Elm St Apt 3", "HARTFORD, CT 06106"])  # fmt: skip
    slipped = replace(
        slipped,
        fields={"address": replace(slipped.fields["address"], value=address("17 Elm St", "Apt 3"))},
    )
    result = check_address(slipped, context())
    assert result is not None and result.status == "warn" and result.flag is None
    other = replace(slipped, text=(_page(["17 Elm St Apt 3", "HARTFORD, CT 06106"] * 2),))
    result = check_address(other, context())
    assert result is not None and result.flag == FlagCode.ADDRESS_MISMATCH


def test_a_wrong_line_taken_for_the_street_is_excused_by_the_address_printed_elsewhere() -> None:
    """A name line read as the street ('6 SUILLEABHAIN III') while the profile's street
    address is printed on the page: a misread block, not another address; a different
    ZIP is never excused that way."""
    page = ["MARIA GONZALEZ-RIVERA", "12 Elm St Apt 3", "HARTFORD, CT 06106"]
    bill = _bill(page)
    bill = replace(
        bill, fields={"address": replace(bill.fields["address"], value=address("6 Suilleabhain"))}
    )
    result = check_address(bill, context())
    assert result is not None and result.status == "warn" and result.flag is None
    elsewhere = ["MARIA GONZALEZ-RIVERA", "12 Elm St Apt 3", "HARTFORD, CT 06107"]
    other_zip = replace(bill, text=(_page(elsewhere),))
    other_zip = replace(
        other_zip,
        fields={
            "address": replace(
                bill.fields["address"], value=address("12 Elm St", "Apt 3", zip_code="06107")
            )
        },
    )
    result = check_address(other_zip, context())
    assert result is not None and result.flag == FlagCode.ADDRESS_MISMATCH


def test_street_missing_from_well_read_text_is_left_to_the_reviewer() -> None:
    """The street line may be where OCR failed (a shadow) on a page that reads well: with
    no other street over the city line, that is a warning, not ADDRESS_MISMATCH."""
    bill = _bill([*HEADER, "MARIA GONZALEZ-RIVERA", "HARTFORD, CT 06106", "Amount due $42.10"])
    result = check_address(bill, context())
    assert result is not None and result.status == "warn" and result.flag is None


LEASE = [
    "This Lease Agreement is made on the 16th day of March, 2026, between Harbor Realty",
    "1. PREMISES. Landlord hereby leases to Tenant the dwelling located at {street}",
    'Hartford, Connecticut 06106 (the "Premises"), together with the fixtures and',
]


@pytest.mark.parametrize("street", ["12 Highlan", "12 Oak Hill R", "12 Maple"])
def test_another_street_run_into_the_city_in_a_sentence_is_a_mismatch(street: str) -> None:
    """A lease cut at the right edge: 'located at 51 Highlan' | 'New Britain, Connecticut
    06053' (CT-O4249-0014), no comma left between street and city: the street written
    before the profile's city is clearly another."""
    lease = _bill([LEASE[0], LEASE[1].format(street=street), LEASE[2]])
    result = check_address(lease, context())
    assert result is not None and result.flag == FlagCode.ADDRESS_MISMATCH, result.detail
    assert "right before the profile's city" in (result.message or "")


@pytest.mark.parametrize("street", ["12 El", "12 Elm", "12 Elrn"])
def test_the_profile_street_cut_or_slipped_before_the_city_is_not_a_mismatch(street: str) -> None:
    """Its start cut at the edge, or an OCR slip of it: left to the reviewer."""
    lease = _bill([LEASE[0], LEASE[1].format(street=street), LEASE[2]])
    result = check_address(lease, context())
    assert result is not None and result.flag is None, result.detail


def test_another_street_read_unsurely_before_the_city_is_left_to_the_reviewer() -> None:
    lease = _bill([LEASE[0], LEASE[1].format(street="12 Highlan"), LEASE[2]], confidence=0.5)
    result = check_address(lease, context())
    assert result is not None and result.status == "warn" and result.flag is None


def test_a_number_then_the_holders_name_over_the_city_is_no_street() -> None:
    lease = _bill([*HEADER, "Account 4471 Maria Gonzalez-Rivera", "HARTFORD, CT 06106"])
    result = check_address(lease, context())
    assert result is not None and result.status == "warn" and result.flag is None
