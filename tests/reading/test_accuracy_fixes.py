"""Regressions found on generated samples: portrait noise in OCR rows, barcode subfile
type, a help-line label taken for a name, and page orientation read in-process."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from models.flags import DocumentType
from models.internal import BarcodeRecord, PageText, Word
from pipeline.reading import extract
from pipeline.reading.classify import classify
from pipeline.reading.layout import clean_words, segments
from pipeline.tools import tesseract
from tests.reading.synth import context, image_doc

CTX = context()


def _w(text: str, box: tuple[int, int, int, int], conf: float = 0.95) -> Word:
    return Word(text, conf, box, 0, 0)


def test_tall_unsure_portrait_noise_does_not_glue_phrases() -> None:
    words = (
        _w("LN", (345, 236, 369, 249)),
        _w("KIM", (382, 233, 454, 256)),
        _w("y", (221, 329, 263, 405), 0.0),  # a portrait edge read as a letter
        _w("SALEM,", (342, 353, 445, 374)),
        _w("MA", (454, 353, 498, 372)),
        _w("01970", (505, 354, 572, 372)),
        _w("2582", (342, 320, 395, 338)),
        _w("ELM", (404, 320, 460, 339)),
        _w("ST", (470, 321, 500, 339)),
        _w("|", (700, 330, 705, 345), 0.5),
    )
    page = PageText(0, words, "ocr", 1100, 694)
    kept = {w.text for w in clean_words(page)}
    assert "y" not in kept and "|" not in kept and "SALEM," in kept
    texts = [s.text for s in segments(page)]
    assert "SALEM, MA 01970" in texts
    address = extract.find_address(segments(page), identity=True)
    assert address is not None
    value = address[0].value
    assert (value.line1, value.city, value.zip) == ("2582 ELM ST", "SALEM", "01970")


def test_confident_tall_words_are_kept() -> None:
    words = (
        _w("MASSACHUSETTS", (40, 20, 500, 62)),
        _w("LN", (345, 236, 369, 249)),
        _w("KIM", (382, 233, 454, 256)),
        _w("FN", (345, 276, 369, 289)),
    )
    assert len(clean_words(PageText(0, words, "ocr", 1100, 694))) == 4


def test_barcode_document_type_decides_licence_or_id() -> None:
    blank = np.zeros((638, 1012, 3), np.uint8)
    record = BarcodeRecord(9, "636006", {"DCA": "D"}, {}, document_type=DocumentType.STATE_ID)
    doc = classify(image_doc(blank, barcode=record), CTX)
    assert doc.classification.document_type == DocumentType.STATE_ID


def test_help_line_label_is_not_a_customer_name() -> None:
    words = (_w("Customer", (150, 265, 260, 280)), _w("Service", (265, 265, 340, 280)))
    segs = segments(PageText(0, words, "ocr", 1400, 1800))
    assert extract._labelled(segs, extract._NAME) is None
    words = (_w("Customer:", (150, 265, 260, 280)), _w("Bill", (265, 265, 300, 280)),
             _w("Kim", (305, 265, 340, 280)))  # fmt: skip
    found = extract._labelled(segments(PageText(0, words, "ocr", 1400, 1800)), extract._NAME)
    assert found is not None and [w.text for w in found[0]] == ["Bill", "Kim"]


@pytest.mark.skipif(not tesseract.available(), reason="Tesseract is not installed")
def test_orientation_in_process_reports_the_clockwise_fix() -> None:
    image = np.full((500, 1000), 255, np.uint8)
    lines = ("THE QUICK BROWN FOX JUMPS", "OVER THE LAZY DOG 12345", "PACK MY BOX WITH FIVE")
    for i, line in enumerate(lines):
        cv2.putText(image, line, (30, 90 + i * 100), cv2.FONT_HERSHEY_SIMPLEX, 1.4, 0, 3)
    upright = tesseract.detect_orientation(image)
    assert upright is not None and upright.rotate == 0
    turned = np.ascontiguousarray(np.rot90(image, 1))  # turned a quarter counter-clockwise
    found = tesseract.detect_orientation(turned)
    assert found is not None and found.rotate == 90
