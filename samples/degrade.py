"""Image capture and defects: photographing, scanning, blur, darkness, glare, corruption.

Capture functions (`photograph`, `scan`) give the clean-but-realistic look of a phone
photo or a flatbed scan (rotation, perspective, shadow, mild noise) that must NOT be
flagged. Defect functions make an image unusable on purpose (strong blur, under-exposure,
a blown-out glare blob, too few pixels, faded text). File defects return raw bytes.
All take a `random.Random` so results are reproducible.
"""

from __future__ import annotations

import io
import random

import cv2
import numpy as np
from PIL import Image

from samples.render import table_texture


def _np(img: Image.Image) -> np.ndarray:
    return np.asarray(img.convert("RGB"))


def photograph(
    img: Image.Image,
    rng: random.Random,
    max_angle: float = 15.0,
    fill: float = 0.75,
    skew: float = 0.03,
) -> tuple[Image.Image, list[str]]:
    """`img` photographed on a table: rotation, perspective, lighting, shadow, noise."""
    tags: list[str] = []
    src = _np(img)
    h, w = src.shape[:2]
    out_w = int(w / fill)
    out_h = max(
        int(out_w * rng.choice([0.75, 0.8, 1.0, 1.33])) if w > h else int(h / fill), int(h / fill)
    )
    canvas = table_texture((out_w, out_h), rng)
    angle = rng.uniform(-max_angle, max_angle)
    tags.append(f"rotate:{angle:.0f}")
    jitter = skew * min(w, h)
    corners = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    moved = corners + np.float32(
        [[rng.uniform(-jitter, jitter) for _ in range(2)] for _ in range(4)]
    )
    rot = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    moved = np.hstack([moved, np.ones((4, 1), np.float32)]) @ rot.T
    moved += np.float32([(out_w - w) / 2, (out_h - h) / 2])
    tags.append("perspective")
    matrix = cv2.getPerspectiveTransform(corners, moved.astype(np.float32))
    # drop shadow: darken the table under an offset copy of the document's outline
    shadow_shift = np.float32([[1, 0, out_w * 0.015], [0, 1, out_h * 0.015]])
    shade = cv2.warpPerspective(np.full((h, w), 90, np.uint8), matrix, (out_w, out_h))
    shade = cv2.warpAffine(shade, shadow_shift, (out_w, out_h))
    shade = cv2.blur(shade, (15, 15))
    canvas = cv2.subtract(canvas, cv2.merge([shade, shade, shade]))
    cv2.warpPerspective(
        src,
        matrix,
        (out_w, out_h),
        dst=canvas,
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_TRANSPARENT,
    )
    gain = _lighting(out_h, out_w, rng)
    if rng.random() < 0.4:
        gain *= _soft_shadow(out_h, out_w, rng)
        tags.append("shadow")
    out = _noise(canvas.astype(np.float32) * gain[..., None], rng, rng.uniform(1.0, 2.5))
    return Image.fromarray(out), tags


def _lighting(h: int, w: int, rng: random.Random) -> np.ndarray:
    """A gentle gradient of exposure across the frame (gain map)."""
    gx, gy = rng.uniform(-0.12, 0.12), rng.uniform(-0.12, 0.12)
    xs = gx * (np.arange(w, dtype=np.float32) / w - 0.5)
    ys = gy * (np.arange(h, dtype=np.float32) / h - 0.5)
    return (1.0 + ys[:, None] + xs[None, :]) * np.float32(rng.uniform(0.95, 1.05))


def _soft_shadow(h: int, w: int, rng: random.Random) -> np.ndarray:
    """A slight diagonal shadow (a hand or a phone) over a corner (gain map)."""
    xs = np.arange(w, dtype=np.float32) / w * rng.uniform(0.5, 1.5)
    ys = np.arange(h, dtype=np.float32) / h * rng.uniform(0.5, 1.5)
    cut = rng.uniform(0.3, 0.8)
    return 1 - np.clip((cut - (ys[:, None] + xs[None, :])) / 0.25, 0, 1) * np.float32(
        rng.uniform(0.15, 0.3)
    )


def _noise(arr: np.ndarray, rng: random.Random, sigma: float) -> np.ndarray:
    """`arr` plus Gaussian sensor noise, as uint8 (OpenCV's seeded generator, reproducible)."""
    arr = np.ascontiguousarray(arr, dtype=np.float32)
    noise = np.empty(arr.shape[:2], np.float32)
    cv2.setRNGSeed(rng.getrandbits(31))
    cv2.randn(noise, 0.0, sigma)
    if arr.ndim == 3:
        noise = cv2.merge([noise] * arr.shape[2])
    arr = cv2.add(arr, noise)
    return np.clip(arr, 0, 255, out=arr).astype(np.uint8)


def scan(img: Image.Image, rng: random.Random, grey: bool = False) -> tuple[Image.Image, list[str]]:
    """`img` through a flatbed scanner: slight skew, paper tone, mild noise."""
    arr = _np(img).astype(np.float32)
    angle = rng.uniform(-2.5, 2.5)
    h, w = arr.shape[:2]
    rot = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    arr = cv2.warpAffine(arr, rot, (w, h), borderValue=(250, 250, 248))
    arr = arr * rng.uniform(0.93, 1.0) + rng.uniform(0, 8)
    out = _noise(arr, rng, rng.uniform(1.5, 3.0))
    pil = Image.fromarray(out)
    tags = [f"scan_skew:{angle:.1f}"]
    if grey:
        pil = pil.convert("L")
        tags.append("greyscale")
    return pil, tags


def gaussian_blur(img: Image.Image, sigma: float) -> Image.Image:
    """Strong out-of-focus blur."""
    return Image.fromarray(cv2.GaussianBlur(_np(img), (0, 0), sigma))


def motion_blur(img: Image.Image, length: int, angle: float) -> Image.Image:
    """A shaken-camera blur of `length` pixels along `angle` degrees."""
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1.0
    rot = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), angle, 1.0)
    kernel = cv2.warpAffine(kernel, rot, (length, length))
    kernel /= kernel.sum()
    return Image.fromarray(cv2.filter2D(_np(img), -1, kernel))


def darken(img: Image.Image, rng: random.Random) -> Image.Image:
    """Under-exposed: mean brightness around 10 to 18 percent."""
    arr = _np(img).astype(np.float32) / 255.0
    arr = arr ** rng.uniform(2.2, 2.8) * rng.uniform(0.22, 0.3)
    return Image.fromarray(_noise(arr * 255.0, rng, 2.0))


def glare(img: Image.Image, rng: random.Random) -> tuple[Image.Image, float]:
    """A saturated white blob over 12 to 25 percent of the image: (image, covered fraction)."""
    arr = _np(img).astype(np.float32)
    h, w = arr.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    target = rng.uniform(0.12, 0.25)
    ax = np.sqrt(target * w * h / np.pi * rng.uniform(1.2, 2.0))
    ay = target * w * h / np.pi / ax
    cx, cy = rng.uniform(0.3, 0.7) * w, rng.uniform(0.3, 0.7) * h
    r = ((xx - cx) / ax) ** 2 + ((yy - cy) / ay) ** 2
    core = np.clip((1.25 - r) / 0.35, 0, 1)
    out = arr * (1 - core[..., None]) + 255.0 * core[..., None]
    fraction = float((out.min(axis=2) >= 250).mean())
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8)), fraction


def low_resolution(img: Image.Image, width: int) -> Image.Image:
    """Downscaled to `width` pixels across."""
    scale = width / img.size[0]
    return img.resize((width, max(1, int(img.size[1] * scale))), Image.Resampling.BILINEAR)


def faded_text(img: Image.Image, rng: random.Random) -> Image.Image:
    """A faded thermal print under paper grain: the image is sharp and bright, the text is not."""
    arr = _np(img).astype(np.float32)
    arr = 255.0 - (255.0 - arr) * rng.uniform(0.04, 0.07)
    return Image.fromarray(_noise(arr, rng, rng.uniform(5.0, 7.0)))


QUALITY_CAP = {"jpeg": 100}
"""Upper bound on JPEG quality, set per application by the builder (compact sets use 72)."""


def jpeg_bytes(img: Image.Image, quality: int) -> bytes:
    """Baseline JPEG bytes (deterministic: no EXIF, no timestamps)."""
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "JPEG", quality=min(quality, QUALITY_CAP["jpeg"]), optimize=False)
    return buf.getvalue()


def png_bytes(img: Image.Image) -> bytes:
    """PNG bytes."""
    buf = io.BytesIO()
    img.save(buf, "PNG", compress_level=1)
    return buf.getvalue()


def tiff_bytes(img: Image.Image) -> bytes:
    """Compressed TIFF bytes."""
    buf = io.BytesIO()
    img.save(buf, "TIFF", compression="tiff_deflate")
    return buf.getvalue()


def truncated(data: bytes, rng: random.Random) -> bytes:
    """The first 25 to 60 percent of a file (an interrupted upload)."""
    return data[: int(len(data) * rng.uniform(0.25, 0.6))]


def random_bytes(rng: random.Random, size: int) -> bytes:
    """Noise bytes (a file that only claims to be an image)."""
    return rng.randbytes(size)
