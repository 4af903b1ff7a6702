"""Synthetic documents and defects for the imaging tests and calibration (no pipeline imports).

Cards and pages are drawn with PIL fonts (several faces and colours, so that nothing is
tuned to one template), photographed onto textured backgrounds with perspective, and
degraded with graded blur, noise, JPEG, under-exposure, glare and low resolution.
"""

from __future__ import annotations

import io
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont
from skimage import data as skdata

FONTS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
]
WORDS = [
    "ACCOUNT",
    "NUMBER",
    "SERVICE",
    "ADDRESS",
    "BILLING",
    "PERIOD",
    "AMOUNT",
    "DUE",
    "TOTAL",
    "ELECTRIC",
    "GAS",
    "WATER",
    "STATEMENT",
    "DATE",
    "PAYMENT",
    "CUSTOMER",
    "METER",
    "READING",
    "KWH",
    "USAGE",
    "CHARGES",
    "BALANCE",
    "PREVIOUS",
    "HARTFORD",
    "BOSTON",
    "SPRINGFIELD",
    "MAIN",
    "STREET",
    "AVENUE",
    "ROAD",
    "APT",
    "CT",
    "MA",
    "06106",
    "02118",
    "NOVEMBER",
]


def _font(rng: np.random.Generator, size: int) -> ImageFont.FreeTypeFont:
    path = FONTS[int(rng.integers(len(FONTS)))]
    return ImageFont.truetype(path if Path(path).exists() else FONTS[0], size)


def _phrase(rng: np.random.Generator, n: int) -> str:
    return " ".join(WORDS[int(i)] for i in rng.integers(0, len(WORDS), n))


def portrait(size: tuple[int, int]) -> np.ndarray:
    """The astronaut's head and shoulders (BGR), resized to (width, height)."""
    face = skdata.astronaut()[20:300, 120:330, ::-1]
    return cv2.resize(np.ascontiguousarray(face), size, interpolation=cv2.INTER_AREA)


def card(
    rng: np.random.Generator,
    width: int = 1100,
    face: bool = True,
    band: tuple[int, int, int] | None = None,
) -> np.ndarray:
    """An ID-1 card front (85.6 x 54 mm) with a tinted guilloche-like background and text;
    `band`: the RGB colour of its title band (default: a random blue)."""
    height = round(width * 54 / 85.6)
    tint = rng.integers(170, 240, 3)
    yy, xx = np.mgrid[0:height, 0:width]
    wave = 12 * np.sin(xx / (17 + rng.integers(8))) * np.cos(yy / (23 + rng.integers(8)))
    base = np.clip(tint[None, None, :] + wave[:, :, None], 0, 255).astype(np.uint8)
    img = Image.fromarray(base)
    draw = ImageDraw.Draw(img)
    ink = tuple(int(v) for v in rng.integers(0, 60, 3))
    blue = (
        int(rng.integers(20, 90)),
        int(rng.integers(30, 90)),
        int(rng.integers(110, 200)),
    )  # RGB: a blue band
    band = band or blue
    draw.rectangle([0, 0, width, int(height * 0.14)], fill=band)
    draw.text(
        (int(width * 0.05), int(height * 0.025)),
        "DRIVER LICENSE",
        font=_font(rng, int(height * 0.08)),
        fill=(255, 255, 255),
    )
    x0 = int(width * (0.36 if face else 0.06))
    size = int(height * 0.055)
    for i in range(7):
        y = int(height * (0.2 + i * 0.1))
        draw.text((x0, y), _phrase(rng, 3), font=_font(rng, size), fill=ink)
    out = np.asarray(img)[:, :, ::-1].copy()
    if face:
        pw, ph = int(width * 0.27), int(height * 0.62)
        py, px = int(height * 0.2), int(width * 0.05)
        out[py : py + ph, px : px + pw] = portrait((pw, ph))
    return out


def page(rng: np.random.Generator, width: int = 1700, lines: int = 40) -> np.ndarray:
    """A letter-size bill page (8.5 x 11 in) on white paper, body text about 20 px high."""
    height = round(width * 11 / 8.5)
    img = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    font = _font(rng, int(width * 0.013))
    draw.text(
        (int(width * 0.08), int(height * 0.05)),
        "CONNECTICUT POWER",
        font=_font(rng, int(width * 0.03)),
        fill=(20, 40, 120),
    )
    y = int(height * 0.12)
    step = int(width * 0.022)
    for i in range(lines):
        if i % 9 == 8:
            y += step
            continue
        draw.text(
            (int(width * 0.08), y), _phrase(rng, int(rng.integers(4, 9))), font=font, fill=(0, 0, 0)
        )
        y += step
    return np.asarray(img)[:, :, ::-1].copy()


def background(rng: np.random.Generator, width: int, height: int, kind: str = "wood") -> np.ndarray:
    """A textured table top (wood grain), a plain dark or white surface, a blue woven cloth
    (`fabric`), or a speckled counter."""
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    if kind == "wood":
        grain = np.sin((yy + 8 * np.sin(xx / 60.0)) / 3.0) * 18 + rng.normal(0, 6, (height, width))
        base = np.array([40, 80, 130], np.float32)
        img = base[None, None, :] + grain[:, :, None]
    elif kind == "fabric":
        weave = 10 * np.sin(xx / 1.2) * np.sin(yy / 1.2) + rng.normal(0, 6, (height, width))
        img = np.array([140, 75, 50], np.float32)[None, None, :] + weave[:, :, None]
    elif kind == "dark":
        img = np.full((height, width, 3), 45, np.float32) + rng.normal(0, 4, (height, width, 1))
    elif kind == "white":
        img = np.full((height, width, 3), 249, np.float32) + rng.normal(0, 3, (height, width, 1))
    else:
        img = np.full((height, width, 3), 150, np.float32) + rng.normal(0, 25, (height, width, 1))
    return np.clip(img, 0, 255).astype(np.uint8)


def photograph(
    doc: np.ndarray,
    rng: np.random.Generator,
    angle: float = 0.0,
    perspective: float = 0.0,
    fill: float = 0.6,
    kind: str = "wood",
    frame: tuple[int, int] = (1600, 1200),
) -> tuple[np.ndarray, np.ndarray]:
    """Place `doc` on a background, rotated by `angle` degrees with a perspective tilt.

    Returns the photo and the four corners where the document landed (tl, tr, br, bl).
    """
    fw, fh = frame
    h, w = doc.shape[:2]
    s = fill * min(fw / w, fh / h)
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    centred = (src - [w / 2, h / 2]) * s
    a = np.deg2rad(angle)
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    dst = centred @ rot.T
    dst[:2, 0] *= 1 - perspective  # top edge shorter: the camera looks down at an angle
    dst += [fw / 2, fh / 2]
    matrix = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    bg = background(rng, fw, fh, kind)
    warped = cv2.warpPerspective(doc, matrix, (fw, fh), flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), matrix, (fw, fh))
    shadow = cv2.GaussianBlur(mask, (0, 0), 6).astype(np.float32)[:, :, None] / 255.0
    out = bg.astype(np.float32) * (1 - 0.35 * shadow)
    m = mask.astype(np.float32)[:, :, None] / 255.0
    out = out * (1 - m) + warped.astype(np.float32) * m
    return np.clip(out, 0, 255).astype(np.uint8), dst.astype(np.float32)


def gaussian_blur(img: np.ndarray, sigma: float) -> np.ndarray:
    return cv2.GaussianBlur(img, (0, 0), sigma) if sigma > 0 else img


def motion_blur(img: np.ndarray, length: int, angle: float = 0.0) -> np.ndarray:
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1.0
    rot = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), angle, 1.0)
    kernel = cv2.warpAffine(kernel, rot, (length, length))
    return cv2.filter2D(img, -1, kernel / kernel.sum())


def noise(img: np.ndarray, rng: np.random.Generator, sigma: float) -> np.ndarray:
    return np.clip(img.astype(np.float32) + rng.normal(0, sigma, img.shape), 0, 255).astype(
        np.uint8
    )


def jpeg(img: np.ndarray, quality: int) -> np.ndarray:
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return cv2.imdecode(buf, cv2.IMREAD_COLOR)


def dark(img: np.ndarray, factor: float, gamma: float = 1.0) -> np.ndarray:
    f = (img.astype(np.float32) / 255.0) ** gamma * factor
    return np.clip(f * 255, 0, 255).astype(np.uint8)


def glare(
    img: np.ndarray,
    rng: np.random.Generator,
    radius_frac: float = 0.15,
    centre: tuple[float, float] | None = None,
) -> np.ndarray:
    """A soft-edged blown-out blob (saturated core, Gaussian fall-off)."""
    h, w = img.shape[:2]
    cx, cy = centre or (rng.uniform(0.3, 0.7), rng.uniform(0.3, 0.7))
    r = radius_frac * min(h, w)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    d = np.hypot(xx - cx * w, (yy - cy * h) * 1.3)
    alpha = np.clip(1.6 * np.exp(-((d / r) ** 2)), 0, 1)[:, :, None]
    return np.clip(img * (1 - alpha) + 255 * alpha, 0, 255).astype(np.uint8)


def flare(
    img: np.ndarray, centre: tuple[float, float], axes: tuple[float, float], ramp: float = 0.15
) -> np.ndarray:
    """A blown-out ellipse (centre and half-axes in pixels) whose edge fades out over `ramp`
    of its size: a flash's reflection, spilling wherever it is put (tables included)."""
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    r = np.sqrt(((xx - centre[0]) / axes[0]) ** 2 + ((yy - centre[1]) / axes[1]) ** 2)
    alpha = np.clip((1 + ramp - r) / ramp, 0, 1)[:, :, None]
    return np.clip(img * (1 - alpha) + 255 * alpha, 0, 255).astype(np.uint8)


def lowres(img: np.ndarray, factor: float) -> np.ndarray:
    h, w = img.shape[:2]
    return cv2.resize(
        img, (max(1, round(w * factor)), max(1, round(h * factor))), interpolation=cv2.INTER_AREA
    )


def encode(img: np.ndarray, fmt: str = ".png") -> bytes:
    ok, buf = cv2.imencode(fmt, img)
    assert ok
    return buf.tobytes()


def to_pil_bytes(img: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(img[:, :, ::-1]).save(buf, "PNG")
    return buf.getvalue()
