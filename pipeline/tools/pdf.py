"""PDF wrapper (pypdfium2 for opening, probing and rendering; pdfplumber for word boxes).

Failures of either library become `FileUnreadable` (encrypted, corrupt, too many pages)
or `ToolError`. PDFium is not thread-safe, not even across documents (pypdfium2's README):
a document is used only inside `open_pdf`, which holds one process-wide lock from opening
to closing, so worker threads take turns at PDFium. Word boxes are returned in pixels of
the page rendered at `dpi`, so that evidence boxes of text PDFs and of scanned pages share
one coordinate system.
"""

from __future__ import annotations

import ctypes
import io
import logging
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pdfplumber
import pdfplumber.page
import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfminer.layout import LTChar, LTContainer, LTItem
from pdfplumber.utils.text import WordExtractor

from models.internal import PageText, Word
from pipeline.errors import FileUnreadable, ToolError

logging.getLogger("pdfminer").setLevel(logging.ERROR)

_PDFIUM = threading.RLock()
"""Held while a PDFium document is open (one thread in PDFium at a time)."""

MIN_TEXT_CHARS = 20
"""A page with fewer extractable characters is treated as scanned (OCR it)."""


@dataclass(frozen=True)
class PdfInfo:
    """What a quick probe of a PDF tells."""

    page_count: int
    text_pages: tuple[int, ...]
    """Indexes (among the pages probed) that have a usable text layer."""


@contextmanager
def open_pdf(data: bytes) -> Iterator[pdfium.PdfDocument]:
    """Open with PDFium, holding the PDFium lock until the document is closed;
    FileUnreadable for encrypted or corrupt files."""
    with _PDFIUM:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            msg = str(exc).lower()
            if "password" in msg or "security" in msg:
                raise FileUnreadable(
                    "the PDF is encrypted with a password", "the PDF is password-protected"
                ) from None
            raise FileUnreadable(f"the PDF is corrupt ({exc})", "the PDF is damaged") from None
        try:
            yield pdf
        finally:
            pdf.close()


def page_count(pdf: pdfium.PdfDocument, max_pages: int) -> int:
    """The number of pages (read from the page tree, no page parsed); refused over max_pages."""
    count = len(pdf)
    if count <= 0:
        raise FileUnreadable("the PDF has no pages", "the PDF is empty")
    if count > max_pages:
        raise FileUnreadable(
            f"the PDF has {count} pages, over the limit of {max_pages}",
            f"the PDF has more than {max_pages} pages",
        )
    return count


def probe(
    pdf: pdfium.PdfDocument, max_pages: int, pages_read: int, max_chars: int | None = None
) -> PdfInfo:
    """Page count and which of the first `pages_read` pages carry text.

    A page holding more than `max_chars` characters is refused: extracting word boxes
    from it would take minutes (pdfminer is pure Python).
    """
    count = page_count(pdf, max_pages)
    text_pages = []
    for i in range(min(count, pages_read)):
        try:
            textpage = pdf[i].get_textpage()
            chars = textpage.count_chars()
            if max_chars is None or chars <= max_chars:
                chars = len(textpage.get_text_range().strip())
        except pdfium.PdfiumError:
            chars = 0
        if max_chars is not None and chars > max_chars:
            raise FileUnreadable(
                f"page {i + 1} of the PDF holds {chars} characters, over the limit of {max_chars}",
                "the PDF holds far more text than a document of this kind",
            )
        if chars >= MIN_TEXT_CHARS:
            text_pages.append(i)
    return PdfInfo(page_count=count, text_pages=tuple(text_pages))


def check_content(data: bytes, pages: int, max_bytes: int, max_pixels: float) -> None:
    """Refuse a PDF whose first `pages` pages would inflate past `max_bytes` or show an
    image over `max_pixels`, before PDFium parses them (it decodes content in memory).

    Every stream reachable from those pages (contents, forms, fonts, annotations) is
    measured with a bounded inflate, so a compression bomb costs at most `max_bytes`.
    """
    try:
        with pikepdf.open(io.BytesIO(data)) as doc:
            budget = _Budget(max_bytes, max_pixels)
            for index, page in enumerate(doc.pages):
                if index >= pages:
                    break
                budget.walk(page.obj)
    except FileUnreadable:
        raise
    except pikepdf.PasswordError:
        raise FileUnreadable(
            "the PDF is encrypted with a password", "the PDF is password-protected"
        ) from None
    except (
        pikepdf.PdfError,
        pikepdf.DataDecodingError,
        RecursionError,
        ValueError,
        TypeError,
    ) as exc:
        raise FileUnreadable(
            f"the PDF structure is damaged ({type(exc).__name__})", "the PDF is damaged"
        ) from None


_ASCII_FILTERS = {"/ASCIIHexDecode", "/AHx", "/ASCII85Decode", "/A85"}
_FLATE_FILTERS = {"/FlateDecode", "/Fl"}
_IMAGE_FILTERS = {"/DCTDecode", "/DCT", "/JPXDecode", "/CCITTFaxDecode", "/CCF", "/JBIG2Decode"}
_MAX_OBJECTS = 200_000


class _Budget:
    """Walks a page's object graph, adding up decoded stream sizes against the limits."""

    def __init__(self, max_bytes: int, max_pixels: float) -> None:
        self.left = max_bytes
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels
        self.seen: set[tuple[int, int]] = set()
        self.visited = 0

    def walk(self, root: pikepdf.Object) -> None:
        stack = [root]
        while stack:
            obj = stack.pop()
            if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream | pikepdf.Array):
                continue  # numbers, names, strings: nothing to decode
            self.visited += 1
            if self.visited > _MAX_OBJECTS:
                raise FileUnreadable("the PDF has too many objects", "the PDF is too complex")
            if obj.is_indirect:
                if obj.objgen in self.seen:
                    continue
                self.seen.add(obj.objgen)
            if isinstance(obj, pikepdf.Stream):
                self._measure(obj)
            if isinstance(obj, pikepdf.Array):
                stack.extend(obj)
            else:
                stack.extend(v for k, v in obj.items() if k not in ("/Parent", "/P"))

    def _measure(self, stream: pikepdf.Stream) -> None:
        if stream.get("/Subtype") == "/Image":
            width, height = int(stream.get("/Width", 0)), int(stream.get("/Height", 0))
            if width * height > self.max_pixels:
                raise FileUnreadable(
                    f"the PDF holds a {width}x{height} pixel image, over the limit",
                    "the PDF holds an image that is too large",
                )
            return
        filters = stream.get("/Filter")
        names = (
            [str(f) for f in filters]
            if isinstance(filters, pikepdf.Array)
            else [str(filters or "")]
        )
        names = [n for n in names if n]
        if any(n in _IMAGE_FILTERS for n in names):
            return
        size = _decoded_size(stream.read_raw_bytes(), names, self.left)
        self.left -= size
        if self.left < 0:
            raise FileUnreadable(
                f"the PDF's page content inflates past {self.max_bytes / 1e6:.0f} MB",
                "the PDF is too large to process",
            )


def _decoded_size(raw: bytes, filters: list[str], budget: int) -> int:
    """Size of the decoded stream, stopping once past `budget` (returns budget + 1)."""
    data = raw
    for position, name in enumerate(filters):
        last = position == len(filters) - 1
        if name in _ASCII_FILTERS:
            data = _ascii_decode(data, name)
        elif name in _FLATE_FILTERS:
            size, data = _inflate(data, budget, keep=not last)
            if last or size > budget:
                return size
        else:  # LZW, RunLength (rare in content streams): a rough upper estimate
            return min(len(data) * 8, budget + 1)
    return len(data)


def _ascii_decode(data: bytes, name: str) -> bytes:
    import base64

    if name in ("/ASCIIHexDecode", "/AHx"):
        hexdigits = bytes(c for c in data.split(b">")[0] if chr(c) in "0123456789abcdefABCDEF")
        return bytes.fromhex((hexdigits + b"0" * (len(hexdigits) % 2)).decode())
    body = data.strip()
    body = body[2:] if body.startswith(b"<~") else body
    return base64.a85decode(body.split(b"~>")[0], adobe=False, ignorechars=b" \t\n\r\x0b\x0c")


def _inflate(data: bytes, budget: int, keep: bool) -> tuple[int, bytes]:
    """(decoded size, decoded bytes if `keep`), never producing more than budget + 1 bytes."""
    decomp = zlib.decompressobj()
    size, kept, chunk = 0, bytearray(), 1 << 20
    pending = data
    try:
        while pending and size <= budget:
            out = decomp.decompress(pending, chunk)
            pending = decomp.unconsumed_tail
            size += len(out)
            if keep:
                kept += out
            if decomp.eof or (not out and not pending):
                break
    except zlib.error:  # PDFium tolerates damaged streams: count what inflated
        pass
    return size, bytes(kept)


def render_scale(pdf: pdfium.PdfDocument, index: int, dpi: int, max_pixels: float) -> float:
    """Pixels per PDF point at which `render` draws the page (dpi / 72, or less to fit)."""
    try:
        width, height = pdf[index].get_size()
    except pdfium.PdfiumError as exc:
        raise ToolError(f"PDFium could not open page {index}: {exc}") from None
    scale = dpi / 72.0
    area = max(width * height, 1.0)
    if area * scale * scale > max_pixels:
        scale = (max_pixels / area) ** 0.5
    return scale


def render(pdf: pdfium.PdfDocument, index: int, dpi: int, max_pixels: float) -> np.ndarray:
    """Render one page to a BGR image at `dpi` (scaled down to stay under max_pixels)."""
    scale = render_scale(pdf, index, dpi, max_pixels)
    try:
        page = pdf[index]
        bitmap = page.render(scale=scale, grayscale=False)
        image = bitmap.to_numpy()
    except pdfium.PdfiumError as exc:
        raise ToolError(f"PDFium could not render page {index}: {exc}") from None
    if image.ndim == 3 and image.shape[2] == 4:
        image = image[:, :, :3]
    return np.ascontiguousarray(image)


def words(
    data: bytes, indexes: tuple[int, ...], dpi: int, handle: pdfium.PdfDocument | None = None
) -> list[PageText]:
    """Words with boxes (pixels at `dpi`) from the text layer of the given pages.

    Characters are grouped into words by pdfplumber's `WordExtractor` (as
    `Page.extract_words(use_text_flow=True)` does). On a plain page (upright text, no
    rotation, media box at the origin, no crop) the characters come from PDFium, already
    open as `handle` (`pdfium_chars`: about a quarter of the CPU, same words, lines and
    boxes on the sample bills); otherwise from pdfminer's layout (`page_chars`), which
    alone was four fifths of the cost of a one-page text PDF.
    """
    scale = dpi / 72.0
    out: list[PageText] = []
    plumber: pdfplumber.PDF | None = None
    try:
        for i in indexes:
            chars = pdfium_chars(handle, i) if handle is not None else None
            if chars is not None:
                width, height = handle[i].get_size()  # type: ignore[index]
            else:
                plumber = plumber or pdfplumber.open(io.BytesIO(data))
                page = plumber.pages[i]
                chars, width, height = page_chars(page), page.width, page.height
            out.append(_page_text(i, _WORDS.extract_words(chars), width, height, scale))
    except Exception as exc:  # pdfminer raises many types, some with empty messages
        raise FileUnreadable(f"the PDF text layer cannot be read ({type(exc).__name__})") from None
    finally:
        if plumber is not None:
            plumber.close()
    return out


def pdfium_chars(handle: pdfium.PdfDocument, index: int) -> list[dict] | None:
    """The page's characters as `page_chars` gives them, read by PDFium; None when the page
    is not plain (rotated, cropped, media box off the origin, turned text): pdfminer reads it.

    A box spans the character's advance (PDFium's loose box) and, like pdfminer's, one
    font size up from the font's descent. Characters PDFium inserts (spaces and line
    breaks it infers) are left out: the word grouping splits on gaps itself.
    """
    page = handle[index]
    if page.get_rotation() or page.get_mediabox()[:2] != (0.0, 0.0):
        return None
    if page.get_cropbox() != page.get_mediabox():
        return None
    height = page.get_height()
    textpage = page.get_textpage()
    try:
        return _chars(textpage.raw, textpage.count_chars(), height)
    finally:
        textpage.close()


def _chars(text: object, count: int, height: float) -> list[dict] | None:
    rect = pdfium_c.FS_RECTF()
    out: list[dict] = []
    codes = _all_text(text, count)
    for i in range(count):
        code = codes[i] if codes is not None else pdfium_c.FPDFText_GetUnicode(text, i)
        if not code:
            continue
        if code in _BREAKS and pdfium_c.FPDFText_IsGenerated(text, i):
            continue  # only spaces and line breaks are ever generated
        if pdfium_c.FPDFText_GetCharAngle(text, i) not in (0.0, -1.0):
            return None  # turned text: pdfminer's direction handling
        pdfium_c.FPDFText_GetLooseCharBox(text, i, rect)
        size = pdfium_c.FPDFText_GetFontSize(text, i)
        bottom = height - rect.bottom
        top = bottom - size
        out.append(
            {
                "text": chr(code),
                "x0": rect.left,
                "x1": rect.right,
                "top": top,
                "bottom": bottom,
                "doctop": top,
                "upright": True,
                "size": size,
            }
        )
    return out


_BREAKS = frozenset((0x20, 0x0A, 0x0D))


def _all_text(text: object, count: int) -> list[int] | None:
    """Every character's code in one call (one per index), or None when the page holds
    characters outside the BMP (UTF-16 pairs would shift the indices): read one by one."""
    buffer = ctypes.create_string_buffer((count + 1) * 2)
    written = pdfium_c.FPDFText_GetText(
        text, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort))
    )
    units = buffer.raw[: max(written - 1, 0) * 2]
    codes = np.frombuffer(units, "<u2")
    if len(codes) != count or ((codes >= 0xD800) & (codes <= 0xDFFF)).any():
        return None
    return codes.tolist()


_WORDS = WordExtractor(keep_blank_chars=False, use_text_flow=True)


def page_chars(page: pdfplumber.page.Page) -> list[dict]:
    """The page's characters with what word grouping needs (text, box, direction), in
    content order, with the coordinates pdfplumber's `Page.chars` gives them."""
    height, (mb_x0, mb_top) = float(page.height), page.mediabox[:2]
    doctop = float(page.initial_doctop)
    out: list[dict] = []
    stack: list[Iterator[LTItem]] = [iter(page.layout)]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
        elif isinstance(item, LTChar):
            top, bottom = height - item.y1 + mb_top, height - item.y0 + mb_top
            out.append(
                {
                    "text": item.get_text(),
                    "x0": item.x0 + mb_x0,
                    "x1": item.x1 + mb_x0,
                    "top": top,
                    "bottom": bottom,
                    "doctop": doctop + top,
                    "upright": item.upright,
                    "size": item.size,
                }
            )
        elif isinstance(item, LTContainer):
            stack.append(iter(item))
    return out


def _page_text(index: int, raw: list[dict], width: float, height: float, scale: float) -> PageText:
    lines = _line_ids([float(w["top"]) for w in raw], [float(w["bottom"]) for w in raw])
    words_ = tuple(
        Word(
            text=str(w["text"]),
            confidence=1.0,
            box=(
                round(float(w["x0"]) * scale),
                round(float(w["top"]) * scale),
                round(float(w["x1"]) * scale),
                round(float(w["bottom"]) * scale),
            ),
            page=index,
            line=line,
        )
        for w, line in zip(raw, lines, strict=True)
    )
    ordered = tuple(sorted(words_, key=lambda w: (w.line, w.box[0])))
    return PageText(index, ordered, "pdf_text", round(width * scale), round(height * scale))


def _line_ids(tops: list[float], bottoms: list[float]) -> list[int]:
    """Group words whose vertical extents overlap by half into lines numbered top-down."""
    order = sorted(range(len(tops)), key=lambda i: (tops[i] + bottoms[i]) / 2)
    ids = [0] * len(tops)
    line, last_mid, last_h = -1, None, 0.0
    for i in order:
        mid, h = (tops[i] + bottoms[i]) / 2, bottoms[i] - tops[i]
        if last_mid is None or abs(mid - last_mid) > max(h, last_h) * 0.5:
            line += 1
            last_mid, last_h = mid, h
        ids[i] = line
    return ids
