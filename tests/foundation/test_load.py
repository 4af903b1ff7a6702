"""Content sniffing and decoding: types by content, EXIF orientation, limits, corrupt files."""

from __future__ import annotations

import io
import zlib

import numpy as np
import pytest
from PIL import Image

from models.internal import FileKind
from pipeline.errors import FileUnreadable
from pipeline.load import decode_image, sniff
from tests.foundation.helpers import jpeg, text_pdf


def _encode(img: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("fmt", "kind"),
    [
        ("JPEG", FileKind.JPEG),
        ("PNG", FileKind.PNG),
        ("TIFF", FileKind.TIFF),
        ("WEBP", FileKind.WEBP),
    ],
)
def test_sniffing_by_content(fmt, kind):
    assert sniff(_encode(Image.new("RGB", (20, 10)), fmt)) is kind


def test_pdf_and_unknown():
    assert sniff(text_pdf(["hello"])) is FileKind.PDF
    assert sniff(b"GIF89a....") is None
    assert sniff(b"") is None


def test_heic_roundtrip():
    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    data = _encode(Image.new("RGB", (64, 32), (200, 10, 10)), "HEIF")
    assert sniff(data) is FileKind.HEIC
    (page,) = decode_image(data, 150)
    assert page.image.shape == (32, 64, 3)


def test_exif_orientation_is_applied():
    img = Image.new("RGB", (40, 20))
    exif = img.getexif()
    exif[0x0112] = 6  # rotate 90 CW to display
    (page,) = decode_image(_encode(img, "JPEG", exif=exif), 150)
    assert page.image.shape[:2] == (40, 20)


def test_multipage_tiff_gives_every_frame():
    frames = [Image.new("RGB", (30, 30), c) for c in ("red", "green", "blue")]
    buf = io.BytesIO()
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:])
    pages = decode_image(buf.getvalue(), 150)
    assert [p.index for p in pages] == [0, 1, 2]
    assert pages[2].image[0, 0].tolist() == [255, 0, 0]  # blue in BGR


def test_truncated_jpeg_is_unreadable():
    data = jpeg()
    with pytest.raises(FileUnreadable, match="corrupt or truncated"):
        decode_image(data[: len(data) // 2], 150)


def test_tiff_frame_without_its_dimensions_is_unreadable():
    """Fuzzing found a TIFF whose second frame had lost its width tag: Pillow raised
    TypeError ("Missing dimensions") on reaching it, which no handler caught."""
    frames = [Image.new("RGB", (40, 30), c) for c in ("red", "green")]
    buf = io.BytesIO()
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:])
    data = bytearray(buf.getvalue())  # little-endian: "II*", then the first IFD's offset

    def entries(ifd: int) -> list[int]:
        return [ifd + 2 + 12 * k for k in range(int.from_bytes(data[ifd : ifd + 2], "little"))]

    first = int.from_bytes(data[4:8], "little")
    after = entries(first)[-1] + 12
    second = int.from_bytes(data[after : after + 4], "little")
    at = next(t for t in entries(second) if int.from_bytes(data[t : t + 2], "little") == 256)
    data[at : at + 2] = (0x9999).to_bytes(2, "little")  # an unknown tag for its width
    with pytest.raises(FileUnreadable, match="corrupt or truncated"):
        decode_image(bytes(data), 50.0)


def test_pixel_bomb_is_refused_from_the_header():
    # A PNG header claiming 100000 x 100000 pixels; never decoded.
    img = Image.new("1", (1, 1))
    data = bytearray(_encode(img, "PNG"))
    data[16:24] = (100000).to_bytes(4, "big") * 2
    data[29:33] = zlib.crc32(bytes(data[12:29])).to_bytes(4, "big")  # IHDR checksum
    with pytest.raises(FileUnreadable, match="megapixel"):
        decode_image(bytes(data), 150)


def test_grey_and_alpha_images_become_bgr():
    for mode in ("L", "RGBA", "P", "LA"):
        (page,) = decode_image(_encode(Image.new(mode, (10, 10)), "PNG"), 150)
        assert page.image.shape == (10, 10, 3)
        assert page.image.dtype == np.uint8
