"""Retention deletes the files of decided applications only, and audits the deletion."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from queue_bundles import write_bundle
from sqlalchemy import select

from models.db.pipeline_tables import DocumentRow
from models.db.review_tables import AuditEventRow, ReviewDecisionRow, UserRow
from workers import service
from workers.retention import purge
from workers.runtime import Runtime
from workers.storage import StorageMissing

NOW = dt.datetime(2027, 6, 1, tzinfo=dt.UTC)


def _decide(runtime: Runtime, app_id: str, at: dt.datetime) -> None:
    with runtime.db.session() as session:
        user = session.scalar(select(UserRow).where(UserRow.username == "rev"))
        if user is None:
            user = UserRow(username="rev", password_hash="x", role="reviewer")
            session.add(user)
            session.flush()
        session.add(
            ReviewDecisionRow(
                application_id=app_id,
                decision="approve",
                reason="ok",
                user_id=user.id,
                created_at=at,
            )
        )


def _keys(runtime: Runtime, app_id: str) -> list[str | None]:
    with runtime.db.session() as session:
        rows = session.scalars(select(DocumentRow).where(DocumentRow.application_id == app_id))
        return [r.storage_key for r in rows]


def test_old_decided_files_go_recent_and_undecided_stay(tmp_path: Path) -> None:
    runtime = Runtime.from_environment()
    old, recent, undecided = (
        service.submit(write_bundle(tmp_path / name, seed), runtime)
        for name, seed in (("old", 1), ("recent", 2), ("undecided", 3))
    )
    old_keys = _keys(runtime, old)
    _decide(runtime, old, NOW - dt.timedelta(days=400))
    _decide(runtime, recent, NOW - dt.timedelta(days=10))

    preview = purge(runtime, 365, NOW, dry_run=True)
    assert preview.applications == (old,)
    assert all(runtime.storage.get(k) for k in old_keys if k)

    done = purge(runtime, 365, NOW)
    assert done.applications == (old,) and done.documents == len(old_keys)
    assert _keys(runtime, old) == [None] * len(old_keys)
    for key in old_keys:
        try:
            runtime.storage.get(key)  # type: ignore[arg-type]
        except StorageMissing:
            continue
        raise AssertionError("a retained object should have been deleted")
    assert None not in _keys(runtime, recent) and None not in _keys(runtime, undecided)

    with runtime.db.session() as session:
        events = list(
            session.scalars(select(AuditEventRow).where(AuditEventRow.application_id == old))
        )
    assert [e.action for e in events] == ["documents.deleted"]
    assert len(events[0].before["documents"]) == len(old_keys)
    assert purge(runtime, 365, NOW).applications == ()  # a second run finds nothing left
