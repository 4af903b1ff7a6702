"""OCR wrapper and stage: both engines, scaling to text height, what is (not) OCRed."""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np
import pytest

from models.flags import DocumentType, FlagCode
from models.internal import Classification, DocumentState, FieldValue, PageText, Word
from pipeline.config import OcrConfig, PipelineConfig
from pipeline.load import load_file
from pipeline.reading.ocr import check_text_readable, read_text
from pipeline.tools import tesseract
from tests.foundation.helpers import text_pdf
from tests.reading import synth

CTX = synth.context()


@pytest.fixture(scope="module")
def licence() -> synth.Drawn:
    return synth.licence_aamva_numbered()


@pytest.mark.parametrize("engine", ["tesserocr", "pytesseract"])
def test_both_engines_read_words_with_page_pixel_boxes(licence: synth.Drawn, engine: str) -> None:
    small = cv2.resize(licence.image, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    cfg = PipelineConfig(ocr=OcrConfig(engine=engine))  # type: ignore[arg-type]
    doc = read_text(synth.image_doc(small), dataclasses.replace(CTX, config=cfg))
    (page,) = doc.text
    assert page.source == "ocr" and (page.width, page.height) == (600, 378)
    dob = next(w for w in page.words if "1981" in w.text)
    x0, y0, x1, _ = (v // 2 for v in licence.boxes["date_of_birth"])
    assert abs(dob.box[0] - x0) <= 6 and abs(dob.box[2] - x1) <= 6 and abs(dob.box[1] - y0) <= 6
    assert 0 < dob.confidence <= 1


def test_text_height_and_scaling() -> None:
    img = np.full((400, 900), 255, np.uint8)
    for i in range(6):
        cv2.putText(img, "HELLO WORLD 123", (20, 50 + 60 * i), cv2.FONT_HERSHEY_SIMPLEX, 0.6, 0, 1)
    height = tesseract.text_height(img)
    assert height is not None and 8 <= height <= 20
    out, factor = tesseract.prepare(img, 32, (0.4, 3.0), 2400, binarize=True)
    assert factor > 1.5 and out.shape[1] == round(900 * factor)
    assert set(np.unique(out)) <= {0, 255}
    assert tesseract.text_height(np.full((100, 100), 255, np.uint8)) is None


def test_photo_role_and_text_pdf_are_not_ocred(licence: synth.Drawn) -> None:
    photo = read_text(synth.image_doc(licence.image, role="photo"), CTX)
    assert photo.text == ()
    pdf = load_file(
        DocumentState("d1", "residency", "front", text_pdf(["Statement Date 10/01/2026"] * 3)), CTX
    )
    assert read_text(pdf, CTX) is pdf


def test_text_readable_check(licence: synth.Drawn) -> None:
    doc = read_text(synth.image_doc(licence.image), CTX)
    assert check_text_readable(doc, CTX).status == "pass"
    blank = read_text(synth.image_doc(np.full((600, 950, 3), 255, np.uint8)), CTX)
    result = check_text_readable(blank, CTX)
    assert result.status == "fail" and result.flag == FlagCode.TEXT_UNREADABLE


@pytest.mark.parametrize("valid, status", [(True, "pass"), (False, "fail")])
def test_a_valid_zone_makes_a_card_back_readable(valid: bool, status: str) -> None:
    """A passport card's back is its machine-readable zone and one printed line: a zone
    whose check digits all agree was read, even when OCR was unsure of a word in it."""
    from models.internal import MrzRecord, PageText, Word

    lines = ("C<USAC469855652<<<<<<<<<<<<<<<",) * 3
    zone = MrzRecord("TD1", lines, valid=valid, confident=False, failed_checks=(), fields={})
    words = tuple(
        Word(t, 0.8, (10, 10 + 40 * i, 300, 40 + 40 * i), 0, i) for i, t in enumerate(lines)
    )
    text = PageText(0, (*words, Word("|", 0.3, (5, 5, 8, 20), 0, 9)), "ocr", 1100, 694)
    doc = dataclasses.replace(synth.image_doc(np.full((694, 1100, 3), 240, np.uint8)), side="back")
    doc = dataclasses.replace(doc, text=(text,), mrz=zone)
    assert check_text_readable(doc, CTX).status == status


def _lease(fields: dict) -> DocumentState:
    """A lease read by OCR: sure fragments of a faded page (CT-S10051-0135), and `fields`."""
    texts = ["This", "Lease", "water", "sewer,", "above", "place", "Villes", "nents", "Lice"]
    words = tuple(
        Word(t, 0.95, (40 + 90 * i, 100, 120 + 90 * i, 130), 0, 0) for i, t in enumerate(texts)
    )
    doc = synth.image_doc(np.full((1100, 850, 3), 250, np.uint8), role="residency")
    return dataclasses.replace(
        doc,
        text=(PageText(0, words, "ocr", 850, 1100),),
        classification=Classification(DocumentType.LEASE, 0.6, ()),
        fields={k: FieldValue(v, "ocr", 0.9, 0) for k, v in fields.items()},
    )


def test_a_proof_giving_no_field_at_all_is_unreadable() -> None:
    """Sure fragments of a faded lease pass the word counts; that no field at all could be
    read from a proof of residency says the page was not read."""
    result = check_text_readable(_lease({}), CTX)
    assert result.flag == FlagCode.TEXT_UNREADABLE and "nothing" in result.detail
    assert check_text_readable(_lease({"last_name": "COSTA"}), CTX).status == "pass"
    # CT-S10051-0080: a degraded policy that still gave its number warns, it is not unread
    assert check_text_readable(_lease({"document_number": "C914299755"}), CTX).status == "pass"
