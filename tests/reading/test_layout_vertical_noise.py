"""Unsure 'words' standing on end at a page's edge (a shadow or vertical print read as
letters) are noise: their tall boxes must not pull an address's city line above its
street line (CT-S9831-0096: the letter's addressee and street lost)."""

from __future__ import annotations

from models.internal import PageText, Word
from pipeline.reading.layout import segments
from tests.reading.synth import line_words


def _page(edge_confidence: float) -> PageText:
    lines = [
        line_words("James Van Buren", 163, 293),
        line_words("1663 Spring Terrace", 165, 323),
        line_words("Norwich, CT 06360", 163, 353),
    ]
    edge = Word("apenas", edge_confidence, (1372, 299, 1380, 397), 0, 9)
    return PageText(0, (*[w for ln in lines for w in ln], edge), "ocr", 1700, 2200)


def test_vertical_noise_leaves_the_address_lines_in_order() -> None:
    texts = [s.text for s in segments(_page(0.17))]
    assert texts.index("1663 Spring Terrace") < texts.index("Norwich, CT 06360")
    assert "apenas" not in texts


def test_a_confident_word_is_kept() -> None:
    assert "apenas" in [s.text for s in segments(_page(0.95))]


def _name_row(junk_left: int) -> PageText:
    words = [
        Word("THOMAS", 0.96, (154, 365, 227, 379), 0, 5),
        Word("6", 0.93, (239, 361, 250, 379), 0, 5),
        Word("SUILLEABHAIN", 0.92, (262, 361, 406, 379), 0, 5),
        Word("SR", 0.97, (419, 365, 443, 379), 0, 5),
        Word("ACCOUNT", 0.96, (628, 359, 701, 371), 0, 5),
        Word("SUMMARY", 0.93, (710, 356, 777, 378), 0, 5),
        Word("<i}gRRSUREIIEEIEIRIERECRED", 0.0, (junk_left, 359, 1058, 372), 0, 5),
    ]
    return PageText(0, tuple(words), "ocr", 1700, 2200)


def test_boxes_touching_by_a_few_pixels_stay_on_one_row() -> None:
    """MA-S9832-0161: junk read over a logo touched "SUMMARY" by 5 px, and the addressee
    line split in two rows ("THOMAS ... SR" and "6 SUILLEABHAIN"): its name was lost."""
    texts = [s.text for s in segments(_name_row(772))]
    assert "THOMAS 6 SUILLEABHAIN SR" in texts


def test_words_overlapping_by_most_of_their_width_are_two_rows() -> None:
    segs = segments(_name_row(700))
    row_of = {w.text: s.row for s in segs for w in s.words}
    assert row_of["SUMMARY"] != row_of["<i}gRRSUREIIEEIEIRIERECRED"]
