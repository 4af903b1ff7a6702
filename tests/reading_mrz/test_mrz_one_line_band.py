"""A zone of which the page's text showed one line only (the other read as noise) is
still read: its band is widened to where the other line stands (MA-S9832-0066: an altered
passport zone went unread, and MRZ_INVALID unraised)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from models.internal import PageText
from pipeline.reading.mrz import read_mrz
from pipeline.tools import tesseract

from .conftest import image_doc, passport_page, td3_lines

pytestmark = pytest.mark.skipif(not tesseract.available(), reason="needs Tesseract")


def test_a_band_of_one_line_is_widened_to_the_whole_zone(ctx) -> None:
    lines = td3_lines()
    image = passport_page(lines)
    text = tesseract.ocr_words(image, 0, tesseract.OcrRequest(psm=3))
    # the name line alone, the numbers line lost (as a noisy page reading loses it)
    numbers_row = max(w.line for w in text.words)
    keep = tuple(w for w in text.words if w.line != numbers_row)
    page_text = PageText(0, keep, "ocr", text.width, text.height)
    doc = read_mrz(replace(image_doc(image), text=(page_text,)), ctx)
    assert doc.mrz is not None and doc.mrz.valid
    assert doc.mrz.lines == tuple(lines)
