"""The outline search's fast helpers give exactly what the plain numpy forms gave."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.imaging import outline


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_median_u8_is_numpy_median(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for n in (1, 2, 3, 10, 11, 1000, 1001):
        values = rng.integers(0, 256, n).astype(np.uint8)
        assert outline._median_u8(values) == float(np.median(values))
    assert outline._median_u8(np.full(7, 255, np.uint8)) == 255.0


def test_background_distance_is_the_plain_formula() -> None:
    rng = np.random.default_rng(3)
    image = rng.integers(0, 256, (120, 90, 3)).astype(np.uint8)
    image[20:100, 15:75] = (200, 180, 40)
    px = image.astype(np.float32)
    border = np.concatenate(
        [
            px[:4].reshape(-1, 3),
            px[-4:].reshape(-1, 3),
            px[:, :4].reshape(-1, 3),
            px[:, -4:].reshape(-1, 3),
        ]
    )
    dist = np.sqrt(((px - np.median(border, axis=0)) ** 2).sum(axis=2))
    expected = np.clip(dist * (255.0 / max(1.0, float(dist.max()))), 0, 255).astype(np.uint8)
    assert np.array_equal(outline._background_distance(image), expected)


def test_separates_matches_medians() -> None:
    distance = np.zeros((100, 160), np.uint8)
    distance[20:80, 30:130] = 180
    inside = np.array([[30, 20], [129, 20], [129, 79], [30, 79]], np.float32)
    assert outline._separates(inside, distance)
    outside_only = np.array([[0, 0], [20, 0], [20, 15], [0, 15]], np.float32)
    assert not outline._separates(outside_only, distance)
