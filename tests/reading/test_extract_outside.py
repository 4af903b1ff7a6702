"""Extraction on layouts unlike our own (issue #4 generalisation): the bill / statement
date label family, month names between hyphens, a statement dated by its period's end,
a lease's premises written in a sentence, an unlabelled two-line name on a card, an
agency letter's ID, and AAMVA field number 8 glued to the house number."""

from __future__ import annotations

import datetime as dt

import pytest

from models.flags import DocumentType
from models.internal import PageText, Word
from pipeline.reading import extract
from pipeline.reading.dates import find_in_text
from pipeline.reading.layout import segments

REF = dt.date(2026, 3, 1)


def _line(text: str, x: int, y: int, h: int = 20, step: int = 14) -> list[Word]:
    out = []
    for tok in text.split():
        width = step * len(tok)
        out.append(Word(tok, 0.95, (x, y, x + width, y + h), 0, 0))
        x += width + step
    return out


def _segs(*lines: list[Word]) -> list:
    return segments(PageText(0, tuple(w for ln in lines for w in ln), "ocr", 1700, 2200))


@pytest.mark.parametrize(
    "text",
    ["17-FEB-2026", "FEB-17-2026", "17 Feb 26", "2026/02/17", "Feb. 17th, 2026", "17/Feb/2026"],
)
def test_common_date_styles_are_parsed(text: str) -> None:
    assert [h.date for h in find_in_text(text, REF, "past")] == [dt.date(2026, 2, 17)]


def test_hyphenated_month_needs_a_day_and_a_year() -> None:
    assert find_in_text("Ref 12-FEB", REF) == []
    assert find_in_text("FEB-2026", REF) == []
    assert find_in_text("12-FEB/2026", REF) == []  # separators must agree


@pytest.mark.parametrize(
    "label",
    ["Date Mailed:", "Mail Date", "Date Issued", "Issue Date:", "Invoice Date", "Date of Bill",
     "Notice Date", "Closing Date", "Billing Date", "Statement Date", "Date of Issue"],
)  # fmt: skip
def test_bill_date_label_family(label: str) -> None:
    segs = _segs(_line(f"{label} 17-FEB-2026", 100, 100), _line("Due Date 03/10/2026", 100, 160))
    found = extract.document_date(segs, REF)
    assert found is not None and found.value == dt.date(2026, 2, 17)


@pytest.mark.parametrize(
    "label", ["Due Date", "Payment Due", "Service Period", "Read Dates", "Next read"]
)
def test_due_and_service_dates_are_no_bill_date(label: str) -> None:
    assert extract._doc_date_weight(label) is None


@pytest.mark.parametrize(
    "line",
    ["Statement period: Jan 1 - Jan 31, 2026", "For the period 01/01/2026 to 01/31/2026",
     "Statement Period 01/01/26 through 01/31/26", "Period ending 01/31/2026"],
)  # fmt: skip
def test_statement_dated_by_its_period_end(line: str) -> None:
    segs = _segs(_line("FIRST BANK", 100, 50), _line(line, 100, 100))
    found = extract.document_date(segs, REF, period_end=True)
    assert found is not None and found.value == dt.date(2026, 1, 31)
    fields = extract.extract_residency(segs, REF, DocumentType.BANK_STATEMENT)
    assert fields["document_date"].value == dt.date(2026, 1, 31)


def test_service_period_is_no_bill_date() -> None:
    segs = _segs(_line("Service period 01/01/2026 to 01/31/2026", 100, 100))
    bill = extract.extract_residency(segs, REF, DocumentType.UTILITY_BILL)
    assert "document_date" not in bill
    assert extract.document_date(segs, REF, period_end=True) is None  # a service period
    policy = _segs(_line("Policy period 01/01/2025 to 01/01/2026", 100, 100))
    assert extract.document_date(policy, REF, period_end=True) is None


def test_explicit_statement_date_beats_period_end() -> None:
    segs = _segs(
        _line("Statement Date: 02/03/2026", 100, 60),
        _line("For the period 01/01/2026 to 01/31/2026", 100, 100),
    )
    found = extract.document_date(segs, REF, period_end=True)
    assert found is not None and found.value == dt.date(2026, 2, 3)


def test_lease_premises_in_a_sentence() -> None:
    segs = _segs(
        _line("1. PREMISES. Landlord leases to Tenant the dwelling located at 215", 100, 100),
        _line("Madison Drive, Apt 3, New Britain, Connecticut 06053 (the Premises)", 100, 130),
    )
    found = extract.extract_residency(segs, REF, DocumentType.LEASE)["address"].value
    assert (found.line1, found.line2, found.city, found.state, found.zip) == (
        "215 MADISON DRIVE", "APT 3", "NEW BRITAIN", "CT", "06053"
    )  # fmt: skip


def test_prose_without_premises_phrase_gives_no_address() -> None:
    segs = _segs(_line("Rent is paid at 12 Main St, Hartford, Connecticut 06106 monthly", 100, 100))
    assert extract.prose_address(segs) is None


def _card(top: str, bottom: str, extra: str | None = None) -> list:
    lines = [_line("CONNECTICUT", 20, 20, h=30), _line("NO. 215273806", 320, 110)]
    if extra:
        lines.append(_line(extra, 320, 120, h=30))
    lines += [
        _line(top, 320, 160, h=30),
        _line(bottom, 320, 204, h=28),
        _line("215 MADISON DR", 320, 256, h=24),
        _line("NEW BRITAIN, CT 06053", 320, 290, h=24),
        _line("DATE OF BIRTH", 320, 348, h=14),
        _line("08/08/1942", 320, 368, h=28),
    ]
    return _segs(*lines)


def _names(fields: dict) -> dict:
    return {k: v.value for k, v in fields.items() if k.endswith("_name")}


def test_two_line_name_family_over_given() -> None:
    fields = extract.extract_identity(_card("CASTILLO", "SIOBHAN"), REF)
    assert _names(fields) == {"last_name": "CASTILLO", "first_name": "SIOBHAN"}


def test_two_line_name_given_over_family() -> None:
    fields = extract.extract_identity(_card("SIOBHAN MARIE", "CASTILLO"), REF)
    assert _names(fields) == {
        "last_name": "CASTILLO", "first_name": "SIOBHAN", "middle_name": "MARIE"
    }  # fmt: skip


def test_two_line_name_left_out_when_order_is_unknown() -> None:
    assert _names(extract.extract_identity(_card("CASTILLO", "OKAFOR"), REF)) == {}
    assert _names(extract.extract_identity(_card("JAMES", "THOMAS"), REF)) == {}
    # a family name that is also a given name, over given names: no safe order
    assert _names(extract.extract_identity(_card("MARTIN", "PRIYA MARIE"), REF)) == {}


def test_a_labelled_name_line_is_no_value_of_the_label_above() -> None:
    """CT-S10059-0083: "LN OQ SUILLEABHAIN" (the particle O read "OQ" at 0.09, a tall mark
    dropped as noise, which left "LN" alone) took the line under it, "FN CHRISTOPHER", for
    the family name."""
    segs = _segs(
        [
            Word("LN", 0.79, (30, 104, 54, 117), 0, 0),
            Word("OQ", 0.09, (81, 78, 99, 140), 0, 0),
            Word("SUILLEABHAIN", 0.93, (104, 100, 370, 125), 0, 0),
        ],
        _line("FN CHRISTOPHER", 30, 140, h=24),
        _line("906 MILL RD", 30, 180, h=24),
        _line("PROVIDENCE, RI 02908-1373", 30, 220, h=24),
    )
    names = _names(extract.extract_identity(segs, REF))
    assert names.get("last_name") != "FN CHRISTOPHER" and names["first_name"] == "CHRISTOPHER"


def test_card_header_is_no_name_line() -> None:
    assert _names(extract.extract_identity(_card("DRIVER LICENSE", "SIOBHAN"), REF)) == {}


def test_another_states_name_over_given_names_is_a_family_name() -> None:
    """CT-O4209-0074: "WASHINGTON" / "ELIZABETH MAE" over a Milford, CT address, its
    signature "Elizabeth Washington": a family name, where only the card's own state's
    name over the address would be its header."""
    fields = extract.extract_identity(_card("WASHINGTON", "ELIZABETH MAE"), REF)
    assert _names(fields) == {
        "last_name": "WASHINGTON", "first_name": "ELIZABETH", "middle_name": "MAE"
    }  # fmt: skip
    assert _names(extract.extract_identity(_card("CONNECTICUT", "ELIZABETH MAE"), REF)) == {}


def test_letter_id_is_the_document_number() -> None:
    segs = _segs(_line("Letter ID: L1234567890", 900, 100))
    found = extract.reference_number(segs)
    assert found is not None and found.value == "L1234567890"


def _numbered_card(street: list[Word]) -> list:
    return _segs(
        _line("1 CASTILLO", 30, 100, h=24),
        _line("2 SIOBHAN", 30, 140, h=24),
        street,
        _line("NEW BRITAIN, CT 06053", 52, 220, h=24),
    )


def test_field_eight_read_as_a_letter_before_the_house_number() -> None:
    """CT-O4211-0088: "8 5 ELM LN # 2A" read "a5 ELM LN # 2A" (the small field number as
    "a", like "aexe" for "4b EXP"): the street line was refused and the given-name line
    "2 SIOBHAN" above it taken for the street."""
    glued = [Word("a5", 0.95, (30, 180, 60, 204), 0, 0), *_line("ELM LN # 2A", 70, 180, h=24)]
    found = extract.extract_identity(_numbered_card(glued), REF)["address"].value
    assert (found.line1, found.line2) == ("5 ELM LN", "# 2A")


def test_field_eight_glued_to_house_number() -> None:
    glued = [Word("8138", 0.9, (30, 180, 86, 204), 0, 0), *_line("MAPLE PL", 100, 180, h=24)]
    found = extract.extract_identity(_numbered_card(glued), REF)["address"].value
    assert found.line1 == "138 MAPLE PL"


def test_house_number_starting_with_eight_is_kept() -> None:
    aligned = _segs(
        _line("CASTILLO", 52, 100, h=24),
        _line("812 MAPLE PL", 52, 180, h=24),
        _line("NEW BRITAIN, CT 06053", 52, 220, h=24),
    )
    assert extract.extract_identity(aligned, REF)["address"].value.line1 == "812 MAPLE PL"
