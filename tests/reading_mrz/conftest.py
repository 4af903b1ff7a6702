"""Fixtures for the barcode and MRZ tests: a context, documents, rendered zones."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from mrz.generator.td1 import TD1CodeGenerator
from mrz.generator.td3 import TD3CodeGenerator
from PIL import Image, ImageDraw, ImageFont

from models.contract import Application
from models.internal import DocumentState, Page
from pipeline.context import Context
from pipeline.rules import builtin_pack

MONO = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")


def make_context(submitted: str = "2026-11-20") -> Context:
    app = Application.model_validate(
        {
            "application_id": "T-MRZ",
            "program": "CT",
            "kind": "new",
            "submitted_on": submitted,
            "profile": {
                "first_name": "Anna",
                "last_name": "Eriksson",
                "date_of_birth": "1974-08-12",
                "address": {
                    "line1": "1 Main St",
                    "city": "Hartford",
                    "state": "CT",
                    "zip": "06106",
                },
            },
            "documents": [{"document_id": "d1", "role": "identity", "file": "x.jpg"}],
        }
    )
    return Context(application=app, rules=builtin_pack("CT"))


@pytest.fixture
def ctx() -> Context:
    return make_context()


def image_doc(image: np.ndarray, role: str = "identity") -> DocumentState:
    return DocumentState("d1", role, "front", b"", pages=(Page(0, image),), page_count=1)


def td3_lines(number: str = "X12345674", expiry: str = "310415") -> list[str]:
    code = TD3CodeGenerator(
        "P", "UTO", "ERIKSSON", "ANNA MARIA", number, "UTO", "740812", "F", expiry, "ZE184226B"
    )
    return str(code).split("\n")


def td1_lines() -> list[str]:
    code = TD1CodeGenerator(
        "IP", "USA", "C03005988", "740812", "F", "310415", "USA", "TRAVELER", "HAPPY"
    )
    return str(code).split("\n")


def passport_page(lines: list[str], size: int = 34) -> np.ndarray:
    """A passport-like data page (BGR): a heading, some fields, the MRZ at the bottom."""
    font = ImageFont.truetype(str(MONO), size)
    small = ImageFont.truetype(str(MONO), 26)
    width = int(font.getlength("M") * 44) + 120
    height = 700
    img = Image.new("RGB", (width, height), (246, 244, 238))
    draw = ImageDraw.Draw(img)
    draw.text((60, 40), "PASSPORT  UTOPIA", font=small, fill=(20, 20, 60))
    draw.text((60, 110), "Surname / Nom: ERIKSSON", font=small, fill=(20, 20, 20))
    draw.text((60, 160), "Given names: ANNA MARIA", font=small, fill=(20, 20, 20))
    draw.text((60, 210), "Date of birth: 12 AUG 1974", font=small, fill=(20, 20, 20))
    y = height - 40 - len(lines) * int(size * 1.5)
    for line in lines:
        draw.text((60, y), line, font=font, fill=(10, 10, 10))
        y += int(size * 1.5)
    return np.asarray(img)[:, :, ::-1].copy()
