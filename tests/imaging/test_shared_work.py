"""Issue #9: work shared or skipped in rectify, orientation and quality leaves their results
unchanged."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from pipeline.config import PipelineConfig as Config
from pipeline.imaging import face, orientation, quality


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


@pytest.mark.parametrize(
    "balance, osd, strong, turned",
    [
        (-0.6, 0, False, True),  # text upside down: the turned portrait is enough
        (0.0, None, False, False),  # nothing else says so
        (0.0, 180, False, True),
        (0.0, 0, True, False),  # one cue for, one against
        (0.0, None, True, True),
        (0.6, 180, False, False),  # text upright: both other cues must say upside down
        (0.6, None, True, False),
        (0.6, 180, True, True),  # CT-S10063-0040: capitals over small labels read upright
    ],
)
def test_a_face_only_on_the_turned_page_turns_it_when_the_cues_say_so(
    monkeypatch: pytest.MonkeyPatch, balance: float, osd: int | None, strong: bool, turned: bool
) -> None:
    """No face upright, one on the turned page, and reading it both ways said nothing: the
    text's ink balance, OSD and a strong detection vote; the turned page is searched once,
    whatever the text says."""
    cfg = Config()
    calls: list[bool] = []

    def faces_in(image: np.ndarray, _cfg: object) -> list[face.Box]:
        calls.append(True)
        return [] if len(calls) == 1 else [(1, 1, 40, 40)]  # a face only on the turned page

    monkeypatch.setattr(face, "faces_in", faces_in)
    monkeypatch.setattr(orientation, "text_line_balance", lambda _probe, ruled=False: balance)
    monkeypatch.setattr(orientation, "_osd_turn", lambda *_a: osd)
    monkeypatch.setattr(orientation, "_strong_face", lambda *_a: strong)
    monkeypatch.setattr(orientation, "_reads_turned", lambda *_a: None)  # readings say nothing
    gray = np.full((200, 300), 200, np.uint8)
    rotation, faces = orientation._upright_by_portrait(gray, gray, cfg.face, cfg.geometry, cfg.ocr)
    assert len(calls) == 2
    assert (rotation, faces) == ((180, ((1, 1, 40, 40),)) if turned else (0, ()))


def test_reading_a_page_both_ways_reuses_the_page_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue #9, one OCR engine per worker: orientation's two-way reading asks for the
    engine the page reading uses, not one of its own."""
    from pipeline.reading import ocr
    from pipeline.tools import tesseract

    specs: list[tesseract.EngineSpec] = []
    real = tesseract.engine_for
    monkeypatch.setattr(tesseract, "engine_for", lambda spec: specs.append(spec) or real(spec))
    cfg = Config()
    gray = np.ascontiguousarray(_page()[:, :, 0])
    orientation._reads_turned(gray, cfg.geometry, cfg.ocr, cfg.ocr.card_psm)
    ocr._engine(cfg.ocr)
    assert len(specs) == 3 and len(set(specs)) == 1
