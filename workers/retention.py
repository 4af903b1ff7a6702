"""Retention: delete the stored documents of decided applications after a set period.

An application is eligible when its latest reviewer decision is older than the cut-off.
Its documents' files are removed from storage (an object shared, by content hash, with a
document still retained is kept), the document rows lose their storage key, and one audit
event per application records what was deleted (document ids and content hashes only).
Verdicts, decisions and the audit trail stay. Safe to re-run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.db.pipeline_tables import DocumentRow
from models.db.review_tables import AuditEventRow, ReviewDecisionRow
from workers.runtime import Runtime

ACTOR = "system:retention"


@dataclass(frozen=True)
class RetentionResult:
    """What a retention run did (or, dry, would do)."""

    applications: tuple[str, ...]
    documents: int
    objects_deleted: int
    dry_run: bool


def eligible(session: Session, cutoff: dt.datetime) -> list[str]:
    """Applications whose latest reviewer decision is before `cutoff` and that still hold files."""
    latest = (
        select(ReviewDecisionRow.application_id, func.max(ReviewDecisionRow.created_at).label("at"))
        .group_by(ReviewDecisionRow.application_id)
        .subquery()
    )
    rows = session.execute(
        select(latest.c.application_id)
        .join(DocumentRow, DocumentRow.application_id == latest.c.application_id)
        .where(latest.c.at < cutoff, DocumentRow.storage_key.is_not(None))
        .distinct()
        .order_by(latest.c.application_id)
    )
    return [r[0] for r in rows]


def purge(
    runtime: Runtime, older_than_days: int, now: dt.datetime, dry_run: bool = False
) -> RetentionResult:
    """Delete the files of applications decided more than `older_than_days` before `now`."""
    cutoff = now - dt.timedelta(days=older_than_days)
    with runtime.db.session() as session:
        apps = eligible(session, cutoff)
    documents = deleted = 0
    for app_id in apps:
        if dry_run:
            with runtime.db.session() as session:
                documents += len(_documents(session, app_id))
            continue
        docs, objects = _purge_application(runtime, app_id, older_than_days)
        documents += docs
        deleted += objects
    return RetentionResult(tuple(apps), documents, deleted, dry_run)


def _documents(session: Session, app_id: str) -> list[DocumentRow]:
    query = select(DocumentRow).where(
        DocumentRow.application_id == app_id, DocumentRow.storage_key.is_not(None)
    )
    return list(session.scalars(query))


def _purge_application(runtime: Runtime, app_id: str, days: int) -> tuple[int, int]:
    """Clear one application's storage keys, delete unshared objects, audit; (docs, objects)."""
    with runtime.db.session() as session:
        docs = _documents(session, app_id)
        keys = {d.storage_key for d in docs if d.storage_key}
        removed = [{"document_id": d.document_id, "sha256": d.content_sha256} for d in docs]
        for doc in docs:
            doc.storage_key = None
        session.flush()
        still_used = set(
            session.scalars(
                select(DocumentRow.storage_key).where(DocumentRow.storage_key.in_(keys))
            )
        )
        orphaned = sorted(keys - still_used)
        session.add(
            AuditEventRow(
                actor=ACTOR,
                action="documents.deleted",
                application_id=app_id,
                before={"documents": removed},
                after={"retention_days": days, "objects_deleted": len(orphaned)},
            )
        )
    # Files go after the rows are committed: a crash in between leaves an orphan object
    # (harmless, removable), never a row pointing at a deleted file.
    for key in orphaned:
        runtime.storage.delete(key)
    return len(docs), len(orphaned)
