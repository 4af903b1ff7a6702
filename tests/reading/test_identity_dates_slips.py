"""A vertical under-21 card's caption with a mark glued on ("UNDER 21 UNTILS10-24-2004")
still names the day the holder turns 21, not the DOB; a DOB whose '1' was read as 'L'
("LO-24-1983") is still read (MA-O3831-0058: a clean application flagged DOB_MISMATCH
and BARCODE_MISMATCH)."""

from __future__ import annotations

import datetime as dt

from pipeline.reading import extract
from pipeline.reading.dates import find_in_text
from tests.reading.synth import line_segments, line_words

REF = dt.date(2026, 1, 29)


def test_a_glued_age_caption_is_no_date_of_birth() -> None:
    segs = line_segments(
        line_words("MASSACHUSETTS DRIVER LICENSE", 100, 60),
        line_words("UNDER 21 UNTILS10-24-2004", 100, 100),
        line_words("1 MURPHY", 100, 160),
        line_words("2 RENEE MARIE", 100, 190),
        line_words("4b EXP 10-26-2027", 100, 300),
    )
    dob = extract.identity_dates(segs, REF).get("date_of_birth")
    assert dob is None or dob.value != dt.date(2004, 10, 24)


def test_a_one_read_as_capital_l_in_a_numeric_date() -> None:
    hits = find_in_text("3 DOB LO-24-1983", REF, "past")
    assert [h.date for h in hits] == [dt.date(1983, 10, 24)]


def test_slashes_read_as_ones() -> None:
    """'exe 1210512024' on an outside licence (CT-O4101-0071): its expiry lost, the
    expired licence passed."""
    assert [h.date for h in find_in_text("exe 1210512024 A", REF)] == [dt.date(2024, 12, 5)]
    assert [h.date for h in find_in_text("12/0512024", REF)] == [dt.date(2024, 12, 5)]
    assert find_in_text("DLN 660734803", REF) == []
    assert find_in_text("ID 4410512024", REF) == []  # no month or day 44


def test_the_expiry_read_with_ones_for_slashes_comes_by_order() -> None:
    segs = line_segments(
        line_words("pos 03/20/1969 sex F", 100, 300),
        line_words("iss 12/07/2016", 100, 330),
        line_words("exe 1210512024", 420, 330),
    )
    dates = extract.identity_dates(segs, REF)
    assert dates["expiry_date"].value == dt.date(2024, 12, 5)
    assert dates["date_of_birth"].value == dt.date(1969, 3, 20)


def test_a_place_of_birth_label_names_no_date() -> None:
    """'Place of Birth' over '30 AUG 2022 14 SEP 2032' on a passport card whose DOB label
    was lost: the issue date was taken for the DOB (CT-O4111-0050)."""
    segs = line_segments(
        line_words("M 18 MAY 1940", 100, 200),
        line_words("ISLAND, U.S.A.", 100, 240),
        line_words("Place of Birth", 100, 270),
        line_words("30 AUG 2022 14 SEP 2032", 100, 300),
    )
    dates = extract.identity_dates(segs, REF)
    assert dates["date_of_birth"].value == dt.date(1940, 5, 18)
    tail = line_segments(
        line_words("M 18 MAY 1940", 100, 200),
        line_words("Place", 100, 270),
        line_words("of Birth", 400, 270),
        line_words("30 AUG 2022", 400, 300),
    )
    assert extract.identity_dates(tail, REF)["date_of_birth"].value == dt.date(1940, 5, 18)


def _card(dob: str, exp: str = "03-19-2030", iss: str = "03-25-2022") -> dict:
    segs = line_segments(
        line_words("MASSACHUSETTS DRIVER LICENSE", 100, 60),
        line_words(f"EXP {exp} ISS {iss}", 100, 120),
        line_words("LN GONZALEZ-RIVERA", 100, 160),
        line_words("FN ELIZABETH JOSEPH", 100, 190),
        line_words(f"DOB {dob}", 100, 300),
    )
    return {k: v.value for k, v in extract.identity_dates(segs, REF).items()}


def test_a_date_only_the_other_order_reads_is_a_misread_on_a_card() -> None:
    """MA-S10087-0040: a licence photographed upside down read its DOB 11-02-1942 as
    "14-02-1942" (February 14) beside an expiry and an issue date that can only be month
    first: its barcode disagreed, and a clean holder was flagged DOB_MISMATCH and
    BARCODE_MISMATCH. The card prints its dates one way."""
    dates = _card("14-02-1942")
    assert "date_of_birth" not in dates
    assert dates["expiry_date"] == dt.date(2030, 3, 19)
    assert _card("11-02-1942")["date_of_birth"] == dt.date(1942, 11, 2)  # either way: as is
    # one date against it is not enough, nor an even count, nor another separator
    assert _card("14-02-1942", iss="03-05-2022")["date_of_birth"] == dt.date(1942, 2, 14)
    assert _card("14-02-1942", iss="25-03-2022")["date_of_birth"] == dt.date(1942, 2, 14)
    assert _card("14/02/1942")["date_of_birth"] == dt.date(1942, 2, 14)
