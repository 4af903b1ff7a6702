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


def _statement(*lines: tuple[str, int, int]) -> dict[str, str]:
    words = tuple(w for text, x, y in lines for w in _line(text, x, y))
    segs = segments(PageText(0, words, "ocr", 1700, 2200))
    fields = extract.extract_residency(segs, REF, DocumentType.INSURANCE_STATEMENT)
    return {k: v.value for k, v in fields.items() if k.endswith("_name")}


def test_a_caption_over_the_addressee_is_no_name_and_bill_after_a_comma_is() -> None:
    names = _statement(
        ("Named Insured and Mailing Address", 150, 514),
        ("Policy Period (12:01 a.m. standard time)", 917, 514),
        ("Okafor, Bill Grace", 150, 551),
        ("05/15/2026 to 11/13/2026", 917, 551),
        ("3801 LAFAYETTE DRIVE", 150, 589),
        ("CAMBRIDGE, MA 02138", 150, 627),
    )
    assert names == {"first_name": "Bill", "middle_name": "Grace", "last_name": "Okafor"}


def test_a_caption_alone_gives_no_name() -> None:
    names = _statement(
        ("Named Insured and Mailing Address", 150, 514),
        ("3801 LAFAYETTE DRIVE", 150, 551),
        ("CAMBRIDGE, MA 02138", 150, 589),
    )
    assert names == {}


def test_the_street_line_is_never_a_card_holder_s_name() -> None:
    # the rows OCR gave on a slanted licence: its "FN" label read "rN", its "LN" line lost
    rows = [("CONNECTICUT", 31, 17), ("DRIVER LICENSE", 768, 24), ("bt 929682724", 351, 152),
            ("EXP 07-28-2031", 352, 201), ("ISS 08-23-2023", 687, 200),
            ("rN SUSAN ALAN", 354, 288), ("66 CHURCH RD", 355, 332),
            ("MANCHESTER, CT 06040", 356, 367), ("pos 01-01-1986", 356, 411)]  # fmt: skip
    words = tuple(w for text, x, y in rows for w in _line(text, x, y))
    fields = extract.extract_identity(segments(PageText(0, words, "ocr", 1100, 694)), REF)
    assert fields["address"].value.line1 == "66 CHURCH RD"
    names = " ".join(str(fields[k].value) for k in fields if k.endswith("_name"))
    assert "CHURCH" not in names


def test_field_number_glued_to_the_irish_o_is_split_off() -> None:
    rows = [("MASSACHUSETTS DRIVER LICENSE", 40, 20), ("1O SUILLEABHAIN", 300, 120),
            ("2 CHRISTOPHER JEAN", 300, 160), ("8 49 WHITNEY ST", 300, 200),
            ("NEWTON, MA 02458", 300, 240)]  # fmt: skip
    words = tuple(w for text, x, y in rows for w in _line(text, x, y))
    fields = extract.extract_identity(segments(PageText(0, words, "ocr", 1100, 694)), REF)
    assert fields["last_name"].value == "O SUILLEABHAIN"
    assert fields["first_name"].value == "CHRISTOPHER"
