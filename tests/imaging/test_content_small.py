"""The content measure ("is this picture a document?") is calibrated in pixels of a copy
`content.work_side` px long: a smaller picture is enlarged to it, so its verdict does not
depend on how small the upload was. A passport uploaded 274 px wide was "no document"
(WRONG_DOCUMENT_TYPE) where a reviewer sees a picture too small to read
(IMAGE_LOW_RESOLUTION; MA-S10031-0118, CT-S10023-0055)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import synth
from skimage import data as skdata

from pipeline.config import ContentConfig
from pipeline.imaging.content import measure_content

CFG = ContentConfig()


def _side(image: np.ndarray, side: int) -> np.ndarray:
    h, w = image.shape[:2]
    return cv2.resize(image, (side, round(side * h / w)), interpolation=cv2.INTER_AREA)


@pytest.mark.parametrize("seed", [0, 3, 5])
def test_a_small_card_measures_as_the_same_card_at_the_work_size(seed: int) -> None:
    card = synth.card(np.random.default_rng(seed))
    full = measure_content(_side(card, CFG.work_side), CFG)
    small = measure_content(_side(card, 250), CFG)
    assert small.document and full.document
    assert abs(small.paper - full.paper) <= 0.05, (small.detail, full.detail)


def test_a_small_photo_of_no_document_is_still_none() -> None:
    coins = np.ascontiguousarray(skdata.coins())  # 384 x 303
    assert not measure_content(coins, CFG).document
    assert not measure_content(_side(coins, 250), CFG).document
