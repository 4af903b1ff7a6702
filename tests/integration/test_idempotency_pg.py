"""The same application processed by several workers at once on PostgreSQL: one verdict."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from queue_bundles import write_bundle
from sqlalchemy import func, select

from models.db.pipeline_tables import FingerprintRow, JobRow, VerdictRow
from workers import records, service
from workers.runtime import Runtime
from workers.settings import Settings

pytestmark = pytest.mark.integration


def test_concurrent_deliveries_record_one_current_verdict(tmp_path: Path, pg_database: str) -> None:
    settings = Settings(
        data_dir=tmp_path,
        database_url=f"postgresql+psycopg://postgres@127.0.0.1:5432/{pg_database}",
    )
    runtime = Runtime(settings=settings, config=settings.pipeline_config())
    app_id = service.submit(write_bundle(tmp_path / "a", 42), runtime)
    errors: list[BaseException] = []
    start = threading.Barrier(3)

    def deliver() -> None:
        start.wait()
        try:
            service.process(app_id, runtime, message_id="same-message", attempt=0)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=deliver) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    with runtime.db.session() as s:
        assert s.scalar(select(func.count()).select_from(VerdictRow)) == 1
        assert records.current_verdict(s, app_id) is not None
        assert s.scalar(select(func.count()).select_from(JobRow)) == 1
        assert s.scalar(select(func.count()).select_from(FingerprintRow)) >= 1
        assert records.get_application(s, app_id).status == "done"  # type: ignore[union-attr]
    runtime.db.dispose()
