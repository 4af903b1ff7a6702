"""Work the pipeline must not do (performance, issue #9), and the cheaper skew search."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import synth
from conftest import doc_of, make_ctx

from pipeline.imaging import rectify
from pipeline.reading import barcode
from pipeline.tools import cv


@pytest.mark.parametrize("angle", [-12.0, -3.5, 2.2, 9.0])
def test_skew_search_finds_the_angle(angle):
    page = synth.page(np.random.default_rng(11), 1200)
    skewed = cv.rotate(page, angle, border=(255, 255, 255))
    gray = cv.to_gray(cv.scale(skewed, 640 / max(skewed.shape[:2])))
    assert abs(rectify.estimate_skew(gray, 20.0) - (-angle)) <= 0.3


@pytest.mark.parametrize("turn", [1, -1])
@pytest.mark.parametrize("angle", [-12.0, 2.4, 9.0])
def test_skew_of_a_page_lying_sideways_is_found_on_its_columns(angle, turn):
    """CT-S10064-0018 turned: a sideways statement skewed by 2.4 degrees was deskewed by
    -12.7 (rows only), then turned upright and read no word."""
    page = synth.page(np.random.default_rng(11), 1200, lines=12)
    skewed = np.ascontiguousarray(np.rot90(cv.rotate(page, angle, border=(255, 255, 255)), turn))
    gray = cv.to_gray(cv.scale(skewed, 640 / max(skewed.shape[:2])))
    assert abs(rectify.estimate_skew(gray, 20.0) - (-angle)) <= 0.3


def test_a_blank_page_has_no_skew():
    assert rectify.estimate_skew(np.full((480, 640), 250, np.uint8), 20.0) == 0.0


def _count_reads(monkeypatch) -> list[int]:
    calls: list[int] = []

    def fake_read(image, binarizer="local"):
        calls.append(1)
        return []

    monkeypatch.setattr(barcode.zx, "read_pdf417", fake_read)
    monkeypatch.setattr(barcode.zx, "available", lambda: True)
    return calls


def test_no_barcode_search_on_a_front_showing_its_portrait(monkeypatch):
    calls = _count_reads(monkeypatch)
    card = synth.card(np.random.default_rng(2))
    front = replace(doc_of(card, side="front"), faces=1)
    assert barcode.read_barcode(front, make_ctx()) is front
    assert calls == []


@pytest.mark.parametrize(
    ("side", "faces"), [("back", None), ("front", 0), (None, 1), ("front", None)]
)
def test_barcode_is_searched_on_backs_and_fronts_without_a_portrait(monkeypatch, side, faces):
    calls = _count_reads(monkeypatch)
    card = synth.card(np.random.default_rng(2), face=False)
    doc = replace(doc_of(card, side=side), faces=faces)
    barcode.read_barcode(doc, make_ctx())
    assert calls  # an unknown side, or no portrait found: the card may be a back


@pytest.mark.parametrize(
    ("side", "decodes", "looked"),
    [("back", True, False), ("back", False, True), ("front", True, True)],
)
def test_a_licence_back_whose_barcode_decodes_is_not_turned(monkeypatch, side, decodes, looked):
    """Orientation detection (0.1-0.5 s) ran on 25 of 38 licence backs of generate 10071
    (their few text lines leave the ink balance unsure) for nothing: the barcode carries a
    back's fields and is read in every quarter turn, and a decoded back is not OCRed. A
    back whose barcode does not decode, and any front, are still turned upright."""
    asked: list[int] = []

    def upright(*args, **kwargs):
        asked.append(1)
        return 0, None

    monkeypatch.setattr(rectify, "upright_rotation", upright)
    monkeypatch.setattr(
        rectify.barcode, "read_pdf417", lambda image, binarizer="local": [1] if decodes else []
    )
    card = synth.card(np.random.default_rng(2), face=False)
    rectify.rectify(doc_of(card, side=side), make_ctx(orientation=True))
    assert bool(asked) == looked
