"""Stage `read_text`: OCR every page that has no text layer; check `TEXT_UNREADABLE`.

Each page is OCRed once. Preprocessing (measured on degraded synthetic licences and
bills, see `tests/reading`): grey, scaled so characters are about
`ocr.target_text_height` px high; full pages are binarised locally (uneven lighting
made Tesseract's global threshold drop half a page). Card-like identity images use
their own segmentation (`ocr.card_psm`, one text block), pages automatic layout (`ocr.page_psm`).
Word boxes are in pixels of the page image. Text-PDF pages (words from the load stage,
source "pdf_text") and the photo role are never OCRed.
"""

from __future__ import annotations

from dataclasses import replace

from models.flags import FlagCode
from models.internal import CheckResult, DocumentState, Page, PageText
from pipeline.config import OcrConfig
from pipeline.context import Context
from pipeline.tools import tesseract

CARD_RATIO = (1.45, 1.75)
"""Width / height of an image read as a card whatever its role (ID-1 cards are 1.586;
landscape letter paper 1.29 and A4 1.41 stay pages)."""


def is_card(page: Page, role: str) -> bool:
    """An identity image in landscape: a card (or a passport data page) with sparse text;
    or any card-shaped image (a licence sent as a residency proof must still be read)."""
    height, width = page.image.shape[:2]
    if role == "identity":
        return width >= height
    return CARD_RATIO[0] <= width / max(height, 1) <= CARD_RATIO[1]


def ocr_page(page: Page, role: str, cfg: OcrConfig) -> PageText:
    """OCR one page image with the preprocessing and segmentation its kind needs."""
    card = is_card(page, role)
    image, factor = tesseract.prepare(
        page.image,
        cfg.target_text_height,
        (cfg.scale_min, cfg.scale_max),
        cfg.max_side,
        binarize=cfg.binarize_pages and not card,
    )
    spec = tesseract.EngineSpec(cfg.engine, cfg.language, cfg.tessdata, cfg.timeout_seconds)
    psm = cfg.card_psm if card else cfg.page_psm
    return tesseract.engine_for(spec).read(image, page.index, psm, factor)


def read_text(doc: DocumentState, ctx: Context) -> DocumentState:
    """Stage: OCR the pages that have no text yet (text layers were read at load)."""
    if doc.role == "photo" or (doc.side == "back" and doc.barcode is not None):
        return doc  # a photo has no fields; a decoded licence back has them all in its barcode
    cfg = ctx.config.ocr
    have = {p.page for p in doc.text}
    todo = [p for p in doc.pages if p.index not in have][: cfg.max_pages]
    if not todo:
        return doc
    new = [ocr_page(page, doc.role, cfg) for page in todo]
    text = tuple(sorted((*doc.text, *new), key=lambda p: p.page))
    return replace(doc, text=text)


def check_text_readable(doc: DocumentState, ctx: Context) -> CheckResult | None:
    """TEXT_UNREADABLE: too few words, or OCR confidence too low, to extract fields."""
    if doc.role == "photo":
        return None
    q = ctx.config.quality
    words = [w for p in doc.text for w in p.words if len(w.text) > 1]
    conf = sum(w.confidence for w in words) / len(words) if words else 0.0
    detail = f"{len(words)} words, mean confidence {conf:.2f}"
    machine = doc.barcode is not None or (doc.mrz is not None and doc.mrz.confident)
    if machine or (len(words) >= q.min_words and conf >= q.text_confidence_min):
        return CheckResult("text.readable", "pass", round(conf, 3), detail)
    return CheckResult(
        "text.readable",
        "fail",
        round(conf, 3),
        detail,
        flag=FlagCode.TEXT_UNREADABLE,
        message=f"Too little legible text to read the document ({detail}).",
        applicant_message="We could not read the text on your document. Please upload a clearer, "
        "well-lit picture of the whole document.",
    )
