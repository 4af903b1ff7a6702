"""`docverify retention`: delete stored documents of applications decided long enough ago."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Annotated

import typer

from workers.retention import purge
from workers.runtime import Runtime


def retention(
    older_than_days: Annotated[
        int, typer.Option("--older-than-days", min=0, help="days since the reviewer's decision")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="only say what would be deleted")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", help="do not ask for confirmation")] = False,
) -> None:
    """Delete the stored files of decided applications; verdicts and the audit trail stay."""
    runtime = Runtime.from_environment()
    now = dt.datetime.now(dt.UTC)
    preview = purge(runtime, older_than_days, now, dry_run=True)
    typer.echo(
        f"{len(preview.applications)} decided application(s) older than {older_than_days} days "
        f"hold {preview.documents} stored document(s)"
    )
    if dry_run or not preview.applications:
        return
    if not yes:
        if not sys.stdin.isatty():
            typer.echo("refusing to delete without --yes (no terminal to confirm on)", err=True)
            raise typer.Exit(2)
        typer.confirm("Delete these documents for good?", abort=True)
    done = purge(runtime, older_than_days, now)
    typer.echo(
        f"deleted the files of {done.documents} document(s) in {len(done.applications)} "
        f"application(s) ({done.objects_deleted} stored object(s)); audit events written"
    )


def register(app: typer.Typer) -> None:
    """Add the command to the CLI."""
    app.command(name="retention")(retention)
