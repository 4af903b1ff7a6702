"""`docverify evaluate` end to end over tiny bundles: report, JSON shape, PNG, exit codes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from docverify import evaluate
from docverify.evaluate import discover, run_parallel, run_sequential
from tests.evaluate.helpers import image_bytes

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def cli() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """Root."""

    evaluate.register(app)
    return app


@pytest.fixture
def two_bundles(tmp_path: Path, make_bundle) -> Path:
    root = tmp_path / "labelled"
    make_bundle(root, "T-0002", {"id": image_bytes(1), "res": image_bytes(2)})
    make_bundle(
        root,
        "T-0001",
        {"id": image_bytes(3)},
        decision="resubmit",
        flags=["MISSING_DOCUMENT"],
        scenario="MISSING_DOCUMENT",
    )
    return root


def test_evaluate_writes_json_and_png(cli, two_bundles: Path, tmp_path: Path):
    out_json, out_png = tmp_path / "report.json", tmp_path / "report.png"
    data_dir = os.environ["DOCVERIFY_DATA_DIR"]
    before = sorted(Path(data_dir).rglob("*"))
    result = CliRunner().invoke(
        cli, ["evaluate", str(two_bundles), "--json", str(out_json), "--plot", str(out_png)]
    )
    assert result.exit_code == 0, result.output
    assert "Decision accuracy" in result.output
    report = json.loads(out_json.read_text())
    assert report["applications"] == 2
    assert {
        "decision",
        "flags",
        "clean",
        "fields",
        "document_types",
        "quality",
        "timing",
        "worst_cases",
        "rows",
        "run",
    } <= set(report)
    rows = report["rows"]
    assert [r["application_id"] for r in rows] == ["T-0001", "T-0002"]  # application-id order
    assert set(rows[0]) >= {
        "application_id",
        "scenario",
        "expected_decision",
        "got_decision",
        "expected_flags",
        "got_flags",
        "seconds",
    }
    assert rows[0]["expected_flags"] == ["MISSING_DOCUMENT"]
    assert rows[0]["got_decision"] in ("pass", "review", "resubmit", "error")
    assert sum(map(sum, report["decision"]["matrix"])) == 2
    assert report["fields"]["first_name"]["n"] == 3
    assert out_png.read_bytes()[:8] == PNG_MAGIC
    assert sorted(Path(data_dir).rglob("*")) == before  # nothing written in the data dir


def test_min_decision_accuracy_gate(cli, two_bundles: Path, tmp_path: Path):
    out = tmp_path / "r.json"
    args = ["evaluate", str(two_bundles), "--limit", "1", "--json", str(out)]
    assert CliRunner().invoke(cli, [*args, "--min-decision-accuracy", "1.01"]).exit_code == 2
    passed = CliRunner().invoke(cli, [*args, "--min-decision-accuracy", "0"])
    assert passed.exit_code == 0, passed.output
    strict = CliRunner().invoke(cli, [*args, "--min-decision-accuracy", "1"])
    accuracy = json.loads(out.read_text())["decision"]["accuracy"]
    assert strict.exit_code == (0 if accuracy == 1.0 else 1)


def test_empty_directory_exits_2(cli, tmp_path: Path):
    assert CliRunner().invoke(cli, ["evaluate", str(tmp_path)]).exit_code == 2


def test_discover_skips_bad_truth_and_limits(tmp_path: Path, make_bundle):
    make_bundle(tmp_path, "B", {"id": image_bytes(1)})
    make_bundle(tmp_path, "A", {"id": image_bytes(2)})
    (tmp_path / "C").mkdir()
    (tmp_path / "C" / "truth.json").write_text("{}")
    (tmp_path / "C" / "application.json").write_text("{}")
    items, skipped = discover(tmp_path)
    assert [i.truth.application_id for i in items] == ["A", "B"]
    assert len(skipped) == 1
    assert len(discover(tmp_path, limit=1)[0]) == 1


def test_invalid_bundle_is_an_error_row(tmp_path: Path, make_bundle):
    folder = make_bundle(tmp_path, "A", {"id": image_bytes(1)})
    (folder / "application.json").write_text('{"application_id": "A"}')
    items, _ = discover(tmp_path)
    records = run_sequential(items, evaluate.Runtime.from_environment(), lambda: None)
    assert records[0].decision is None
    assert records[0].error.startswith("BundleInvalid")


@pytest.mark.slow
def test_parallel_reexamines_applications_sharing_a_file(tmp_path: Path, make_bundle):
    same = image_bytes(7)
    make_bundle(tmp_path, "A", {"id": same})
    make_bundle(tmp_path, "B", {"id": same}, decision="review", flags=["DUPLICATE_DOCUMENT"])
    make_bundle(tmp_path, "C", {"id": image_bytes(8)})
    items, _ = discover(tmp_path)
    runtime = evaluate.Runtime.from_environment()
    sequential = run_sequential(items, runtime, lambda: None)
    parallel, again = run_parallel(
        items, runtime, 2, os.environ["DOCVERIFY_DATA_DIR"], lambda: None
    )
    assert again == 1  # only B's file was seen before
    assert [(r.application_id, r.decision, r.flags) for r in parallel] == [
        (r.application_id, r.decision, r.flags) for r in sequential
    ]


def test_gate_exits_1_when_missed(cli, tmp_path: Path, make_bundle):
    folder = make_bundle(tmp_path, "A", {"id": image_bytes(1)})
    (folder / "application.json").write_text("{}")  # never examined: a wrong decision
    result = CliRunner().invoke(cli, ["evaluate", str(tmp_path), "--min-decision-accuracy", "0.5"])
    assert result.exit_code == 1
    assert "BundleInvalid" in result.output
