"""A check digit the band's reads misread alike is read by the page's own OCR of the zone
(`mrz.page_reads_check_digits`): MA-S10036-0144, an expiry check digit '7' read '1' by
both reads of the band (so they agreed and the zone looked altered), '7' on the page."""

from __future__ import annotations

from dataclasses import replace

from models.internal import MrzRecord, PageText, Word
from pipeline.reading.mrz import page_reads_check_digits, page_reads_guesses
from pipeline.reading.mrz_repair import LAYOUTS, check_ok

from .conftest import td3_lines


def _with(line: str, pos: int, char: str) -> str:
    return line[:pos] + char + line[pos + 1 :]


def _zone(lines: list[str]) -> MrzRecord:
    failed = tuple(c.name for c in LAYOUTS["TD3"].checks if not check_ok(lines, c))
    return MrzRecord("TD3", tuple(lines), not failed, True, failed, {})


def _page(*lines: str) -> tuple[PageText, ...]:
    words = tuple(
        Word(text, 0.5, (10, 40 * i, 900, 40 * i + 30), 0, i) for i, text in enumerate(lines)
    )
    return (PageText(0, words, "ocr", 1000, 800),)


def test_the_page_reading_the_check_digit_otherwise_makes_it_a_misread() -> None:
    lines = td3_lines()
    check = next(c for c in LAYOUTS["TD3"].checks if c.name == "expiry date")
    line, pos = check.digit
    true = lines[line][pos]
    wrong = "1" if true != "1" else "7"
    misread = _zone([lines[0], _with(lines[line], pos, wrong)])
    assert "expiry date" in misread.failed_checks
    # the page's OCR garbles the line's start, but reads the check digit as printed
    page = _page(lines[0], "96" + lines[1][2:])
    assert page_reads_check_digits(misread, page)


def test_an_altered_check_digit_the_page_reads_alike_stays_a_failure() -> None:
    lines = td3_lines()
    check = next(c for c in LAYOUTS["TD3"].checks if c.name == "expiry date")
    line, pos = check.digit
    altered = [lines[0], _with(lines[line], pos, str((int(lines[line][pos]) + 3) % 10))]
    zone = _zone(altered)
    assert not page_reads_check_digits(zone, _page(*altered))  # the page reads it as printed
    other = _with(altered[1], pos, str((int(lines[line][pos]) + 5) % 10))
    assert not page_reads_check_digits(zone, _page(altered[0], other))  # still no agreement
    assert not page_reads_check_digits(zone, _page("no zone on this page"))


def test_a_guessed_composite_the_page_reads_alike_is_conclusive() -> None:
    """MA-S10089-0054: a passport's altered final digit '0' read 'Q' by the band (guessed as
    0, so the failure was only a poor read, and the altered zone passed), and '0' by the
    page's own reading, its line ending "(Q0": the digit is read twice."""
    lines = td3_lines()
    composite = next(c for c in LAYOUTS["TD3"].checks if c.name == "composite")
    line, pos = composite.digit
    digit, letter = ("0", "Q") if lines[line][pos] != "0" else ("8", "B")  # look-alikes
    altered = [lines[0], _with(lines[line], pos, digit)]
    raw = (lines[0], _with(lines[line], pos, letter))
    zone = replace(_zone(altered), confident=False, sound=True, raw=raw)
    assert zone.failed_checks == ("composite",)
    page_line = altered[1][:-2] + "(Q" + digit
    assert page_reads_guesses(zone, _page(lines[0], page_line))
    # the page reading another digit there, or nothing like the zone: still a guess
    other = altered[1][:-1] + str((int(digit) + 1) % 10)
    assert not page_reads_guesses(zone, _page(lines[0], other))
    assert not page_reads_guesses(zone, _page("no zone on this page"))
    # a check digit read as a digit was no guess: nothing for the page to confirm
    assert not page_reads_guesses(replace(zone, raw=tuple(altered)), _page(*altered))
