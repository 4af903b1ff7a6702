"""Fallback demo bundles for `serve --demo` when the committed samples are not available.

Three small, clearly synthetic applications (a licence-like PNG with text, a text PDF
bill): one clean, one whose bill carries another surname, one out of state. Fictional
people only.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

DEMO_PEOPLE: tuple[dict[str, str], ...] = (
    {
        "id": "DEMO-CT-0001",
        "first": "Maria",
        "last": "Gonzalez-Rivera",
        "bill_last": "Gonzalez-Rivera",
        "street": "12 Elm St",
        "city": "Hartford",
        "state": "CT",
        "zip": "06106",
        "dob": "1981-03-14",
    },
    {
        "id": "DEMO-CT-0002",
        "first": "James",
        "last": "Okafor",
        "bill_last": "Okafur",
        "street": "48 Maple Ave",
        "city": "New Haven",
        "state": "CT",
        "zip": "06511",
        "dob": "1975-07-02",
    },
    {
        "id": "DEMO-CT-0003",
        "first": "Linh",
        "last": "Tran",
        "bill_last": "Tran",
        "street": "7 Harbor Rd",
        "city": "Providence",
        "state": "RI",
        "zip": "02903",
        "dob": "1990-12-30",
    },
)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default()


def licence_png(person: dict[str, str]) -> bytes:
    """A licence-like card image with the person's name, date of birth and address."""
    img = Image.new("RGB", (1200, 760), (233, 240, 247))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, 1200, 110), fill=(24, 58, 102))
    draw.text(
        (40, 30), "CONNECTICUT  DRIVER LICENSE  (SPECIMEN)", fill=(255, 255, 255), font=_font(40)
    )
    draw.rectangle((40, 160, 330, 540), fill=(190, 200, 212))
    y, m, d = person["dob"].split("-")
    lines = (
        f"LN {person['last'].upper()}",
        f"FN {person['first'].upper()}",
        f"DOB {m}/{d}/{y}",
        f"{person['street'].upper()}",
        f"{person['city'].upper()}, {person['state']} {person['zip']}",
        "EXP 03/14/2030",
    )
    for i, line in enumerate(lines):
        draw.text((380, 170 + 72 * i), line, fill=(10, 10, 10), font=_font(44))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def bill_pdf(person: dict[str, str]) -> bytes:
    """A one-page text PDF utility bill addressed to the person."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=letter)
    c.setFont("Helvetica-Bold", 16)
    c.drawString(72, 730, "Nutmeg Electric Company")
    c.setFont("Helvetica", 12)
    lines = (
        "Statement date: November 2, 2026",
        f"{person['first']} {person['bill_last']}",
        person["street"],
        f"{person['city']} {person['state']} {person['zip']}",
        "Amount due: $84.17",
    )
    for i, line in enumerate(lines):
        c.drawString(72, 690 - 20 * i, line)
    c.save()
    return out.getvalue()


def write_demo_bundles(root: Path) -> list[Path]:
    """Write the demo bundles under `root`; their directories."""
    out = []
    for person in DEMO_PEOPLE:
        folder = root / person["id"]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "licence.png").write_bytes(licence_png(person))
        (folder / "bill.pdf").write_bytes(bill_pdf(person))
        manifest = {
            "application_id": person["id"],
            "program": "CT",
            "kind": "new",
            "submitted_on": "2026-11-20",
            "profile": {
                "first_name": person["first"],
                "last_name": person["last"],
                "date_of_birth": person["dob"],
                "address": {
                    "line1": person["street"],
                    "city": person["city"],
                    "state": person["state"],
                    "zip": person["zip"],
                },
            },
            "documents": [
                {
                    "document_id": "id-front",
                    "role": "identity",
                    "file": "licence.png",
                    "declared_type": "drivers_license",
                },
                {
                    "document_id": "residency",
                    "role": "residency",
                    "file": "bill.pdf",
                    "declared_type": "utility_bill",
                },
            ],
        }
        (folder / "application.json").write_text(json.dumps(manifest, indent=2), "utf-8")
        out.append(folder)
    return out
