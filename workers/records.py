"""Reading and writing the pipeline's tables (applications, documents, jobs, verdicts).

Every function takes an open `Session` (one transaction, from `Database.session()`), so
callers group writes atomically. `record_verdict` is the one way a verdict is stored:
it keeps every verdict, marks the new one current in the same transaction, and is
idempotent per (application, pipeline version, rule pack, input hash).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models.contract import Application, Verdict
from models.db.base import utcnow
from models.db.pipeline_tables import (
    APPLICATION_STATES,
    ApplicationRow,
    DocumentRow,
    JobRow,
    VerdictRow,
)
from models.internal import DocumentState


@dataclass(frozen=True)
class StoredFile:
    """A document's file as stored at submission (or why it could not be)."""

    document_id: str
    storage_key: str | None
    sha256: str | None
    size: int | None
    read_error: str | None = None
    """The FILE_UNREADABLE reason found at submission (missing, empty, too large)."""
    applicant_error: str | None = None


def new_application_id() -> str:
    """A fresh, unguessable submission id."""
    return uuid.uuid4().hex


def input_hash(manifest: dict[str, Any], files: Iterable[StoredFile]) -> str:
    """What a verdict was computed from: the manifest and each file's content hash."""
    digest = hashlib.sha256(json.dumps(manifest, sort_keys=True, default=str).encode())
    for f in sorted(files, key=lambda f: f.document_id):
        digest.update(f"\0{f.document_id}\0{f.sha256 or f.read_error or ''}".encode())
    return digest.hexdigest()


def create_application(
    session: Session, app_id: str, application: Application, files: Sequence[StoredFile]
) -> ApplicationRow:
    """Insert a queued application and its documents."""
    by_id = {f.document_id: f for f in files}
    row = ApplicationRow(
        id=app_id,
        external_id=application.application_id,
        program=application.program,
        kind=application.kind,
        submitted_on=application.submitted_on,
        manifest=application.model_dump(mode="json"),
        status="queued",
        attempts=0,
    )
    session.add(row)
    session.flush()
    for ref in application.documents:
        stored = by_id.get(ref.document_id)
        session.add(
            DocumentRow(
                application_id=app_id,
                document_id=ref.document_id,
                role=ref.role.value,
                side=ref.side,
                file_name=ref.file,
                storage_key=stored.storage_key if stored else None,
                content_sha256=stored.sha256 if stored else None,
                size=stored.size if stored else None,
                read_error=stored.read_error if stored else "file was not stored",
                applicant_error=stored.applicant_error if stored else None,
            )
        )
    return row


def stored_files(session: Session, app_id: str) -> list[StoredFile]:
    """The files of an application as stored at submission."""
    rows = session.scalars(select(DocumentRow).where(DocumentRow.application_id == app_id))
    return [
        StoredFile(
            r.document_id, r.storage_key, r.content_sha256, r.size, r.read_error, r.applicant_error
        )
        for r in rows
    ]


def file_names(session: Session, app_id: str) -> dict[str, StoredFile]:
    """The stored file behind each manifest file name."""
    rows = session.scalars(select(DocumentRow).where(DocumentRow.application_id == app_id))
    return {
        r.file_name: StoredFile(
            r.document_id, r.storage_key, r.content_sha256, r.size, r.read_error, r.applicant_error
        )
        for r in rows
    }


def get_application(session: Session, app_id: str) -> ApplicationRow | None:
    """The application with this submission id."""
    return session.get(ApplicationRow, app_id)


def set_status(session: Session, app_id: str, status: str, error: str | None = None) -> None:
    """Move an application to another queue state (error: a class name, never a message)."""
    assert status in APPLICATION_STATES
    values: dict[str, Any] = {"status": status, "updated_at": utcnow()}
    if status == "processing":
        values["attempts"] = ApplicationRow.attempts + 1
    if status in ("failed", "done", "queued"):
        values["last_error"] = error
    session.execute(update(ApplicationRow).where(ApplicationRow.id == app_id).values(**values))


def start_job(session: Session, app_id: str, message_id: str, attempt: int) -> None:
    """Record the start of a processing attempt (a redelivered attempt reuses its row)."""
    existing = session.scalar(
        select(JobRow).where(
            JobRow.application_id == app_id,
            JobRow.message_id == message_id,
            JobRow.attempt == attempt,
        )
    )
    if existing is None:
        try:
            with session.begin_nested():
                session.add(JobRow(application_id=app_id, message_id=message_id, attempt=attempt))
        except IntegrityError:  # the same delivery started concurrently elsewhere
            pass
    else:
        existing.outcome, existing.started_at, existing.finished_at = "started", utcnow(), None


def finish_job(
    session: Session,
    app_id: str,
    message_id: str,
    attempt: int,
    outcome: str,
    error: str | None = None,
) -> None:
    """Record how a processing attempt ended."""
    session.execute(
        update(JobRow)
        .where(
            JobRow.application_id == app_id,
            JobRow.message_id == message_id,
            JobRow.attempt == attempt,
        )
        .values(outcome=outcome, error=error, finished_at=utcnow())
    )


def record_verdict(session: Session, app_id: str, verdict: Verdict, inputs: str) -> VerdictRow:
    """Store a verdict and make it the current one, idempotently (one transaction).

    The same (application, pipeline version, rule pack, input hash) stored twice gives
    the row stored first, made current again. Safe under concurrent deliveries: the row
    is inserted as not current (a unique key settles who inserts), then the current mark
    moves to it.
    """
    rule_pack = verdict.rule_pack or ""
    key = (
        VerdictRow.application_id == app_id,
        VerdictRow.pipeline_version == verdict.pipeline_version,
        VerdictRow.rule_pack == rule_pack,
        VerdictRow.input_hash == inputs,
    )
    row = session.scalar(select(VerdictRow).where(*key))
    if row is None:
        row = VerdictRow(
            application_id=app_id,
            verdict=json.loads(verdict.to_json()),
            decision=verdict.decision.value,
            score=verdict.score,
            pipeline_version=verdict.pipeline_version,
            rule_pack=rule_pack,
            input_hash=inputs,
            is_current=False,
            created_at=utcnow(),
        )
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:  # another worker stored the same verdict a moment ago
            row = session.scalar(select(VerdictRow).where(*key))
            if row is None:
                raise
    session.execute(
        update(VerdictRow)
        .where(
            VerdictRow.application_id == app_id,
            VerdictRow.is_current.is_(True),
            VerdictRow.id != row.id,
        )
        .values(is_current=False)
    )
    session.flush()
    session.execute(update(VerdictRow).where(VerdictRow.id == row.id).values(is_current=True))
    session.refresh(row)
    return row


def current_verdict(session: Session, app_id: str) -> VerdictRow | None:
    """The application's current verdict, if any."""
    return session.scalar(
        select(VerdictRow).where(
            VerdictRow.application_id == app_id, VerdictRow.is_current.is_(True)
        )
    )


def verdict_history(session: Session, app_id: str) -> list[VerdictRow]:
    """Every verdict of the application, newest first."""
    return list(
        session.scalars(
            select(VerdictRow)
            .where(VerdictRow.application_id == app_id)
            .order_by(VerdictRow.created_at.desc(), VerdictRow.id.desc())
        )
    )


def record_documents(session: Session, app_id: str, documents: Sequence[DocumentState]) -> None:
    """Keep what examination found about each document: its type and fingerprint."""
    for doc in documents:
        fp = doc.fingerprint
        session.execute(
            update(DocumentRow)
            .where(DocumentRow.application_id == app_id, DocumentRow.document_id == doc.document_id)
            .values(
                document_type=doc.document_type.value,
                phash=fp.phash if fp else None,
                document_number=fp.document_number if fp else None,
                holder=fp.holder if fp else None,
            )
        )


def status_counts(session: Session) -> dict[str, int]:
    """How many applications are in each queue state."""
    counts = dict.fromkeys(APPLICATION_STATES, 0)
    rows = session.execute(
        select(ApplicationRow.status, func.count()).group_by(ApplicationRow.status)
    )
    for status, n in rows:
        counts[status] = n
    return counts


def applications_in(session: Session, status: str) -> list[ApplicationRow]:
    """Applications in one queue state, oldest first."""
    return list(
        session.scalars(
            select(ApplicationRow)
            .where(ApplicationRow.status == status)
            .order_by(ApplicationRow.created_at)
        )
    )


def describe(row: ApplicationRow, *, with_time: bool = True) -> dict[str, Any]:
    """An application's queue state as JSON-ready data (ids only, no personal data)."""
    out: dict[str, Any] = {
        "id": row.id,
        "application_id": row.external_id,
        "program": row.program,
        "status": row.status,
        "attempts": row.attempts,
        "error": row.last_error,
    }
    if with_time:
        out["created_at"] = _iso(row.created_at)
        out["updated_at"] = _iso(row.updated_at)
    return out


def _iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).isoformat()
