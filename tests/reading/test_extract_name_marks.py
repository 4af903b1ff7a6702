"""OCR's slips inside an addressee's name line: the period of an initial or of "ST." read
as a comma is no "LAST, FIRST" order, and a roman-numeral suffix read with an l is one."""

from __future__ import annotations

import datetime as dt

import pytest

from models.flags import DocumentType
from models.internal import PageText, Word
from pipeline.reading import extract
from pipeline.reading.layout import segments

REF = dt.date(2026, 10, 1)


def _line(text: str, x: int, y: int, h: int = 24) -> list[Word]:
    out, left = [], x
    for tok in text.split():
        width = 14 * len(tok)
        out.append(Word(tok, 0.93, (left, y, left + width, y + h), 0, 0))
        left += width + 14
    return out


def _names(name: str) -> dict[str, str]:
    lines = (
        _line("Patriot Auto Insurance", 230, 110),
        _line("Date Issued: 09 JUN 2026", 1020, 170),
        _line("Named Insured and Mailing Address", 200, 380),
        _line(name, 200, 420),
        _line("3997 Lincoln Drive", 200, 456),
        _line("West Hartford, CT 06117", 200, 492),
    )
    words = tuple(w for ln in lines for w in ln)
    segs = segments(PageText(0, words, "ocr", 1700, 2200))
    fields = extract.extract_residency(segs, REF, DocumentType.INSURANCE_STATEMENT)
    return {k: v.value for k, v in fields.items() if k.endswith("_name") or k == "suffix"}


@pytest.mark.parametrize(
    ("line", "first", "last"),
    [
        ("PACO L, CASTILLO", "PACO", "CASTILLO"),
        ("JOSEPH ANNE ST, PIERRE", "JOSEPH", "ST. PIERRE"),
        ("CASTILLO, PACO L", "PACO", "CASTILLO"),  # a real comma order still reads so
    ],
)
def test_a_period_read_as_a_comma_does_not_turn_the_name(line: str, first: str, last: str):
    names = _names(line)
    assert (names["first_name"], names["last_name"]) == (first, last)


def test_a_suffix_read_with_an_l_is_the_suffix() -> None:
    names = _names("Robert MacDonald Ill")
    assert names["last_name"] == "MacDonald" and names["suffix"] == "III"
    assert _names("Robert Li")["last_name"] == "Li"
