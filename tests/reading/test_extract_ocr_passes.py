"""The two OCR readings merged (`ocr.merge_readings`) and inverted bands made readable
(`ocr.uninvert_bands`), and what they bring to extraction on a real OCR run."""

from __future__ import annotations

import numpy as np

from models.internal import Page, PageText, Word
from pipeline.reading import ocr


def _w(text: str, box: tuple[int, int, int, int], conf: float = 0.95, line: int = 0) -> Word:
    return Word(text, conf, box, 0, line)


def _reading(*words: Word) -> PageText:
    return PageText(0, tuple(words), "ocr", 1100, 700)


def test_second_reading_adds_a_line_the_first_dropped() -> None:
    first = _reading(_w("Last", (356, 209, 395, 222)), _w("Name", (399, 209, 450, 222)))
    second = _reading(
        _w("Last", (356, 209, 396, 222)),
        _w("CHEN", (358, 235, 450, 260), 0.96, 3),
    )
    merged = ocr.merge_readings(first, second, 0.6)
    assert [w.text for w in merged.words] == ["Last", "Name", "CHEN"]
    assert merged.words[-1].line == 4  # after the first reading's lines


def test_second_reading_replaces_only_unsure_words() -> None:
    first = _reading(
        _w("SaaS", (804, 336, 900, 367), 0.01),
        _w("NICHOLAS", (356, 292, 500, 313), 0.9),
    )
    second = _reading(
        _w("ACCOUNT", (806, 338, 900, 366), 0.96),
        _w("NICHOIAS", (356, 292, 500, 313), 0.97),  # overlaps a sure word: ignored
        _w("ee", (100, 100, 120, 110), 0.4),  # unsure: ignored
    )
    merged = ocr.merge_readings(first, second, 0.6)
    assert sorted(w.text for w in merged.words) == ["ACCOUNT", "NICHOLAS"]


def test_light_on_dark_band_is_inverted_and_the_rest_kept() -> None:
    page = np.full((1000, 800, 3), 255, np.uint8)
    page[100:160, 50:750] = (40, 110, 0)  # a coloured banner
    page[120:140, 80:200] = 255  # its white letters
    for x in range(80, 300, 18):
        page[400:420, x : x + 12] = 0  # dark body text, letter by letter
    page[600:602, 50:750] = 0  # a rule line
    out = ocr.uninvert_bands(page)
    assert out.ndim == 2
    assert out[105, 60] > 150 and out[130, 100] < 60  # band light, its letters dark
    assert out[410, 100] < 60 and out[700, 400] > 200  # text and paper untouched
    assert out[601, 400] < 60


class _Engine:
    """Stands in for Tesseract: one fixed reading per page segmentation mode."""

    def __init__(self, readings: dict[int, PageText]) -> None:
        self.readings = readings

    def read(self, image, page, psm, scale=1.0, whitelist=None):
        return self.readings[psm]


def _ocr(monkeypatch, first: PageText, second: PageText) -> PageText:
    from pipeline.config import OcrConfig
    from pipeline.tools import tesseract

    cfg = OcrConfig()
    engine = _Engine({cfg.page_psm: first, cfg.page_second_psm: second})
    monkeypatch.setattr(tesseract, "engine_for", lambda spec: engine)
    page = Page(0, np.full((2200, 1700, 3), 255, np.uint8))
    return ocr.ocr_page(page, "residency", cfg, min_words=5, min_confidence=0.45)


def test_a_faded_page_is_not_made_readable_by_the_second_reading(monkeypatch) -> None:
    second = _reading(*(_w(f"word{i}", (100 * i, 100, 100 * i + 80, 120)) for i in range(8)))
    assert _ocr(monkeypatch, _reading(), second).words == ()
    legible = _reading(*(_w(f"text{i}", (100 * i, 500, 100 * i + 80, 520)) for i in range(6)))
    assert len(_ocr(monkeypatch, legible, second).words) == 14


def test_a_long_unsure_line_is_not_replaced_by_a_piece_of_it() -> None:
    mrz = _w("C309789776USA5404076M3201266<<<<<<<<<<<<<<(Q0", (54, 800, 1172, 834), 0.27)
    second = _reading(_w("C309789776USA", (54, 800, 400, 834), 0.9))
    merged = ocr.merge_readings(_reading(mrz), second, 0.6)
    assert [w.text for w in merged.words] == [mrz.text]
