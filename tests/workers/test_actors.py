"""The actor and its middleware on dramatiq's in-memory broker: retries, failures, metrics."""

from __future__ import annotations

import time
import urllib.request
from pathlib import Path

import pytest
from dramatiq import Worker
from dramatiq.brokers.stub import StubBroker
from queue_bundles import write_bundle

from workers import records, service
from workers.observability import Metrics
from workers.queue import declare, enqueue
from workers.runtime import Runtime
from workers.settings import Settings
from workers.storage import FolderStorage, StorageUnavailable


class FlakyStorage(FolderStorage):
    """Storage that is down for the first `failures` reads."""

    def __init__(self, root: Path, failures: int) -> None:
        super().__init__(root)
        self.failures = failures

    def get(self, key: str) -> bytes:
        if self.failures > 0:
            self.failures -= 1
            raise StorageUnavailable("down")
        return super().get(key)


@pytest.fixture
def runtime(tmp_path: Path) -> Runtime:
    settings = Settings(
        data_dir=tmp_path, min_backoff_seconds=0.01, max_backoff_seconds=0.05, max_retries=3
    )
    return Runtime(settings=settings, config=settings.pipeline_config())


def _run(runtime: Runtime, app_ids: list[str], metrics: Metrics | None = None) -> None:
    broker = StubBroker()
    broker.emit_after("process_boot")
    actor = declare(broker, runtime, metrics)
    for app_id in app_ids:
        enqueue(actor, app_id, 3, runtime.settings)
    worker = Worker(broker, worker_timeout=50)
    worker.start()
    try:
        broker.join(actor.queue_name, fail_fast=False, timeout=60_000)
        worker.join()
    finally:
        worker.stop()
        broker.close()


def _state(runtime: Runtime, app_id: str) -> tuple[str, str | None, bool]:
    with runtime.db.session() as s:
        row = records.get_application(s, app_id)
        assert row is not None
        return row.status, row.last_error, records.current_verdict(s, app_id) is not None


def test_transient_storage_fault_is_retried_then_succeeds(runtime: Runtime, tmp_path: Path) -> None:
    app_id = service.submit(write_bundle(tmp_path / "a", 10), runtime)
    runtime.__dict__["storage"] = FlakyStorage(tmp_path / "files", failures=2)
    metrics = Metrics()
    _run(runtime, [app_id], metrics)
    assert _state(runtime, app_id) == ("done", None, True)
    with runtime.db.session() as s:
        outcomes = [j.outcome for j in s.query(records.JobRow).order_by(records.JobRow.id)]
    assert outcomes == ["retry", "retry", "done"]
    assert metrics.failures.labels(error="StorageUnavailable", retried="true")._value.get() == 2
    assert metrics.documents._value.get() == 3


def test_exhausted_retries_leave_a_failed_application(runtime: Runtime, tmp_path: Path) -> None:
    app_id = service.submit(write_bundle(tmp_path / "a", 11), runtime)
    runtime.__dict__["storage"] = FlakyStorage(tmp_path / "files", failures=100)
    _run(runtime, [app_id])
    assert _state(runtime, app_id) == ("failed", "StorageUnavailable", False)
    with runtime.db.session() as s:
        assert [r.id for r in records.applications_in(s, "failed")] == [app_id]


def test_a_permanent_error_is_not_retried(runtime: Runtime) -> None:
    runtime.db.migrate()
    metrics = Metrics()
    _run(runtime, ["no-such-application"], metrics)  # LookupError: not a transient fault
    assert metrics.failures.labels(error="LookupError", retried="false")._value.get() == 1
    assert metrics.failures.labels(error="LookupError", retried="true")._value.get() == 0


def test_metrics_are_served_on_localhost_only_when_asked(runtime: Runtime) -> None:
    metrics = Metrics(queue_depth=lambda: {"queued": 2, "done": 5})
    metrics.documents.inc(3)
    port = metrics.serve("127.0.0.1", 19_000 + (id(metrics) % 5_000))
    assert port is not None
    body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    assert "docverify_documents_processed_total 3.0" in body
    assert 'docverify_applications{state="queued"} 2.0' in body
    assert runtime.settings.metrics_port is None  # off by default
    assert runtime.settings.metrics_host == "127.0.0.1"


def test_a_message_over_its_time_limit_is_stopped_and_failed(
    runtime: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app_id = service.submit(write_bundle(tmp_path / "a", 12), runtime)
    runtime.settings.document_time_limit_seconds = 0.2  # x 3 documents = 0.6 s

    def hang(*_args: object, **_kw: object) -> None:
        for _ in range(300):  # 30 s unless stopped
            time.sleep(0.1)

    monkeypatch.setattr(service, "process", hang)
    started = time.monotonic()
    _run(runtime, [app_id])
    assert time.monotonic() - started < 10
    assert _state(runtime, app_id) == ("failed", "TimeLimitExceeded", False)
