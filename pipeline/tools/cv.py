"""OpenCV wrapper: the image operations the pipeline uses, with cv2.error turned into ToolError.

Every OpenCV call in the pipeline goes through a function here, so that an OpenCV
failure on hostile input surfaces as `ToolError` and never as `cv2.error`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

import cv2
import numpy as np

from pipeline.errors import FileUnreadable, ToolError

P = ParamSpec("P")
R = TypeVar("R")

cv2.setNumThreads(1)  # one process per core; OpenCV's own threads only add contention


def guarded(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn `cv2.error` raised inside `fn` into `ToolError`."""

    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except cv2.error as exc:
            reason = str(exc).strip().splitlines()[-1]
            raise ToolError(f"OpenCV {fn.__name__} failed: {reason}") from None

    return wrapper


@guarded
def to_gray(image: np.ndarray) -> np.ndarray:
    """A single-channel 8-bit copy (unchanged if already gray)."""
    if image.ndim == 2:
        return image
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY)
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


@guarded
def channel_min(image: np.ndarray) -> np.ndarray:
    """The per-pixel minimum over the colour channels (alpha ignored); a grey image as is.
    Equal to `image[..., :3].min(axis=2)`, about 20 times faster."""
    if image.ndim == 2:
        return image
    out = cv2.min(image[:, :, 0], image[:, :, 1])
    return cv2.min(out, image[:, :, 2]) if image.shape[2] > 2 else out


@guarded
def channel_max(image: np.ndarray) -> np.ndarray:
    """The per-pixel maximum over the colour channels (alpha ignored); a grey image as is."""
    if image.ndim == 2:
        return image
    out = cv2.max(image[:, :, 0], image[:, :, 1])
    return cv2.max(out, image[:, :, 2]) if image.shape[2] > 2 else out


@guarded
def resize_exact(image: np.ndarray, width: int, height: int) -> np.ndarray:
    """Resize to exactly width x height (area interpolation)."""
    return cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA)


@guarded
def scale(image: np.ndarray, factor: float) -> np.ndarray:
    """Resize by a factor (area when shrinking, cubic when enlarging)."""
    if abs(factor - 1.0) < 1e-3:
        return image
    interp = cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC
    return cv2.resize(image, None, fx=factor, fy=factor, interpolation=interp)


@guarded
def dct(image: np.ndarray) -> np.ndarray:
    """2-D discrete cosine transform of a float32 image."""
    return cv2.dct(image)


@guarded
def decode(data: bytes) -> np.ndarray:
    """Decode encoded image bytes to BGR; FileUnreadable when OpenCV cannot."""
    arr = np.frombuffer(data, dtype=np.uint8)
    image = cv2.imdecode(arr, cv2.IMREAD_COLOR)
    if image is None:
        raise FileUnreadable("the image data is corrupt or truncated")
    return image


@guarded
def encode_png(image: np.ndarray) -> bytes:
    """PNG bytes of an image."""
    ok, buf = cv2.imencode(".png", image)
    if not ok:
        raise ToolError("OpenCV could not encode PNG")
    return buf.tobytes()


# --- filters and geometry used by pipeline.imaging (rectify, quality, face) ---

Quad = np.ndarray
"""Four corners, float32 (4, 2): top-left, top-right, bottom-right, bottom-left."""


@guarded
def gaussian_blur(image: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian blur with standard deviation `sigma` pixels (kernel size from sigma)."""
    return cv2.GaussianBlur(
        image, (0, 0), sigmaX=sigma, sigmaY=sigma, borderType=cv2.BORDER_REFLECT
    )


@guarded
def median_blur(image: np.ndarray, ksize: int) -> np.ndarray:
    """Median filter with an odd square window (8-bit input)."""
    return cv2.medianBlur(image, ksize)


@guarded
def box_mean(image: np.ndarray, ksize: int) -> np.ndarray:
    """Local mean over a square window (float32 out)."""
    return cv2.blur(image.astype(np.float32), (ksize, ksize), borderType=cv2.BORDER_REFLECT)


@guarded
def sobel(image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical derivatives (float32, 3x3 Sobel, divided by 8: per-pixel slope)."""
    src = image.astype(np.float32)
    gx = cv2.Sobel(src, cv2.CV_32F, 1, 0, ksize=3) / 8.0
    gy = cv2.Sobel(src, cv2.CV_32F, 0, 1, ksize=3) / 8.0
    return gx, gy


@guarded
def canny(image: np.ndarray, low: float, high: float) -> np.ndarray:
    """Canny edge map (uint8 0/255) of an 8-bit image."""
    return cv2.Canny(image, low, high, L2gradient=True)


def _kernel(size: int | tuple[int, int], shape: str = "rect") -> np.ndarray:
    w, h = (size, size) if isinstance(size, int) else size
    kind = cv2.MORPH_ELLIPSE if shape == "ellipse" else cv2.MORPH_RECT
    return cv2.getStructuringElement(kind, (max(1, int(w)), max(1, int(h))))


@guarded
def dilate(image: np.ndarray, size: int | tuple[int, int], shape: str = "rect") -> np.ndarray:
    """Grey or binary dilation (local maximum) with a rectangle or ellipse of `size`."""
    return cv2.dilate(image, _kernel(size, shape))


@guarded
def erode(image: np.ndarray, size: int | tuple[int, int], shape: str = "rect") -> np.ndarray:
    """Grey or binary erosion (local minimum) with a rectangle or ellipse of `size`."""
    return cv2.erode(image, _kernel(size, shape))


@guarded
def close(image: np.ndarray, size: int | tuple[int, int], shape: str = "rect") -> np.ndarray:
    """Morphological closing (fills gaps smaller than `size`)."""
    return cv2.morphologyEx(image, cv2.MORPH_CLOSE, _kernel(size, shape))


@guarded
def open_(image: np.ndarray, size: int | tuple[int, int], shape: str = "rect") -> np.ndarray:
    """Morphological opening (removes specks smaller than `size`)."""
    return cv2.morphologyEx(image, cv2.MORPH_OPEN, _kernel(size, shape))


@guarded
def otsu(image: np.ndarray, invert: bool = False) -> np.ndarray:
    """Otsu binarisation of an 8-bit image (uint8 0/255)."""
    mode = cv2.THRESH_BINARY_INV if invert else cv2.THRESH_BINARY
    _, out = cv2.threshold(image, 0, 255, mode | cv2.THRESH_OTSU)
    return out


@guarded
def adaptive_ink(image: np.ndarray, block: int, offset: float) -> np.ndarray:
    """Dark-on-light ink mask (255 = ink) by a local mean threshold."""
    block = max(3, block | 1)
    return cv2.adaptiveThreshold(
        image, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, offset
    )


@guarded
def components(mask: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    """Connected components (8-connectivity) of a binary mask: count, labels, stats."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    return count, labels, stats


@guarded
def outer_contours(mask: np.ndarray) -> list[np.ndarray]:
    """External contours of a binary mask, largest area first."""
    found, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    return sorted(found, key=cv2.contourArea, reverse=True)


@guarded
def contour_area(contour: np.ndarray) -> float:
    """Area enclosed by a contour or polygon."""
    return float(cv2.contourArea(contour.astype(np.float32)))


@guarded
def convex_hull(contour: np.ndarray) -> np.ndarray:
    """Convex hull of a contour."""
    return cv2.convexHull(contour)


@guarded
def approx_polygon(contour: np.ndarray, epsilon_fraction: float) -> np.ndarray:
    """Douglas-Peucker simplification; epsilon as a fraction of the perimeter. Shape (n, 2)."""
    eps = epsilon_fraction * cv2.arcLength(contour, True)
    return cv2.approxPolyDP(contour, eps, True).reshape(-1, 2)


@guarded
def approx_polyline(points: np.ndarray, epsilon_px: float) -> np.ndarray:
    """Douglas-Peucker simplification of an open polyline of integer points (n, 2); epsilon
    in pixels. The kept vertices, shape (k, 2)."""
    curve = np.ascontiguousarray(points, dtype=np.int32).reshape(-1, 1, 2)
    return cv2.approxPolyDP(curve, epsilon_px, False).reshape(-1, 2)


@guarded
def min_area_rect(points: np.ndarray) -> tuple[np.ndarray, float]:
    """The minimum-area rotated rectangle of points: its 4 corners and its angle (degrees)."""
    rect = cv2.minAreaRect(points.astype(np.float32))
    return cv2.boxPoints(rect), float(rect[2])


@guarded
def quad_matrix(quad: Quad, width: int, height: int) -> np.ndarray:
    """The 3x3 perspective matrix taking `quad` (tl, tr, br, bl) to a width x height image."""
    dst = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32)
    return cv2.getPerspectiveTransform(quad.astype(np.float32), dst)


@guarded
def warp_quad(
    image: np.ndarray, quad: Quad, width: int, height: int, cubic: bool = False
) -> np.ndarray:
    """Perspective-warp the quadrilateral `quad` (tl, tr, br, bl) to a width x height image
    (bilinear, or bicubic when `cubic`)."""
    matrix = quad_matrix(quad, width, height)
    flags = cv2.INTER_CUBIC if cubic else cv2.INTER_LINEAR
    return cv2.warpPerspective(
        image, matrix, (width, height), flags=flags, borderMode=cv2.BORDER_REPLICATE
    )


@guarded
def rotate(
    image: np.ndarray, degrees: float, border: tuple[int, int, int] | None = None
) -> np.ndarray:
    """Rotate counter-clockwise by `degrees` about the centre, enlarging the canvas to fit.

    The uncovered corners are filled with `border` (BGR) or, when None, by replicating the edge.
    """
    matrix, (nw, nh) = rotation_matrix(image.shape[1], image.shape[0], degrees)
    mode = cv2.BORDER_REPLICATE if border is None else cv2.BORDER_CONSTANT
    return cv2.warpAffine(
        image, matrix, (nw, nh), flags=cv2.INTER_LINEAR, borderMode=mode, borderValue=border or 0
    )


@guarded
def rotation_matrix(w: int, h: int, degrees: float) -> tuple[np.ndarray, tuple[int, int]]:
    """The 2x3 matrix of `rotate` for a w x h image, and the enlarged canvas size."""
    matrix = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), degrees, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    nw, nh = round(h * sin + w * cos), round(h * cos + w * sin)
    matrix[0, 2] += nw / 2.0 - w / 2.0
    matrix[1, 2] += nh / 2.0 - h / 2.0
    return matrix, (nw, nh)


@guarded
def rotate_same_size(image: np.ndarray, degrees: float) -> np.ndarray:
    """Rotate counter-clockwise about the centre keeping the size (nearest, zero border)."""
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), degrees, 1.0)
    return cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)


_THREAD = threading.local()
"""Per-thread state: a cascade classifier keeps the image it scans inside itself, so
threads detecting at once on one classifier find each other's faces (or crash)."""


@guarded
def _cascade(name: str) -> cv2.CascadeClassifier:
    """This thread's classifier for the cascade `name`, loaded on first use."""
    cascades: dict[str, cv2.CascadeClassifier] = getattr(_THREAD, "cascades", None) or {}
    _THREAD.cascades = cascades
    if name not in cascades:
        path = cv2.data.haarcascades + name
        classifier = cv2.CascadeClassifier(path)
        if classifier.empty():
            from pipeline.errors import ToolMissing

            raise ToolMissing(f"OpenCV Haar cascade {name} is missing (opencv-python-headless<5)")
        cascades[name] = classifier
    return cascades[name]


@guarded
def detect_objects(
    gray: np.ndarray, cascade: str, scale_factor: float, min_neighbors: int, min_size: int
) -> list[tuple[int, int, int, int]]:
    """Haar-cascade detections (x, y, w, h) on an 8-bit grey image; the classifier is
    cached per thread."""
    found = _cascade(cascade).detectMultiScale(
        gray, scaleFactor=scale_factor, minNeighbors=min_neighbors, minSize=(min_size, min_size)
    )
    return [tuple(int(v) for v in box) for box in found]  # type: ignore[misc]


@guarded
def convolve(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """2-D correlation of an image with a small kernel (float32 out, reflected border)."""
    return cv2.filter2D(
        image.astype(np.float32),
        cv2.CV_32F,
        kernel.astype(np.float32),
        borderType=cv2.BORDER_REFLECT,
    )


@guarded
def equalize(gray: np.ndarray) -> np.ndarray:
    """Histogram equalisation of an 8-bit grey image."""
    return cv2.equalizeHist(gray)


@guarded
def distance_outside(mask: np.ndarray) -> np.ndarray:
    """Euclidean distance of each pixel to the nearest True pixel of `mask` (0 inside it)."""
    background = np.where(mask, 0, 255).astype(np.uint8)
    return cv2.distanceTransform(background, cv2.DIST_L2, 5)


@guarded
def quad_mask(shape: tuple[int, ...], quad: np.ndarray) -> np.ndarray:
    """Boolean mask of the pixels inside a convex polygon (pixel coordinates)."""
    mask = np.zeros(shape[:2], np.uint8)
    cv2.fillConvexPoly(mask, np.round(quad).astype(np.int32), 255)
    return mask > 0


@guarded
def contour_mask(shape: tuple[int, ...], contour: np.ndarray) -> np.ndarray:
    """Boolean mask of the pixels inside a contour (holes of the region filled)."""
    mask = np.zeros(shape[:2], np.uint8)
    cv2.drawContours(mask, [np.asarray(contour, np.int32)], 0, 255, thickness=-1)
    return mask > 0
