"""Leptonica's internal notes ('Error in boxClipToRectangle: ...') stay off stderr."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.tools import tesseract

SCRIPT = """
import ctypes, sys
from pipeline.tools import tesseract
libs = tesseract._leptonica_libraries()
if sys.argv[1] == "quiet":
    assert tesseract.quiet_leptonica()
ctypes.CDLL(libs[0]).boxClipToRectangle(None, 10, 10)
"""


def _stderr(mode: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr
    return done.stderr


@pytest.mark.skipif(not tesseract._leptonica_libraries(), reason="no Leptonica library found")
def test_leptonica_notes_are_silenced():
    assert "Error in boxClipToRectangle" in _stderr("loud")
    assert "Error in" not in _stderr("quiet")
