"""Motion blur is caught however few edges it leaves across its direction (CT-S8801-0023:
a passport shaken with a 47 px streak passed at 1.45 px because its blurred direction kept
only 5% of the edges, less than the twelfth a direction needed to count)."""

from __future__ import annotations

import numpy as np
import pytest
import synth
from conftest import doc_of

from models.flags import FlagCode
from pipeline.config import QualityConfig
from pipeline.imaging import quality, rectify
from pipeline.imaging.quality import edge_spread

LIMIT = QualityConfig().blur_max_px


def _card_spread(img: np.ndarray) -> float:
    s = edge_spread(quality._reference_gray(img, QualityConfig().card_reference_px, True))
    assert s.blur_px is not None
    return s.blur_px


def _page_spread(img: np.ndarray) -> float:
    s = edge_spread(quality._reference_gray(img, QualityConfig().page_reference_px, False))
    assert s.blur_px is not None
    return s.blur_px


@pytest.fixture(scope="module")
def card() -> np.ndarray:
    return synth.card(np.random.default_rng(7))


@pytest.fixture(scope="module")
def page() -> np.ndarray:
    return synth.page(np.random.default_rng(7))


@pytest.mark.parametrize("angle", [15, 165])
def test_long_streak_nearly_along_the_text_is_blurry(card, angle):
    # a long streak a little off the text rows smears the letters into rows of sharp streaks
    blurred = synth.motion_blur(card, 51, angle)
    assert _card_spread(blurred) > LIMIT
    noisy = synth.noise(blurred, np.random.default_rng(angle), 8)
    assert _card_spread(noisy) > LIMIT


def test_page_shaken_along_its_columns_is_blurry(page):
    assert _page_spread(synth.motion_blur(page, 41, 90)) > LIMIT


@pytest.mark.parametrize("sigma", [0, 6, 12])
def test_sharp_card_and_page_with_noise_are_not_blurry(card, page, sigma):
    rng = np.random.default_rng(sigma)
    assert _card_spread(synth.noise(card, rng, sigma)) < LIMIT / 2
    assert _page_spread(synth.noise(page, rng, sigma)) < LIMIT / 2


def test_shaken_photo_of_a_card_is_flagged_blurry(ctx, card):
    rng = np.random.default_rng(3)
    photo, _ = synth.photograph(synth.motion_blur(card, 51, 165), rng, angle=4)
    doc = quality.measure(rectify.rectify(doc_of(synth.jpeg(photo, 80)), ctx), ctx)
    r = quality.check_sharpness(doc, ctx)
    assert r is not None and r.flag is FlagCode.IMAGE_BLURRY

    sharp, _ = synth.photograph(card, np.random.default_rng(3), angle=4)
    noisy = synth.jpeg(synth.noise(sharp, rng, 6), 80)
    doc = quality.measure(rectify.rectify(doc_of(noisy), ctx), ctx)
    r = quality.check_sharpness(doc, ctx)
    assert r is not None and r.status == "pass"
