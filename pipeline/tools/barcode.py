"""zxing-cpp wrapper: read and write PDF417 symbols, failures as pipeline errors.

`read_pdf417(image)` returns every PDF417 symbol zxing-cpp decodes in a BGR or grey
image, as the raw payload bytes (no `<LF>`-style escapes) with the symbol's bounding
box in the image's pixels. `render_pdf417(payload)` draws one (for samples and tests).
No other module imports zxingcpp.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from pipeline.errors import ToolError, ToolMissing

try:  # pragma: no cover - depends on the install
    import zxingcpp
except ImportError:  # pragma: no cover
    zxingcpp = None

Box = tuple[int, int, int, int]
Binarizer = Literal["local", "global"]
"""zxing's LocalAverage (default) or GlobalHistogram binariser: some photographed
barcodes read only with the global one."""


@dataclass(frozen=True)
class Symbol:
    """One decoded PDF417 symbol."""

    payload: bytes
    box: Box
    """x0, y0, x1, y1 of the symbol in pixels of the image it was read from."""
    corners: tuple[tuple[int, int], ...]
    """top-left, top-right, bottom-right, bottom-left as zxing reports them."""


def available() -> bool:
    """True when zxing-cpp can be imported."""
    return zxingcpp is not None


def _lib() -> object:
    if zxingcpp is None:
        raise ToolMissing("zxing-cpp is not installed (pip install zxing-cpp)")
    return zxingcpp


def read_pdf417(image: np.ndarray, binarizer: Binarizer = "local") -> list[Symbol]:
    """Decode the PDF417 symbols of a BGR or grey uint8 image (empty list: none found)."""
    lib = _lib()
    array = np.ascontiguousarray(image)
    if array.dtype != np.uint8 or array.ndim not in (2, 3) or min(array.shape[:2]) < 8:
        return []
    try:
        found = lib.read_barcodes(  # type: ignore[attr-defined]
            array,
            formats=lib.BarcodeFormat.PDF417,  # type: ignore[attr-defined]
            text_mode=lib.TextMode.Plain,  # type: ignore[attr-defined]
            binarizer=_binarizer(lib, binarizer),
        )
    except (RuntimeError, ValueError, TypeError) as exc:
        raise ToolError(f"zxing-cpp could not read the image ({type(exc).__name__})") from None
    return [_symbol(b) for b in found if b.valid]


def _binarizer(lib: object, name: Binarizer) -> object:
    kinds = lib.Binarizer  # type: ignore[attr-defined]
    return kinds.GlobalHistogram if name == "global" else kinds.LocalAverage


def _symbol(barcode: object) -> Symbol:
    pos = barcode.position  # type: ignore[attr-defined]
    points = [pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left]
    corners = tuple((int(p.x), int(p.y)) for p in points)
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    box = (max(0, min(xs)), max(0, min(ys)), max(xs), max(ys))
    return Symbol(bytes(barcode.bytes), box, corners)  # type: ignore[attr-defined]


def render_pdf417(payload: str | bytes, module_px: int = 3) -> np.ndarray:
    """A PDF417 symbol of `payload` as a grey uint8 image with quiet zones."""
    lib = _lib()
    try:
        symbol = lib.create_barcode(payload, lib.BarcodeFormat.PDF417)  # type: ignore[attr-defined]
        return np.array(symbol.to_image(scale=module_px), dtype=np.uint8)
    except (RuntimeError, ValueError, TypeError) as exc:
        raise ToolError(f"zxing-cpp could not write the symbol ({type(exc).__name__})") from None
