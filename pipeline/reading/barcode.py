"""Stage `read_barcode`: the AAMVA PDF417 barcode of a licence or state ID.

On identity documents only, each of the first pages is read with zxing-cpp
(`pipeline.tools.barcode`) in a bounded sequence of attempts: the image as is (with
zxing's local, then its global-histogram binariser), crops of regions dense in vertical
strokes deskewed by their minimum-area rectangle,
quarter turns, an upscaled and a binarised copy, and finally a sweep of rotations
(zxing reads about 3 degrees of skew, not 7). The first symbol that parses as AAMVA
(`pipeline.reading.aamva`) becomes `doc.barcode`, with the symbol's box in page pixels;
its fields carry source "barcode", confidence 1.0, the page and that box.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np

from models.internal import BarcodeRecord, Box, DocumentState, FieldValue, FileKind, Page
from pipeline.config import BarcodeConfig
from pipeline.context import Context
from pipeline.errors import FileUnreadable
from pipeline.load import decode_image
from pipeline.reading.aamva import AamvaError, AamvaResult, parse_aamva
from pipeline.tools import barcode as zx
from pipeline.tools import cv

log = logging.getLogger(__name__)

WHITE = (255, 255, 255)
MAX_REGIONS = 2
MIN_REGION_FRACTION = 0.01
"""Smallest stroke region considered, as a fraction of the image area."""


@dataclass(frozen=True)
class _Attempt:
    """An image to read and the affine map (2x3) from its pixels back to the page's."""

    image: np.ndarray
    to_page: np.ndarray
    binarizer: zx.Binarizer = "local"


def read_barcode(doc: DocumentState, ctx: Context) -> DocumentState:
    """Stage: decode the AAMVA barcode of an identity document (pages as loaded), or of
    a card-shaped image uploaded as a residency proof (a licence back sent in its place:
    its barcode tells what it is, for the document-type check)."""
    if doc.stopped is not None or not doc.pages or not zx.available():
        return doc
    if doc.role != "identity" and not (doc.role == "residency" and _card_shaped(doc)):
        return doc
    if _portrait_front(doc):
        return doc  # AAMVA prints the PDF417 on the back: a front was 50-100 ms of misses
    cfg = ctx.config.barcode
    for page in doc.pages[: cfg.max_pages]:
        record = _read_page(page, cfg)
        if record is not None:
            log.info("barcode read", extra={"document_id": doc.document_id, "page": page.index})
            return replace(doc, barcode=record)
    record = _read_as_uploaded(doc, ctx)
    if record is not None:
        log.info("barcode read on the image as uploaded", extra={"document_id": doc.document_id})
        return replace(doc, barcode=record)
    return doc


def _read_as_uploaded(doc: DocumentState, ctx: Context) -> BarcodeRecord | None:
    """The barcode read on the one image as uploaded, when `rectify` flattened a declared
    back and the flattened copy gave none: a wrong outline warps a card's back past
    decoding (a clean back whose shadow made a false quadrilateral, MA-S10018-0122), the
    upload itself reads. Its box is carried into the flattened page's pixels. Costs one
    decode, only then."""
    page = doc.pages[0]
    if doc.side != "back" or len(doc.pages) != 1 or page.to_stored is None:
        return None  # only a declared back must carry the barcode: no cost on fronts
    if doc.kind is FileKind.PDF:
        return None
    limits = ctx.config.limits
    try:
        pages = decode_image(
            doc.data, limits.image_megapixels, limits.decode_megapixels, limits.decode_bytes
        )
    except FileUnreadable:
        return None
    from_stored = np.linalg.inv(np.asarray(page.to_stored, dtype=np.float64).reshape(3, 3))
    return _read_image(pages[0].image, page.index, ctx.config.barcode, from_stored)


CARD_RATIO = (1.35, 1.85)
"""Width / height of a card (ID-1 cards are 1.586); bills and letters are portrait pages."""


def _portrait_front(doc: DocumentState) -> bool:
    """One card image declared as the front, on which `rectify` found the portrait."""
    return doc.side == "front" and bool(doc.faces) and _card_shaped(doc)


def _card_shaped(doc: DocumentState) -> bool:
    if len(doc.pages) != 1:
        return False
    height, width = doc.pages[0].image.shape[:2]
    return CARD_RATIO[0] <= width / max(height, 1) <= CARD_RATIO[1]


def _read_page(page: Page, cfg: BarcodeConfig) -> BarcodeRecord | None:
    return _read_image(page.image, page.index, cfg)


def _read_image(
    image: np.ndarray, index: int, cfg: BarcodeConfig, to_page: np.ndarray | None = None
) -> BarcodeRecord | None:
    """The first AAMVA symbol read in `image`; its box mapped by `to_page` (3x3, from the
    image's pixels to the page's) when the image is not the page itself."""
    for attempt in _attempts(image, cfg):
        for symbol in zx.read_pdf417(attempt.image, attempt.binarizer):
            try:
                result = parse_aamva(symbol.payload)
            except AamvaError:
                continue
            to = _homog(attempt.to_page) if to_page is None else to_page @ _homog(attempt.to_page)
            return _record(result, index, _map_box(symbol.corners, to))
    return None


def _record(result: AamvaResult, page: int, box: Box) -> BarcodeRecord:
    fields: dict[str, FieldValue] = {
        name: replace(value, page=page, box=box) for name, value in result.fields.items()
    }
    return BarcodeRecord(
        version=result.version,
        issuer_id=result.issuer_id,
        elements=dict(result.elements),
        fields=fields,
        box=box,
        page=page,
        document_type=result.document_type,
        jurisdiction=result.jurisdiction,
    )


# --- the attempts -------------------------------------------------------------------


def _attempts(image: np.ndarray, cfg: BarcodeConfig) -> Iterator[_Attempt]:
    """At most `cfg.max_tries` images to read, cheapest and likeliest first."""
    for count, attempt in enumerate(_all_attempts(image, cfg)):
        if count >= cfg.max_tries:
            return
        yield attempt


def _all_attempts(image: np.ndarray, cfg: BarcodeConfig) -> Iterator[_Attempt]:
    long_side = max(image.shape[:2])
    factor = min(1.0, cfg.max_long_side_px / long_side)
    base = cv.scale(image, factor)
    to_page = _scale_matrix(1.0 / factor)
    yield _Attempt(base, to_page)
    yield _Attempt(base, to_page, "global")  # some photographed backs read only this way
    gray = cv.to_gray(base)
    for corners in _stroke_regions(gray):
        yield _region_attempt(base, corners, to_page, cfg)
    for degrees in (90.0, 270.0):
        yield _rotated(base, degrees, to_page)
    if long_side * factor < cfg.min_long_side_px:
        up = cfg.min_long_side_px / (long_side * factor)
        yield _Attempt(cv.scale(base, up), to_page @ _homog(_scale_matrix(1.0 / up)))
    yield _Attempt(cv.otsu(gray), to_page)
    for degrees in cfg.sweep_degrees:
        yield _rotated(base, degrees, to_page)


def _region_attempt(
    base: np.ndarray, corners: np.ndarray, to_page: np.ndarray, cfg: BarcodeConfig
) -> _Attempt:
    """A crop around a stroke region, turned so that its long side is horizontal."""
    height, width = base.shape[:2]
    x0, y0 = corners.min(axis=0)
    x1, y1 = corners.max(axis=0)
    mx, my = (x1 - x0) * 0.12 + 8, (y1 - y0) * 0.12 + 8
    left, top = int(max(0, x0 - mx)), int(max(0, y0 - my))
    right, bottom = int(min(width, x1 + mx)), int(min(height, y1 + my))
    crop = base[top:bottom, left:right]
    crop_to_page = to_page @ _homog(_translate_matrix(left, top))
    attempt = _rotated(crop, _long_edge_degrees(corners), crop_to_page)
    long_side = max(attempt.image.shape[:2])
    if long_side < cfg.min_long_side_px // 2:
        up = (cfg.min_long_side_px // 2) / long_side
        image = cv.scale(attempt.image, up)
        return _Attempt(image, attempt.to_page @ _homog(_scale_matrix(1.0 / up)))
    return attempt


def _stroke_regions(gray: np.ndarray) -> list[np.ndarray]:
    """Corners (4x2) of the largest regions dense in vertical strokes (barcode candidates)."""
    gx, gy = cv.sobel(gray)
    strokes = np.clip(np.abs(gx) - np.abs(gy), 0, 255).astype(np.uint8)
    smooth = cv.gaussian_blur(strokes, 2.0)
    mask = cv.otsu(smooth)
    h, w = gray.shape[:2]
    mask = cv.close(mask, (max(3, w // 60), max(3, h // 90)))
    mask = cv.open_(mask, (max(3, w // 80), max(3, h // 80)))
    out: list[np.ndarray] = []
    for contour in cv.outer_contours(mask)[:MAX_REGIONS]:
        if cv.contour_area(contour) < MIN_REGION_FRACTION * h * w:
            break
        corners, _ = cv.min_area_rect(contour.reshape(-1, 2))
        out.append(np.asarray(corners, dtype=np.float64))
    return out


def _long_edge_degrees(corners: np.ndarray) -> float:
    """Angle of the rectangle's long edge in image coordinates, within (-90, 90]."""
    edges = [corners[(i + 1) % 4] - corners[i] for i in range(2)]
    dx, dy = max(edges, key=lambda e: float(np.hypot(*e)))
    degrees = math.degrees(math.atan2(dy, dx))
    while degrees <= -90:
        degrees += 180
    while degrees > 90:
        degrees -= 180
    return degrees


# --- geometry: affine maps from an attempt's pixels back to the page ---------------------


def _rotated(image: np.ndarray, degrees: float, to_page: np.ndarray) -> _Attempt:
    """The image turned counter-clockwise by `degrees` (canvas enlarged, white border)."""
    border = WHITE if image.ndim == 3 else (255, 255, 255)
    turned = cv.rotate(image, degrees, border=border)
    forward = _rotation_matrix(image.shape[:2], turned.shape[:2], degrees)
    return _Attempt(turned, to_page @ np.linalg.inv(_homog(forward)))


def _rotation_matrix(src: tuple[int, ...], dst: tuple[int, ...], degrees: float) -> np.ndarray:
    """The 2x3 matrix `cv.rotate` applies (same formula as cv2.getRotationMatrix2D)."""
    h, w = src[:2]
    nh, nw = dst[:2]
    a, b = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    cx, cy = w / 2.0, h / 2.0
    return np.array(
        [
            [a, b, (1 - a) * cx - b * cy + nw / 2.0 - cx],
            [-b, a, b * cx + (1 - a) * cy + nh / 2.0 - cy],
        ]
    )


def _scale_matrix(factor: float) -> np.ndarray:
    return np.array([[factor, 0.0, 0.0], [0.0, factor, 0.0]])


def _translate_matrix(dx: float, dy: float) -> np.ndarray:
    return np.array([[1.0, 0.0, dx], [0.0, 1.0, dy]])


def _homog(matrix: np.ndarray) -> np.ndarray:
    return np.vstack([matrix, [0.0, 0.0, 1.0]])


def _map_box(corners: tuple[tuple[int, int], ...], to_page: np.ndarray) -> Box:
    """The page box of a symbol's corners; `to_page` affine (2x3) or projective (3x3)."""
    points = np.array([[x, y, 1.0] for x, y in corners]).T
    mapped = to_page @ points
    if mapped.shape[0] == 3:
        mapped = mapped[:2] / mapped[2]
    xs, ys = mapped[0], mapped[1]
    return (
        max(0, round(float(xs.min()))),
        max(0, round(float(ys.min()))),
        round(float(xs.max())),
        round(float(ys.max())),
    )
