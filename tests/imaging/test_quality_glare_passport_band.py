"""A reflection beside or running into a passport's white machine-readable strip is glare.

The strip is white paper lettered in black: beside a reflection it filled two of the eight
directions around it with blown-out white, and the pooled surround looked blown out too
(CT-S9393-0097, a 38 % reflection, missed); run into by a reflection, it merged with it into
one blob holding print, taken for a printed band. A reflection's core is clipped: around it
the paper is judged direction by direction, and a printed band is cut off the blob. The strip
alone is still no glare (see also test_quality_glare_printed_band.py).
"""

from __future__ import annotations

import numpy as np
import pytest
import synth
from conftest import make_ctx
from PIL import Image, ImageDraw, ImageFont
from test_quality_lit_paper import _measured

from pipeline.config import QualityConfig
from pipeline.imaging import quality
from pipeline.imaging.quality import glare_fraction
from samples.generator import plan

MRZ = (
    "P<USANOWAK<<ANTHONY<MARIE<<<<<<<<<<<<<<<<<<<<",
    "4072488108USA8401038M3404137<<<<<<<<<<<<<<08",
)


def _passport_page(rng: np.random.Generator, width: int = 1250) -> np.ndarray:
    """A passport data page (BGR): pale lavender paper with a wavy guilloche, a portrait,
    text, and a white machine-readable strip along the bottom lettered in black."""
    height = round(width * 0.7)
    band = int(height * 0.78)
    tint = np.array([244, 236, 240]) + rng.integers(-3, 4, 3)
    yy, xx = np.mgrid[0:height, 0:width]
    wave = 7 * np.sin(xx / 23.0 + 3 * np.sin(yy / 41.0))
    paper = np.clip(tint[None, None, :] + wave[:, :, None], 0, 255).astype(np.uint8)
    img = Image.fromarray(paper[:, :, ::-1].copy())
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, band, width, height], fill=(255, 255, 255))
    size = int(height * 0.035)
    for i in range(8):
        y = int(height * (0.06 + i * 0.085))
        for x, words in ((0.3, 3), (0.65, 2)):
            text = synth._phrase(rng, words)
            draw.text((int(width * x), y), text, font=synth._font(rng, size), fill=(30, 30, 60))
    mono = ImageFont.truetype(synth.FONTS[3], int(height * 0.045))
    for i, line in enumerate(MRZ):
        y = band + int(height * (0.03 + i * 0.09))
        draw.text((int(width * 0.02), y), line, font=mono, fill=(0, 0, 0))
    out = np.asarray(img)[:, :, ::-1].copy()
    pw, ph = int(width * 0.22), int(height * 0.45)
    top, left = int(height * 0.12), int(width * 0.03)
    out[top : top + ph, left : left + pw] = synth.portrait((pw, ph))
    return out


def _reflection(page: np.ndarray, cx: float, cy: float, ax: float, ay: float) -> np.ndarray:
    """A blown-out elliptical reflection (centre and half-axes as shares of the page)."""
    h, w = page.shape[:2]
    return synth.flare(page, (cx * w, cy * h), (ax * w, ay * h), 0.2)


@pytest.mark.parametrize("seed", [1, 2])
def test_the_white_strip_alone_is_not_glare(seed):
    q = QualityConfig()
    assert glare_fraction(_passport_page(np.random.default_rng(seed)), q).fraction == 0.0


@pytest.mark.parametrize(
    ("seed", "cy", "ax", "ay"),
    [(1, 0.42, 0.38, 0.34), (2, 0.42, 0.38, 0.34), (1, 0.38, 0.32, 0.38), (2, 0.38, 0.38, 0.38)],
)
def test_large_reflection_beside_the_white_strip_is_glare(seed, cy, ax, ay):
    q = QualityConfig()
    glared = _reflection(_passport_page(np.random.default_rng(seed)), 0.52, cy, ax, ay)
    assert glare_fraction(glared, q).fraction > q.glare_fraction_max


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_reflection_running_into_the_white_strip_is_glare(seed):
    q = QualityConfig()
    glared = _reflection(_passport_page(np.random.default_rng(seed)), 0.45, 0.62, 0.2, 0.2)
    g = glare_fraction(glared, q)
    assert g.fraction > q.glare_fraction_max
    # the reflection only: the strip it ran into (a fifth of the page) is not counted
    assert g.fraction < 0.2


def test_generated_reflection_beside_the_strip_is_found():
    """CT-S9393-0097: a 38 % reflection on a photographed passport, 0 % before."""
    doc = _measured(plan(200, 9393)[96], "doc-1")
    result = quality.check_glare(doc, make_ctx())
    assert result is not None and result.status == "fail", result.detail


@pytest.mark.parametrize(("seed", "number"), [(10056, 90), (10051, 105)])
def test_generated_reflection_lying_on_the_strip_is_found(seed, number):
    """A reflection whose lower half lies on the strip (CT-S10056-0090, 15 %) or on the
    blown-out paper of a near-white card (CT-S10051-0105, 24 %): half the directions around
    it are blown out themselves, so it neither looked lit around nor faded all around, and
    was missed. It is lit and fades in the other half."""
    doc = _measured(plan(200, seed)[number - 1], "doc-1")
    result = quality.check_glare(doc, make_ctx())
    assert result is not None and result.status == "fail", result.detail
