"""Is this picture a document at all? Image evidence for "not a document" (no I/O, no OCR).

A document, however faded, blurred or badly lit, is printed matter: rows of small dark
marks of one height with aligned bottoms (text lines), set on a large, flat, unsaturated
ground (paper or a card's print). A picture of something else (a cup, a cat, grass, a
landscape, a face) has neither: its dark blobs are of every size and do not line up, and
its flat areas, if any (a sky, a wall), are few or coloured.

Two measures on a grey copy `content.work_side` px long (a smaller picture enlarged to it:
the thresholds are in its pixels, so a passport uploaded 274 px wide shows its text rows
and is judged too small, not "no document"), both generic (no font, colour or layout of
any issuer):
- `text_rows`: character-sized connected components of the dark residual (ink darker
  than its local background by a multiple of the image's own noise, so faint ink on a
  faded print still counts) that chain with left/right neighbours of the same height on
  the same baseline into runs of `content.row_min_chain` (the count of marks in runs);
- `paper`: the share of the image's blocks that are flat (grey spread within
  `content.flat_std`), unsaturated (`content.paper_saturation_max`) and among the
  brighter ones (mean at least `content.paper_relative_level` of the bright level).
`ContentEvidence.document` is true when either measure reaches its threshold, or when the
picture is too dark to tell paper from anything else (`content.min_judged_level`: the
exposure check speaks then); a picture below both is not a document. Text rows are
counted across and down the image (a page lying on its side).

Calibration (real photos from scikit-image's data set and matplotlib's sample data; a
real scanned page, faded to 30/15/7/4% ink contrast under grain noise; 369 synthetic
document photos and 6 synthetic faded prints; see `tests/reading/test_classify_content.py`
and the config's notes): real non-documents have at most 9 marks in text rows and paper
0.00-0.28 (astronaut, brick, camera, chelsea, coffee, coins, grass, gravel, retina, rocket,
Grace Hopper); faded pages have paper 0.49-1.00, legible ones 30-600 marks in rows. The
misses are flat grey pictures that look like blank paper (a horse silhouette on white,
the moon's surface, a micrograph): they stay TEXT_UNREADABLE, never the reverse.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipeline.config import ContentConfig
from pipeline.tools import cv


@dataclass(frozen=True)
class ContentEvidence:
    """What the image shows of a document: text rows, paper, and the verdict."""

    text_rows: int
    """Character-sized marks lying in text-line runs."""
    candidates: int
    """Character-sized marks found (in runs or not)."""
    paper: float
    """Share of blocks that are flat, unsaturated, bright paper."""
    saturation: float
    """Median colour saturation (0-1) of the image."""
    level: float
    """90th percentile of the grey level (0-255)."""
    document: bool

    @property
    def detail(self) -> str:
        return (
            f"{self.text_rows} marks in text rows (of {self.candidates} character-sized), "
            f"paper {self.paper:.2f}, saturation {self.saturation:.2f}, level {self.level:.0f}"
        )


def _saturation(image: np.ndarray) -> np.ndarray:
    """Per-pixel HSV saturation (0-1) of a colour image; zeros for a grey one."""
    if image.ndim == 2 or image.shape[2] < 3:
        return np.zeros(image.shape[:2], np.float32)
    high = cv.channel_max(image).astype(np.float32)
    low = cv.channel_min(image).astype(np.float32)
    return np.where(high > 0, (high - low) / np.maximum(high, 1.0), 0.0).astype(np.float32)


def _work_copy(image: np.ndarray, side: int) -> np.ndarray:
    """The picture scaled (down or up) to `side` px on its long side."""
    h, w = image.shape[:2]
    return cv.scale(image, side / max(h, w))


def text_row_marks(gray: np.ndarray, cfg: ContentConfig) -> tuple[int, int]:
    """(marks in text-line runs, character-sized marks) on a grey work copy."""
    g = gray.astype(np.float32)
    background = cv.gaussian_blur(g, cfg.background_sigma)
    residual = background - g  # ink is darker than its surroundings
    noise = float(np.median(np.abs(residual - np.median(residual)))) * 1.4826
    level = max(cfg.ink_min_contrast, cfg.ink_noise_factor * noise)
    mask = (residual > level).astype(np.uint8) * 255
    count, _, stats = cv.components(mask)
    if count <= 1:
        return 0, 0
    st = stats[1:count, :5].astype(np.float32)
    x, y, w, h, area = st[:, 0], st[:, 1], st[:, 2], st[:, 3], st[:, 4]
    keep = (
        (h >= cfg.char_min_px)
        & (h <= cfg.char_max_px)
        & (w <= cfg.char_max_aspect * h)
        & (area >= cfg.char_min_fill * w * h)
    )
    x, y, w, h = x[keep], y[keep], w[keep], h[keep]
    n = len(h)
    if n == 0:
        return 0, 0
    bottom = y + h
    order = np.argsort(x)
    x, y, w, h, bottom = x[order], y[order], w[order], h[order], bottom[order]
    right = x + w
    # link each mark to its nearest right neighbour of the same height on the same baseline
    nxt = np.full(n, -1, np.int64)
    has_prev = np.zeros(n, bool)
    for i in range(n):
        gap_max = right[i] + cfg.row_max_gap * h[i]
        j = i + 1
        best, best_gap = -1, np.inf
        while j < n and x[j] <= gap_max:
            gap = x[j] - right[i]
            if (
                gap > -0.3 * min(w[i], w[j])
                and abs(bottom[j] - bottom[i]) <= cfg.row_baseline_tolerance * h[i]
                and cfg.row_height_ratio <= h[j] / h[i] <= 1.0 / cfg.row_height_ratio
                and gap < best_gap
            ):
                best, best_gap = j, gap
            j += 1
        if best >= 0 and not has_prev[best]:
            nxt[i] = best
            has_prev[best] = True
    in_rows = 0
    for start in range(n):
        if has_prev[start]:
            continue
        length, k = 1, start
        while nxt[k] >= 0:
            k = int(nxt[k])
            length += 1
        if length >= cfg.row_min_chain:
            in_rows += length
    return in_rows, n


def paper_share(image: np.ndarray, gray: np.ndarray, cfg: ContentConfig) -> tuple[float, float]:
    """(share of blocks that are flat, unsaturated, bright paper; median saturation)."""
    sat = _saturation(image)
    level = float(np.percentile(gray, 90))
    # exposure-free: brighten a dim picture so its light parts sit at `paper_exposed_level`
    # (a dim photo of paper is paper; its noise, brightened alike, keeps it from looking flat)
    gain = max(1.0, cfg.paper_exposed_level / max(level, 1.0))
    gray = np.clip(gray.astype(np.float32) * gain, 0, 255)
    b = cfg.block_px
    hh, ww = (gray.shape[0] // b) * b, (gray.shape[1] // b) * b
    if hh == 0 or ww == 0:
        return 0.0, float(np.median(sat)) if sat.size else 0.0
    g = gray[:hh, :ww].astype(np.float32).reshape(hh // b, b, ww // b, b)
    s = sat[:hh, :ww].reshape(hh // b, b, ww // b, b)
    mean = g.mean(axis=(1, 3))
    std = g.std(axis=(1, 3))
    smean = s.mean(axis=(1, 3))
    bright = float(np.percentile(gray, 95))
    paper = (
        (std <= cfg.flat_std)
        & (smean <= cfg.paper_saturation_max)
        & (mean >= cfg.paper_relative_level * bright)
        & (mean >= cfg.paper_min_level)
    )
    return float(paper.mean()), float(np.median(sat))


def measure_content(image: np.ndarray, cfg: ContentConfig) -> ContentEvidence:
    """The document-likeness evidence of one page image (BGR or grey, uint8)."""
    small = _work_copy(image, cfg.work_side)
    gray = cv.to_gray(small)
    across = text_row_marks(gray, cfg)
    down = text_row_marks(np.ascontiguousarray(gray.T), cfg)  # a page lying on its side
    rows, candidates = max(across, down)
    paper, saturation = paper_share(small, gray, cfg)
    level = float(np.percentile(gray, 90))
    document = (
        rows >= cfg.min_text_row_marks
        or paper >= cfg.min_paper_share
        or level < cfg.min_judged_level  # black: nothing to judge
    )
    return ContentEvidence(
        rows, candidates, round(paper, 3), round(saturation, 3), round(level, 1), document
    )
