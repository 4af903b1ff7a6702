"""`docverify bench` through dramatiq workers: throughput and CPU with 1 and 2 processes.

For each worker count, a fresh temp data dir (SQLite database, file storage), its own
Redis namespace and queue on `--broker` (a Redis URL): the bundles are stored and queued
with `docverify submit` first, then `docverify worker --processes N --threads 1` runs until
every application is `done` or `failed` (polled in the database), and is stopped.
- throughput: documents / (last job finished - first job started), from the jobs table:
  worker start-up (imports, Tesseract init) is not counted;
- CPU seconds per document: the whole worker process tree's user+system time (reaped
  children of this process), start-up included. It tells a busy machine (wall grows, CPU
  per document does not) from a regression (both grow).
Only this run's Redis keys are deleted afterwards; the workers are stopped by their own
process group.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

TIMEOUT_SECONDS = 1800.0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _docverify() -> list[str]:
    return [sys.executable, "-m", "docverify.cli"]


def _env(data_dir: Path, broker: str, namespace: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCVERIFY_")}
    env.update(
        OMP_THREAD_LIMIT="1",
        PYTHONUNBUFFERED="1",
        DOCVERIFY_DATA_DIR=str(data_dir),
        DOCVERIFY_BROKER_URL=broker,
        DOCVERIFY_REDIS_NAMESPACE=namespace,
        DOCVERIFY_QUEUE_NAME=namespace,
        DOCVERIFY_LOG_LEVEL="WARNING",
    )
    return env


def _progress(db: Path) -> tuple[int, int, float | None]:
    """(applications finished, applications in all, seconds from first job start to last end)."""
    engine = create_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as conn:
            total = conn.execute(text("select count(*) from applications")).scalar() or 0
            ended = conn.execute(
                text("select count(*) from applications where status in ('done','failed')")
            ).scalar()
            span = conn.execute(
                text(
                    "select (julianday(max(finished_at)) - julianday(min(started_at))) * 86400 "
                    "from jobs"
                )
            ).scalar()
    finally:
        engine.dispose()
    return int(ended or 0), int(total), float(span) if span is not None else None


def _stop(proc: subprocess.Popen[bytes]) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(30)


def _delete_keys(broker: str, namespace: str) -> None:
    import redis

    client = redis.Redis.from_url(broker, socket_connect_timeout=3)
    keys = list(client.scan_iter(match=f"{namespace}*", count=500))
    if keys:
        client.delete(*keys)


def run_workers(
    bundles: list[Path], documents: int, processes: int, broker: str, scratch: Path
) -> dict[str, Any]:
    """Submit the bundles, then time `processes` worker processes draining the queue."""
    namespace = f"docverify-bench-{uuid.uuid4().hex[:10]}"
    data_dir = scratch / f"workers-{processes}"
    env = _env(data_dir, broker, namespace)
    submit = subprocess.run(
        [*_docverify(), "submit", *map(str, bundles)], env=env, capture_output=True, check=False
    )
    if submit.returncode != 0:
        return {"error": f"docverify submit exited {submit.returncode}"}
    log = (scratch / f"workers-{processes}.log").open("wb")
    cpu = _children_cpu()
    started = time.perf_counter()
    cmd = [*_docverify(), "worker", "--processes", str(processes), "--threads", "1"]
    proc = subprocess.Popen(
        cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        ended, total, span = 0, len(bundles), None
        while time.perf_counter() - started < TIMEOUT_SECONDS and proc.poll() is None:
            time.sleep(1.0)
            with contextlib.suppress(Exception):  # the database may not exist yet
                ended, total, span = _progress(data_dir / "docverify.sqlite3")
            if total and ended >= total:
                break
    finally:
        _stop(proc)
        log.close()
        with contextlib.suppress(Exception):
            _delete_keys(broker, namespace)
    cpu_spent = _children_cpu() - cpu
    if not span or ended < total:
        return {"error": f"{ended}/{total} applications finished", "processes": processes}
    return {
        "processes": processes,
        "applications": ended,
        "documents": documents,
        "busy_seconds": round(span, 3),
        "wall_seconds_with_startup": round(time.perf_counter() - started, 3),
        "documents_per_second": round(documents / span, 4),
        "applications_per_second": round(ended / span, 4),
        "cpu_seconds_per_document": round(cpu_spent / max(1, documents), 4),
        "load_average": [round(v, 2) for v in os.getloadavg()],
    }


def workers_report(
    bundles: list[Path],
    documents: int,
    broker: str,
    scratch: Path,
    in_process_apps_per_second: float | None,
    in_process_vs_raw: float | None,
) -> dict[str, Any]:
    """1 and 2 worker processes; `two_vs_one` and `two_vs_raw_tesseract` for the targets.

    `two_vs_raw_tesseract`: what 2 workers deliver against 2 raw Tesseract processes (twice
    the single raw rate), on the identity mix: the in-process ratio to raw Tesseract scaled
    by how much of twice the in-process rate the two workers reach.
    """
    out: dict[str, Any] = {"broker": broker.split("@")[-1]}
    runs = {n: run_workers(bundles, documents, n, broker, scratch) for n in (1, 2)}
    out["runs"] = {str(n): r for n, r in runs.items()}
    one, two = runs[1].get("applications_per_second"), runs[2].get("applications_per_second")
    out["documents_per_second"] = {
        str(n): r["documents_per_second"] for n, r in runs.items() if "documents_per_second" in r
    }
    if one and two:
        out["two_vs_one"] = round(two / one, 4)
        cpu1 = runs[1]["cpu_seconds_per_document"]
        cpu2 = runs[2]["cpu_seconds_per_document"]
        out["cpu_per_document_two_vs_one"] = round(cpu2 / cpu1, 4) if cpu1 else None
    if two and in_process_apps_per_second and in_process_vs_raw:
        out["two_vs_raw_tesseract"] = round(
            in_process_vs_raw * two / (2 * in_process_apps_per_second), 4
        )
    return out
