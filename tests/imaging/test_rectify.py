"""Rectification: outline found and flattened, skew removed, orientation fixed, framing."""

from __future__ import annotations

import numpy as np
import pytesseract
import pytest
import synth
from conftest import doc_of, make_ctx

from pipeline.config import GeometryConfig
from pipeline.imaging import orientation, outline, rectify
from pipeline.tools import cv

CARD_ASPECT = 85.6 / 54


def _measure(doc, name):
    return next(m for m in doc.measurements if m.name == name)


def _words(img: np.ndarray) -> set[str]:
    text = pytesseract.image_to_string(img[:, :, ::-1], config="--psm 6")
    return {w.strip(".,:;'\"") for w in text.split() if len(w) >= 4}


@pytest.mark.parametrize("kind", ["wood", "speckle"])
def test_card_photo_at_15_degrees_is_flattened(ctx, kind):
    rng = np.random.default_rng(11)
    card = synth.card(rng, face=False)
    photo, _ = synth.photograph(card, rng, angle=15, perspective=0.12, fill=0.6, kind=kind)
    out = rectify.rectify(doc_of(photo), ctx)
    image = out.pages[0].image
    h, w = image.shape[:2]
    assert abs(w / h - CARD_ASPECT) < 0.02
    assert w == GeometryConfig().card_width_px
    assert _measure(out, "geometry.outline").value == 1.0
    assert abs(rectify.estimate_skew(cv.to_gray(cv.scale(image, 0.6)), 20)) < 1.0
    # the flattened card lines up with the flat original pixel for pixel (up to a few px)
    diff = np.abs(
        cv.to_gray(cv.resize_exact(image, 1100, 694)).astype(int) - cv.to_gray(card).astype(int)
    )
    assert float(np.median(diff)) < 12
    assert _measure(out, "quality.framing").score == 1.0


@pytest.mark.slow
def test_rectified_photo_reads_like_the_flat_scan(ctx):
    rng = np.random.default_rng(5)
    card = synth.card(rng, face=False)
    photo, _ = synth.photograph(card, rng, angle=15, perspective=0.12, fill=0.6)
    flat = _words(card)
    rectified = _words(rectify.rectify(doc_of(photo), ctx).pages[0].image)
    raw = _words(photo)
    assert len(flat) >= 8
    assert len(rectified & flat) >= 0.8 * len(flat)
    assert len(rectified & flat) > len(raw & flat)


def test_flat_scan_with_skew_is_straightened(ctx):
    rng = np.random.default_rng(3)
    page = synth.page(rng, 1200)
    skewed = cv.rotate(page, 7.0, border=(255, 255, 255))
    out = rectify.rectify(doc_of(skewed, role="residency"), ctx)
    assert _measure(out, "geometry.outline").value == 0.0
    assert abs(_measure(out, "geometry.skew_deg").value - (-7.0)) < 0.5
    gray = cv.to_gray(cv.scale(out.pages[0].image, 0.5))
    assert abs(rectify.estimate_skew(gray, 20)) < 0.5


def test_straight_scan_is_left_alone(ctx):
    page = synth.page(np.random.default_rng(4), 1200)
    out = rectify.rectify(doc_of(page, role="residency"), ctx)
    assert out.pages[0].image.shape == page.shape
    assert _measure(out, "geometry.skew_deg").value == 0.0
    assert _measure(out, "quality.framing").score == 1.0


def test_photo_role_and_text_pdfs_are_untouched(ctx):
    img = synth.card(np.random.default_rng(1))
    doc = doc_of(img, role="photo")
    assert rectify.rectify(doc, ctx) is doc
    from dataclasses import replace

    empty = replace(doc_of(img, role="residency"), pages=())
    assert rectify.rectify(empty, ctx) is empty


def test_cut_off_document_and_empty_frame_are_reported(ctx):
    rng = np.random.default_rng(2)
    photo, _ = synth.photograph(synth.card(rng), rng, angle=0, fill=0.7, kind="dark")
    cut = photo[:, : int(photo.shape[1] * 0.6)]  # the right part of the card is outside
    out = rectify.rectify(doc_of(cut), ctx)
    framing = _measure(out, "quality.framing")
    assert framing.score < 1.0 and "edge" in framing.detail
    blank = synth.background(rng, 1200, 900, "dark")
    blank = cv.gaussian_blur(blank, 4)
    framing = _measure(rectify.rectify(doc_of(blank), ctx), "quality.framing")
    assert framing.score == 0.0 and "no document" in framing.detail


def test_upside_down_card_is_turned_upright_by_its_portrait():
    rng = np.random.default_rng(9)
    card = synth.card(rng, face=True)
    ctx = make_ctx(orientation=True)
    photo, _ = synth.photograph(card[::-1, ::-1], rng, angle=6, perspective=0.05, fill=0.6)
    out = rectify.rectify(doc_of(photo), ctx)
    assert _measure(out, "geometry.rotation_deg").value == 180.0
    assert out.faces is not None and out.faces >= 1  # found while orienting, reused later
    image = cv.resize_exact(out.pages[0].image, card.shape[1], card.shape[0])
    diff = np.abs(cv.to_gray(image).astype(int) - cv.to_gray(card).astype(int))
    assert float(np.median(diff)) < 12
    photo, _ = synth.photograph(card, rng, angle=6, perspective=0.05, fill=0.6)
    upright = rectify.rectify(doc_of(photo), ctx)
    assert _measure(upright, "geometry.rotation_deg").value == 0.0


def test_horizontal_text_skips_tesseract_orientation(monkeypatch):
    calls: list[int] = []
    monkeypatch.setattr(
        orientation.tesseract, "detect_orientation", lambda *a, **k: calls.append(1)
    )
    card = synth.card(np.random.default_rng(3), face=False)
    out = rectify.rectify(doc_of(card, role="residency"), make_ctx(orientation=True))
    assert _measure(out, "geometry.rotation_deg").value == 0.0
    assert calls == []


@pytest.mark.slow
def test_card_on_its_side_is_turned_upright_by_tesseract():
    rng = np.random.default_rng(9)
    card = synth.card(rng, face=False)
    ctx = make_ctx(orientation=True)
    out = rectify.rectify(doc_of(np.ascontiguousarray(np.rot90(card))), ctx)
    assert _measure(out, "geometry.rotation_deg").value == 90.0
    diff = np.abs(cv.to_gray(out.pages[0].image).astype(int) - cv.to_gray(card).astype(int))
    assert float(np.median(diff)) < 5


def _outline_corners(photo: np.ndarray) -> np.ndarray | None:
    """The outline `find_outline` gives for a photo, in the photo's pixels (tl, tr, br, bl)."""
    cfg = GeometryConfig()
    factor = cfg.outline_side / max(photo.shape[:2])
    found, _ = outline.find_outline(cv.scale(photo, factor), cfg)
    return None if found is None else found.quad / factor


@pytest.mark.parametrize(
    ("kind", "band", "angle"),
    [("wood", (110, 90, 20), -9), ("wood", (150, 90, 30), 4), ("wood", (110, 90, 20), 7)],
)
def test_card_whose_band_is_as_bright_as_the_table_is_found_whole(ctx, kind, band, angle):
    """A title band about as bright as a wood table, only its hue differs (gold, orange):
    brightness segmentation stops at the band's inner edge (a strong one) and the grain
    hides the band's outer edge from brightness edges; the card's own edge is found by its
    hue and kept."""
    rng = np.random.default_rng(21)
    card = synth.card(rng, face=True, band=band)
    photo, corners = synth.photograph(card, rng, angle=angle, perspective=0.05, fill=0.6, kind=kind)
    found = _outline_corners(photo)
    assert found is not None
    assert float(np.abs(found - corners).max()) < 0.015 * max(photo.shape[:2])
    out = rectify.rectify(doc_of(photo), ctx)
    image = out.pages[0].image
    assert image.shape[:2] == card.shape[:2]
    diff = np.abs(cv.to_gray(image).astype(int) - cv.to_gray(card).astype(int))
    assert float(np.median(diff)) < 12


@pytest.mark.parametrize(("kind", "angle"), [("dark", 8), ("speckle", -6)])
def test_glare_spilling_over_the_card_edge_keeps_its_outline(ctx, kind, angle):
    """A blown-out blob over the card's top edge and the table beyond joins both in one
    region: the card's sides away from the glare still give its outline."""
    rng = np.random.default_rng(8)
    card = synth.card(rng, face=True)
    photo, corners = synth.photograph(
        card, rng, angle=angle, perspective=0.04, fill=0.65, kind=kind
    )
    top = 0.7 * corners[0] + 0.3 * corners[1]
    axes = (0.35 * float(np.linalg.norm(corners[1] - corners[0])), 0.1 * photo.shape[0])
    photo = synth.flare(photo, (float(top[0]), float(top[1]) + 0.2 * axes[1]), axes)
    found = _outline_corners(photo)
    assert found is not None
    assert float(np.abs(found - corners).max()) < 0.03 * max(photo.shape[:2])
    assert _measure(rectify.rectify(doc_of(photo), ctx), "geometry.outline").value == 1.0


@pytest.mark.parametrize(
    ("kind", "angle", "towards", "lift", "size"),
    [("wood", -4, 0.4, 0.2, 0.35), ("wood", 3, 0.4, 0.7, 0.35), ("dark", -4, 0.7, 0.7, 0.25)],
)
def test_outline_taking_in_a_reflection_that_spills_past_another_is_left_out(
    kind, angle, towards, lift, size
):
    """A reflection mostly on the card, bulging a little past its lower edge: a region of
    card and reflection gave the winning outline, which enclosed the card's own and took the
    bulge in (MA-S10069-0069: the reflection then sat on the crop's edge and was not glare).
    A reflection spills past the card's outline and not past that one: it is the card's
    outline and the reflection, and the card's own outline is kept."""
    rng = np.random.default_rng(54)
    card = synth.card(rng, face=True)
    photo, corners = synth.photograph(card, rng, angle=angle, perspective=0.04, fill=0.6, kind=kind)
    width = float(np.linalg.norm(corners[2] - corners[3]))
    bottom = (1 - towards) * corners[3] + towards * corners[2]
    axes = (size * width, 0.7 * size * width)
    photo = synth.flare(photo, (float(bottom[0]), float(bottom[1]) - lift * axes[1]), axes)
    found = _outline_corners(photo)
    assert found is not None
    assert float(np.abs(found - corners).max()) < 0.015 * max(photo.shape[:2])
    cfg = GeometryConfig()
    factor = cfg.outline_side / max(photo.shape[:2])
    spill = outline.spilled_glare(cv.scale(photo, factor), (found * factor).astype(np.float32), cfg)
    assert spill > 0.08


@pytest.mark.parametrize(
    ("kind", "angle", "towards", "lift"),
    [("speckle", 3, 0.5, -0.1), ("wood", -5, 0.7, -0.1), ("wood", -5, 0.5, 0.15)],
)
def test_large_reflection_spilling_past_the_card_is_left_out_of_its_outline(
    ctx, kind, angle, towards, lift
):
    """A reflection over much of the card's lower edge and well past it onto the table:
    the region of card and reflection fills its hull, which takes the spill in (the glare
    then sat on the crop's edge and passed for the lit side of a gradient, MA-S10067-0054),
    or no outline was found at all. The card's straight sides, the lower one only visible
    on either side of the glare, give its outline."""
    rng = np.random.default_rng(54)
    card = synth.card(rng, face=True)
    photo, corners = synth.photograph(card, rng, angle=angle, perspective=0.04, fill=0.6, kind=kind)
    width = float(np.linalg.norm(corners[2] - corners[3]))
    bottom = (1 - towards) * corners[3] + towards * corners[2]
    axes = (0.32 * width, 0.22 * width)
    photo = synth.flare(photo, (float(bottom[0]), float(bottom[1]) - lift * axes[1]), axes)
    found = _outline_corners(photo)
    assert found is not None
    assert float(np.abs(found - corners).max()) < 0.015 * max(photo.shape[:2])


@pytest.mark.parametrize("shape", [(606, 640), (200, 1200), (1600, 1100)])
@pytest.mark.parametrize("angle", [-19.6, -3.0, 0.5, 12.0])
@pytest.mark.parametrize("turned", [False, True])
def test_the_captured_part_of_a_deskewed_image_holds_no_fill(
    shape: tuple[int, int], angle: float, turned: bool
) -> None:
    """The centred rectangle `captured_part` gives holds only captured pixels (the fill
    here black, as `deskew` would fill with a black border), and is the largest such: a
    few pixels more on every side take in fill."""
    out = cv.rotate(np.full((*shape, 3), 200, np.uint8), angle, border=(0, 0, 0))
    out = np.rot90(out) if turned else out
    x0, y0, x1, y1 = rectify.captured_part(out.shape, angle)
    assert out[y0:y1, x0:x1].min() >= 150  # captured (a boundary pixel may be blended)
    grown = out[max(0, y0 - 3) : y1 + 3, max(0, x0 - 3) : x1 + 3]
    assert grown.min() < 50
