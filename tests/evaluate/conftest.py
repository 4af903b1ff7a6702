"""Fixtures of the evaluation tests: tiny labelled bundles written by the tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.evaluate.helpers import write_labelled_bundle


@pytest.fixture
def make_bundle() -> Callable[..., Path]:
    """Write a bundle (application.json + files + truth.json) under a root folder."""
    return write_labelled_bundle
