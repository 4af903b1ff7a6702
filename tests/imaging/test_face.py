"""Face detection on the applicant photo and identity portraits, and NO_FACE_DETECTED."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import synth
from conftest import doc_of
from skimage import data as skdata

from models.flags import DocumentType, FlagCode
from models.internal import Classification
from pipeline.config import FaceConfig
from pipeline.imaging import face, quality


def _bgr(rgb: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(rgb[:, :, ::-1])


def test_astronaut_has_a_face_coffee_and_chelsea_do_not():
    cfg = FaceConfig()
    boxes = face.faces_in(_bgr(skdata.astronaut()), cfg)
    assert len(boxes) == 1
    x, y, w, h = boxes[0]
    assert 150 < x + w / 2 < 260 and 60 < y + h / 2 < 190  # her face, in original pixels
    assert face.faces_in(_bgr(skdata.coffee()), cfg) == []
    assert face.faces_in(_bgr(skdata.chelsea()), cfg) == []


def test_photo_without_face_is_flagged(ctx):
    doc = face.detect_faces(doc_of(_bgr(skdata.coffee()), role="photo"), ctx)
    assert doc.faces == 0
    r = face.check_face(doc, ctx)
    assert r.flag is FlagCode.NO_FACE_DETECTED and r.status == "fail"
    assert "photo" in r.applicant_message
    ok = face.detect_faces(doc_of(_bgr(skdata.astronaut()), role="photo"), ctx)
    assert ok.faces == 1 and face.check_face(ok, ctx).status == "pass"


def test_identity_front_needs_its_portrait(ctx, rng):
    licence = Classification(DocumentType.DRIVERS_LICENSE, 0.9)
    with_face = face.detect_faces(doc_of(synth.card(rng, face=True)), ctx)
    assert with_face.faces >= 1
    assert face.check_face(replace(with_face, classification=licence), ctx).status == "pass"
    without = face.detect_faces(doc_of(synth.card(rng, face=False)), ctx)
    assert without.faces == 0
    r = face.check_face(replace(without, classification=licence), ctx)
    assert r.flag is FlagCode.NO_FACE_DETECTED


def test_backs_and_residency_are_not_judged(ctx, rng):
    back = face.detect_faces(doc_of(synth.card(rng, face=False), side="back"), ctx)
    assert back.faces is None and face.check_face(back, ctx) is None
    bill = face.detect_faces(doc_of(synth.page(rng, 800), role="residency"), ctx)
    assert bill.faces is None and face.check_face(bill, ctx) is None
    # an identity upload classified as a bill is WRONG_DOCUMENT_TYPE's business, not ours
    front = face.detect_faces(doc_of(synth.page(rng, 800)), ctx)
    as_bill = replace(front, classification=Classification(DocumentType.UTILITY_BILL, 0.9))
    assert face.check_face(as_bill, ctx) is None


def test_unusable_image_is_not_also_called_faceless(ctx, rng):
    licence = Classification(DocumentType.DRIVERS_LICENSE, 0.9)
    blurred = synth.gaussian_blur(synth.card(rng, face=False), 9)
    doc = quality.measure(doc_of(blurred), ctx)
    doc = replace(face.detect_faces(doc, ctx), classification=licence)
    r = face.check_face(doc, ctx)
    assert r.status == "skipped" and r.flag is None
