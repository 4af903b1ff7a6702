"""The broker goes away mid-run (as in a Redis restart): verdicts are delayed, none is lost.

Workers and `submit` reach Redis through a TCP proxy; the proxy is cut for a few seconds
while workers hold messages, then restored. Every application still ends with exactly
one current verdict, equal to what `docverify verify` gives.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from integration_services import TcpProxy, Workers, base_env
from sqlalchemy import create_engine
from test_queue_pipeline import N, _check_results, _current, _started_jobs, _submit, _wait

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_broker_outage_delays_but_loses_nothing(
    tmp_path: Path,
    bundle_set: tuple[list[Path], dict[str, tuple]],
    pg_database: str,
    redis_namespace: str,
    workers_factory: list[Workers],
) -> None:
    bundles, expected = bundle_set
    broker = TcpProxy(6379)
    db_url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{pg_database}"
    env = base_env(tmp_path / "data")
    env.update(
        DOCVERIFY_DATABASE_URL=db_url,
        DOCVERIFY_BROKER_URL=f"redis://127.0.0.1:{broker.port}/0",
        DOCVERIFY_REDIS_NAMESPACE=redis_namespace,
        DOCVERIFY_REDIS_HEARTBEAT_SECONDS="6",
        DOCVERIFY_STORAGE_URL=(tmp_path / "files").as_uri(),
        DOCVERIFY_MIN_BACKOFF_SECONDS="0.5",
        DOCVERIFY_MAX_BACKOFF_SECONDS="3",
        DOCVERIFY_MAX_RETRIES="20",
    )
    ids, _ = _submit(env, bundles)
    engine = create_engine(db_url)
    workers = Workers(env, tmp_path)
    workers_factory.append(workers)
    workers.start(processes=2, threads=1)
    try:
        _wait(lambda: _started_jobs(engine) > 0, 90, "a worker to start a job")
        broker.cut()  # the broker is gone: acks and fetches fail, connections drop
        time.sleep(4)
        broker.restore()
        _wait(lambda: _current(engine) == N, 180, f"{N} current verdicts after the outage")
        time.sleep(1)  # a redelivered message must change nothing
        _check_results(engine, ids, expected)
    finally:
        workers.stop_all()
        broker.close()
        engine.dispose()
