"""Fixtures of the reviewer-app tests: a temp data dir, an app, users, a tiny stored bundle.

Bundles are real (a PNG with text and a text PDF made here), submitted through
`workers.service.submit`; verdicts are stored through `workers.records.record_verdict`
so that tests do not depend on OCR speed.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw, ImageFont

from docverify.web.app import create_app
from docverify.web.config import WebConfig
from docverify.web.security import add_user
from models.contract import Verdict
from workers import records, service
from workers.runtime import Runtime

PASSWORD = "correct horse battery"
NOW = dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC)

PROFILE = {
    "first_name": "Maria",
    "middle_name": "L",
    "last_name": "Gonzalez-Rivera",
    "date_of_birth": "1981-03-14",
    "address": {
        "line1": "12 Elm St",
        "line2": "Apt 3",
        "city": "Hartford",
        "state": "CT",
        "zip": "06106",
    },
}


def _font(size: int) -> ImageFont.ImageFont:
    for name in ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default()


def licence_png() -> tuple[bytes, dict[str, list[int]]]:
    """A licence-like PNG and the boxes of the values drawn on it."""
    img = Image.new("RGB", (1000, 630), (236, 242, 248))
    draw = ImageDraw.Draw(img)
    font = _font(34)
    boxes = {}
    draw.text((40, 30), "CONNECTICUT DRIVER LICENSE", fill=(20, 40, 90), font=font)
    for key, label, y in (
        ("last_name", "GONZALEZ-RIVERA", 160),
        ("first_name", "MARIA L", 220),
        ("date_of_birth", "DOB 03/14/1981", 300),
    ):
        draw.text((360, y), label, fill=(0, 0, 0), font=font)
        x0, y0, x1, y1 = draw.textbbox((360, y), label, font=font)
        boxes[key] = [x0 - 4, y0 - 4, x1 + 4, y1 + 4]
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue(), boxes


def bill_pdf() -> bytes:
    """A one-page text PDF (a utility bill)."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=letter)
    c.setFont("Helvetica", 12)
    for i, line in enumerate(
        (
            "Hartford Electric Co.",
            "Statement date: November 2, 2026",
            "Maria Gonzales",
            "12 Elm Street Apt 3",
            "Hartford CT 06106",
        )
    ):
        c.drawString(72, 720 - 18 * i, line)
    c.save()
    return out.getvalue()


def write_bundle(root: Path, external_id: str = "CT-2026-000123") -> Path:
    """A bundle directory with a licence PNG, a bill PDF and application.json."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "licence.png").write_bytes(licence_png()[0])
    (root / "bill.pdf").write_bytes(bill_pdf())
    manifest = {
        "application_id": external_id,
        "program": "CT",
        "kind": "new",
        "submitted_on": "2026-11-20",
        "profile": PROFILE,
        "documents": [
            {"document_id": "doc-1", "role": "identity", "file": "licence.png"},
            {"document_id": "doc-3", "role": "residency", "file": "bill.pdf"},
        ],
    }
    (root / "application.json").write_text(json.dumps(manifest), "utf-8")
    return root


def make_verdict(
    external_id: str, decision: str = "review", score: float = 0.62, name: str = "MARIA"
) -> Verdict:
    """A contract verdict with evidence boxes on the licence (as the pipeline would write it)."""
    _, boxes = licence_png()
    flags = (
        []
        if decision == "pass"
        else [
            {
                "code": "NAME_MISMATCH",
                "document_id": "doc-3",
                "message": "Name on residency proof 'MARIA GONZALES' matches the profile at 71/100",
                "applicant_message": "the name on your proof of residency does not match "
                "your application",
            }
        ]
    )
    doc1 = {
        "document_id": "doc-1",
        "role": "identity",
        "document_type": "drivers_license",
        "decision": "pass",
        "score": 0.97,
        "fields": {
            "first_name": name,
            "last_name": "GONZALEZ-RIVERA",
            "date_of_birth": "1981-03-14",
        },
        "evidence": {
            k: {"source": "ocr", "confidence": 0.93, "page": 0, "box": v} for k, v in boxes.items()
        },
        "checks": [
            {
                "name": "image_quality.sharpness",
                "status": "pass",
                "score": 0.91,
                "detail": "Laplacian variance 412",
            },
            {"name": "face.present", "status": "skipped"},  # no score, no detail
        ],
        "flags": [],
    }
    doc3 = {
        "document_id": "doc-3",
        "role": "residency",
        "document_type": "utility_bill",
        "decision": "pass" if decision == "pass" else "review",
        "score": score,
        "fields": {
            "first_name": "MARIA",
            "last_name": "GONZALES",
            "document_date": "2026-11-02",
            "address": {
                "line1": "12 ELM ST APT 3",
                "city": "HARTFORD",
                "state": "CT",
                "zip": "06106",
            },
        },
        "evidence": {
            "last_name": {
                "source": "pdf_text",
                "confidence": 1.0,
                "page": 0,
                "box": [200, 200, 420, 240],
            }
        },
        "checks": [
            {
                "name": "match.name",
                "status": "pass" if decision == "pass" else "fail",
                "score": 0.71,
                "detail": "token sort ratio 71",
            }
        ],
        "flags": flags,
    }
    return Verdict.model_validate(
        {
            "application_id": external_id,
            "decision": decision,
            "score": score,
            "flags": [],
            "documents": [doc1, doc3],
            "pipeline_version": "0.1.0",
            "rule_pack": "CT-test",
        }
    )


class Env:
    """An app over a temp data dir, with helpers."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.runtime = Runtime.from_environment()
        self.now = NOW
        self.app = create_app(
            self.runtime,
            WebConfig(process_inline=False, qc_sample_percent=0),
            clock=lambda: self.now,
        )
        self._n = 0

    def client(self) -> TestClient:
        return TestClient(self.app, base_url="http://testserver")

    def user(self, username: str = "rita", role: str = "reviewer") -> str:
        with self.runtime.db.session() as db:
            add_user(db, username, PASSWORD, role)
        return username

    def sign_in(self, client: TestClient, username: str, password: str = PASSWORD) -> Any:
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return client.post(
            "/login",
            data={
                "username": username,
                "password": password,
                "csrf_token": token,
                "next": "/queue",
            },
            follow_redirects=False,
        )

    def csrf(self, client: TestClient, path: str = "/queue") -> str:
        page = client.get(path)
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def application(
        self, decision: str = "review", score: float = 0.62, external_id: str | None = None
    ) -> str:
        """Submit a real bundle and store a verdict for it; the submission id."""
        self._n += 1
        external_id = external_id or f"CT-2026-{self._n:06d}"
        path = write_bundle(self.tmp / f"bundle{self._n}", external_id)
        app_id = service.submit(path, self.runtime)
        self.verdict(app_id, make_verdict(external_id, decision, score), f"inputs-{self._n}")
        return app_id

    def verdict(self, app_id: str, verdict: Verdict, inputs: str) -> None:
        with self.runtime.db.session() as db:
            records.record_verdict(db, app_id, verdict, inputs)
            records.set_status(db, app_id, "done")


@pytest.fixture(autouse=True)
def _cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 with test-sized cost (the real parameters take about a second on a busy box)."""
    from argon2 import PasswordHasher

    from docverify.web import security

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(security, "_hasher", cheap)
    monkeypatch.setattr(security, "_DUMMY_HASH", cheap.hash("not-a-password"))


@pytest.fixture
def env(tmp_path: Path) -> Env:
    return Env(tmp_path)
