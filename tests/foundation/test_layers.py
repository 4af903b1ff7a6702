"""The dependency direction models <- pipeline <- workers <- docverify holds (import-linter)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_import_layers_are_respected():
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert exe, "import-linter is part of the dev extra"
    result = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower().replace("0 broken", "")


def test_pipeline_reads_no_environment_and_no_clock():
    forbidden = (
        "os.environ",
        "getenv(",
        "datetime.now",
        "date.today",
        "time.time(",
        "import requests",
    )
    offenders = [
        f"{path.relative_to(ROOT)}: {needle}"
        for path in (ROOT / "pipeline").rglob("*.py")
        for needle in forbidden
        if needle in path.read_text()
    ]
    assert offenders == []
