"""A full disk under the file store: `submit` says so in one line, keeps nothing half-done,
and the same bundle goes through exactly once when there is room again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from queue_bundles import write_bundle

EXE = str(Path(sys.executable).parent / "docverify")


def _mount_tmpfs(path: Path, size: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


@pytest.fixture
def small_disk(tmp_path: Path):
    files = tmp_path / "files"
    if not _mount_tmpfs(files, "128k"):
        if os.environ.get("CI") == "true":
            pytest.fail("cannot mount a small tmpfs to simulate a full disk")
        pytest.skip("mounting a tmpfs needs root")
    yield files
    subprocess.run(["umount", str(files)], check=False)


def _run(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([EXE, *args], env=env, capture_output=True, text=True, timeout=120)


def test_submit_on_a_full_disk_then_again_with_room(tmp_path: Path, small_disk: Path) -> None:
    bundle = write_bundle(tmp_path / "b", 7)  # holds a ~170 kB photo: more than the disk
    env = dict(
        os.environ,
        DOCVERIFY_DATA_DIR=str(tmp_path / "data"),
        DOCVERIFY_STORAGE_URL=small_disk.as_uri(),
    )
    full = _run(env, "submit", str(bundle))
    assert full.returncode == 1 and full.stdout == ""
    assert "not stored, try again later" in full.stderr and "No space left" in full.stderr
    assert "Traceback" not in full.stderr
    assert not [p for p in small_disk.rglob(".tmp-*")]  # no partial file left behind
    status = json.loads(_run(env, "status", "--json").stdout)
    assert sum(status.values()) == 0  # nothing half-recorded

    subprocess.run(["umount", str(small_disk)], check=True)
    assert _mount_tmpfs(small_disk, "16m")
    ok = _run(env, "submit", str(bundle))
    assert ok.returncode == 0, ok.stderr
    (app_id,) = ok.stdout.split()
    assert json.loads(_run(env, "status", "--json").stdout)["done"] == 1
    assert _run(env, "verdict", app_id).returncode == 0
