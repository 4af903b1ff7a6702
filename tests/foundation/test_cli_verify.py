"""`docverify verify` end to end as a user runs it: verdict JSON, exit codes, several bundles."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema

from models.schemas import schema
from tests.foundation.helpers import jpeg, manifest, write_bundle

EXE = str(Path(sys.executable).parent / "docverify")


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [EXE, "verify", *args], capture_output=True, text=True, check=False, timeout=120
    )


def _bad_bundle(root: Path) -> Path:
    docs = [
        {"document_id": "id-1", "role": "identity", "file": "licence.jpg"},
        {"document_id": "ph-1", "role": "photo", "file": "photo.jpg"},
    ]
    data = jpeg()
    return write_bundle(
        root,
        manifest(docs, kind="new"),
        {"licence.jpg": data[: len(data) // 3], "photo.jpg": jpeg()},
    )


def test_truncated_jpeg_and_missing_residency(tmp_path):
    result = _run(str(_bad_bundle(tmp_path / "b")))
    assert result.returncode == 0, result.stderr
    verdict = json.loads(result.stdout)
    jsonschema.validate(verdict, schema("verdict"))
    codes = {f["code"] for f in verdict["flags"]}
    assert {"FILE_UNREADABLE", "MISSING_DOCUMENT"} <= codes
    assert verdict["decision"] == "resubmit"
    licence = next(d for d in verdict["documents"] if d["document_id"] == "id-1")
    assert [f["code"] for f in licence["flags"]] == ["FILE_UNREADABLE"]


def test_directory_without_manifest_exits_2_with_one_line(tmp_path):
    result = _run(str(tmp_path))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "no application.json" in lines[0]


def test_several_bundles_print_json_lines_and_survive_a_bad_one(tmp_path):
    good = _bad_bundle(tmp_path / "one")
    other = _bad_bundle(tmp_path / "two")
    result = _run(str(good), str(tmp_path / "nothing-here"), str(other), "--jobs", "2")
    assert result.returncode == 2
    verdicts = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(verdicts) == 2
    assert "nothing-here" in result.stderr


def test_table_format_is_for_people(tmp_path):
    result = _run(str(_bad_bundle(tmp_path / "b")), "--format", "table")
    assert result.returncode == 0
    assert "RESUBMIT" in result.stdout and "FILE_UNREADABLE" in result.stdout
