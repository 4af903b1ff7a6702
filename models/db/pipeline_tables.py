"""Tables of the processing pipeline: applications, documents, jobs, verdicts, fingerprints.

- `applications`: one row per submission (our id), with its manifest and queue status.
- `documents`: the files of a submission (storage key, content hash) and, once examined,
  the type and fingerprint found.
- `jobs`: one row per processing attempt of a submission (the pipeline's audit trail:
  message id, attempt, outcome, error class; never personal data).
- `verdicts`: every verdict ever produced, with pipeline version, rule pack and input hash;
  exactly one `is_current` per application (partial unique index), and a verdict is
  unique per (application, pipeline version, rule pack, input hash), which makes
  recording one idempotent.
- `fingerprints`: the prior-document index behind DUPLICATE_DOCUMENT, keyed by the
  manifest's application id, shared by `docverify verify` and the workers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.db.base import Base, JsonType, utcnow

APPLICATION_STATES = ("queued", "processing", "done", "failed")


class ApplicationRow(Base):
    """A submitted application bundle and where it is in the queue."""

    __tablename__ = "applications"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    external_id: Mapped[str] = mapped_column(String(128), index=True)
    """The manifest's `application_id`."""
    program: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(16))
    submitted_on: Mapped[dt.date] = mapped_column(Date)
    manifest: Mapped[dict[str, Any]] = mapped_column(JsonType)
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(200), default=None)
    """The class of the last error (never its message: it may quote a document)."""
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class DocumentRow(Base):
    """One file of a submitted application."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("application_id", "document_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    document_id: Mapped[str] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(16))
    side: Mapped[str] = mapped_column(String(8), default="front")
    file_name: Mapped[str] = mapped_column(String(512))
    storage_key: Mapped[str | None] = mapped_column(String(512), default=None)
    """None when the file was missing or refused at submission (FILE_UNREADABLE later)."""
    content_sha256: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    size: Mapped[int | None] = mapped_column(Integer, default=None)
    read_error: Mapped[str | None] = mapped_column(String(500), default=None)
    """Why the file could not be stored (missing, empty, too large): FILE_UNREADABLE later."""
    applicant_error: Mapped[str | None] = mapped_column(String(500), default=None)
    document_type: Mapped[str | None] = mapped_column(String(32), default=None)
    phash: Mapped[str | None] = mapped_column(String(16), default=None)
    document_number: Mapped[str | None] = mapped_column(String(64), default=None)
    holder: Mapped[str | None] = mapped_column(String(256), default=None)


class JobRow(Base):
    """One processing attempt of an application (idempotent per message and attempt)."""

    __tablename__ = "jobs"
    __table_args__ = (UniqueConstraint("application_id", "message_id", "attempt"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    message_id: Mapped[str] = mapped_column(String(64))
    attempt: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str] = mapped_column(String(16), default="started")
    """started, done, skipped (already done), retry, failed."""
    error: Mapped[str | None] = mapped_column(String(200), default=None)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class VerdictRow(Base):
    """A verdict, kept forever; one per application is current."""

    __tablename__ = "verdicts"
    __table_args__ = (
        UniqueConstraint("application_id", "pipeline_version", "rule_pack", "input_hash"),
        Index(
            "uq_verdicts_current",
            "application_id",
            unique=True,
            sqlite_where=text("is_current"),
            postgresql_where=text("is_current"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    verdict: Mapped[dict[str, Any]] = mapped_column(JsonType)
    """The contract verdict JSON."""
    decision: Mapped[str] = mapped_column(String(16))
    score: Mapped[float] = mapped_column(Float)
    pipeline_version: Mapped[str] = mapped_column(String(32))
    rule_pack: Mapped[str] = mapped_column(String(64))
    input_hash: Mapped[str] = mapped_column(String(64))
    """sha256 over the manifest and the files' hashes: what the verdict was computed from."""
    is_current: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FingerprintRow(Base):
    """A document seen before, for DUPLICATE_DOCUMENT across applications and runs."""

    __tablename__ = "fingerprints"
    __table_args__ = (UniqueConstraint("application_ref", "document_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_ref: Mapped[str] = mapped_column(String(128))
    """The manifest's `application_id` (documents of the same one never match each other)."""
    document_id: Mapped[str] = mapped_column(String(128))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    phash: Mapped[str | None] = mapped_column(String(16), default=None)
    document_number: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    holder: Mapped[str | None] = mapped_column(String(256), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
