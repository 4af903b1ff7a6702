"""Small bundle builders for foundation tests (real files, written to a temp dir)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
from PIL import Image
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas


def manifest(documents: list[dict], **over: object) -> dict:
    """A valid application.json dict with the given documents."""
    data = {
        "application_id": "T-0001",
        "program": "CT",
        "kind": "renewal",
        "submitted_on": "2026-11-20",
        "profile": {
            "first_name": "Maria",
            "middle_name": "L",
            "last_name": "Gonzalez-Rivera",
            "suffix": None,
            "date_of_birth": "1981-03-14",
            "address": {
                "line1": "12 Elm St",
                "line2": "Apt 3",
                "city": "Hartford",
                "state": "CT",
                "zip": "06106",
            },
        },
        "documents": documents,
    }
    data.update(over)
    return data


def text_pdf(lines: list[str]) -> bytes:
    """A one-page text PDF."""
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=letter, invariant=1)
    y = 720
    for line in lines:
        pdf.drawString(72, y, line)
        y -= 18
    pdf.save()
    return buf.getvalue()


def jpeg(width: int = 640, height: int = 400) -> bytes:
    """A small valid JPEG."""
    rng = np.random.default_rng(0)
    arr = (rng.random((height, width, 3)) * 255).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, "JPEG")
    return buf.getvalue()


def write_bundle(root: Path, data: dict, files: dict[str, bytes]) -> Path:
    """Write a bundle directory and return it."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "application.json").write_text(json.dumps(data))
    for name, content in files.items():
        (root / name).write_bytes(content)
    return root
