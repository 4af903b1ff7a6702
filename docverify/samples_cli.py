"""`docverify samples generate|outside|turned`: write synthetic application bundles with truth.

Registers a `samples` command group on the main Typer app (see `docverify.cli`).
Deterministic per seed: the same arguments give byte-identical files.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

samples_app = typer.Typer(
    help="Generate synthetic application bundles with ground truth.", no_args_is_help=True
)


Out = Annotated[Path, typer.Option("--out", help="folder to write the applications into")]
Count = Annotated[int, typer.Option("--n", min=1, help="number of applications")]
Seed = Annotated[int, typer.Option("--seed", help="random seed (same seed, same bytes)")]
Program = Annotated[str, typer.Option("--program", help="CT, MA or both")]
Jobs = Annotated[int, typer.Option("--jobs", "-j", min=1, help="processes")]


def _run(
    generate: Callable[..., list[Path]],
    what: str,
    out: Path,
    n: int,
    seed: int,
    program: str,
    jobs: int,
) -> None:
    """Run a generator with a progress bar and say where the applications went."""
    program = program.upper() if program.lower() != "both" else "both"
    if program not in ("CT", "MA", "both"):
        raise typer.BadParameter("--program must be CT, MA or both")
    started = time.perf_counter()
    with Progress(
        TextColumn("[bold]samples"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
    ) as progress:
        task = progress.add_task("generate", total=n)
        folders = generate(
            out, n, seed, program, jobs=jobs, progress=lambda _folder: progress.advance(task)
        )
    elapsed = time.perf_counter() - started
    typer.echo(f"{len(folders)} {what} in {out} ({elapsed / max(1, n):.2f} s per application)")


@samples_app.command("generate")
def generate_command(
    out: Out, n: Count = 20, seed: Seed = 1, program: Program = "both", jobs: Jobs = 2
) -> None:
    """Generate N applications (application.json + documents + truth.json) under OUT."""
    from samples.generator import generate

    _run(generate, "applications", out, n, seed, program, jobs)


@samples_app.command("outside")
def outside_command(
    out: Out, n: Count = 20, seed: Seed = 1, program: Program = "both", jobs: Jobs = 2
) -> None:
    """Generate N held-out applications from independent templates (samples.outside)."""
    from samples.outside import generate

    _run(generate, "outside applications", out, n, seed, program, jobs)


@samples_app.command("turned")
def turned_command(
    src: Annotated[Path, typer.Argument(help="a folder of generated applications")],
    out: Out,
    share: Annotated[
        float, typer.Option("--share", min=0.0, max=1.0, help="share of uploads to turn")
    ] = 1.0,
    seed: Seed = 1,
) -> None:
    """Copy SRC's applications to OUT with a share of their identity fronts and residency
    images turned 90, 180 or 270 degrees (uploads held sideways or upside down)."""
    from samples.turn import turn_set

    n = sum(1 for _ in src.rglob("application.json"))
    if not n:
        raise typer.BadParameter(f"no application.json under {src}")
    with Progress(
        TextColumn("[bold]turned"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
    ) as progress:
        task = progress.add_task("turn", total=n)
        folders = turn_set(src, out, share, seed, progress=lambda _f: progress.advance(task))
    typer.echo(f"{len(folders)} applications in {out}, uploads turned (see truth.json)")


@samples_app.command("committed")
def committed_command(
    out: Annotated[Path, typer.Option("--out", help="folder (default samples/committed)")] = Path(
        "samples/committed"
    ),
) -> None:
    """Regenerate the small committed sample set."""
    from samples.committed import build

    folders = build(out)
    typer.echo(f"{len(folders)} applications in {out}")


def register(app: typer.Typer) -> None:
    """Attach the `samples` command group to the main app."""
    app.add_typer(samples_app, name="samples")
