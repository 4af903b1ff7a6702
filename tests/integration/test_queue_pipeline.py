"""End to end through real services: submit 20 bundles, run workers, compare with `verify`.

Redis + PostgreSQL + S3 (SeaweedFS): a worker is SIGKILLed while it holds messages, the
S3 server and then the database are cut off for a few seconds mid-run; every application
still ends with exactly one current verdict equal to what `docverify verify` gives, and
the captured logs hold no personal data. The same through RabbitMQ.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from integration_services import VENV_BIN, S3Server, TcpProxy, Workers, base_env
from queue_bundles import personal_strings, write_bundle
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import Engine

from models.db.pipeline_tables import ApplicationRow, DocumentRow, JobRow, VerdictRow

pytestmark = [pytest.mark.integration, pytest.mark.slow]

N = 20
SEEDS = range(100, 100 + N)


def _essentials(verdict: dict) -> tuple:
    """What must agree between `verify` and the workers: decisions, flag codes, fields."""
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
    return verdict["decision"], flags, docs


def _bundles(root: Path) -> list[Path]:
    return [write_bundle(root / f"b{seed}", seed) for seed in SEEDS]


def _verify(bundles: list[Path], data_dir: Path) -> dict[str, tuple]:
    proc = subprocess.run(
        [str(VENV_BIN / "docverify"), "verify", "--jobs", "2", *map(str, bundles)],
        env=base_env(data_dir),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    verdicts = [json.loads(line) for line in proc.stdout.splitlines()]
    return {v["application_id"]: _essentials(v) for v in verdicts}


def _submit(env: dict[str, str], bundles: list[Path]) -> tuple[list[str], str]:
    proc = subprocess.run(
        [str(VENV_BIN / "docverify"), "submit", *map(str, bundles)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    ids = proc.stdout.split()
    assert len(ids) == len(bundles)
    return ids, proc.stderr


def _wait(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _count(engine: Engine, query) -> int:
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def _current(engine: Engine) -> int:
    """Current verdicts so far; fails at once if an application gave up (a permanent error)."""
    with engine.connect() as conn:
        failed = conn.execute(
            select(ApplicationRow.id, ApplicationRow.last_error).where(
                ApplicationRow.status == "failed"
            )
        ).all()
    assert not failed, f"applications failed for good: {failed}"
    return _count(
        engine, select(func.count()).select_from(VerdictRow).where(VerdictRow.is_current.is_(True))
    )


def _started_jobs(engine: Engine) -> int:
    return _count(engine, select(func.count()).select_from(JobRow))


def _check_results(engine: Engine, ids: list[str], expected: dict[str, tuple]) -> None:
    with engine.connect() as conn:
        rows = conn.execute(select(VerdictRow.application_id, VerdictRow.verdict)).all()
        apps = dict(conn.execute(select(ApplicationRow.id, ApplicationRow.status)).all())
        documents = conn.execute(select(func.count()).select_from(DocumentRow)).scalar_one()
        current = conn.execute(
            select(func.count()).select_from(VerdictRow).where(VerdictRow.is_current.is_(True))
        ).scalar_one()
    assert current == N, f"{current} current verdicts, states {sorted(apps.values())}"
    assert len(rows) == N, f"{len(rows)} verdict rows for {N} applications"
    assert sorted(r.application_id for r in rows) == sorted(ids)
    assert documents == 3 * N
    assert set(apps.values()) == {"done"}
    wrong = {
        v["application_id"]: (_essentials(v), expected[v["application_id"]])
        for _, v in rows
        if _essentials(v) != expected[v["application_id"]]
    }
    assert not wrong, f"verdicts differ from verify's (got, expected): {wrong}"


def _assert_no_personal_data(*logs: str) -> None:
    text_ = "\n".join(logs)
    assert "application_processed" in text_ or "message_done" in text_  # the logs were captured
    for seed in SEEDS:
        for value in personal_strings(seed):
            assert value not in text_, f"personal data in logs: {value!r}"


def test_redis_postgres_s3_survive_a_killed_worker_and_outages(
    tmp_path: Path,
    bundle_set: tuple[list[Path], dict[str, tuple]],
    pg_proxy: tuple[TcpProxy, str],
    redis_namespace: str,
    s3_server: S3Server,
    workers_factory: list[Workers],
) -> None:
    proxy, db_url = pg_proxy
    bundles, expected = bundle_set

    env = base_env(tmp_path / "data")
    env.update(s3_server.env())
    env.update(
        DOCVERIFY_DATABASE_URL=db_url,
        DOCVERIFY_BROKER_URL="redis://127.0.0.1:6379/0",
        DOCVERIFY_REDIS_NAMESPACE=redis_namespace,
        DOCVERIFY_REDIS_HEARTBEAT_SECONDS="6",
        DOCVERIFY_MIN_BACKOFF_SECONDS="0.5",
        DOCVERIFY_MAX_BACKOFF_SECONDS="3",
        DOCVERIFY_MAX_RETRIES="20",
        DOCVERIFY_LOG_LEVEL="DEBUG",
    )
    ids, submit_log = _submit(env, bundles)
    engine = create_engine(db_url.replace(f":{proxy.port}/", ":5432/"))
    workers = Workers(env, tmp_path)
    workers_factory.append(workers)

    first = workers.start(processes=1, threads=2)
    _wait(lambda: _started_jobs(engine) > 0, 90, "the first worker to start a job")
    workers.kill(first)  # SIGKILL while it holds prefetched, unacknowledged messages
    workers.start()
    workers.start()

    s3_server.stop()  # storage down for a few seconds
    time.sleep(3)
    s3_server.start()
    proxy.cut()  # database unreachable for a few seconds
    time.sleep(3)
    proxy.restore()

    _wait(lambda: _current(engine) == N, 150, f"{N} current verdicts")
    time.sleep(1)  # let any redelivered duplicate finish: it must change nothing
    _check_results(engine, ids, expected)

    proc = subprocess.run(
        [str(VENV_BIN / "docverify"), "verdict", ids[0]], env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0
    assert (
        _essentials(json.loads(proc.stdout)) == expected[json.loads(proc.stdout)["application_id"]]
    )
    workers.stop_all()
    _assert_no_personal_data(submit_log, workers.log_text())
    engine.dispose()


def test_rabbitmq_postgres_with_a_killed_worker(
    tmp_path: Path,
    bundle_set: tuple[list[Path], dict[str, tuple]],
    pg_database: str,
    amqp_queue: str,
    workers_factory: list[Workers],
) -> None:
    db_url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{pg_database}"
    engine = create_engine(db_url)
    bundles, expected = bundle_set

    env = base_env(tmp_path / "data")
    env.update(
        DOCVERIFY_DATABASE_URL=db_url,
        DOCVERIFY_BROKER_URL="amqp://guest:guest@127.0.0.1:5672/%2F",
        DOCVERIFY_QUEUE_NAME=amqp_queue,
        DOCVERIFY_STORAGE_URL=(tmp_path / "files").as_uri(),
        DOCVERIFY_MIN_BACKOFF_SECONDS="0.5",
        DOCVERIFY_MAX_BACKOFF_SECONDS="3",
    )
    ids, submit_log = _submit(env, bundles)
    workers = Workers(env, tmp_path)
    workers_factory.append(workers)
    first = workers.start(processes=1, threads=2)
    _wait(lambda: _started_jobs(engine) > 0, 90, "the first worker to start a job")
    workers.kill(first)
    workers.start()
    workers.start()
    _wait(lambda: _current(engine) == N, 150, f"{N} current verdicts")
    time.sleep(1)
    _check_results(engine, ids, expected)
    workers.stop_all()
    _assert_no_personal_data(submit_log, workers.log_text())
    engine.dispose()
