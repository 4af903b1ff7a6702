"""A deterministic corpus of hostile and broken uploads, generated at test time.

`FILE_CASES` are single files put in a bundle beside one good document; `expect` says
what the hostile document must get: "unreadable" (FILE_UNREADABLE), "read" (decoded,
any other verdict) or "either" (a damaged file a decoder may or may not tolerate).
`BUNDLE_CASES` build whole bundles; `expect_exit` 2 means the bundle must be refused as
invalid, 0 that a verdict must still be produced. Nothing here is committed as a binary:
every byte comes from code (seeded where random), so the corpus is the same on every run.
"""

from __future__ import annotations

import io
import json
import os
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
import pikepdf
from PIL import Image
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

Expect = Literal["unreadable", "read", "either"]

PROFILE = {
    "first_name": "Maria",
    "middle_name": "L",
    "last_name": "Gonzalez-Rivera",
    "suffix": None,
    "date_of_birth": "1981-03-14",
    "address": {
        "line1": "12 Elm St",
        "line2": "Apt 3",
        "city": "Hartford",
        "state": "CT",
        "zip": "06106",
    },
}
GOOD_ID = "good-bill"
HOSTILE_ID = "hostile"


def manifest(documents: list[dict], **over: object) -> dict:
    """A valid `application.json` with the given documents."""
    data: dict = {
        "application_id": "HOSTILE-0001",
        "program": "CT",
        "kind": "renewal",
        "submitted_on": "2026-11-20",
        "profile": json.loads(json.dumps(PROFILE)),
        "documents": documents,
    }
    data.update(over)
    return data


# --------------------------------------------------------------------------- good files


@cache
def good_bill_pdf() -> bytes:
    """A one-page text utility bill matching PROFILE (read without OCR)."""
    lines = [
        "Hartford Electric Company",
        "Statement date: November 2, 2026",
        "Maria L Gonzalez-Rivera",
        "12 Elm St Apt 3",
        "Hartford, CT 06106",
        "Account number 5512-3344",
        "Amount due $84.12",
    ]
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=letter, invariant=1)
    y = 720
    for line in lines:
        pdf.drawString(72, y, line)
        y -= 18
    pdf.save()
    return buf.getvalue()


def _encode(img: Image.Image, fmt: str, **kw: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


@cache
def small_photo() -> Image.Image:
    """A small deterministic noisy RGB image."""
    rng = np.random.default_rng(7)
    return Image.fromarray((rng.random((240, 360, 3)) * 255).astype(np.uint8))


def jpeg() -> bytes:
    return _encode(small_photo(), "JPEG", quality=85)


def png() -> bytes:
    return _encode(small_photo(), "PNG")


def tiff() -> bytes:
    return _encode(small_photo(), "TIFF")


def webp() -> bytes:
    return _encode(small_photo(), "WEBP", quality=80)


def heic() -> bytes:
    import pillow_heif

    pillow_heif.register_heif_opener()
    return _encode(small_photo(), "HEIF", quality=80)


# --------------------------------------------------------------------------- raw formats


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def raw_png(
    width: int, height: int, colour_type: int = 0, depth: int = 8, rows: int | None = None
) -> bytes:
    """A PNG of zero pixels written row by row (never held in memory); `rows` truncates."""
    channels = {0: 1, 2: 3, 6: 4}[colour_type]
    row = b"\x00" + bytes((width * channels * depth + 7) // 8)
    comp = zlib.compressobj(9)
    body = bytearray()
    block = row * max(1, 1_000_000 // len(row))
    per_block = len(block) // len(row)
    left = height if rows is None else rows
    while left > 0:
        n = min(left, per_block)
        body += comp.compress(block[: n * len(row)])
        left -= n
    body += comp.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"IDAT", bytes(body))
        + _chunk(b"IEND", b"")
    )


def jpeg_with_size(width: int, height: int) -> bytes:
    """A small JPEG whose frame header claims another size (the scan data is short)."""
    data = bytearray(_encode(Image.new("RGB", (16, 16), (120, 30, 30)), "JPEG"))
    i = 2
    while i < len(data):
        marker, length = data[i + 1], int.from_bytes(data[i + 2 : i + 4], "big")
        if marker in (0xC0, 0xC1, 0xC2):
            data[i + 5 : i + 9] = struct.pack(">HH", height, width)
            return bytes(data)
        i += 2 + length
    raise AssertionError("no SOF marker")


def _tiff_ifd(
    width: int, height: int, offset_next: int, strip_offset: int, strip_len: int
) -> bytes:
    entries = [
        (256, 4, 1, width),  # ImageWidth
        (257, 4, 1, height),  # ImageLength
        (258, 3, 1, 8),  # BitsPerSample
        (259, 3, 1, 1),  # Compression none
        (262, 3, 1, 1),  # BlackIsZero
        (273, 4, 1, strip_offset),  # StripOffsets
        (277, 3, 1, 1),  # SamplesPerPixel
        (278, 4, 1, height),  # RowsPerStrip
        (279, 4, 1, strip_len),  # StripByteCounts
    ]
    out = struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        out += struct.pack("<HHI", tag, kind, count) + (
            struct.pack("<HH", value, 0) if kind == 3 else struct.pack("<I", value)
        )
    return out + struct.pack("<I", offset_next)


def raw_tiff(sizes: list[tuple[int, int]]) -> bytes:
    """A little-endian greyscale TIFF with one IFD per size, all sharing one 1-byte strip."""
    header = b"II*\x00" + struct.pack("<I", 8)
    ifd_len = 2 + 9 * 12 + 4
    strip_at = 8 + ifd_len * len(sizes)
    out = bytearray(header)
    for i, (w, h) in enumerate(sizes):
        nxt = 8 + ifd_len * (i + 1) if i + 1 < len(sizes) else 0
        out += _tiff_ifd(w, h, nxt, strip_at, min(w * h, 1))
    out += b"\x80"
    return bytes(out)


def raw_pdf(objects: list[bytes], root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """A PDF from numbered object bodies (object i+1 is objects[i]) with a correct xref."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root {root} 0 R ".encode() + trailer_extra
    out += f">>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def _page_pdf(
    content: bytes, media: str = "0 0 612 792", extra_res: bytes = b"", extra_objs=()
) -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [" + media.encode() + b"] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> " + extra_res + b" >> >>",
        content,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *extra_objs,
    ]
    return raw_pdf(objects)


def _text_ops(lines: list[str], x: int = 72, y: int = 720, size: int = 12) -> bytes:
    ops = [f"BT /F1 {size} Tf {x} {y} Td {size * 1.5:.0f} TL".encode()]
    for line in lines:
        safe = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"({safe}) '".encode())
    ops.append(b"ET")
    return b"\n".join(ops)


def _flate_zeros(total: int, fill: bytes = b" ") -> bytes:
    comp = zlib.compressobj(9)
    block = fill * 4_000_000
    out = bytearray()
    left = total
    while left > 0:
        n = min(left, len(block))
        out += comp.compress(block[:n])
        left -= n
    return bytes(out + comp.flush())


def pdf_text_bomb() -> bytes:
    """A page whose content stream inflates to 1 GB of spaces."""
    return _page_pdf(_stream(b"/Filter /FlateDecode", _flate_zeros(1_000_000_000)))


def pdf_image_bomb() -> bytes:
    """A page showing a 20000 x 20000 greyscale image (400 MB decoded)."""
    image = _stream(
        b"/Type /XObject /Subtype /Image /Width 20000 /Height 20000 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode",
        _flate_zeros(20000 * 20000, b"\x7f"),
    )
    content = _stream(b"", b"q 612 0 0 792 0 0 cm /Im1 Do Q")
    return _page_pdf(content, extra_res=b"/XObject << /Im1 6 0 R >>", extra_objs=(image,))


def pdf_many_words(words: int = 60_000) -> bytes:
    """A page with tens of thousands of words in its text layer (a slow-extraction bomb)."""
    lines = [" ".join(f"w{(i * 40 + j) % 9973}" for j in range(40)) for i in range(words // 40)]
    ops = [b"BT /F1 1 Tf 10 780 Td 0.5 TL"]
    ops += [b"(" + line.encode() + b") '" for line in lines]
    ops.append(b"ET")
    return _page_pdf(_stream(b"/Filter /FlateDecode", zlib.compress(b"\n".join(ops), 9)))


def pdf_deep_nesting(depth: int = 100_000) -> bytes:
    """A resource value nested `depth` arrays deep."""
    deep = b"[" * depth + b"]" * depth
    return _page_pdf(_stream(b"", _text_ops(["nested"])), extra_res=b"/Deep " + deep)


def pdf_deep_dicts(depth: int = 20_000) -> bytes:
    deep = b"<< /A " * depth + b"1" + b" >>" * depth
    return _page_pdf(_stream(b"", _text_ops(["nested"])), extra_res=b"/Deep " + deep)


def pdf_page_tree_loop() -> bytes:
    """A page tree whose Kids point back at itself."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 3 0 R] /Count 1 >>",
    ]
    return raw_pdf(objects)


def pdf_big_page() -> bytes:
    """One 200 x 200 inch page (14400 pt, the PDF maximum) with a little text."""
    return _page_pdf(
        _stream(b"", _text_ops(["A very large page"], 72, 14000, 48)), media="0 0 14400 14400"
    )


def _pikepdf_bytes(pdf: pikepdf.Pdf, **save: object) -> bytes:
    buf = io.BytesIO()
    pdf.save(buf, deterministic_id="encryption" not in save, **save)
    return buf.getvalue()


def pdf_many_pages(count: int = 5000) -> bytes:
    pdf = pikepdf.new()
    content = pdf.make_stream(_text_ops(["page"]))
    for _ in range(count):
        page = pdf.add_blank_page(page_size=(612, 792))
        page.obj.Contents = content
    return _pikepdf_bytes(pdf)


def pdf_encrypted(user: str) -> bytes:
    pdf = pikepdf.open(io.BytesIO(good_bill_pdf()))
    enc = pikepdf.Encryption(
        owner="owner-secret", user=user, R=6, allow=pikepdf.Permissions(extract=False)
    )
    return _pikepdf_bytes(pdf, encryption=enc)


def pdf_with_javascript() -> bytes:
    pdf = pikepdf.open(io.BytesIO(good_bill_pdf()))
    action = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('pwned');"))
    pdf.Root.OpenAction = pdf.make_indirect(action)
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(
            Names=pikepdf.Array([pikepdf.String("x"), pdf.Root.OpenAction])
        )
    )
    pdf.pages[0].obj.AA = pikepdf.Dictionary(O=pdf.Root.OpenAction)
    return _pikepdf_bytes(pdf)


def pdf_with_attachment() -> bytes:
    pdf = pikepdf.open(io.BytesIO(good_bill_pdf()))
    pdf.attachments["invoice.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00" + bytes(64))
    launch = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("invoice.exe"))
    pdf.Root.OpenAction = pdf.make_indirect(launch)
    return _pikepdf_bytes(pdf)


def pdf_oversized_file() -> bytes:
    """A valid PDF padded past the 30 MB file limit."""
    data = good_bill_pdf()
    head, rest = data.split(b"\n", 1)
    return head + b"\n%" + b"x" * 31_000_000 + b"\n" + rest


def bit_flipped(data: bytes, seed: int, flips: int = 40, skip: int = 64) -> bytes:
    """The data with `flips` random bytes changed after the first `skip`."""
    rng = np.random.default_rng(seed)
    out = bytearray(data)
    for pos in rng.integers(skip, len(out), flips):
        out[int(pos)] ^= int(rng.integers(1, 256))
    return bytes(out)


def _half(data: bytes) -> bytes:
    return data[: len(data) // 2]


def zip_file_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.txt", "hello")
    return buf.getvalue()


def bmp() -> bytes:
    return _encode(small_photo(), "BMP")


def gif() -> bytes:
    return _encode(small_photo().convert("P"), "GIF")


def ico() -> bytes:
    return _encode(small_photo(), "ICO")


SVG = (
    b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><text>&xxe;</text></svg>'
)
HTML = b"<!doctype html><html><body><script>alert(1)</script>Utility bill</body></html>"
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00"
    + bytes(56)
    + b"This program cannot be run in DOS mode."
    + bytes(200)
)
ELF = b"\x7fELF\x02\x01\x01" + bytes(120)


def polyglot_jpeg_zip() -> bytes:
    """A JPEG with a zip archive appended (valid as both)."""
    return jpeg() + zip_file_bytes()


def polyglot_html_pdf() -> bytes:
    """HTML before a PDF header: browsers render the HTML, PDF readers the PDF."""
    return b"<html><script>alert(1)</script><!--\n" + good_bill_pdf() + b"\n--></html>"


def polyglot_jpeg_with_pdf() -> bytes:
    """A JPEG whose comment segment carries a PDF header in the first kilobyte."""
    data = jpeg()
    comment = b"%PDF-1.7 1 0 obj << >> endobj"
    segment = b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment
    return data[:2] + segment + data[2:]


# --------------------------------------------------------------------------- cases


@dataclass(frozen=True)
class FileCase:
    """One hostile file, verified beside the good bill."""

    name: str
    filename: str
    build: Callable[[], bytes]
    expect: Expect
    role: str = "identity"


@dataclass(frozen=True)
class BundleCase:
    """A whole hostile bundle built into a directory; returns the path to verify."""

    name: str
    build: Callable[[Path], Path]
    expect_exit: int


FILE_CASES: tuple[FileCase, ...] = (
    # decompression and pixel bombs
    FileCase(
        "png_header_100000x100000",
        "id.png",
        lambda: raw_png(100_000, 100_000, rows=1),
        "unreadable",
    ),
    FileCase(
        "png_inflates_to_148mp", "id.png", lambda: raw_png(12_200, 12_200, colour_type=2), "either"
    ),
    FileCase("png_grey_inflates_to_140mp", "id.png", lambda: raw_png(14_000, 10_000), "read"),
    FileCase(
        "png_16bit_rgba_130mp", "id.png", lambda: raw_png(13_000, 10_000, 6, 16, rows=200), "either"
    ),
    FileCase(
        "jpeg_header_65000x65000", "id.jpg", lambda: jpeg_with_size(65_000, 65_000), "unreadable"
    ),
    FileCase("jpeg_header_12000x12000", "id.jpg", lambda: jpeg_with_size(12_000, 12_000), "either"),
    FileCase("tiff_5000_frames", "id.tiff", lambda: raw_tiff([(64, 64)] * 5000), "either"),
    FileCase(
        "tiff_header_100000x100000", "id.tiff", lambda: raw_tiff([(100_000, 100_000)]), "unreadable"
    ),
    FileCase(
        "tiff_second_frame_huge",
        "id.tiff",
        lambda: raw_tiff([(64, 64), (90_000, 90_000)]),
        "unreadable",
    ),
    # PDFs
    FileCase("pdf_5000_pages", "bill.pdf", pdf_many_pages, "unreadable", "residency"),
    FileCase("pdf_200in_page", "bill.pdf", pdf_big_page, "read", "residency"),
    FileCase("pdf_content_inflates_1gb", "bill.pdf", pdf_text_bomb, "either", "residency"),
    FileCase("pdf_image_20000x20000", "bill.pdf", pdf_image_bomb, "either", "residency"),
    FileCase("pdf_60000_words", "bill.pdf", pdf_many_words, "either", "residency"),
    FileCase("pdf_nested_arrays_100000", "bill.pdf", pdf_deep_nesting, "either", "residency"),
    FileCase("pdf_nested_dicts_20000", "bill.pdf", pdf_deep_dicts, "either", "residency"),
    FileCase("pdf_page_tree_loop", "bill.pdf", pdf_page_tree_loop, "unreadable", "residency"),
    FileCase(
        "pdf_encrypted_user_password",
        "bill.pdf",
        lambda: pdf_encrypted("user-secret"),
        "unreadable",
        "residency",
    ),
    FileCase(
        "pdf_encrypted_owner_only", "bill.pdf", lambda: pdf_encrypted(""), "read", "residency"
    ),
    FileCase("pdf_javascript", "bill.pdf", pdf_with_javascript, "read", "residency"),
    FileCase("pdf_embedded_exe_launch", "bill.pdf", pdf_with_attachment, "read", "residency"),
    FileCase("pdf_over_30mb", "bill.pdf", pdf_oversized_file, "unreadable", "residency"),
    FileCase("pdf_truncated", "bill.pdf", lambda: _half(good_bill_pdf()), "either", "residency"),
    FileCase(
        "pdf_header_then_garbage",
        "bill.pdf",
        lambda: b"%PDF-1.7\n" + bytes(range(256)) * 40,
        "unreadable",
        "residency",
    ),
    FileCase(
        "pdf_bit_flipped",
        "bill.pdf",
        lambda: bit_flipped(good_bill_pdf(), 11),
        "either",
        "residency",
    ),
    # truncated and corrupt images
    FileCase("jpeg_truncated", "id.jpg", lambda: _half(jpeg()), "unreadable"),
    FileCase("jpeg_bit_flipped", "id.jpg", lambda: bit_flipped(jpeg(), 1), "either"),
    FileCase("jpeg_only_soi", "id.jpg", lambda: b"\xff\xd8\xff", "unreadable"),
    FileCase("png_truncated", "id.png", lambda: _half(png()), "unreadable"),
    FileCase("png_bit_flipped", "id.png", lambda: bit_flipped(png(), 2), "either"),
    FileCase("tiff_truncated", "id.tiff", lambda: _half(tiff()), "unreadable"),
    FileCase("webp_truncated", "id.webp", lambda: _half(webp()), "unreadable"),
    FileCase("webp_bit_flipped", "id.webp", lambda: bit_flipped(webp(), 3), "either"),
    FileCase("heic_truncated", "id.heic", lambda: _half(heic()), "unreadable"),
    FileCase("heic_bit_flipped", "id.heic", lambda: bit_flipped(heic(), 4), "either"),
    # lying names, polyglots, empty
    FileCase("png_named_pdf", "id.pdf", png, "read"),
    FileCase("heic_named_jpg", "id.jpg", heic, "read"),
    FileCase("zero_bytes", "id.jpg", lambda: b"", "unreadable"),
    FileCase("polyglot_jpeg_zip", "id.jpg", polyglot_jpeg_zip, "read"),
    FileCase("polyglot_html_pdf", "bill.pdf", polyglot_html_pdf, "either", "residency"),
    FileCase("polyglot_jpeg_pdf_comment", "id.jpg", polyglot_jpeg_with_pdf, "read"),
    # unsupported types
    FileCase("gif", "id.gif", gif, "unreadable"),
    FileCase("bmp", "id.bmp", bmp, "unreadable"),
    FileCase("ico", "id.ico", ico, "unreadable"),
    FileCase("svg_xxe", "id.svg", lambda: SVG, "unreadable"),
    FileCase("html_script", "bill.html", lambda: HTML, "unreadable", "residency"),
    FileCase("exe", "id.exe", lambda: EXE, "unreadable"),
    FileCase("elf", "id.jpg", lambda: ELF, "unreadable"),
    FileCase("zip_as_document", "id.zip", zip_file_bytes, "unreadable"),
)


# --------------------------------------------------------------------------- bundle cases


def _docs(hostile_file: str, role: str = "identity") -> list[dict]:
    return [
        {"document_id": HOSTILE_ID, "role": role, "file": hostile_file},
        {"document_id": GOOD_ID, "role": "residency", "file": "good.pdf"},
    ]


def write_file_bundle(root: Path, case: FileCase) -> Path:
    """A directory bundle holding the hostile file and the good bill."""
    root.mkdir(parents=True, exist_ok=True)
    data = manifest(_docs(case.filename, case.role), application_id=f"HOSTILE-{case.name}")
    (root / "application.json").write_text(json.dumps(data))
    (root / case.filename).write_bytes(case.build())
    (root / "good.pdf").write_bytes(good_bill_pdf())
    return root


def _dir_bundle(
    root: Path, data: object, files: dict[str, bytes] | None = None, raw: bytes | None = None
) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "application.json").write_bytes(raw if raw is not None else json.dumps(data).encode())
    for name, content in (files or {"good.pdf": good_bill_pdf()}).items():
        (root / name).write_bytes(content)
    return root


def _zip_bundle(root: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    path = root / "bundle.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            zf.writestr(info, data)
    return path


def _good_entries(docs: list[dict] | None = None) -> list[tuple[zipfile.ZipInfo | str, bytes]]:
    docs = docs or [{"document_id": GOOD_ID, "role": "residency", "file": "good.pdf"}]
    return [
        ("application.json", json.dumps(manifest(docs)).encode()),
        ("good.pdf", good_bill_pdf()),
    ]


def _symlink_entry(name: str, target: str) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.external_attr = (0o120777 << 16) | 0x20
    return info, target.encode()


def zip_lying_sizes(root: Path) -> Path:
    """A zip whose member claims 100 bytes but inflates to 50 MB."""
    path = _zip_bundle(root, [*_good_entries(_docs("big.jpg")), ("big.jpg", b"\x00" * 50_000_000)])
    data = bytearray(path.read_bytes())
    real = struct.pack("<I", 50_000_000)
    fake = struct.pack("<I", 100)
    start = 0
    while (i := data.find(real, start)) != -1:  # both the local header and the central directory
        data[i : i + 4] = fake
        start = i + 4
    path.write_bytes(bytes(data))
    return path


def dir_with_links(root: Path, target: str, name: str = "id.jpg") -> Path:
    bundle = _dir_bundle(root, manifest(_docs(name)))
    os.symlink(target, bundle / name)
    return bundle


def dir_with_fifo(root: Path) -> Path:
    bundle = _dir_bundle(root, manifest(_docs("id.jpg")))
    os.mkfifo(bundle / "id.jpg")
    return bundle


def manifest_100mb(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    with (root / "application.json").open("wb") as fh:
        fh.write(b'{"application_id": "' + b"A" * 100_000_000 + b'"}')
    return root


def names_hostile(root: Path) -> Path:
    data = manifest(_docs("id.jpg"))
    data["application_id"] = "HOSTILE-\x1b[31m-\u202e-ID"
    data["profile"]["first_name"] = "Ma\x1b]0;owned\x07ria\u202egpj.exe"
    data["profile"]["last_name"] = "G" * 10_000
    data["profile"]["middle_name"] = "\x00\x08\u200f\ufeff"
    data["profile"]["address"]["line1"] = "12 Elm St\r\nInjected: header\u2028"
    data["documents"][0]["document_id"] = "doc\x1b[2J\u202e"
    return _dir_bundle(root, data, {"good.pdf": good_bill_pdf(), "id.jpg": jpeg()})


def bad_filename_bundle(root: Path) -> Path:
    name = "id\x1b[31m\u202egnp.jpg"
    return _dir_bundle(root, manifest(_docs(name)), {"good.pdf": good_bill_pdf(), name: jpeg()})


def _deep(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


BUNDLE_CASES: tuple[BundleCase, ...] = (
    BundleCase(
        "zip_dotdot_entry",
        lambda r: _zip_bundle(r, [*_good_entries(), ("../evil.sh", b"rm -rf /")]),
        2,
    ),
    BundleCase(
        "zip_absolute_entry",
        lambda r: _zip_bundle(r, [*_good_entries(), ("/etc/cron.d/x", b"x")]),
        2,
    ),
    BundleCase(
        "zip_symlink_entry",
        lambda r: _zip_bundle(r, [*_good_entries(), _symlink_entry("l", "/etc/passwd")]),
        2,
    ),
    BundleCase(
        "zip_101_entries",
        lambda r: _zip_bundle(r, [*_good_entries(), *((f"f{i}", b"x") for i in range(100))]),
        2,
    ),
    BundleCase(
        "zip_bomb_200mb",
        lambda r: _zip_bundle(r, [*_good_entries(), ("z.bin", b"\x00" * 200_000_000)]),
        2,
    ),
    BundleCase("zip_lying_member_size", zip_lying_sizes, 0),
    BundleCase(
        "zip_manifest_names_dotdot",
        lambda r: _zip_bundle(
            r, [("application.json", json.dumps(manifest(_docs("../good.pdf"))).encode())]
        ),
        2,
    ),
    BundleCase(
        "zip_not_a_zip",
        lambda r: (r.mkdir(parents=True), (r / "b.zip").write_bytes(png()), r / "b.zip")[2],
        2,
    ),
    BundleCase("dir_symlink_outside", lambda r: dir_with_links(r, "/etc/passwd"), 2),
    BundleCase("dir_symlink_dev_zero", lambda r: dir_with_links(r, "/dev/zero"), 2),
    BundleCase("dir_fifo", dir_with_fifo, 0),
    BundleCase("dir_missing_file", lambda r: _dir_bundle(r, manifest(_docs("nowhere.jpg"))), 0),
    BundleCase("manifest_100mb", manifest_100mb, 2),
    BundleCase("manifest_nested_100000", lambda r: _dir_bundle(r, None, raw=_deep(100_000)), 2),
    BundleCase(
        "manifest_huge_integer",
        lambda r: _dir_bundle(r, None, raw=b'{"a": ' + b"9" * 5000 + b"}"),
        2,
    ),
    BundleCase(
        "manifest_wrong_types", lambda r: _dir_bundle(r, manifest("doc.pdf", program=["CT"])), 2
    ),
    BundleCase(
        "manifest_not_utf8",
        lambda r: _dir_bundle(r, None, raw=b'{"application_id": "\xff\xfe"}'),
        2,
    ),
    BundleCase(
        "manifest_21_documents",
        lambda r: _dir_bundle(
            r,
            manifest(
                [
                    {"document_id": f"d{i}", "role": "residency", "file": "good.pdf"}
                    for i in range(21)
                ]
            ),
        ),
        2,
    ),
    BundleCase(
        "manifest_absolute_file", lambda r: _dir_bundle(r, manifest(_docs("/etc/passwd"))), 2
    ),
    BundleCase("names_control_rtl_10000", names_hostile, 0),
    BundleCase("filename_control_chars", bad_filename_bundle, 0),
)
