"""A joint account's addressee line in a text layer ("JENNIFER MURPHY & MARÍA MURPHY")
gives its first holder's name, not none (CT-O3831-0057: another person's statement passed, its name
unread); a caption or a company joined by "and" is still no name."""

from __future__ import annotations

import datetime as dt

from models.internal import PageText
from pipeline.reading import extract
from pipeline.reading.layout import segments
from tests.reading.synth import line_words

REF = dt.date(2026, 6, 20)


def _statement(addressee: str) -> dict:
    lines = (
        line_words("Bay Colony Savings Bank Statement period: May 5 - Jun 4, 2026", 100, 60),
        line_words(addressee, 100, 200),
        line_words("4255 MILL DR", 100, 230),
        line_words("TORRINGTON, CT 06790", 100, 260),
    )
    page = PageText(0, tuple(w for ln in lines for w in ln), "pdf_text", 1700, 2200)
    return extract.extract_residency(segments(page), REF)


def test_a_joint_addressee_line_names_its_first_holder() -> None:
    fields = _statement("JENNIFER MURPHY & MARÍA MURPHY")
    assert fields["first_name"].value == "JENNIFER"
    assert fields["last_name"].value == "MURPHY"


def test_a_caption_joined_by_and_is_no_name() -> None:
    fields = _statement("Named Insured and Mailing Address")
    assert "first_name" not in fields and "last_name" not in fields


def test_an_initial_glued_to_the_given_name_is_split_off() -> None:
    """MA-S9832-0074: "Ibafiez, JenL" read for "Ibáñez, Jen L" (a clean application
    flagged NAME_MISMATCH: 'JENL' is no nickname of Jennifer)."""
    fields = _statement("Ibafiez, JenL")
    assert fields["first_name"].value == "Jen"
    assert fields["middle_name"].value == "L"
