"""Turning a card over needs more than one face detection on the turned page (issue #3)."""

from __future__ import annotations

import numpy as np
import synth

from pipeline.config import FaceConfig, GeometryConfig, OcrConfig
from pipeline.imaging import orientation
from pipeline.tools import cv


def _false_face_when_turned(monkeypatch, card: np.ndarray) -> None:
    """The face cascade finds nothing on `card` and a (false) face on it turned over."""
    turned = cv.to_gray(np.ascontiguousarray(card[::-1, ::-1]))

    def faces_in(image, cfg):
        small = cv.to_gray(image)
        if small.shape == turned.shape and np.array_equal(small, turned):
            return [(40, 40, 120, 120)]
        return []

    monkeypatch.setattr(orientation.face, "faces_in", faces_in)


def test_text_line_balance_tells_upright_from_upside_down():
    for seed in range(4):
        gray = cv.to_gray(synth.card(np.random.default_rng(seed), face=False))
        assert orientation.text_line_balance(gray) >= 0.5
        assert orientation.text_line_balance(np.ascontiguousarray(gray[::-1, ::-1])) <= -0.5
    assert orientation.text_line_balance(np.full((200, 300), 230, np.uint8)) == 0.0


def test_one_false_face_on_the_turned_card_does_not_turn_it(monkeypatch):
    card = synth.card(np.random.default_rng(21), face=False)  # blank portrait
    _false_face_when_turned(monkeypatch, card)
    rotation, faces = orientation.upright_rotation(
        card, GeometryConfig(), OcrConfig(), FaceConfig()
    )
    assert rotation == 0
    assert faces == ()  # the missing portrait stays visible (NO_FACE_DETECTED)


def test_turned_face_with_upside_down_text_still_turns_the_card(monkeypatch):
    card = synth.card(np.random.default_rng(21), face=False)
    upside_down = np.ascontiguousarray(card[::-1, ::-1])
    _false_face_when_turned(monkeypatch, upside_down)
    rotation, faces = orientation.upright_rotation(
        upside_down, GeometryConfig(), OcrConfig(), FaceConfig()
    )
    assert rotation == 180
    assert faces and len(faces) == 1


def test_unclear_text_and_readings_defer_to_orientation_detection(monkeypatch):
    card = synth.card(np.random.default_rng(21), face=False)
    _false_face_when_turned(monkeypatch, card)
    monkeypatch.setattr(orientation, "text_line_balance", lambda gray, ruled=False: 0.0)
    monkeypatch.setattr(orientation, "_reads_turned", lambda *a: None)
    asked: list[int] = []

    def osd(*args, **kwargs):
        asked.append(1)
        return orientation.tesseract.Orientation(rotate=0, confidence=5.0)

    monkeypatch.setattr(orientation.tesseract, "detect_orientation", osd)
    rotation, _ = orientation.upright_rotation(card, GeometryConfig(), OcrConfig(), FaceConfig())
    assert rotation == 0 and asked == [1]


def test_a_false_face_on_the_turned_card_is_outread_by_its_upright_text(monkeypatch):
    """Real Tesseract: the card reads far better as it is, whatever the other cues say."""
    card = synth.card(np.random.default_rng(21), face=False)
    _false_face_when_turned(monkeypatch, card)
    monkeypatch.setattr(orientation, "text_line_balance", lambda gray, ruled=False: 0.0)
    monkeypatch.setattr(orientation, "_osd_turn", lambda *a: 180)
    monkeypatch.setattr(orientation, "_strong_face", lambda *a: True)
    rotation, faces = orientation.upright_rotation(
        card, GeometryConfig(), OcrConfig(), FaceConfig()
    )
    assert (rotation, faces) == (0, ())


def test_a_real_face_on_an_upside_down_card_is_confirmed_by_reading_it(monkeypatch):
    """CT-O4221-0086: upside down, its balance read upright and OSD was unsure; read both
    ways, the turned card reads far better."""
    card = synth.card(np.random.default_rng(21), face=False)
    upside_down = np.ascontiguousarray(card[::-1, ::-1])
    _false_face_when_turned(monkeypatch, upside_down)
    monkeypatch.setattr(orientation, "text_line_balance", lambda gray, ruled=False: 0.6)
    monkeypatch.setattr(orientation, "_osd_turn", lambda *a: None)
    monkeypatch.setattr(orientation, "_strong_face", lambda *a: False)
    rotation, faces = orientation.upright_rotation(
        upside_down, GeometryConfig(), OcrConfig(), FaceConfig()
    )
    assert rotation == 180 and len(faces) == 1
