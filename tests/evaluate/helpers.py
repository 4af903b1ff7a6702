"""Helpers for the evaluation tests."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
from PIL import Image


def image_bytes(seed: int, width: int = 160, height: int = 100) -> bytes:
    """A small PNG of noise (different seeds: different images)."""
    arr = (np.random.default_rng(seed).random((height, width, 3)) * 255).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, "PNG")
    return buf.getvalue()


def _manifest(app_id: str, files: dict[str, str]) -> dict:
    return {
        "application_id": app_id,
        "program": "CT",
        "kind": "renewal",
        "submitted_on": "2026-11-20",
        "profile": {
            "first_name": "Ann",
            "last_name": "Lee",
            "date_of_birth": "1980-01-02",
            "address": {"line1": "1 Main St", "city": "Hartford", "state": "CT", "zip": "06106"},
        },
        "documents": [
            {"document_id": doc_id, "role": "identity" if i == 0 else "residency", "file": name}
            for i, (doc_id, name) in enumerate(files.items())
        ],
    }


def write_labelled_bundle(
    root: Path,
    app_id: str,
    files: dict[str, bytes],
    decision: str = "pass",
    flags: list[str] | None = None,
    scenario: str = "clean",
) -> Path:
    """Write a bundle with the given files (document id -> bytes) and its truth.json."""
    folder = root / app_id
    folder.mkdir(parents=True)
    names = {doc_id: f"{doc_id}.png" for doc_id in files}
    (folder / "application.json").write_text(json.dumps(_manifest(app_id, names)))
    for doc_id, data in files.items():
        (folder / names[doc_id]).write_bytes(data)
    truth = {
        "application_id": app_id,
        "scenario": scenario,
        "decision": decision,
        "flags": flags or [],
        "documents": [
            {
                "document_id": doc_id,
                "document_type": "drivers_license" if i == 0 else "utility_bill",
                "fields": {"first_name": "Ann", "last_name": "Lee"},
            }
            for i, doc_id in enumerate(files)
        ],
    }
    (folder / "truth.json").write_text(json.dumps(truth))
    return folder
