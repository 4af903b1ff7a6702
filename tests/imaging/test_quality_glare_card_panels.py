"""Blank panels of a near-white vertical card beside its portrait are not glare.

The outside generator's under-21 licence leaves the card blank left and right of the
portrait, between the header and the red band. Photographed, the light lifted those panels
to 246-252 on paper around 241: not blown out at the raised level of a near-white card, so
the configured level (245) took them, and they stood out of the paper and faded as softly
as the portrait's vignette (CT-O4099-0082 10.4 %, CT-O4101-0098 8.1 %, CT-O4103-0041
17.1 %: IMAGE_GLARE on clean cards). A reflection blows the sensor out (its core clipped);
those panels are not. The same documents, rebuilt here from the generator's plan.
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

CASES = [(4099, 82), (4101, 98), (4103, 41)]
"""(seed, application number) of `docverify samples outside --n 100`."""


def _identity_glare(seed: int, number: int) -> float:
    built = outside.build(outside.plan(100, seed)[number - 1])
    app = Application.model_validate(built.manifest)
    ctx = Context(app, builtin_pack(app.program), PipelineConfig())
    ref = next(r for r in app.documents if r.role.value == "identity")
    doc = DocumentState(ref.document_id, ref.role.value, ref.side, built.files[ref.file])
    doc = quality.measure(rectify.rectify(load_file(doc, ctx), ctx), ctx)
    glare = doc.measurement("quality.glare")
    assert glare is not None
    return glare.value


@pytest.mark.parametrize(("seed", "number"), CASES)
def test_blank_panels_beside_a_portrait_are_no_glare(seed: int, number: int) -> None:
    assert _identity_glare(seed, number) < PipelineConfig().quality.glare_fraction_max
