"""`docverify samples turned`: uploads turned sideways or upside down, truth kept."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import typer
from PIL import Image
from typer.testing import CliRunner

from docverify import samples_cli
from docverify.evaluate import evaluation_context
from samples.turn import turn_application, turn_file, turn_set

COMMITTED = Path(__file__).resolve().parents[2] / "samples" / "committed"


def _png(array: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(array).save(out, "PNG")
    return out.getvalue()


def _bundle(folder: Path) -> dict[str, bytes]:
    """An application with every kind of upload, and its truth."""
    rng = np.random.default_rng(0)
    files = {
        "front.png": _png(rng.integers(0, 255, (30, 50, 3), dtype=np.uint8)),
        "back.png": _png(rng.integers(0, 255, (30, 50, 3), dtype=np.uint8)),
        "bill.png": _png(rng.integers(0, 255, (60, 40, 3), dtype=np.uint8)),
        "bill.pdf": b"%PDF-1.4 not really",
        "face.png": _png(rng.integers(0, 255, (40, 40, 3), dtype=np.uint8)),
        "broken.jpg": b"\xff\xd8\xff\xe0 truncated",
    }
    docs = [
        ("doc-1", "identity", "front.png", "front"),
        ("doc-2", "identity", "back.png", "back"),
        ("doc-3", "residency", "bill.png", "front"),
        ("doc-4", "residency", "bill.pdf", "front"),
        ("doc-5", "photo", "face.png", "front"),
        ("doc-6", "residency", "broken.jpg", "front"),
    ]
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    manifest = {
        "application_id": "CT-T-0001",
        "documents": [{"document_id": d, "role": r, "file": f, "side": s} for d, r, f, s in docs],
    }
    (folder / "application.json").write_text(json.dumps(manifest))
    truth = {"documents": [{"document_id": d, "variations": []} for d, *_ in docs]}
    (folder / "truth.json").write_text(json.dumps(truth))
    return files


def test_fronts_and_residency_images_are_turned_and_the_rest_copied(tmp_path: Path) -> None:
    files = _bundle(tmp_path / "src" / "CT-T-0001")
    (out,) = turn_set(tmp_path / "src", tmp_path / "out", share=1.0, seed=3)
    truth = json.loads((out / "truth.json").read_text())
    turns = {
        d["document_id"]: int(v.split(":")[1])
        for d in truth["documents"]
        for v in d["variations"]
        if v.startswith("turned:")
    }
    assert set(turns) == {"doc-1", "doc-3"}
    for doc_id, name in (("doc-1", "front.png"), ("doc-3", "bill.png")):
        before = np.asarray(Image.open(io.BytesIO(files[name])))
        after = np.asarray(Image.open(out / name))
        assert np.array_equal(after, np.rot90(before, k=-turns[doc_id] // 90)), name
    for name in ("back.png", "bill.pdf", "face.png", "broken.jpg"):
        assert (out / name).read_bytes() == files[name], name


def test_the_same_seed_turns_the_same_way_and_share_zero_copies(tmp_path: Path) -> None:
    _bundle(tmp_path / "src" / "CT-T-0001")
    first = turn_set(tmp_path / "src", tmp_path / "a", share=1.0, seed=3)[0]
    again = turn_set(tmp_path / "src", tmp_path / "b", share=1.0, seed=3)[0]
    assert (first / "truth.json").read_text() == (again / "truth.json").read_text()
    assert (first / "front.png").read_bytes() == (again / "front.png").read_bytes()
    kept = turn_set(tmp_path / "src", tmp_path / "c", share=0.0, seed=3)[0]
    for name in ("front.png", "bill.png", "truth.json"):
        assert (kept / name).read_bytes() == (tmp_path / "src" / "CT-T-0001" / name).read_bytes()


def test_an_unreadable_file_is_left_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "x.jpg"
    path.write_bytes(b"not an image")
    assert turn_file(path, 90) is False
    assert path.read_bytes() == b"not an image"


def test_the_command_writes_a_turned_copy(tmp_path: Path) -> None:
    app = typer.Typer()
    samples_cli.register(app)
    _bundle(tmp_path / "src" / "CT-T-0001")
    result = CliRunner().invoke(
        app, ["samples", "turned", str(tmp_path / "src"), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "CT-T-0001" / "application.json").exists()
    empty = CliRunner().invoke(
        app, ["samples", "turned", str(tmp_path / "none"), "--out", str(tmp_path / "o2")]
    )
    assert empty.exit_code != 0 and "no application.json" in empty.output


def test_a_clean_application_with_its_bill_and_licence_turned_still_passes(
    tmp_path: Path,
) -> None:
    """The real pipeline on a committed clean application turned every way: the licence
    (its portrait tells which way is up) and the bill (its text) are turned back and read."""
    from pipeline.bundle import load_bundle
    from pipeline.fingerprint import MemoryPriorIndex
    from pipeline.verify import verify
    from workers.runtime import Runtime

    runtime = Runtime.from_environment()
    src = COMMITTED / "CT-S2026-0001"
    for seed in (1, 2):
        out = turn_application(src, tmp_path / f"turned-{seed}", 1.0, seed)
        assert "turned:" in (out / "truth.json").read_text()
        bundle = load_bundle(out)
        verdict = verify(bundle, evaluation_context(bundle, runtime, MemoryPriorIndex()))
        assert (verdict.decision.value, [f.code for f in verdict.flags]) == ("pass", []), seed
