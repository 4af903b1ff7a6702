"""Drawing helpers for generated documents: fonts, portraits, non-face photos, textures.

Everything is a pure function of its `random.Random` / `numpy.random.Generator`, so a
seed gives the same pixels. Faces come from `skimage.data.astronaut()` (shipped in the
scikit-image wheel), cropped, scaled, tinted, flipped and set on a plain studio backdrop.
"""

from __future__ import annotations

import functools
import random
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIRS = (Path("/usr/share/fonts/truetype/liberation"), Path("/usr/share/fonts/truetype/dejavu"))
FONT_FILES: dict[str, tuple[str, ...]] = {
    "sans": ("LiberationSans-Regular.ttf", "DejaVuSans.ttf"),
    "sans-bold": ("LiberationSans-Bold.ttf", "DejaVuSans-Bold.ttf"),
    "serif": ("LiberationSerif-Regular.ttf", "DejaVuSerif.ttf"),
    "serif-bold": ("LiberationSerif-Bold.ttf", "DejaVuSerif-Bold.ttf"),
    "mono": ("LiberationMono-Regular.ttf", "DejaVuSansMono.ttf"),
    "mono-bold": ("LiberationMono-Bold.ttf", "DejaVuSansMono-Bold.ttf"),
    "narrow": ("LiberationSansNarrow-Regular.ttf", "DejaVuSansCondensed.ttf"),
    "narrow-bold": ("LiberationSansNarrow-Bold.ttf", "DejaVuSansCondensed-Bold.ttf"),
    "condensed": ("DejaVuSansCondensed.ttf", "LiberationSansNarrow-Regular.ttf"),
    "condensed-bold": ("DejaVuSansCondensed-Bold.ttf", "LiberationSansNarrow-Bold.ttf"),
    "dejavu": ("DejaVuSans.ttf", "LiberationSans-Regular.ttf"),
    "dejavu-bold": ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf"),
    "script": ("DejaVuSerif-Italic.ttf", "LiberationSerif-Italic.ttf"),
    "ocrb": ("DejaVuSansMono.ttf", "LiberationMono-Regular.ttf"),
}


def font_path(name: str) -> str | None:
    """The TTF file for a logical font name, or None when none is installed."""
    for filename in FONT_FILES[name]:
        for folder in FONT_DIRS:
            if (folder / filename).exists():
                return str(folder / filename)
    return None


@functools.lru_cache(maxsize=256)
def font(name: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A PIL font of `size` pixels (falls back to PIL's built-in font)."""
    path = font_path(name)
    if path is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(path, size)


@functools.lru_cache(maxsize=1)
def _astronaut() -> np.ndarray:
    from skimage import data

    return data.astronaut()


@functools.lru_cache(maxsize=4)
def _still(name: str) -> np.ndarray:
    from skimage import data

    img = getattr(data, name)()
    if img.ndim == 2:
        img = np.stack([img] * 3, axis=-1)
    return img


# Face box of the astronaut image (x, y, w, h), as OpenCV's Haar cascade finds it.
_FACE = (177, 66, 95, 95)


def portrait(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    """A head-and-shoulders ID portrait of `size` (w, h) on a plain studio backdrop."""
    x, y, w, _ = _FACE
    cx, cy = x + w / 2 + rng.uniform(-8, 8), y + w / 2 + rng.uniform(10, 30)
    half_w = w * rng.uniform(1.05, 1.35)
    half_h = half_w * size[1] / size[0]
    top = max(0.0, cy - half_h * 0.9)
    box = (int(cx - half_w), int(top), int(cx + half_w), int(top + 2 * half_h))
    face = Image.fromarray(_astronaut()).crop(box).resize(size, Image.Resampling.LANCZOS)
    backdrop = Image.new("RGB", size, _backdrop_colour(rng))
    mask = Image.new("L", size, 0)
    mw, mh = size
    ImageDraw.Draw(mask).ellipse((mw * 0.12, mh * 0.02, mw * 0.88, mh * 1.25), fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(max(2, mw // 25)))
    out = Image.composite(face, backdrop, mask)
    if rng.random() < 0.5:
        out = out.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    return _tint(out, rng).filter(ImageFilter.UnsharpMask(radius=2, percent=80, threshold=2))


def _backdrop_colour(rng: random.Random) -> tuple[int, int, int]:
    base = rng.choice([(214, 222, 232), (236, 236, 236), (200, 214, 228), (226, 219, 206)])
    return tuple(min(255, max(0, c + rng.randint(-12, 12))) for c in base)  # type: ignore[return-value]


def _tint(img: Image.Image, rng: random.Random) -> Image.Image:
    arr = np.asarray(img).astype(np.float32)
    gain = np.array([rng.uniform(0.9, 1.1) for _ in range(3)], dtype=np.float32)
    gamma = rng.uniform(0.85, 1.15)
    arr = 255.0 * np.clip(arr * gain / 255.0, 0, 1) ** gamma
    return Image.fromarray(arr.astype(np.uint8))


def id_photo(rng: random.Random) -> Image.Image:
    """The applicant's identification photo (portrait, about 2x2 inch at 300 dpi)."""
    side = rng.choice([600, 640, 700])
    img = portrait(rng, (side, int(side * rng.uniform(1.0, 1.25))))
    arr = np.asarray(img).astype(np.int16)
    noise = np.random.default_rng(rng.getrandbits(32)).normal(0, 2.5, arr.shape)
    return Image.fromarray(np.clip(arr + noise, 0, 255).astype(np.uint8))


def non_face_photo(rng: random.Random) -> tuple[Image.Image, str]:
    """A photo with no face in it (a cup of coffee, a cat, a rocket, a landscape texture)."""
    name = rng.choice(["coffee", "chelsea", "rocket", "grass"])
    img = Image.fromarray(_still(name))
    w, h = img.size
    dx, dy = rng.randint(0, w // 10), rng.randint(0, h // 10)
    img = img.crop((dx, dy, w - rng.randint(0, w // 10), h - rng.randint(0, h // 10)))
    scale = 640 / img.size[0]
    img = img.resize((640, int(img.size[1] * scale)), Image.Resampling.LANCZOS)
    return _tint(img, rng), name


def guilloche(
    size: tuple[int, int], colour: tuple[int, int, int], rng: random.Random
) -> Image.Image:
    """A pale security-print background of interlaced sine curves."""
    w, h = size
    img = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(img)
    line = tuple(max(0, c - 28) for c in colour)
    freq, amp, phase = rng.uniform(0.01, 0.03), rng.uniform(8, 25), rng.uniform(0, 6.28)
    xs = np.arange(0, w, 4)
    for k in range(0, h + 60, 18):
        ys = k + amp * np.sin(xs * freq + phase + k * 0.05)
        draw.line(list(zip(xs.tolist(), ys.tolist(), strict=True)), fill=line, width=1)
    return img


def table_texture(size: tuple[int, int], rng: random.Random) -> np.ndarray:
    """A wood, stone or fabric table top (uint8 RGB) to photograph documents on."""
    w, h = size
    sw, sh = max(8, w // 3), max(8, h // 3)
    gen = np.random.default_rng(rng.getrandbits(32))
    kind = rng.choice(["wood", "stone", "fabric", "dark"])
    xx = np.arange(sw, dtype=np.float32)[None, :]
    yy = np.arange(sh, dtype=np.float32)[:, None]
    if kind == "wood":
        noise = gen.standard_normal((sh // 4 + 1, sw // 4 + 1), dtype=np.float32)
        noise = cv2.resize(noise, (sw, sh), interpolation=cv2.INTER_CUBIC)
        grain = np.sin((yy + 4 * noise + 7 * np.sin(xx / 60)) / rng.uniform(2, 4))
        base = np.array([150, 105, 65], np.float32) * rng.uniform(0.7, 1.1)
        img = base[None, None, :] * (0.85 + 0.12 * grain[..., None])
    elif kind == "stone":
        base = np.array([185, 182, 176], np.float32) * rng.uniform(0.8, 1.05)
        img = base[None, None, :] + 14 * gen.standard_normal((sh, sw, 1), dtype=np.float32)
    elif kind == "fabric":
        base = np.array([60, 80, 120], np.float32) * rng.uniform(0.8, 1.2)
        weave = 8 * np.sin(xx / 0.9) * np.sin(yy / 0.9)
        img = (
            base[None, None, :]
            + weave[..., None]
            + 6 * gen.standard_normal((sh, sw, 1), dtype=np.float32)
        )
    else:
        base = np.array([45, 45, 50], np.float32)
        img = base[None, None, :] + 5 * gen.standard_normal((sh, sw, 1), dtype=np.float32)
    small = np.clip(img, 0, 255).astype(np.uint8)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def text_width(
    draw: ImageDraw.ImageDraw, text: str, fnt: ImageFont.FreeTypeFont | ImageFont.ImageFont
) -> int:
    """Width in pixels of `text` in `fnt`."""
    left, _, right, _ = draw.textbbox((0, 0), text, font=fnt)
    return int(right - left)
