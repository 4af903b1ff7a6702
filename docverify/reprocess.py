"""`docverify reprocess`: rerun stored applications after a rule or pipeline change.

    docverify reprocess --program CT --dry-run --csv diff.csv --plot diff.png
    docverify reprocess --program CT --rules-older-than 2026.2 --yes --rate 20/s
    docverify reprocess --pause JOB | --cancel JOB | --resume JOB | --list

Selectors (all given must hold): `--program`, `--kind`, `--submitted-from/--submitted-to`,
`--decision` (current machine decision), `--flag CODE`, `--pipeline-older-than`,
`--rules-older-than`, explicit application ids, or `--all`; with none the command refuses.
`--dry-run` computes the new verdicts without saving them and reports the difference
(a decision transition matrix, flags appearing and disappearing, the changed
applications) in the terminal and, on request, as JSON, CSV and a PNG chart. A real run
over more than 100 applications asks for confirmation (or `--yes`), is recorded as a job
(`workers.reprocess`), shows a progress bar, and ends with a summary. The same reports
(`--json/--csv/--plot`) describe what the real run changed.

Exit codes: 0 done, 1 done with failed applications, 2 bad arguments or a refusal,
3 paused (resume it with `--resume JOB`).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Column, Table
from rich.text import Text
from sqlalchemy import select

from models.db.pipeline_tables import ApplicationRow
from models.db.reprocess_tables import ReprocessItemRow
from workers import reprocess as rp
from workers.runtime import Runtime

EXIT_OK, EXIT_FAILURES, EXIT_INVALID, EXIT_PAUSED = 0, 1, 2, 3
DECISIONS = ("pass", "review", "resubmit")


def register(app: typer.Typer) -> None:
    """Add `reprocess` to the `docverify` command line."""
    app.command()(reprocess)


def reprocess(
    ids: Annotated[
        list[str] | None, typer.Argument(help="application ids (ours or manifest)")
    ] = None,
    program: Annotated[str | None, typer.Option(help="CT or MA")] = None,
    kind: Annotated[str | None, typer.Option(help="new or renewal")] = None,
    submitted_from: Annotated[dt.datetime | None, typer.Option(formats=["%Y-%m-%d"])] = None,
    submitted_to: Annotated[dt.datetime | None, typer.Option(formats=["%Y-%m-%d"])] = None,
    decision: Annotated[str | None, typer.Option(help="current decision")] = None,
    flag: Annotated[str | None, typer.Option(help="a flag code of the current verdict")] = None,
    pipeline_older_than: Annotated[str | None, typer.Option(help="pipeline version")] = None,
    rules_older_than: Annotated[str | None, typer.Option(help="rule pack version")] = None,
    select_all: Annotated[bool, typer.Option("--all", help="every stored application")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="preview, save nothing")] = False,
    json_out: Annotated[Path | None, typer.Option("--json", help="write the report")] = None,
    csv_out: Annotated[Path | None, typer.Option("--csv", help="changed applications")] = None,
    plot: Annotated[Path | None, typer.Option("--plot", help="chart (PNG)")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="no confirmation")] = False,
    rate: Annotated[str | None, typer.Option(help="at most N/s (or N/min)")] = None,
    batch: Annotated[int, typer.Option(min=1, help="applications per batch")] = 50,
    processes: Annotated[int, typer.Option("--processes", "-p", min=1)] = 1,
    pause: Annotated[str | None, typer.Option(help="pause a running job")] = None,
    cancel: Annotated[str | None, typer.Option(help="cancel a job")] = None,
    resume: Annotated[str | None, typer.Option(help="continue a paused or interrupted job")] = None,
    list_jobs: Annotated[bool, typer.Option("--list", help="show jobs and progress")] = False,
) -> None:
    """Rerun stored applications with the current pipeline and rule packs (preview first)."""
    console = Console()
    runtime = _runtime()
    try:
        if list_jobs:
            raise typer.Exit(_list(runtime, console))
        if pause or cancel:
            progress = rp.set_job_status(
                runtime, pause or cancel or "", "paused" if pause else "cancelled"
            )
            console.print(f"job {progress.id}: {progress.status} ({_counts(progress)})")
            raise typer.Exit(EXIT_OK)
        outputs = (json_out, csv_out, plot)
        if resume:
            raise typer.Exit(_run(runtime, resume, console, rate, processes, outputs))
        selection = rp.Selection(
            program=program, kind=kind,
            submitted_from=submitted_from.date() if submitted_from else None,
            submitted_to=submitted_to.date() if submitted_to else None,
            decision=_decision(decision), flag=flag.upper() if flag else None,
            pipeline_older_than=pipeline_older_than, rules_older_than=rules_older_than,
            ids=tuple(ids or ()), all=select_all,
        )  # fmt: skip
        parsed_rate = rp.parse_rate(rate)
        with runtime.db.session() as session:
            candidates = rp.select_applications(session, selection)
        if not candidates:
            console.print("No stored application matches the selection.")
            raise typer.Exit(EXIT_OK)
        if dry_run:
            report = _preview(runtime, candidates, processes, console)
            _show(report, console, "Dry run: nothing was saved")
            _write_outputs(report, outputs, console)
            raise typer.Exit(EXIT_FAILURES if report.failed else EXIT_OK)
        _confirm(len(candidates), yes)
        job_id = rp.create_job(runtime, selection, candidates, rate=parsed_rate, batch=batch)
        console.print(f"job {job_id}: {len(candidates)} applications ({selection.to_json()})")
        raise typer.Exit(_run(runtime, job_id, console, rate, processes, outputs))
    except rp.ReprocessError as exc:
        typer.echo(f"docverify reprocess: {exc}", err=True)
        raise typer.Exit(EXIT_INVALID) from None


def _runtime() -> Runtime:
    from workers.observability import configure_logging

    runtime = Runtime.from_environment()
    quiet = runtime.settings.model_copy(update={"log_level": "WARNING"})
    configure_logging(quiet)  # warnings only: the progress bar owns the terminal
    return runtime


def _decision(value: str | None) -> str | None:
    if value is not None and value not in DECISIONS:
        raise rp.ReprocessError(f"--decision must be one of {', '.join(DECISIONS)}")
    return value


def _confirm(count: int, yes: bool) -> None:
    if yes or count <= rp.CONFIRM_ABOVE:
        return
    if not sys.stdin.isatty():
        raise rp.ReprocessError(
            f"{count} applications selected (more than {rp.CONFIRM_ABOVE}): pass --yes to run"
        )
    if not typer.confirm(f"Reprocess {count} applications?", default=False):
        raise typer.Exit(EXIT_INVALID)


# ---------------------------------------------------------------------------- progress


class RateColumn(ProgressColumn):
    """Applications per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f}/s" if speed else "-/s", style="progress.data.speed")


def _progress_bar() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        auto_refresh=False,  # no refresh thread: child processes are forked
    )


def _tick(bar: Progress, task: TaskID) -> None:
    bar.advance(task)
    bar.refresh()


def _preview(
    runtime: Runtime, candidates: list[rp.Candidate], processes: int, console: Console
) -> rp.DiffReport:
    with _progress_bar() as bar:
        task = bar.add_task("preview", total=len(candidates))
        return rp.dry_run(
            runtime, candidates, processes=processes, on_result=lambda _c: _tick(bar, task)
        )


def _run(
    runtime: Runtime,
    job_id: str,
    console: Console,
    rate: str | None,
    processes: int,
    outputs: tuple[Path | None, Path | None, Path | None],
) -> int:
    with runtime.db.session() as session:
        before = rp.job_progress(session, job_id)
    if before is None:
        raise rp.ReprocessError(f"no reprocess job {job_id}")
    with _progress_bar() as bar:
        task = bar.add_task(
            f"job {job_id}", total=before.total, completed=before.total - before.remaining
        )
        progress = rp.run_job(
            runtime, job_id, processes=processes, rate=rp.parse_rate(rate),
            on_item=lambda _a, _s: _tick(bar, task),
        )  # fmt: skip
    report = _job_report(runtime, job_id)
    _show(report, console, f"Job {job_id}: {progress.status}")
    _summary(runtime, progress, console)
    _write_outputs(report, outputs, console, progress)
    if progress.status == "paused":
        return EXIT_PAUSED
    return EXIT_FAILURES if progress.failed else EXIT_OK


def _job_report(runtime: Runtime, job_id: str) -> rp.DiffReport:
    """The job's items as a diff report (what the run changed)."""
    with runtime.db.session() as session:
        rows = session.execute(
            select(ReprocessItemRow, ApplicationRow.external_id, ApplicationRow.program)
            .join(ApplicationRow, ApplicationRow.id == ReprocessItemRow.application_id)
            .where(
                ReprocessItemRow.job_id == job_id, ReprocessItemRow.state.in_(("done", "failed"))
            )
            .order_by(ReprocessItemRow.application_id)
        )
        changes = [
            rp.Change(
                app_id=r.application_id, application_id=external, program=program,
                old_decision=r.old_decision, new_decision=r.new_decision,
                old_flags=tuple(r.old_flags or ()), new_flags=tuple(r.new_flags or ()),
                documents=r.documents, error=r.error if r.state == "failed" else None,
            )
            for r, external, program in rows
        ]  # fmt: skip
    return rp.DiffReport(changes=changes)


def _summary(runtime: Runtime, progress: rp.JobProgress, console: Console) -> None:
    seconds = max(progress.seconds, 1e-9)
    console.print(
        f"processed {progress.done + progress.failed} of {progress.total}, "
        f"changed {progress.changed}, failed {progress.failed}, "
        f"second look {progress.second_look}; {progress.seconds:.1f} s, "
        f"{progress.done / seconds:.2f} applications/s, "
        f"{progress.documents / seconds:.2f} documents/s"
    )
    if progress.failed:
        with runtime.db.session() as session:
            for app_id, error in rp.failures(session, progress.id)[:50]:
                console.print(f"  failed {app_id}: {error}")
    if progress.status == "paused":
        console.print(f"paused: continue with `docverify reprocess --resume {progress.id}`")


def _counts(p: rp.JobProgress) -> str:
    return f"{p.done + p.failed}/{p.total} processed, {p.changed} changed, {p.failed} failed"


def _list(runtime: Runtime, console: Console) -> int:
    with runtime.db.session() as session:
        jobs = rp.list_jobs(session)
    table = Table("job", "status", "progress", "changed", "failed", "rules", "created")
    for j in jobs:
        created = j.created_at.strftime("%Y-%m-%d %H:%M") if j.created_at else ""
        table.add_row(
            j.id, j.status, f"{j.done + j.failed}/{j.total}", str(j.changed), str(j.failed),
            ", ".join(j.rule_packs.values()), created,
        )  # fmt: skip
    console.print(table)
    return EXIT_OK


# ----------------------------------------------------------------------------- reports


def _show(report: rp.DiffReport, console: Console, title: str) -> None:
    console.print(
        f"[bold]{title}[/bold]: {len(report.changes)} applications, "
        f"{len(report.changed)} decisions change, {len(report.failed)} failed"
    )
    console.print(transition_table(report))
    flags = Table("flag", "appears", "disappears", title="Flags")
    for code in sorted(set(report.flags_appeared) | set(report.flags_disappeared)):
        flags.add_row(
            code,
            str(report.flags_appeared.get(code, 0)),
            str(report.flags_disappeared.get(code, 0)),
        )
    if flags.row_count:
        console.print(flags)
    changed = Table(
        Column("id", overflow="fold"),
        "from",
        "to",
        "flags +",
        "flags -",
        title="Changed applications",
    )
    for c in report.changed[:50]:
        changed.add_row(c.app_id, c.old_decision or "none", c.new_decision or "none",
                        " ".join(c.appeared), " ".join(c.disappeared))  # fmt: skip
    if changed.row_count:
        console.print(changed)
    if len(report.changed) > 50:
        console.print(f"... and {len(report.changed) - 50} more (see --csv or --json)")


def transition_table(report: rp.DiffReport) -> Table:
    """Old decision (rows) to new decision (columns), counts."""
    states = _states(report)
    table = Table("from \\ to", *states, title="Decision transitions")
    for old in states:
        table.add_row(old, *(str(report.transitions.get((old, new), 0)) for new in states))
    return table


def _states(report: rp.DiffReport) -> list[str]:
    seen = {s for pair in report.transitions for s in pair}
    return [s for s in ("none", *DECISIONS) if s in seen or s in DECISIONS]


def _write_outputs(
    report: rp.DiffReport,
    outputs: tuple[Path | None, Path | None, Path | None],
    console: Console,
    progress: rp.JobProgress | None = None,
) -> None:
    json_out, csv_out, plot = outputs
    if json_out:
        data: dict[str, Any] = report.to_json()
        if progress is not None:
            data["job"] = progress.to_json()
        json_out.write_text(json.dumps(data, indent=2), "utf-8")
        console.print(f"wrote {json_out}")
    if csv_out:
        write_csv(report, csv_out)
        console.print(f"wrote {csv_out}")
    if plot:
        write_plot(report, plot)
        console.print(f"wrote {plot}")


def write_csv(report: rp.DiffReport, path: Path) -> None:
    """One row per application whose decision changes."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "application_id", "program", "from", "to", "flags_appeared",
                         "flags_disappeared"])  # fmt: skip
        for c in report.changed:
            writer.writerow([c.app_id, c.application_id, c.program, c.old_decision or "none",
                             c.new_decision or "none", " ".join(c.appeared),
                             " ".join(c.disappeared)])  # fmt: skip


def write_plot(report: rp.DiffReport, path: Path) -> None:
    """A PNG: the transition matrix as a heat map, and flags appearing / disappearing."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    states = _states(report)
    matrix = [[report.transitions.get((a, b), 0) for b in states] for a in states]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
    left.imshow(matrix, cmap="Blues")
    left.set_xticks(range(len(states)), states)
    left.set_yticks(range(len(states)), states)
    left.set_xlabel("new decision")
    left.set_ylabel("current decision")
    left.set_title("Decision transitions")
    peak = max((n for row in matrix for n in row), default=0)
    for i, row in enumerate(matrix):
        for j, n in enumerate(row):
            colour = "white" if peak and n > peak / 2 else "black"
            left.text(j, i, str(n), ha="center", va="center", color=colour)
    codes = sorted(set(report.flags_appeared) | set(report.flags_disappeared))
    up = [report.flags_appeared.get(c, 0) for c in codes]
    down = [-report.flags_disappeared.get(c, 0) for c in codes]
    right.barh(codes, up, color="#c0392b", label="appear")
    right.barh(codes, down, color="#27ae60", label="disappear")
    right.axvline(0, color="black", linewidth=0.8)
    right.set_title("Flags (applications)")
    if codes:
        right.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
