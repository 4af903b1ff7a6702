"""Stage `load_file`: sniff the file type by content, enforce limits, decode the pages.

Images are decoded once (EXIF orientation applied, every TIFF frame, HEIC through
pillow-heif) after their header has been checked against the pixel limit. PDFs are
probed: pages with a text layer get their words now (no OCR later); pages without
one are rendered for OCR. Anything unusable raises `FileUnreadable`.
"""

from __future__ import annotations

import io
import math
import struct
import warnings
from dataclasses import replace

import cv2
import numpy as np
from PIL import Image, ImageSequence, UnidentifiedImageError

from models.internal import DocumentState, FileKind, Page
from pipeline.context import Context
from pipeline.errors import FileUnreadable
from pipeline.tools import pdf

try:  # HEIC support where the platform has it
    import pillow_heif

    pillow_heif.register_heif_opener()
    HEIC_SUPPORTED = True
except ImportError:  # pragma: no cover - depends on the platform
    HEIC_SUPPORTED = False

Image.MAX_IMAGE_PIXELS = None  # we enforce our own limit before decoding
MAX_TIFF_FRAMES = 10
_ORIENTATION = 0x0112
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
"""EXIF orientation -> the transpose that shows the image upright (as `ImageOps.exif_transpose`)."""

_HEIC_BRANDS = (
    b"heic",
    b"heix",
    b"hevc",
    b"heim",
    b"heis",
    b"hevm",
    b"hevs",
    b"mif1",
    b"msf1",
    b"avif",
)


def sniff(data: bytes) -> FileKind | None:
    """The file type from its first bytes, whatever its name says."""
    head = data[:32]
    if head.startswith(b"\xff\xd8\xff"):
        return FileKind.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileKind.PNG
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return FileKind.TIFF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return FileKind.WEBP
    if head[4:8] == b"ftyp" and head[8:12] in _HEIC_BRANDS:
        return FileKind.HEIC
    if b"%PDF-" in data[:1024]:
        return FileKind.PDF
    return None


def load_file(doc: DocumentState, ctx: Context) -> DocumentState:
    """Stage: sniff and decode the document's file."""
    kind = sniff(doc.data)
    if kind is None:
        raise FileUnreadable(
            "the file is not a supported type (JPEG, PNG, TIFF, WebP, HEIC or PDF)",
            "the file type is not supported",
        )
    if kind is FileKind.PDF:
        return _load_pdf(replace(doc, kind=kind), ctx)
    if kind is FileKind.HEIC and not HEIC_SUPPORTED:
        raise FileUnreadable(
            "HEIC images are not supported on this server", "HEIC is not supported"
        )
    limits = ctx.config.limits
    pages = decode_image(
        doc.data, limits.image_megapixels, limits.decode_megapixels, limits.decode_bytes
    )
    return replace(doc, kind=kind, pages=pages, page_count=len(pages))


def decode_image(
    data: bytes,
    max_megapixels: float,
    work_megapixels: float | None = None,
    max_bytes: int | None = None,
) -> tuple[Page, ...]:
    """Every frame of an image file as BGR pages, EXIF orientation applied.

    The size in the header is checked against `max_megapixels` before any pixel is
    decoded; frames over `work_megapixels` are reduced by an integer factor while
    decoding (JPEG at 1/2, 1/4 or 1/8 scale directly), their DPI scaled alike; a frame
    that would take more than `max_bytes` of memory to decode is refused.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            _check_pixels(img.size, max_megapixels)
            pages = []
            for i, frame in enumerate(ImageSequence.Iterator(img)):
                if i >= MAX_TIFF_FRAMES:
                    break
                _check_pixels(frame.size, max_megapixels)
                pages.append(_decode_frame(i, frame, work_megapixels, max_bytes))
    except FileUnreadable:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        EOFError,
        struct.error,
        TypeError,  # a TIFF without its dimensions: "Missing dimensions" (found by fuzzing)
        KeyError,
        IndexError,
        ZeroDivisionError,
    ) as exc:
        raise FileUnreadable(
            f"the image is corrupt or truncated ({_short(exc)})", "the image is damaged"
        ) from None
    except (MemoryError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise FileUnreadable("the image is too large to decode", "the image is too large") from None
    if not pages:
        raise FileUnreadable("the image has no frames", "the image is empty")
    return tuple(pages)


def _decode_frame(
    index: int, frame: Image.Image, work_megapixels: float | None, max_bytes: int | None
) -> Page:
    """One frame decoded (reduced when over the working size), oriented, as BGR."""
    width, height = frame.size
    dpi = _dpi(frame)
    factor = _reduction(width * height, work_megapixels)
    if factor > 1 and frame.format == "JPEG":
        frame.draft(None, (width // factor, height // factor))  # libjpeg scales while decoding
    _check_memory(frame, max_bytes)
    frame.load()
    orientation = frame.getexif().get(_ORIENTATION)  # after the checks: a PNG loads for it
    if factor > 1:
        rest = max(1, round(frame.size[0] / (width / factor)))
        frame = frame.reduce(rest) if rest > 1 else frame
    to_stored = None
    if frame.size[0] != width:
        dpi = dpi * frame.size[0] / width if dpi else None
        back = width / frame.size[0]  # boxes on the reduced image, in stored-image pixels
        to_stored = (back, 0.0, 0.0, 0.0, back, 0.0, 0.0, 0.0, 1.0)
    method = _TRANSPOSE.get(orientation) if isinstance(orientation, int) else None
    if method is not None:
        frame = frame.transpose(method)
    return Page(index, _to_bgr(frame), dpi, to_stored)


def _check_memory(frame: Image.Image, max_bytes: int | None) -> None:
    per_pixel = 1 if frame.mode in ("1", "L", "P") else 2 if frame.mode in ("LA", "PA") else 4
    need = frame.size[0] * frame.size[1] * per_pixel
    if max_bytes and need > max_bytes:
        raise FileUnreadable(
            f"the image would take {need / 1e6:.0f} MB to decode, over the "
            f"{max_bytes / 1e6:.0f} MB limit",
            "the image is too large",
        )


def _reduction(pixels: int, work_megapixels: float | None) -> int:
    """The smallest integer factor bringing `pixels` under the working size."""
    if not work_megapixels or pixels <= work_megapixels * 1e6:
        return 1
    return math.ceil(math.sqrt(pixels / (work_megapixels * 1e6)))


def _short(exc: Exception) -> str:
    text = (str(exc) or type(exc).__name__).splitlines()[0]
    if text.startswith("cannot identify image file"):
        return "unrecognised image data"
    return text[:120]


def _check_pixels(size: tuple[int, int], max_megapixels: float) -> None:
    width, height = size
    if width <= 0 or height <= 0:
        raise FileUnreadable("the image has no pixels", "the image is empty")
    if width * height > max_megapixels * 1e6:
        raise FileUnreadable(
            f"the image is {width}x{height} pixels, over the {max_megapixels:.0f} megapixel limit",
            f"the image is larger than {max_megapixels:.0f} megapixels",
        )


def _dpi(img: Image.Image) -> float | None:
    dpi = img.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else None
    except (TypeError, ValueError, IndexError):
        return None
    return value if value and 30 <= value <= 2400 else None


def _to_bgr(img: Image.Image) -> np.ndarray:
    if img.mode not in ("RGB", "L"):
        img = (
            img.convert("RGBA").convert("RGB")
            if "A" in img.mode or img.mode == "P"
            else img.convert("RGB")
        )
    arr = np.asarray(img)  # OpenCV's conversions: the numpy copies were 5x slower
    return cv2.cvtColor(arr, cv2.COLOR_GRAY2BGR if arr.ndim == 2 else cv2.COLOR_RGB2BGR)


def _load_pdf(doc: DocumentState, ctx: Context) -> DocumentState:
    limits, dpi = ctx.config.limits, ctx.config.ocr.pdf_dpi
    max_pixels = min(limits.image_megapixels, limits.decode_megapixels) * 1e6
    with pdf.open_pdf(doc.data) as handle:
        count = pdf.page_count(handle, limits.pdf_pages)  # before any page is parsed
        pdf.check_content(
            doc.data,
            min(count, limits.pdf_pages_read),
            limits.pdf_content_bytes,
            limits.image_megapixels * 1e6,
        )
        info = pdf.probe(handle, limits.pdf_pages, limits.pdf_pages_read, limits.pdf_page_chars)
        scanned = [
            i
            for i in range(min(info.page_count, limits.pdf_pages_read))
            if i not in info.text_pages
        ]
        pages = tuple(
            Page(
                i,
                pdf.render(handle, i, dpi, max_pixels),
                pdf.render_scale(handle, i, dpi, max_pixels) * 72,
            )
            for i in scanned
        )
        text = tuple(pdf.words(doc.data, info.text_pages, dpi, handle)) if info.text_pages else ()
    return replace(doc, page_count=info.page_count, pages=pages, text=text)
