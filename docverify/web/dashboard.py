"""Supervisor dashboard figures: throughput, decisions by flag, overturn rates, queue age.

An overturn is a human decision that the machine's finding did not predict: a flag whose
default outcome is `resubmit` overturned when the reviewer did anything else; a `review`
flag overturned when the reviewer approved (the flag was a false alarm); a clean `pass`
overturned when the reviewer did not approve.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from docverify.web import charts, queries
from docverify.web.config import WebConfig
from models.db.pipeline_tables import ApplicationRow, VerdictRow
from models.db.review_tables import ReviewDecisionRow
from models.flags import Decision, FlagCode

AGE_BUCKETS: tuple[tuple[str, int, int], ...] = (
    ("0", 0, 0),
    ("1", 1, 1),
    ("2", 2, 2),
    ("3-5", 3, 5),
    ("6-10", 6, 10),
    ("11-20", 11, 20),
    (">20", 21, 10**6),
)


@dataclass(frozen=True)
class Dashboard:
    """The figures and their charts."""

    days: int
    decided: int
    submitted: int
    queue_size: int
    oldest_age: int
    overturn_rate: float | None
    throughput_chart: Markup
    submissions_chart: Markup
    by_flag_chart: Markup
    overturn_chart: Markup
    age_chart: Markup
    overturn_rows: list[tuple[str, float, int]]
    check_chart: Markup


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def overturned(flag: str | None, machine: str | None, human: str) -> bool:
    """Whether a human decision overturns one flag (or, with no flag, the machine decision)."""
    if flag is None:
        return (machine == "pass") != (human == "approve")
    try:
        default = FlagCode(flag).default_decision
    except ValueError:
        default = Decision.REVIEW
    if default is Decision.RESUBMIT:
        return human != "resubmit"
    return human == "approve"


def _per_day(stamps: list[dt.datetime], today: dt.date, days: int) -> list[tuple[str, float]]:
    counts = Counter(_aware(s).date() for s in stamps)
    start = today - dt.timedelta(days=days - 1)
    return [
        (
            (start + dt.timedelta(days=i)).strftime("%m-%d"),
            float(counts.get(start + dt.timedelta(days=i), 0)),
        )
        for i in range(days)
    ]


def _check_overturns(
    db: Session, decisions: list[ReviewDecisionRow]
) -> list[tuple[str, float, int]]:
    """Per check that failed in the verdict decided on: how often the reviewer approved anyway."""
    ids = {d.verdict_id for d in decisions if d.verdict_id is not None}
    verdicts = {
        v.id: v.verdict for v in db.scalars(select(VerdictRow).where(VerdictRow.id.in_(ids)))
    }
    seen: dict[str, list[bool]] = defaultdict(list)
    for d in decisions:
        verdict = verdicts.get(d.verdict_id) if d.verdict_id is not None else None
        failed = {
            c.get("name", "")
            for doc in (verdict or {}).get("documents", [])
            for c in doc.get("checks", [])
            if c.get("status") == "fail"
        }
        for name in failed:
            seen[name].append(d.decision == "approve")
    return sorted(
        ((k, sum(v) / len(v), len(v)) for k, v in seen.items()), key=lambda r: (-r[2], r[0])
    )


def build(db: Session, cfg: WebConfig, now: dt.datetime, days: int = 30) -> Dashboard:
    """Compute the dashboard for the last `days` days."""
    since = now - dt.timedelta(days=days)
    decisions = [d for d in db.scalars(select(ReviewDecisionRow)) if _aware(d.created_at) >= since]
    submitted = [a for a in db.scalars(select(ApplicationRow.created_at)) if _aware(a) >= since]
    by_flag: dict[str, Counter[str]] = defaultdict(Counter)
    overturn: dict[str, list[bool]] = defaultdict(list)
    for d in decisions:
        flags = list(d.machine_flags or [])
        for flag in flags or ["(no flag)"]:
            by_flag[flag][d.decision] += 1
            overturn[flag].append(
                overturned(None if flag == "(no flag)" else flag, d.machine_decision, d.decision)
            )
    overall = [
        overturned(None, d.machine_decision, d.decision)
        if not d.machine_flags
        else any(overturned(f, d.machine_decision, d.decision) for f in d.machine_flags)
        for d in decisions
    ]
    rows = sorted(
        ((k, sum(v) / len(v), len(v)) for k, v in overturn.items()), key=lambda r: (-r[2], r[0])
    )
    check_rows = _check_overturns(db, decisions)
    queue = queries.load_queue(db, cfg, now.date())
    ages = [i.age_days for i in queue]
    age_points = [(name, float(sum(lo <= a <= hi for a in ages))) for name, lo, hi in AGE_BUCKETS]
    flag_rows = sorted(by_flag.items(), key=lambda kv: -sum(kv[1].values()))
    return Dashboard(
        days=days,
        decided=len(decisions),
        submitted=len(submitted),
        queue_size=len(queue),
        oldest_age=max(ages, default=0),
        overturn_rate=sum(overall) / len(overall) if overall else None,
        throughput_chart=charts.column_chart(
            _per_day([d.created_at for d in decisions], now.date(), days), "Decisions per day"
        ),
        submissions_chart=charts.column_chart(
            _per_day(submitted, now.date(), days), "Submissions per day"
        ),
        by_flag_chart=charts.stacked_bars(
            [(k, dict(v)) for k, v in flag_rows],
            ("approve", "resubmit", "deny"),
            "Decisions by flag",
        ),
        overturn_chart=charts.rate_bars(rows, "Overturn rate by flag"),
        check_chart=charts.rate_bars(check_rows, "Approvals despite a failed check"),
        age_chart=charts.column_chart(age_points, "Queue age in business days", height=180),
        overturn_rows=rows,
    )
