"""Stage `measure` and the image-quality checks (IMAGE_BLURRY, IMAGE_LOW_RESOLUTION,
IMAGE_TOO_DARK, IMAGE_GLARE, and framing).

Contract: `measure` runs after `rectify` on the (flattened) page images and stores one
Measurement per quality (`quality.sharpness`, `quality.resolution`, `quality.exposure`,
`quality.glare`; the worst of the first `quality.max_pages` pages); `rectify` stores
`quality.framing`. Each check reads its measurement and returns a CheckResult named
`image_quality.<name>` with a 0-1 score (1 = good; 0.5 at the threshold) and the raw value in
`detail`; thresholds come from `ctx.config.quality`. Documents without page images (text
PDFs) get no quality checks; the photo role gets sharpness, resolution and exposure only,
with the photo settings.

Measures (each robust to what fools the naive one):
- sharpness: the Gaussian edge spread (px) of the document's strong edges, measured at a
  reference size (cards `card_reference_px` long, pages `page_reference_px` across) after a
  noise-adaptive pre-smoothing that is then removed in quadrature; the worst of four edge
  directions counts, so motion blur is caught, however few edges it left across its
  direction (an absolute count, not a share). Noise does not read as sharpness.
- resolution: pixels across a card's long side as captured; for pages, pixels across the
  short side divided by 8.5 in (letter width). Both are stored (`quality.resolution.card`,
  `.page`); the check applies the one of the kind the classifier found (the more lenient
  for `other`), so a card uploaded as residency is not judged in DPI.
- exposure: the paper-white level (90th percentile of luminance), not the mean: a dark card
  design is not under-exposure, a dim photo is.
- glare: blown-out (minimum channel at saturation), textureless, solid blobs that either
  stand out of the lighting around them (a plane fitted to the lit paper around predicts
  less than saturation inside) with an edge softer than the image's blur, or wash out the
  ink around them (a glare on white paper) while brighter than the paper far around them (a
  card the light blows out whole washes faint print out too). On near-white paper a large
  reflection's long fade keeps the ring right around it nearly blown out; the lit paper is
  then judged beyond the fade, at a distance growing with the blob. A reflection is clipped
  (its core at the sensor's top): around it the paper is also lit when it is so in most
  directions (a white printed band on one side is not the paper), and a white printed band
  it ran into is cut off it. Lighting gradients, white paper, margins, the blank card around
  a barcode, printed white boxes (sharp or blurred) are not glare. A reflection spilling
  past the document onto the table, which the flattened page alone shows pressed against
  its edge like a gradient's lit side, is seen by `rectify` on the photo
  (`geometry.glare_spill`) and counts where it covers more.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from models.flags import IDENTITY_TYPES, RESIDENCY_TYPES, DocumentType, FlagCode
from models.internal import CheckResult, DocumentState, Measurement
from pipeline.config import QualityConfig
from pipeline.context import Context
from pipeline.imaging.content import measure_content
from pipeline.reading.classify import not_a_document
from pipeline.tools import cv

_NOISE_KERNEL = np.array([[1, -2, 1], [-2, 4, -2], [1, -2, 1]], np.float32)
_SQRT_2PI = math.sqrt(2 * math.pi)
CARD_MIN_ASPECT = 1.25
"""Identity documents at least this elongated are judged as cards (ID-1, ID-3 pages)."""


@dataclass(frozen=True)
class Sharpness:
    """Edge spread in pixels at the reference size, with what it was measured on."""

    blur_px: float | None
    edges: int
    noise: float


@dataclass(frozen=True)
class Glare:
    """Share of the document in glare blobs, how many blobs, and where (work-size mask)."""

    fraction: float
    blobs: int
    mask: np.ndarray | None = None


# --- pure measures ----------------------------------------------------------------------


def noise_sigma(gray: np.ndarray) -> float:
    """Robust estimate of additive noise (grey levels), correlated noise included.

    The median absolute high-pass residual (image minus a 1.5 px Gaussian) over the
    image: documents are mostly flat, so edges barely move the median.
    """
    g = gray.astype(np.float32)
    residual = np.abs(g - cv.gaussian_blur(g, 1.5))
    return 1.4826 * float(np.median(residual))


def edge_spread(
    gray: np.ndarray,
    min_edges: int = 300,
    exclude: np.ndarray | None = None,
    min_direction_edges: int = QualityConfig.sharpness_direction_min_edges,
) -> Sharpness:
    """Gaussian sigma (px) of the image's strong edges; None when there are too few edges.

    `exclude` (a boolean mask of `gray`'s size) removes areas whose soft edges are not the
    optics' blur: a glare's fade.

    A blurred step of contrast C has a peak slope C / (sigma * sqrt(2 pi)): the ratio of
    the gradient at edge ridges to the local contrast gives sigma regardless of contrast.

    The edges are sorted by the direction of their gradient (four bins of 45 degrees) and
    the worst direction with at least `min_direction_edges` edges counts. Motion blur
    spreads only the edges across its direction and wipes most of them out: the direction
    it blurs keeps few edges (2-5% of them on a shaken passport, 0.2% on a page shaken
    along its text columns), all soft, while edges along it (the streaks) stay sharp and
    plentiful. A direction is therefore judged on an absolute count, enough for a stable
    percentile, never on its share of the edges.
    """
    noise = noise_sigma(gray)
    pre = float(np.clip(0.3 * noise, 1.0, 3.0))
    f = cv.gaussian_blur(gray.astype(np.float32), pre)
    gx, gy = cv.sobel(f)
    mag = np.hypot(gx, gy)
    contrast = cv.dilate(f, 15) - cv.erode(f, 15)
    residual = noise / (2.0 * math.sqrt(math.pi) * pre)
    ridge = (mag >= cv.dilate(mag, 3)) & (contrast >= max(30.0, 8.0 * residual)) & (mag > 0)
    if exclude is not None:
        ridge &= ~exclude
    count = int(np.count_nonzero(ridge))
    if count < min_edges:
        return Sharpness(None, count, noise)
    ratio = mag[ridge] / contrast[ridge]
    angle = np.mod(np.arctan2(gy[ridge], gx[ridge]), np.pi)
    bins = np.minimum((angle / (np.pi / 4) + 0.5).astype(int) % 4, 3)
    worst = math.inf
    for b in range(4):
        sel = ratio[bins == b]
        if len(sel) >= min_direction_edges:
            worst = min(worst, float(np.percentile(sel, 90)))
    sigma_total = 1.0 / (_SQRT_2PI * max(worst, 1e-6))
    return Sharpness(math.sqrt(max(0.0, sigma_total**2 - pre**2)), count, noise)


def paper_level(gray: np.ndarray) -> float:
    """The document's paper-white level, 0-1 (90th percentile of luminance)."""
    return float(np.percentile(gray, 90)) / 255.0


def glare_fraction(image: np.ndarray, cfg: QualityConfig, blur_px: float = 0.0) -> Glare:
    """Share of the image covered by glare blobs (see the module docstring).

    On near-white paper, blown out is judged at a raised level first (`_saturation`); when
    that finds no glare, at the configured level too, as before issue #3 (a large reflection
    can leave little paper below the raised level around it), but then only blobs the
    sensor clipped (`_clipped`): blank panels of near-white card beside a portrait, between
    the configured and the raised level, stood out and faded as softly as the portrait's
    vignette (CT-O4099-0082, CT-O4101-0098, CT-O4103-0041); every reflection measured on
    fresh seeds was clipped.

    Candidates are blown-out, textureless areas: the minimum channel saturated and the local
    grey range small (a glare erases what is under it; bright paper with print, guilloche or
    noise on it keeps its texture). `blur_px` is the image's edge spread (px, at the image's
    size): a blurred print is smooth too, so a blob's fade must be wider than the blur.

    A candidate is glare when it stands out of the lighting around it and fades out softly
    (on tinted or dimly lit paper), or when the ink around it is washed out (on paper that is
    itself saturated). Standing out: a plane fitted to the paper level around the blob, where
    that paper is lit but not blown out, predicts a level clearly below saturation inside the
    blob. A lighting gradient that blows out one side of a page extrapolates to saturation
    there, so it is not glare; nor is a white page, margin or printed white box.
    """
    factor = min(1.0, cfg.glare_work_px / max(image.shape[:2]))
    work = cv.scale(image, factor)
    maps = _glare_maps(work, cfg)
    raised = _saturation(maps.low, cfg)
    found = _glare_at(maps, cfg, replace(cfg, glare_saturation=raised), blur_px * factor)
    if found.blobs or raised <= cfg.glare_saturation:
        return found
    return _glare_at(maps, cfg, cfg, blur_px * factor, clipped_only=True)


@dataclass(frozen=True)
class GlareMaps:
    """What both glare passes read from the work copy (none depends on the saturation level)."""

    low: np.ndarray
    """Minimum channel (uint8)."""
    texture: np.ndarray
    """Local grey range over the texture window (int16)."""
    window: int
    ink: np.ndarray
    """Paper level minus grey (float32): how dark the print is."""
    lit: np.ndarray
    """Paper level in the minimum channel (float32)."""


def _glare_maps(work: np.ndarray, cfg: QualityConfig) -> GlareMaps:
    """The saturation-independent maps of `_glare_at`, computed once per work copy."""
    low = cv.channel_min(work)
    gray = cv.to_gray(work)
    window = 2 * max(3, round(cfg.glare_texture_window * max(low.shape) / 2)) + 1
    texture = cv.dilate(gray, window).astype(np.int16) - cv.erode(gray, window)
    paper = cv.gaussian_blur(cv.dilate(gray, 11), 3.0).astype(np.float32)
    ink = paper - gray.astype(np.float32)
    # the paper level in the minimum channel, the one saturation is judged on
    lit = cv.gaussian_blur(cv.dilate(low, 11), 3.0).astype(np.float32)
    return GlareMaps(low, texture, window, ink, lit)


def _glare_at(
    maps: GlareMaps,
    base_cfg: QualityConfig,
    cfg: QualityConfig,
    blur: float,
    clipped_only: bool = False,
) -> Glare:
    """`glare_fraction` on the work copy, blown out at `cfg.glare_saturation`; with
    `clipped_only`, only blobs whose core is clipped (`_clipped`)."""
    base = base_cfg.glare_saturation  # the lighting must stand out of this (see _stands_out)
    low, window, ink, lit = maps.low, maps.window, maps.ink, maps.lit
    blown = (low >= cfg.glare_saturation) & (maps.texture <= cfg.glare_texture_max)
    core = cv.open_(cv.close(blown.astype(np.uint8) * 255, 3), 5)
    sat = cfg.glare_saturation
    saturated = low >= sat
    total = float(low.size)
    accepted = np.zeros(low.shape, bool)
    blobs = 0
    for roi, blob, radius in _blobs(
        core,
        total,
        cfg.glare_min_blob,
        cfg.glare_max_blob,
        cfg.glare_min_solidity,
        cfg.glare_panel_max_fill,
    ):
        if (accepted[roi] & blob).any():
            continue
        # the textureless core plus the saturated rim the texture window cut off from it
        region = blob | (saturated[roi] & (cv.distance_outside(blob) <= window / 2 + 1))
        # what a blob encloses (a barcode inside blank card) is not its surround
        region = _fill_holes(region)
        if np.count_nonzero(region) > cfg.glare_max_blob * total:
            continue  # grown over (nearly) the whole document: the paper, not a reflection
        clipped = _clipped(low[roi][blob], cfg)
        if clipped_only and not clipped:
            continue
        region, band = _without_band(region, ink[roi], cfg, window, clipped)
        if np.count_nonzero(region) < cfg.glare_min_blob * total:
            continue
        if not clipped and np.count_nonzero(region) > cfg.glare_unclipped_max * total:
            continue  # lit paper: a reflection this large blows the sensor out
        if band.any():
            radius = int(np.clip(0.5 * math.sqrt(np.count_nonzero(region)), 12, 60))
        dist = _beside(region, band)
        whole = np.zeros(low.shape, bool)
        whole[roi] = region
        raised = cfg is not base_cfg
        reach = _reach(region, radius)
        around = np.zeros(low.shape, bool)
        around[roi] = band
        around = _beside(whole, around)  # the distance to the blob over the whole copy
        far = around if raised else dist
        # on near-white paper a large reflection's fade keeps the ring right around it nearly
        # blown out: the lit paper is seen beyond the fade
        lit_far = raised and reach > radius and _lit_surround(far, reach, low, cfg, 0.5, clipped)
        lit_near = _lit_surround(dist, radius, low[roi], cfg, clipped=clipped)
        hit = False
        if lit_near or lit_far:
            hit = _stands_out(dist, radius, region, lit[roi], low[roi], cfg) and _soft_edge(
                dist, radius, low[roi], cfg, blur, clipped
            )
            if hit and not _stands_out(dist, radius, region, lit[roi], low[roi], cfg, base):
                # standing out only of the raised level: it must fade out all around
                hit = _radial_profile(whole, around, lit, cfg, blur)[0] >= cfg.glare_falloff_sectors
        if not hit and not lit_near and clipped:
            hit = _washed_out(whole, roi, radius, reach, ink, cfg, raised)
            hit = hit and _fades_or_enclosed(whole, around, lit, cfg, blur, base)
        if not hit and cfg.glare_soft_highlight:  # a large soft highlight, on its fade
            room, falling, far_level = _radial_profile(whole, around, lit, cfg, blur)
            # pressed against the document's edge, it is the bright side of a gradient
            hit = room >= cfg.glare_falloff_sectors and falling >= cfg.glare_falloff_share * room
            hit = hit and far_level < sat - cfg.glare_falloff_min
        if hit and (
            _print_inside(region, ink[roi], cfg)
            or _print_survives(whole, ink, maps.low, cfg, window)
        ):
            hit = False  # crisp print in it: a white printed band, never under a reflection
        if hit:
            accepted[roi] |= region
            blobs += 1
    return Glare(float(np.count_nonzero(accepted)) / total, blobs, accepted if blobs else None)


Roi = tuple[slice, slice]


def _saturation(low: np.ndarray, cfg: QualityConfig) -> int:
    """The level at which this document counts as blown out: `glare_saturation`, raised
    on near-white paper to `glare_paper_gap` above the paper's typical level (at most 254),
    so that the paper around a reflection on a white card is not blown out itself and the
    reflection's edge and the lighting around it can be judged."""
    paper = float(np.median(cv.dilate(low, 11)))
    return int(np.clip(paper + cfg.glare_paper_gap, cfg.glare_saturation, 254))


def _blobs(
    mask: np.ndarray,
    total: float,
    min_area: float,
    max_area: float,
    min_solidity: float,
    max_fill: float,
) -> list[tuple[Roi, np.ndarray, int]]:
    """Solid components of `mask` big enough to matter, each cut out with room for a ring.

    A reflection's blown-out core is a filled, convex-ish blob; blank paper around print
    (margins, the card around a barcode) is a frame or has large holes: its solidity (area
    over convex-hull area, after closing gaps the size of print) is low.
    """
    count, labels, stats = cv.components(mask)
    height, width = mask.shape[:2]
    out = []
    for label in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[label][:5])
        if not min_area <= area / total <= max_area or area > max_fill * w * h:
            continue  # too small or large, or a blank printed panel (`glare_panel_max_fill`)
        radius = int(np.clip(0.5 * math.sqrt(area), 12, 60))
        pad = radius + 8
        roi = (
            slice(max(0, y - pad), min(height, y + h + pad)),
            slice(max(0, x - pad), min(width, x + w + pad)),
        )
        blob = labels[roi] == label
        # print left inside a blob's fading edge bites into it: close such small gaps first
        # (a large highlight's fade is long: print far inside it bites in too)
        gap = round(min(0.5 * math.sqrt(area), 2 * 60))
        filled = cv.close(blob.astype(np.uint8), 2 * gap // 3 + 1)
        if np.count_nonzero(filled) < min_solidity * _hull_area(filled):
            continue
        out.append((roi, blob, radius))
    return out


def _fill_holes(mask: np.ndarray) -> np.ndarray:
    """`mask` with the areas it encloses (not connected to the cut-out's border) filled."""
    count, labels, _ = cv.components((~mask).astype(np.uint8))
    if count <= 1:
        return mask
    edge = np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]])
    outside = np.isin(labels, np.unique(edge[edge > 0]))
    return mask | ~outside


def _hull_area(blob: np.ndarray) -> float:
    contours = cv.outer_contours(blob.astype(np.uint8))
    if not contours:
        return 0.0
    return max(1.0, cv.contour_area(cv.convex_hull(np.concatenate(contours))))


def _ring(dist: np.ndarray, radius: int) -> np.ndarray:
    return (dist > radius / 4) & (dist <= radius)


def _reach(region: np.ndarray, radius: int) -> int:
    """How far out a blob's surround is looked at beyond its fade: half its equivalent
    diameter (a reflection's fade grows with it), at least the ring `radius`, at most 120 px
    at the work size."""
    return int(np.clip(0.5 * math.sqrt(np.count_nonzero(region)), radius, 2 * 60))


def _lit_surround(
    dist: np.ndarray,
    radius: int,
    low: np.ndarray,
    cfg: QualityConfig,
    inner: float = 0.25,
    clipped: bool = False,
) -> bool:
    """Is the paper around the blob clearly below saturation (not blown out itself)?

    Looked at on the ring `inner * radius < dist <= radius` (its 75th percentile: text does
    not count). A large reflection's fade is long: on near-white paper the ring right around
    it is still nearly blown out by the fade, and the paper itself is seen only further out
    (`_reach`, outer half). Around a `clipped` blob the paper is also lit when it is so in
    at least half the directions (of the 8 that have room): a white printed band or margin
    on one side (a passport's machine-readable strip, under half a reflection lying on it,
    CT-S10056-0090) is not the paper."""
    ring = (dist > inner * radius) & (dist <= radius)
    if not ring.any():
        return False
    limit = cfg.glare_saturation - cfg.glare_lit_margin
    if float(np.percentile(low[ring], 75)) < limit:
        return True
    levels = _sector_levels(dist, ring, low, 75.0) if clipped else []
    return bool(levels) and 2 * sum(level < limit for level in levels) >= len(levels)


def _clipped(core: np.ndarray, cfg: QualityConfig) -> bool:
    """A reflection blows the sensor out: most of its core sits at the top of the scale
    (`glare_clip_level`); bright blank paper reaches the blown-out level without."""
    return bool(core.size) and float(np.mean(core >= cfg.glare_clip_level)) >= cfg.glare_clip_share


def _sector_levels(
    dist: np.ndarray, where: np.ndarray, level: np.ndarray, share: float
) -> list[float]:
    """The `share` percentile of `level` over `where`, in each of 8 directions around the
    blob (`dist` == 0) that holds enough of it (30 px and 1/32 of `where`)."""
    ys, xs = np.nonzero(dist == 0)
    py, px = np.nonzero(where)
    if ys.size == 0 or py.size == 0:
        return []
    sector = _sector(py - ys.mean(), px - xs.mean())
    values = level[py, px]
    minimum = max(30, py.size // 32)
    return [
        float(np.percentile(values[sector == k], share))
        for k in range(8)
        if np.count_nonzero(sector == k) >= minimum
    ]


def _sector(dy: np.ndarray, dx: np.ndarray) -> np.ndarray:
    """Which of 8 directions (0-7) each offset from a blob's centre points in."""
    return ((np.arctan2(dy, dx) + np.pi) / (2 * np.pi) * 8).astype(int) % 8


def _stands_out(
    dist: np.ndarray,
    radius: int,
    blob: np.ndarray,
    paper: np.ndarray,
    low: np.ndarray,
    cfg: QualityConfig,
    base: float | None = None,
) -> bool:
    """The lighting around the blob, extrapolated into it, stays clearly below saturation.

    A plane is fitted to the paper level of the surround where it is lit paper (below
    saturation, not dark print or background); its median over the blob is the level the
    blob would have without a reflection. A lighting gradient extrapolates to saturation.
    """
    sat = cfg.glare_saturation
    level = paper
    ring = _ring(dist, radius) & (low < sat) & (level >= sat - cfg.glare_paper_span)
    if np.count_nonzero(ring) < 30:
        return False
    ys, xs = np.nonzero(ring)
    design = np.column_stack([np.ones(len(xs)), xs, ys]).astype(np.float64)
    coef, *_ = np.linalg.lstsq(design, level[ring].astype(np.float64), rcond=None)
    by, bx = np.nonzero(blob)
    predicted = float(np.median(coef[0] + coef[1] * bx + coef[2] * by))
    # below the configured saturation, even where the paper's own level raised it
    limit = sat if base is None else min(sat, base)
    return predicted <= limit - cfg.glare_min_excess


def _fades_or_enclosed(
    region: np.ndarray,
    dist: np.ndarray,
    lit: np.ndarray,
    cfg: QualityConfig,
    blur: float,
    base: int,
) -> bool:
    """On blown-out paper, blank paper next to print looks washed out too. A reflection is
    brighter than the paper far around it, and is enclosed by the document or fades into
    lit paper in some direction; the bright side of the lighting runs into the document's
    edges and does not fade anywhere. Where the paper far around is blown out as well (a
    white card the light blows out whole) the blob is that paper, not a reflection on it,
    however much room it has around it; blown out by the configured level `base`, even
    where the paper's own level raised the blob's."""
    room, falling, far_level = _radial_profile(region, dist, lit, cfg, blur)
    if far_level > min(cfg.glare_saturation, base) - cfg.glare_washout_far_drop:
        return False
    return room >= cfg.glare_falloff_sectors or falling >= cfg.glare_washout_min_falling


def _print_inside(region: np.ndarray, ink: np.ndarray, cfg: QualityConfig) -> bool:
    """More than `glare_print_inside_max` of the blob's convex hull is crisp dark print
    (print cuts into a white band's outline, so the hull, not the blob, holds it)."""
    contours = cv.outer_contours(region.astype(np.uint8))
    if not contours:
        return False
    hull = cv.quad_mask(region.shape, cv.convex_hull(np.concatenate(contours)).reshape(-1, 2))
    inside = ink[hull]
    if inside.size == 0:
        return False
    return float(np.count_nonzero(inside >= cfg.glare_print_ink)) > (
        cfg.glare_print_inside_max * inside.size
    )


def _print_survives(
    region: np.ndarray, ink: np.ndarray, low: np.ndarray, cfg: QualityConfig, window: int
) -> bool:
    """The print amid the blob's clipped paper is as dark as the document's print
    elsewhere: the light hid nothing. A reflection erases or fades what it covers; paper
    blown out by the lighting of a phone photo keeps its words crisp (a lease's lit half,
    39 % of the page, its print darker than elsewhere, MA-O4105-0036; on fresh seeds no
    reflection's clipped core held print). Only print within `glare_survivor_reach` px of
    clipped paper counts: a printed band the blob ran into lies beyond its reflection. At
    least `glare_survivor_min_px` inked pixels (of the work copy), whose 90th-percentile ink
    reaches `glare_survivor_ratio` of the print's outside the blob.

    The blob's textureless core stops short of the print, so words at its edge lie in bays
    of it: the blob closed over `glare_survivor_bay` px holds them (a lease's lit half whose
    only words sat at its edge, MA-S10008-0058). A straight border with a printed element
    (a portrait, a band) is no bay and stays outside.

    A reflection that ran into a white printed band (a passport's machine-readable strip,
    itself clipped) holds the band's crisp print too: so the print right by the blob's
    blank body (`_unprinted`), where it has `glare_survivor_body_min_px` inked pixels, must
    be as dark as well. By a reflection's body it is washed out (90th-percentile ink 49
    against 202 elsewhere, the zone's characters at 232, CT-S10089-0135); by lit paper's
    it is print like any other (164 against 128, MA-S10008-0058)."""
    inked = ink > cfg.glare_survivor_ink
    zone = cv.close(region.astype(np.uint8), cfg.glare_survivor_bay, "ellipse") > 0
    outside = ink[~zone & inked]
    if outside.size < cfg.glare_survivor_min_px:
        return False
    typical = float(np.percentile(outside, 90))
    clipped = low >= cfg.glare_clip_level
    inside = _amid(region & clipped, zone & inked, ink, cfg)
    if inside.size < cfg.glare_survivor_min_px:
        return False
    if float(np.percentile(inside, 90)) < cfg.glare_survivor_ratio * typical:
        return False
    by_body = _amid(_unprinted(region, ink, cfg, window) & clipped, zone & inked, ink, cfg)
    return (
        by_body.size < cfg.glare_survivor_body_min_px
        or float(np.percentile(by_body, 90)) >= cfg.glare_survivor_ratio * typical
    )


def _amid(core: np.ndarray, inked: np.ndarray, ink: np.ndarray, cfg: QualityConfig) -> np.ndarray:
    """The ink of the `inked` pixels within `glare_survivor_reach` px of `core`."""
    return ink[inked & (cv.distance_outside(core) <= cfg.glare_survivor_reach)]


def _without_band(
    region: np.ndarray, ink: np.ndarray, cfg: QualityConfig, window: int, clipped: bool
) -> tuple[np.ndarray, np.ndarray]:
    """A `clipped` blob (a reflection's, `_clipped`) holding print (`_print_inside`) split
    into its body away from the print (`_unprinted`) and the printed band it ran into;
    otherwise the blob and no band (blank paper beside print is not clipped)."""
    if not clipped or not _print_inside(region, ink, cfg):
        return region, np.zeros_like(region)
    body = _unprinted(region, ink, cfg, window)
    return body, region & ~body


def _washed_out(
    whole: np.ndarray,
    roi: Roi,
    radius: int,
    reach: int,
    ink: np.ndarray,
    cfg: QualityConfig,
    raised: bool,
) -> bool:
    """Is the ink right around the blob (`whole`, cut out at `roi`) washed out (`_washes_out`)?

    At the configured level, as before issue #3, the strongest ink (90th percentile) counts;
    at the raised level the typical ink (median), which a fade lightens sooner, and a large
    highlight may wash ink out far (`reach`). The print of a band cut off the blob counts
    here: it is print beside the blob, not washed out."""
    share = 50.0 if raised else 90.0
    if _washes_out(cv.distance_outside(whole[roi]), radius, ink[roi], cfg, share):
        return True
    if not raised or reach <= radius:
        return False
    return _washes_out(cv.distance_outside(whole), reach, ink, cfg, share)


def _beside(region: np.ndarray, band: np.ndarray) -> np.ndarray:
    """The distance to `region`, infinite over `band` (a printed band cut off the blob is
    neither the reflection nor the paper around it)."""
    dist = cv.distance_outside(region)
    dist[band] = np.inf
    return dist


def _unprinted(region: np.ndarray, ink: np.ndarray, cfg: QualityConfig, width: int) -> np.ndarray:
    """The body of a blob away from crisp print: its largest part farther than `width` (the
    texture window, wider than the gap between text lines) from print and thicker than
    twice that, grown back by `width` within the blob.

    A reflection running into a white printed band (a passport's machine-readable strip)
    merges with it into one blob: the band holds print all over, or blank margins too thin
    to be a reflection's body; the reflection none."""
    printed = ink >= cfg.glare_print_ink
    away = (region & (cv.distance_outside(printed) > width)).astype(np.uint8)
    away = cv.open_(away, 2 * width + 1, "ellipse")
    count, labels, stats = cv.components(away)
    if count <= 1:
        return np.zeros_like(region)
    largest = 1 + int(np.argmax(stats[1:, 4]))
    return region & (cv.distance_outside(labels == largest) <= width)


def _soft_edge(
    dist: np.ndarray,
    radius: int,
    low: np.ndarray,
    cfg: QualityConfig,
    blur: float = 0.0,
    clipped: bool = False,
) -> bool:
    """A glare fades out: just outside the core the paper is still nearly saturated.

    "Just outside" starts beyond the image's own blur, which softens a printed edge too.
    Around a `clipped` blob only the directions where the paper further out is lit count
    (`_lit_sides`): a reflection lying on a passport's white machine-readable band does not
    fade into the band, which is blown out itself (CT-S10056-0090).
    """
    start = 1.5 + 2.0 * blur
    near = (dist > start) & (dist <= start + 3.0)
    far = (dist > max(radius / 2, start + 3.0)) & (dist <= max(radius, start + 6.0))
    if clipped:
        sides = _lit_sides(dist, far, low, cfg.glare_saturation - 6.0)
        near, far = near & sides, far & sides
    if not near.any() or not far.any():
        return False
    # the 75th percentile is the paper's level: text under the halo does not count
    drop_near = cfg.glare_saturation - float(np.percentile(low[near], 75))
    drop_far = cfg.glare_saturation - float(np.percentile(low[far], 75))
    return drop_far >= 6.0 and drop_near <= cfg.glare_soft_ratio * drop_far


def _lit_sides(dist: np.ndarray, far: np.ndarray, low: np.ndarray, limit: float) -> np.ndarray:
    """The pixels around a blob in the directions (of 8) whose paper over `far` is below
    `limit` (75th percentile); all of them when fewer than 4 directions are (a blob pressed
    against the document's edge, the bright side of a lighting gradient, has few)."""
    ys, xs = np.nonzero(dist == 0)
    if ys.size == 0:
        return np.ones_like(far)
    yy, xx = np.indices(dist.shape)
    sector = _sector(yy - ys.mean(), xx - xs.mean())
    lit = [
        k
        for k in range(8)
        if (far & (sector == k)).any() and np.percentile(low[far & (sector == k)], 75) < limit
    ]
    if 2 * len(lit) < 8:
        return np.ones_like(far)
    return np.isin(sector, lit)


def _radial_profile(
    region: np.ndarray, dist: np.ndarray, lit: np.ndarray, cfg: QualityConfig, blur: float
) -> tuple[int, int, float]:
    """How the paper level around a blob changes going out: of 8 directions, how many have
    room around the blob, in how many of those the level falls, and the far level (median).

    A reflection is brightest at its centre: in each direction from the blob, the paper a
    little way out is brighter than the paper further out, which is lit paper (below
    saturation). The surround is looked at out to a distance that grows with the blob (a
    large soft highlight fades over a long way). A lighting gradient falls off on one side
    only (along it the level stays, towards the bright edge there is no room); a printed
    white box or a blank area on white paper does not fall off at all. `dist` is the
    distance to the blob (`_beside`).
    """
    area = float(np.count_nonzero(region))
    reach = cfg.glare_falloff_reach * math.sqrt(area / math.pi)
    start = 8.0 + 2.0 * blur
    reach = max(reach, 4.0 * start)
    ys, xs = np.nonzero(region)
    cy, cx = float(ys.mean()), float(xs.mean())
    around = (dist > start) & (dist <= reach)
    py, px = np.nonzero(around)
    d = dist[py, px]
    level = lit[py, px]
    sector = _sector(py - cy, px - cx)
    near = d <= start + (reach - start) / 4
    far = d > start + (reach - start) / 2
    sat = cfg.glare_saturation
    sectors = falling = 0
    fars = []
    minimum = max(20, int(0.02 * area))
    for k in range(8):
        sel = sector == k
        n, f = level[sel & near], level[sel & far]
        if n.size < minimum or f.size < minimum:
            continue
        sectors += 1
        near_level, far_level = float(np.percentile(n, 75)), float(np.percentile(f, 75))
        fars.append(far_level)
        if far_level <= near_level - cfg.glare_falloff_min:
            falling += 1
    return sectors, falling, float(np.median(fars)) if fars else float(sat)


def _washes_out(
    dist: np.ndarray, radius: int, ink: np.ndarray, cfg: QualityConfig, share: float = 90.0
) -> bool:
    """On blown-out paper: the ink right around the blob is much fainter than further out."""
    inner = (dist > 0) & (dist <= radius / 3)
    outer = (dist > radius / 3) & (dist <= radius)
    near_ink, far_ink = _ink_contrast(ink, inner, share), _ink_contrast(ink, outer, share)
    if near_ink is None or far_ink is None:
        return False
    return near_ink < cfg.glare_washout_ratio * far_ink


def _ink_contrast(ink: np.ndarray, where: np.ndarray, share: float) -> float | None:
    values = ink[where & (ink > 20)]
    return float(np.percentile(values, share)) if values.size >= 30 else None


# --- stage ------------------------------------------------------------------------------


def _is_card(doc: DocumentState, image: np.ndarray) -> bool:
    h, w = image.shape[:2]
    return doc.role == "identity" and max(h, w) / max(1, min(h, w)) >= CARD_MIN_ASPECT


def _reference_gray(
    image: np.ndarray, target: int, use_long_side: bool, captured_scale: float = 1.0
) -> np.ndarray:
    """Grey copy at the reference size, never finer than the document was captured.

    `captured_scale` is output / captured size (rectification may have enlarged a small
    capture): measuring an enlarged image would read its interpolation as blur.
    """
    h, w = image.shape[:2]
    side = max(h, w) if use_long_side else min(h, w)
    factor = min(1.0, target / max(1, side), 1.0 / max(captured_scale, 1e-6))
    return cv.scale(cv.to_gray(image), factor)  # grey first: one channel to resample


def _geometry(doc: DocumentState, name: str, page: int) -> float | None:
    m = doc.measurement(name if page == 0 else f"{name}.p{page}")
    return m.value if m is not None else None


def measure(doc: DocumentState, ctx: Context) -> DocumentState:
    """Stage: measure sharpness, resolution, exposure and glare on the page images."""
    if not doc.pages:
        return doc
    q = ctx.config.quality
    found: dict[str, list[tuple[float, float, str]]] = {}
    for page in doc.pages[: q.max_pages]:
        for m in _measure_page(doc, page.index, page.image, q):
            found.setdefault(m.name, []).append((m.score, m.value, m.detail))
    measurements = [
        Measurement(name, value, score, detail)
        for name, values in found.items()
        for score, value, detail in [min(values, key=lambda v: v[0])]
    ]
    return replace(doc, measurements=(*doc.measurements, *measurements))


def _measure_page(
    doc: DocumentState, index: int, image: np.ndarray, q: QualityConfig
) -> list[Measurement]:
    where = f"page {index + 1}: " if len(doc.pages) > 1 else ""
    photo = doc.role == "photo"
    card = _is_card(doc, image)
    if photo:
        ref, long_side = q.photo_reference_px, True
    else:
        ref, long_side = (q.card_reference_px, True) if card else (q.page_reference_px, False)
    gray = _reference_gray(image, ref, long_side, _geometry(doc, "geometry.scale", index) or 1.0)
    out = [_sharpness(gray, q, photo, where), _exposure(gray, q, photo, where)]
    out.append(_resolution(doc, index, image, q, photo, card, where))
    if not photo:
        # both standards: the check picks one once the document's kind is known
        for as_card in (True, False):
            m = _resolution(doc, index, image, q, False, as_card, where)
            out.append(replace(m, name=f"{m.name}.{'card' if as_card else 'page'}"))
    if not photo:
        # the edge spread at the reference size, in pixels of this image
        blur = out[0].value * max(image.shape[:2]) / max(1, max(gray.shape[:2]))
        g = glare_fraction(image, q, blur)
        if g.mask is not None:  # a glare's soft fade is not blur: measure without it
            out[0] = _sharpness(gray, q, photo, where, _halo(g.mask, gray.shape, q))
        out.append(_glare_measurement(g, _geometry(doc, "geometry.glare_spill", index), q, where))
    return out


def _glare_measurement(g: Glare, spill: float | None, q: QualityConfig, where: str) -> Measurement:
    """The glare on the page, or the reflection spilling past its edge seen in the photo
    (`outline.spilled_glare`) where that covers more of it."""
    value, detail = g.fraction, f"glare over {g.fraction:.1%} of the document in {g.blobs} blob(s)"
    if spill is not None and spill > g.fraction:
        value, detail = (
            spill,
            f"a reflection spilling past the document's edge covers {spill:.1%} of it",
        )
    return Measurement(
        "quality.glare", value, _score_below(value, q.glare_fraction_max, 2), where + detail
    )


def _halo(mask: np.ndarray, shape: tuple[int, ...], q: QualityConfig) -> np.ndarray:
    """The glare blobs of `mask` grown by their fade, at the size `shape`."""
    grown = cv.resize_exact(mask.astype(np.uint8) * 255, shape[1], shape[0]) > 0
    width = max(3, round(q.glare_halo_fraction * max(shape[:2])))
    return cv.distance_outside(grown) <= width


def _sharpness(
    gray: np.ndarray, q: QualityConfig, photo: bool, where: str, exclude: np.ndarray | None = None
) -> Measurement:
    s = edge_spread(gray, q.min_edge_pixels, exclude, q.sharpness_direction_min_edges)
    limit = q.photo_blur_max_px if photo else q.blur_max_px
    if s.blur_px is None:
        return Measurement(
            "quality.sharpness", 0.0, 1.0, f"{where}too few edges ({s.edges}) to judge sharpness"
        )
    detail = (
        f"{where}edge spread {s.blur_px:.2f} px at {max(gray.shape)} px "
        f"({s.edges} edge pixels, noise {s.noise:.1f})"
    )
    return Measurement("quality.sharpness", s.blur_px, _score_below(s.blur_px, limit, 4), detail)


def _exposure(gray: np.ndarray, q: QualityConfig, photo: bool, where: str) -> Measurement:
    level = paper_level(gray)
    limit = q.photo_brightness_min if photo else q.brightness_min
    detail = f"{where}white level {level:.2f} (mean {float(gray.mean()) / 255:.2f})"
    return Measurement("quality.exposure", level, _score_above(level, limit, 6), detail)


def _resolution(
    doc: DocumentState,
    index: int,
    image: np.ndarray,
    q: QualityConfig,
    photo: bool,
    card: bool,
    where: str,
) -> Measurement:
    h, w = image.shape[:2]
    source = _geometry(doc, "geometry.source_px", index) or float(max(h, w))
    if photo:
        px = float(min(h, w))
        return Measurement(
            "quality.resolution",
            px,
            _score_above(px, q.photo_min_side_px, 4),
            f"{where}{px:.0f} px on the short side",
        )
    if card:
        return Measurement(
            "quality.resolution",
            source,
            _score_above(source, q.min_document_width_px, 4),
            f"{where}{source:.0f} px across the document",
        )
    dpi = source * min(h, w) / max(h, w) / 8.5
    return Measurement(
        "quality.resolution",
        dpi,
        _score_above(dpi, q.min_page_dpi, 4),
        f"{where}{dpi:.0f} DPI across the page",
    )


def _score_below(value: float, limit: float, power: float) -> float:
    """1 when value is far below the limit, 0.5 at the limit, towards 0 above it."""
    return round(1.0 / (1.0 + (max(value, 0.0) / limit) ** power), 4)


def _score_above(value: float, limit: float, power: float) -> float:
    """1 when value is far above the limit, 0.5 at the limit, towards 0 below it."""
    return round(1.0 / (1.0 + (limit / max(value, 1e-6)) ** power), 4)


# --- checks -----------------------------------------------------------------------------

_NAMES = {
    DocumentType.DRIVERS_LICENSE: "driver's licence",
    DocumentType.STATE_ID: "ID card",
    DocumentType.PASSPORT: "passport",
    DocumentType.PASSPORT_CARD: "passport card",
    DocumentType.MILITARY_ID: "military ID",
}


def _what(doc: DocumentState) -> str:
    if doc.role == "photo":
        return "photo"
    name = _NAMES.get(doc.document_type)
    if name is None:
        name = "identity document" if doc.role == "identity" else "proof of residency"
    return f"picture of the {name}"


def _measurement(doc: DocumentState, name: str) -> Measurement | None:
    return doc.measurement(name)


def _result(
    doc: DocumentState, key: str, failed: bool, flag: FlagCode, message: str, applicant: str
) -> CheckResult | None:
    m = _measurement(doc, f"quality.{key}")
    if m is None or not doc.pages:
        return None
    if not failed:
        return CheckResult(f"image_quality.{key}", "pass", m.score, m.detail)
    return CheckResult(
        f"image_quality.{key}",
        "fail",
        m.score,
        m.detail,
        flag=flag,
        message=message,
        applicant_message=applicant,
    )


def check_resolution(doc: DocumentState, ctx: Context) -> CheckResult | None:
    """IMAGE_LOW_RESOLUTION: too few pixels across the document (or the photo).

    The standard follows the document's kind as classified: pixels across the card for
    identity documents, effective DPI for residency pages. A document of no accepted kind
    (`other`, a photo uploaded as a document) is judged by the more lenient of the two:
    WRONG_DOCUMENT_TYPE says what is wrong with it, and a small photo of a card or a page
    is not evidence of a poor capture.

    Nor is a picture of no document at all (grass, a cup), whatever the classifier made of
    the few marks OCR read on it: pixels per inch of a page presume a page. A failing
    document upload is therefore confirmed a document by its image (`content`) first.
    """
    m, q = _measurement(doc, "quality.resolution"), ctx.config.quality
    if m is None or not doc.pages:
        return None
    if doc.role == "photo":
        limit, unit = float(q.photo_min_side_px), "px on the short side"
        return _resolution_result(doc, m, limit, unit)
    if not_a_document(doc):
        return CheckResult("image_quality.resolution", "skipped", None, "not a document")
    card = _measurement(doc, "quality.resolution.card")
    page = _measurement(doc, "quality.resolution.page")
    kind = doc.classification.document_type if doc.classification else None
    if card is None or page is None or kind is None:  # not classified: as measured
        unit = "DPI" if m.detail.endswith("DPI across the page") else "px across the document"
        limit = q.min_page_dpi if unit == "DPI" else float(q.min_document_width_px)
        return _resolution_result(doc, m, limit, unit)
    as_card = (card, float(q.min_document_width_px), "px across the document")
    as_page = (page, q.min_page_dpi, "DPI")
    if kind in IDENTITY_TYPES:
        chosen = as_card
    elif kind in RESIDENCY_TYPES:
        chosen = as_page
    else:
        chosen = max(as_card, as_page, key=lambda c: c[0].value / c[1])
    result = _resolution_result(doc, *chosen)
    if result.status == "fail" and not _shows_document(doc, ctx):
        detail = f"{m.detail}; not judged: the picture shows no document"
        return CheckResult("image_quality.resolution", "skipped", None, detail)
    return result


def _shows_document(doc: DocumentState, ctx: Context) -> bool:
    """Does the first page look like printed matter (text rows or paper)? A card with a
    portrait, a barcode or an MRZ read is one whatever its pixels."""
    if doc.faces or doc.barcode is not None or doc.mrz is not None:
        return True
    return measure_content(doc.pages[0].image, ctx.config.content).document


def _resolution_result(doc: DocumentState, m: Measurement, limit: float, unit: str) -> CheckResult:
    if m.value >= limit:
        return CheckResult("image_quality.resolution", "pass", m.score, m.detail)
    return CheckResult(
        "image_quality.resolution",
        "fail",
        m.score,
        m.detail,
        flag=FlagCode.IMAGE_LOW_RESOLUTION,
        message=(
            f"The image has {m.value:.0f} {unit}, below the minimum of {limit:.0f} ({m.detail})."
        ),
        applicant_message=(
            f"Your {_what(doc)} is too small to read. Please take a new photo closer to the "
            "document, so that it fills most of the picture, or scan it at 200 DPI or more."
        ),
    )


def check_sharpness(doc: DocumentState, ctx: Context) -> CheckResult | None:
    """IMAGE_BLURRY: edges spread wider than the limit."""
    m, q = _measurement(doc, "quality.sharpness"), ctx.config.quality
    if m is None:
        return None
    limit = q.photo_blur_max_px if doc.role == "photo" else q.blur_max_px
    return _result(
        doc,
        "sharpness",
        m.value > limit,
        FlagCode.IMAGE_BLURRY,
        f"The image is blurred: edges spread over {m.value:.2f} px, above the limit of "
        f"{limit:.2f} px ({m.detail}).",
        f"Your {_what(doc)} is blurred. Please take a new photo in good light, holding the "
        "camera steady.",
    )


def check_exposure(doc: DocumentState, ctx: Context) -> CheckResult | None:
    """IMAGE_TOO_DARK: the paper-white level is below the limit."""
    m, q = _measurement(doc, "quality.exposure"), ctx.config.quality
    if m is None:
        return None
    limit = q.photo_brightness_min if doc.role == "photo" else q.brightness_min
    return _result(
        doc,
        "exposure",
        m.value < limit,
        FlagCode.IMAGE_TOO_DARK,
        f"The image is under-exposed: white level {m.value:.2f}, below the minimum of "
        f"{limit:.2f} ({m.detail}).",
        f"Your {_what(doc)} is too dark. Please take a new photo in good light, without a "
        "shadow over the document.",
    )


def check_glare(doc: DocumentState, ctx: Context) -> CheckResult | None:
    """IMAGE_GLARE: blown-out blobs over more of the document than the limit."""
    m, q = _measurement(doc, "quality.glare"), ctx.config.quality
    if m is None or doc.role == "photo":
        return None
    return _result(
        doc,
        "glare",
        m.value > q.glare_fraction_max,
        FlagCode.IMAGE_GLARE,
        f"Glare covers {m.value:.1%} of the document, above the limit of "
        f"{q.glare_fraction_max:.1%} ({m.detail}).",
        f"Your {_what(doc)} has a bright reflection hiding part of it. Please take a new "
        "photo without flash, tilting the document away from the light.",
    )


def check_framing(doc: DocumentState, ctx: Context) -> CheckResult | None:
    """Document cut off at the frame edge (warn) or no document in the picture (fail)."""
    m = _measurement(doc, "quality.framing")
    if m is None or doc.role == "photo" or not doc.pages:
        return None
    if m.score >= 1.0:
        return CheckResult("image_quality.framing", "pass", m.score, m.detail)
    status = "fail" if m.score <= 0.0 else "warn"
    return CheckResult(
        "image_quality.framing",
        status,
        m.score,
        m.detail,
        message=f"The document may not be fully in the picture: {m.detail}.",
        applicant_message=(
            f"Part of your {_what(doc)} may be missing. Please take a new photo with the whole "
            "document inside the picture."
        ),
    )
