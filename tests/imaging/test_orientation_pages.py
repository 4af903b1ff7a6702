"""Turning a page that shows no portrait (a bill, a statement, a licence sent as residency).

Before: a page whose lines ran across was never turned over (an upside-down bill was read
as gibberish: 2 of 19 turned on outside seed 4221, 1 of 21 on generate 10063), and OSD's
half turn of a page with unclear lines was kept even when its text read upright
(MA-O4219-0050, an upright vertical licence turned over), and refused on a page whose
lines measured down it even when its text read upside down (MA-O4221-0039)."""

from __future__ import annotations

import numpy as np
import pytest
import synth

from pipeline.config import FaceConfig, GeometryConfig, OcrConfig
from pipeline.imaging import orientation
from pipeline.tools import cv


def _page(seed: int = 3) -> np.ndarray:
    return synth.page(np.random.default_rng(seed), width=1200, lines=30)


def _osd_says(monkeypatch: pytest.MonkeyPatch, rotate: int, confidence: float = 5.0) -> list[int]:
    asked: list[int] = []

    def osd(*args: object, **kwargs: object) -> orientation.tesseract.Orientation:
        asked.append(rotate)
        return orientation.tesseract.Orientation(rotate=rotate, confidence=confidence)

    monkeypatch.setattr(orientation.tesseract, "detect_orientation", osd)
    return asked


def test_an_upside_down_page_is_turned_over_and_an_upright_one_is_not() -> None:
    """Real Tesseract: the synthetic bill's capitals leave the ink balance unsure, so its
    orientation detection decides, both ways."""
    page = _page()
    upside_down = np.ascontiguousarray(page[::-1, ::-1])
    assert orientation.upright_rotation(upside_down, GeometryConfig(), OcrConfig())[0] == 180
    assert orientation.upright_rotation(page, GeometryConfig(), OcrConfig())[0] == 0


def test_a_page_whose_text_reads_upright_is_not_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _osd_says(monkeypatch, 180)
    monkeypatch.setattr(orientation, "text_line_balance", lambda gray, ruled=False: 0.8)
    assert orientation.upright_rotation(_page(), GeometryConfig(), OcrConfig()) == (0, None)
    assert asked == []


@pytest.mark.parametrize(
    ("lines", "balance", "turn"),
    [(None, 0.8, 0), (None, 0.0, 180), (None, -0.6, 180), (False, 0.0, 0), (False, -0.6, 180)],
)
def test_a_half_turn_needs_text_that_does_not_read_upright(
    monkeypatch: pytest.MonkeyPatch, lines: bool | None, balance: float, turn: int
) -> None:
    """Lines unclear: OSD's half turn unless the text reads upright. Lines measured down
    the page (a sparse letter upside down, MA-O4221-0039): only when it reads upside down."""
    asked = _osd_says(monkeypatch, 180)
    monkeypatch.setattr(orientation, "_lines_horizontal", lambda gray: lines)
    monkeypatch.setattr(orientation, "text_line_balance", lambda gray, ruled=False: balance)
    assert orientation.upright_rotation(_page(), GeometryConfig(), OcrConfig()) == (turn, None)
    assert asked == [180]


@pytest.mark.parametrize(
    ("balance", "reads_turned", "turn"),
    [
        (0.0, None, 0),
        (0.0, True, 180),
        (0.0, False, 0),
        (-0.6, None, 180),
        (-0.6, True, 180),
        (-0.6, False, 0),
    ],
)
def test_a_half_turn_on_an_unsure_answer_needs_the_text_or_a_reading_to_agree(
    monkeypatch: pytest.MonkeyPatch, balance: float, reads_turned: bool | None, turn: int
) -> None:
    """CT-S10063-0133: OSD said 180 at 2.1 on a dark, barely legible upright statement whose
    balance was unsure; turned over, it was read as gibberish (TEXT_UNREADABLE). Upside-down
    statements answered as unsure read far better turned over. A balance reading upside
    down is no proof either: a statement's dark header band made an upright page's -0.33
    (MA-S10070-0177, OSD 180 at 2.0, TEXT_UNREADABLE)."""
    _osd_says(monkeypatch, 180, confidence=2.1)
    monkeypatch.setattr(orientation, "text_line_balance", lambda gray, ruled=False: balance)
    monkeypatch.setattr(orientation, "_reads_turned", lambda *a: reads_turned)
    assert orientation.upright_rotation(_page(), GeometryConfig(), OcrConfig()) == (turn, None)


def test_a_page_read_both_ways_tells_which_way_is_up() -> None:
    """Real Tesseract: the synthetic bill reads far better the right way up."""
    gray = orientation.cv.to_gray(_page())
    cfg, ocr = GeometryConfig(), OcrConfig()
    assert orientation._reads_turned(gray, cfg, ocr, ocr.page_psm) is False
    turned = np.ascontiguousarray(gray[::-1, ::-1])
    assert orientation._reads_turned(turned, cfg, ocr, ocr.page_psm) is True
    blank = np.full((400, 300), 235, np.uint8)
    assert orientation._reads_turned(blank, cfg, ocr, ocr.page_psm) is None


@pytest.mark.parametrize(("upright", "turn"), [(0.8, 90), (-0.8, 270), (0.1, 0)])
def test_a_sideways_page_osd_is_unsure_of_is_turned_the_way_its_text_reads(
    monkeypatch: pytest.MonkeyPatch, upright: float, turn: int
) -> None:
    """Lines down the page and no confident answer from OSD (sideways statements of
    generate seed 10063, CT-S10063-0060, -0080, were left sideways): the quarter turn whose
    lines read upright by their balance; neither: none."""
    monkeypatch.setattr(orientation.tesseract, "detect_orientation", lambda *a, **k: None)
    monkeypatch.setattr(orientation, "_lines_horizontal", lambda gray: False)
    sideways = np.ascontiguousarray(np.rot90(_page()))  # turned a quarter counter-clockwise

    def balance(
        gray: np.ndarray, ruled: bool = False
    ) -> float:  # `upright` on the page turned back, else its opposite
        return upright if gray.shape[0] > gray.shape[1] else 0.0

    monkeypatch.setattr(orientation, "text_line_balance", balance)
    assert orientation.upright_rotation(sideways, GeometryConfig(), OcrConfig()) == (turn, None)


@pytest.mark.parametrize(("balance", "turn"), [(-0.6, 180), (0.8, 0)])
def test_an_identity_upload_without_a_face_either_way_is_turned_by_its_text(
    monkeypatch: pytest.MonkeyPatch, balance: float, turn: int
) -> None:
    """MA-O4221-0057: a bill sent upside down as proof of identity (no portrait upright or
    turned) was left upside down and read as gibberish."""
    monkeypatch.setattr(orientation.face, "faces_in", lambda image, cfg: [])
    monkeypatch.setattr(orientation, "_lines_horizontal", lambda gray: True)
    monkeypatch.setattr(orientation, "text_line_balance", lambda gray, ruled=False: balance)
    asked = _osd_says(monkeypatch, 180)
    found = orientation.upright_rotation(_page(), GeometryConfig(), OcrConfig(), FaceConfig())
    assert found == (turn, ())
    assert asked == ([180] if turn else [])


def _sideways_with_strip(seed: int, rows: int) -> np.ndarray:
    """A bill turned a quarter (its lines run down), a dark strip `rows` deep along its
    top edge: what flattening leaves of the table beyond a photographed page."""
    page = np.ascontiguousarray(np.rot90(synth.page(np.random.default_rng(seed), 1200, 12), -1))
    page[:rows] = 30
    return page


@pytest.mark.parametrize("rows", [20, 40])
def test_a_dark_strip_along_the_edge_is_no_text_line(rows: int) -> None:
    """The strip's edge is one full-length 'line': it outweighed a sparse sideways page's
    text and the lines were called across (CT-O4225-0086 turned, left sideways)."""
    sideways = cv.to_gray(_sideways_with_strip(0, rows))
    assert orientation._lines_horizontal(sideways) is False
    upright = np.ascontiguousarray(np.rot90(sideways, 1))  # the strip now down the left side
    assert orientation._lines_horizontal(upright) is True
