"""What the reviewer app reads and writes: the queue, an application's file, decisions, audit.

Every function takes an open SQLAlchemy `Session` (one transaction) and, where time
matters, `now`; nothing here knows about HTTP. A human decision lives in its own table
and records the machine verdict it was taken on: a later machine verdict never changes
it, it can only put the application back in the queue for a second look when it
disagrees with the human.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from docverify.web.config import WebConfig
from docverify.web.security import Principal
from models.db.pipeline_tables import ApplicationRow, DocumentRow, VerdictRow
from models.db.review_tables import (
    HUMAN_DECISIONS,
    AuditEventRow,
    ReviewClaimRow,
    ReviewDecisionRow,
    ReviewNoteRow,
    UserRow,
)


class ActionRefusedError(Exception):
    """A reviewer action that cannot be carried out (the message is shown to the reviewer)."""


# Which machine decisions a human decision agrees with.
_AGREES = {"approve": {"pass"}, "resubmit": {"resubmit"}, "deny": {"review", "resubmit"}}


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def business_days(start: dt.date, end: dt.date) -> int:
    """Weekdays after `start` up to and including `end` (0 on the same day)."""
    if end <= start:
        return 0
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for i in range(1, rest + 1):
        if (start + dt.timedelta(days=weeks * 7 + i)).weekday() < 5:
            count += 1
    return count


def qc_sampled(app_id: str, percent: int) -> bool:
    """Deterministic quality-control sample of passed applications (same id, same answer)."""
    bucket = int.from_bytes(hashlib.sha256(app_id.encode("utf-8")).digest()[:4], "big") % 100
    return bucket < percent


def flag_codes(verdict: dict[str, Any] | None) -> list[str]:
    """Distinct flag codes of a contract verdict, in order of appearance."""
    if not verdict:
        return []
    codes = [f.get("code", "") for f in verdict.get("flags", [])]
    for doc in verdict.get("documents", []):
        codes += [f.get("code", "") for f in doc.get("flags", [])]
    return list(dict.fromkeys(c for c in codes if c))


# --------------------------------------------------------------------------- queue


@dataclass(frozen=True)
class QueueItem:
    """One application in the reviewers' queue."""

    id: str
    external_id: str
    program: str
    kind: str
    decision: str
    """The machine's current decision (pass, review, resubmit)."""
    score: float
    flags: tuple[str, ...]
    created_at: dt.datetime
    age_days: int
    """Business days since submission."""
    urgency: float
    assignee: str | None
    second_look: bool
    qc: bool
    human_decision: str | None


@dataclass(frozen=True)
class QueueFilters:
    """Queue filters (None or "" means any)."""

    program: str | None = None
    kind: str | None = None
    decision: str | None = None
    """pass, review, resubmit, or `second_look`."""
    flag: str | None = None
    assignee: str | None = None
    """A username, `me` or `unassigned`."""
    min_age: int | None = None
    """At least this many business days old."""

    def as_params(self) -> dict[str, str]:
        """The non-empty filters as query parameters."""
        out = {k: str(v) for k, v in self.__dict__.items() if v not in (None, "")}
        return out


def _latest_decisions(db: Session) -> dict[str, ReviewDecisionRow]:
    latest: dict[str, ReviewDecisionRow] = {}
    for row in db.scalars(select(ReviewDecisionRow).order_by(ReviewDecisionRow.id)):
        latest[row.application_id] = row
    return latest


def needs_second_look(human: ReviewDecisionRow, current: VerdictRow) -> bool:
    """A newer machine verdict than the one decided on, which disagrees with the human."""
    if human.verdict_id == current.id:
        return False
    same = current.decision == human.machine_decision and sorted(
        flag_codes(current.verdict)
    ) == sorted(human.machine_flags or [])
    return not same and current.decision not in _AGREES.get(human.decision, set())


def load_queue(db: Session, cfg: WebConfig, today: dt.date) -> list[QueueItem]:
    """Every application that needs a human now, most urgent first."""
    humans = _latest_decisions(db)
    claims = {
        c.application_id: u
        for c, u in db.execute(
            select(ReviewClaimRow, UserRow.username).join(
                UserRow, UserRow.id == ReviewClaimRow.user_id
            )
        )
    }
    rows = db.execute(
        select(ApplicationRow, VerdictRow)
        .join(VerdictRow, VerdictRow.application_id == ApplicationRow.id)
        .where(VerdictRow.is_current.is_(True))
    )
    items = []
    for app, verdict in rows:
        item = _queue_item(app, verdict, humans.get(app.id), claims.get(app.id), cfg, today)
        if item is not None:
            items.append(item)
    items.sort(key=lambda i: (-i.urgency, i.created_at))
    return items


def _queue_item(
    app: ApplicationRow,
    verdict: VerdictRow,
    human: ReviewDecisionRow | None,
    assignee: str | None,
    cfg: WebConfig,
    today: dt.date,
) -> QueueItem | None:
    qc = verdict.decision == "pass" and qc_sampled(app.id, cfg.qc_sample_percent)
    second = human is not None and needs_second_look(human, verdict)
    if human is not None and not second:
        return None
    if human is None and verdict.decision == "pass" and not qc:
        return None
    age = business_days(_aware(app.created_at).date(), today)
    risk = 1.0 - float(verdict.score)
    floor = min(1.0, age / max(1, cfg.age_floor_business_days))
    urgency = max(risk, floor) + (1.0 if second else 0.0)
    return QueueItem(
        id=app.id,
        external_id=app.external_id,
        program=app.program,
        kind=app.kind,
        decision=verdict.decision,
        score=float(verdict.score),
        flags=tuple(flag_codes(verdict.verdict)),
        created_at=_aware(app.created_at),
        age_days=age,
        urgency=round(urgency, 4),
        assignee=assignee,
        second_look=second,
        qc=qc,
        human_decision=human.decision if human else None,
    )


def _matches(item: QueueItem, f: QueueFilters, me: str, skip: str | None = None) -> bool:
    checks = {
        "program": not f.program or item.program == f.program,
        "kind": not f.kind or item.kind == f.kind,
        "decision": not f.decision
        or (item.second_look if f.decision == "second_look" else item.decision == f.decision),
        "flag": not f.flag or f.flag in item.flags,
        "assignee": not f.assignee
        or (
            item.assignee is None
            if f.assignee == "unassigned"
            else item.assignee == (me if f.assignee == "me" else f.assignee)
        ),
        "min_age": f.min_age is None or item.age_days >= f.min_age,
    }
    return all(ok for name, ok in checks.items() if name != skip)


def filter_queue(items: list[QueueItem], f: QueueFilters, me: str) -> list[QueueItem]:
    """The items matching every filter."""
    return [i for i in items if _matches(i, f, me)]


def facet_counts(items: list[QueueItem], f: QueueFilters, me: str) -> dict[str, Counter[str]]:
    """For each filter, how many items each value would show (the other filters applied)."""
    out: dict[str, Counter[str]] = {
        k: Counter() for k in ("program", "kind", "decision", "flag", "assignee")
    }
    for item in items:
        if _matches(item, f, me, skip="program"):
            out["program"][item.program] += 1
        if _matches(item, f, me, skip="kind"):
            out["kind"][item.kind] += 1
        if _matches(item, f, me, skip="decision"):
            out["decision"][item.decision] += 1
            if item.second_look:
                out["decision"]["second_look"] += 1
        if _matches(item, f, me, skip="flag"):
            for code in item.flags:
                out["flag"][code] += 1
        if _matches(item, f, me, skip="assignee"):
            out["assignee"][item.assignee or "unassigned"] += 1
    return out


# --------------------------------------------------------------------------- one application


@dataclass
class ApplicationFile:
    """Everything the application page shows."""

    app: ApplicationRow
    documents: list[DocumentRow]
    current: VerdictRow | None
    history: list[VerdictRow]
    decisions: list[tuple[ReviewDecisionRow, str]]
    notes: list[tuple[ReviewNoteRow, str]]
    claim: tuple[ReviewClaimRow, str] | None
    audit: list[AuditEventRow]
    second_look: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def human(self) -> ReviewDecisionRow | None:
        """The current human decision (the newest)."""
        return self.decisions[0][0] if self.decisions else None


def application_file(db: Session, app_id: str) -> ApplicationFile | None:
    """The application with its documents, verdicts, decisions, notes, claim and audit log."""
    app = db.get(ApplicationRow, app_id)
    if app is None:
        return None
    docs = list(
        db.scalars(
            select(DocumentRow).where(DocumentRow.application_id == app_id).order_by(DocumentRow.id)
        )
    )
    history = list(
        db.scalars(
            select(VerdictRow)
            .where(VerdictRow.application_id == app_id)
            .order_by(VerdictRow.id.desc())
        )
    )
    current = next((v for v in history if v.is_current), None)
    decisions = list(
        db.execute(
            select(ReviewDecisionRow, UserRow.username)
            .join(UserRow, UserRow.id == ReviewDecisionRow.user_id)
            .where(ReviewDecisionRow.application_id == app_id)
            .order_by(ReviewDecisionRow.id.desc())
        )
    )
    notes = list(
        db.execute(
            select(ReviewNoteRow, UserRow.username)
            .join(UserRow, UserRow.id == ReviewNoteRow.user_id)
            .where(ReviewNoteRow.application_id == app_id)
            .order_by(ReviewNoteRow.id.desc())
        )
    )
    claim = db.execute(
        select(ReviewClaimRow, UserRow.username)
        .join(UserRow, UserRow.id == ReviewClaimRow.user_id)
        .where(ReviewClaimRow.application_id == app_id)
    ).first()
    audit = list(
        db.scalars(
            select(AuditEventRow)
            .where(AuditEventRow.application_id == app_id)
            .order_by(AuditEventRow.id.desc())
        )
    )
    out = ApplicationFile(app, docs, current, history, decisions, notes, claim, audit)
    if out.human is not None and current is not None:
        out.second_look = needs_second_look(out.human, current)
    return out


def document_row(db: Session, app_id: str, document_id: str) -> DocumentRow | None:
    """One document of an application."""
    return db.scalar(
        select(DocumentRow).where(
            DocumentRow.application_id == app_id, DocumentRow.document_id == document_id
        )
    )


# --------------------------------------------------------------------------- actions


def _audit(
    db: Session,
    who: Principal,
    action: str,
    app_id: str | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    now: dt.datetime,
) -> None:
    db.add(
        AuditEventRow(
            at=now,
            actor=who.username,
            action=action,
            application_id=app_id,
            before=before,
            after=after,
        )
    )


def _decision_summary(row: ReviewDecisionRow | None, current: VerdictRow | None) -> dict[str, Any]:
    out: dict[str, Any] = {"machine_decision": current.decision if current else None}
    if row is not None:
        out |= {"decision": row.decision, "reason": row.reason}
        if row.documents:
            out["documents"] = list(row.documents)
    return out


def record_decision(
    db: Session,
    who: Principal,
    app_id: str,
    decision: str,
    reason: str,
    now: dt.datetime,
    *,
    documents: list[str] | None = None,
    applicant_message: str | None = None,
) -> ReviewDecisionRow:
    """Record a reviewer's decision (required reason; resubmit names the documents)."""
    found = application_file(db, app_id)
    if found is None:
        raise ActionRefusedError("no such application")
    if decision not in HUMAN_DECISIONS:
        raise ActionRefusedError(f"decision must be one of {', '.join(HUMAN_DECISIONS)}")
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefusedError("a reason is required")
    docs = [d for d in (documents or []) if d]
    known = {d.document_id for d in found.documents}
    if decision == "resubmit":
        if not docs:
            raise ActionRefusedError("name at least one document to resubmit")
        if unknown := [d for d in docs if d not in known]:
            raise ActionRefusedError(f"unknown document {unknown[0]}")
    else:
        docs = []
    current = found.current
    row = ReviewDecisionRow(
        application_id=app_id,
        verdict_id=current.id if current else None,
        machine_decision=current.decision if current else None,
        machine_flags=flag_codes(current.verdict if current else None),
        decision=decision,
        reason=reason[:4000],
        applicant_message=(applicant_message or "").strip()[:4000] or None
        if decision != "approve"
        else None,
        documents=docs,
        user_id=who.user_id,
        created_at=now,
    )
    db.add(row)
    _audit(
        db,
        who,
        f"decision.{decision}",
        app_id,
        _decision_summary(found.human, current),
        _decision_summary(row, current),
        now,
    )
    if found.claim is not None:
        db.delete(found.claim[0])
    db.flush()
    return row


def add_note(db: Session, who: Principal, app_id: str, body: str, now: dt.datetime) -> None:
    """Add a reviewer's note."""
    body = (body or "").strip()
    if not body:
        raise ActionRefusedError("the note is empty")
    if db.get(ApplicationRow, app_id) is None:
        raise ActionRefusedError("no such application")
    db.add(
        ReviewNoteRow(application_id=app_id, user_id=who.user_id, body=body[:4000], created_at=now)
    )
    _audit(db, who, "note.add", app_id, None, {"note": body[:4000]}, now)


def claim(db: Session, who: Principal, app_id: str, now: dt.datetime) -> None:
    """Take an application (a supervisor may take it over from someone else)."""
    if db.get(ApplicationRow, app_id) is None:
        raise ActionRefusedError("no such application")
    row = db.get(ReviewClaimRow, app_id)
    if row is not None and row.user_id == who.user_id:
        return
    before = None
    if row is not None:
        holder = db.get(UserRow, row.user_id)
        if not who.is_supervisor:
            raise ActionRefusedError(
                f"already claimed by {holder.username if holder else 'someone'}"
            )
        before = {"assignee": holder.username if holder else None}
        db.delete(row)
        db.flush()
    db.add(ReviewClaimRow(application_id=app_id, user_id=who.user_id, claimed_at=now))
    _audit(db, who, "claim", app_id, before, {"assignee": who.username}, now)


def release(db: Session, who: Principal, app_id: str, now: dt.datetime) -> None:
    """Give an application back to the queue (its holder or a supervisor)."""
    row = db.get(ReviewClaimRow, app_id)
    if row is None:
        return
    holder = db.get(UserRow, row.user_id)
    if row.user_id != who.user_id and not who.is_supervisor:
        raise ActionRefusedError(
            "only the reviewer who claimed it, or a supervisor, can release it"
        )
    db.delete(row)
    _audit(db, who, "release", app_id, {"assignee": holder.username if holder else None}, None, now)


# --------------------------------------------------------------------------- API views


def verdict_summary(row: VerdictRow) -> dict[str, Any]:
    """A verdict row as the API shows it in a history."""
    return {
        "id": row.id,
        "decision": row.decision,
        "score": row.score,
        "pipeline_version": row.pipeline_version,
        "rule_pack": row.rule_pack,
        "current": row.is_current,
        "created_at": _aware(row.created_at).isoformat(),
    }


def decision_view(row: ReviewDecisionRow, username: str) -> dict[str, Any]:
    """A human decision as the API shows it."""
    return {
        "decision": row.decision,
        "reason": row.reason,
        "applicant_message": row.applicant_message,
        "documents": list(row.documents or []),
        "by": username,
        "machine_decision": row.machine_decision,
        "verdict_id": row.verdict_id,
        "at": _aware(row.created_at).isoformat(),
    }


def queue_item_view(item: QueueItem) -> dict[str, Any]:
    """A queue item as the API shows it."""
    return {
        "id": item.id,
        "application_id": item.external_id,
        "program": item.program,
        "kind": item.kind,
        "decision": item.decision,
        "score": item.score,
        "flags": list(item.flags),
        "age_business_days": item.age_days,
        "urgency": item.urgency,
        "assignee": item.assignee,
        "second_look": item.second_look,
        "quality_control": item.qc,
        "created_at": item.created_at.isoformat(),
    }
