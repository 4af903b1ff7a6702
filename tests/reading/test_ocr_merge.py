"""`ocr.merge_readings` where layout analysis merged an addressee block into noise: the
boxes are those Tesseract gave on a bank statement whose name and street lines sat level
with a summary table (automatic layout read them as one line of garbage; sparse text read
them as words)."""

from __future__ import annotations

from models.internal import PageText, Word
from pipeline.reading import ocr


def _w(text: str, box: tuple[int, int, int, int], conf: float, line: int = 0) -> Word:
    return Word(text, conf, box, 0, line)


def _reading(*words: Word) -> PageText:
    return PageText(0, tuple(words), "ocr", 1360, 1760)


FIRST = _reading(
    _w("oo", (164, 380, 194, 427), 0.18, 6),  # spans the name line and the street line
    _w("anal", (209, 377, 290, 430), 0.0, 6),
    _w("OWAK", (293, 381, 351, 398), 0.87, 6),  # sure, but its first letter clipped
    _w("Account", (705, 397, 766, 423), 0.97, 6),
    _w("#2C", (163, 440, 202, 457), 0.91, 7),
)
SECOND = _reading(
    _w("MARGARET", (164, 380, 273, 397), 0.97, 6),
    _w("NOWAK", (279, 381, 351, 398), 0.96, 6),
    _w("Account", (705, 400, 766, 417), 0.97, 7),
    _w("940", (164, 410, 194, 427), 0.97, 9),
    _w("Walnut", (200, 409, 258, 428), 0.96, 9),
    _w("Ln", (264, 411, 284, 428), 0.84, 9),
    _w("#2C", (163, 440, 202, 457), 0.81, 10),
)


def test_lines_merged_into_noise_are_replaced_by_the_words_read_apart() -> None:
    merged = ocr.merge_readings(FIRST, SECOND, 0.6)
    texts = [w.text for w in merged.words]
    assert texts == ["Account", "#2C", "MARGARET", "NOWAK", "940", "Walnut", "Ln"]
    lines = {w.text: w.line for w in merged.words}
    assert lines["MARGARET"] == lines["NOWAK"] != lines["940"] == lines["Walnut"]


def test_a_sure_word_gives_way_only_to_a_surer_reading_that_extends_it() -> None:
    other = _reading(_w("NOWAN", (279, 381, 351, 398), 0.96))  # another word, not an extension
    assert [w.text for w in ocr.merge_readings(FIRST, other, 0.6).words] == [
        w.text for w in FIRST.words
    ]
    unsure = _reading(_w("NOWAK", (279, 381, 351, 398), 0.8))  # no surer than "OWAK" (0.87)
    assert "NOWAK" not in {w.text for w in ocr.merge_readings(FIRST, unsure, 0.6).words}


def test_noise_on_one_line_is_not_replaced_by_pieces_of_it() -> None:
    one_line = _reading(
        _w("MARGARET", (164, 380, 273, 397), 0.97, 6),
        _w("NOWAK", (279, 381, 351, 398), 0.96, 6),
    )
    merged = ocr.merge_readings(FIRST, one_line, 0.6)
    assert "MARGARET" not in {w.text for w in merged.words}  # "oo"/"anal" span more than it
    assert "NOWAK" in {w.text for w in merged.words}  # the clipped word is still repaired


def test_a_word_read_alike_twice_takes_the_surer_confidence() -> None:
    first = _reading(
        _w("09/01/2025", (297, 228, 481, 253), 0.65), _w("Expires", (297, 201, 367, 226), 0.97)
    )
    second = _reading(
        _w("09/01/2025", (297, 228, 481, 253), 0.96), _w("Expires", (297, 206, 367, 223), 0.9)
    )
    merged = ocr.merge_readings(first, second, 0.6)
    assert [(w.text, w.confidence) for w in merged.words] == [
        ("09/01/2025", 0.96),
        ("Expires", 0.97),
    ]
    other = _reading(_w("09/07/2025", (297, 228, 481, 253), 0.96))  # read otherwise: no
    assert ocr.merge_readings(first, other, 0.6).words == first.words


def test_an_unsure_passed_expiry_is_read_again() -> None:
    import datetime as dt
    from dataclasses import replace

    from models.internal import DocumentState, FieldValue
    from tests.reading.synth import context

    ctx = context(submitted="2026-08-01")
    doc = DocumentState("d1", "identity", "front", b"")

    def doubts(day: dt.date, conf: float) -> tuple[str, ...]:
        fields = {"expiry_date": FieldValue(day, "ocr", conf, 0, (0, 0, 1, 1))}
        return ocr.decisive_doubts(replace(doc, fields=fields), ctx)

    assert doubts(dt.date(2025, 9, 1), 0.65) == ("expiry_date",)
    assert doubts(dt.date(2025, 9, 1), 0.9) == ()  # sure: DOCUMENT_EXPIRED stands
    assert doubts(dt.date(2027, 9, 1), 0.65) == ()  # still valid: nothing hangs on it


def test_a_slanted_card_sent_as_a_residency_proof_is_read_as_a_card() -> None:
    import numpy as np

    from models.internal import Page

    def card(width: int, height: int) -> bool:
        return ocr.is_card(Page(0, np.zeros((height, width, 3), np.uint8)), "residency")

    assert card(1095, 556)  # 1.97: a licence rectified a little long
    assert card(1012, 638)  # ID-1
    assert not card(1100, 850)  # landscape letter paper (1.29)
    assert not card(850, 1100)  # a page
