"""Date finding and parsing: every common format, OCR noise, two-digit years, word boxes."""

from __future__ import annotations

import datetime as dt

import pytest

from models.internal import Word
from pipeline.reading.dates import century, find_in_text, find_in_words, parse_date

REF = dt.date(2026, 11, 20)
D = dt.date(2029, 3, 14)


@pytest.mark.parametrize(
    "text",
    [
        "03/14/2029",
        "3/14/29",
        "2029-03-14",
        "2029/03/14",
        "14 MAR 2029",
        "14MAR2029",
        "14 Mar/Mars 2029",
        "March 14, 2029",
        "Mar 14 2029",
        "MAR. 14TH, 2029",
        "14.03.2029",
        "03-14-2029",
        "EXP 03/14/2029",
        "4bEXP03/14/2029",
        "Expires: 14 March 2029.",
    ],
)
def test_formats(text: str) -> None:
    assert parse_date(text, REF) == D


@pytest.mark.parametrize("text", ["O3/l4/2029", "03/14/2O29", "03/I4/2029"])
def test_ocr_noise_inside_a_date_is_repaired(text: str) -> None:
    assert parse_date(text, REF) == D


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Statement Date 14-0CT-2625", dt.date(2025, 10, 14)),
        ("0CT 14, 2025", dt.date(2025, 10, 14)),
        ("due 3 0ct. 2026", dt.date(2026, 10, 3)),
    ],
)
def test_october_with_a_zero_for_its_o_is_october(text: str, day: dt.date) -> None:
    """CT-O4237-0033: "14-0CT-2625" (a zero for October's O, and for the year's 0) gave no
    date at all, and a water bill 236 days old passed unflagged."""
    assert [h.date for h in find_in_text(text, REF, "past", zero_slips=True)] == [day]


@pytest.mark.parametrize("text", ["Account 10CT 5", "0CT", "REF 0CT-A12"])
def test_a_zero_before_ct_elsewhere_stays(text: str) -> None:
    assert find_in_text(text, REF, "past", zero_slips=True) == []


@pytest.mark.parametrize(
    "text",
    [
        "Account 4471-2209",
        "ID 123-45-6789",
        "Phone 860.555.1212",
        "Total 12/34",
        "Old ML 14/2029",
        "13/13/2029",
    ],
)
def test_non_dates_are_not_dates(text: str) -> None:
    assert find_in_text(text, REF) == []


def test_day_first_when_the_first_number_cannot_be_a_month() -> None:
    assert parse_date("25/12/2026", REF) == dt.date(2026, 12, 25)


def test_day_first_when_asked() -> None:
    assert parse_date("04/05/2026", REF, day_first=True) == dt.date(2026, 5, 4)
    assert parse_date("04/05/2026", REF) == dt.date(2026, 4, 5)


def test_four_digit_year_beats_an_overlapping_two_digit_reading() -> None:
    assert parse_date("2 MAY 12 1990", REF) == dt.date(1990, 5, 12)


def test_several_dates_in_a_line_in_order() -> None:
    hits = find_in_text("Service period 09/25/2026 - 10/24/2026", REF)
    assert [h.date for h in hits] == [dt.date(2026, 9, 25), dt.date(2026, 10, 24)]


def test_two_digit_years_relative_to_the_reference() -> None:
    assert century(81, True, "past", REF) == 1981
    assert century(26, True, "past", REF) == 2026
    assert century(30, True, "past", REF) == 1930
    assert century(30, True, "future", REF) == 2030
    assert century(1930, False, "future", REF) == 1930
    assert parse_date("DOB 3/14/81", REF, "past") == dt.date(1981, 3, 14)


def test_found_date_keeps_its_words_and_box() -> None:
    words = [
        Word("DOB", 0.9, (10, 10, 50, 30), 0, 0),
        Word("14", 0.8, (60, 10, 80, 30), 0, 0),
        Word("MAR", 0.95, (85, 10, 130, 30), 0, 0),
        Word("1981", 0.9, (135, 10, 190, 30), 0, 0),
    ]
    (found,) = find_in_words(words, REF, "past")
    assert found.date == dt.date(1981, 3, 14)
    assert found.box == (60, 10, 190, 30)
    assert found.confidence == 0.8
    assert [w.text for w in found.words] == ["14", "MAR", "1981"]
