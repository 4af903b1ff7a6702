"""`docverify evaluate DIR`: run the pipeline over labelled bundles and measure it.

DIR holds bundles (any depth), each a folder with `application.json`, its files and a
`truth.json` (`models.truth.Truth`). Applications are examined in-process in order of
submission (`submitted_on`, then application id); each one's documents are then recorded
in a `MemoryPriorIndex`, so that DUPLICATE_DOCUMENT sees the earlier applications, as in
production.

With `--jobs N > 1` every application is first examined in a process pool with an empty
prior index. Then, in sorted order, the main process asks the index of the applications
before it whether any of its document fingerprints matches; only those applications are
examined again, sequentially, with that index. Fingerprints do not depend on the index
and an index without matches changes nothing, so the result equals a sequential run.

The run never touches the deployment's database or storage: the context is built here
with the evaluation's own prior index, and DOCVERIFY_DATA_DIR points at a throw-away
folder while it runs. It prints a report (rich tables),
optionally writes `--json` and `--plot`, and exits 0 (it is a measurement), or 1 when
`--min-decision-accuracy` is given and missed, 2 when DIR holds no labelled bundle.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from docverify import eval_report
from docverify.metrics import AppRecord, CheckRecord, DocRecord, summarise
from models.internal import DocumentState, Fingerprint
from models.truth import Truth
from pipeline.bundle import Bundle, load_bundle
from pipeline.context import Context, NoPriorIndex, PriorIndex
from pipeline.errors import DocverifyError, ToolMissing
from pipeline.fingerprint import MemoryPriorIndex
from pipeline.verify import Examination, examine_application
from workers.runtime import Runtime

TRUTH = "truth.json"
MANIFEST = "application.json"


@dataclass(frozen=True)
class Labelled:
    """A bundle on disk and its truth."""

    path: Path
    truth: Truth


@dataclass(frozen=True)
class Outcome:
    """One examined application and its document fingerprints (for the prior index)."""

    record: AppRecord
    fingerprints: tuple[tuple[str, Fingerprint], ...] = ()


# --------------------------------------------------------------------------- discovery


def discover(root: Path, limit: int | None = None) -> tuple[list[Labelled], list[str]]:
    """Labelled bundles under root in application-id order, and the skipped ones' reasons."""
    found: list[Labelled] = []
    skipped: list[str] = []
    for truth_path in sorted(root.rglob(TRUTH)):
        if not (truth_path.parent / MANIFEST).is_file():
            skipped.append(f"{truth_path.parent}: no {MANIFEST}")
            continue
        try:
            truth = Truth.model_validate_json(truth_path.read_bytes())
        except (ValidationError, OSError) as exc:
            skipped.append(f"{truth_path}: unusable truth ({type(exc).__name__})")
            continue
        found.append(Labelled(truth_path.parent, truth))
    found.sort(key=lambda item: (_submitted_on(item.path), item.truth.application_id))
    return (found[:limit] if limit else found), skipped


def _submitted_on(folder: Path) -> str:
    """The bundle's submission date (ISO text, '' when unreadable): applications reach the
    prior index in the order they were submitted, so that a re-used document is flagged
    on the later application, never on the original."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    value = manifest.get("submitted_on") if isinstance(manifest, dict) else None
    return value if isinstance(value, str) else ""


# --------------------------------------------------------------------------- examining


def examine_one(item: Labelled, runtime: Runtime, prior: PriorIndex) -> Outcome:
    """Load and examine one bundle; any failure becomes an error row, never an exception.

    Only a missing tool (`ToolMissing`) is raised: then nothing can be measured.
    """
    started = time.perf_counter()
    try:
        bundle = load_bundle(item.path, runtime.config.limits)
        ctx = evaluation_context(bundle, runtime, prior)
        exam = examine_application(bundle, ctx)
    except ToolMissing:
        raise
    except DocverifyError as exc:
        return Outcome(_error(item, f"{type(exc).__name__}: {exc}", started))
    except Exception as exc:  # the pipeline is a work in progress: measure, don't crash
        return Outcome(_error(item, f"crash: {type(exc).__name__}", started))
    return to_outcome(item.truth, exam, time.perf_counter() - started)


def evaluation_context(bundle: Bundle, runtime: Runtime, prior: PriorIndex) -> Context:
    """The runtime's context for a bundle, with our own prior index.

    Built here rather than by `runtime.context()`, whose prior index opens the
    deployment's database: an evaluation must not read or write it.
    """
    app = bundle.application
    return Context(
        application=app, rules=runtime.packs[app.program], config=runtime.config, prior=prior
    )


def _error(item: Labelled, message: str, started: float) -> AppRecord:
    return AppRecord(
        truth=item.truth, decision=None, seconds=time.perf_counter() - started, error=message
    )


def to_outcome(truth: Truth, exam: Examination, seconds: float) -> Outcome:
    """The evaluation record of an examination (verdict + document states)."""
    states = {d.document_id: d for d in exam.documents}
    docs = []
    for dv in exam.verdict.documents:
        state = states.get(dv.document_id)
        docs.append(
            DocRecord(
                document_id=dv.document_id,
                document_type=dv.document_type,
                fields=dv.fields.model_dump(mode="json", exclude_none=True),
                checks=_checks(state) if state else (),
                flags=tuple(f.code for f in dv.flags),
                timings=dict(state.timings) if state else {},
            )
        )
    record = AppRecord(
        truth=truth,
        decision=exam.verdict.decision.value,
        flags=tuple(dict.fromkeys(f.code for f in exam.verdict.flags)),
        documents=tuple(docs),
        seconds=seconds,
    )
    prints = tuple((d.document_id, d.fingerprint) for d in exam.documents if d.fingerprint)
    return Outcome(record, prints)


def _checks(state: DocumentState) -> tuple[CheckRecord, ...]:
    return tuple(
        CheckRecord(
            c.name,
            c.status,
            c.score,
            str(c.flag) if c.flag else None,
            c.detail if c.name.startswith("stage.") else None,
        )
        for c in state.checks
    )


def _record(index: MemoryPriorIndex, outcome: Outcome) -> None:
    stubs = tuple(
        DocumentState(document_id=doc_id, role="", side="front", data=b"", fingerprint=fp)
        for doc_id, fp in outcome.fingerprints
    )
    index.record(outcome.record.application_id, stubs)


def _matches_prior(index: MemoryPriorIndex, outcome: Outcome) -> bool:
    app_id = outcome.record.application_id
    return any(index.matches(fp, app_id) for _, fp in outcome.fingerprints)


Tick = Callable[[], None]


def run_sequential(items: list[Labelled], runtime: Runtime, tick: Tick) -> list[AppRecord]:
    """Examine in order, recording each application in the prior index after it."""
    index = MemoryPriorIndex()
    records = []
    for item in items:
        outcome = examine_one(item, runtime, index)
        _record(index, outcome)
        records.append(outcome.record)
        tick()
    return records


_WORKER_RUNTIME: Runtime | None = None


def quiet_pipeline_logs(verbose: bool) -> None:
    """Keep per-document pipeline logs (tracebacks) off the report unless asked for.

    Crashes are still counted: the report's `processing_errors` section lists them.
    """
    logging.getLogger("pipeline").setLevel(logging.WARNING if verbose else logging.CRITICAL)


def _init_worker(data_dir: str, verbose: bool) -> None:
    global _WORKER_RUNTIME
    quiet_pipeline_logs(verbose)
    os.environ["DOCVERIFY_DATA_DIR"] = data_dir
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    _WORKER_RUNTIME = Runtime.from_environment()


def _pool_task(item: Labelled) -> Outcome:
    assert _WORKER_RUNTIME is not None
    return examine_one(item, _WORKER_RUNTIME, NoPriorIndex())


def run_parallel(
    items: list[Labelled],
    runtime: Runtime,
    jobs: int,
    data_dir: str,
    tick: Tick,
    verbose: bool = False,
) -> tuple[list[AppRecord], int]:
    """Examine in a pool without prior index, then re-examine those that match earlier ones.

    Returns the records in order and how many applications were examined again.
    """
    outcomes: dict[str, Outcome] = {}
    with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(data_dir, verbose)) as pool:
        futures = [pool.submit(_pool_task, item) for item in items]
        for future in as_completed(futures):
            outcome = future.result()
            outcomes[outcome.record.application_id] = outcome
            tick()
    index = MemoryPriorIndex()
    records, again = [], 0
    for item in items:
        outcome = outcomes[item.truth.application_id]
        if _matches_prior(index, outcome):
            outcome = examine_one(item, runtime, index)
            again += 1
        _record(index, outcome)
        records.append(outcome.record)
    return records, again


@contextmanager
def throwaway_data_dir() -> Iterator[str]:
    """Point DOCVERIFY_DATA_DIR at a temporary folder for the duration of the run."""
    previous = os.environ.get("DOCVERIFY_DATA_DIR")
    with tempfile.TemporaryDirectory(prefix="docverify-eval-") as tmp:
        os.environ["DOCVERIFY_DATA_DIR"] = tmp
        try:
            yield tmp
        finally:
            if previous is None:
                os.environ.pop("DOCVERIFY_DATA_DIR", None)
            else:
                os.environ["DOCVERIFY_DATA_DIR"] = previous


def evaluate(
    items: list[Labelled], jobs: int, console: Console, verbose: bool = False
) -> tuple[list[AppRecord], int]:
    """Examine every labelled bundle (with a progress bar); records and re-examined count."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    quiet_pipeline_logs(verbose)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with (
        throwaway_data_dir() as data_dir,
        Progress(*columns, console=console, transient=True) as progress,
    ):
        task = progress.add_task("examining", total=len(items))

        def tick() -> None:
            progress.advance(task)

        runtime = Runtime.from_environment()
        if jobs > 1 and len(items) > 1:
            return run_parallel(items, runtime, jobs, data_dir, tick, verbose)
        return run_sequential(items, runtime, tick), 0


# --------------------------------------------------------------------------- command


def evaluate_command(
    directory: Annotated[
        Path, typer.Argument(exists=True, file_okay=False, help="folder of labelled bundles")
    ],
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="processes")] = 1,
    json_out: Annotated[Path | None, typer.Option("--json", help="write the report here")] = None,
    plot: Annotated[Path | None, typer.Option("--plot", help="write a PNG figure here")] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="first N only")] = None,
    min_accuracy: Annotated[
        float | None,
        typer.Option("--min-decision-accuracy", min=0, max=1, help="exit 1 below this"),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", help="show pipeline logs")] = False,
) -> None:
    """Run the pipeline over labelled bundles and report how well it does."""
    console = Console()
    items, skipped = discover(directory, limit)
    for reason in skipped:
        console.print(f"[yellow]skipped[/] {reason}")
    if not items:
        console.print(f"docverify: {directory}: no labelled bundle ({TRUTH} + {MANIFEST})")
        raise typer.Exit(2)
    started = time.perf_counter()
    try:
        records, again = evaluate(items, jobs, console, verbose)
    except ToolMissing as exc:
        console.print(f"docverify: {exc}")
        raise typer.Exit(ToolMissing.exit_code) from None
    report = summarise(records)
    report["run"] = {
        "directory": str(directory),
        "jobs": jobs,
        "wall_seconds": round(time.perf_counter() - started, 3),
        "re_examined_for_duplicates": again,
        "skipped": skipped,
    }
    eval_report.print_report(report, console)
    if json_out:
        json_out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    if plot:
        eval_report.plot_report(report, plot)
    accuracy = report["decision"]["accuracy"]  # type: ignore[index]
    if min_accuracy is not None and (accuracy is None or accuracy < min_accuracy):
        console.print(f"decision accuracy {accuracy} is below {min_accuracy}")
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add `evaluate` to the command line."""
    app.command("evaluate")(evaluate_command)
