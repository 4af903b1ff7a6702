"""Page images of stored documents, for the reviewer's viewer.

Pages are decoded exactly as the pipeline decodes them (`pipeline.load`: EXIF orientation
applied; PDFs rendered through `pipeline.tools.pdf` at the pipeline's `ocr.pdf_dpi`), so
the verdict's evidence boxes, given in page pixels, line up with the image shown.
Failures raise the pipeline's `FileUnreadable` / `ToolError`.
"""

from __future__ import annotations

import io
from collections import OrderedDict
from threading import Lock

import numpy as np
from PIL import Image

from models.internal import FileKind
from pipeline import load
from pipeline.config import PipelineConfig
from pipeline.errors import FileUnreadable
from pipeline.tools import pdf


def page_count(data: bytes, config: PipelineConfig) -> int:
    """How many pages the viewer can show (a PDF's first `pdf_pages_read`, TIFF frames)."""
    kind = load.sniff(data)
    if kind is None:
        raise FileUnreadable("unsupported file type", "the file type is not supported")
    if kind is FileKind.PDF:
        with pdf.open_pdf(data) as handle:
            return min(len(handle), config.limits.pdf_pages_read)
    try:
        with Image.open(io.BytesIO(data)) as img:
            return max(1, min(int(getattr(img, "n_frames", 1)), load.MAX_TIFF_FRAMES))
    except (OSError, ValueError) as exc:
        raise FileUnreadable("the image cannot be opened", "the image is damaged") from exc


def render_page(data: bytes, index: int, config: PipelineConfig) -> bytes:
    """One page as a JPEG, in the pixel grid the pipeline used."""
    kind = load.sniff(data)
    if kind is None:
        raise FileUnreadable("unsupported file type", "the file type is not supported")
    if kind is FileKind.PDF:
        limits = config.limits
        with pdf.open_pdf(data) as handle:
            if not 0 <= index < len(handle):
                raise IndexError(index)
            pdf.check_content(
                data, index + 1, limits.pdf_content_bytes, limits.image_megapixels * 1e6
            )
            max_pixels = min(limits.image_megapixels, limits.decode_megapixels) * 1e6
            bgr = pdf.render(handle, index, config.ocr.pdf_dpi, max_pixels)
    else:
        limits = config.limits
        pages = load.decode_image(
            data, limits.image_megapixels, limits.decode_megapixels, limits.decode_bytes
        )
        if not 0 <= index < len(pages):
            raise IndexError(index)
        bgr = pages[index].image
    return _jpeg(bgr)


def _jpeg(bgr: np.ndarray) -> bytes:
    rgb = np.ascontiguousarray(bgr[:, :, ::-1]) if bgr.ndim == 3 else bgr
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, format="JPEG", quality=85)
    return out.getvalue()


class PageCache:
    """A small thread-safe LRU of rendered pages, keyed by content hash and page."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, int], bytes] = OrderedDict()
        self._lock = Lock()

    def get(self, key: tuple[str, int]) -> bytes | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: tuple[str, int], value: bytes) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
