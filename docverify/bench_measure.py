"""Measurement harness of `docverify bench`: CPU and wall time per stage and inside Tesseract.

`instrumented()` wraps, for the duration of a `with` block and in this process only,
every stage of `pipeline.verify.STAGES`, `pipeline.verify.run_stages` (one bucket per
document: `examine_application` runs every document's stages before any check), the
Tesseract entry points of `pipeline.tools.tesseract` (both engines' `read` and
`detect_orientation`) and the image checks (`CHECKS`) with timers. CPU is this process's
user+system time plus that of finished child processes (pytesseract and OSD run
`tesseract` as a child). With `record=True` it also keeps every Tesseract OCR call made
for an identity document (the image exactly as passed, already rectified and prepared, and
its settings), so that `replay` can time the same OCR work alone: the honest raw-Tesseract baseline.
Nothing here changes what the pipeline computes.
"""

from __future__ import annotations

import functools
import resource
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from pipeline import verify
from pipeline.imaging import face, quality, rectify
from pipeline.tools import tesseract

TESSERACT = "tesseract"
"""The bucket of time spent inside Tesseract OCR calls (nested inside stage time)."""
OSD = "tesseract_osd"
"""Tesseract orientation detection (nested inside `rectify`): overhead, not the OCR itself."""
CHECKS: dict[str, tuple[Any, str]] = {
    "check: sharpness": (quality, "_sharpness"),
    "check: exposure": (quality, "_exposure"),
    "check: resolution": (quality, "_resolution"),
    "check: glare": (quality, "glare_fraction"),
    "check: reference copy": (quality, "_reference_gray"),
    "check: outline and framing": (rectify, "find_outline"),
    "check: face": (face, "faces_in"),
}
"""The image checks timed on their own (nested inside `measure`, `rectify` and
`detect_faces`): what each costs per document."""
NESTED = frozenset({TESSERACT, OSD, *CHECKS})
"""Buckets counted inside a stage's time, not beside it."""


def cpu_seconds() -> float:
    """User + system CPU of this process and of its reaped children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB.

    Linux's `VmHWM` (of this process image only): `ru_maxrss` survives fork and exec, so
    a spawned child would report its parent's peak (the bench's own large test inputs).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Spent:
    """Wall and CPU seconds accumulated under one name."""

    wall: float = 0.0
    cpu: float = 0.0
    calls: int = 0


@dataclass
class DocMeter:
    """Everything measured while one document went through the pipeline."""

    document_id: str
    role: str
    total: Spent = field(default_factory=Spent)
    parts: dict[str, Spent] = field(default_factory=lambda: defaultdict(Spent))
    """Per stage name, plus `tesseract` (time inside Tesseract, also counted in stages)."""


@dataclass(frozen=True)
class OcrCall:
    """One `OcrEngine.read` call as the pipeline made it (engine, image and settings)."""

    engine: Any
    args: tuple[Any, ...]
    kwargs: dict[str, Any]


@dataclass
class Meter:
    """The documents measured so far, in order, and the one in progress."""

    documents: list[DocMeter] = field(default_factory=list)
    current: DocMeter | None = None
    ocr_calls: list[OcrCall] | None = None
    """Identity documents' OCR calls, when recording (`instrumented(record=True)`)."""

    def add(self, name: str, wall: float, cpu: float) -> None:
        if self.current is not None:
            spent = self.current.parts[name]
            spent.wall += wall
            spent.cpu += cpu
            spent.calls += 1


def _timed(meter: Meter, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        wall, cpu = time.perf_counter(), cpu_seconds()
        try:
            return fn(*args, **kwargs)
        finally:
            meter.add(name, time.perf_counter() - wall, cpu_seconds() - cpu)

    return wrapper


def _recorded(meter: Meter, fn: Callable[..., Any]) -> Callable[..., Any]:
    """`fn` (an engine's `read`), keeping each call made for an identity document."""

    @functools.wraps(fn)
    def wrapper(engine: Any, *args: Any, **kwargs: Any) -> Any:
        current = meter.current
        if meter.ocr_calls is not None and current is not None and current.role == "identity":
            meter.ocr_calls.append(OcrCall(engine, args, kwargs))
        return fn(engine, *args, **kwargs)

    return wrapper


def _per_document(meter: Meter, fn: Callable[..., Any]) -> Callable[..., Any]:
    """`fn` (`verify.run_stages`) with one `DocMeter` per call: every stage of a document
    (the checks after them are a small, constant cost and are not in the bucket)."""

    @functools.wraps(fn)
    def wrapper(doc: Any, ctx: Any) -> Any:
        measured = DocMeter(doc.document_id, doc.role)
        meter.current = measured
        wall, cpu = time.perf_counter(), cpu_seconds()
        try:
            return fn(doc, ctx)
        finally:
            measured.total.wall += time.perf_counter() - wall
            measured.total.cpu += cpu_seconds() - cpu
            meter.documents.append(measured)
            meter.current = None

    return wrapper


@contextmanager
def instrumented(record: bool = False) -> Iterator[Meter]:
    """Time stages, documents and Tesseract calls while the block runs; then restore.
    `record`: keep identity documents' OCR calls in `meter.ocr_calls` (for `replay`)."""
    meter = Meter(ocr_calls=[] if record else None)
    saved: list[tuple[Any, str, Any]] = []

    def patch(owner: Any, name: str, value: Any) -> None:
        saved.append((owner, name, getattr(owner, name)))
        setattr(owner, name, value)

    stages = tuple(_timed(meter, s.__name__, s) for s in verify.STAGES)
    patch(verify, "STAGES", stages)
    patch(verify, "run_stages", _per_document(meter, verify.run_stages))
    for engine in (tesseract.TesserocrEngine, tesseract.PytesseractEngine):
        patch(engine, "read", _timed(meter, TESSERACT, _recorded(meter, engine.read)))
    patch(tesseract, "detect_orientation", _timed(meter, OSD, tesseract.detect_orientation))
    for name, (owner, attribute) in CHECKS.items():
        patch(owner, attribute, _timed(meter, name, getattr(owner, attribute)))
    try:
        yield meter
    finally:
        for owner, name, value in reversed(saved):
            setattr(owner, name, value)


@contextmanager
def tesseract_only() -> Iterator[Meter]:
    """Time only the Tesseract calls (for the raw-Tesseract baseline)."""
    meter = Meter()
    meter.current = DocMeter("raw", "identity")
    saved = [(e, e.read) for e in (tesseract.TesserocrEngine, tesseract.PytesseractEngine)]
    for engine, read in saved:
        engine.read = _timed(meter, TESSERACT, read)  # type: ignore[method-assign]
    try:
        yield meter
    finally:
        for engine, read in saved:
            engine.read = read  # type: ignore[method-assign]


def replay(calls: list[OcrCall]) -> Spent:
    """Wall and CPU seconds of making `calls` again, nothing but Tesseract (same engines,
    images and settings as the pipeline used)."""
    with tesseract_only() as meter:
        for call in calls:
            type(call.engine).read(call.engine, *call.args, **call.kwargs)
    assert meter.current is not None
    return meter.current.parts[TESSERACT]
