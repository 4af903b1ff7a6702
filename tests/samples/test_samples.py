"""Samples generator: determinism, schema validity, barcode and MRZ ground truth, coverage."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import random
from pathlib import Path

import jsonschema
import numpy as np
import pytest
import zxingcpp
from mrz.checker.td3 import TD3CodeChecker
from PIL import Image

import samples
from models.flags import FlagCode
from models.truth import Truth
from samples.aamva import CardData, encode
from samples.cards import PassportData, corrupt_check_digit, mrz_lines
from samples.generator import plan
from samples.scenarios import Spec, build

SCHEMA = Path(__file__).resolve().parents[2] / "models" / "schemas" / "application.schema.json"
CONTRACT_FLAGS = {c.value for c in FlagCode if c is not FlagCode.PROCESSING_ERROR}


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("gen")
    return samples.generate(out, 8, seed=11, jobs=1)


def test_same_seed_same_bytes(generated: list[Path], tmp_path: Path) -> None:
    again = samples.generate(tmp_path, 8, seed=11, jobs=2)
    assert [p.name for p in again] == [p.name for p in generated]
    for a, b in zip(generated, again, strict=True):
        assert _digest(a) == _digest(b)


def test_other_seed_differs(generated: list[Path], tmp_path: Path) -> None:
    other = samples.generate(tmp_path, 2, seed=12, jobs=1)
    assert _digest(other[0]) != _digest(generated[0])


def test_manifests_match_schema_and_files_exist(generated: list[Path]) -> None:
    schema = json.loads(SCHEMA.read_text())
    checker = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for folder in generated:
        manifest = json.loads((folder / "application.json").read_text(encoding="utf-8"))
        checker.validate(manifest)
        truth = Truth.model_validate_json((folder / "truth.json").read_text(encoding="utf-8"))
        assert truth.application_id == manifest["application_id"]
        assert [d.document_id for d in truth.documents] == [
            d["document_id"] for d in manifest["documents"]
        ]
        for entry in manifest["documents"]:
            assert (folder / entry["file"]).is_file()
        assert (truth.decision.value == "pass") == (not truth.flags)


def _parse_aamva(text: str) -> dict[str, str]:
    """A minimal AAMVA reader for the test (independent of the generator's encoder)."""
    assert text.startswith("@\n\x1e\rANSI ")
    entries = int(text[19:21])
    fields: dict[str, str] = {}
    for i in range(entries):
        d = text[21 + 10 * i : 31 + 10 * i]
        offset, length = int(d[2:6]), int(d[6:10])
        body = text[offset : offset + length]
        assert body.startswith(d[:2]) and body.endswith("\r")
        for element in body[2:-1].split("\n"):
            fields.setdefault(element[:3], element[3:])
    return fields


def _us_date(value: str) -> str:
    return dt.datetime.strptime(value, "%m%d%Y").date().isoformat()


def test_barcode_reads_back_to_truth(tmp_path: Path) -> None:
    checked = 0
    for index in range(6):
        built = build(
            Spec(seed=5, index=index, program=("CT", "MA")[index % 2], identity="drivers_license")
        )
        for doc in built.docs:
            if doc.side != "back":
                continue
            img = np.asarray(Image.open(io.BytesIO(doc.data)).convert("L"))
            found = []
            for binarizer in (zxingcpp.Binarizer.LocalAverage, zxingcpp.Binarizer.GlobalHistogram):
                found = found or zxingcpp.read_barcodes(
                    img,
                    formats=zxingcpp.BarcodeFormat.PDF417,
                    text_mode=zxingcpp.TextMode.Plain,
                    binarizer=binarizer,
                )
            assert found, f"no barcode read in {built.application_id}"
            fields = _parse_aamva(found[0].text)
            truth = doc.truth.fields
            assert fields["DCS"] == truth["last_name"]
            given = fields.get("DAC") or fields["DCT"].split(",")[0]
            assert given == truth["first_name"]
            assert _us_date(fields["DBB"]) == truth["date_of_birth"]
            assert _us_date(fields["DBA"]) == truth["expiry_date"]
            assert fields["DAQ"] == truth["document_number"]
            assert fields["DAK"].strip()[:5] == truth["address"]["zip"][:5]
            checked += 1
    assert checked >= 3


def test_barcode_mismatch_differs_from_front() -> None:
    built = build(
        Spec(seed=3, index=0, program="CT", scenario="BARCODE_MISMATCH", variant="document_number")
    )
    front, back = built.docs[0], built.docs[1]
    assert back.side == "back" and "BARCODE_MISMATCH" in built.truth.flags
    assert front.truth.fields["document_number"] != back.truth.fields["document_number"]


def test_aamva_versions_encode_header() -> None:
    card = CardData(
        "DL",
        "O'BRIEN",
        "ANNE",
        None,
        "JR",
        dt.date(1980, 2, 3),
        dt.date(2024, 1, 2),
        dt.date(2032, 2, 3),
        "123456789",
        "F",
        "12 ELM ST",
        None,
        "HARTFORD",
        "CT",
        "06106",
        None,
        64,
        "BRO",
        "BRO",
        "ABCDEF123456",
    )
    for version in (3, 8, 10):
        text = encode(card, version, "636006")
        assert text[9:15] == "636006" and int(text[15:17]) == version
        fields = _parse_aamva(text)
        assert fields["DCS"] == "O'BRIEN" and fields["DBB"] == "02031980"


def test_mrz_valid_and_corrupted() -> None:
    data = PassportData(
        "MUNOZ",
        "JOSE LUIS",
        "A12345678",
        "M",
        dt.date(1975, 7, 9),
        dt.date(2020, 1, 1),
        dt.date(2029, 12, 31),
        "CONNECTICUT, U.S.A.",
    )
    line1, line2 = mrz_lines(data)
    assert len(line1) == len(line2) == 44
    assert bool(TD3CodeChecker(f"{line1}\n{line2}"))
    bad, _ = corrupt_check_digit(line2, random.Random(1))
    assert bad != line2
    assert not bool(TD3CodeChecker(f"{line1}\n{bad}"))


def test_mrz_drops_punctuation_from_names() -> None:
    data = PassportData(
        "ST. JOHN",
        "MARY J.",
        "A12345678",
        "F",
        dt.date(1975, 7, 9),
        dt.date(2020, 1, 1),
        dt.date(2029, 12, 31),
        "CONNECTICUT, U.S.A.",
    )
    line1, line2 = mrz_lines(data)
    assert line1.startswith("P<USAST<JOHN<<MARY<J<")
    assert bool(TD3CodeChecker(f"{line1}\n{line2}"))


def test_generated_passports_mrz_truth() -> None:
    good = build(Spec(seed=4, index=0, program="MA", identity="passport"))
    bad = build(Spec(seed=4, index=1, program="MA", scenario="MRZ_INVALID"))
    for built, valid in ((good, True), (bad, False)):
        doc = next(d for d in built.docs if d.truth.document_type == "passport")
        line1, line2 = doc.truth.fields["mrz"]
        assert bool(TD3CodeChecker(f"{line1}\n{line2}")) is valid
        assert "declared_expiry_date" in next(
            e for e in built.manifest["documents"] if e["document_id"] == doc.truth.document_id
        )


def test_truncated_jpeg_is_truncated() -> None:
    built = build(
        Spec(seed=2, index=0, program="CT", scenario="FILE_UNREADABLE", variant="truncated_jpeg")
    )
    doc = built.docs[0]
    assert doc.data[:2] == b"\xff\xd8" and not doc.data.rstrip(b"\0").endswith(b"\xff\xd9")
    assert not doc.truth.legible and doc.truth.flags == ["FILE_UNREADABLE"]


def test_plan_covers_every_flag_code() -> None:
    specs = plan(60, seed=1)
    scenarios = {s.scenario for s in specs}
    assert scenarios >= CONTRACT_FLAGS
    clean = sum(s.scenario == "clean" for s in specs)
    assert 20 <= clean <= 28
    duplicate = next(s for s in specs if s.scenario == "DUPLICATE_DOCUMENT")
    assert duplicate.source is not None and duplicate.source.scenario == "clean"


@pytest.mark.slow
def test_every_flag_code_in_60_applications(tmp_path: Path) -> None:
    folders = samples.generate(tmp_path, 60, seed=1, jobs=2)
    seen: set[str] = set()
    for folder in folders:
        truth = Truth.model_validate_json((folder / "truth.json").read_text(encoding="utf-8"))
        seen.update(truth.flags)
    assert seen >= CONTRACT_FLAGS


def test_committed_set_is_small() -> None:
    committed = Path(samples.__file__).parent / "committed"
    if not committed.exists():
        pytest.skip("committed set not generated")
    size = sum(p.stat().st_size for p in committed.rglob("*") if p.is_file())
    assert size < 10 * 1024 * 1024
    truths = [
        Truth.model_validate_json(p.read_text(encoding="utf-8"))
        for p in committed.rglob("truth.json")
    ]
    assert {f for t in truths for f in t.flags} >= CONTRACT_FLAGS
