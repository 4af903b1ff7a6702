"""Stage `read_barcode`: a rendered PDF417 read back from a card-back image, straight and skewed."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import cv2
import numpy as np
import pytest

from models.flags import DocumentType
from models.internal import FileKind, Page
from pipeline.config import BarcodeConfig, PipelineConfig
from pipeline.reading.barcode import read_barcode
from pipeline.tools.barcode import read_pdf417, render_pdf417

from .conftest import image_doc

PAYLOAD = (
    "@\n\x1e\rANSI 636006090102DL00410250ZC02910010DLDAQ123456789\nDCSSMITH\nDACJOHN\n"
    "DADQUINCY\nDBB03141981\nDBA03142029\nDBD03142021\nDAG12 ELM ST\nDAIHARTFORD\nDAJCT\n"
    "DAK061060000  \nDCGUSA\nDBC1\nDAYBRO\nDAU070 IN\nDCF1234567890123\r"
    "ZCZCAX\r"
)
ORIGIN = (80, 230)


def card_back(angle: float = 0.0) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """A grey card back with text and the barcode; the barcode's box after rotation."""
    symbol = render_pdf417(PAYLOAD, 2)
    card = np.full((640, 1010), 232, np.uint8)
    h, w = symbol.shape
    x, y = ORIGIN
    card[y : y + h, x : x + w] = symbol
    cv2.putText(card, "RESTRICTIONS: NONE  CLASS D", (60, 90), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 30, 2)
    matrix = cv2.getRotationMatrix2D((505, 320), angle, 1.0)
    turned = cv2.warpAffine(card, matrix, (1010, 640), borderValue=110)
    corners = np.array([[x, y, 1], [x + w, y, 1], [x + w, y + h, 1], [x, y + h, 1]], float)
    moved = corners @ matrix.T
    box = (
        int(moved[:, 0].min()),
        int(moved[:, 1].min()),
        int(moved[:, 0].max()),
        int(moved[:, 1].max()),
    )
    return cv2.cvtColor(turned, cv2.COLOR_GRAY2BGR), box


def overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - ix * iy
    return ix * iy / union


def test_wrapper_round_trip_keeps_control_characters() -> None:
    symbols = read_pdf417(render_pdf417(PAYLOAD))
    assert [s.payload for s in symbols] == [PAYLOAD.encode()]


def test_wrapper_blank_and_tiny_images() -> None:
    assert read_pdf417(np.full((300, 300, 3), 255, np.uint8)) == []
    assert read_pdf417(np.zeros((4, 4), np.uint8)) == []


@pytest.mark.parametrize("angle", [0.0, 7.0, -7.0, 15.0, 90.0])
def test_stage_reads_card_back(ctx, angle: float) -> None:
    if angle == 90.0:
        image, _ = card_back()
        image = np.ascontiguousarray(np.rot90(image))
        expected = None
    else:
        image, expected = card_back(angle)
    doc = read_barcode(image_doc(image), ctx)
    record = doc.barcode
    assert record is not None
    assert record.document_type == DocumentType.DRIVERS_LICENSE
    assert record.jurisdiction == "CT" and record.version == 9
    assert record.fields["last_name"].value == "SMITH"
    assert record.fields["date_of_birth"].value == dt.date(1981, 3, 14)
    assert record.fields["address"].value.zip == "06106"
    assert record.elements["ZCA"] == "X"
    assert all(f.page == 0 and f.box == record.box for f in record.fields.values())
    if expected is not None:
        assert overlap(record.box, expected) > 0.8


def test_seven_degrees_needs_the_deskew(ctx) -> None:
    image, _ = card_back(7.0)
    one_try = replace(PipelineConfig(), barcode=BarcodeConfig(max_tries=1))
    assert read_barcode(image_doc(image), replace(ctx, config=one_try)).barcode is None
    assert read_barcode(image_doc(image), ctx).barcode is not None


def test_identity_documents_and_card_shaped_residency_uploads(ctx) -> None:
    image, _ = card_back()
    # a licence back sent as a residency proof: its barcode says what it is
    assert read_barcode(image_doc(image, role="residency"), ctx).barcode is not None
    page = np.full((1100, 850, 3), 255, np.uint8)  # a letter-sized page: no barcode read
    page[100 : 100 + image.shape[0], 50 : 50 + image.shape[1]] = image[:, :800][: 1100 - 100]
    assert read_barcode(image_doc(page, role="residency"), ctx).barcode is None
    assert read_barcode(image_doc(image, role="photo"), ctx).barcode is None


def test_non_aamva_symbol_and_no_symbol(ctx) -> None:
    other = render_pdf417("just some PDF417 text, not a licence")
    page = np.full((600, 900), 255, np.uint8)
    page[100 : 100 + other.shape[0], 100 : 100 + other.shape[1]] = other
    assert read_barcode(image_doc(cv2.cvtColor(page, cv2.COLOR_GRAY2BGR)), ctx).barcode is None
    blank = np.full((600, 900, 3), 240, np.uint8)
    assert read_barcode(image_doc(blank), ctx).barcode is None


def test_a_flattening_that_warped_the_barcode_falls_back_to_the_upload(ctx) -> None:
    """MA-S10018-0122: a false outline warped a clean back past decoding; the image as
    uploaded reads, and the box lands in the flattened page's pixels."""
    image, box = card_back()
    ok, png = cv2.imencode(".png", image)
    assert ok
    # the "flattened" page: the upload squeezed to a third of its width and shifted
    squeeze = np.array([[3.0, 0.0, -30.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])  # to_stored
    flat = cv2.warpPerspective(image, np.linalg.inv(squeeze), (image.shape[1], image.shape[0]))
    doc = replace(
        image_doc(flat),
        side="back",
        data=png.tobytes(),
        kind=FileKind.PNG,
        pages=(Page(0, flat, to_stored=tuple(squeeze.ravel())),),
    )
    assert read_barcode(replace(doc, pages=(Page(0, flat),)), ctx).barcode is None
    assert read_barcode(replace(doc, side="front"), ctx).barcode is None  # fronts pay nothing
    record = read_barcode(doc, ctx).barcode
    assert record is not None and record.fields["last_name"].value == "SMITH"
    expected = ((box[0] + 30) / 3, box[1], (box[2] + 30) / 3, box[3])
    assert overlap(record.box, tuple(round(v) for v in expected)) > 0.8
