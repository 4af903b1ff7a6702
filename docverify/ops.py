"""Queue commands: `submit`, `worker`, `status`, `requeue`, `verdict`.

- `submit BUNDLE...`: store and queue each bundle, one application id per line; with no
  broker configured the work is done in-process before the command returns. A refused
  bundle gets a one-line error on stderr (exit 2); the others still go on.
- `worker [--processes N --threads M]`: dramatiq worker processes on the configured broker.
- `status [APP_ID] [--json] [--failed]`: counts per queue state, one application's state,
  or the applications whose retries were exhausted.
- `requeue APP_ID... | --all-failed`: queue failed applications again.
- `migrate`: bring the database schema up to date (the one-shot compose service).
- `verdict APP_ID [--history]`: the current verdict JSON (the `verify` contract); exit 3
  with `pending` on stderr while not ready, 2 for an unknown id; `--history` prints every
  verdict, newest first, each with created_at, pipeline_version and rule_pack.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from models.contract import Verdict
from pipeline.errors import DocverifyError
from workers import records
from workers.db import DatabaseUnavailable
from workers.dispatch import Dispatcher
from workers.runtime import Runtime
from workers.storage import StorageError

EXIT_INVALID = 2
EXIT_PENDING = 3


def register(app: typer.Typer) -> None:
    """Add the queue commands to the `docverify` command line."""
    app.command()(submit)
    app.command()(worker)
    app.command()(status)
    app.command()(requeue)
    app.command()(verdict)
    app.command()(migrate)


def _runtime() -> Runtime:
    from workers.observability import configure_logging

    runtime = Runtime.from_environment()
    configure_logging(runtime.settings)
    return runtime


def submit(
    bundles: Annotated[list[Path], typer.Argument(help="bundle directories or .zip files")],
) -> None:
    """Store application bundles and queue them; prints one application id per line."""
    dispatcher = Dispatcher(_runtime())
    code = 0
    for path in bundles:
        try:
            app_id = dispatcher.store(path)
        except DocverifyError as exc:
            typer.echo(f"docverify: {path}: {exc}", err=True)
            code = max(code, exc.exit_code)
            continue
        except (StorageError, DatabaseUnavailable) as exc:  # disk full, S3 or database down
            typer.echo(f"docverify: {path}: not stored, try again later: {exc}", err=True)
            code = max(code, 1)
            continue
        try:
            dispatcher.dispatch(app_id)
        except Exception as exc:  # the broker is down: stored, not queued
            typer.echo(
                f"docverify: {path}: stored as {app_id} but not queued ({type(exc).__name__}); "
                f"run `docverify requeue {app_id}`",
                err=True,
            )
            code = max(code, 1)
        typer.echo(app_id)
    raise typer.Exit(code)


def worker(
    processes: Annotated[int, typer.Option("--processes", "-p", min=1)] = 2,
    threads: Annotated[int, typer.Option("--threads", "-t", min=1)] = 1,
) -> None:
    """Run queue workers (dramatiq) on the configured broker until stopped."""
    from dramatiq.cli import main as dramatiq_main
    from dramatiq.cli import make_argument_parser

    runtime = Runtime.from_environment()
    if not runtime.settings.broker_url:
        typer.echo("docverify: no DOCVERIFY_BROKER_URL configured; nothing to work on", err=True)
        raise typer.Exit(EXIT_INVALID)
    runtime.db.migrate()
    os.environ["OMP_THREAD_LIMIT"] = "1"
    args = make_argument_parser().parse_args(
        ["workers.worker_main", "--processes", str(processes), "--threads", str(threads)]
    )
    raise typer.Exit(dramatiq_main(args) or 0)


def migrate() -> None:
    """Create or upgrade the database schema, then exit (other commands also do it on first use)."""
    runtime = _runtime()
    runtime.db.migrate()
    typer.echo("database schema is up to date")


def status(
    app_id: Annotated[str | None, typer.Argument(help="one application id")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
    failed: Annotated[bool, typer.Option("--failed", help="list failed applications")] = False,
) -> None:
    """Queue state: counts per state, one application, or the failed ones."""
    runtime = _runtime()
    with runtime.db.session() as session:
        if app_id is not None:
            row = records.get_application(session, app_id)
            if row is None:
                typer.echo(f"docverify: no application {app_id}", err=True)
                raise typer.Exit(EXIT_INVALID)
            data: Any = records.describe(row)
        elif failed:
            data = [records.describe(r) for r in records.applications_in(session, "failed")]
        else:
            data = records.status_counts(session)
    typer.echo(json.dumps(data, indent=2) if as_json else _text(data))


def _text(data: Any) -> str:
    if isinstance(data, list):
        return "\n".join(
            f"{d['id']}  {d['application_id']}  {d['error'] or ''}".rstrip() for d in data
        )
    if "status" in data:
        return "\n".join(f"{k}: {v}" for k, v in data.items() if v is not None)
    return "  ".join(f"{k} {v}" for k, v in data.items())


def requeue(
    app_ids: Annotated[list[str] | None, typer.Argument(help="application ids")] = None,
    all_failed: Annotated[bool, typer.Option("--all-failed", help="every failed one")] = False,
) -> None:
    """Queue applications again (typically after their retries were exhausted)."""
    runtime = _runtime()
    ids = list(app_ids or [])
    if all_failed:
        with runtime.db.session() as session:
            ids += [r.id for r in records.applications_in(session, "failed")]
    if not ids:
        typer.echo("docverify: nothing to requeue (give ids or --all-failed)", err=True)
        raise typer.Exit(EXIT_INVALID)
    dispatcher = Dispatcher(runtime)
    code = 0
    for app_id in ids:
        if dispatcher.requeue(app_id):
            typer.echo(app_id)
        else:
            typer.echo(f"docverify: no application {app_id}", err=True)
            code = EXIT_INVALID
    raise typer.Exit(code)


def verdict(
    app_id: Annotated[str, typer.Argument(help="application id printed by submit")],
    history: Annotated[bool, typer.Option("--history", help="every verdict, newest first")] = False,
) -> None:
    """Print the current verdict of a submitted application (exit 3 while pending)."""
    runtime = _runtime()
    with runtime.db.session() as session:
        row = records.get_application(session, app_id)
        if row is None:
            typer.echo(f"docverify: no application {app_id}", err=True)
            raise typer.Exit(EXIT_INVALID)
        if history:
            rows = records.verdict_history(session, app_id)
            out = [_history_entry(v) for v in rows]
            typer.echo(json.dumps(out, indent=2))
            return
        current = records.current_verdict(session, app_id)
        if current is None:
            failed = row.status == "failed"
            typer.echo(f"failed: {row.last_error}" if failed else "pending", err=True)
            raise typer.Exit(EXIT_PENDING)
        sys.stdout.write(_contract_json(current.verdict) + "\n")


def _contract_json(stored: dict[str, Any]) -> str:
    """The stored verdict in the contract's field order (JSONB does not keep it)."""
    return json.dumps(json.loads(Verdict.model_validate(stored).to_json()), indent=2)


def _utc(value: dt.datetime) -> dt.datetime:
    """Stored times are UTC; SQLite returns them without a zone."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _history_entry(row: Any) -> dict[str, Any]:
    return {
        "created_at": _utc(row.created_at).isoformat(),
        "pipeline_version": row.pipeline_version,
        "rule_pack": row.rule_pack,
        "current": row.is_current,
        "input_hash": row.input_hash,
        "verdict": row.verdict,
    }
