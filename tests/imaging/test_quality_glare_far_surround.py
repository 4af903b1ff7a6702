"""A large reflection on a near-white card: its fade keeps the ring right around it nearly
blown out, so the lit paper it stands out of is seen only beyond the fade (`_reach`)."""

from __future__ import annotations

import numpy as np
import pytest
import synth

from pipeline.config import QualityConfig
from pipeline.imaging.quality import glare_fraction


def _whitish_card(rng: np.random.Generator, level: float = 240) -> np.ndarray:
    """A synthetic card front whose paper is lifted to about `level` (a near-white design)."""
    card = synth.card(rng, face=True).astype(np.float32)
    return np.clip(card + (level - np.median(card.min(axis=2))), 0, 255).astype(np.uint8)


def _reflection(img: np.ndarray, cx: float, cy: float, axis: float) -> np.ndarray:
    """A blown-out elliptical reflection with a long linear fade (its outer fifth)."""
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    r = ((xx - cx * w) / (axis * w)) ** 2 + ((yy - cy * h) / (axis * h)) ** 2
    core = np.clip((1.25 - r) / 0.35, 0, 1)[..., None]
    return np.clip(img * (1 - core) + 255 * core, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("seed", [2, 3])
def test_large_reflection_on_a_near_white_card_is_glare(seed):
    q = QualityConfig()
    card = _whitish_card(np.random.default_rng(seed))
    assert glare_fraction(card, q).fraction < q.glare_fraction_max / 4
    glared = synth.noise(_reflection(card, 0.5, 0.5, 0.3), np.random.default_rng(seed), 1.5)
    assert glare_fraction(glared, q).fraction > q.glare_fraction_max


@pytest.mark.parametrize("seed", [2, 3])
def test_lighting_gradient_on_a_near_white_card_is_not_glare(seed):
    """The far surround of the bright side of a gradient is lit, but the gradient does not
    stand out of it: the far ring does not let it through."""
    q = QualityConfig()
    card = _whitish_card(np.random.default_rng(seed)).astype(np.float32)
    ramp = np.linspace(0.85, 1.12, card.shape[1], dtype=np.float32)[None, :, None]
    shaded = synth.noise(
        np.clip(card * ramp, 0, 255).astype(np.uint8), np.random.default_rng(seed), 1.5
    )
    assert glare_fraction(shaded, q).fraction < q.glare_fraction_max / 4
