"""A blank near-white panel of a card is no reflection, however bright.

CT-O4247-0032 (outside generator, seed 4247): a vertical under-21 licence lit brighter
towards one corner. The blank panel beside its portrait, between the title band, the
"UNDER 21" band and the card's edge, blew out and was measured as 9.3 % glare, which sent
back an application whose real fault was a date of birth. It fills its bounding box
(0.99); reflections on fresh seeds filled 0.56-0.84 of theirs.
"""

from __future__ import annotations

from dataclasses import replace

from models.contract import Application
from models.internal import DocumentState
from pipeline.config import PipelineConfig
from pipeline.context import Context
from pipeline.imaging import quality, rectify
from pipeline.load import load_file
from pipeline.rules import builtin_pack
from samples import outside


def _glare(cfg: PipelineConfig) -> float:
    built = outside.build(outside.plan(100, 4247)[31])
    app = Application.model_validate(built.manifest)
    assert app.application_id == "CT-O4247-0032"
    ctx = Context(app, builtin_pack(app.program), cfg)
    ref = next(r for r in app.documents if r.role.value == "identity")
    doc = DocumentState(ref.document_id, ref.role.value, ref.side, built.files[ref.file])
    page = rectify.rectify(load_file(doc, ctx), ctx).pages[0].image
    return quality.glare_fraction(page, cfg.quality).fraction


def test_a_blank_panel_filling_its_box_is_not_glare() -> None:
    cfg = PipelineConfig()
    assert _glare(cfg) < 0.01
    # what the rule rests on: without it the panel is measured as glare
    panels = replace(cfg, quality=replace(cfg.quality, glare_panel_max_fill=1.0))
    assert _glare(panels) > cfg.quality.glare_fraction_max
