"""Tables of bulk reprocessing (`docverify reprocess`): jobs and their per-application items.

- `reprocess_jobs`: one row per reprocessing run: the selectors it was started with, the
  pipeline version and rule packs it produces verdicts for, its status (queued, running,
  paused, cancelled, done), its pacing (rate, batch) and a lease (owner, heartbeat) so two
  processes never drive one job at once.
- `reprocess_items`: one row per (job, application): the done marker. It keeps the
  decision and flag codes before and after, whether the decision changed, and whether a
  human decision now disagrees with the machine (a second look is needed). Counts of a
  job's progress are computed from these rows.
No personal data: ids, decisions, flag codes and error class names only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.db.base import Base, JsonType, utcnow

JOB_STATES = ("queued", "running", "paused", "cancelled", "done")
ITEM_STATES = ("pending", "queued", "done", "failed")


class ReprocessJobRow(Base):
    """A bulk reprocessing run over a selection of stored applications."""

    __tablename__ = "reprocess_jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    selectors: Mapped[dict[str, Any]] = mapped_column(JsonType)
    """The selection as given on the command line (program, kind, dates, flag, ids...)."""
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    pipeline_version: Mapped[str] = mapped_column(String(32))
    rule_packs: Mapped[dict[str, str]] = mapped_column(JsonType)
    """Program -> rule pack id (`CT@2026.2`) the new verdicts must be computed with."""
    total: Mapped[int] = mapped_column(Integer, default=0)
    rate: Mapped[float | None] = mapped_column(Float, default=None)
    """Applications per second at most (None: as fast as the workers go)."""
    batch: Mapped[int] = mapped_column(Integer, default=50)
    mode: Mapped[str] = mapped_column(String(16), default="inline")
    """`inline` (processed by the command itself) or `queue` (sent to the workers)."""
    error: Mapped[str | None] = mapped_column(String(200), default=None)
    owner: Mapped[str | None] = mapped_column(String(32), default=None)
    """The process driving the job now (`host:pid:token`, host cut to 12), None when nobody."""
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    """Time spent running (summed over resumptions)."""


class ReprocessItemRow(Base):
    """One application of a job: its done marker and what reprocessing changed."""

    __tablename__ = "reprocess_items"
    __table_args__ = (Index("ix_reprocess_items_job_state", "job_id", "state"),)

    job_id: Mapped[str] = mapped_column(
        ForeignKey("reprocess_jobs.id", ondelete="CASCADE"), primary_key=True
    )
    application_id: Mapped[str] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    old_verdict_id: Mapped[int | None] = mapped_column(Integer, default=None)
    old_decision: Mapped[str | None] = mapped_column(String(16), default=None)
    old_flags: Mapped[list[str]] = mapped_column(JsonType, default=list)
    new_verdict_id: Mapped[int | None] = mapped_column(Integer, default=None)
    new_decision: Mapped[str | None] = mapped_column(String(16), default=None)
    new_flags: Mapped[list[str]] = mapped_column(JsonType, default=list)
    changed: Mapped[bool] = mapped_column(Boolean, default=False)
    second_look: Mapped[bool] = mapped_column(Boolean, default=False)
    """A human decision exists and the new machine verdict disagrees with it."""
    documents: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(200), default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    queued_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)
