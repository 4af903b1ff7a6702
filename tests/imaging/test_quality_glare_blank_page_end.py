"""The blank lower part of a near-white page, blown out by the light, is not glare.

On near-white paper blown out is first judged at a raised level (`_saturation`), where the
blank end of a letter or a bill, below its last line of text, is a textureless blob: the ink
above it is "washed out" only because there is none near it, and the paper far around it
(250-251) passed the blown-out-paper rule by its distance to the raised level (254). The
paper far around a washed-out blob must be below the configured saturation: then it is lit.
"""

from __future__ import annotations

import pytest
from conftest import make_ctx
from test_quality_lit_paper import _measured

from pipeline.imaging import quality
from samples.generator import plan


@pytest.mark.parametrize(
    ("n", "seed", "index", "document_id"),
    [
        (100, 9595, 74, "doc-2"),  # CT-S9595-0075, a clean government letter: 29.2 % before
        (200, 9821, 93, "doc-3"),  # CT-S9821-0094, a tax bill: 37.0 % before
    ],
)
def test_blank_end_of_a_near_white_page_is_not_glare(n, seed, index, document_id):
    doc = _measured(plan(n, seed)[index], document_id)
    result = quality.check_glare(doc, make_ctx())
    assert result is not None and result.status == "pass", result.detail


def test_glare_on_the_licence_of_the_same_application_is_found():
    doc = _measured(plan(200, 9821)[93], "doc-1")
    result = quality.check_glare(doc, make_ctx())
    assert result is not None and result.status == "fail", result.detail
