"""Text PDFs: words from the text layer as pdfplumber gives them, and no raster work."""

from __future__ import annotations

import io

import pdfplumber
import pikepdf
import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from models.contract import Application
from models.internal import DocumentState
from pipeline.context import Context, NoPriorIndex
from pipeline.load import load_file
from pipeline.tools import pdf
from tests.foundation.helpers import manifest, text_pdf
from workers.runtime import Runtime

LINES = ["City Electric Company", "Statement date 10/02/2026", "Ann Lee", "12 Elm St Apt 3"]


def _mixed_pdf(origin: tuple[float, float] = (0.0, 0.0)) -> bytes:
    """Two fonts, a rotated word, text in a form XObject-free layout; MediaBox at `origin`."""
    buf = io.BytesIO()
    doc = canvas.Canvas(buf, pagesize=letter, invariant=1)
    doc.setFont("Helvetica-Bold", 16)
    doc.drawString(72, 720, "City Electric Company")
    doc.setFont("Times-Roman", 10)
    for i, line in enumerate(LINES[1:]):
        doc.drawString(90, 690 - 14 * i, line)
    doc.saveState()
    doc.translate(500, 300)
    doc.rotate(90)
    doc.drawString(0, 0, "ACCOUNT 0042")
    doc.restoreState()
    doc.save()
    if origin == (0.0, 0.0):
        return buf.getvalue()
    with pikepdf.open(io.BytesIO(buf.getvalue())) as src:
        x, y = origin
        src.pages[0].MediaBox = pikepdf.Array([x, y, x + 612, y + 792])
        out = io.BytesIO()
        src.save(out)
        return out.getvalue()


@pytest.mark.parametrize("origin", [(0.0, 0.0), (36.0, 18.0)])
def test_words_are_pdfplumbers_words(origin):
    data = _mixed_pdf(origin)
    scale = 200 / 72.0
    with pdfplumber.open(io.BytesIO(data)) as doc:
        page = doc.pages[0]
        expected = page.extract_words(keep_blank_chars=False, use_text_flow=True)
        assert pdf.page_chars(page) and len(pdf.page_chars(page)) == len(page.chars)
    (got,) = pdf.words(data, (0,), 200)
    boxes = {(w["text"], round(w["x0"] * scale), round(w["top"] * scale)) for w in expected}
    assert {(w.text, w.box[0], w.box[1]) for w in got.words} == boxes
    assert {"Electric", "10/02/2026", "Elm"} <= {w.text for w in got.words}
    with pdf.open_pdf(data) as handle:  # turned text, media box off the origin: pdfminer
        assert pdf.pdfium_chars(handle, 0) is None
        (again,) = pdf.words(data, (0,), 200, handle)
    assert again == got


def _plain_pdf() -> bytes:
    """Upright text in three fonts and sizes, lines close together (no rotation)."""
    buf = io.BytesIO()
    doc = canvas.Canvas(buf, pagesize=letter, invariant=1)
    doc.setFont("Helvetica-Bold", 16)
    doc.drawString(72, 720, "City Electric Company")
    doc.setFont("Times-Roman", 10)
    for i, line in enumerate(LINES[1:]):
        doc.drawString(90, 690 - 11 * i, line)
    doc.setFont("Courier", 9)
    doc.drawString(300, 690, "Account 7780 546 1782   Amount due $205.28")
    doc.save()
    return buf.getvalue()


def test_pdfium_characters_give_pdfminers_words_lines_and_boxes():
    data = _plain_pdf()
    (expected,) = pdf.words(data, (0,), 200)
    with pdf.open_pdf(data) as handle:
        assert pdf.pdfium_chars(handle, 0)  # the fast path is taken on a plain page
        (got,) = pdf.words(data, (0,), 200, handle)
    assert [(w.text, w.line) for w in got.words] == [(w.text, w.line) for w in expected.words]
    for a, b in zip(got.words, expected.words, strict=True):
        assert max(abs(p - q) for p, q in zip(a.box, b.box, strict=True)) <= 3, (a, b)
    assert (got.width, got.height, got.source) == (expected.width, expected.height, "pdf_text")
    assert got.source == "pdf_text"


def test_a_text_pdf_is_not_rendered():
    runtime = Runtime.from_environment()

    app = Application.model_validate(
        manifest([{"document_id": "d", "role": "residency", "file": "b.pdf"}])
    )
    ctx = Context(app, runtime.packs["CT"], runtime.config, NoPriorIndex())
    doc = load_file(DocumentState("d", "residency", None, text_pdf(LINES * 2)), ctx)
    assert doc.pages == ()  # no raster: no image checks, no OCR
    assert doc.text and doc.text[0].source == "pdf_text"
    assert {"Electric", "Lee"} <= {w.text for w in doc.text[0].words}


def test_a_text_pdf_gets_no_raster_work(monkeypatch):
    """No OCR, no orientation detection, no image measurements on a page with a text layer."""
    from pipeline.tools import tesseract
    from pipeline.verify import run_stages

    def refuse(*args, **kwargs):
        raise AssertionError("Tesseract called on a text PDF")

    for engine in (tesseract.TesserocrEngine, tesseract.PytesseractEngine):
        monkeypatch.setattr(engine, "read", refuse)
    monkeypatch.setattr(tesseract, "detect_orientation", refuse)
    runtime = Runtime.from_environment()
    ref = {"document_id": "d", "role": "residency", "file": "b.pdf"}
    app = Application.model_validate(manifest([ref]))
    ctx = Context(app, runtime.packs["CT"], runtime.config, NoPriorIndex())
    doc = run_stages(DocumentState("d", "residency", None, text_pdf(LINES * 2)), ctx)
    assert doc.stopped is None
    assert doc.pages == ()
    names = {m.name.split(".")[0] for m in doc.measurements}
    assert not names & {"quality", "geometry", "face"}
    assert doc.barcode is None and doc.mrz is None and doc.faces is None
