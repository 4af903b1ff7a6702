"""Cards unlike our own (issue #4): a minor's "UNDER 21 UNTIL" date is never the DOB,
expiry or issue date, and values still read when OCR garbles a small grey label
("LN" read "iv", "4d DLN" read "ation")."""

from __future__ import annotations

import datetime as dt

import pytest

from models.internal import PageText, Word
from pipeline.reading import extract
from pipeline.reading.layout import segments

REF = dt.date(2026, 3, 1)


def _line(text: str, x: int, y: int, h: int = 26, label_h: int = 0) -> list[Word]:
    """Words of one line; with `label_h`, the first word is a small label of that height."""
    out = []
    for i, tok in enumerate(text.split()):
        height = label_h if i == 0 and label_h else h
        width = 14 * len(tok)
        out.append(Word(tok, 0.95, (x, y + h - height, x + width, y + h), 0, 0))
        x += width + 14
    return out


def _segs(*lines: list[Word]) -> list:
    return segments(PageText(0, tuple(w for ln in lines for w in ln), "ocr", 640, 1012))


@pytest.mark.parametrize(
    "band", ["UNDER 21 UNTIL", "UNDER 18 UNTIL", "AGE 21 ON", "21 ON", "Under 21 until:"]
)
def test_age_band_date_is_never_dob_expiry_or_issue(band: str) -> None:
    segs = _segs(_line(f"{band} 05/14/2027", 30, 420), _line("DLN 123456789", 30, 480))
    fields = extract.identity_dates(segs, REF)
    assert not {"date_of_birth", "expiry_date", "issue_date"} & set(fields)


@pytest.mark.parametrize(
    "token", ["21'UNTIL*10-04-2009", "21 UNTIL:10-04-2009", "21~UNTIL_10-04-2009"]
)
def test_age_band_glued_to_its_date_by_ocr_marks_is_skipped(token: str) -> None:
    segs = _segs(
        _line(f"IDENTIFICATION CARD | UNDER {token}", 30, 420),
        _line("2 ANTHONY 3 2964 WALNUT RD", 30, 480),
        _line("4b EXP 10-26-2029", 30, 530),
    )
    fields = extract.identity_dates(segs, REF)
    assert "date_of_birth" not in fields and "issue_date" not in fields
    assert fields["expiry_date"].value == dt.date(2029, 10, 26)


def test_age_band_date_on_its_own_line_is_skipped() -> None:
    segs = _segs(
        _line("UNDER 21 UNTIL", 30, 420),
        _line("05/14/2027", 30, 460),
        _line("EXP 05/14/2031", 30, 520),
    )
    fields = extract.identity_dates(segs, REF)
    assert fields["expiry_date"].value == dt.date(2031, 5, 14)
    assert "date_of_birth" not in fields and "issue_date" not in fields


def test_labelled_dates_still_read_beside_age_band() -> None:
    segs = _segs(
        _line("UNDER 21 UNTIL 05/14/2027", 30, 420),
        _line("DOB 05/14/2006", 30, 480),
        _line("EXP 05/14/2031", 30, 530),
    )
    fields = extract.identity_dates(segs, REF)
    assert fields["date_of_birth"].value == dt.date(2006, 5, 14)
    assert fields["expiry_date"].value == dt.date(2031, 5, 14)


def test_age_band_confirms_a_dob_read_by_order() -> None:
    def dob(band_date: str) -> float:
        segs = _segs(
            _line(f"UNDER 21 UNTIL {band_date}", 30, 420),
            _line("pos 05/14/2006", 30, 480, label_h=14),
        )
        fields = extract.identity_dates(segs, REF)
        assert fields["date_of_birth"].value == dt.date(2006, 5, 14)
        return fields["date_of_birth"].confidence

    assert dob("05/14/2027") > dob("05/15/2027")


def test_valid_until_is_still_an_expiry() -> None:
    fields = extract.identity_dates(_segs(_line("VALID UNTIL 05/14/2031", 30, 420)), REF)
    assert fields["expiry_date"].value == dt.date(2031, 5, 14)


def _ln_fn_card(last_label_h: int, first: str = "DANIEL") -> list:
    return _segs(
        _line("ot 044683693", 28, 124, 28, label_h=16),
        _line("iv OKAFOR", 29, 183, 28, label_h=last_label_h),
        _line(f"en {first}", 31, 234, 25, label_h=14),
        _line("387 CHESTNUT LN", 32, 288, 24),
        _line("TORRINGTON, CT 06790", 32, 326, 24),
    )


def test_garbled_small_labels_give_the_names_and_number() -> None:
    fields = extract.extract_identity(_ln_fn_card(15), REF)
    assert fields["last_name"].value == "OKAFOR"
    assert fields["first_name"].value == "DANIEL"
    assert fields["document_number"].value == "044683693"


def test_full_height_short_word_is_no_label() -> None:
    # "IV OKAFOR" in the value's own type: no small label, the line is no plain name
    fields = extract.extract_identity(_ln_fn_card(28), REF)
    assert "last_name" not in fields and "first_name" not in fields


def test_garbled_labels_stay_blank_when_order_is_unknown() -> None:
    fields = extract.extract_identity(_ln_fn_card(15, first="QUORVAN"), REF)
    assert "last_name" not in fields and "first_name" not in fields


def test_longer_small_label_before_number() -> None:
    segs = _segs(
        _line("UNDER 21 UNTIL 07/14/1994", 21, 451, 24),
        _line("ation 669449456", 19, 508, 25, label_h=14),
        _line("sow §$40475126", 19, 560, 25, label_h=14),
    )
    assert extract.extract_identity(segs, REF)["document_number"].value == "669449456"
    assert extract.extract_identity(segs[2:], REF)["document_number"].value == "S40475126"


def test_longer_full_height_word_blocks_the_number() -> None:
    segs = _segs(_line("ACCOUNT 669449456", 19, 508, 25))
    assert "document_number" not in extract.extract_identity(segs, REF)


@pytest.mark.parametrize("label", ["3008", "3 D08", "0OB"])
def test_a_dob_label_read_as_digits_still_labels_the_dob(label: str) -> None:
    """CT-O4183-0049: "3 DOB" read "3008", and the card's age date misread 08-30-1936 (for
    1986) on a line of its own: as the oldest unlabelled date it became the DOB."""
    segs = _segs(
        _line(f"{label} 08-30-1965", 30, 600),
        _line("4b EXP 08-18-2031", 30, 650),
        _line("08-30-1936", 30, 900),
    )
    fields = extract.identity_dates(segs, REF)
    assert fields["date_of_birth"].value == dt.date(1965, 8, 30)
    assert fields["expiry_date"].value == dt.date(2031, 8, 18)


def test_a_year_before_a_date_is_no_dob_label() -> None:
    segs = _segs(_line("15 MAR 2008 14 MAR 2018", 30, 600), _line("DOB 01/02/1970", 30, 650))
    fields = extract.identity_dates(segs, REF)
    assert fields["date_of_birth"].value == dt.date(1970, 1, 2)
