"""Stage `rectify`: find the document in the picture, flatten it and turn it upright.

Contract: for each page image of a document whose role is not `photo` (text PDFs have no
page images and pass unchanged):
1. look for the document's outline on a downscaled copy (`pipeline.imaging.outline`);
2. when one is found, warp the full-resolution page to a flat rectangle: an outline with
   the ID-1 aspect becomes a card `geometry.card_width_px` wide keeping 85.6 x 54; any other
   document keeps its captured resolution. Otherwise (a flat scan, or a document filling the
   frame) the text-line skew is measured and rotated out;
3. turn the page upright (`pipeline.imaging.orientation`; Tesseract's orientation detection
   only where the cheap cues leave it open), reusing the portrait search for `detect_faces`;
   a licence back whose barcode decodes as flattened is left as it is (its barcode carries
   its fields, read in any turn).
What was done is recorded as Measurements, per page (`geometry.outline`, `geometry.skew_deg`,
`geometry.rotation_deg`, `geometry.scale`, `geometry.source_px`: pixels across the
document's long side as captured, which the resolution check uses; `geometry.glare_spill`:
the share of the outline under reflections spilling past it, which the glare measure
uses), plus
`quality.framing` (document cut off at the frame edge, or no document at all).
Suffix `.p<N>` marks pages after the first.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from models.internal import DocumentState, Measurement, Page
from pipeline.config import FaceConfig, GeometryConfig, OcrConfig
from pipeline.context import Context
from pipeline.errors import ToolError, ToolMissing
from pipeline.imaging import face
from pipeline.imaging.orientation import ink_mask, upright_rotation
from pipeline.imaging.outline import (
    FEATURE_MAX_AREA,
    Outline,
    Region,
    card_shaped,
    edge_lengths,
    find_outline,
    inside_flat_card,
)
from pipeline.tools import barcode, cv


@dataclass(frozen=True)
class Geometry:
    """What rectification did to one page."""

    image: np.ndarray
    outline: Outline | None
    skew: float
    rotation: int
    source_px: float
    scale: float
    framing: Measurement
    matrix: np.ndarray
    """3x3 matrix taking the captured image's pixels to the output's."""
    faces: tuple[face.Box, ...] | None = None
    """Face boxes found on the output while orienting it (None: not looked)."""
    spill: float = 0.0
    """Share of the outline covered by reflections spilling past it (`Outline.spill`)."""


def measurement_name(name: str, page: int) -> str:
    """Measurement name for a page: bare for the first page, `<name>.p<N>` for the others."""
    return name if page == 0 else f"{name}.p{page}"


def rectify(doc: DocumentState, ctx: Context) -> DocumentState:
    """Stage: replace each page image by its flattened, upright version (not for photos)."""
    if doc.role == "photo" or not doc.pages:
        return doc
    geo_cfg, ocr_cfg = ctx.config.geometry, ctx.config.ocr
    pages: list[Page] = []
    measurements: list[Measurement] = []
    faces: tuple[face.Box, ...] | None = None
    for page in doc.pages:
        allow_osd = geo_cfg.orientation and page.index < geo_cfg.orientation_pages
        portrait = ctx.config.face if page.index == 0 and face.looks_for_face(doc) else None
        ocr = ocr_cfg if allow_osd else None
        settled = _barcode_decodes if _licence_back(doc, page) else None
        result = rectify_image(page.image, geo_cfg, ocr, portrait, doc.role == "residency", settled)
        if page.index == 0 and result.faces is not None:
            faces = result.faces
            measurements.append(face.count_measurement(result.faces))
        dpi = page.dpi * result.scale if page.dpi and result.outline is None else None
        back_matrix = np.linalg.inv(result.matrix)
        if page.to_stored is not None:  # the page was already reduced at decoding
            back_matrix = np.asarray(page.to_stored).reshape(3, 3) @ back_matrix
        back = tuple(float(v) for v in back_matrix.flatten())
        pages.append(replace(page, image=result.image, dpi=dpi, to_stored=back))
        measurements.extend(_measurements(result, page.index))
    found = (*doc.measurements, *measurements)
    if faces is None:
        return replace(doc, pages=tuple(pages), measurements=found)
    return replace(doc, pages=tuple(pages), measurements=found, faces=len(faces), face_boxes=faces)


def rectify_image(
    image: np.ndarray,
    cfg: GeometryConfig,
    ocr: OcrConfig | None,
    portrait: FaceConfig | None = None,
    ruled: bool = False,
    settled: Callable[[np.ndarray], bool] | None = None,
) -> Geometry:
    """Flatten and straighten one page image (`ocr` None: no orientation detection;
    `portrait`: the page should show a face, which also tells an upside-down card;
    `ruled`: a page of print, see `orientation.text_line_balance`; `settled`: true of the
    flattened page when its turn does not matter, and orientation is not looked for)."""
    h, w = image.shape[:2]
    factor = min(1.0, cfg.outline_side / max(h, w))
    small = cv.scale(image, factor)
    outline, region = find_outline(small, cfg)
    if inside_flat_card(outline, w, h, cfg) or _portrait_box(small, outline, portrait, cfg):
        outline = None
    framing = framing_measurement(small, outline, region, cfg)
    spill = 0.0 if outline is None else outline.spill
    skew, matrix = 0.0, np.eye(3)
    if outline is not None:
        quad = outline.quad / factor
        out, source_px = warp(image, quad, cfg)
        matrix = cv.quad_matrix(quad, out.shape[1], out.shape[0])
    else:
        source_px = float(max(h, w))
        skew = estimate_skew(cv.to_gray(small), cfg.max_skew_deg)
        skew = skew if abs(skew) >= cfg.min_skew_deg else 0.0
        if skew:
            out = deskew(image, skew)
            matrix = np.vstack([cv.rotation_matrix(w, h, skew)[0], [0.0, 0.0, 1.0]])
        else:
            out = image
    rotation, faces = 0, None
    if ocr is not None and (settled is None or not settled(out)):
        rotation, faces = upright_rotation(out, cfg, ocr, portrait, ruled)
        if rotation:
            matrix = quarter_turn_matrix(out.shape[1], out.shape[0], rotation) @ matrix
            out = np.ascontiguousarray(np.rot90(out, k=-rotation // 90))
    scale = max(out.shape[:2]) / max(1.0, source_px)
    return Geometry(out, outline, skew, rotation, source_px, scale, framing, matrix, faces, spill)


def _licence_back(doc: DocumentState, page: Page) -> bool:
    return doc.role == "identity" and doc.side == "back" and page.index == 0


def _barcode_decodes(image: np.ndarray) -> bool:
    """A PDF417 symbol decodes on the flattened back as it is: its turn does not matter.

    Its barcode carries all a licence back's fields, `read_barcode` tries every quarter
    turn and `read_text` skips a decoded back; orientation detection there cost 0.1-0.5 s,
    on two thirds of the backs (their few text lines leave the ink balance unsure), for
    nothing. One decode, which `read_barcode` repeats (tens of milliseconds)."""
    try:
        return bool(barcode.read_pdf417(image))
    except (ToolError, ToolMissing):
        return False


def quarter_turn_matrix(w: int, h: int, clockwise_deg: int) -> np.ndarray:
    """3x3 matrix of turning a w x h image clockwise by 90, 180 or 270 degrees."""
    turns = {
        90: [[0, -1, h - 1], [1, 0, 0]],
        180: [[-1, 0, w - 1], [0, -1, h - 1]],
        270: [[0, 1, 0], [-1, 0, w - 1]],
    }[clockwise_deg % 360]
    return np.vstack([np.asarray(turns, dtype=np.float64), [0.0, 0.0, 1.0]])


def warp(image: np.ndarray, quad: np.ndarray, cfg: GeometryConfig) -> tuple[np.ndarray, float]:
    """Warp the quad to a rectangle; returns the image and the source long side in pixels."""
    width, height = edge_lengths(quad)
    source_px = max(width, height)
    aspect = source_px / max(1.0, min(width, height))
    if abs(aspect - cfg.card_aspect) / cfg.card_aspect <= cfg.card_aspect_tolerance:
        long_side, short_side = cfg.card_width_px, round(cfg.card_width_px / cfg.card_aspect)
        out_w, out_h = (long_side, short_side) if width >= height else (short_side, long_side)
    else:
        out_w, out_h = max(1, round(width)), max(1, round(height))
    return cv.warp_quad(image, quad, out_w, out_h, cfg.warp_cubic), source_px


PORTRAIT_FILL = 0.3
"""Share of an outline's width a face takes when the outline is a portrait's box: a
card's portrait face spans 12-20 % of the card, a portrait box's face 40-50 % of it."""


def _portrait_box(
    small: np.ndarray, outline: Outline | None, portrait: FaceConfig | None, cfg: GeometryConfig
) -> bool:
    """On a card scanned edge to edge, an outline of the card's own shape, taking less of
    the frame than a printed box may (`FEATURE_MAX_AREA`), that a face fills
    (`PORTRAIT_FILL`): the portrait's box of a vertical card, not the card, which fills
    the frame (a box 245 x 369 px on an under-21 licence 638 x 1012 was taken for the card
    and flagged low resolution, MA-O4239-0037)."""
    h, w = small.shape[:2]
    if portrait is None or outline is None or outline.area > FEATURE_MAX_AREA:
        return False
    width, height = edge_lengths(outline.quad)
    if not (card_shaped(w, h, cfg) and card_shaped(width, height, cfg)):
        return False
    x0, y0 = np.maximum(np.floor(outline.quad.min(axis=0)), 0).astype(int)
    x1, y1 = np.ceil(outline.quad.max(axis=0)).astype(int)
    found = face.faces_in(small[y0:y1, x0:x1], portrait)
    return any(fw >= PORTRAIT_FILL * (x1 - x0) for _, _, fw, _ in found)


# --- skew ---------------------------------------------------------------------------


def _profile_score(ink: np.ndarray, angle: float) -> float:
    rows = cv.rotate_same_size(ink, angle).sum(axis=1, dtype=np.float64)
    return float(np.var(rows))


def estimate_skew(gray: np.ndarray, max_deg: float) -> float:
    """Text-line skew in degrees (rotate counter-clockwise by it to straighten); 0 if unsure.

    Projection-profile search: the rotation that makes the row sums of the ink mask most
    peaked aligns the text lines with the rows. Coarse 1-degree steps on a half-size copy
    of the mask, then 0.1-degree steps at full size. A page lying sideways has its lines
    down it: the column sums are searched too (on the transposed mask, a mirror image, so
    the angle changes sign), and the more peaked direction wins; rows only, a sideways
    statement skewed by 2.4 degrees was "deskewed" by -12.7 and then, turned upright, read
    no word (CT-S10064-0018 turned)."""
    ink = ink_mask(gray)
    share = float(np.count_nonzero(ink)) / ink.size
    if share < 0.002 or share > 0.35:
        return 0.0
    half = cv.scale(ink, 0.5)  # 1-degree steps need no more: a quarter of the pixels
    across = _coarse_skew(half, max_deg)
    down = _coarse_skew(np.ascontiguousarray(half.T), max_deg)
    (best, peak), sign, mask = (across, 1.0, ink) if across[1] >= down[1] else (down, -1.0, ink.T)
    if peak <= 1.15:
        return 0.0  # no dominant line direction (a picture, not text)
    fine = np.arange(best - 1.0, best + 1.01, 0.1)
    mask = np.ascontiguousarray(mask)
    fine_scores = [_profile_score(mask, a) for a in fine]
    return round(sign * float(fine[int(np.argmax(fine_scores))]), 2)


def _coarse_skew(ink: np.ndarray, max_deg: float) -> tuple[float, float]:
    """The whole-degree rotation that peaks the row sums most, and how much (max / median)."""
    coarse = np.arange(-max_deg, max_deg + 0.5, 1.0)
    scores = [_profile_score(ink, a) for a in coarse]
    peak = max(scores) / max(float(np.median(scores)), 1e-9)
    return float(coarse[int(np.argmax(scores))]), peak


def captured_part(shape: tuple[int, ...], angle: float) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1): the largest centred rectangle of an image deskewed by `angle`
    degrees (then perhaps quarter-turned) that holds only captured pixels, none of the
    corners `deskew` filled. The whole image when it was not rotated."""
    nh, nw = shape[:2]
    a = math.radians(abs(angle) % 90)
    sin, cos = math.sin(a), math.cos(a)
    if sin < 1e-6 or abs(cos - sin) < 1e-6:
        return 0, 0, nw, nh
    # the captured size, from the rotated canvas: nw = w cos + h sin, nh = w sin + h cos
    w = (nw * cos - nh * sin) / (cos * cos - sin * sin)
    h = (nh * cos - nw * sin) / (cos * cos - sin * sin)
    long, short = max(w, h), min(w, h)
    if short <= 2 * sin * cos * long:  # a thin image: the rectangle touches both long sides
        half = 0.5 * short
        iw, ih = (half / sin, half / cos) if w >= h else (half / cos, half / sin)
    else:
        iw = (w * cos - h * sin) / (cos * cos - sin * sin)
        ih = (h * cos - w * sin) / (cos * cos - sin * sin)
    x0, y0 = max(0, math.ceil((nw - iw) / 2)), max(0, math.ceil((nh - ih) / 2))
    return x0, y0, max(x0 + 1, nw - x0), max(y0 + 1, nh - y0)


def deskew(image: np.ndarray, angle: float) -> np.ndarray:
    """Rotate counter-clockwise by `angle`, filling new corners with the border's colour."""
    edge = np.concatenate([image[0], image[-1], image[:, 0], image[:, -1]]).reshape(
        -1, image.shape[-1]
    )
    fill = tuple(int(v) for v in np.median(edge, axis=0))
    return cv.rotate(image, angle, border=fill[:3])  # type: ignore[arg-type]


# --- framing and measurements ----------------------------------------------------------


def framing_measurement(
    small: np.ndarray, outline: Outline | None, region: Region | None, cfg: GeometryConfig
) -> Measurement:
    """Is the whole document in the frame? 1 = yes; lower when cut off or absent."""
    h, w = small.shape[:2]
    if outline is not None:
        mx, my = cfg.frame_margin * w, cfg.frame_margin * h
        q = outline.quad
        near = int(
            np.sum(
                (q[:, 0] <= mx)
                | (q[:, 0] >= w - 1 - mx)
                | (q[:, 1] <= my)
                | (q[:, 1] >= h - 1 - my)
            )
        )
        if 0 < near < 4:
            return Measurement(
                "quality.framing",
                float(near),
                0.3,
                f"document outline found but {near} corner(s) at the frame edge",
            )
        return Measurement(
            "quality.framing",
            0.0,
            1.0,
            f"document outline {'filling' if near == 4 else 'inside'} the frame "
            f"({outline.area:.0%} of it)",
        )
    if region is not None and 1 <= region.sides_touched <= 3 and region.area < cfg.outline_max_area:
        return Measurement(
            "quality.framing",
            float(region.sides_touched),
            0.4,
            f"document region ({region.area:.0%} of the frame) runs off "
            f"{region.sides_touched} frame edge(s)",
        )
    edges = cv.canny(cv.to_gray(small), 50, 150)
    density = float(np.count_nonzero(edges)) / edges.size
    if density < 0.002:
        return Measurement(
            "quality.framing", density, 0.0, f"no document visible (edge density {density:.4f})"
        )
    return Measurement(
        "quality.framing", 0.0, 1.0, "no outline: the document fills the frame or is a flat scan"
    )


def _measurements(g: Geometry, page: int) -> list[Measurement]:
    found = g.outline is not None
    outline_detail = (
        f"outline found by {g.outline.method}, {g.outline.area:.0%} of the frame"
        if g.outline
        else "no outline: flat scan or document filling the frame"
    )
    out = [
        Measurement("geometry.outline", 1.0 if found else 0.0, 1.0, outline_detail),
        Measurement("geometry.skew_deg", g.skew, 1.0, f"deskewed by {g.skew:.1f} degrees"),
        Measurement(
            "geometry.rotation_deg",
            float(g.rotation),
            1.0,
            f"turned {g.rotation} degrees clockwise",
        ),
        Measurement(
            "geometry.source_px",
            g.source_px,
            1.0,
            f"{g.source_px:.0f} px across the document's long side as captured",
        ),
        Measurement("geometry.scale", g.scale, 1.0, f"output / captured size {g.scale:.2f}"),
        Measurement(
            "geometry.glare_spill",
            g.spill,
            1.0,
            f"reflections spilling past the document's edge over {g.spill:.1%} of it",
        ),
        g.framing,
    ]
    return [replace(m, name=measurement_name(m.name, page)) for m in out]
