"""Issue #3: blown-out paper running into the document's edge is lit paper, not glare; a
picture of no document is not judged for resolution.

The glare cases are generated documents that were called glare before: a letter and a
licence back whose white paper is blown out over most of their area by the light, shaded
towards one side (no reflection on them). That a glare surrounded by the document is still
found is in test_quality.py and test_quality_glare_white.py.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import synth
from conftest import doc_of, make_ctx

from models.contract import Application
from models.flags import DocumentType, FlagCode
from models.internal import Classification, DocumentState
from pipeline.imaging import quality, rectify
from pipeline.load import load_file
from samples.scenarios import Spec, build


def _measured(spec: Spec, document_id: str) -> DocumentState:
    built = build(spec)
    app = Application.model_validate(built.manifest)
    ctx = make_ctx()
    ref = next(d for d in app.documents if d.document_id == document_id)
    doc = DocumentState(ref.document_id, ref.role.value, ref.side, built.files[ref.file])
    doc = load_file(doc, ctx)
    return quality.measure(rectify.rectify(doc, ctx), ctx)


@pytest.mark.parametrize(
    ("spec", "document_id"),
    [
        (Spec(7102, 1021, "MA", scenario="clean"), "doc-3"),  # a letter blown out nearly whole
        (Spec(7102, 1026, "CT", scenario="clean"), "doc-3"),  # blank paper shaded from a side
    ],
)
def test_blown_out_paper_reaching_the_edge_is_not_glare(spec, document_id):
    doc = _measured(spec, document_id)
    result = quality.check_glare(doc, make_ctx())
    assert result is not None
    assert result.status == "pass", result.detail


def _as(doc: DocumentState, kind: DocumentType) -> DocumentState:
    return replace(doc, classification=Classification(kind, 0.6, ()))


def test_small_picture_of_no_document_is_not_low_resolution():
    ctx = make_ctx()
    rng = np.random.default_rng(5)
    grass = synth.gaussian_blur(rng.integers(40, 200, (640, 640, 3)).astype(np.uint8), 1.2)
    doc = quality.measure(doc_of(grass, role="residency"), ctx)
    # the classifier made a letter of the few marks OCR read: resolution still not judged
    result = quality.check_resolution(_as(doc, DocumentType.GOVERNMENT_LETTER), ctx)
    assert result is not None and result.status == "skipped" and result.flag is None


def test_small_page_is_still_low_resolution(rng):
    ctx = make_ctx()
    page = synth.lowres(synth.page(rng, 1700), 0.36)  # about 72 DPI across
    doc = quality.measure(doc_of(page, role="residency"), ctx)
    result = quality.check_resolution(_as(doc, DocumentType.UTILITY_BILL), ctx)
    assert result is not None and result.flag is FlagCode.IMAGE_LOW_RESOLUTION
