"""Bulk reprocessing of stored applications: select, preview (dry run), run, pause, resume.

- `Selection` + `select_applications(session, selection)`: which stored applications a
  run covers (all given selectors must hold; `--all` selects everything).
- `dry_run(runtime, candidates, ...)`: computes the verdicts the current pipeline and
  rule packs would give, WITHOUT saving anything, and returns a `DiffReport` (decision
  transition matrix, flags appearing / disappearing per code, the changed applications).
- `create_job` + `run_job`: a real run, recorded in `reprocess_jobs` with one done marker
  per application in `reprocess_items`. Work is done in this process (one or several
  child processes) or sent to the dramatiq workers when a broker is configured; batches,
  a rate limit, and the job's status (checked between batches) give pause and cancel.
  `run_job` on a paused job, or on a running job whose driver died (a killed process, a
  restarted machine), continues with the applications not yet done.
- Never two current verdicts: every verdict goes through `records.record_verdict`
  (idempotent per application, pipeline version, rule pack and input hash; one current
  verdict per application, enforced by a unique index), and an application already
  holding the target verdict is marked done without being examined again.
- Human decisions are never touched; an item records `second_look` when the new machine
  verdict disagrees with the application's latest human decision (the reviewer app's
  queue computes the same from the verdict the human decided on).
- `list_jobs(session)` / `job_progress(session, job_id)`: progress for the web app.
Logs and errors carry ids and class names only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import socket
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from typing import Any

import structlog
from sqlalchemy import Integer, and_, func, insert, select
from sqlalchemy.orm import Session

from models.contract import Application
from models.db.base import utcnow
from models.db.pipeline_tables import ApplicationRow, DocumentRow, VerdictRow
from models.db.reprocess_tables import ReprocessItemRow, ReprocessJobRow
from models.db.review_tables import ReviewDecisionRow
from pipeline.bundle import Bundle
from pipeline.version import PIPELINE_VERSION
from workers import records, service
from workers.runtime import Runtime
from workers.settings import Settings

log = structlog.get_logger(__name__)

CONFIRM_ABOVE = 100
"""A real run over more applications than this needs a confirmation."""
LEASE_SECONDS = 60.0
"""A running job whose driver has not reported for this long may be taken over."""
HUMAN_AGREES = {"approve": {"pass"}, "resubmit": {"resubmit"}, "deny": {"review", "resubmit"}}
"""Machine decisions that agree with each human decision (as the reviewer app judges)."""


class ReprocessError(Exception):
    """A reprocessing request that cannot be carried out (the message says why)."""


# ------------------------------------------------------------------------------ selection


@dataclass(frozen=True)
class Selection:
    """Which stored applications a run covers; every selector given must hold."""

    program: str | None = None
    kind: str | None = None
    submitted_from: dt.date | None = None
    submitted_to: dt.date | None = None
    decision: str | None = None
    """The current machine decision."""
    flag: str | None = None
    """A flag code of the current verdict."""
    pipeline_older_than: str | None = None
    rules_older_than: str | None = None
    """Rule pack version (`2026.2`): the current verdict was made with an older pack."""
    ids: tuple[str, ...] = ()
    """Our application ids or the manifests' `application_id`s."""
    all: bool = False

    def is_empty(self) -> bool:
        """True when no selector was given (a run must name what it covers)."""
        return not self.all and self == Selection()

    def to_json(self) -> dict[str, Any]:
        """JSON-ready selectors (only those given)."""
        out = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in asdict(self).items()}
        out["ids"] = list(self.ids)
        return {k: v for k, v in out.items() if v not in (None, False, [])}


@dataclass(frozen=True)
class Candidate:
    """A selected application and its current verdict (if any)."""

    app_id: str
    external_id: str
    program: str
    verdict_id: int | None
    decision: str | None
    flags: tuple[str, ...]
    pipeline_version: str | None
    rule_pack: str | None


def version_key(version: str) -> tuple[tuple[int, int, str], ...]:
    """A sortable key for versions like `0.1.0` or `2026.1` (numbers compare as numbers)."""
    parts = [p for p in re.split(r"[.\-+_]", version.strip()) if p]
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


def is_older(version: str | None, than: str) -> bool:
    """True when `version` is older than `than` (no version at all counts as older)."""
    return version is None or version_key(version) < version_key(than)


def pack_version(rule_pack: str | None) -> str | None:
    """The version part of a rule pack id (`CT@2026.1` -> `2026.1`)."""
    if not rule_pack:
        return None
    return rule_pack.split("@", 1)[1] if "@" in rule_pack else rule_pack


def flag_keys(verdict: dict[str, Any] | None) -> tuple[str, ...]:
    """The verdict's flags as sorted `CODE@document_id` keys (`CODE` when not per document)."""
    if not verdict:
        return ()
    flags = list(verdict.get("flags", []))
    for doc in verdict.get("documents", []):
        flags += [
            {**f, "document_id": f.get("document_id") or doc.get("document_id")}
            for f in doc.get("flags", [])
        ]
    keys = {
        f"{f['code']}@{f['document_id']}" if f.get("document_id") else f["code"]
        for f in flags
        if f.get("code")
    }
    return tuple(sorted(keys))


def flag_code(key: str) -> str:
    """The code of a flag key."""
    return key.split("@", 1)[0]


def select_applications(session: Session, selection: Selection) -> list[Candidate]:
    """The applications the selection covers, oldest submission first."""
    if selection.is_empty():
        raise ReprocessError("no selector given: name what to reprocess, or pass --all")
    query = select(ApplicationRow, VerdictRow).outerjoin(
        VerdictRow,
        and_(VerdictRow.application_id == ApplicationRow.id, VerdictRow.is_current.is_(True)),
    )
    for condition in _sql_conditions(selection):
        query = query.where(condition)
    query = query.order_by(
        ApplicationRow.submitted_on, ApplicationRow.created_at, ApplicationRow.id
    )
    out = []
    for app, verdict in session.execute(query):
        candidate = _candidate(app, verdict)
        if _matches(candidate, selection):
            out.append(candidate)
    return out


def _sql_conditions(selection: Selection) -> list[Any]:
    conditions: list[Any] = []
    if selection.program:
        conditions.append(ApplicationRow.program == selection.program.upper())
    if selection.kind:
        conditions.append(ApplicationRow.kind == selection.kind)
    if selection.submitted_from:
        conditions.append(ApplicationRow.submitted_on >= selection.submitted_from)
    if selection.submitted_to:
        conditions.append(ApplicationRow.submitted_on <= selection.submitted_to)
    if selection.decision:
        conditions.append(VerdictRow.decision == selection.decision)
    if selection.ids:
        ids = list(selection.ids)
        conditions.append(ApplicationRow.id.in_(ids) | ApplicationRow.external_id.in_(ids))
    return conditions


def _candidate(app: ApplicationRow, verdict: VerdictRow | None) -> Candidate:
    return Candidate(
        app_id=app.id,
        external_id=app.external_id,
        program=app.program,
        verdict_id=verdict.id if verdict else None,
        decision=verdict.decision if verdict else None,
        flags=flag_keys(verdict.verdict) if verdict else (),
        pipeline_version=verdict.pipeline_version if verdict else None,
        rule_pack=verdict.rule_pack if verdict else None,
    )


def _matches(candidate: Candidate, selection: Selection) -> bool:
    if selection.flag and selection.flag.upper() not in {flag_code(k) for k in candidate.flags}:
        return False
    if selection.pipeline_older_than and not is_older(
        candidate.pipeline_version, selection.pipeline_older_than
    ):
        return False
    return not (
        selection.rules_older_than
        and not is_older(pack_version(candidate.rule_pack), selection.rules_older_than)
    )


# ------------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class Target:
    """What new verdicts are computed with: the pipeline version and each program's pack."""

    pipeline_version: str
    rule_packs: dict[str, str]

    @classmethod
    def of(cls, runtime: Runtime) -> Target:
        return cls(PIPELINE_VERSION, {p: pack.pack_id for p, pack in runtime.packs.items()})


def _wanted(session: Session, app: ApplicationRow, target: Target) -> tuple[str, str, str]:
    names = records.file_names(session, app.id)
    inputs = records.input_hash(app.manifest, names.values())
    return inputs, target.pipeline_version, target.rule_packs.get(app.program, "")


def _key(verdict: VerdictRow | None) -> tuple[str, str, str] | None:
    return (verdict.input_hash, verdict.pipeline_version, verdict.rule_pack) if verdict else None


# ------------------------------------------------------------------------------- dry run


@dataclass(frozen=True)
class Change:
    """One application before and after (a dry run's line)."""

    app_id: str
    application_id: str
    program: str
    old_decision: str | None
    new_decision: str | None
    old_flags: tuple[str, ...]
    new_flags: tuple[str, ...]
    documents: int = 0
    error: str | None = None

    @property
    def changed(self) -> bool:
        return self.error is None and self.old_decision != self.new_decision

    @property
    def appeared(self) -> list[str]:
        return sorted(set(self.new_flags) - set(self.old_flags)) if self.error is None else []

    @property
    def disappeared(self) -> list[str]:
        return sorted(set(self.old_flags) - set(self.new_flags)) if self.error is None else []


@dataclass
class DiffReport:
    """What a run would change: transitions, flags appearing and disappearing, changed ids."""

    changes: list[Change] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def transitions(self) -> dict[tuple[str, str], int]:
        """(old decision, new decision) -> applications (`none`: no verdict yet)."""
        counts = Counter(
            (c.old_decision or "none", c.new_decision or "none")
            for c in self.changes
            if c.error is None
        )
        return dict(sorted(counts.items()))

    @property
    def flags_appeared(self) -> dict[str, int]:
        return dict(sorted(Counter(flag_code(k) for c in self.changes for k in c.appeared).items()))

    @property
    def flags_disappeared(self) -> dict[str, int]:
        return dict(
            sorted(Counter(flag_code(k) for c in self.changes for k in c.disappeared).items())
        )

    @property
    def changed(self) -> list[Change]:
        return [c for c in self.changes if c.changed]

    @property
    def failed(self) -> list[Change]:
        return [c for c in self.changes if c.error is not None]

    def to_json(self) -> dict[str, Any]:
        """JSON-ready report (ids, decisions and flag codes only)."""
        return {
            "examined": len(self.changes),
            "changed": len(self.changed),
            "failed": [{"id": c.app_id, "error": c.error} for c in self.failed],
            "seconds": round(self.seconds, 3),
            "transitions": [
                {"from": a, "to": b, "count": n} for (a, b), n in self.transitions.items()
            ],
            "flags_appeared": self.flags_appeared,
            "flags_disappeared": self.flags_disappeared,
            "changed_applications": [_change_json(c) for c in self.changed],
        }


def _change_json(c: Change) -> dict[str, Any]:
    return {
        "id": c.app_id,
        "application_id": c.application_id,
        "program": c.program,
        "from": c.old_decision,
        "to": c.new_decision,
        "flags_appeared": c.appeared,
        "flags_disappeared": c.disappeared,
    }


def preview_one(runtime: Runtime, app_id: str, target: Target) -> Change:
    """The verdict the current pipeline would give one application (nothing is saved)."""
    with runtime.db.session() as session:
        app = session.get(ApplicationRow, app_id)
        if app is None:
            raise ReprocessError(f"no application {app_id}")
        current = records.current_verdict(session, app_id)
        names = records.file_names(session, app_id)
        wanted = _wanted(session, app, target)
        manifest, program, external = app.manifest, app.program, app.external_id
    old_decision = current.decision if current else None
    old_flags = flag_keys(current.verdict) if current else ()
    base = Change(
        app_id, external, program, old_decision, old_decision, old_flags, old_flags, len(names)
    )
    if _key(current) == wanted:
        return base
    try:
        bundle = Bundle(
            Application.model_validate(manifest), service.StoredSource(runtime.storage, names)
        )
        verdict = runtime.examine(bundle).verdict
    except Exception as exc:  # reported per application, the preview goes on
        log.warning("preview_failed", app=app_id, error=type(exc).__name__)
        return Change(**{**asdict(base), "new_decision": None, "error": type(exc).__name__})
    new = verdict.model_dump(mode="json")
    return Change(**{**asdict(base), "new_decision": new["decision"], "new_flags": flag_keys(new)})


def dry_run(
    runtime: Runtime,
    candidates: Sequence[Candidate],
    *,
    processes: int = 1,
    on_result: Callable[[Change], None] | None = None,
) -> DiffReport:
    """Preview every candidate with the current pipeline and rule packs; nothing is saved."""
    target = Target.of(runtime)
    started = time.perf_counter()
    report = DiffReport()
    with _executor(runtime, processes) as run:
        for change in run(_preview_task, [(c.app_id, target) for c in candidates]):
            report.changes.append(change)
            if on_result:
                on_result(change)
    report.changes.sort(key=lambda c: c.app_id)
    report.seconds = time.perf_counter() - started
    return report


# ---------------------------------------------------------------------------- executors

_CHILD: Runtime | None = None
Task = Callable[[Runtime, Any], Any]


def _init_child(settings: dict[str, Any]) -> None:
    global _CHILD
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    built = Settings(**settings)
    _CHILD = Runtime(settings=built, config=built.pipeline_config())


def _in_child(task: Task, args: Any) -> Any:
    assert _CHILD is not None, "child runtime not initialised"
    return task(_CHILD, args)


def _preview_task(runtime: Runtime, args: tuple[str, Target]) -> Change:
    return preview_one(runtime, *args)


@contextlib.contextmanager
def _executor(
    runtime: Runtime, processes: int
) -> Iterator[Callable[[Task, Iterable[Any]], Iterator[Any]]]:
    """Run tasks here (one process) or in child processes; results as they complete."""
    if processes <= 1:
        yield lambda task, items: (task(runtime, item) for item in items)
        return
    import multiprocessing

    # fork: children start in milliseconds (spawn re-imports the pipeline: seconds each);
    # each child builds its own runtime (own database connections) in `_init_child`.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    pool = ProcessPoolExecutor(
        max_workers=processes,
        mp_context=multiprocessing.get_context(method),
        initializer=_init_child,
        initargs=(runtime.settings.model_dump(),),
    )

    def run(task: Task, items: Iterable[Any]) -> Iterator[Any]:
        pending: set[Future[Any]] = set()
        feed = iter(items)
        for item in feed:
            pending.add(pool.submit(_in_child, task, item))
            if len(pending) >= processes * 2:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from (f.result() for f in done)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            yield from (f.result() for f in done)

    try:
        yield run
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# ---------------------------------------------------------------------------- rate limit


class RateLimiter:
    """At most `rate` acquisitions per second (a token bucket holding one second's worth)."""

    def __init__(
        self,
        rate: float | None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.rate = rate if rate and rate > 0 else None
        self.clock, self.sleep = clock, sleep
        self.capacity = max(1.0, self.rate or 1.0)
        self.tokens = 1.0
        self.last = clock()

    def acquire(self) -> None:
        """Wait until one more unit of work is allowed."""
        if self.rate is None:
            return
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens < 1.0:
            self.sleep((1.0 - self.tokens) / self.rate)
            self.last = self.clock()
            self.tokens = 1.0
        self.tokens -= 1.0


def parse_rate(text: str | None) -> float | None:
    """`5`, `5/s`, `300/min`, `1000/h` -> applications per second (None: unlimited)."""
    if not text:
        return None
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(?:/\s*(s|sec|m|min|h|hour))?\s*", text)
    if not match:
        raise ReprocessError(f"--rate {text!r}: give a number per second, like 5/s or 300/min")
    value = float(match.group(1))
    per = {"m": 60, "min": 60, "h": 3600, "hour": 3600}.get(match.group(2) or "s", 1)
    if value <= 0:
        raise ReprocessError("--rate must be above zero")
    return value / per


# ---------------------------------------------------------------------------------- jobs


@dataclass(frozen=True)
class JobProgress:
    """A job's state and counts (what `docverify reprocess --list` and the web app show)."""

    id: str
    status: str
    selectors: dict[str, Any]
    pipeline_version: str
    rule_packs: dict[str, str]
    mode: str
    total: int
    done: int
    failed: int
    changed: int
    second_look: int
    documents: int
    seconds: float
    created_at: dt.datetime | None
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    error: str | None

    @property
    def remaining(self) -> int:
        return max(0, self.total - self.done - self.failed)

    @property
    def fraction(self) -> float:
        return (self.done + self.failed) / self.total if self.total else 1.0

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("created_at", "started_at", "finished_at"):
            out[key] = out[key].isoformat() if out[key] else None
        out.update(remaining=self.remaining, fraction=round(self.fraction, 4))
        return out


def create_job(
    runtime: Runtime,
    selection: Selection,
    candidates: Sequence[Candidate],
    *,
    rate: float | None = None,
    batch: int = 50,
) -> str:
    """Record a queued job over `candidates` (one pending item each); its id."""
    if not candidates:
        raise ReprocessError("the selection matches no stored application")
    target = Target.of(runtime)
    job_id = uuid.uuid4().hex[:12]
    mode = "inline" if not runtime.settings.broker_url else "queue"
    with runtime.db.session() as session:
        session.add(
            ReprocessJobRow(
                id=job_id,
                selectors=selection.to_json(),
                status="queued",
                pipeline_version=target.pipeline_version,
                rule_packs=target.rule_packs,
                total=len(candidates),
                rate=rate,
                batch=max(1, batch),
                mode=mode,
                seconds=0.0,
                created_at=utcnow(),
            )
        )
        session.flush()
        rows = [_item_values(job_id, i, c) for i, c in enumerate(candidates)]
        for start in range(0, len(rows), 500):
            session.execute(insert(ReprocessItemRow), rows[start : start + 500])
    log.info("reprocess_job_created", job=job_id, applications=len(candidates), mode=mode)
    return job_id


def _item_values(job_id: str, position: int, c: Candidate) -> dict[str, Any]:
    return {
        "job_id": job_id,
        "application_id": c.app_id,
        "position": position,
        "state": "pending",
        "old_verdict_id": c.verdict_id,
        "old_decision": c.decision,
        "old_flags": list(c.flags),
        "new_flags": [],
        "changed": False,
        "second_look": False,
        "documents": 0,
        "attempts": 0,
    }


def job_progress(session: Session, job_id: str) -> JobProgress | None:
    """One job's progress, or None when there is no such job."""
    job = session.get(ReprocessJobRow, job_id)
    return _progress(session, job) if job else None


def list_jobs(session: Session, limit: int = 50) -> list[JobProgress]:
    """The newest jobs with their progress (for `--list` and the reviewer web app)."""
    jobs = session.scalars(
        select(ReprocessJobRow).order_by(ReprocessJobRow.created_at.desc()).limit(limit)
    )
    return [_progress(session, job) for job in jobs]


def _progress(session: Session, job: ReprocessJobRow) -> JobProgress:
    item = ReprocessItemRow
    rows = session.execute(
        select(
            item.state,
            func.count(),
            func.sum(func.cast(item.changed, Integer())),
            func.sum(func.cast(item.second_look, Integer())),
            func.sum(item.documents),
        )
        .where(item.job_id == job.id)
        .group_by(item.state)
    )
    by_state: dict[str, tuple[int, int, int, int]] = {
        state: (n, int(changed or 0), int(second or 0), int(docs or 0))
        for state, n, changed, second, docs in rows
    }
    done = by_state.get("done", (0, 0, 0, 0))
    failed = by_state.get("failed", (0, 0, 0, 0))
    return JobProgress(
        id=job.id,
        status=job.status,
        selectors=dict(job.selectors),
        pipeline_version=job.pipeline_version,
        rule_packs=dict(job.rule_packs),
        mode=job.mode,
        total=job.total,
        done=done[0],
        failed=failed[0],
        changed=done[1],
        second_look=done[2],
        documents=done[3],
        seconds=job.seconds,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        error=job.error,
    )


def set_job_status(runtime: Runtime, job_id: str, status: str) -> JobProgress:
    """Pause or cancel a job (a running driver stops at its next batch)."""
    assert status in ("paused", "cancelled")
    with runtime.db.session() as session:
        job = session.get(ReprocessJobRow, job_id, with_for_update=not runtime.db.is_sqlite)
        if job is None:
            raise ReprocessError(f"no reprocess job {job_id}")
        if job.status in ("done", "cancelled"):
            raise ReprocessError(f"job {job_id} is already {job.status}")
        if status == "paused" and job.status == "paused":
            return _progress(session, job)
        job.status = status
        if status == "cancelled":
            job.finished_at = utcnow()
        log.info("reprocess_job_status", job=job_id, status=status)
        return _progress(session, job)


def failures(session: Session, job_id: str) -> list[tuple[str, str]]:
    """(application id, error) of each application that failed in a job."""
    rows = session.execute(
        select(ReprocessItemRow.application_id, ReprocessItemRow.error)
        .where(ReprocessItemRow.job_id == job_id, ReprocessItemRow.state == "failed")
        .order_by(ReprocessItemRow.position)
    )
    return [(a, e or "unknown") for a, e in rows]


def changed_items(session: Session, job_id: str) -> list[ReprocessItemRow]:
    """The items of a job whose decision changed."""
    return list(
        session.scalars(
            select(ReprocessItemRow)
            .where(ReprocessItemRow.job_id == job_id, ReprocessItemRow.changed.is_(True))
            .order_by(ReprocessItemRow.position)
        )
    )


# ------------------------------------------------------------------------- the done marker


def finish_item(session: Session, job_id: str, app_id: str, target: Target) -> str:
    """Mark an application done for a job from its current verdict; the state written.

    `failed` when the current verdict was not made with the job's pipeline and rule pack
    (workers running other rules); idempotent: a done item stays as it is.
    """
    item = session.get(ReprocessItemRow, (job_id, app_id))
    if item is None or item.state == "done":
        return item.state if item else "missing"
    app = session.get(ApplicationRow, app_id)
    current = records.current_verdict(session, app_id)
    if app is None or current is None:
        return _fail_item(item, "NoVerdict")
    if _key(current) != _wanted(session, app, target):
        return _fail_item(item, f"OtherRules:{current.rule_pack}/{current.pipeline_version}")
    item.state, item.finished_at, item.error = "done", utcnow(), None
    item.new_verdict_id, item.new_decision = current.id, current.decision
    item.new_flags = list(flag_keys(current.verdict))
    item.changed = item.old_decision != current.decision
    item.second_look = human_disagrees(session, app_id, current)
    item.documents = _documents(session, app_id)
    return "done"


def _fail_item(item: ReprocessItemRow, error: str) -> str:
    item.state, item.error, item.finished_at = "failed", error[:200], utcnow()
    return "failed"


def _documents(session: Session, app_id: str) -> int:
    return int(
        session.scalar(select(func.count()).where(DocumentRow.application_id == app_id)) or 0
    )


def human_disagrees(session: Session, app_id: str, current: VerdictRow) -> bool:
    """A human decided on another machine verdict, and this one disagrees with the human."""
    human = session.scalar(
        select(ReviewDecisionRow)
        .where(ReviewDecisionRow.application_id == app_id)
        .order_by(ReviewDecisionRow.id.desc())
        .limit(1)
    )
    if human is None or human.verdict_id == current.id:
        return False
    codes = sorted({flag_code(k) for k in flag_keys(current.verdict)})
    same = current.decision == human.machine_decision and codes == sorted(human.machine_flags or [])
    return not same and current.decision not in HUMAN_AGREES.get(human.decision, set())


def reprocess_one(runtime: Runtime, job_id: str, app_id: str, target: Target) -> tuple[str, str]:
    """Record the target verdict of one application for a job; (app id, item state)."""
    message_id = f"reprocess-{job_id}"
    try:
        service.process(app_id, runtime, message_id=message_id)
    except Exception as exc:  # recorded per application; the job goes on
        error = type(exc).__name__
        log.warning("reprocess_failed", job=job_id, app=app_id, error=error)
        with contextlib.suppress(Exception):
            service.mark_failed(app_id, runtime, error, message_id, 0)
        with runtime.db.session() as session:
            item = session.get(ReprocessItemRow, (job_id, app_id))
            if item is not None and item.state != "done":
                _fail_item(item, error)
        return app_id, "failed"
    with runtime.db.session() as session:
        return app_id, finish_item(session, job_id, app_id, target)


def _reprocess_task(runtime: Runtime, args: tuple[str, str, Target]) -> tuple[str, str]:
    return reprocess_one(runtime, *args)


# ------------------------------------------------------------------------------ the driver


class JobBusy(ReprocessError):
    """Another live process is driving this job."""


class Stalled(ReprocessError):
    """The workers answered nothing for too long (the job is paused, resume it later)."""


OnItem = Callable[[str, str], None]
"""Called with (application id, item state) as each application is settled."""


@dataclass(frozen=True)
class _Lease:
    owner: str
    mode: str
    rate: float | None
    batch: int


def run_job(
    runtime: Runtime,
    job_id: str,
    *,
    processes: int = 1,
    rate: float | None = None,
    batch: int | None = None,
    on_item: OnItem | None = None,
    stall_seconds: float = 600.0,
    poll_seconds: float = 0.2,
) -> JobProgress:
    """Drive a job until it is done, paused or cancelled; start and resume alike."""
    target = Target.of(runtime)
    lease = _acquire(runtime, job_id, target)
    limiter = RateLimiter(rate if rate is not None else lease.rate)
    size = batch or lease.batch
    clock = _Clock()
    final, error = "running", None
    try:
        with _executor(runtime, 1 if lease.mode == "queue" else processes) as run:
            while (final := _checkpoint(runtime, job_id, lease.owner, clock.lap())) == "running":
                items = _next_batch(runtime, job_id, size)
                if not items:
                    final = "done"
                    break
                if lease.mode == "queue":
                    wait_for = (stall_seconds, poll_seconds)
                    _queue_batch(runtime, job_id, items, target, limiter, on_item, wait_for)
                else:
                    _inline_batch(run, job_id, items, target, limiter, on_item)
    except Stalled as exc:
        error = str(exc)
        raise
    finally:
        _release(runtime, job_id, lease.owner, clock.lap(), final, error)
    with runtime.db.session() as session:
        progress = job_progress(session, job_id)
    assert progress is not None
    return progress


class _Clock:
    """Seconds since the last lap (to add the time spent to the job)."""

    def __init__(self) -> None:
        self.last = time.perf_counter()

    def lap(self) -> float:
        now = time.perf_counter()
        spent, self.last = now - self.last, now
        return spent


def _owner() -> str:
    return f"{_host()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def _host() -> str:
    return socket.gethostname()[:12].replace(":", "-")


def _stale(job: ReprocessJobRow, now: dt.datetime) -> bool:
    """True when the job's driver is gone: a dead process here, or no report for a while."""
    if not job.owner or job.heartbeat_at is None:
        return True
    beat = job.heartbeat_at if job.heartbeat_at.tzinfo else job.heartbeat_at.replace(tzinfo=dt.UTC)
    if (now - beat).total_seconds() > LEASE_SECONDS:
        return True
    host, _, rest = job.owner.partition(":")
    pid = rest.partition(":")[0]
    if host != _host() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _acquire(runtime: Runtime, job_id: str, target: Target) -> _Lease:
    owner = _owner()
    with runtime.db.session() as session:
        job = session.get(ReprocessJobRow, job_id, with_for_update=not runtime.db.is_sqlite)
        if job is None:
            raise ReprocessError(f"no reprocess job {job_id}")
        if job.status in ("done", "cancelled"):
            raise ReprocessError(f"job {job_id} is {job.status}; nothing to resume")
        if (job.pipeline_version, dict(job.rule_packs)) != (
            target.pipeline_version,
            target.rule_packs,
        ):
            raise ReprocessError(
                f"job {job_id} computes verdicts with pipeline {job.pipeline_version} and "
                f"rule packs {_packs(job.rule_packs)}, but this process has pipeline "
                f"{target.pipeline_version} and {_packs(target.rule_packs)}: run it with the "
                "same version and DOCVERIFY_RULES_DIR"
            )
        if job.mode == "queue" and not runtime.settings.broker_url:
            raise ReprocessError(
                f"job {job_id} sends work to the workers: set DOCVERIFY_BROKER_URL"
            )
        now = utcnow()
        if job.status == "running" and not _stale(job, now):
            raise JobBusy(f"job {job_id} is being run by another process ({job.owner})")
        job.status, job.owner, job.heartbeat_at, job.error = "running", owner, now, None
        job.started_at = job.started_at or now
        log.info("reprocess_job_running", job=job_id, mode=job.mode)
        return _Lease(owner, job.mode, job.rate, job.batch)


def _packs(packs: dict[str, str]) -> str:
    return ", ".join(packs[k] for k in sorted(packs))


def _checkpoint(runtime: Runtime, job_id: str, owner: str, spent: float) -> str:
    """Report that we are alive, add the time spent; the job's status (`lost`: taken over)."""
    with runtime.db.session() as session:
        job = session.get(ReprocessJobRow, job_id)
        if job is None:
            return "cancelled"
        if job.owner != owner:
            return "lost"
        job.heartbeat_at = utcnow()
        job.seconds = (job.seconds or 0.0) + spent
        return job.status


def _release(
    runtime: Runtime, job_id: str, owner: str, spent: float, final: str, error: str | None = None
) -> None:
    """Give the job up: done when no work is left, otherwise as paused or cancelled."""
    with runtime.db.session() as session:
        job = session.get(ReprocessJobRow, job_id)
        if job is None or job.owner != owner:
            return
        job.seconds = (job.seconds or 0.0) + spent
        job.owner, job.heartbeat_at = None, None
        if final == "done":
            job.status, job.finished_at = "done", utcnow()
        elif final == "running" or error:  # interrupted (an exception, a stall): resumable
            job.status, job.error = "paused", (error or "interrupted")[:200]
        log.info("reprocess_job_released", job=job_id, status=job.status)


def _next_batch(runtime: Runtime, job_id: str, size: int) -> list[str]:
    with runtime.db.session() as session:
        return list(
            session.scalars(
                select(ReprocessItemRow.application_id)
                .where(
                    ReprocessItemRow.job_id == job_id,
                    ReprocessItemRow.state.in_(("pending", "queued")),
                )
                .order_by(ReprocessItemRow.position)
                .limit(size)
            )
        )


def _paced(items: Iterable[Any], limiter: RateLimiter) -> Iterator[Any]:
    for item in items:
        limiter.acquire()
        yield item


def _inline_batch(
    run: Callable[[Task, Iterable[Any]], Iterator[Any]],
    job_id: str,
    items: list[str],
    target: Target,
    limiter: RateLimiter,
    on_item: OnItem | None,
) -> None:
    tasks = _paced(((job_id, app_id, target) for app_id in items), limiter)
    for app_id, state in run(_reprocess_task, tasks):
        if on_item:
            on_item(app_id, state)


def _queue_batch(
    runtime: Runtime,
    job_id: str,
    items: list[str],
    target: Target,
    limiter: RateLimiter,
    on_item: OnItem | None,
    wait_for: tuple[float, float],
) -> None:
    """Send a batch to the workers, then wait until each application is settled."""
    from workers.dispatch import Dispatcher
    from workers.queue import enqueue

    actor = Dispatcher(runtime).actor
    waiting: set[str] = set()
    for app_id in _paced(items, limiter):
        with runtime.db.session() as session:
            state, documents = _send_or_settle(session, job_id, app_id, target)
        if state == "queued":
            enqueue(actor, app_id, documents, runtime.settings)
            waiting.add(app_id)
        elif on_item:
            on_item(app_id, state)
    _await(runtime, job_id, waiting, target, on_item, *wait_for)


def _send_or_settle(session: Session, job_id: str, app_id: str, target: Target) -> tuple[str, int]:
    """Settle an application that already holds the target verdict, else mark it queued."""
    app = session.get(ApplicationRow, app_id)
    item = session.get(ReprocessItemRow, (job_id, app_id))
    if app is None or item is None:
        return "missing", 0
    if _key(records.current_verdict(session, app_id)) == _wanted(session, app, target):
        return finish_item(session, job_id, app_id, target), 0
    item.state, item.queued_at, item.attempts = "queued", utcnow(), item.attempts + 1
    return "queued", _documents(session, app_id)


def _await(
    runtime: Runtime,
    job_id: str,
    waiting: set[str],
    target: Target,
    on_item: OnItem | None,
    stall_seconds: float,
    poll_seconds: float,
) -> None:
    last_progress = time.monotonic()
    while waiting:
        with runtime.db.session() as session:
            settled = _settled(session, job_id, waiting, target)
            status = session.scalar(
                select(ReprocessJobRow.status).where(ReprocessJobRow.id == job_id)
            )
        for app_id, state in settled:
            waiting.discard(app_id)
            if on_item:
                on_item(app_id, state)
        if settled:
            last_progress = time.monotonic()
        if status != "running":
            return  # paused or cancelled: what is queued stays queued (resume settles it)
        if waiting and time.monotonic() - last_progress > stall_seconds:
            raise Stalled(f"no worker settled an application for {stall_seconds:.0f} s")
        if waiting:
            time.sleep(poll_seconds)


def _settled(
    session: Session, job_id: str, waiting: set[str], target: Target
) -> list[tuple[str, str]]:
    """Applications the workers have finished since they were queued, and their item state."""
    rows = session.execute(
        select(
            ReprocessItemRow,
            ApplicationRow.status,
            ApplicationRow.updated_at,
            ApplicationRow.last_error,
        )
        .join(ApplicationRow, ApplicationRow.id == ReprocessItemRow.application_id)
        .where(ReprocessItemRow.job_id == job_id, ReprocessItemRow.application_id.in_(waiting))
    )
    out = []
    for item, status, updated, error in rows:
        recent = item.queued_at is None or (updated is not None and updated >= item.queued_at)
        if item.state in ("done", "failed"):
            out.append((item.application_id, item.state))
        elif status == "done" and recent:
            out.append(
                (item.application_id, finish_item(session, job_id, item.application_id, target))
            )
        elif status == "failed" and recent:
            out.append((item.application_id, _fail_item(item, error or "WorkerFailed")))
    return out
