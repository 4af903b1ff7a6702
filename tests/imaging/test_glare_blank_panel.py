"""A blank near-white panel of a card is no reflection, however bright.

CT-O4247-0032 (outside generator, seed 4247): a vertical under-21 licence lit brighter
towards one corner. The blank panel beside its portrait, between the title band, the
"UNDER 21" band and the card's edge, blew out and was measured as 9.3 % glare, which sent
back an application whose real fault was a date of birth. It fills its bounding box
(0.99); reflections on fresh seeds filled 0.56-0.84 of theirs.
"""

from __future__ import annotations

from dataclasses import replace

from outside_docs import outside_upload

from pipeline.config import PipelineConfig
from pipeline.imaging import quality, rectify


def _glare(cfg: PipelineConfig) -> float:
    doc, ctx = outside_upload(4247, 32, "identity", cfg=cfg)  # CT-O4247-0032
    page = rectify.rectify(doc, ctx).pages[0].image
    return quality.glare_fraction(page, cfg.quality).fraction


def test_a_blank_panel_filling_its_box_is_not_glare() -> None:
    cfg = PipelineConfig()
    assert _glare(cfg) < 0.01
    # what the rule rests on: without it the panel is measured as glare
    panels = replace(cfg, quality=replace(cfg.quality, glare_panel_max_fill=1.0))
    assert _glare(panels) > cfg.quality.glare_fraction_max
