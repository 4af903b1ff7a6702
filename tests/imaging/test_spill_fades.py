"""A reflection spilling past a document fades into the table; lit paper does not.

MA-O4245-0049 (outside generator, seed 4245): an electricity bill photographed with its
upper half lit to clipping. Its lower half, outlined at the printed band across the page,
had the lit upper half "spilling" past it like a reflection (83.5 % of it), so the whole
page was left out as "that outline and the reflection" and a clean bill was flagged
IMAGE_GLARE. Beyond a reflection's halo lies the table; beyond the lit paper, more paper.
"""

from __future__ import annotations

from outside_docs import outside_upload

from pipeline.config import GeometryConfig
from pipeline.imaging import outline
from pipeline.tools import cv


def _bill() -> tuple[float, float]:
    doc, _ = outside_upload(4245, 49, "residency")  # MA-O4245-0049
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
