"""A card whose grey readings lose its names is read a third time, binarised (issue #5).

CT-O4205-0074, a clean passport card of the outside generator (rebuilt here from its
plan): read grey, in one block and in automatic layout alike, Tesseract lost the small
labels and the "SMITH" line between them, so no name was read and the name check was
skipped: another person's card would have passed. Binarised locally, the card reads whole.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from models.contract import Application
from models.internal import DocumentState, Page, PageText, Word
from pipeline.bundle import load_bundle
from pipeline.config import PipelineConfig
from pipeline.context import Context
from pipeline.reading import ocr
from pipeline.rules import builtin_pack
from pipeline.verify import examine
from samples import generator, outside
from tests.matching.builders import application


def _names(tmp_path: Path, cfg: PipelineConfig) -> dict[str, object]:
    built = outside.build(outside.plan(100, 4205)[73])
    bundle = load_bundle(generator.write(built, tmp_path))
    app: Application = bundle.application
    assert app.application_id == "CT-O4205-0074"
    ctx = Context(app, builtin_pack(app.program), cfg)
    ref = next(r for r in app.documents if r.role.value == "identity")
    doc = examine(bundle, ref, ctx)
    return {k: v.value for k, v in doc.fields.items() if k.endswith("name")}


def test_a_card_read_grey_without_its_names_is_read_binarised(tmp_path: Path) -> None:
    cfg = PipelineConfig()
    assert _names(tmp_path, cfg) == {
        "last_name": "SMITH",
        "first_name": "SUSAN",
        "middle_name": "KOFI",
    }
    # without the third reading the card gives no surname: the case is still a hard one
    off = replace(cfg, ocr=replace(cfg.ocr, card_third_psm=None))
    assert "last_name" not in _names(tmp_path / "off", off)


def test_an_illegible_card_is_not_prepared_for_a_third_reading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A card-shaped identity image that read as no legible text (the bench's 12000 x 9000
    photo of bars) is refused by the reading anyway: its binarised copy is not made (it cost
    38 MB of peak memory and the binarisation for nothing)."""
    prepared: list[object] = []
    monkeypatch.setattr(ocr, "_prepare", lambda *a, **k: prepared.append(a) or None)
    app = application()
    ctx = Context(app, builtin_pack(app.program), PipelineConfig())
    speck = Word("~", 0.1, (10, 10, 20, 20), 0, 0)
    doc = DocumentState(
        "doc-1",
        "identity",
        "front",
        b"",
        pages=(Page(0, np.zeros((600, 1000, 3), np.uint8)),),
        text=(PageText(0, (speck,), "ocr", 1000, 600),),
    )
    assert ocr.read_binarised(doc, ctx) is doc
    assert prepared == []
