"""Small, fast, unique application bundles for the worker tests (real files on disk).

Each bundle holds a text PDF for identity and residency (read from the text layer: no
OCR, so it is quick) and a photo of random pixels drawn from its own seed, so no two
bundles share a document (no DUPLICATE_DOCUMENT between them).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
from PIL import Image
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

FIRST_NAMES = ["Maria", "Jonas", "Aiyana", "Dmitri", "Keiko", "Tobias", "Ngozi", "Rafael"]
LAST_NAMES = ["Gonzalez-Rivera", "Whitcombe", "Okonkwo", "Lindqvist", "Haverford", "Castellano"]
STREETS = ["Elm St", "Quarry Rd", "Maple Ave", "Birchwood Ln", "Harbor View Dr"]
CITIES = [("Hartford", "CT", "06106"), ("New Haven", "CT", "06511"), ("Worcester", "MA", "01608")]


def profile(seed: int) -> dict:
    """A fictional applicant, different for each seed."""
    city, state, zip_ = CITIES[seed % len(CITIES)]
    return {
        "first_name": FIRST_NAMES[seed % len(FIRST_NAMES)],
        "middle_name": None,
        "last_name": LAST_NAMES[(seed // 2) % len(LAST_NAMES)],
        "suffix": None,
        "date_of_birth": f"19{50 + seed % 45:02d}-0{1 + seed % 9}-{10 + seed % 18}",
        "address": {
            "line1": f"{100 + seed * 7} {STREETS[seed % len(STREETS)]}",
            "line2": None,
            "city": city,
            "state": state,
            "zip": zip_,
        },
    }


def text_pdf(lines: list[str], seed: int = 0) -> bytes:
    """A one-page PDF with a text layer, and grey blocks placed by `seed` (distinct pHash)."""
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=letter, invariant=1)
    rng = np.random.default_rng(seed)
    for _ in range(4):
        pdf.setFillGray(float(rng.uniform(0.2, 0.8)))
        x, y0 = rng.uniform(40, 420), rng.uniform(60, 480)
        pdf.rect(x, y0, rng.uniform(60, 160), rng.uniform(40, 140), stroke=0, fill=1)
    pdf.setFillGray(0)
    y = 720
    for line in lines:
        pdf.drawString(72, y, line)
        y -= 18
    pdf.save()
    return buf.getvalue()


def noise_png(seed: int, size: int = 240) -> bytes:
    """A PNG of random pixels (unique per seed)."""
    rng = np.random.default_rng(seed)
    arr = (rng.random((size, size, 3)) * 255).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, "PNG")
    return buf.getvalue()


def write_bundle(root: Path, seed: int, *, missing_file: bool = False) -> Path:
    """Write one bundle directory for `seed` and return it."""
    p = profile(seed)
    a = p["address"]
    name = f"{p['first_name']} {p['last_name']}"
    street = f"{a['line1']}, {a['city']}, {a['state']} {a['zip']}"
    program = "MA" if a["state"] == "MA" else "CT"
    root.mkdir(parents=True, exist_ok=True)
    files = {
        "id.pdf": text_pdf(
            [
                f"{program} DRIVER LICENSE",
                f"DL {seed:09d}",
                name,
                street,
                f"DOB {p['date_of_birth']}",
            ]
        ),
        "bill.pdf": text_pdf(
            ["Eversource Energy", "Statement date 10/02/2026", name, street, f"Account {seed:06d}"],
            seed + 10_000,
        ),
        "photo.png": noise_png(seed),
    }
    docs = [
        {"document_id": "doc-1", "role": "identity", "file": "id.pdf"},
        {"document_id": "doc-2", "role": "residency", "file": "bill.pdf"},
        {"document_id": "doc-3", "role": "photo", "file": "photo.png"},
    ]
    if missing_file:
        docs.append({"document_id": "doc-4", "role": "residency", "file": "absent.pdf"})
    manifest = {
        "application_id": f"TEST-{seed:06d}",
        "program": program,
        "kind": "new",
        "submitted_on": "2026-11-20",
        "profile": p,
        "documents": docs,
    }
    (root / "application.json").write_text(json.dumps(manifest))
    for name_, content in files.items():
        (root / name_).write_bytes(content)
    return root


def personal_strings(seed: int) -> list[str]:
    """Strings that must never appear in logs: names, date of birth, street."""
    p = profile(seed)
    return [p["first_name"], p["last_name"], p["date_of_birth"], p["address"]["line1"]]
