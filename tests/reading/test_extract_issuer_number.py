"""A card number in its issuer's form: a Massachusetts licence number is S and eight
digits, so a 9-digit read starting 5 or 8 on a Massachusetts card is its S misread; a
Connecticut number (nine digits) is never touched."""

from __future__ import annotations

import datetime as dt

import pytest

from models.internal import PageText, Word
from pipeline.reading import extract
from pipeline.reading.layout import segments

REF = dt.date(2026, 3, 1)


def _card(header: str, number: str, city_line: str) -> dict:
    lines = [header, f"4d LIC# {number}", "1 SMITH", "2 JOHN", "8 12 ELM ST", city_line]
    words = []
    for row, line in enumerate(lines):
        x = 40
        for tok in line.split():
            words.append(
                Word(tok, 0.93, (x, 40 + 50 * row, x + 14 * len(tok), 66 + 50 * row), 0, 0)
            )
            x += 14 * len(tok) + 14
    segs = segments(PageText(0, tuple(words), "ocr", 1012, 638))
    return extract.extract_identity(segs, REF)


@pytest.mark.parametrize("read", ["531005476", "831005476"])
def test_a_massachusetts_number_gets_its_s_back(read: str) -> None:
    fields = _card("MASSACHUSETTS DRIVER'S LICENSE", read, "BOSTON, MA 02108")
    assert fields["document_number"].value == "S31005476"


def test_other_numbers_are_left_as_read() -> None:
    ct = _card("CONNECTICUT DRIVER LICENSE", "531005476", "HARTFORD, CT 06106")
    assert ct["document_number"].value == "531005476"
    short = _card("MASSACHUSETTS DRIVER'S LICENSE", "53100547", "BOSTON, MA 02108")
    assert short["document_number"].value == "53100547"


def test_a_date_whose_separators_were_lost_is_not_the_card_number() -> None:
    # the number's own label and value unreadable ("4d DLN §6§9434797"), the expiry's
    # slashes lost: the card has no readable number, not the expiry's digits
    rows = ["MASSACHUSETTS DRIVER LICENSE", "4d DLN §6§9434797", "1 FITZGERALD", "2 JOSEPH ANNE",
            "4b EXP 1112012027", "4a ISS 12/04/2019"]  # fmt: skip
    words = []
    for row, line in enumerate(rows):
        x = 40
        for tok in line.split():
            words.append(Word(tok, 0.9, (x, 40 + 50 * row, x + 14 * len(tok), 66 + 50 * row), 0, 0))
            x += 14 * len(tok) + 14
    fields = extract.extract_identity(segments(PageText(0, tuple(words), "ocr", 1012, 638)), REF)
    assert fields.get("document_number") is None or fields["document_number"].value != "1112012027"
