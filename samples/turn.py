"""Turned uploads: a copy of a sample set with a share of its image uploads turned a quarter,
half or three-quarter turn, as patients photograph a page sideways or upside down.

`turn_set(src, out, share, seed)` copies every application folder under `src` (any
generator's, with its truth) to `out`; each image upload of an identity front or a proof of
residency is turned with probability `share`, by 90, 180 or 270 degrees clockwise chosen at
random (deterministic in `seed` and the application id). The truth is unchanged but for a
`turned:<degrees>` variation on the turned document: what the pipeline must find does not
depend on how the page was held. PDFs, identity backs (read from their barcode in any
direction) and photos are copied as they are, as are files PIL cannot open (the corrupt
uploads of FILE_UNREADABLE). Evaluate the copy with `docverify evaluate`.
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Callable
from pathlib import Path

from PIL import Image, UnidentifiedImageError

TURNS = (90, 180, 270)
ROLES = ("identity", "residency")
_TRANSPOSE = {
    90: Image.Transpose.ROTATE_270,  # PIL's ROTATE_n turns counter-clockwise
    180: Image.Transpose.ROTATE_180,
    270: Image.Transpose.ROTATE_90,
}


def turn_set(
    src: Path,
    out: Path,
    share: float = 1.0,
    seed: int = 1,
    progress: Callable[[Path], None] | None = None,
) -> list[Path]:
    """Copy the applications under `src` to `out`, turning a share of their uploads."""
    folders = sorted(p.parent for p in Path(src).rglob("application.json"))
    written = []
    for folder in folders:
        written.append(turn_application(folder, Path(out) / folder.name, share, seed))
        if progress:
            progress(written[-1])
    return written


def turn_application(folder: Path, out: Path, share: float, seed: int) -> Path:
    """One application copied to `out`, its eligible uploads turned with probability `share`."""
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(folder, out)
    manifest = json.loads((out / "application.json").read_text(encoding="utf-8"))
    rng = random.Random(f"turned:{seed}:{manifest.get('application_id', folder.name)}")
    turned: dict[str, int] = {}
    for ref in manifest.get("documents", []):
        if not _eligible(ref) or rng.random() >= share:
            continue
        degrees = rng.choice(TURNS)
        if turn_file(out / ref["file"], degrees):
            turned[ref["document_id"]] = degrees
    if turned:
        _mark_truth(out / "truth.json", turned)
    return out


def _eligible(ref: dict[str, object]) -> bool:
    return (
        ref.get("role") in ROLES
        and ref.get("side", "front") == "front"
        and not str(ref.get("file", "")).lower().endswith(".pdf")
    )


def turn_file(path: Path, degrees: int) -> bool:
    """Turn an image file in place, clockwise, in its own format; False when PIL cannot
    open it (left as it is)."""
    try:
        with Image.open(path) as image:
            fmt = image.format or "PNG"
            turned = image.transpose(_TRANSPOSE[degrees])
    except (UnidentifiedImageError, OSError, ValueError):
        return False
    options = {"quality": 92} if fmt == "JPEG" else {}
    turned.save(path, format=fmt, **options)
    return True


def _mark_truth(path: Path, turned: dict[str, int]) -> None:
    if not path.exists():
        return
    truth = json.loads(path.read_text(encoding="utf-8"))
    for doc in truth.get("documents", []):
        if doc.get("document_id") in turned:
            doc.setdefault("variations", []).append(f"turned:{turned[doc['document_id']]}")
    path.write_text(json.dumps(truth, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
