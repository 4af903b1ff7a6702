"""IMAGE_GLARE and IMAGE_LOW_RESOLUTION must not fire on what only resembles the defect.

Glare: lighting gradients, bright white paper, blurred cards and stretched dark images are
not glare (that glare is still found is in test_quality.py). Resolution: the standard follows the
classified kind (card pixels for identity documents, DPI for pages, the lenient one for
documents of no accepted kind).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import synth
from conftest import doc_of

from models.flags import DocumentType, FlagCode
from models.internal import Classification
from pipeline.config import QualityConfig
from pipeline.imaging import quality, rectify
from pipeline.imaging.quality import glare_fraction


def _ramp(img: np.ndarray, lo: float, hi: float, axis: int = 1) -> np.ndarray:
    """A lighting gradient from `lo` to `hi` times the light, across `axis`."""
    n = img.shape[axis]
    ramp = np.linspace(lo, hi, n, dtype=np.float32)
    ramp = ramp[None, :, None] if axis == 1 else ramp[:, None, None]
    return np.clip(img.astype(np.float32) * ramp, 0, 255).astype(np.uint8)


def test_lighting_gradient_that_blows_out_one_side_is_not_glare(rng):
    q = QualityConfig()
    page = _ramp(synth.page(rng, 1200), 0.7, 1.3)
    assert (page.min(axis=2) >= q.glare_saturation).mean() > 0.3  # one side is blown out
    assert glare_fraction(page, q).fraction < q.glare_fraction_max / 4
    card = _ramp(synth.card(rng), 0.75, 1.35, axis=0)
    assert glare_fraction(card, q).fraction < q.glare_fraction_max / 4


def test_blurred_white_panel_is_not_glare_but_blurred_glare_on_tint_is(rng):
    q = QualityConfig()
    card = synth.card(rng)
    card[420:640, 80:1020] = 255  # a white printed band (a passport's MRZ zone)
    blurred = synth.gaussian_blur(card, 6)
    blur_px = quality.edge_spread(quality._reference_gray(blurred, 1000, True)).blur_px
    assert blur_px is not None and blur_px > q.blur_max_px
    assert glare_fraction(blurred, q, blur_px).fraction < q.glare_fraction_max / 4


def test_licence_back_blurred_is_not_glare(rng):
    q = QualityConfig()
    back = np.full((694, 1100, 3), 252, np.uint8)
    stripes = (rng.random((1, 700)) > 0.5).repeat(260, axis=0)
    back[250:510, 200:900] = np.where(stripes, 20, 250)[:, :, None]  # a barcode block
    blurred = synth.gaussian_blur(back, 5)
    blur_px = quality.edge_spread(quality._reference_gray(blurred, 1000, True)).blur_px or 0.0
    assert glare_fraction(blurred, q, blur_px).fraction < q.glare_fraction_max / 4


def test_stretched_dark_image_is_not_glare(rng):
    q = QualityConfig()
    dark = synth.noise(synth.dark(synth.card(rng), 0.25, 2.4), rng, 2)
    f = dark.astype(np.float32)
    lo, hi = np.percentile(f, 1), np.percentile(f, 99.5)
    stretched = np.clip((f - lo) / (hi - lo) * 255, 0, 255).astype(np.uint8)
    assert glare_fraction(stretched, q).fraction < q.glare_fraction_max / 4


def _resolution(ctx, image, role, kind):
    doc = rectify.rectify(doc_of(image, role=role), ctx)
    doc = quality.measure(doc, ctx)
    if kind is not None:
        doc = replace(doc, classification=Classification(kind, 0.9))
    return quality.check_resolution(doc, ctx)


def _card_photo(rng, factor: float = 1.0) -> np.ndarray:
    """A photographed card about 1100 px across (times `factor`): 83 "DPI" as a page."""
    photo, _ = synth.photograph(synth.card(rng), rng, angle=5, fill=0.7)
    return photo if factor == 1.0 else synth.lowres(photo, factor)


def test_card_uploaded_as_residency_is_judged_as_a_card(ctx, rng):
    card = _card_photo(rng)
    r = _resolution(ctx, card, "residency", DocumentType.DRIVERS_LICENSE)
    assert r.status == "pass" and "px across" in r.detail
    # unclassified, a residency upload is judged as a page (the measure's own guess)
    assert _resolution(ctx, card, "residency", None).flag is FlagCode.IMAGE_LOW_RESOLUTION


def test_other_document_gets_the_lenient_standard(ctx, rng):
    photo = _card_photo(rng, 0.65)  # ~730 px: above a card's minimum, 54 DPI
    r = _resolution(ctx, photo, "residency", DocumentType.OTHER)
    assert r.status == "pass"
    tiny = _card_photo(rng, 0.3)  # ~340 px, 25 DPI: fails both standards
    assert _resolution(ctx, tiny, "residency", DocumentType.OTHER).flag is (
        FlagCode.IMAGE_LOW_RESOLUTION
    )


def test_page_classified_as_bill_is_judged_in_dpi(ctx, rng):
    page = synth.lowres(synth.page(rng, 1700), 0.4)  # 80 DPI, but 880 px long
    r = _resolution(ctx, page, "identity", DocumentType.UTILITY_BILL)
    assert r.flag is FlagCode.IMAGE_LOW_RESOLUTION and "DPI" in r.message
    card = _card_photo(rng, 0.4)  # ~450 px across a licence
    r = _resolution(ctx, card, "identity", DocumentType.DRIVERS_LICENSE)
    assert r.flag is FlagCode.IMAGE_LOW_RESOLUTION and "px across" in r.message


def _blown_ellipse(img: np.ndarray, cx: float, cy: float, ax: float, ay: float) -> np.ndarray:
    """A blown-out elliptical reflection with a short linear fade."""
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    r = ((xx - cx * w) / (ax * w)) ** 2 + ((yy - cy * h) / (ay * h)) ** 2
    alpha = np.clip((1.25 - r) / 0.35, 0, 1)[:, :, None]
    return np.clip(img * (1 - alpha) + 255 * alpha, 0, 255).astype(np.uint8)


def test_glare_fade_is_not_read_as_blur(rng):
    """A reflection spilling off the card onto a dark table: its fade is no optical blur."""
    q = QualityConfig()
    scene = np.full((1500, 1500, 3), 40, np.uint8)
    scene[400:1094, 150:1250] = synth.card(rng)
    glared = _blown_ellipse(scene, 0.55, 0.33, 0.3, 0.2)

    def measured(img: np.ndarray) -> dict[str, float]:
        ms = quality._measure_page(doc_of(img), 0, img, q)
        return {m.name: m.value for m in ms}

    clean, bad = measured(scene), measured(glared)
    assert bad["quality.glare"] > q.glare_fraction_max
    assert bad["quality.sharpness"] < clean["quality.sharpness"] + 0.15
