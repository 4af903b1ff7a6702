"""`docverify verify`: load bundles, run the pipeline in-process (or in N processes), print.

Each bundle is independent: an unusable one gets a one-line error on stderr and exit
code 2, the others still get their verdicts.
"""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TextIO

from models.contract import Verdict
from pipeline.errors import DocverifyError
from workers.runtime import Runtime, verify_path

Outcome = tuple[str, Verdict | None, str | None, int]
"""(bundle path, verdict or None, error message or None, exit code)."""


def _one(path: str) -> Outcome:
    runtime = Runtime.from_environment()
    try:
        verdict = verify_path(Path(path), runtime)
    except DocverifyError as exc:
        return path, None, str(exc), exc.exit_code
    return path, verdict, None, 0


def run(bundles: list[Path], jobs: int, fmt: str, out: TextIO, err: TextIO) -> int:
    """Verify every bundle, print verdicts to `out` and errors to `err`; the exit code."""
    paths = [str(b) for b in bundles]
    if jobs > 1 and len(paths) > 1:
        _prepare_database(err)
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            outcomes = list(pool.map(_one, paths))
    else:
        outcomes = [_one(p) for p in paths]
    code = 0
    for path, verdict, error, exit_code in outcomes:
        if verdict is None:
            err.write(f"docverify: {path}: {error}\n")
            code = max(code, exit_code)
            continue
        out.write(render(verdict, fmt, single=len(paths) == 1))
    return code


def _prepare_database(err: TextIO) -> None:
    """Create and migrate the embedded database once, before the processes start, so
    that they never race to create it; a failure here is left to each bundle to report."""
    try:
        Runtime.from_environment().db.migrate()
    except DocverifyError as exc:
        err.write(f"docverify: database: {exc}\n")


def render(verdict: Verdict, fmt: str, single: bool) -> str:
    """A verdict as pretty JSON (one bundle), a JSON line (several), or a table."""
    if fmt == "table":
        return table(verdict)
    data = json.loads(verdict.to_json())
    return json.dumps(data, indent=2) + "\n" if single else json.dumps(data) + "\n"


def table(verdict: Verdict) -> str:
    """A short readable summary of a verdict for a person at a terminal."""
    lines = [
        f"{verdict.application_id}: {verdict.decision.value.upper()}  score {verdict.score:.2f}"
    ]
    for doc in verdict.documents:
        lines.append(
            f"  {doc.document_id:<10} {doc.role:<9} {doc.document_type:<20} "
            f"{doc.decision.value:<8} {doc.score:.2f}"
        )
        lines.extend(f"      {f.code}: {f.message}" for f in doc.flags)
    lines.extend(f"  {f.code}: {f.message}" for f in verdict.flags if f.document_id is None)
    return "\n".join(lines) + "\n"
