"""Shared test configuration: each test gets its own data dir; Tesseract runs single-threaded."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

ROOT = Path(__file__).resolve().parents[1]
SHARED_CONTRACT = ROOT.parent / "shared" / "contract"
COMMITTED_SAMPLES = ROOT / "samples" / "committed"


@pytest.fixture(autouse=True)
def _isolated_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never write into the user's data dir from a test."""
    monkeypatch.setenv("DOCVERIFY_DATA_DIR", str(tmp_path_factory.mktemp("data")))
