"""Row grouping: a skewed line whose words drift out of its first word's span is one row;
lines that merely sit close stay apart."""

from __future__ import annotations

from models.internal import PageText, Word
from pipeline.reading.layout import segments


def _w(text: str, box: tuple[int, int, int, int]) -> Word:
    return Word(text, 0.95, box, 0, 0)


def _texts(*words: Word) -> list[str]:
    return [s.text for s in segments(PageText(0, tuple(words), "ocr", 1100, 700))]


def test_a_skewed_address_line_is_one_phrase() -> None:
    texts = _texts(
        _w("8", (343, 281, 353, 298)),
        _w("645", (362, 279, 400, 298)),
        _w("MILL", (408, 279, 470, 298)),
        _w("ST", (488, 290, 515, 306)),  # drifting down along the skewed line
        _w("APT", (524, 291, 566, 307)),
        _w("16", (574, 292, 600, 308)),
        _w("QUINCY,", (367, 312, 470, 331)),
        _w("MA", (478, 312, 510, 331)),
        _w("02169", (518, 312, 590, 331)),
    )
    assert texts == ["8 645 MILL ST APT 16", "QUINCY, MA 02169"]


def test_stacked_lines_stay_apart() -> None:
    texts = _texts(
        _w("CEDAR", (118, 294, 200, 315)),
        _w("AVE", (208, 294, 260, 315)),
        _w("ENFIELD,", (118, 318, 220, 339)),  # the next line, just under
        _w("CT", (228, 318, 260, 339)),
    )
    assert texts == ["CEDAR AVE", "ENFIELD, CT"]
