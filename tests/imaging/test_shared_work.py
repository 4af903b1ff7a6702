"""Issue #9: work shared or skipped in rectify and quality leaves their results unchanged."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from pipeline.config import PipelineConfig as Config
from pipeline.imaging import face, quality, rectify


def _page(seed: int = 3) -> np.ndarray:
    """A lit page with print and one bright, soft reflection."""
    rng = np.random.default_rng(seed)
    img = np.full((600, 900, 3), 200, np.uint8)
    img[100:500:20, 80:820] = 40  # print rows
    yy, xx = np.mgrid[:600, :900]
    spot = 80.0 * np.exp(-((yy - 300) ** 2 + (xx - 450) ** 2) / (2 * 60.0**2))
    img = np.clip(img + spot[..., None] + rng.normal(0, 2, img.shape), 0, 255)
    return img.astype(np.uint8)


def test_glare_maps_do_not_depend_on_the_saturation_level() -> None:
    """Both glare passes may share one set of maps only if the level does not change them."""
    cfg = Config().quality
    work = _page()
    base = quality._glare_maps(work, cfg)
    raised = quality._glare_maps(work, replace(cfg, glare_saturation=254))
    assert base.window == raised.window
    for name in ("low", "texture", "ink", "lit"):
        assert np.array_equal(getattr(base, name), getattr(raised, name)), name
    assert np.array_equal(base.low, work.min(axis=2))


@pytest.mark.parametrize("balance, expected_calls", [(0.6, 1), (0.0, 2), (-0.6, 2)])
def test_turned_face_search_skipped_only_when_text_says_upright(
    monkeypatch: pytest.MonkeyPatch, balance: float, expected_calls: int
) -> None:
    """No face upright: the turned page is searched unless the text lines already say
    upright, in which case a face found there could not have turned the page anyway."""
    cfg = Config()
    calls: list[bool] = []

    def faces_in(image: np.ndarray, _cfg: object) -> list[face.Box]:
        calls.append(True)
        return [] if len(calls) == 1 else [(1, 1, 40, 40)]  # a face only on the turned page

    monkeypatch.setattr(face, "faces_in", faces_in)
    monkeypatch.setattr(rectify, "text_line_balance", lambda _probe: balance)
    monkeypatch.setattr(rectify, "_osd_turn", lambda *_a: None)
    monkeypatch.setattr(rectify, "_strong_face", lambda *_a: False)
    gray = np.full((200, 300), 200, np.uint8)
    rotation, faces = rectify._upright_by_portrait(gray, gray, cfg.face, cfg.geometry, cfg.ocr)
    assert len(calls) == expected_calls
    assert (rotation, faces) == ((180, ((1, 1, 40, 40),)) if balance < 0 else (0, ()))
