"""The portrait of a card whose text direction is unclear or runs down the page.

Such a page is turned by Tesseract's orientation detection (OSD), which can be wrong: on a
vertical under-21 licence, a few lines of large type, it answered 180 (just above its
confidence floor) for an upright card, the card was turned over and its portrait, now
upside down, was not found (NO_FACE_DETECTED and TEXT_UNREADABLE on a clean application).
When OSD's turn shows no face, the other quarter turns are searched, and one showing the
portrait wins only when its text or a strong detection confirms it.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import synth
from conftest import doc_of, make_ctx
from PIL import Image, ImageDraw, ImageFont
from skimage import data as skdata

from models.flags import DocumentType
from models.internal import Classification
from pipeline.config import FaceConfig, GeometryConfig, OcrConfig
from pipeline.imaging import face, orientation, rectify
from pipeline.tools import cv

FONT = synth.FONTS[0]


def vertical_card(rng: np.random.Generator, portrait: bool = True, width: int = 694) -> np.ndarray:
    """An upright vertical (under-21 style) ID-1 card: a coloured band, the portrait below
    it, then a few lines of large type (BGR)."""
    height = round(width * 85.6 / 54)
    img = Image.new("RGB", (width, height), (236, 238, 242))
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, 0, width, int(height * 0.08)], fill=(30, 50, 140))
    draw.text((30, 18), "Driver License", font=ImageFont.truetype(FONT, 44), fill=(255, 255, 255))
    draw.rectangle([0, int(height * 0.50), width, int(height * 0.54)], fill=(190, 30, 40))
    font = ImageFont.truetype(FONT, 34)
    for i in range(6):
        words = " ".join(rng.choice(synth.WORDS, 2))
        draw.text((40, int(height * (0.57 + 0.06 * i))), words, font=font, fill=(20, 20, 30))
    out = np.asarray(img)[:, :, ::-1].copy()
    if portrait:
        pw, ph = int(width * 0.45), int(height * 0.38)
        px, py = (width - pw) // 2, int(height * 0.10)
        out[py : py + ph, px : px + pw] = synth.portrait((pw, ph))
    return out


def _osd_says(monkeypatch, rotate: int | None) -> list[int]:
    """Tesseract's orientation detection answers `rotate` (None: no answer); returns the
    list of calls."""
    asked: list[int] = []

    def detect(*args, **kwargs):
        asked.append(1)
        if rotate is None:
            return None
        return orientation.tesseract.Orientation(rotate=rotate, confidence=1.3)

    monkeypatch.setattr(orientation.tesseract, "detect_orientation", detect)
    return asked


def _turn(image: np.ndarray, clockwise_deg: int) -> np.ndarray:
    return np.ascontiguousarray(np.rot90(image, k=-clockwise_deg // 90))


def test_wrong_osd_turn_of_an_upright_vertical_card_is_undone(monkeypatch):
    card = vertical_card(np.random.default_rng(1))
    assert face.faces_in(card, FaceConfig())  # the portrait shows, the right way up
    asked = _osd_says(monkeypatch, 180)  # OSD's mistake on CT-O3199-0079
    monkeypatch.setattr(orientation, "_lines_horizontal", lambda gray: None)  # as measured there
    rotation, faces = orientation.upright_rotation(
        card, GeometryConfig(), OcrConfig(), FaceConfig()
    )
    assert asked == [1]
    assert rotation == 0
    assert faces and len(faces) == 1


@pytest.mark.parametrize("captured", [90, 270])
@pytest.mark.parametrize("osd", [None, 0, 180])
def test_sideways_card_is_turned_by_its_portrait(monkeypatch, captured, osd):
    """A landscape card photographed sideways (its lines run down the page) and OSD unsure
    or wrong: the turn that shows the portrait upright, confirmed by the text, wins."""
    upright = synth.card(np.random.default_rng(4))
    sideways = _turn(upright, captured)
    _osd_says(monkeypatch, osd if osd is None else (osd - captured) % 360)
    rotation, faces = orientation.upright_rotation(
        sideways, GeometryConfig(), OcrConfig(), FaceConfig()
    )
    assert (captured + rotation) % 360 == 0
    assert faces and len(faces) == 1


@pytest.mark.parametrize("captured", [90, 270])
def test_sideways_card_whose_balance_misleads_is_confirmed_by_reading(monkeypatch, captured):
    """A sideways card whose lines' ink balance reads upside down on every turn (capitals
    over small labels, as on MA-S10064-0060 turned), OSD unsure and no strong detection:
    reading the candidate turn both ways confirms the upright one."""
    upright = synth.card(np.random.default_rng(4))
    _osd_says(monkeypatch, None)
    monkeypatch.setattr(orientation, "text_line_balance", lambda gray, ruled=False: -1.0)
    monkeypatch.setattr(orientation, "_strong_face", lambda *args: False)
    rotation, faces = orientation.upright_rotation(
        _turn(upright, captured), GeometryConfig(), OcrConfig(), FaceConfig()
    )
    assert (captured + rotation) % 360 == 0
    assert faces and len(faces) == 1


def test_sideways_faceless_card_gets_no_face(monkeypatch):
    card = _turn(synth.card(np.random.default_rng(4), face=False), 90)
    _osd_says(monkeypatch, None)
    rotation, faces = orientation.upright_rotation(
        card, GeometryConfig(), OcrConfig(), FaceConfig()
    )
    assert rotation == 0 and faces == ()
    blank = vertical_card(np.random.default_rng(2), portrait=False)
    _osd_says(monkeypatch, 180)
    monkeypatch.setattr(orientation, "_lines_horizontal", lambda gray: None)
    rotation, faces = orientation.upright_rotation(
        blank, GeometryConfig(), OcrConfig(), FaceConfig()
    )
    assert rotation == 180 and faces == ()  # OSD's turn stands; no face was invented


def test_a_false_face_on_unconfirmed_turn_neither_turns_nor_hides(monkeypatch):
    """A face found on another turn whose text reads upside down, and that is not a strong
    detection, is not taken: the faceless card keeps OSD's turn and no face."""
    card = _turn(synth.card(np.random.default_rng(5), face=False), 90)  # upright: turn 270
    _osd_says(monkeypatch, 270)
    wrong = cv.to_gray(_turn(card, 90))  # the card upside down

    def faces_in(image, cfg):
        same = image.shape[:2] == wrong.shape and np.array_equal(cv.to_gray(image), wrong)
        return [(40, 40, 120, 120)] if same else []

    monkeypatch.setattr(orientation.face, "faces_in", faces_in)
    monkeypatch.setattr(orientation, "_strong_face", lambda *args: False)
    rotation, faces = orientation.upright_rotation(
        card, GeometryConfig(), OcrConfig(), FaceConfig()
    )
    assert rotation == 270 and faces == ()


def test_stage_finds_the_portrait_of_a_sideways_card(monkeypatch):
    """Through rectify and detect_faces, with orientation on: a clean sideways licence is
    not called faceless, and a faceless one still is."""
    ctx = make_ctx(orientation=True)
    licence = Classification(DocumentType.DRIVERS_LICENSE, 0.9)
    _osd_says(monkeypatch, None)
    card = _turn(synth.card(np.random.default_rng(6)), 90)
    doc = face.detect_faces(rectify.rectify(doc_of(card), ctx), ctx)
    assert doc.faces and doc.faces >= 1
    assert face.check_face(replace(doc, classification=licence), ctx).status == "pass"
    blank = _turn(synth.card(np.random.default_rng(6), face=False), 90)
    doc = face.detect_faces(rectify.rectify(doc_of(blank), ctx), ctx)
    assert doc.faces == 0
    assert face.check_face(replace(doc, classification=licence), ctx).flag is not None


def _bgr(rgb: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(rgb[:, :, ::-1])


@pytest.mark.parametrize("k", [1, 2, 3])
def test_photo_whose_orientation_was_lost_still_shows_a_face(ctx, k):
    """The applicant photo is never turned upright: a selfie stored sideways (or upside
    down) without its EXIF orientation is searched turned, and its face is found where
    it is."""
    photo = _bgr(skdata.astronaut())
    turned = np.ascontiguousarray(np.rot90(photo, k))
    doc = face.detect_faces(doc_of(turned, role="photo"), ctx)
    assert doc.faces == 1
    assert face.check_face(doc, ctx).status == "pass"
    if k == 2:
        return  # (the upright cascades already fire on the upside-down astronaut's suit)
    (box,) = face.faces_any_way_up(turned, FaceConfig())
    upright = face.faces_in(photo, FaceConfig())[0]
    x, y, w, h = box  # back in the turned photo's pixels: the same face, turned
    cx, cy = np.rot90(_centre_map(photo.shape, upright), k).nonzero()[::-1]
    assert abs(x + w / 2 - cx[0]) < 12 and abs(y + h / 2 - cy[0]) < 12


def _centre_map(shape: tuple[int, ...], box: tuple[int, int, int, int]) -> np.ndarray:
    mark = np.zeros(shape[:2], bool)
    x, y, w, h = box
    mark[y + h // 2, x + w // 2] = True
    return mark


@pytest.mark.parametrize("name", ["coffee", "chelsea", "rocket", "grass"])
def test_faceless_photo_stays_faceless_any_way_up(ctx, name):
    image = getattr(skdata, name)()
    photo = _bgr(image if image.ndim == 3 else np.repeat(image[:, :, None], 3, axis=2))
    for k in range(4):
        doc = face.detect_faces(doc_of(np.ascontiguousarray(np.rot90(photo, k)), role="photo"), ctx)
        assert doc.faces == 0
        assert face.check_face(doc, ctx).flag is not None


def test_turned_search_can_be_switched_off(ctx):
    turned = np.ascontiguousarray(np.rot90(_bgr(skdata.astronaut()), 1))
    assert face.faces_in(turned, FaceConfig()) == []  # the cascades are upright-only
    assert face.faces_any_way_up(turned, FaceConfig(turned_search=False)) == []
