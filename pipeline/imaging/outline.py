"""Finding the document in a photo: the outline search of `rectify`.

Contract: `find_outline(small, cfg)` -> the most plausible document quadrilateral on a
downscaled copy (or None) and the largest foreground region (kept to judge framing);
`spilled_glare(small, quad, cfg)` -> the share of an outline under reflections spilling
past it onto the table. Candidates come from edge contours (of brightness, and of hue)
and segmentation against the background colour and by brightness, each fitted to a
quadrilateral: the hull's four longest sides, or, where the region meets glare, the
straight runs of its boundary away from the glare; where the hull takes in a reflection
spilling past the document onto the table, the four straight pieces of the boundary, glare
or not, along which most of it runs. A candidate that is another and a reflection spilling
past it is left out; a candidate enclosing the best-scored one wins (the best one was then
a band printed on the document). Pure: arrays in, arrays out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import combinations

import numpy as np

from pipeline.config import GeometryConfig
from pipeline.tools import cv


@dataclass(frozen=True)
class Outline:
    """A candidate document outline on the downscaled copy."""

    quad: np.ndarray
    """tl, tr, br, bl (float32, pixels of the downscaled copy)."""
    area: float
    """Share of the frame inside the quadrilateral."""
    fill: float
    """Share of the quadrilateral covered by the region it was fitted to."""
    method: str
    support: float = 0.0
    """Share of the outline's perimeter lying on an image edge."""
    spill: float = 0.0
    """Share of it covered by reflections spilling past it (`Spill`; set on the outline
    `find_outline` returns)."""


@dataclass(frozen=True)
class Region:
    """The largest foreground region, kept to judge framing even without a quadrilateral."""

    area: float
    sides_touched: int


def find_outline(small: np.ndarray, cfg: GeometryConfig) -> tuple[Outline | None, Region | None]:
    """The most plausible document quadrilateral in a downscaled image (see `_outermost`),
    with the share of it reflections spill past (`Outline.spill`), and the largest region."""
    gray = cv.gaussian_blur(cv.to_gray(small), 2.0)
    frame_area = float(gray.shape[0] * gray.shape[1])
    support_map = cv.gaussian_blur(small, 1.5)
    candidates: list[Outline] = []
    region: Region | None = None
    distance = _background_distance(cv.gaussian_blur(small, 3.0))
    darkest = cv.channel_min(small)
    glare = _near_glare(darkest, cfg)
    for method, mask in _candidate_masks(gray, distance, support_map, cfg):
        for contour in cv.outer_contours(mask)[:2]:
            area = cv.contour_area(contour) / frame_area
            if area < cfg.outline_min_area:
                break
            touched = _sides_touched(contour, gray.shape, cfg.frame_margin)
            if area < 0.98 and (region is None or area > region.area):
                region = Region(area, touched)
            fits = _fits(contour, mask, glare, darkest, method, cfg)
            found = next(
                (f for group in fits if (f := _best_fit(group, distance, support_map, cfg))),
                None,
            )
            if found is not None:
                candidates.append(found)
    scene = Spill.of(darkest, cfg)
    best = _outermost(_without_reflections(candidates, scene, cfg), cfg)
    if best is None or scene is None:
        return best, region
    return replace(best, spill=scene.share(best.quad, cfg)), region


def spilled_glare(small: np.ndarray, quad: np.ndarray, cfg: GeometryConfig) -> float:
    """Share of the outline `quad` covered by blown-out blobs that spill past it onto the
    table (0 when none does; see `Spill`)."""
    scene = Spill.of(cv.channel_min(small), cfg)
    return 0.0 if scene is None else scene.share(quad, cfg)


@dataclass(frozen=True)
class Spill:
    """The blown-out blobs of a photo that may spill past a document's outline.

    Paper's own white ends at its edge; a reflection does not. A blob counts for an outline
    when its blown-out core lies well inside it and reaches well outside it
    (`spill_margin_px`), core and halo beyond it covering `spill_min_part` of the copy, does
    not run into the frame's edge (a white table) and fades out softly beyond the outline
    (`spill_halo_share`). The flattened page alone cannot tell such a reflection, pressed
    against the page's edge, from the lit side of a gradient; the photo around it can."""

    darkest: np.ndarray
    labels: np.ndarray
    blobs: tuple[tuple[int, int, int, int, int], ...]
    """(label, x, y, width, height) of each blob large enough to lie on both sides."""
    halo: float
    """The level of a reflection's halo over this table."""

    @classmethod
    def of(cls, darkest: np.ndarray, cfg: GeometryConfig) -> Spill | None:
        """The scene of the minimum channel `darkest` (None: no blob that may spill)."""
        h, w = darkest.shape
        least = cfg.spill_min_part * darkest.size
        _, labels, stats = cv.components(_blown(darkest, cfg))
        blobs = tuple(
            (i, x, y, bw, bh)
            for i, (x, y, bw, bh, area) in enumerate(stats[:, :5].tolist())
            if i and x > 0 and y > 0 and x + bw < w and y + bh < h and area >= 2 * least
        )  # not running into the frame's edge, large enough to lie on both sides
        if not blobs:
            return None
        border = np.concatenate([darkest[[0, -1]].ravel(), darkest[:, [0, -1]].ravel()])
        table = float(np.median(border))
        return cls(darkest, labels, blobs, table + cfg.spill_halo_share * (255.0 - table))

    def share(self, quad: np.ndarray, cfg: GeometryConfig) -> float:
        """Share of `quad` covered by the blobs that spill past it."""
        darkest = self.darkest
        least = cfg.spill_min_part * darkest.size
        inside = cv.quad_mask(darkest.shape, quad).astype(np.uint8) * 255
        margin = 2 * cfg.spill_margin_px + 1
        well_inside = cv.erode(inside, margin) > 0
        well_outside = cv.dilate(inside, margin) == 0
        halo = darkest >= self.halo
        covered = 0
        for i, x, y, bw, bh in self.blobs:
            pad = SPILL_HALO_PAD
            roi = (slice(max(0, y - pad), y + bh + pad), slice(max(0, x - pad), x + bw + pad))
            blob = self.labels[roi] == i
            core = blob & well_outside[roi]
            if (
                np.count_nonzero(core) < cfg.spill_min_core * darkest.size
                or np.count_nonzero(blob & well_inside[roi]) < least
            ):
                continue
            if np.count_nonzero(_grown(blob, halo[roi]) & well_outside[roi]) < least:
                continue
            ring = (cv.dilate(core.astype(np.uint8) * 255, 13) > 0) & ~blob & well_outside[roi]
            if (
                ring.any()
                and _median_u8(darkest[roi][ring]) >= self.halo
                and self._fades_out(core, blob, well_outside[roi], darkest[roi])
            ):
                covered += np.count_nonzero(blob & (inside[roi] > 0))
        return covered / max(1, np.count_nonzero(inside))

    def _fades_out(
        self, core: np.ndarray, blob: np.ndarray, outside: np.ndarray, darkest: np.ndarray
    ) -> bool:
        """Past its halo (`SPILL_FADE_FROM` to `SPILL_HALO_PAD` beyond its core, outside the
        outline) the reflection has faded into the table: the median there is below the
        halo's level. Paper stays bright there: the lit upper half of a bill, its lower
        half outlined at a printed band, read as a reflection covering 83.5 % of that half
        (MA-O4245-0049: 214-238 at 7-40 px; reflections on the table fade to 85-99 by
        14-24 px, MA-S10069-0069, CT-S10065-0015). No such ring (the frame's edge): kept."""
        distance = cv.distance_outside(core)
        far = (distance > SPILL_FADE_FROM) & (distance <= SPILL_HALO_PAD) & outside & ~blob
        return not far.any() or _median_u8(darkest[far]) < self.halo


SPILL_HALO_PAD = 24
"""How far (px of the downscaled copy) around a blob its halo is looked at: synthetic
glare fades over about 16 px of it beyond its core."""
SPILL_FADE_FROM = 14
"""Distance (px of the downscaled copy) beyond a reflection's core from which its halo
has faded (see `Spill._fades_out`)."""


def _grown(blob: np.ndarray, halo: np.ndarray) -> np.ndarray:
    """The blob and the halo pixels connected to it."""
    _, labels, _ = cv.components((blob | halo).astype(np.uint8))
    return np.isin(labels, np.unique(labels[blob]))


def _without_reflections(
    candidates: list[Outline], scene: Spill | None, cfg: GeometryConfig
) -> list[Outline]:
    """The candidates, less each that is another one and the reflection spilling past it:
    it encloses that one, past whose edge a reflection spills (`Spill`), adds less than
    `spill_max_growth` of it, and no reflection spills past its own (the region of document
    and reflection, whose hull took the bulge in on the table, MA-S10069-0069)."""
    if scene is None or len(candidates) < 2:
        return candidates
    spills = [scene.share(c.quad, cfg) > 0 for c in candidates]
    spilled = [c for c, s in zip(candidates, spills, strict=True) if s]
    return [
        outer
        for outer, s in zip(candidates, spills, strict=True)
        if s or not any(_bulges(outer, inner, cfg) for inner in spilled)
    ]


def _bulges(outer: Outline, inner: Outline, cfg: GeometryConfig) -> bool:
    """`outer` encloses `inner` and adds less than `spill_max_growth` of it."""
    return inner.area < outer.area <= inner.area * (1 + cfg.spill_max_growth) and _encloses(
        outer.quad, inner.quad, cfg.outline_nested_tolerance
    )


def _fits(
    contour: np.ndarray,
    mask: np.ndarray,
    glare: np.ndarray | None,
    darkest: np.ndarray,
    method: str,
    cfg: GeometryConfig,
) -> tuple[tuple[Outline | None, ...], ...]:
    """The quadrilaterals fitted to one region, in groups tried in turn: its hull's
    (`_fit_quad`), and where the region meets glare without filling its hull cleanly the fit
    to its straight sides away from the glare (`_fit_around_glare`). Where the hull takes in
    a reflection spilling past the document onto the table (`_spilled`), however well the
    region fills it, first the fit to the document's sides (`_fit_sides`), then the rest."""
    hull_fit = _fit_quad(contour, float(mask.size), method)
    points = _dense(contour)
    free = None if glare is None else ~glare[points[:, 1], points[:, 0]]
    if free is None or free.all() or not free.any():
        return ((hull_fit,),)  # no glare on the boundary, or all of it (blown-out paper)
    region = cv.contour_mask(mask.shape, contour)
    clean = hull_fit is not None and hull_fit.fill >= cfg.outline_clean_fill
    around = None if clean else _fit_around_glare(points, free, region, method, cfg)
    fits = (hull_fit, around)
    sides = _fit_sides(points, region, method, cfg)
    if hull_fit is None or sides is None or not _spilled(hull_fit, sides, region, darkest, cfg):
        return (fits,)
    return ((sides,), fits)


def _spilled(
    hull: Outline, sides: Outline, region: np.ndarray, darkest: np.ndarray, cfg: GeometryConfig
) -> bool:
    """The hull's quadrilateral reaches out of the sides' (by more than two fits of one
    outline differ, `outline_nested_min_growth`) over a reflection: most of the region it
    adds is bright (`SPILL_BRIGHT`), a blown-out core and its halo. A dark band printed
    along a white card's edge, which the sides' fit may cut off, is not."""
    if hull.area <= sides.area * (1 + cfg.outline_nested_min_growth):
        return False
    added = cv.quad_mask(region.shape, hull.quad) & ~cv.quad_mask(region.shape, sides.quad)
    added &= region
    return bool(added.any()) and float(np.mean(darkest[added] >= SPILL_BRIGHT)) >= 0.5


SPILL_BRIGHT = 200
"""A pixel whose every channel is at least this is a reflection's core or halo (the halo
of synthetic glare on grey and blue tables: 77-100 % of the region's bulge; the band cut
off a white ID card: 16-19 %)."""


def _best_fit(
    fits: tuple[Outline | None, ...], distance: np.ndarray, smooth: np.ndarray, cfg: GeometryConfig
) -> Outline | None:
    """The best-scored of a region's quadrilaterals that is plausible, encloses what differs
    from the border and lies on edges (`support` filled in); None when none does."""
    kept = [
        replace(fit, support=edge_support(fit.quad, smooth))
        for fit in fits
        if fit is not None
        and _plausible(fit, cfg)
        and not _frame_corners(fit.quad, distance.shape)
        and _separates(fit.quad, distance)
    ]
    kept = [fit for fit in kept if fit.support >= cfg.outline_min_support]
    return max(kept, key=_score, default=None)


FRAME_CORNER_PX = 3.0
"""A quadrilateral corner this close (work-copy pixels) to a corner of the frame is it."""


def _frame_corners(quad: np.ndarray, shape: tuple[int, ...]) -> bool:
    """Two or more corners on the frame's own corners: the hull of the background around a
    document (a card on a grey table outlined from the frame's corners, MA-S10020-0001),
    never a document photographed within the frame (one filling the frame is not
    outlined at all). Measured: 1 of 1,224 outlines on fresh seeds, the wrong one."""
    h, w = shape[:2]
    frame = np.array([[0.0, 0.0], [w, 0.0], [w, h], [0.0, h]])
    near = [np.min(np.hypot(*(frame - corner).T)) <= FRAME_CORNER_PX for corner in quad]
    return sum(near) >= 2


def _score(outline: Outline) -> float:
    return outline.area * outline.fill * outline.support**2


def _outermost(candidates: list[Outline], cfg: GeometryConfig) -> Outline | None:
    """The best-scored candidate, unless another candidate encloses it: a document's
    printed band or box lies inside the document, never around it (a band coloured like
    the table is cut off by segmentation, whose inner side has the stronger edge). Of
    candidates giving the same outline, the first found (brightness edges before hue
    edges: hue only adds what brightness missed)."""
    if not candidates:
        return None
    best = max(candidates, key=_score)
    while True:
        around = [
            c
            for c in candidates
            if c.area > best.area * (1 + cfg.outline_nested_min_growth)
            and _encloses(c.quad, best.quad, cfg.outline_nested_tolerance)
        ]
        if not around:
            return next(c for c in candidates if _same_outline(c, best, cfg))
        best = max(around, key=_score)


def _same_outline(a: Outline, b: Outline, cfg: GeometryConfig) -> bool:
    """Two fits of one outline: each encloses the other, their areas within the growth."""
    small, large = sorted((a.area, b.area))
    return (
        large <= small * (1 + cfg.outline_nested_min_growth)
        and _encloses(a.quad, b.quad, cfg.outline_nested_tolerance)
        and _encloses(b.quad, a.quad, cfg.outline_nested_tolerance)
    )


def _encloses(outer: np.ndarray, inner: np.ndarray, tolerance: float) -> bool:
    """Every corner of `inner` inside the convex `outer` (or within `tolerance` of its
    size outside it)."""
    slack = tolerance * float(np.sqrt(cv.contour_area(outer)))
    for i in range(4):
        a, b = outer[i], outer[(i + 1) % 4]
        edge = b - a
        normal = np.array([edge[1], -edge[0]]) / (np.linalg.norm(edge) + 1e-9)
        if np.dot(outer.mean(axis=0) - a, normal) < 0:
            normal = -normal  # pointing inwards
        if float(np.min((inner - a) @ normal)) < -slack:
            return False
    return True


def edge_support(quad: np.ndarray, smooth: np.ndarray, min_contrast: float = 24.0) -> float:
    """Share of points along the quadrilateral's sides with a colour step across the side.

    Each point is compared a few pixels inside and outside along the side's normal on a
    smoothed colour image; a side beyond the frame is not held against the outline.
    """
    h, w = smooth.shape[:2]
    channels = 1 if smooth.ndim == 2 else smooth.shape[2]
    centre = quad.mean(axis=0)
    offset = max(3.0, 0.008 * max(h, w))
    hits = total = 0
    for i in range(4):
        a, b = quad[i], quad[(i + 1) % 4]
        n = max(8, int(np.linalg.norm(b - a) / 4))
        pts = a + np.linspace(0.08, 0.92, n)[:, None] * (b - a)
        normal = np.array([-(b - a)[1], (b - a)[0]]) / (np.linalg.norm(b - a) + 1e-6)
        if np.dot(centre - (a + b) / 2, normal) < 0:
            normal = -normal  # point inwards
        inner = np.round(pts + offset * normal).astype(int)
        outer = np.round(pts - offset * normal).astype(int)
        ok = _inside(inner, w, h) & _inside(outer, w, h)
        total += n
        hits += int(np.count_nonzero(~ok))
        inside = smooth[inner[ok, 1], inner[ok, 0]].astype(np.float32)  # only the points
        diff = (inside - smooth[outer[ok, 1], outer[ok, 0]].astype(np.float32)).reshape(
            -1, channels
        )
        hits += int(np.count_nonzero(np.sqrt((diff**2).sum(axis=1)) >= min_contrast))
    return hits / max(1, total)


def _inside(pts: np.ndarray, w: int, h: int) -> np.ndarray:
    return (pts[:, 0] >= 0) & (pts[:, 0] < w) & (pts[:, 1] >= 0) & (pts[:, 1] < h)


def _separates(quad: np.ndarray, distance: np.ndarray) -> bool:
    """The outline must enclose what differs from the frame's border, not leave it outside.

    (A flat scan's header band is not background: cutting it off would be wrong.)
    """
    inside = cv.quad_mask(distance.shape, quad)
    if inside.all() or not inside.any():
        return False
    return _median_u8(distance[~inside]) < _median_u8(distance[inside])


def _median_u8(values: np.ndarray) -> float:
    """`np.median` of 8-bit values, from their histogram (no partial sort of the pixels)."""
    cumulative = np.cumsum(np.bincount(values, minlength=256))
    n = int(cumulative[-1])
    upper = int(np.searchsorted(cumulative, n // 2, side="right"))
    if n % 2:
        return float(upper)
    lower = int(np.searchsorted(cumulative, n // 2 - 1, side="right"))
    return (lower + upper) / 2.0


def _candidate_masks(
    gray: np.ndarray, distance: np.ndarray, blurred: np.ndarray, cfg: GeometryConfig
) -> list[tuple[str, np.ndarray]]:
    """Regions that may be the document, by name: closed edges (brightness, and brightness
    or hue), unlike the border's colour, bright and dark. (`blurred`: the colour copy.)"""
    masks: list[tuple[str, np.ndarray]] = []
    edges = cv.canny(gray, 20, 60)
    masks.append(("edges", cv.close(cv.dilate(edges, 3), 7)))
    hue_edges = edges | _chroma_edges(blurred, cfg.outline_chroma_edge)
    masks.append(("hue_edges", cv.close(cv.dilate(hue_edges, 3), 7)))
    masks.append(("background", _clean(cv.otsu(distance))))
    masks.append(("not_border", _clean(_unlike_border(distance))))
    masks.append(("bright", _clean(cv.otsu(gray))))
    masks.append(("dark", _clean(cv.otsu(gray, invert=True))))
    return masks


def _chroma_edges(image: np.ndarray, low: float) -> np.ndarray:
    """Canny edges of the two opponent-colour channels (red-green, yellow-blue), OR-ed.

    A table's texture (wood grain, a weave, stone) varies mostly in brightness, while a
    card's printed band differs from a table of the same brightness in hue: on chroma alone,
    the card's whole outline stands out and the table's grain does not."""
    px = image.astype(np.int16)
    b, g, r = px[:, :, 0], px[:, :, 1], px[:, :, 2]
    red_green = np.clip((r - g) // 2 + 128, 0, 255).astype(np.uint8)
    yellow_blue = np.clip((r + g - 2 * b) // 4 + 128, 0, 255).astype(np.uint8)
    return cv.canny(red_green, low, 3 * low) | cv.canny(yellow_blue, low, 3 * low)


def _unlike_border(distance: np.ndarray) -> np.ndarray:
    """Pixels clearly unlike the frame border (beyond its own spread), as a 0/255 mask."""
    border = np.concatenate(
        [
            distance[:4].ravel(),
            distance[-4:].ravel(),
            distance[:, :4].ravel(),
            distance[:, -4:].ravel(),
        ]
    )
    limit = max(12.0, 2.5 * float(np.percentile(border, 95)))
    return (distance > limit).astype(np.uint8) * 255


def _clean(mask: np.ndarray) -> np.ndarray:
    return cv.close(cv.open_(mask, 5), 9)


def _background_distance(image: np.ndarray) -> np.ndarray:
    """Colour distance of each pixel from the frame border's median colour (8-bit)."""
    px = image.astype(np.float32)
    border = np.concatenate(
        [
            px[:4].reshape(-1, 3),
            px[-4:].reshape(-1, 3),
            px[:, :4].reshape(-1, 3),
            px[:, -4:].reshape(-1, 3),
        ]
    )
    bg = np.median(border, axis=0)
    diff = px - bg
    diff *= diff
    # the channels added in the order `sum(axis=2)` adds them, without its slow short-axis pass
    dist = np.sqrt(diff[:, :, 0] + diff[:, :, 1] + diff[:, :, 2])
    return np.clip(dist * (255.0 / max(1.0, float(dist.max()))), 0, 255).astype(np.uint8)


def _fit_quad(contour: np.ndarray, frame_area: float, method: str) -> Outline | None:
    """Fit a quadrilateral to a region: the four longest sides of its simplified hull,
    extended and intersected (robust to a cut or rounded corner)."""
    hull = cv.convex_hull(contour)
    poly = cv.approx_polygon(hull, 0.008).astype(np.float64)
    if len(poly) < 4:
        return None
    if len(poly) == 4:
        quad = poly
    else:
        sides = [(poly[i], poly[(i + 1) % len(poly)]) for i in range(len(poly))]
        lengths = [float(np.linalg.norm(b - a)) for a, b in sides]
        keep = sorted(sorted(range(len(sides)), key=lambda i: -lengths[i])[:4])
        corners = [_intersect(sides[keep[i - 1]], sides[keep[i]]) for i in range(4)]
        if any(c is None for c in corners):
            return None
        quad = np.array(corners)
    quad = order_corners(quad.astype(np.float32))
    quad_area = cv.contour_area(quad)
    if quad_area <= 0:
        return None
    fill = min(1.0, cv.contour_area(contour) / quad_area)
    return Outline(quad, quad_area / frame_area, fill, method)


def _blown(darkest: np.ndarray, cfg: GeometryConfig) -> np.ndarray:
    """Blown-out pixels (every channel at `outline_blown_level`, `darkest` the minimum
    channel) as a 0/1 mask, scattered ones (saturated specks of white paper) opened away."""
    return cv.open_((darkest >= cfg.outline_blown_level).astype(np.uint8), 5)


def _near_glare(darkest: np.ndarray, cfg: GeometryConfig) -> np.ndarray | None:
    """Pixels within `outline_glare_reach` of a blown-out area (None when there is none):
    there a region's boundary may be the glare's soft halo, not the document's edge.
    (`darkest`: the minimum channel; see `_blown`.)"""
    blown = _blown(darkest, cfg) > 0
    if not blown.any():
        return None
    reach = cfg.outline_glare_reach * max(darkest.shape[:2])
    return cv.distance_outside(blown) < reach


def _fit_around_glare(
    points: np.ndarray, free: np.ndarray, region: np.ndarray, method: str, cfg: GeometryConfig
) -> Outline | None:
    """A quadrilateral on the straight pieces of a region's boundary away from glare
    (`points`, the boundary by `_dense`; `free`, those out of the glare's reach; `region`,
    the region's filled mask).

    Glare spilling over a document's edge onto the table joins the two in one region
    whose hull is no quadrilateral. The document's sides still show as straight runs of
    the boundary where it is not blown out (a side's visible part suffices): the four
    longest, taken around the region and extended, meet at its corners. `fill` is then the
    share of the quadrilateral inside the region's outline (the glare outside it does not
    count)."""
    min_length = cfg.outline_min_side_piece * max(region.shape[:2])
    pieces = [
        piece
        for run in _runs(points, free)
        for piece in _straight_pieces(run, cfg.outline_line_tolerance_px)
        if np.linalg.norm(piece[1] - piece[0]) >= min_length
    ]
    if len(pieces) < 4:
        return None
    pieces = sorted(pieces, key=lambda p: -float(np.linalg.norm(p[1] - p[0])))[:4]
    centre = points[free].mean(axis=0)
    pieces.sort(key=lambda p: _bearing(p, centre))
    corners = [_intersect(pieces[i - 1], pieces[i]) for i in range(4)]
    if any(c is None for c in corners):
        return None
    quad = order_corners(np.array(corners, dtype=np.float32))
    inside = cv.quad_mask(region.shape, quad)
    if not inside.any():
        return None
    fill = float(np.count_nonzero(inside & region)) / float(np.count_nonzero(inside))
    return Outline(quad, float(np.count_nonzero(inside)) / region.size, fill, method)


SIDE_PIECES = 6
"""`_fit_sides` tries every four of the region boundary's this many longest straight pieces."""


def _fit_sides(
    points: np.ndarray, region: np.ndarray, method: str, cfg: GeometryConfig
) -> Outline | None:
    """The plausible quadrilateral on four of the region boundary's `SIDE_PIECES` longest
    straight pieces (glare or not) that the region fills cleanly (`outline_clean_fill`) and
    along whose sides most of the boundary's straight pieces lie (`_seen_length`).

    Where glare spills past a document's edge, the visible parts of its sides are straight
    pieces of the region's boundary, some of them in the glare's reach (a side's short runs
    on either side of the reflection, a white band's edge). The halo gives only short arcs:
    a side laid on one leaves table outside the region inside the quadrilateral, or has no
    other piece along it."""
    runs = _halves(points)
    min_length = cfg.outline_min_side_piece * max(region.shape[:2])
    pieces = [
        piece
        for run in runs
        for piece in _joined(_straight_pieces(run, cfg.outline_line_tolerance_px), cfg)
        if np.linalg.norm(piece[1] - piece[0]) >= min_length
    ]
    longest = sorted(pieces, key=lambda p: -float(np.linalg.norm(p[1] - p[0])))[:SIDE_PIECES]
    centre = points.mean(axis=0)
    coarse = np.ascontiguousarray(region[::2, ::2])  # fill and area at half the size
    best: tuple[float, Outline] | None = None
    for four in combinations(longest, 4):
        fit = _quad_on(sorted(four, key=lambda p: _bearing(p, centre)), coarse, method, cfg)
        if fit is None or fit.fill < cfg.outline_clean_fill:
            continue
        seen = _seen_length(fit.quad, pieces, 2 * cfg.outline_line_tolerance_px)
        if best is None or seen > best[0]:
            best = (seen, fit)
    return None if best is None else best[1]


def _halves(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A closed contour (`_dense`) as two open runs between its two points furthest apart
    (corners, so that no side is split between the runs)."""
    first = int(np.argmax(np.hypot(*(points - points.mean(axis=0)).T)))
    second = int(np.argmax(np.hypot(*(points - points[first]).T)))
    a, b = sorted((first, second))
    return points[a : b + 1], np.vstack([points[b:], points[: a + 1]])


def _straight_pieces(run: np.ndarray, tolerance: float) -> list[tuple[np.ndarray, np.ndarray]]:
    """Split an open polyline (Douglas-Peucker, OpenCV's) into pieces whose points all lie
    within `tolerance` pixels of the chord between their ends; each piece as (start, end),
    in order along the polyline."""
    kept = cv.approx_polyline(run, tolerance).astype(np.float64)
    return [(kept[i], kept[i + 1]) for i in range(len(kept) - 1)]


def _joined(
    pieces: list[tuple[np.ndarray, np.ndarray]], cfg: GeometryConfig
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Consecutive pieces of a run (`_straight_pieces`) joined where their common end lies
    within the line tolerance of the chord over both: a side split at a pixel's bump."""
    out: list[tuple[np.ndarray, np.ndarray]] = []
    for p, q in pieces:
        if out and np.array_equal(out[-1][1], p):
            a = out[-1][0]
            chord = q - a
            off = abs(chord[0] * (p - a)[1] - chord[1] * (p - a)[0]) / (
                np.linalg.norm(chord) + 1e-9
            )
            if off <= cfg.outline_line_tolerance_px:
                out[-1] = (a, q)
                continue
        out.append((p, q))
    return out


def _seen_length(
    quad: np.ndarray, pieces: list[tuple[np.ndarray, np.ndarray]], tolerance: float
) -> float:
    """Total length of the pieces lying along the quadrilateral's sides (both ends within
    `tolerance` px of a side's line): a document side shows wherever glare leaves it, on
    both sides of a reflection; a halo's arc gives one short piece."""
    total = 0.0
    for i in range(4):
        a, b = quad[i].astype(np.float64), quad[(i + 1) % 4].astype(np.float64)
        normal = np.array([b[1] - a[1], a[0] - b[0]]) / (np.linalg.norm(b - a) + 1e-9)
        for p, q in pieces:
            if (
                abs(float((p - a) @ normal)) <= tolerance
                and abs(float((q - a) @ normal)) <= tolerance
            ):
                total += float(np.linalg.norm(q - p))
    return total


def _bearing(piece: tuple[np.ndarray, np.ndarray], centre: np.ndarray) -> float:
    """The direction of a piece's midpoint seen from `centre` (radians)."""
    dy, dx = (piece[0] + piece[1]) / 2 - centre
    return float(np.arctan2(dy, dx))


def _quad_on(
    sides: list[tuple[np.ndarray, np.ndarray]], coarse: np.ndarray, method: str, cfg: GeometryConfig
) -> Outline | None:
    """The plausible quadrilateral whose sides extend four pieces taken in turn around the
    region; `fill` is the share of it inside the region, measured on `coarse`, the region's
    mask at half the size (None when two neighbours are parallel or it is implausible)."""
    corners = [_intersect(sides[i - 1], sides[i]) for i in range(4)]
    if any(c is None for c in corners):
        return None
    quad = order_corners(np.array(corners, dtype=np.float32))
    shape = Outline(quad, cv.contour_area(quad) / (4.0 * coarse.size), 1.0, method)
    if not _plausible(shape, cfg):  # by its shape alone, before measuring the fill
        return None
    inside = cv.quad_mask(coarse.shape, quad / 2)
    n = np.count_nonzero(inside)
    if not n:
        return None
    fill = float(np.count_nonzero(inside & coarse)) / float(n)
    return replace(shape, fill=fill)


def _dense(contour: np.ndarray) -> np.ndarray:
    """A closed contour's points one pixel apart (int, shape (n, 2)), gaps of the chain
    approximation filled in."""
    pts = contour.reshape(-1, 2).astype(np.float64)
    step = np.roll(pts, -1, axis=0) - pts
    counts = np.maximum(1, np.ceil(np.abs(step).max(axis=1))).astype(int)
    segment = np.repeat(np.arange(len(pts)), counts)
    within = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    t = (within / counts[segment])[:, None]
    return np.round(pts[segment] + t * step[segment]).astype(int)


def _runs(points: np.ndarray, keep: np.ndarray) -> list[np.ndarray]:
    """The maximal runs of consecutive kept points of a closed contour (wrapping around)."""
    start = int(np.argmin(keep))  # a dropped point: no run wraps past the array's start
    order = np.roll(np.arange(len(points)), -start)
    flags = keep[order]
    edges = np.flatnonzero(np.diff(np.concatenate([[0], flags.astype(np.int8), [0]])))
    return [points[order[a:b]] for a, b in zip(edges[::2], edges[1::2], strict=True)]


def _intersect(
    s1: tuple[np.ndarray, np.ndarray], s2: tuple[np.ndarray, np.ndarray]
) -> np.ndarray | None:
    (p1, p2), (p3, p4) = s1, s2
    d1, d2 = p2 - p1, p4 - p3
    denom = d1[0] * d2[1] - d1[1] * d2[0]
    if abs(denom) < 1e-6 * (np.linalg.norm(d1) * np.linalg.norm(d2) + 1e-9):
        return None  # parallel sides
    t = ((p3[0] - p1[0]) * d2[1] - (p3[1] - p1[1]) * d2[0]) / denom
    return p1 + t * d1


def _plausible(outline: Outline, cfg: GeometryConfig) -> bool:
    if not cfg.outline_min_area <= outline.area <= cfg.outline_max_area:
        return False
    if outline.fill < cfg.outline_min_fill:
        return False
    q = outline.quad
    for i in range(4):
        a, b, c = q[i - 1], q[i], q[(i + 1) % 4]
        v1, v2 = a - b, c - b
        cos = float(np.dot(v1, v2) / (np.linalg.norm(v1) * np.linalg.norm(v2) + 1e-6))
        if abs(cos) > 0.5:  # corner angle outside 60-120 degrees
            return False
    width, height = edge_lengths(q)
    aspect = max(width, height) / max(1.0, min(width, height))
    return aspect <= 2.3


FEATURE_MAX_AREA = 0.5
"""Largest share of the frame a card's own printed box (its portrait) may take."""


def inside_flat_card(outline: Outline | None, w: int, h: int, cfg: GeometryConfig) -> bool:
    """A card scanned edge to edge (the frame itself ID-1 shaped, either orientation):
    a smaller outline of another shape inside it is a box printed on the card (the
    portrait), not the document, which is the whole frame."""
    if outline is None or outline.area > FEATURE_MAX_AREA:
        return False
    width, height = edge_lengths(outline.quad)
    same_shape = (width >= height) == (w >= h) and card_shaped(width, height, cfg)
    return card_shaped(w, h, cfg) and not same_shape


def card_shaped(width: float, height: float, cfg: GeometryConfig) -> bool:
    """Within `card_aspect_tolerance` of the ID-1 aspect, either way round."""
    aspect = max(width, height) / max(1.0, min(width, height))
    return abs(aspect - cfg.card_aspect) / cfg.card_aspect <= cfg.card_aspect_tolerance


def order_corners(points: np.ndarray) -> np.ndarray:
    """Four points ordered top-left, top-right, bottom-right, bottom-left (clockwise on screen)."""
    centre = points.mean(axis=0)
    angles = np.arctan2(points[:, 1] - centre[1], points[:, 0] - centre[0])
    ordered = points[np.argsort(angles)]  # clockwise on screen (y down), from the left
    start = int(np.argmin(ordered.sum(axis=1)))
    return np.roll(ordered, -start, axis=0).astype(np.float32)


def edge_lengths(quad: np.ndarray) -> tuple[float, float]:
    tl, tr, br, bl = quad
    width = (np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2
    height = (np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / 2
    return float(width), float(height)


def _sides_touched(contour: np.ndarray, shape: tuple[int, ...], margin: float) -> int:
    h, w = shape[:2]
    pts = contour.reshape(-1, 2)
    mx, my = max(2.0, margin * w), max(2.0, margin * h)
    sides = (pts[:, 0] <= mx, pts[:, 0] >= w - 1 - mx, pts[:, 1] <= my, pts[:, 1] >= h - 1 - my)
    return sum(1 for s in sides if s.any())
