"""A reflection spilling past a document fades into the table; lit paper does not.

MA-O4245-0049 (outside generator, seed 4245): an electricity bill photographed with its
upper half lit to clipping. Its lower half, outlined at the printed band across the page,
had the lit upper half "spilling" past it like a reflection (83.5 % of it), so the whole
page was left out as "that outline and the reflection" and a clean bill was flagged
IMAGE_GLARE. Beyond a reflection's halo lies the table; beyond the lit paper, more paper.
"""

from __future__ import annotations

from models.contract import Application
from models.internal import DocumentState
from pipeline.config import GeometryConfig, PipelineConfig
from pipeline.context import Context
from pipeline.imaging import outline
from pipeline.load import load_file
from pipeline.rules import builtin_pack
from pipeline.tools import cv
from samples import outside


def _bill() -> tuple[float, float]:
    built = outside.build(outside.plan(100, 4245)[48])
    app = Application.model_validate(built.manifest)
    assert app.application_id == "MA-O4245-0049"
    ctx = Context(app, builtin_pack(app.program), PipelineConfig())
    ref = next(r for r in app.documents if r.role.value == "residency")
    doc = load_file(
        DocumentState(ref.document_id, ref.role.value, ref.side, built.files[ref.file]), ctx
    )
    image, cfg = doc.pages[0].image, GeometryConfig()
    found, _ = outline.find_outline(
        cv.scale(image, min(1.0, cfg.outline_side / max(image.shape[:2]))), cfg
    )
    assert found is not None
    return found.area, found.spill


def test_the_lit_half_of_a_bill_is_no_reflection_past_its_other_half() -> None:
    area, spill = _bill()
    assert area > 0.7  # the whole page, not its lower half (0.50)
    assert spill == 0.0
