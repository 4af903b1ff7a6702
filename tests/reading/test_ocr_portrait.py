"""A card's portrait is painted over before OCR: read as one block, a portrait beside the
name lines is read as letters on the same lines and garbles them."""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np

from pipeline.config import OcrConfig, PipelineConfig
from pipeline.reading import ocr
from tests.reading import synth

CFG = PipelineConfig().ocr


def _card() -> np.ndarray:
    """A light card: a textured 'portrait' on the left, name lines to its right."""
    rng = np.random.default_rng(5)
    card = np.full((694, 1100, 3), (245, 238, 232), np.uint8)
    card[120:440, 40:290] = rng.integers(0, 255, (320, 250, 3), dtype=np.uint8)
    cv2.putText(card, "DMITRI RAY", (330, 260), cv2.FONT_HERSHEY_SIMPLEX, 1.1, (20, 20, 20), 2)
    return card


def test_the_portrait_is_painted_in_the_paper_colour_and_the_text_kept() -> None:
    card = _card()
    face = (90, 170, 140, 150)  # x, y, w, h: inside the photo
    out = ocr._without_portrait(card, face, CFG)
    left, top = CFG.portrait_margin[:2]
    inside = out[round(170 - top * 150) : 170 + 150, round(90 - left * 140) : 90 + 140]
    assert np.ptp(inside.reshape(-1, 3), axis=0).max() == 0  # one flat colour
    assert tuple(int(v) for v in inside[0, 0]) == (245, 238, 232)  # the card's paper
    assert np.array_equal(out[:, 320:], card[:, 320:])  # the name lines untouched
    assert np.array_equal(out[:100], card[:100])
    assert not np.array_equal(card[200, 100], out[200, 100])  # the input is not changed
    assert card is not out


def test_which_face_is_the_portrait() -> None:
    card = _card()
    doc = dataclasses.replace(
        synth.image_doc(card), faces=2, face_boxes=((90, 170, 140, 150), (900, 500, 40, 40))
    )
    page = doc.pages[0]
    assert ocr.portrait_of(doc, page, CFG) == (90, 170, 140, 150)  # the largest
    ghost_only = dataclasses.replace(doc, faces=1, face_boxes=((900, 500, 40, 40),))
    assert ocr.portrait_of(ghost_only, page, CFG) is None  # too small for a portrait
    assert ocr.portrait_of(dataclasses.replace(doc, face_boxes=()), page, CFG) is None
    second = dataclasses.replace(page, index=1)
    assert ocr.portrait_of(doc, second, CFG) is None  # only the first page's faces are known
    page_sized = dataclasses.replace(page, image=np.full((1100, 850, 3), 255, np.uint8))
    residency = dataclasses.replace(doc, role="residency", pages=(page_sized,))
    assert ocr.portrait_of(residency, page_sized, CFG) is None  # a page is not a card
    off = dataclasses.replace(CFG, portrait_blank=False)
    assert ocr.portrait_of(doc, page, off) is None


def test_the_portrait_and_the_plain_card_are_prepared_apart() -> None:
    page = synth.image_doc(_card()).pages[0]
    plain = ocr._prepared(page, "identity", CFG)
    blanked = ocr._prepared(page, "identity", CFG, (90, 170, 140, 150))
    assert not np.array_equal(plain[0], blanked[0])
    assert ocr._prepared(page, "identity", CFG, (90, 170, 140, 150))[0] is blanked[0]


def test_settings_default() -> None:
    assert OcrConfig().portrait_blank and 0 < OcrConfig().portrait_min_width < 0.15
