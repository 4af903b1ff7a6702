"""Portraits on mostly bright documents, and faceless documents (NO_FACE_DETECTED).

A global histogram equalisation before the cascades, ruled by the bright paper, crushed the
portrait's mid-tones (clean passports and licences were called faceless) and turned print
and paper texture into faces (blank portraits were passed). The cascades now see the grey
copy as it is.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import synth
from conftest import doc_of

from models.flags import DocumentType, FlagCode
from models.internal import Classification
from pipeline.config import FaceConfig
from pipeline.imaging import face


def data_page(rng: np.random.Generator, width: int = 1250, portrait: bool = True) -> np.ndarray:
    """A passport-like data page (125 x 88 mm): pale patterned paper, dark text bars and a
    portrait covering about a tenth of the page."""
    height = round(width * 88 / 125)
    yy, xx = np.mgrid[0:height, 0:width]
    paper = 238 + 6 * np.sin(xx / 19.0) * np.cos(yy / 27.0) + rng.normal(0, 2, (height, width))
    img = np.repeat(np.clip(paper, 0, 255).astype(np.uint8)[:, :, None], 3, axis=2)
    for i in range(8):
        y, x = int(height * (0.1 + 0.09 * i)), int(width * 0.32)
        img[y : y + int(height * 0.025), x : x + int(width * rng.uniform(0.2, 0.5))] = 40
    if portrait:
        pw, ph = int(width * 0.24), int(height * 0.42)
        py, px = int(height * 0.12), int(width * 0.03)
        img[py : py + ph, px : px + pw] = synth.portrait((pw, ph))
    return img


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_portrait_on_bright_paper_is_found(seed):
    page = data_page(np.random.default_rng(seed))
    boxes = face.faces_in(page, FaceConfig())
    assert len(boxes) == 1
    x, y, w, h = boxes[0]  # on the portrait, in the page's own pixels
    height, width = page.shape[:2]
    assert 0.03 * width < x + w / 2 < 0.27 * width and 0.12 * height < y + h / 2 < 0.54 * height


def test_a_face_is_searched_the_right_way_up_only():
    """rectify tells an upside-down card by its portrait: the cascades must not find it
    upside down, and must find it once turned."""
    page = data_page(np.random.default_rng(3))
    assert face.faces_in(np.ascontiguousarray(page[::-1, ::-1]), FaceConfig()) == []
    assert face.faces_in(page, FaceConfig())


def test_faceless_documents_have_no_face():
    cfg = FaceConfig()
    rng = np.random.default_rng(11)
    cards = [synth.card(rng, face=False) for _ in range(8)]
    assert [len(face.faces_in(card, cfg)) for card in cards] == [0] * len(cards)
    assert face.faces_in(data_page(rng, portrait=False), cfg) == []


def test_blank_portrait_still_flags_and_clean_front_passes(ctx):
    passport = Classification(DocumentType.PASSPORT, 0.9)
    rng = np.random.default_rng(5)
    clean = face.detect_faces(doc_of(data_page(rng)), ctx)
    assert clean.faces == 1
    assert face.check_face(replace(clean, classification=passport), ctx).status == "pass"
    blank = face.detect_faces(doc_of(data_page(rng, portrait=False)), ctx)
    assert blank.faces == 0
    r = face.check_face(replace(blank, classification=passport), ctx)
    assert r.status == "fail" and r.flag is FlagCode.NO_FACE_DETECTED


def test_fallback_cascades_need_more_evidence(monkeypatch):
    """The later cascades run only when the first found nothing, with their own threshold."""
    seen: list[tuple[str, int]] = []

    def fake(gray, cascade, scale_factor, min_neighbors, min_size):
        seen.append((cascade, min_neighbors))
        return []

    monkeypatch.setattr(face.cv, "detect_objects", fake)
    cfg = FaceConfig(cascades=("a.xml", "b.xml"), min_neighbors=5, fallback_min_neighbors=7)
    assert face.faces_in(np.full((200, 300, 3), 200, np.uint8), cfg) == []
    assert seen == [("a.xml", 5), ("b.xml", 7)]
    seen.clear()
    face.faces_in(np.full((200, 300, 3), 200, np.uint8), replace(cfg, equalized_fallback=True))
    assert seen == [("a.xml", 5), ("b.xml", 7), ("a.xml", 5), ("b.xml", 7)]
