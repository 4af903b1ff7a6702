"""A picture that is no document is the wrong document, a faded page an unreadable one.

Measured on real photographs (scikit-image's and matplotlib's sample images, none of them
made for this project) and on a real scanned page (scikit-image's `page`), faded the way
thermal prints and bad scans fade. Also: licence vs identification card cues.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from skimage import data as skdata

from models.flags import DocumentType, FlagCode
from models.internal import BarcodeRecord, CheckResult, DocumentState, Measurement, PageText, Word
from pipeline.config import ContentConfig
from pipeline.imaging.content import measure_content
from pipeline.imaging.rectify import deskew
from pipeline.matching.reconcile import demote_consequences
from pipeline.reading.classify import (
    NOT_A_DOCUMENT,
    check_document_type,
    classify,
    keyword_scores,
    not_a_document,
)
from pipeline.reading.ocr import check_text_readable
from tests.reading.synth import context, image_doc, text_doc

CTX = context()
CFG = ContentConfig()

# the generator draws its non-document uploads from coffee, chelsea, rocket and grass:
# these others are held out from it
HELD_OUT_PHOTOS = ("astronaut", "brick", "camera", "coins", "gravel", "retina")


def _bgr(image: np.ndarray) -> np.ndarray:
    a = np.asarray(image)
    if a.dtype == bool:
        a = a.astype(np.uint8) * 255
    if a.ndim == 3:
        a = np.ascontiguousarray(a[:, :, 2::-1])
    return a


def _photo(name: str) -> np.ndarray:
    if name == "grace_hopper":
        path = Path(matplotlib.get_data_path()) / "sample_data" / "grace_hopper.jpg"
        from PIL import Image

        return _bgr(np.asarray(Image.open(path).convert("RGB")))
    return _bgr(getattr(skdata, name)())


def _page() -> np.ndarray:
    """The real scanned page, paper levelled to white and enlarged to a page's pixels."""
    page = skdata.page().astype(np.float32)
    page = np.clip(page * 255.0 / np.percentile(page, 95), 0, 255)
    return np.kron(page, np.ones((3, 3), np.float32))


def _faded(ink: float, gain: float = 1.0, seed: int = 3) -> np.ndarray:
    """The page with its ink at `ink` of its contrast, under grain, optionally dimmed."""
    page = _page()
    noise = np.random.default_rng(seed).normal(0.0, 5.0, page.shape)
    return np.clip((255 - (255 - page) * ink) * gain + noise, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("name", (*HELD_OUT_PHOTOS, "grace_hopper", "coffee", "chelsea"))
def test_real_photos_of_no_document_are_not_documents(name: str) -> None:
    evidence = measure_content(_photo(name), CFG)
    assert not evidence.document, evidence.detail


@pytest.mark.parametrize("ink", (1.0, 0.3, 0.15, 0.07, 0.04))
def test_a_real_page_faded_to_nothing_is_still_a_document(ink: float) -> None:
    evidence = measure_content(_faded(ink), CFG)
    assert evidence.document, evidence.detail


def test_a_dim_faded_page_and_a_page_on_its_side_are_documents() -> None:
    assert measure_content(_faded(0.07, gain=0.55), CFG).document
    assert measure_content(np.ascontiguousarray(np.rot90(_faded(0.3))), CFG).document


def test_a_legible_page_is_a_document_by_its_text_rows_alone() -> None:
    page = _page().astype(np.uint8)
    evidence = measure_content(page, CFG)
    assert evidence.text_rows >= CFG.min_text_row_marks, evidence.detail
    # ... which the photos never reach
    for name in HELD_OUT_PHOTOS:
        assert measure_content(_photo(name), CFG).text_rows < CFG.min_text_row_marks


def _junk(n: int, confidence: float) -> PageText:
    """Words OCR makes out of texture: many, all unsure."""
    words = tuple(Word(f"x{i}q", confidence, (i, 0, i + 5, 5), 0, 0) for i in range(n))
    return PageText(0, words, "ocr", 800, 600)  # type: ignore[arg-type]


def _checks(doc: DocumentState) -> tuple[CheckResult | None, CheckResult | None]:
    return check_text_readable(doc, CTX), check_document_type(doc, CTX)


@pytest.mark.parametrize("role", ["residency", "identity"])
def test_a_photo_uploaded_as_a_document_is_the_wrong_document(role: str) -> None:
    doc = classify(image_doc(_photo("brick"), role=role, faces=0), CTX)
    assert not_a_document(doc)
    readable, kind = _checks(doc)
    assert readable is not None and readable.flag is None and readable.status == "skipped"
    assert kind is not None and kind.flag == FlagCode.WRONG_DOCUMENT_TYPE
    assert kind.evidence and kind.evidence["not_a_document"] is True


def test_noise_read_off_a_picture_does_not_make_it_a_document() -> None:
    junk = _junk(30, 0.2)
    doc = classify(image_doc(_photo("gravel"), role="residency", text=(junk,)), CTX)
    assert not_a_document(doc)


def test_a_faded_page_is_unreadable_not_the_wrong_document() -> None:
    doc = classify(image_doc(_faded(0.04), role="residency"), CTX)
    assert not not_a_document(doc)
    readable, kind = _checks(doc)
    assert readable is not None and readable.flag == FlagCode.TEXT_UNREADABLE
    assert kind is not None and kind.flag is None and kind.status == "skipped"


def test_garbage_words_on_a_faded_page_do_not_make_it_a_wrong_type() -> None:
    junk = _junk(8, 0.25)
    doc = classify(image_doc(_faded(0.07), role="residency", text=(junk,)), CTX)
    readable, kind = _checks(doc)
    assert readable is not None and readable.flag == FlagCode.TEXT_UNREADABLE
    assert kind is not None and kind.flag is None


def test_an_identity_image_with_a_portrait_or_a_back_side_is_not_judged() -> None:
    assert not not_a_document(classify(image_doc(_photo("brick"), faces=1), CTX))
    back = replace(image_doc(_photo("brick"), faces=0), side="back")
    assert not not_a_document(classify(back, CTX))


def test_a_picture_under_glare_is_not_judged_to_show_no_document() -> None:
    """Text hidden under a reflection is no sign of a non-document (IMAGE_GLARE says so);
    the same picture without glare measured is judged."""
    limit = CTX.config.quality.glare_fraction_max
    glare = Measurement("quality.glare", limit + 0.05, 0.2, "glare over the card")
    doc = image_doc(_photo("brick"), faces=0, measurements=(glare,))
    assert not not_a_document(classify(doc, CTX))
    mild = Measurement("quality.glare", limit / 2, 0.8, "a little glare")
    assert not_a_document(classify(image_doc(_photo("brick"), faces=0, measurements=(mild,)), CTX))


def test_a_picture_blurred_past_the_limit_is_not_judged_to_show_no_document() -> None:
    """CT-S10040-0081: a passport blurred to an edge spread of 4.85 px showed no text rows
    and was called a picture of something else; IMAGE_BLURRY says what is wrong. The same
    picture measured sharp is judged."""
    limit = CTX.config.content.max_blur_px
    blurred = Measurement("quality.sharpness", limit * 2, 0.01, "edge spread")
    doc = image_doc(_photo("brick"), faces=0, measurements=(blurred,))
    assert not not_a_document(classify(doc, CTX))
    sharp = Measurement("quality.sharpness", limit * 0.7, 0.9, "edge spread")
    assert not_a_document(classify(image_doc(_photo("brick"), faces=0, measurements=(sharp,)), CTX))


def test_a_picture_of_something_else_just_over_the_blur_limit_is_still_judged() -> None:
    """A cat photographed at 640 px measured 1.65 px, just over IMAGE_BLURRY's 1.6 px: it
    was not judged, so it was called blurred, not the wrong kind of upload (MA-S10068-0111,
    MA-S10065-0070). Smudged text makes no rows only far beyond that limit."""
    edge = Measurement("quality.sharpness", 1.65, 0.45, "edge spread")
    assert edge.value > CTX.config.quality.blur_max_px
    doc = classify(image_doc(_photo("brick"), faces=0, measurements=(edge,)), CTX)
    assert not_a_document(doc)


@pytest.mark.parametrize("angle", [19.6, -10.0])
def test_the_corners_a_deskew_filled_are_no_paper(angle: float) -> None:
    """Grass deskewed by the lines of its blades (MA-S10073-0140): the flat grey corners the
    rotation filled read as paper, and the picture as a document too faded to read. Only
    the captured part is judged; a faded page deskewed alike is still a document."""
    skew = Measurement("geometry.skew_deg", angle, 1.0, "deskewed")
    photo = deskew(np.dstack([_photo("camera")] * 3), angle)
    assert measure_content(photo, CFG).document  # the fill alone makes it "paper"
    assert not_a_document(classify(image_doc(photo, faces=0, measurements=(skew,)), CTX))
    page = deskew(np.dstack([_faded(0.04)] * 3), angle)
    doc = classify(image_doc(page, role="residency", measurements=(skew,)), CTX)
    assert not not_a_document(doc)


def test_the_photo_role_is_never_judged() -> None:
    doc = classify(image_doc(_photo("brick"), role="photo"), CTX)
    assert not any(c.startswith(NOT_A_DOCUMENT) for c in doc.classification.cues)


def test_image_flags_on_a_picture_of_no_document_are_its_echoes() -> None:
    doc = classify(image_doc(_photo("coins"), role="residency"), CTX)
    blurry = CheckResult("image.sharpness", "fail", 0.1, "blurred", flag=FlagCode.IMAGE_BLURRY)
    doc = replace(doc, checks=(blurry, *(r for r in _checks(doc) if r is not None)))
    out = demote_consequences(doc)
    flags = [r.flag for r in out.checks if r.flag is not None]
    assert flags == [FlagCode.WRONG_DOCUMENT_TYPE]


def test_an_unreadable_document_with_an_image_flag_still_defers_to_it() -> None:
    doc = classify(image_doc(_faded(0.04), role="residency"), CTX)
    blurry = CheckResult("image.sharpness", "fail", 0.1, "blurred", flag=FlagCode.IMAGE_BLURRY)
    doc = replace(doc, checks=(blurry, *(r for r in _checks(doc) if r is not None)))
    flags = [r.flag for r in demote_consequences(doc).checks if r.flag is not None]
    assert flags == [FlagCode.IMAGE_BLURRY]


# --- licence or identification card ---------------------------------------------------


def _card(text: str, declared: str | None = None) -> DocumentType:
    words = tuple(
        Word(tok, 0.9, (10 + 60 * i, 20 + 40 * n, 60 + 60 * i, 50 + 40 * n), 0, n)
        for n, line in enumerate(text.splitlines())
        for i, tok in enumerate(line.split())
    )
    page = PageText(0, words, "ocr", 1012, 638)  # type: ignore[arg-type]
    doc = classify(text_doc((page,), role="identity", declared_type=declared), CTX)
    return doc.classification.document_type


def test_a_card_saying_it_is_not_a_licence_is_an_id_card() -> None:
    assert _card("STATE OF OHIO\nNOT A DRIVER LICENSE\nEYES BRO HGT 5-06") is DocumentType.STATE_ID
    assert _card("IDENTIFICATION CARD\nNOT VALID AS A DRIVER'S LICENSE") is DocumentType.STATE_ID
    scores, _ = keyword_scores("NOT A DRIVER LICENSE")
    assert DocumentType.DRIVERS_LICENSE not in scores


def test_class_none_is_no_licence_cue() -> None:
    assert DocumentType.DRIVERS_LICENSE not in keyword_scores("CLASS NONE")[0]
    assert DocumentType.DRIVERS_LICENSE in keyword_scores("CLASS D")[0]


def test_barcode_vehicle_class_none_means_an_id_card() -> None:
    record = BarcodeRecord(9, "636006", {"DCA": "NONE"}, {})
    doc = classify(image_doc(np.zeros((638, 1012, 3), np.uint8), barcode=record), CTX)
    assert doc.classification.document_type is DocumentType.STATE_ID
    record = BarcodeRecord(9, "636006", {"DCA": "NONE"}, {}, document_type=DocumentType.STATE_ID)
    doc = classify(
        image_doc(
            np.zeros((638, 1012, 3), np.uint8), barcode=record, declared_type="drivers_license"
        ),
        CTX,
    )
    assert doc.classification.document_type is DocumentType.STATE_ID


def test_declared_type_breaks_only_a_licence_id_tie_of_shared_fields() -> None:
    shared = "EYES BRO\nHGT 5-06\nSEX F"
    assert _card(shared) is DocumentType.DRIVERS_LICENSE
    assert _card(shared, declared="state_id") is DocumentType.STATE_ID
    # a distinguishing cue read wins over the declaration
    assert _card("DRIVER LICENSE\n" + shared, declared="state_id") is DocumentType.DRIVERS_LICENSE
    assert _card("ID CARD\n" + shared, declared="drivers_license") is DocumentType.STATE_ID
    # mixed cues read (an ID card header beside licence-like labels): evidence decides
    mixed = "ID CARD\nDLN 123 CLASS D\nHGT 5-06"
    assert _card(mixed, declared="drivers_license") is DocumentType.STATE_ID


def test_a_minors_age_band_is_shared_by_both_cards_so_the_declaration_decides() -> None:
    # a vertical under-21 card whose header went unread: its age band is all that is left
    band = "1 IBANEZ 2 PATRICIA\n900 PLEASANT TER\nLICENSE UNDER 21"
    assert _card(band, declared="drivers_license") is DocumentType.DRIVERS_LICENSE
    assert _card(band, declared="state_id") is DocumentType.STATE_ID
