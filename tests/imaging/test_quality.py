"""Image-quality measures and checks on synthetic cards and pages with graded defects."""

from __future__ import annotations

import numpy as np
import pytest
import synth
from conftest import doc_of

from models.flags import FlagCode
from pipeline.config import QualityConfig
from pipeline.imaging import quality, rectify
from pipeline.imaging.quality import edge_spread, glare_fraction


def _spread(img: np.ndarray) -> float:
    s = edge_spread(quality._reference_gray(img, 1000, True))
    assert s.blur_px is not None
    return s.blur_px


def _run(doc, ctx):
    doc = rectify.rectify(doc, ctx)
    doc = quality.measure(doc, ctx)
    checks = (
        quality.check_resolution,
        quality.check_sharpness,
        quality.check_exposure,
        quality.check_glare,
        quality.check_framing,
    )
    return doc, {r.name: r for c in checks if (r := c(doc, ctx)) is not None}


def _flags(results) -> set[FlagCode]:
    return {r.flag for r in results.values() if r.flag}


def test_graded_blur_is_monotonic(rng):
    card = synth.card(rng)
    spreads = [_spread(synth.gaussian_blur(card, s)) for s in (0, 1, 2, 3, 4, 6)]
    assert spreads == sorted(spreads)
    assert spreads[-1] - spreads[0] > 3.0


def test_noise_does_not_read_as_blur_and_does_not_hide_it(rng):
    card = synth.card(rng)
    limit = QualityConfig().blur_max_px
    for sigma in (6, 12, 20):
        assert _spread(synth.noise(card, rng, sigma)) < limit / 2
    blurred = synth.gaussian_blur(card, 5.0)
    for sigma in (0, 6, 12):
        assert _spread(synth.noise(blurred, rng, sigma)) > limit


def test_motion_blur_in_any_direction_is_caught(rng):
    card = synth.card(rng)
    limit = QualityConfig().blur_max_px
    for angle in (0, 45, 90):
        assert _spread(synth.motion_blur(card, 31, angle)) > limit


def test_sharp_photo_passes_blurred_photo_fails(ctx, rng):
    photo, _ = synth.photograph(synth.card(rng), rng, angle=10, perspective=0.08)
    _, ok = _run(doc_of(synth.jpeg(synth.noise(photo, rng, 4), 85)), ctx)
    assert _flags(ok) == set()
    assert ok["image_quality.sharpness"].status == "pass"
    assert ok["image_quality.sharpness"].score > 0.8
    _, bad = _run(doc_of(synth.jpeg(synth.noise(synth.gaussian_blur(photo, 6), rng, 4), 85)), ctx)
    r = bad["image_quality.sharpness"]
    assert r.flag is FlagCode.IMAGE_BLURRY and r.status == "fail" and r.score < 0.5
    assert "px" in r.message and "limit" in r.message
    assert "blurred" in r.applicant_message


def test_dark_image_flagged_normal_not(ctx, rng):
    card = synth.card(rng)
    _, ok = _run(doc_of(card), ctx)
    assert FlagCode.IMAGE_TOO_DARK not in _flags(ok)
    _, bad = _run(doc_of(synth.dark(card, 0.25, 2.4)), ctx)
    assert FlagCode.IMAGE_TOO_DARK in _flags(bad)
    assert FlagCode.IMAGE_BLURRY not in _flags(bad)  # dark is not blurred
    # a dark card design under good light is not under-exposure
    _, design = _run(doc_of(synth.dark(card, 0.7)), ctx)
    assert FlagCode.IMAGE_TOO_DARK not in _flags(design)


def test_glare_blob_flagged(ctx, rng):
    card = synth.card(rng)
    photo, _ = synth.photograph(card, rng, angle=8, perspective=0.05, fill=0.7)
    _, ok = _run(doc_of(photo), ctx)
    assert FlagCode.IMAGE_GLARE not in _flags(ok)
    _, bad = _run(doc_of(synth.glare(photo, rng, 0.18, (0.5, 0.5))), ctx)
    r = bad["image_quality.glare"]
    assert r.flag is FlagCode.IMAGE_GLARE and "%" in r.message


def test_glare_on_a_photographed_page_is_found(rng):
    page = synth.dark(synth.page(rng, 1200), 0.85)  # paper under room light is not pure white
    assert glare_fraction(page, QualityConfig()).fraction == 0.0
    assert glare_fraction(synth.glare(page, rng, 0.15), QualityConfig()).fraction > 0.02


def test_white_page_and_white_boxes_are_not_glare(ctx, rng):
    page = synth.page(rng)
    page[1500:1900, 300:1100] = 255  # a large blank printed area between text
    _, results = _run(doc_of(page, role="residency"), ctx)
    assert FlagCode.IMAGE_GLARE not in _flags(results)
    assert results["image_quality.glare"].score > 0.9
    card = synth.card(rng)
    card[200:400, 700:1000] = 255  # a sharp-edged white panel on a tinted card
    assert glare_fraction(card, QualityConfig()).fraction == 0.0


def test_low_resolution_card_flagged_not_blurry(ctx, rng):
    photo, _ = synth.photograph(synth.card(rng), rng, angle=5, fill=0.7)
    _, ok = _run(doc_of(photo), ctx)
    assert FlagCode.IMAGE_LOW_RESOLUTION not in _flags(ok)
    small = synth.lowres(photo, 0.22)  # the card is about 230 px across
    _, bad = _run(doc_of(small), ctx)
    assert FlagCode.IMAGE_LOW_RESOLUTION in _flags(bad)
    assert FlagCode.IMAGE_BLURRY not in _flags(bad)
    assert "below the minimum" in bad["image_quality.resolution"].message


def test_page_resolution_in_dpi(ctx, rng):
    page = synth.page(rng, 1700)
    _, ok = _run(doc_of(page, role="residency"), ctx)
    assert "DPI" in ok["image_quality.resolution"].detail
    assert ok["image_quality.resolution"].status == "pass"
    _, bad = _run(doc_of(synth.lowres(page, 0.4), role="residency"), ctx)  # 80 DPI
    assert FlagCode.IMAGE_LOW_RESOLUTION in _flags(bad)


def test_no_pages_means_no_quality_checks(ctx):
    doc = doc_of(np.zeros((10, 10, 3), np.uint8))
    from dataclasses import replace

    doc = replace(doc, pages=())
    _, results = _run(doc, ctx)
    assert results == {}


def test_photo_role_gets_photo_checks_only(ctx):
    from skimage import data as skdata

    face = np.ascontiguousarray(skdata.astronaut()[:, :, ::-1])
    doc, results = _run(doc_of(face, role="photo"), ctx)
    assert set(results) == {
        "image_quality.resolution",
        "image_quality.sharpness",
        "image_quality.exposure",
    }
    assert not _flags(results)
    assert not any(m.name.startswith("geometry.") for m in doc.measurements)


@pytest.mark.parametrize("name", ["sharpness", "resolution", "exposure", "glare"])
def test_scores_are_half_at_threshold(name):
    q = QualityConfig()
    if name == "sharpness":
        assert quality._score_below(q.blur_max_px, q.blur_max_px, 4) == 0.5
    elif name == "glare":
        assert quality._score_below(q.glare_fraction_max, q.glare_fraction_max, 2) == 0.5
    elif name == "resolution":
        assert quality._score_above(q.min_page_dpi, q.min_page_dpi, 4) == 0.5
    else:
        assert quality._score_above(q.brightness_min, q.brightness_min, 6) == 0.5


def _spilling(kind: str, towards: float, lift: float, flare: bool = True) -> np.ndarray:
    """A card photographed on a table, a reflection over its lower edge and past it."""
    rng = np.random.default_rng(54)
    card = synth.card(rng, face=True)
    photo, corners = synth.photograph(card, rng, angle=3, perspective=0.04, fill=0.6, kind=kind)
    if not flare:
        return photo
    width = float(np.linalg.norm(corners[2] - corners[3]))
    bottom = (1 - towards) * corners[3] + towards * corners[2]
    axes = (0.32 * width, 0.22 * width)
    return synth.flare(photo, (float(bottom[0]), float(bottom[1]) - lift * axes[1]), axes)


@pytest.mark.parametrize(("kind", "towards", "lift"), [("speckle", 0.5, -0.1), ("dark", 0.7, 0.15)])
def test_reflection_spilling_past_the_card_onto_the_table_is_glare(ctx, kind, towards, lift):
    """On the flattened card the reflection sits against its edge, as the lit side of a
    lighting gradient does (MA-S10067-0030, -0054 passed): the photo shows it going on
    past the card's edge onto the table, which paper's own white never does."""
    doc, results = _run(doc_of(_spilling(kind, towards, lift)), ctx)
    spill = doc.measurement("geometry.glare_spill")
    assert spill is not None and spill.value > QualityConfig().glare_fraction_max
    assert results["image_quality.glare"].flag == FlagCode.IMAGE_GLARE
    assert "spilling past the document's edge" in results["image_quality.glare"].detail


@pytest.mark.parametrize("kind", ["speckle", "dark"])
def test_no_spill_without_a_reflection_or_inside_the_card(ctx, rng, kind):
    """A clean card, and a reflection wholly on the card (judged on the page alone), spill
    nothing; nor does a white page on a white table (its white runs into the frame)."""
    doc, _ = _run(doc_of(_spilling(kind, 0.5, 0.0, flare=False)), ctx)
    assert doc.measurement("geometry.glare_spill").value == 0.0
    inside = synth.glare(_spilling(kind, 0.5, 0.0, flare=False), rng, 0.08, (0.5, 0.5))
    doc, _ = _run(doc_of(inside), ctx)
    assert doc.measurement("geometry.glare_spill").value == 0.0
    page, _ = synth.photograph(synth.page(rng), rng, angle=4, fill=0.7, kind="white")
    doc, _ = _run(doc_of(page, role="residency"), ctx)
    spill = doc.measurement("geometry.glare_spill")
    assert spill is None or spill.value == 0.0
