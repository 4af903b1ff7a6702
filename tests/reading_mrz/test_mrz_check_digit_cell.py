"""A check digit misread in the line read is read again from its own cell of the zone
(`mrz.reread_check_digits`): kept only when every check digit then agrees, so an altered
digit, read as printed, still fails."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.config import OcrConfig
from pipeline.reading.mrz import _join_line, reread_check_digits
from pipeline.reading.mrz_repair import ALPHABET, LAYOUTS, check_ok
from pipeline.tools import tesseract

from .conftest import MONO, td1_lines


def _zone_crop(lines: list[str]) -> np.ndarray:
    """The zone as `mrz._crop` hands it to the engine: grey, lines about 40 px high."""
    font = ImageFont.truetype(str(MONO), 44)
    width = int(font.getlength("M") * len(lines[0])) + 48
    img = Image.new("L", (width, 48 + 66 * len(lines)), 255)
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        draw.text((24, 24 + 66 * i), line, font=font, fill=0)
    return np.asarray(img).copy()


def _request() -> tesseract.OcrRequest:
    ocr = OcrConfig()
    return tesseract.OcrRequest(
        ocr.language, 6, ocr.timeout_seconds, ALPHABET, ocr.tessdata, ocr.engine
    )


def _read(crop: np.ndarray) -> list:
    text = tesseract.ocr_words(crop, 0, _request())
    return [line for line in text.lines if len(_join_line(line)) >= 20]


def _with_digit(lines: list[str], line: int, pos: int, digit: str) -> tuple[str, ...]:
    out = list(lines)
    out[line] = out[line][:pos] + digit + out[line][pos + 1 :]
    return tuple(out)


def test_a_misread_check_digit_is_read_again_from_its_cell() -> None:
    lines = td1_lines()
    check = next(c for c in LAYOUTS["TD1"].checks if c.name == "document number")
    line, pos = check.digit
    crop = _zone_crop(lines)
    read = _read(crop)
    wrong = next(d for d in "17" if d != lines[line][pos])
    misread = _with_digit(lines, line, pos, wrong)  # what the line read said
    failed = tuple(c.name for c in LAYOUTS["TD1"].checks if not check_ok(misread, c))
    assert "document number" in failed
    assert reread_check_digits(crop, read, misread, "TD1", failed, _request()) == tuple(lines)


def test_a_misread_data_digit_is_read_again_from_its_cell() -> None:
    """CT-O4159-0042: "C523777700" read "C523777100", the document number's check and the
    composite failing together; each digit cell of the failing field is read again."""
    lines = td1_lines()
    check = next(c for c in LAYOUTS["TD1"].checks if c.name == "document number")
    line, start, end = check.spans[0]
    pos = next(p for p in range(start + 2, end) if lines[line][p].isdigit())
    crop = _zone_crop(lines)
    wrong = next(d for d in "17" if d != lines[line][pos])
    misread = _with_digit(lines, line, pos, wrong)
    failed = tuple(c.name for c in LAYOUTS["TD1"].checks if not check_ok(misread, c))
    assert "document number" in failed
    assert reread_check_digits(crop, _read(crop), misread, "TD1", failed, _request()) == tuple(
        lines
    )


def test_an_altered_check_digit_reads_as_printed_and_still_fails() -> None:
    lines = td1_lines()
    check = next(c for c in LAYOUTS["TD1"].checks if c.name == "document number")
    line, pos = check.digit
    altered = _with_digit(lines, line, pos, str((int(lines[line][pos]) + 3) % 10))
    crop = _zone_crop(list(altered))
    failed = tuple(c.name for c in LAYOUTS["TD1"].checks if not check_ok(altered, c))
    assert reread_check_digits(crop, _read(crop), altered, "TD1", failed, _request()) is None


def test_a_slash_is_read_as_the_slanted_seven_it_stands_for() -> None:
    """'330211/<<<' for 3302117 (CT-S10013-0032): read without the '/', the 7 was dropped,
    a doubled digit restored in its place, and the altered zone passed."""
    from pipeline.reading.mrz_repair import clean_lines

    assert clean_lines(["f330211/<<«x"]) == ["F3302117<<<X"]


def test_a_window_whose_neighbours_read_otherwise_gives_no_digit() -> None:
    """MA-S10014-0053: a window slipped one cell left read a neighbour '1' for the altered
    check digit '6', which the check digits then 'confirmed'. The neighbours read must be
    the zone's, or the cell is not where its index says."""
    from pipeline.reading.mrz import _read_cell

    lines = td1_lines()
    check = next(c for c in LAYOUTS["TD1"].checks if c.name == "document number")
    line, pos = check.digit
    crop = _zone_crop(lines)
    words = _read(crop)[line]
    assert _read_cell(crop, words, pos, lines[line], _request()) == lines[line][pos]
    shifted = lines[line][: pos - 1] + "X" + lines[line][pos:]  # a neighbour it cannot read
    assert _read_cell(crop, words, pos, shifted, _request()) is None


def test_one_stray_mark_in_the_window_is_passed_over() -> None:
    """MA-S10029-0073: the cells "77<" of a perspective-skewed zone read "77I<" (a sliver
    of a glyph at the window's edge): the digit is still read. The neighbours must still
    read as the zone has them, with the mark left out; two marks, or another extra
    character, give no digit."""
    from pipeline.reading.mrz import cell_digit

    line = "C656053809USA5501133M3504271<<<<<<<<<<<<<<00"
    assert cell_digit("77<", line, 26, 29, 27) == "7"
    assert cell_digit("77I<", line, 26, 29, 27) == "7"
    assert cell_digit("I77<", line, 26, 29, 27) == "7"
    assert cell_digit("77II<", line, 26, 29, 27) is None
    assert cell_digit("771<", line, 26, 29, 27) is None
    assert cell_digit("47I<", line, 26, 29, 27) is None  # the left neighbour is not the zone's


def test_an_altered_check_digit_misread_in_the_line_is_read_as_printed() -> None:
    """MA-O4151-0075: an altered '6' the line read '0' once and '6' once failed two ways,
    so the reads did not agree and the zone was 'read poorly'. The cell reads the digit
    as printed: the zone gets it, and still fails."""
    lines = td1_lines()
    check = next(c for c in LAYOUTS["TD1"].checks if c.name == "document number")
    line, pos = check.digit
    printed = str((int(lines[line][pos]) + 3) % 10)
    altered = _with_digit(lines, line, pos, printed)
    crop = _zone_crop(list(altered))
    misread = _with_digit(lines, line, pos, next(d for d in "17" if d not in printed))
    failed = tuple(c.name for c in LAYOUTS["TD1"].checks if not check_ok(misread, c))
    again = reread_check_digits(crop, _read(crop), misread, "TD1", failed, _request())
    assert again == altered
    assert not check_ok(again, check)


def _altered_birth_digit(lines: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The zone with its date-of-birth check digit altered, and the checks that then fail."""
    check = next(c for c in LAYOUTS["TD1"].checks if c.name == "date of birth")
    line, pos = check.digit
    altered = _with_digit(lines, line, pos, str((int(lines[line][pos]) + 3) % 10))
    failed = tuple(c.name for c in LAYOUTS["TD1"].checks if not check_ok(altered, c))
    return altered, failed


@pytest.mark.parametrize(("pos", "digit", "birth"), [(2, "9", None), (5, "5", "740815")])
def test_a_date_cell_read_as_no_calendar_day_leaves_the_line_reading(
    monkeypatch: pytest.MonkeyPatch, pos: int, digit: str, birth: str | None
) -> None:
    """CT-O4233-0035: the birth date 621118's fourth cell, read alone, gave '4': 624118,
    month 41, which happened to fit the altered check digit and made the zone pass. The
    date as the line read it stays (month 98 here), and the zone still fails; a cell that
    reads as another day of the calendar is a reading and is taken."""
    import pipeline.reading.mrz as mrz

    lines = td1_lines()  # date of birth 740812 on line 1, cells 0-5
    altered, failed = _altered_birth_digit(lines)
    crop = _zone_crop(list(altered))

    def cell(crop: np.ndarray, words: list, at: int, line: str, request: object) -> str | None:
        return digit if (line, at) == (altered[1], pos) else None

    monkeypatch.setattr(mrz, "_read_cell", cell)
    again = reread_check_digits(crop, _read(crop), altered, "TD1", failed, _request())
    assert (again if again is None else again[1][:6]) == birth
