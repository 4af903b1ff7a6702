"""Round-four extraction fixes (issue #4): contract dates written with an ordinal day,
a month and year never read as a day, an AAMVA field number glued to a dotted surname,
and OCR's cent sign for the letter C in a unit."""

from __future__ import annotations

import datetime as dt

import pytest

from models.internal import PageText, Word
from pipeline.reading import extract
from pipeline.reading.dates import find_in_text
from pipeline.reading.layout import segments

REF = dt.date(2026, 5, 1)


def _line(text: str, x: int, y: int, h: int = 20, step: int = 14) -> list[Word]:
    out = []
    for tok in text.split():
        width = step * len(tok)
        out.append(Word(tok, 0.95, (x, y, x + width, y + h), 0, 0))
        x += width + step
    return out


def _segs(*lines: list[Word]) -> list:
    return segments(PageText(0, tuple(w for ln in lines for w in ln), "ocr", 1700, 2200))


def _dates(text: str) -> list[dt.date]:
    return [h.date for h in find_in_text(text, REF)]


def test_ordinal_day_of_month_is_parsed() -> None:
    assert _dates("entered into on the 11th day of February, 2026") == [dt.date(2026, 2, 11)]
    assert _dates("this 3rd day of Sept. 2026") == [dt.date(2026, 9, 3)]
    assert _dates("11th February 2026") == [dt.date(2026, 2, 11)]


def test_month_and_year_alone_is_no_date() -> None:
    assert _dates("Statement period: March 2025") == []
    assert _dates("Sept. 2026") == []
    assert _dates("March 14, 2029 and Mar 14 2029") == [dt.date(2029, 3, 14)] * 2


def test_lease_date_with_ordinal_day_wins_over_signature_date() -> None:
    one_line = _segs(
        _line("This Lease is made and entered into on the 11th day of February, 2026", 100, 100),
        _line("Tenant signature Date: 02/13/2026", 100, 600),
    )
    found = extract.document_date(one_line, REF)
    assert found is not None and found.value == dt.date(2026, 2, 11)


def test_field_number_glued_to_dotted_surname() -> None:
    segs = _segs(
        _line("1ST. PIERRE", 100, 100),
        _line("2 JEAN LUC", 100, 140),
        _line("3 DOB 01/02/1990", 100, 180),
    )
    fields = extract.extract_identity(segs, REF)
    assert fields["last_name"].value == "ST. PIERRE"
    assert fields["first_name"].value == "JEAN"


def test_cent_sign_in_unit_read_as_c() -> None:
    segs = _segs(_line("8 12 ELM ST APT 5¢", 100, 220), _line("HARTFORD, CT 06106", 100, 250))
    fields = extract.extract_identity(segs, REF)
    assert fields["address"].value.line2 == "APT 5C"


def test_garbled_ln_fn_labels_and_dollar_for_s() -> None:
    segs = _segs(
        _line("pt §28044781", 342, 146),
        _line("tn CHEN", 350, 237),
        _line("rN PRIYA JOSEPH", 350, 281),
    )
    fields = extract.extract_identity(segs, REF)
    assert fields["last_name"].value == "CHEN"
    assert fields["first_name"].value == "PRIYA"
    assert fields["document_number"].value == "S28044781"


def test_upper_case_tn_is_no_label() -> None:
    segs = _segs(_line("TN DRIVER LICENSE", 100, 100))
    assert "last_name" not in extract.extract_identity(segs, REF)


@pytest.mark.parametrize(
    ("name", "street", "city", "last", "first"),
    [
        ("O'BRIEN, RICHARD ANNE", "2 PLEASANT DR", "AMHERST, MA 01002-2059", "O'BRIEN", "RICHARD"),
        # "LN" of the street (Lane) is no family-name label (CT-S10004-0150)
        ("THOMPSON, JOSE EDWARD", "58 ELM LN APT 12", "MIDDLETOWN, CT 06457", "THOMPSON", "JOSE"),
    ],
)
def test_a_street_over_its_city_line_holds_no_name_label(
    name: str, street: str, city: str, last: str, first: str
) -> None:
    segs = _segs(
        _line("Name", 40, 150), _line(name, 40, 172), _line(street, 40, 210), _line(city, 40, 242)
    )
    fields = extract.extract_identity(segs, REF)
    assert (fields["last_name"].value, fields["first_name"].value) == (last, first)


def test_a_one_line_address_holds_no_name_label() -> None:
    one_line = _segs(
        _line("THOMPSON, JOSE", 40, 150), _line("58 ELM LN APT 12, HARTFORD, CT 06106", 40, 190)
    )
    assert extract.extract_identity(one_line, REF)["last_name"].value == "THOMPSON"


def test_irish_o_under_name_label_is_kept() -> None:
    segs = _segs(_line("Name", 40, 157), _line("O SUILLEABHAIN, JENNIFER", 40, 180))
    fields = extract.extract_identity(segs, REF)
    assert fields["last_name"].value.replace(" ", "") == "OSUILLEABHAIN"
    assert fields["first_name"].value == "JENNIFER"


def test_enye_read_as_fi_is_restored_in_surnames_only() -> None:
    assert extract._fix_enye("Pefia") == "Peña"
    assert extract._fix_enye("MUFIOZ") == "MUÑOZ"
    assert extract._fix_enye("Schofield") == "Schofield"
    assert extract._fix_enye("Sofia") == "Sofia"
