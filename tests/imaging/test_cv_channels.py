"""`cv.channel_min` / `cv.channel_max` equal numpy's reductions over the colour channels
(they replace them on the glare and content paths, where numpy's strided reduction cost
about 20 ms per image)."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.tools import cv


@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
def test_channel_extremes_equal_numpy(dtype: type) -> None:
    rng = np.random.default_rng(3)
    image = (rng.random((37, 53, 3)) * 255).astype(dtype)
    assert np.array_equal(cv.channel_min(image), image.min(axis=2))
    assert np.array_equal(cv.channel_max(image), image.max(axis=2))


def test_alpha_is_ignored_and_grey_kept() -> None:
    rng = np.random.default_rng(4)
    image = rng.integers(0, 256, (20, 30, 4), dtype=np.uint8)
    image[:, :, 3] = 0  # a transparent alpha would be the minimum everywhere
    assert np.array_equal(cv.channel_min(image), image[:, :, :3].min(axis=2))
    grey = image[:, :, 0]
    assert cv.channel_min(grey) is grey and cv.channel_max(grey) is grey
