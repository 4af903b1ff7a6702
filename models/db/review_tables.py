"""Tables of the reviewer web app (users, sessions, API tokens, decisions, notes, claims, audit).

Owned by the web-app engineer; built on `models.db.base.Base`.

- `users`: reviewers and supervisors; argon2 password hashes, lock-out counters.
- `web_sessions` and `api_tokens`: only the sha256 of each secret is stored.
- `review_decisions`: human decisions, append-only; the newest row of an application is
  its current human decision. A decision records the machine verdict it was taken on,
  so a later machine verdict never overwrites it (it can only ask for a second look).
- `review_notes`: free-text notes by reviewers.
- `review_claims`: who is working on an application now (one row per claimed application).
- `audit_events`: append-only log of every action (who, when, what, before, after).
  Updating or deleting a row through the ORM raises `AppendOnlyError`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, event
from sqlalchemy.orm import Mapped, Mapper, mapped_column

from models.db.base import Base, JsonType, utcnow

ROLES = ("reviewer", "supervisor")
HUMAN_DECISIONS = ("approve", "resubmit", "deny")


class AppendOnlyError(Exception):
    """An attempt to change or delete a row of an append-only table."""


class UserRow(Base):
    """A person who signs in to the reviewer app."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16), default="reviewer")
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WebSessionRow(Base):
    """A signed-in browser session (the cookie holds the secret, the row its hash)."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class ApiTokenRow(Base):
    """A bearer token for the intake system's API calls (only its hash is kept)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class ReviewDecisionRow(Base):
    """A reviewer's decision on an application (append-only; newest is current)."""

    __tablename__ = "review_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    verdict_id: Mapped[int | None] = mapped_column(ForeignKey("verdicts.id"), default=None)
    """The machine verdict current when the decision was taken."""
    machine_decision: Mapped[str | None] = mapped_column(String(16), default=None)
    machine_flags: Mapped[list[str]] = mapped_column(JsonType, default=list)
    """Flag codes of that verdict (what the reviewer confirmed or overturned)."""
    decision: Mapped[str] = mapped_column(String(16))
    """approve, resubmit or deny."""
    reason: Mapped[str] = mapped_column(Text)
    applicant_message: Mapped[str | None] = mapped_column(Text, default=None)
    documents: Mapped[list[str]] = mapped_column(JsonType, default=list)
    """For resubmit: the document ids the applicant must upload again."""
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReviewNoteRow(Base):
    """A reviewer's note on an application (append-only)."""

    __tablename__ = "review_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReviewClaimRow(Base):
    """Who is working on an application (claimed until released or decided)."""

    __tablename__ = "review_claims"

    application_id: Mapped[str] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    claimed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditEventRow(Base):
    """One action in the append-only audit log."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    """The username (or `system`) who acted."""
    action: Mapped[str] = mapped_column(String(48), index=True)
    application_id: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JsonType, default=None)
    after: Mapped[dict[str, Any] | None] = mapped_column(JsonType, default=None)


def _refuse_change(mapper: Mapper[Any], connection: Any, target: Any) -> None:
    raise AppendOnlyError(f"{type(target).__tablename__} is append-only")


for _table in (AuditEventRow, ReviewDecisionRow, ReviewNoteRow):
    event.listen(_table, "before_update", _refuse_change)
    event.listen(_table, "before_delete", _refuse_change)
