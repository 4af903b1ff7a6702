"""A name read from the wrong words of a bill whose text prints the profile's name with an
OCR slip ('Ibafiez' for 'Ibáñez': ñ read as 'fi') is not another person's name
(MA-S9832-0090, a clean application flagged NAME_MISMATCH); a bill printing another
surname still is."""

from __future__ import annotations

from dataclasses import replace

from models.internal import PageText, Word
from pipeline.matching.checks import check_name
from tests.matching.builders import context, doc


def _bill(addressee: str) -> object:
    words = []
    for line, text in enumerate(("Pioneer Valley Water", addressee, "2686 MILL AVE")):
        for i, token in enumerate(text.split()):
            words.append(
                Word(token, 0.95, (100 + 80 * i, 40 * line, 170 + 80 * i, 40 * line + 20), 0, line)
            )
    page = PageText(0, tuple(words), "ocr", 1700, 2200)
    read = doc(source="ocr", confidence=0.9, first_name="J", last_name="Ibdfiez")
    return replace(read, text=(page,))


def _flag(addressee: str) -> str | None:
    ctx = context(first_name="Samantha", middle_name="Joseph", last_name="Ibáñez")
    result = check_name(_bill(addressee), ctx)
    assert result is not None
    return result.flag


def test_the_profiles_name_printed_with_an_ocr_slip_is_no_mismatch() -> None:
    assert _flag("Samantha J, Ibafiez") is None


def test_another_surname_printed_is_still_a_mismatch() -> None:
    assert _flag("Samantha J, Ibarra") == "NAME_MISMATCH"
