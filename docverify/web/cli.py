"""Commands of the reviewer app: `serve [--demo]`, `users add|disable`, `tokens create`.

`serve` runs the app with uvicorn; with the embedded default (no broker) submitted
bundles are processed in a thread of the same process. `serve --demo` first submits the
committed sample bundles (generating them if the samples package can), has them
processed, and creates a `reviewer` and a `supervisor` account with one-time passwords
printed once.
"""

from __future__ import annotations

import getpass
import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy import select

from docverify.web import security
from models.db.pipeline_tables import ApplicationRow
from models.db.review_tables import UserRow
from pipeline.bundle import MANIFEST, parse_manifest
from pipeline.errors import BundleInvalid
from workers.runtime import Runtime

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples" / "committed"

users_app = typer.Typer(help="Reviewer accounts.", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens for the intake system.", no_args_is_help=True)


def _read_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat: ") != first:
        typer.echo("Passwords differ.", err=True)
        raise typer.Exit(2)
    return first


@users_app.command("add")
def users_add(
    username: str,
    role: Annotated[str, typer.Option("--role", help="reviewer or supervisor")] = "reviewer",
) -> None:
    """Create an account (password from stdin when not a terminal, prompted otherwise)."""
    password = _read_password()
    runtime = Runtime.from_environment()
    try:
        with runtime.db.session() as db:
            security.add_user(db, username, password, role)
    except security.AccountError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"user {username} added ({role})")


@users_app.command("disable")
def users_disable(username: str) -> None:
    """Disable an account and end its sessions and API tokens."""
    runtime = Runtime.from_environment()
    try:
        with runtime.db.session() as db:
            security.disable_user(db, username)
    except security.AccountError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"user {username} disabled")


@tokens_app.command("create")
def tokens_create(username: str) -> None:
    """Print a new API token for USERNAME (shown once; only its hash is stored)."""
    runtime = Runtime.from_environment()
    try:
        with runtime.db.session() as db:
            token = security.create_token(db, username)
    except security.AccountError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(token)


def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
    demo: Annotated[
        bool, typer.Option("--demo", help="load and process the samples, create accounts")
    ] = False,
) -> None:
    """Run the reviewer web app (and, on the embedded default, the processing)."""
    import uvicorn

    from docverify.web.app import create_app

    runtime = Runtime.from_environment()
    app = create_app(runtime)
    if demo:
        prepare_demo(runtime, app.state.intake, out=typer.echo)
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host
    typer.echo(f"docverify review: http://{shown}:{port}/  (Ctrl-C to stop)")
    uvicorn.run(app, host=host, port=port, proxy_headers=True, log_level="warning")


def _bundles_in(root: Path) -> list[Path]:
    return sorted(p.parent for p in root.rglob(MANIFEST)) if root.is_dir() else []


def sample_bundles(fallback_dir: Path) -> list[Path]:
    """The committed sample bundles, else generated ones in `fallback_dir` (may be empty)."""
    found = _bundles_in(SAMPLES) or _bundles_in(fallback_dir)
    if found:
        return found
    try:
        from samples import generate

        generate(fallback_dir, n=12, seed=1)
    except Exception:  # the samples generator is optional for the demo
        return []
    return _bundles_in(fallback_dir)


def prepare_demo(runtime: Runtime, intake: Any, out: Callable[[str], object] = print) -> list[str]:
    """Submit and queue the sample bundles not yet submitted; create demo accounts."""
    submitted = []
    from workers import service

    with runtime.db.session() as db:
        known = set(db.scalars(select(ApplicationRow.external_id)))
    bundles = sample_bundles(runtime.settings.data_dir / "demo-samples")
    if not bundles:
        from docverify.web.demo import write_demo_bundles

        bundles = write_demo_bundles(runtime.settings.data_dir / "demo-bundles")
        out("demo: committed samples not found; using three built-in demo bundles")
    for path in bundles:
        try:
            external = parse_manifest((path / MANIFEST).read_bytes()).application_id
        except BundleInvalid:
            continue
        if external in known:
            continue
        try:
            app_id = service.submit(path, runtime)
        except BundleInvalid:
            continue
        intake.enqueue(app_id)
        submitted.append(app_id)
    out(f"demo: {len(submitted)} sample applications submitted (processing in the background)")
    for username, role in (("reviewer", "reviewer"), ("supervisor", "supervisor")):
        password = _demo_account(runtime, username, role)
        out(f"demo: sign in as {username!r} ({role}) with the one-time password: {password}")
    return submitted


def _demo_account(runtime: Runtime, username: str, role: str) -> str:
    password = secrets.token_urlsafe(12)
    with runtime.db.session() as db:
        user = db.scalar(select(UserRow).where(UserRow.username == username))
        if user is None:
            security.add_user(db, username, password, role)
        else:
            security.set_password(db, user, password)
    return password


def register(app: typer.Typer) -> None:
    """Attach `serve`, `users` and `tokens` to the docverify command."""
    app.command("serve")(serve)
    app.add_typer(users_app, name="users")
    app.add_typer(tokens_app, name="tokens")
