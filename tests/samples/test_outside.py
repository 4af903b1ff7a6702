"""The outside (held-out) generator: well-formed bundles, deterministic per seed, labelled."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import jsonschema
import pytest
from mrz.checker.td3 import TD3CodeChecker

from models.truth import Truth
from samples import outside

SCHEMA = Path(__file__).resolve().parents[2] / "models" / "schemas" / "application.schema.json"
REQUIRED = {
    "clean",
    "NAME_MISMATCH",
    "ADDRESS_MISMATCH",
    "DOCUMENT_TOO_OLD",
    "DOCUMENT_EXPIRED",
    "WRONG_DOCUMENT_TYPE",
}


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return outside.generate(tmp_path_factory.mktemp("outside"), 4, seed=3102, jobs=1)


def test_same_seed_same_bytes(generated: list[Path], tmp_path: Path) -> None:
    again = outside.generate(tmp_path, 4, seed=3102, jobs=2)
    assert [p.name for p in again] == [p.name for p in generated]
    for a, b in zip(generated, again, strict=True):
        assert _digest(a) == _digest(b)


def test_bundles_are_well_formed(generated: list[Path]) -> None:
    schema = json.loads(SCHEMA.read_text())
    checker = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for folder in generated:
        manifest = json.loads((folder / "application.json").read_text())
        checker.validate(manifest)
        truth = Truth.model_validate_json((folder / "truth.json").read_bytes())
        assert truth.application_id == manifest["application_id"] == folder.name
        assert [d["document_id"] for d in manifest["documents"]] == [
            d.document_id for d in truth.documents
        ]
        for entry in manifest["documents"]:
            assert (folder / entry["file"]).stat().st_size > 1000
        assert set(truth.flags) == {f for d in truth.documents for f in d.flags}
        assert (truth.decision == "pass") == (truth.scenario == "clean")


def test_plan_covers_the_scenario_mix() -> None:
    plans = outside.plan(40, seed=3101)
    scenarios = [p.scenario for p in plans]
    assert set(scenarios) >= REQUIRED
    assert 0.3 <= scenarios.count("clean") / len(plans) <= 0.5
    assert outside.plan(40, seed=3101) == plans
    assert outside.plan(40, seed=3102) != plans


def test_scenario_labels_match_documents() -> None:
    for scenario in ("DOCUMENT_TOO_OLD", "MRZ_INVALID", "NAME_MISMATCH"):
        built = outside.build(outside.Plan(3101, 0, "MA", scenario))
        assert built.truth.flags == [scenario]
        assert built.truth.decision != "pass"
    passport = outside.build(outside.Plan(3101, 1, "CT", "MRZ_INVALID"))
    page = next(d for d in passport.truth.documents if d.document_type == "passport")
    assert not TD3CodeChecker("\n".join(page.fields["mrz"]))  # type: ignore[arg-type]


def test_paper_dates_and_conventions() -> None:
    import datetime as dt
    import random

    from samples.profiles import make_person

    rng = random.Random(3101)
    person = make_person(rng, "CT")
    paper = outside.bank_statement(person, person.address, dt.date(2026, 1, 31), rng)
    assert paper.fields["document_date"] == "2026-01-31"
    assert paper.fields["last_name"] == person.last
    text = " ".join(op[3] for op in paper.sheets[0].ops if op[0] == "text")
    assert "2026" in text or "/26" in text
    from mrz.checker.td1 import TD1CodeChecker

    card = outside.PassportData(
        "DOE",
        "JANE",
        "C03005988",
        "F",
        dt.date(1990, 3, 14),
        dt.date(2024, 1, 2),
        dt.date(2034, 1, 1),
        "CONNECTICUT, U.S.A.",
    )
    lines = outside.td1_lines(card)
    assert lines[0].startswith("C<USAC03005988") and len(lines[2]) == 30
    assert TD1CodeChecker("\n".join(lines))


def test_a_long_name_still_makes_a_passport_card_zone() -> None:
    """Seed 4149 stopped the generator: "O SUILLEABHAIN" + "KATHERINE LOUISE" is 32
    characters, over a TD1 name line's 30. The given names are cut at the end (ICAO)."""
    import datetime as dt

    from mrz.checker.td1 import TD1CodeChecker

    from samples.cards import PassportData

    data = PassportData(
        "O SUILLEABHAIN", "KATHERINE LOUISE", "C03005988", "F",
        dt.date(1990, 5, 1), dt.date(2020, 1, 2), dt.date(2030, 1, 1), "MAINE, U.S.A.",
    )  # fmt: skip
    lines = outside.td1_lines(data)
    assert lines[2] == "O<SUILLEABHAIN<<KATHERINE<LOUI"
    assert bool(TD1CodeChecker("\n".join(lines)))
