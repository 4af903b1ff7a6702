"""The schema: migrations match the tables; verdict history keeps one current verdict."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

import models.db
from models.contract import Application, Verdict
from models.db.pipeline_tables import ApplicationRow, VerdictRow
from workers import records
from workers.db import Database, head_revision


def test_migration_creates_exactly_the_declared_tables(db: Database) -> None:
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn)
        assert ctx.get_current_revision() == head_revision()
        diff = compare_metadata(ctx, models.db.Base.metadata)
    assert diff == [], "regenerate: .venv/bin/python -m workers.migrations.regenerate"


def test_concurrent_first_use_migrates_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'race.sqlite3'}"
    errors: list[BaseException] = []

    def open_db() -> None:
        try:
            Database(url).migrate()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_db) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def _application(session, app_id: str = "a1") -> None:
    app = Application.model_validate(
        {
            "application_id": "EXT-1",
            "program": "CT",
            "kind": "new",
            "submitted_on": "2026-11-20",
            "profile": {
                "first_name": "A",
                "last_name": "B",
                "date_of_birth": "1980-01-01",
                "address": {"line1": "1 X St", "city": "Hartford", "state": "CT", "zip": "06106"},
            },
            "documents": [{"document_id": "d1", "role": "identity", "file": "x.pdf"}],
        }
    )
    records.create_application(session, app_id, app, [records.StoredFile("d1", "k", "h", 3)])


def _verdict(score: float = 0.5, version: str = "0.1.0") -> Verdict:
    return Verdict.model_validate(
        {
            "application_id": "EXT-1",
            "decision": "review",
            "score": score,
            "flags": [],
            "documents": [],
            "pipeline_version": version,
            "rule_pack": "CT@test",
        }
    )


def test_recording_the_same_verdict_twice_stores_it_once(db: Database) -> None:
    with db.session() as s:
        _application(s)
    for _ in range(2):
        with db.session() as s:
            records.record_verdict(s, "a1", _verdict(), "inputs-1")
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(VerdictRow)) == 1
        assert records.current_verdict(s, "a1") is not None


def test_a_new_verdict_becomes_current_and_history_keeps_all(db: Database) -> None:
    with db.session() as s:
        _application(s)
        records.record_verdict(s, "a1", _verdict(0.4), "inputs-1")
    with db.session() as s:
        records.record_verdict(s, "a1", _verdict(0.6, version="0.2.0"), "inputs-1")
    with db.session() as s:
        history = records.verdict_history(s, "a1")
        assert [v.pipeline_version for v in history] == ["0.2.0", "0.1.0"]
        assert [v.is_current for v in history] == [True, False]
        assert records.current_verdict(s, "a1").score == 0.6  # type: ignore[union-attr]
    # re-recording the older one makes it current again, without a new row
    with db.session() as s:
        records.record_verdict(s, "a1", _verdict(0.4), "inputs-1")
    with db.session() as s:
        assert len(records.verdict_history(s, "a1")) == 2
        assert records.current_verdict(s, "a1").pipeline_version == "0.1.0"  # type: ignore[union-attr]


def test_the_database_refuses_two_current_verdicts(db: Database) -> None:
    with db.session() as s:
        _application(s)
    row = dict(
        application_id="a1",
        verdict={},
        decision="pass",
        score=1.0,
        pipeline_version="x",
        rule_pack="r",
        is_current=True,
        created_at=dt.datetime.now(dt.UTC),
    )
    with pytest.raises(IntegrityError), db.session() as s:
        s.add(VerdictRow(input_hash="1", **row))
        s.add(VerdictRow(input_hash="2", **row))
        s.flush()


def test_status_counts_and_failed_listing(db: Database) -> None:
    with db.session() as s:
        _application(s, "a1")
        _application(s, "a2")
    with db.session() as s:
        records.set_status(s, "a2", "failed", "StorageUnavailable")
    with db.session() as s:
        assert records.status_counts(s) == {"queued": 1, "processing": 0, "done": 0, "failed": 1}
        failed = records.applications_in(s, "failed")
        assert [r.id for r in failed] == ["a2"]
        assert records.describe(failed[0])["error"] == "StorageUnavailable"
        assert s.get(ApplicationRow, "a2").attempts == 0  # type: ignore[union-attr]
