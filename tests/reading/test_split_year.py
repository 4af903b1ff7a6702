"""A month-name date whose year OCR split before its last digit, that digit read as a
tall, unsure "i," (MA-O4225-0032: a passport's printed "06 APR 2031" read "06 APR 203 i,"
on a page of small labels; the glyph was dropped as tall noise, the printed expiry was
lost, and with it the witness that the zone's expiry check digit had been altered)."""

from __future__ import annotations

import datetime as dt

import pytest

from models.internal import PageText, Word
from pipeline.reading import dates
from pipeline.reading.extract import identity_dates
from pipeline.reading.layout import segments

REF = dt.date(2026, 11, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("06 APR 203 i,", dt.date(2031, 4, 6)),
        ("15-MAR-202 1", dt.date(2021, 3, 15)),
        ("APR 6, 202 6", dt.date(2026, 4, 6)),
        ("10 FEB 199 l", dt.date(1991, 2, 10)),
    ],
)
def test_a_split_year_is_joined(text: str, expected: dt.date) -> None:
    hits = dates.find_in_text(text, REF)
    assert [h.date for h in hits] == [expected]
    assert hits[0].end > text.rindex(" ")  # the span reaches the word of the last digit


@pytest.mark.parametrize("text", ["06 APR 203", "12 MAR 202 12", "06 APR 203 iX", "PAGE 203 1"])
def test_no_year_is_made_up(text: str) -> None:
    assert dates.find_in_text(text, REF) == []


def _labels(n: int) -> list[Word]:
    """A page's many small labels, 13 px high: they set its median word height."""
    return [
        Word(f"Label{i}", 0.95, (40, 20 + 20 * i, 90, 33 + 20 * i), 0, 40 + i) for i in range(n)
    ]


def _passport_page(glued_left: int) -> PageText:
    words = [
        *_labels(12),
        Word("Date", 0.96, (380, 546, 410, 560), 0, 1),
        Word("of", 0.96, (414, 546, 428, 560), 0, 1),
        Word("expiration", 0.95, (432, 546, 520, 560), 0, 1),
        Word("06", 0.96, (382, 571, 411, 591), 0, 2),
        Word("APR", 0.97, (429, 571, 477, 591), 0, 2),
        Word("203", 0.96, (495, 571, 541, 591), 0, 2),
        Word("i,", 0.43, (glued_left, 566, glued_left + 16, 594), 0, 2),
    ]
    return PageText(0, tuple(words), "ocr", 1240, 872)


def test_the_printed_expiry_survives_its_tall_last_digit() -> None:
    segs = segments(_passport_page(545))
    assert "06 APR 203 i," in [s.text for s in segs]
    expiry = identity_dates(segs, REF)["expiry_date"]
    assert expiry.value == dt.date(2031, 4, 6)
    assert expiry.confidence == pytest.approx(0.43)  # as unsure as its least sure word


def test_a_tall_unsure_mark_standing_apart_is_still_noise() -> None:
    texts = [s.text for s in segments(_passport_page(620))]  # far from the year: a seal
    assert "06 APR 203" in texts
    assert not any("i," in t for t in texts)
