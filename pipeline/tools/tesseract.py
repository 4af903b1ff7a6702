"""Tesseract wrapper: words with boxes and confidences, failures as pipeline errors.

Two backends behind one `OcrEngine` interface:
- `tesserocr` (default): the Tesseract API in-process, one instance per thread, reused
  across calls (no process start per page). It cannot be interrupted once started.
- `pytesseract`: one `tesseract` process per call, killed at `timeout` seconds.
Both return the same `PageText` (boxes divided by the factor the image was scaled by,
so they are in pixels of the caller's page image). `engine_for` keeps one engine per
(backend, language, tessdata, timeout) and thread. Tesseract's threading is set by the
caller's environment (workers and tests set OMP_THREAD_LIMIT=1).
"""

from __future__ import annotations

import csv
import ctypes
import ctypes.util
import functools
import io
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

import cv2
import numpy as np
import pytesseract
from PIL import Image

from models.internal import PageText, Word
from pipeline.errors import ToolError, ToolMissing, ToolTimeout
from pipeline.tools.cv import guarded

EngineName = Literal["tesserocr", "pytesseract"]

DEBIAN_TESSDATA = "/usr/share/tesseract-ocr/5/tessdata/"


@dataclass(frozen=True)
class EngineSpec:
    """Which backend, with which language data (one engine per distinct spec)."""

    engine: EngineName = "tesserocr"
    language: str = "eng"
    tessdata: str | None = None
    timeout: float = 60.0


@dataclass(frozen=True)
class OcrRequest:
    """How to OCR one image (kept for callers that pass everything at once)."""

    language: str = "eng"
    psm: int = 3
    timeout: float = 60.0
    whitelist: str | None = None
    tessdata: str | None = None
    engine: EngineName = "tesserocr"


class OcrEngine(Protocol):
    """Reads the words of an image."""

    def read(
        self,
        image: np.ndarray,
        page: int,
        psm: int,
        scale: float = 1.0,
        whitelist: str | None = None,
    ) -> PageText:
        """OCR `image`; boxes are divided by `scale` (the factor the image was resized by)."""
        ...


def available() -> bool:
    """True when a `tesseract` executable is on PATH."""
    return shutil.which("tesseract") is not None


def default_tessdata(tessdata: str | None) -> str | None:
    """The tessdata folder to use: the configured one, else Debian's when present."""
    if tessdata:
        return tessdata
    return DEBIAN_TESSDATA if Path(DEBIAN_TESSDATA, "eng.traineddata").exists() else None


def _to_rgb(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return image
    return np.ascontiguousarray(image[:, :, 2::-1])


LEPTONICA_SEVERITY_NONE = 6


@functools.cache
def quiet_leptonica() -> bool:
    """Stop Leptonica printing its internal 'Error in boxClipToRectangle'-style notes
    on stderr (they concern its own clipping, never our result); True when done.
    The tesserocr wheel bundles its own Leptonica beside the package; else the system's."""
    done = False
    for name in _leptonica_libraries():
        try:
            ctypes.CDLL(name).setMsgSeverity(LEPTONICA_SEVERITY_NONE)
            done = True
        except (OSError, AttributeError):
            continue
    return done


def _leptonica_libraries() -> list[str]:
    found: list[str] = []
    try:
        import tesserocr

        bundled = Path(tesserocr.__file__).resolve().parent.parent / "tesserocr.libs"
        found += [str(p) for p in sorted(bundled.glob("libleptonica*.so*"))]
    except ImportError:  # pragma: no cover - depends on the install
        pass
    system = ctypes.util.find_library("leptonica") or ctypes.util.find_library("lept")
    return found + ([system] if system else [])


class TesserocrEngine:
    """The Tesseract API in-process (not thread-safe: `engine_for` gives one per thread)."""

    def __init__(self, spec: EngineSpec) -> None:
        try:
            import tesserocr
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ToolMissing("tesserocr is not installed") from exc
        quiet_leptonica()
        path = default_tessdata(spec.tessdata)
        if path is None:
            raise ToolMissing("no Tesseract language data found (set ocr.tessdata)")
        try:
            self._api = tesserocr.PyTessBaseAPI(path=path, lang=spec.language)
        except RuntimeError as exc:
            raise ToolMissing(f"Tesseract could not load language {spec.language!r}") from exc

    def read(
        self,
        image: np.ndarray,
        page: int,
        psm: int,
        scale: float = 1.0,
        whitelist: str | None = None,
    ) -> PageText:
        api = self._api
        try:
            api.SetPageSegMode(psm)
            api.SetVariable("tessedit_char_whitelist", whitelist or "")
            api.SetImage(Image.fromarray(_to_rgb(image)))
            api.Recognize()
            tsv = api.GetTSVText(0)
        except RuntimeError as exc:
            raise ToolError(f"Tesseract failed: {str(exc)[:200]}") from None
        finally:
            api.Clear()
        height, width = image.shape[:2]
        rows = _tsv_rows(tsv)
        words = tuple(_words(rows, page, scale))
        return PageText(page, words, "ocr", round(width / scale), round(height / scale))


class PytesseractEngine:
    """One `tesseract` process per call, killed after `timeout` seconds."""

    def __init__(self, spec: EngineSpec) -> None:
        if not available():
            raise ToolMissing("Tesseract is not installed (apt-get install tesseract-ocr)")
        self._spec = spec
        self._tessdata = default_tessdata(spec.tessdata)

    def _config(self, psm: int, whitelist: str | None) -> str:
        parts = [f"--psm {psm}"]
        if self._tessdata:
            parts.append(f'--tessdata-dir "{self._tessdata}"')
        if whitelist:
            parts.append(f"-c tessedit_char_whitelist={whitelist}")
        return " ".join(parts)

    def read(
        self,
        image: np.ndarray,
        page: int,
        psm: int,
        scale: float = 1.0,
        whitelist: str | None = None,
    ) -> PageText:
        spec = self._spec
        try:
            tsv = pytesseract.image_to_data(
                _to_rgb(image),
                lang=spec.language,
                config=self._config(psm, whitelist),
                timeout=spec.timeout,
            )
        except RuntimeError as exc:  # pytesseract raises RuntimeError on timeout
            raise ToolTimeout(f"Tesseract did not finish within {spec.timeout:.0f} s") from exc
        except pytesseract.TesseractNotFoundError as exc:
            raise ToolMissing("Tesseract is not installed") from exc
        except pytesseract.TesseractError as exc:
            raise ToolError(f"Tesseract failed: {str(exc.message)[:200]}") from None
        height, width = image.shape[:2]
        words = tuple(_words(_tsv_rows(tsv), page, scale))
        return PageText(page, words, "ocr", round(width / scale), round(height / scale))


_local = threading.local()


def engine_for(spec: EngineSpec) -> OcrEngine:
    """The engine for `spec`, built once per thread and reused."""
    cache: dict[EngineSpec, OcrEngine] = getattr(_local, "engines", None) or {}
    _local.engines = cache
    engine = cache.get(spec)
    if engine is None:
        engine = TesserocrEngine(spec) if spec.engine == "tesserocr" else PytesseractEngine(spec)
        cache[spec] = engine
    return engine


def ocr_words(image: np.ndarray, page: int, req: OcrRequest, scale: float = 1.0) -> PageText:
    """OCR an image with the engine the request names."""
    spec = EngineSpec(req.engine, req.language, req.tessdata, req.timeout)
    return engine_for(spec).read(image, page, req.psm, scale, req.whitelist)


@guarded
def text_height(gray: np.ndarray) -> float | None:
    """Typical character height in pixels (75th percentile of glyph-sized dark blobs).

    None when too few glyph-like components are found to tell (a photo, a blank page).
    """
    block = _odd(max(15, min(gray.shape[:2]) // 30))
    ink = cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY_INV, block, 15
    )
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    heights, widths = stats[1:, 3], stats[1:, 2]
    glyph = (
        (heights >= 6) & (heights <= gray.shape[0] * 0.2) & (widths >= 2) & (widths <= heights * 3)
    )
    if int(glyph.sum()) < 10:
        return None
    return float(np.percentile(heights[glyph], 75))


@guarded
def prepare(
    image: np.ndarray,
    target_height: int,
    bounds: tuple[float, float],
    max_side: int,
    binarize: bool,
) -> tuple[np.ndarray, float]:
    """Grey, scaled so text is about `target_height` px high, optionally binarised locally.

    Returns the image to OCR and the factor it was scaled by (boxes are divided by it).
    """
    gray = image if image.ndim == 2 else cv2.cvtColor(image[:, :, :3], cv2.COLOR_BGR2GRAY)
    height = text_height(gray)
    factor = 1.0
    if height:
        factor = min(max(target_height / height, bounds[0]), bounds[1])
    factor = min(factor, max_side / max(gray.shape[:2]))
    if abs(factor - 1.0) > 0.1:
        interp = cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC
        gray = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=interp)
    else:
        factor = 1.0
    if binarize:
        block = _odd(max(15, int(target_height * 1.5)))
        gray = cv2.adaptiveThreshold(
            gray, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, 10
        )
    return gray, factor


def _odd(n: int) -> int:
    return n if n % 2 else n + 1


def _tsv_rows(tsv: str) -> list[dict[str, str]]:
    reader = csv.reader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    rows = list(reader)
    if not rows:
        return []
    if rows[0] and rows[0][0] == "level":
        header, body = rows[0], rows[1:]
    else:  # tesserocr's GetTSVText has no header line
        header, body = _TSV_HEADER, rows
    return [dict(zip(header, r, strict=False)) for r in body if len(r) >= len(header) - 1]


_TSV_HEADER = [
    "level",
    "page_num",
    "block_num",
    "par_num",
    "line_num",
    "word_num",
    "left",
    "top",
    "width",
    "height",
    "conf",
    "text",
]


def _words(rows: list[dict[str, str]], page: int, scale: float) -> list[Word]:
    out: list[Word] = []
    line_keys: dict[tuple[str, str, str], int] = {}
    for row in rows:
        text = (row.get("text") or "").strip()
        try:
            conf = float(row.get("conf", "-1"))
            x, y, w, h = (int(row[k]) for k in ("left", "top", "width", "height"))
        except (KeyError, ValueError):
            continue
        if conf < 0 or not text:
            continue
        key = (row["block_num"], row["par_num"], row["line_num"])
        line = line_keys.setdefault(key, len(line_keys))
        box = (round(x / scale), round(y / scale), round((x + w) / scale), round((y + h) / scale))
        out.append(Word(text, conf / 100.0, box, page, line))
    return out


@dataclass(frozen=True)
class Orientation:
    """Tesseract's orientation guess: rotate the image clockwise by `rotate` degrees to fix it."""

    rotate: int
    confidence: float


def detect_orientation(
    image: np.ndarray, tessdata: str | None = None, timeout: float = 20.0
) -> Orientation | None:
    """Page orientation (0/90/180/270) by Tesseract OSD; None when there is too little text.

    In-process (tesserocr, OSD only, one instance per thread: about half the CPU of a
    `tesseract --psm 0` process) when available, else one process killed at `timeout`.
    """
    path = default_tessdata(tessdata)
    api = _osd_api(path)
    if api is not None:
        return _osd_in_process(api, image)
    return _osd_process(image, path, timeout)


def _osd_api(path: str | None) -> object | None:
    """This thread's tesserocr OSD instance, None when tesserocr or osd data is missing."""
    cache: dict[str | None, object | None] = getattr(_local, "osd", None) or {}
    _local.osd = cache
    if path in cache:
        return cache[path]
    api = None
    if path is not None and Path(path, "osd.traineddata").exists():
        try:
            import tesserocr

            api = tesserocr.PyTessBaseAPI(path=path, lang="osd", psm=tesserocr.PSM.OSD_ONLY)
        except (ImportError, RuntimeError):
            api = None
    cache[path] = api
    return api


def _osd_in_process(api: object, image: np.ndarray) -> Orientation | None:
    try:
        api.SetImage(Image.fromarray(_to_rgb(image)))  # type: ignore[attr-defined]
        found = api.DetectOrientationScript()  # type: ignore[attr-defined]
    except RuntimeError as exc:
        raise ToolError(f"Tesseract OSD failed: {str(exc)[:200]}") from None
    finally:
        api.Clear()  # type: ignore[attr-defined]
    if not found:
        return None  # too few characters
    try:  # orient_deg is how the text is turned; the fix turns it back (clockwise)
        return Orientation((360 - int(found["orient_deg"])) % 360, float(found["orient_conf"]))
    except (KeyError, ValueError, TypeError):
        return None


def _osd_process(image: np.ndarray, path: str | None, timeout: float) -> Orientation | None:
    if not available():
        raise ToolMissing("Tesseract is not installed (apt-get install tesseract-ocr)")
    config = f'--psm 0 --tessdata-dir "{path}"' if path else "--psm 0"
    try:
        osd = pytesseract.image_to_osd(
            _to_rgb(image), config=config, timeout=timeout, output_type=pytesseract.Output.DICT
        )
    except pytesseract.TesseractNotFoundError as exc:
        raise ToolMissing("Tesseract is not installed") from exc
    except pytesseract.TesseractError:
        return None  # "Too few characters": no orientation to report
    except RuntimeError as exc:  # pytesseract's timeout (TesseractError is a RuntimeError too)
        raise ToolTimeout(f"Tesseract OSD did not finish within {timeout:.0f} s") from exc
    try:
        return Orientation(int(osd["rotate"]) % 360, float(osd["orientation_conf"]))
    except (KeyError, ValueError, TypeError):
        return None
