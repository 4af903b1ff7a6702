"""Bright areas that hide nothing are not glare (documents of the outside generator, rebuilt
here from its plan, that were flagged IMAGE_GLARE on fresh seeds).

- Blank panels of a near-white vertical card beside its portrait, between the header and
  the red band: photographed, the light lifted them to 246-252 on paper around 241, not
  blown out at the raised level of a near-white card, so the configured level (245) took
  them, and they stood out of the paper and faded as softly as the portrait's vignette
  (CT-O4099-0082 10.4 %, CT-O4101-0098 8.1 %, CT-O4103-0041 17.1 %). A reflection blows
  the sensor out (its core clipped); those panels are not.
- The lit half of a letter photographed under a diagonal shadow, not clipped, taken as
  washed-out ink because it is blank (CT-O4105-0063, 31.9 %): only a clipped blob washes ink
  out.
- The blown-out lit half of a lease under a diagonal shadow, its print as dark as anywhere
  on the page (MA-O4105-0036, 39.3 %): print that survives was not hidden.
"""

from __future__ import annotations

import pytest

from models.contract import Application
from models.internal import DocumentState
from pipeline.config import PipelineConfig
from pipeline.context import Context
from pipeline.imaging import quality, rectify
from pipeline.load import load_file
from pipeline.rules import builtin_pack
from samples import outside

CASES = [
    (4099, 82, "identity"),
    (4101, 98, "identity"),
    (4103, 41, "identity"),
    (4105, 63, "residency"),
    (4105, 36, "residency"),
]
"""(seed, application number, role) of `docverify samples outside --n 100`."""


def _glare(seed: int, number: int, role: str) -> float:
    built = outside.build(outside.plan(100, seed)[number - 1])
    app = Application.model_validate(built.manifest)
    ctx = Context(app, builtin_pack(app.program), PipelineConfig())
    ref = next(r for r in app.documents if r.role.value == role)
    doc = DocumentState(ref.document_id, ref.role.value, ref.side, built.files[ref.file])
    doc = quality.measure(rectify.rectify(load_file(doc, ctx), ctx), ctx)
    glare = doc.measurement("quality.glare")
    assert glare is not None
    return glare.value


@pytest.mark.parametrize(("seed", "number", "role"), CASES)
def test_bright_areas_that_hide_nothing_are_no_glare(seed: int, number: int, role: str) -> None:
    assert _glare(seed, number, role) < PipelineConfig().quality.glare_fraction_max
