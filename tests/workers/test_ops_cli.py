"""`docverify submit / status / verdict / requeue` on the embedded default (SQLite, in-process)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from queue_bundles import write_bundle
from sqlalchemy import func, select
from typer.testing import CliRunner

from docverify import cli, verifying
from models.db.pipeline_tables import VerdictRow
from workers import service
from workers.runtime import Runtime, verify_path

runner = CliRunner()


@pytest.fixture(scope="module", autouse=True)
def _commands() -> None:
    if not any(c.name == "submit" for c in cli.app.registered_commands):
        cli._register_subcommands()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli.app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _essentials(verdict: dict) -> tuple:
    docs = tuple(
        (
            d["document_id"],
            d["decision"],
            d["document_type"],
            json.dumps(d["fields"], sort_keys=True),
        )
        for d in verdict["documents"]
    )
    flags = tuple(sorted((f["code"], f.get("document_id") or "") for f in verdict["flags"]))
    return verdict["application_id"], verdict["decision"], flags, docs


def test_submit_processes_inline_and_verdicts_match_verify(tmp_path: Path) -> None:
    a = write_bundle(tmp_path / "a", 1)
    b = write_bundle(tmp_path / "b", 2, missing_file=True)
    code, out, err = _run("submit", str(a), str(tmp_path / "nope"), str(b))
    assert code == 2
    assert "nope" in err and err.count("docverify:") == 1
    ids = out.split()
    assert len(ids) == 2

    expected = io.StringIO()
    assert verifying.run([a, b], jobs=1, fmt="json", out=expected, err=io.StringIO()) == 0
    want = [_essentials(json.loads(line)) for line in expected.getvalue().splitlines()]
    got = []
    for app_id in ids:
        code, out, _ = _run("verdict", app_id)
        assert code == 0
        got.append(_essentials(json.loads(out)))
    assert got == want
    assert ("FILE_UNREADABLE", "doc-4") in got[1][2]

    code, out, _ = _run("status", "--json")
    assert json.loads(out) == {"queued": 0, "processing": 0, "done": 2, "failed": 0}


def test_verdict_pending_unknown_and_history(tmp_path: Path) -> None:
    runtime = Runtime.from_environment()
    app_id = service.submit(write_bundle(tmp_path / "a", 3), runtime)
    code, _, err = _run("verdict", app_id)
    assert (code, err.strip()) == (3, "pending")
    assert _run("verdict", "no-such-id")[0] == 2
    assert _run("status", "no-such-id")[0] == 2

    assert service.process(app_id, runtime).state == "done"
    assert service.process(app_id, runtime).state == "skipped"  # delivered twice: no change
    with runtime.db.session() as s:
        assert s.scalar(select(func.count()).select_from(VerdictRow)) == 1

    code, out, _ = _run("verdict", app_id, "--history")
    history = json.loads(out)
    assert code == 0 and len(history) == 1
    entry = history[0]
    assert entry["current"] is True and entry["pipeline_version"] and entry["rule_pack"]
    assert entry["created_at"] and entry["verdict"]["application_id"] == "TEST-000003"


def test_failed_applications_are_listed_and_requeued(tmp_path: Path) -> None:
    runtime = Runtime.from_environment()
    app_id = service.submit(write_bundle(tmp_path / "a", 4), runtime)
    service.mark_failed(app_id, runtime, "StorageUnavailable", "m1", 5)
    code, out, _ = _run("status", "--failed", "--json")
    assert [d["id"] for d in json.loads(out)] == [app_id]
    assert json.loads(out)[0]["error"] == "StorageUnavailable"
    assert _run("verdict", app_id)[0] == 3

    code, out, _ = _run("requeue", "--all-failed")
    assert code == 0 and out.split() == [app_id]
    assert _run("verdict", app_id)[0] == 0
    assert json.loads(_run("status", app_id, "--json")[1])["status"] == "done"


def test_verify_remembers_fingerprints_across_runs(tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "a", 5)
    verify_path(bundle, Runtime.from_environment())
    second = Runtime.from_environment()  # a later run, same data dir
    examination = second.examine(
        __import__("pipeline.bundle", fromlist=["load_bundle"]).load_bundle(bundle)
    )
    photo = next(d for d in examination.documents if d.document_id == "doc-3")
    assert photo.fingerprint is not None
    matches = second.prior.matches(photo.fingerprint, "ANOTHER-APPLICATION")
    assert [(m.application_id, m.document_id, m.reason) for m in matches] == [
        ("TEST-000005", "doc-3", "same_file")
    ]
    assert second.prior.matches(photo.fingerprint, "TEST-000005") == []
