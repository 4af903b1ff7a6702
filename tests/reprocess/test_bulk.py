"""Issue 8 "done when": 500 stored applications, a rule-pack window change, a killed run.

SQLite variant: 500 applications (tiny text PDFs, no OCR) get baseline verdicts; the CT
utility-bill window goes from 90 to 60 days (pack version bumped); a dry run predicts
the changes; `docverify reprocess --all --yes --processes 2` is SIGKILLed half-way and
resumed with `--resume JOB`; every application ends with exactly one current verdict and
the changed decisions are exactly the dry run's. The same through PostgreSQL + Redis with
two dramatiq worker processes on fewer applications.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from bundles import Spec, build_store, expected_changes, runtime_for, stricter_rules
from sqlalchemy import func, select

from models.db.pipeline_tables import VerdictRow
from models.db.reprocess_tables import ReprocessItemRow, ReprocessJobRow
from workers import reprocess as rp
from workers.runtime import Runtime

pytestmark = pytest.mark.slow

INTEGRATION = Path(__file__).resolve().parents[1] / "integration"
sys.path.insert(0, str(INTEGRATION))
from integration_services import VENV_BIN, Workers, base_env  # noqa: E402

_spec = importlib.util.spec_from_file_location("integration_conftest", INTEGRATION / "conftest.py")
assert _spec and _spec.loader
_integration = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_integration)
pg_database = _integration.pg_database  # the integration tests' fixtures, reused
redis_namespace = _integration.redis_namespace


def _baseline(runtime: Runtime) -> dict[str, str]:
    with runtime.db.session() as s:
        rows = s.scalars(select(VerdictRow).where(VerdictRow.is_current.is_(True)))
        return {r.application_id: r.decision for r in rows}


def _wait(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _open_job(runtime: Runtime) -> ReprocessJobRow | None:
    with runtime.db.session() as s:
        return s.scalar(select(ReprocessJobRow).where(ReprocessJobRow.status != "done"))


def _done(runtime: Runtime, job_id: str) -> int:
    with runtime.db.session() as s:
        return int(
            s.scalar(
                select(func.count()).where(
                    ReprocessItemRow.job_id == job_id, ReprocessItemRow.state == "done"
                )
            )
            or 0
        )


def _kill_half_way(
    cmd: list[str], env: dict[str, str], runtime: Runtime, at: int, log: Path
) -> str:
    """Start a real run, SIGKILL its whole process group once `at` items are done."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        _wait(lambda: (j := _open_job(runtime)) is not None and _done(runtime, j.id) >= at,
              240, "half of the job")  # fmt: skip
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(30)
    job = _open_job(runtime)
    assert job is not None and job.status == "running", log.read_text()[-2000:]
    assert at <= _done(runtime, job.id) < job.total
    return job.id


def _check_end_state(
    runtime: Runtime, job_id: str, specs: dict[str, Spec], selected: int, predicted: set[str]
) -> None:
    """One current verdict for every stored application; the job's counts as predicted."""
    with runtime.db.session() as s:
        current = s.execute(
            select(VerdictRow.application_id, func.count())
            .where(VerdictRow.is_current.is_(True))
            .group_by(VerdictRow.application_id)
        ).all()
        per_key = s.execute(
            select(func.count())
            .select_from(VerdictRow)
            .group_by(VerdictRow.application_id, VerdictRow.rule_pack)
            .having(func.count() > 1)
        ).all()
        progress = rp.job_progress(s, job_id)
        changed = {r.application_id for r in rp.changed_items(s, job_id)}
    assert {a for a, _ in current} == set(specs) and {n for _, n in current} == {1}
    assert per_key == []  # never two verdicts of one application for the same rule pack
    assert progress is not None and progress.status == "done"
    assert (progress.done, progress.failed, progress.total) == (selected, 0, selected)
    assert progress.changed == len(predicted) and changed == predicted


def test_500_applications_killed_and_resumed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    specs = build_store(data, range(500), processes=2)
    baseline = _baseline(runtime_for(data))
    rules_dir = stricter_rules(tmp_path / "rules")
    strict = runtime_for(data, rules_dir)
    with strict.db.session() as s:
        candidates = rp.select_applications(s, rp.Selection(all=True))
    predicted = {c.app_id for c in rp.dry_run(strict, candidates, processes=2).changed}
    assert predicted == expected_changes(specs, baseline) and len(predicted) > 100

    env = base_env(data) | {"DOCVERIFY_RULES_DIR": str(rules_dir)}
    docverify = str(VENV_BIN / "docverify")
    run = [docverify, "reprocess", "--all", "--yes", "--processes", "2", "--batch", "20"]
    job_id = _kill_half_way(run, env, strict, 250, tmp_path / "run.log")
    resumed = subprocess.run(
        [docverify, "reprocess", "--resume", job_id, "--processes", "2"],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr[-2000:] + resumed.stdout[-2000:]
    assert f"changed {len(predicted)}" in resumed.stdout
    _check_end_state(strict, job_id, specs, len(specs), predicted)


@pytest.mark.integration
def test_postgres_redis_two_workers(tmp_path: Path, pg_database: str, redis_namespace: str) -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{pg_database}"
    data = tmp_path / "data"
    specs = build_store(data, range(24), database_url=url)
    baseline = _baseline(runtime_for(data, database_url=url))
    rules_dir = stricter_rules(tmp_path / "rules")
    strict = runtime_for(data, rules_dir, database_url=url)
    with strict.db.session() as s:
        candidates = rp.select_applications(s, rp.Selection(program="CT"))
    predicted = {c.app_id for c in rp.dry_run(strict, candidates).changed}
    ct = {a: s for a, s in specs.items() if s.program == "CT"}
    assert predicted == expected_changes(ct, baseline) and predicted

    env = base_env(data) | {
        "DOCVERIFY_RULES_DIR": str(rules_dir),
        "DOCVERIFY_DATABASE_URL": url,
        "DOCVERIFY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "DOCVERIFY_REDIS_NAMESPACE": redis_namespace,
        "DOCVERIFY_QUEUE_NAME": redis_namespace,
    }
    workers = Workers(env, tmp_path)
    workers.start(processes=2)
    try:
        docverify = str(VENV_BIN / "docverify")
        run = [docverify, "reprocess", "--program", "CT", "--yes", "--batch", "8"]
        job_id = _kill_half_way(run, env, strict, len(ct) // 3, tmp_path / "run.log")
        resumed = subprocess.run(
            [docverify, "reprocess", "--resume", job_id],
            env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert resumed.returncode == 0, resumed.stderr[-2000:] + resumed.stdout[-2000:]
    finally:
        workers.stop_all()
    _check_end_state(strict, job_id, specs, len(ct), predicted)
    with strict.db.session() as s:
        assert s.scalar(select(ReprocessJobRow.mode).where(ReprocessJobRow.id == job_id)) == "queue"
