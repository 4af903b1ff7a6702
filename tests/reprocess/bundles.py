"""Stored applications for the reprocessing tests: tiny text-PDF bundles (no OCR).

Each application has a licence and a utility bill as one-page text PDFs; the bill's
statement date lies a chosen number of days before `submitted_on`, so a change of the
Connecticut utility-bill window (90 -> 60 days) changes the decision of exactly the
Connecticut applications whose bill is 61 to 90 days old and that were not already
`resubmit` for another reason. Some profiles carry a misspelt name (a `review` baseline).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from pipeline import rules
from workers import reprocess as rp
from workers import service
from workers.runtime import Runtime
from workers.settings import Settings

SUBMITTED = dt.date(2026, 11, 20)
FIRST = ["Maria", "Jonas", "Aiyana", "Dmitri", "Keiko", "Tobias", "Ngozi", "Rafael", "Ingrid"]
LAST = ["Whitcombe", "Okonkwo", "Lindqvist", "Haverford", "Castellano", "Abernathy", "Sorensen"]
STREETS = ["Elm St", "Quarry Rd", "Maple Ave", "Birchwood Ln", "Harbor View Dr", "Oak Ct"]
PLACES = {"CT": [("Hartford", "06106"), ("New Haven", "06511")], "MA": [("Worcester", "01608")]}
AGES = (20, 75, 120, 45, 85)
"""Days between the bill and submission, cycled over the seeds (75 and 85: 60 < age <= 90)."""


@dataclass(frozen=True)
class Spec:
    """What was stored for one application (the test's ground truth)."""

    seed: int
    program: str
    age_days: int
    misspelt: bool

    @property
    def external_id(self) -> str:
        return f"RP-{self.seed:05d}"


def spec(seed: int) -> Spec:
    """The application of `seed`: mostly CT, every fifth MA, every seventh a wrong last name."""
    program = "MA" if seed % 5 == 4 else "CT"
    return Spec(seed, program, AGES[(seed + seed // 5) % len(AGES)], misspelt=seed % 7 == 3)


def text_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a text layer."""
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=letter, invariant=1)
    y = 720
    for line in lines:
        pdf.drawString(72, y, line)
        y -= 18
    pdf.save()
    return buf.getvalue()


def write_bundle(root: Path, s: Spec) -> Path:
    """Write the bundle directory of one application."""
    city, zip_ = PLACES[s.program][s.seed % len(PLACES[s.program])]
    first, last = FIRST[s.seed % len(FIRST)], LAST[(s.seed // 3) % len(LAST)]
    line1 = f"{100 + s.seed * 7} {STREETS[s.seed % len(STREETS)]}"
    dob = f"19{50 + s.seed % 45:02d}-0{1 + s.seed % 9}-{10 + s.seed % 18}"
    street = f"{line1}, {city}, {s.program} {zip_}"
    bill_date = SUBMITTED - dt.timedelta(days=s.age_days)
    profile_last = "Xqzvbwtrup" if s.misspelt else last
    root.mkdir(parents=True, exist_ok=True)
    licence = [f"{s.program} DRIVER LICENSE", f"DL {s.seed:09d}", f"{first} {last}", street]
    licence += [f"DOB {dob}", "EXP 01/01/2030"]
    bill = ["Eversource Energy", "Electric Service", f"Statement date {bill_date:%m/%d/%Y}"]
    bill += [f"{first} {last}", street, f"Account {s.seed:06d}", "Amount due $45.00"]
    (root / "id.pdf").write_bytes(text_pdf(licence))
    (root / "bill.pdf").write_bytes(text_pdf(bill))
    manifest = {
        "application_id": s.external_id,
        "program": s.program,
        "kind": "renewal",
        "submitted_on": SUBMITTED.isoformat(),
        "profile": {
            "first_name": first, "middle_name": None, "last_name": profile_last, "suffix": None,
            "date_of_birth": dob,
            "address": {"line1": line1, "line2": None, "city": city, "state": s.program,
                        "zip": zip_},
        },
        "documents": [
            {"document_id": "doc-1", "role": "identity", "file": "id.pdf"},
            {"document_id": "doc-2", "role": "residency", "file": "bill.pdf"},
        ],
    }  # fmt: skip
    (root / "application.json").write_text(json.dumps(manifest))
    return root


def runtime_for(data_dir: Path, rules_dir: Path | None = None, **extra: object) -> Runtime:
    """A runtime on its own data dir (SQLite + folder storage) and optional rules dir."""
    settings = Settings(data_dir=data_dir, rules_dir=rules_dir, **extra)
    return Runtime(settings=settings, config=settings.pipeline_config())


def stricter_rules(folder: Path) -> Path:
    """Rule packs with the CT utility-bill window cut from 90 to 60 days, version bumped."""
    folder.mkdir(parents=True, exist_ok=True)
    ct = rules.builtin_pack_text("CT")
    old = rules.load_pack(ct)
    marker = "[recency.utility_bill]\nmax_age_days = 90"
    assert marker in ct, "the shipped CT pack no longer has a 90-day utility-bill window"
    ct = ct.replace(marker, "[recency.utility_bill]\nmax_age_days = 60")
    ct = ct.replace(f'version = "{old.version}"', f'version = "{old.version}.1"')
    (folder / "CT.toml").write_text(ct, "utf-8")
    (folder / "MA.toml").write_text(rules.builtin_pack_text("MA"), "utf-8")
    return folder


def build_store(
    data_dir: Path, seeds: range, processes: int = 1, **settings: object
) -> dict[str, Spec]:
    """Submit the applications and give each its baseline verdict; our id -> spec."""
    runtime = runtime_for(data_dir, **settings)
    bundles = data_dir.parent / f"{data_dir.name}-bundles"
    out = {}
    for seed in seeds:
        s = spec(seed)
        out[service.submit(write_bundle(bundles / s.external_id, s), runtime)] = s
    shutil.rmtree(bundles)
    with runtime.db.session() as session:
        candidates = rp.select_applications(session, rp.Selection(all=True))
    job = rp.create_job(runtime, rp.Selection(all=True), candidates, batch=50)
    progress = rp.run_job(runtime, job, processes=processes)
    assert progress.status == "done" and progress.failed == 0, progress
    runtime.db.dispose()
    return out


def expected_changes(specs: dict[str, Spec], baseline: dict[str, str]) -> set[str]:
    """Applications whose decision must change when the CT bill window becomes 60 days."""
    return {
        app_id
        for app_id, s in specs.items()
        if s.program == "CT" and 60 < s.age_days <= 90 and baseline[app_id] != "resubmit"
    }
