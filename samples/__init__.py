"""Samples generator: synthetic application bundles with ground truth (`truth.json`).

Depends only on `models` (and third-party libraries), never on the pipeline that reads
the documents. Entry points: `samples.generate(out, n, seed, program)` and
`samples.committed.build(dir)` for the small committed set.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def generate(out: Path, n: int, seed: int, program: str = "both", **kwargs: Any) -> list[Path]:
    """Generate `n` applications under `out` (deterministic in `seed`); returns their folders."""
    from samples.generator import generate as _generate

    return _generate(Path(out), n, seed, program, **kwargs)


__all__ = ["generate"]
