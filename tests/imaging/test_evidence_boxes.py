"""Evidence boxes read on the rectified image map back onto the stored (uploaded) image."""

from __future__ import annotations

import numpy as np
import pytest
import synth
from conftest import doc_of, make_ctx

from models.internal import DocumentState, Page
from pipeline.evidence import map_box, stored_box
from pipeline.imaging import rectify
from pipeline.imaging.rectify import quarter_turn_matrix


def _red_box(image: np.ndarray) -> tuple[int, int, int, int]:
    b, g, r = (image[:, :, i].astype(int) for i in range(3))
    ys, xs = np.nonzero((r > 180) & (g < 80) & (b < 80))
    return int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())


@pytest.mark.parametrize(("angle", "perspective"), [(0.0, 0.0), (12.0, 0.1), (-8.0, 0.05)])
def test_box_found_on_rectified_card_lands_on_the_photo(angle, perspective):
    rng = np.random.default_rng(5)
    card = synth.card(rng, face=False)
    card[300:360, 500:640] = (0, 0, 255)  # a red patch where a field value would be
    photo, _ = synth.photograph(card, rng, angle=angle, perspective=perspective, kind="wood")
    page = rectify.rectify(doc_of(photo), make_ctx()).pages[0]
    assert page.to_stored is not None
    mapped = map_box(_red_box(page.image), page.to_stored)
    expected = _red_box(photo)
    assert np.abs(np.subtract(mapped, expected)).max() <= 12, (mapped, expected)


@pytest.mark.parametrize("deg", [90, 180, 270])
def test_quarter_turn_matrix_matches_numpy_rotation(deg):
    img = np.zeros((3, 5))
    img[1, 4] = 1
    y, x = np.argwhere(np.rot90(img, k=-deg // 90) == 1)[0]
    inverse = np.linalg.inv(quarter_turn_matrix(5, 3, deg))
    assert np.allclose(inverse @ [x, y, 1], [4, 1, 1])


def test_a_box_a_check_builds_is_mapped_to_the_stored_page() -> None:
    """A check that builds its evidence from words read (the latest date of an undated
    bill) maps its box as `locate_evidence` maps the fields'."""
    halved = (0.5, 0.0, 10.0, 0.0, 0.5, 20.0, 0.0, 0.0, 1.0)
    page = Page(0, np.zeros((4, 4, 3), np.uint8), to_stored=halved)
    doc = DocumentState("d", "residency", "front", b"", pages=(page,))
    assert stored_box(doc, 0, (100, 200, 300, 400)) == (60, 120, 160, 220)
    assert stored_box(doc, 1, (100, 200, 300, 400)) == (100, 200, 300, 400)  # no such page
    flat = DocumentState("d", "residency", "front", b"", pages=(Page(0, page.image),))
    assert stored_box(flat, 0, (1, 2, 3, 4)) == (1, 2, 3, 4)
