"""Stage `detect_faces` and check `check_face` (NO_FACE_DETECTED).

Contract: `detect_faces` counts faces on the first page image of the applicant photo and of
identity documents not marked as a back side (the licence/passport portrait), using OpenCV's
Haar cascades (`ctx.config.face.cascades`, tried in order until one fires) on a downscaled
grey copy as it is (`equalized_fallback` adds an equalised copy when none fires). Not
equalised first: a Haar window is normalised by its own contrast already, while a global
equalisation is ruled by the dominant tone; on a document that is mostly bright paper it
spends the grey levels on the paper, crushes the portrait's mid-tones and misses it (and
turns print into false faces). An image nobody turned upright (the photo; a front `rectify`
did not orient) that shows no face is searched turned too, where a face needs a strong
detection (`faces_any_way_up`). It sets `doc.faces` and a `face.count` Measurement; other
documents keep `faces=None` (not looked). `rectify` already searches identity fronts for
their portrait (it tells an upside-down card, or a wrong turn of a card whose text direction
is unclear) on the final page image: a document whose `faces` is set is not searched
again. `check_face` raises NO_FACE_DETECTED when the
photo, or an identity front of an identity type (by classification, else the declared
type), shows no face; it returns None for residency proofs, backs and documents not looked
at, and "skipped" when the image itself failed a quality check (that flag says it already).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import numpy as np

from models.flags import IDENTITY_TYPES, DocumentType, FlagCode
from models.internal import CheckResult, DocumentState, FaceBox, Measurement
from pipeline.config import FaceConfig
from pipeline.context import Context
from pipeline.tools import cv

_QUALITY_GATES = ("quality.sharpness", "quality.exposure", "quality.glare", "quality.resolution")

Box = FaceBox
"""A face: x, y, width, height in pixels of the image searched."""


def faces_in(image: np.ndarray, cfg: FaceConfig) -> list[Box]:
    """Face boxes (x, y, w, h, in pixels of `image`) from the first pass that finds any.

    A pass is one cascade (the later ones asking for more overlapping detections) on one
    contrast of the downscaled grey copy: the copy as it is, then, if
    `cfg.equalized_fallback`, its histogram-equalised version. A face counts only when a
    cascade actually fires."""
    factor, small, min_size = _work_copy(image, cfg)
    for view in _contrasts(small, cfg):
        for i, cascade in enumerate(cfg.cascades):
            neighbours = cfg.min_neighbors if i == 0 else cfg.fallback_min_neighbors
            found = cv.detect_objects(view, cascade, cfg.scale_factor, neighbours, min_size)
            if found:
                return [tuple(round(v / factor) for v in box) for box in found]  # type: ignore[misc]
    return []


def faces_any_way_up(image: np.ndarray, cfg: FaceConfig) -> list[Box]:
    """`faces_in`; when it finds none (and `cfg.turned_search`), the image turned a quarter
    either way, then over, where a face counts only when the first cascade finds it with
    `cfg.turned_min_neighbors` overlapping detections (a phone photo whose orientation
    was lost; the stricter count keeps print and texture from making a face). Boxes are
    in `image`'s own pixels."""
    found = faces_in(image, cfg)
    if found or not cfg.turned_search:
        return found
    factor, small, min_size = _work_copy(image, cfg)
    for k in (1, 3, 2):  # counter-clockwise quarter turns
        view = np.ascontiguousarray(np.rot90(small, k))
        hits = cv.detect_objects(
            view, cfg.cascades[0], cfg.scale_factor, cfg.turned_min_neighbors, min_size
        )
        if hits:
            return [
                tuple(round(v / factor) for v in _unturn(box, k, small.shape))  # type: ignore[misc]
                for box in hits
            ]
    return []


def _unturn(box: Box, k: int, shape: tuple[int, ...]) -> Box:
    """A box found on `np.rot90(image, k)`, in the pixels of `image` (of `shape`)."""
    x, y, w, h = box
    height, width = shape[:2]
    if k == 1:
        return (width - y - h, x, h, w)
    if k == 2:
        return (width - x - w, height - y - h, w, h)
    return (y, height - x - w, h, w)


def faces_unframed(image: np.ndarray, cfg: FaceConfig) -> list[Box]:
    """Faces down to `cfg.unframed_min_face_fraction` of the image's short side, on a copy
    `cfg.unframed_work_side` long, found by the first cascade with
    `cfg.turned_min_neighbors` overlapping detections: the search for a portrait on a front
    whose outline was not found, after `faces_in` found none."""
    wide = replace(
        cfg, work_side=cfg.unframed_work_side, min_face_fraction=cfg.unframed_min_face_fraction
    )
    factor, small, min_size = _work_copy(image, wide)
    hits = cv.detect_objects(
        small, cfg.cascades[0], cfg.scale_factor, cfg.turned_min_neighbors, min_size
    )
    return [tuple(round(v / factor) for v in box) for box in hits]  # type: ignore[misc]


def _work_copy(image: np.ndarray, cfg: FaceConfig) -> tuple[float, np.ndarray, int]:
    """The scale factor, the downscaled grey copy the cascades run on, the smallest face."""
    factor = min(1.0, cfg.work_side / max(image.shape[:2]))
    small = cv.to_gray(cv.scale(image, factor))
    min_size = max(cfg.min_face_px, int(cfg.min_face_fraction * min(small.shape[:2])))
    return factor, small, min_size


def _contrasts(small: np.ndarray, cfg: FaceConfig) -> Iterator[np.ndarray]:
    """The grey copy as it is, then (lazily: only when asked for) equalised."""
    yield small
    if cfg.equalized_fallback:
        yield cv.equalize(small)


def looks_for_face(doc: DocumentState) -> bool:
    """The applicant photo and identity fronts should show a face."""
    return bool(doc.pages) and (
        doc.role == "photo" or (doc.role == "identity" and doc.side != "back")
    )


def count_measurement(boxes: tuple[Box, ...] | list[Box]) -> Measurement:
    """The `face.count` Measurement of the faces found on page 1."""
    detail = (
        f"{len(boxes)} face(s), largest {max(w for _, _, w, _ in boxes)} px wide on page 1"
        if boxes
        else "no face found on page 1"
    )
    return Measurement("face.count", float(len(boxes)), 1.0 if boxes else 0.0, detail)


def detect_faces(doc: DocumentState, ctx: Context) -> DocumentState:
    """Stage: count faces on the photo and on identity fronts (unless rectify already did,
    turning the page upright by them), any way up (`faces_any_way_up`); on an identity
    front that was not outlined and shows none, down to a smaller face (`faces_unframed`)."""
    if not looks_for_face(doc):
        return doc
    if doc.faces is not None and not (doc.faces == 0 and _unframed_front(doc)):
        return doc
    cfg = ctx.config.face
    boxes = faces_any_way_up(doc.pages[0].image, cfg) if doc.faces is None else []
    if not boxes and _unframed_front(doc):
        boxes = faces_unframed(doc.pages[0].image, cfg)
    if doc.faces == 0 and not boxes:
        return doc
    kept = tuple(m for m in doc.measurements if m.name != "face.count")
    return replace(doc, faces=len(boxes), measurements=(*kept, count_measurement(boxes)))


def _unframed_front(doc: DocumentState) -> bool:
    """An identity front whose document outline was not found (`geometry.outline` 0): its
    size in the frame, so its portrait's, is unknown."""
    outline = doc.measurement("geometry.outline")
    unframed = outline is not None and outline.value == 0.0
    return unframed and doc.role == "identity" and doc.side != "back"


def _identity_front(doc: DocumentState) -> bool:
    if doc.role != "identity" or doc.side == "back":
        return False
    if doc.document_type in IDENTITY_TYPES:
        return True
    declared = doc.declared_type
    return doc.document_type is DocumentType.OTHER and declared in {t.value for t in IDENTITY_TYPES}


def check_face(doc: DocumentState, ctx: Context) -> CheckResult | None:
    """NO_FACE_DETECTED for a photo or identity front without a face."""
    if doc.faces is None or not (doc.role == "photo" or _identity_front(doc)):
        return None
    counted = doc.measurement("face.count")
    detail = counted.detail if counted is not None else f"{doc.faces} face(s)"
    if doc.faces > 0:
        return CheckResult("face.present", "pass", 1.0, detail)
    unusable = [m.name for m in doc.measurements if m.name in _QUALITY_GATES and m.score < 0.5]
    if unusable:
        return CheckResult(
            "face.present", "skipped", None, f"{detail}; image failed {', '.join(unusable)}"
        )
    what = "photo" if doc.role == "photo" else "identity document"
    return CheckResult(
        "face.present",
        "fail",
        0.0,
        detail,
        flag=FlagCode.NO_FACE_DETECTED,
        message=f"No face was found on the {what} ({detail}).",
        applicant_message=(
            "We could not find a face in your photo. Please upload a recent photo of your face, "
            "looking at the camera, in good light."
            if doc.role == "photo"
            else "We could not find the portrait on your identity document. Please upload a "
            "photo of the front side, showing the whole document."
        ),
    )
