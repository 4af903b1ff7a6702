"""Fixtures of the reprocessing tests: stores of applications with baseline verdicts."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bundles import Spec, build_store, stricter_rules

Store = tuple[Path, dict[str, Spec]]


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """20 stored applications with baseline verdicts (shipped rule packs), built once."""
    data = tmp_path_factory.mktemp("small") / "data"
    return data, build_store(data, range(20))


@pytest.fixture
def store(small_store: Store, tmp_path: Path) -> Store:
    """A private copy of the small store (tests may change it)."""
    data, specs = small_store
    copy = tmp_path / "data"
    shutil.copytree(data, copy)
    return copy, specs


@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    """Rule packs with the CT utility-bill window cut to 60 days."""
    return stricter_rules(tmp_path / "rules")
