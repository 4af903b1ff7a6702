"""Issue #9: the second reading reads the image the first reading prepared (the text
height is measured and the page binarised once), and the prepared copy lives no longer
than its page image."""

from __future__ import annotations

import gc

import numpy as np
import pytest

from models.internal import Page
from pipeline.config import PipelineConfig
from pipeline.reading import ocr
from pipeline.tools import tesseract


def _page(index: int = 0) -> Page:
    image = np.full((900, 700, 3), 235, np.uint8)
    for y in range(120, 800, 40):
        for x in range(60, 620, 22):
            image[y : y + 18, x : x + 12] = 30  # glyph-sized print
    return Page(index, image)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = tesseract.prepare

    def prepare(image: np.ndarray, *args: object, **kwargs: object) -> tuple[np.ndarray, float]:
        calls.append(id(image))
        return real(image, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(tesseract, "prepare", prepare)
    return calls


def test_a_page_is_prepared_once_for_both_readings(counted: list[int]) -> None:
    cfg = PipelineConfig().ocr
    page = _page()
    first = ocr._prepared(page, "residency", cfg)
    again = ocr._prepared(page, "residency", cfg)
    assert len(counted) == 1
    assert again[0] is first[0] and again[1:] == first[1:]


def test_another_role_or_page_is_prepared_on_its_own(counted: list[int]) -> None:
    cfg = PipelineConfig().ocr
    page, other = _page(), _page()
    ocr._prepared(page, "residency", cfg)
    ocr._prepared(page, "identity", cfg)  # read as a card: prepared differently
    ocr._prepared(other, "residency", cfg)
    assert len(counted) == 3


def test_the_prepared_copy_goes_with_its_page_image() -> None:
    cfg = PipelineConfig().ocr
    page = _page()
    ocr._prepared(page, "residency", cfg)
    key = (id(page.image), "residency", cfg, None)
    assert key in ocr._PREPARED
    del page
    gc.collect()
    assert key not in ocr._PREPARED
