"""Plan and write a set of generated applications: `generate(out, n, seed, program)`.

About 40 percent of applications are clean; the rest cycle through every flag code of
the contract (one defect each, variants rotating), so any 60 consecutive applications
cover every code. DUPLICATE_DOCUMENT reuses the licence of an earlier clean application.
Output per application: `<out>/<application_id>/application.json`, the document files and
`truth.json`. Byte-identical for the same arguments, whatever the number of processes.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

from samples.scenarios import DEFECTS, VARIANTS, Built, Spec, build

CLEAN_SHARE = 0.4


def plan(n: int, seed: int, program: str = "both") -> list[Spec]:
    """The specs of `n` applications (deterministic in `seed`)."""
    rng = random.Random(f"docverify-plan:{seed}:{program}")
    n_clean = max(1, round(n * CLEAN_SHARE)) if n > 1 else 1
    defects = list(DEFECTS)
    rng.shuffle(defects)
    slots = ["clean"] * n_clean + [defects[i % len(defects)] for i in range(n - n_clean)]
    order = list(range(n))
    rng.shuffle(order)
    scenarios = [slots[order[i]] for i in range(n)]
    counts: dict[str, int] = {}
    specs: list[Spec] = []
    for index, scenario in enumerate(scenarios):
        prog = program if program in ("CT", "MA") else ("CT", "MA")[rng.randint(0, 1)]
        variants = VARIANTS.get(scenario)
        variant = None
        if variants:
            variant = variants[counts.get(scenario, 0) % len(variants)]
        counts[scenario] = counts.get(scenario, 0) + 1
        specs.append(Spec(seed=seed, index=index, program=prog, scenario=scenario, variant=variant))
    return _link_duplicates(specs)


def _link_duplicates(specs: list[Spec]) -> list[Spec]:
    """Give each DUPLICATE_DOCUMENT application a clean source application with a licence."""
    clean = [i for i, s in enumerate(specs) if s.scenario == "clean"]
    used: set[int] = set()
    for i, spec in enumerate(specs):
        if spec.scenario != "DUPLICATE_DOCUMENT":
            continue
        candidates = [j for j in clean if j not in used] or clean
        if not candidates:
            specs[i] = replace(spec, scenario="clean")
            continue
        j = min(candidates, key=lambda c: (abs(c - i), c))
        used.add(j)
        source = replace(specs[j], identity="drivers_license", program=spec.program)
        specs[j] = source
        specs[i] = replace(spec, source=source)
    return specs


def write(built: Built, out: Path) -> Path:
    """Write one application's folder; returns it."""
    folder = out / built.application_id
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in built.files.items():
        (folder / name).write_bytes(data)
    (folder / "application.json").write_text(
        json.dumps(built.manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (folder / "truth.json").write_text(
        built.truth.model_dump_json(indent=2) + "\n", encoding="utf-8"
    )
    return folder


def _build_and_write(args: tuple[Spec, str]) -> str:
    spec, out = args
    return str(write(build(spec), Path(out)))


def generate_specs(
    specs: Iterable[Spec], out: Path, jobs: int = 2, progress: Callable[[Path], None] | None = None
) -> list[Path]:
    """Build and write `specs` (in `jobs` processes); returns the application folders in order."""
    out.mkdir(parents=True, exist_ok=True)
    work = [(spec, str(out)) for spec in specs]
    folders: list[Path] = []
    if jobs <= 1 or len(work) <= 2:
        for item in work:
            folders.append(Path(_build_and_write(item)))
            if progress:
                progress(folders[-1])
        return folders
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for folder in pool.map(_build_and_write, work, chunksize=1):
            folders.append(Path(folder))
            if progress:
                progress(folders[-1])
    return folders


def generate(
    out: Path,
    n: int,
    seed: int,
    program: str = "both",
    jobs: int = 2,
    progress: Callable[[Path], None] | None = None,
) -> list[Path]:
    """Generate `n` applications with ground truth under `out`; returns their folders."""
    if program not in ("CT", "MA", "both"):
        raise ValueError("program must be CT, MA or both")
    return generate_specs(plan(n, seed, program), Path(out), jobs=jobs, progress=progress)
