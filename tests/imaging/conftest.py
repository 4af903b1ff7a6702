"""Fixtures for the imaging tests: a Context, a seeded generator, document states from images."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from models.contract import Application
from models.internal import DocumentState, Page
from pipeline.config import GeometryConfig, PipelineConfig
from pipeline.context import Context
from pipeline.rules import builtin_pack

sys.path.insert(0, str(Path(__file__).resolve().parent))

MANIFEST = {
    "application_id": "T-IMG-1",
    "program": "CT",
    "kind": "new",
    "submitted_on": "2026-11-20",
    "profile": {
        "first_name": "Maria",
        "last_name": "Gonzalez",
        "date_of_birth": "1981-03-14",
        "address": {"line1": "12 Elm St", "city": "Hartford", "state": "CT", "zip": "06106"},
    },
    "documents": [{"document_id": "d1", "role": "identity", "file": "a.jpg"}],
}


def make_ctx(orientation: bool = False) -> Context:
    app = Application.model_validate(MANIFEST)
    config = PipelineConfig(geometry=GeometryConfig(orientation=orientation))
    return Context(app, builtin_pack("CT"), config)


@pytest.fixture
def ctx() -> Context:
    """Context without Tesseract orientation detection (fast)."""
    return make_ctx()


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(7)


def doc_of(
    image: np.ndarray, role: str = "identity", side: str = "front", dpi: float | None = None
) -> DocumentState:
    """A loaded document state holding one page image."""
    return DocumentState("d1", role, side, b"", pages=(Page(0, image, dpi),), page_count=1)
