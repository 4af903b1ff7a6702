"""The `docverify` command line.

`verify` runs the pipeline in-process on bundles and prints verdicts; other commands
(samples, evaluate, submit, worker, status, verdict, serve, reprocess, bench) are added
by their modules. Exit codes: 0 verdicts printed (whatever the decision), 2 an unusable
bundle or bad arguments, 3 pending, 4 a missing tool.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from docverify import verifying

app = typer.Typer(
    help="docverify: pre-screen medical-cannabis patient applications.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """docverify: pre-screen medical-cannabis patient applications."""


@app.command()
def verify(
    bundles: Annotated[list[Path], typer.Argument(help="bundle directories or .zip files")],
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, help="processes for many bundles")
    ] = 1,
    fmt: Annotated[str, typer.Option("--format", help="json or table")] = "json",
) -> None:
    """Verify application bundles and print their verdicts (JSON, one line each for several)."""
    if fmt not in ("json", "table"):
        raise typer.BadParameter("--format must be json or table")
    code = verifying.run(bundles, jobs=jobs, fmt=fmt, out=sys.stdout, err=sys.stderr)
    raise typer.Exit(code)


def main() -> None:
    """Console entry point."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # Tesseract: one thread per process
    _register_subcommands()
    app()


COMMAND_MODULES: tuple[str, ...] = (
    "docverify.retention_cli",
    "docverify.evaluate",
    "docverify.bench",
    "docverify.ops",
    "docverify.web.cli",
    "docverify.samples_cli",
    "docverify.reprocess",
)
"""Modules that each add commands with `register(app)`; one line per module."""


def _register_subcommands() -> None:
    """Attach the commands that live in their own modules."""
    import importlib

    for module in COMMAND_MODULES:
        importlib.import_module(module).register(app)


if __name__ == "__main__":
    main()
