"""The two OCR readings merged (`ocr.merge_readings`) and inverted bands made readable
(`ocr.uninvert_bands`), and what they bring to extraction on a real OCR run."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from models.internal import Page, PageText, Word
from pipeline.reading import classify, extract, ocr


def _w(text: str, box: tuple[int, int, int, int], conf: float = 0.95, line: int = 0) -> Word:
    return Word(text, conf, box, 0, line)


def _reading(*words: Word) -> PageText:
    return PageText(0, tuple(words), "ocr", 1100, 700)


def test_second_reading_adds_a_line_the_first_dropped() -> None:
    first = _reading(_w("Last", (356, 209, 395, 222)), _w("Name", (399, 209, 450, 222)))
    second = _reading(
        _w("Last", (356, 209, 396, 222)),
        _w("CHEN", (358, 235, 450, 260), 0.96, 3),
    )
    merged = ocr.merge_readings(first, second, 0.6)
    assert [w.text for w in merged.words] == ["Last", "Name", "CHEN"]
    assert merged.words[-1].line == 4  # after the first reading's lines


def test_second_reading_replaces_only_unsure_words() -> None:
    first = _reading(
        _w("SaaS", (804, 336, 900, 367), 0.01),
        _w("NICHOLAS", (356, 292, 500, 313), 0.9),
    )
    second = _reading(
        _w("ACCOUNT", (806, 338, 900, 366), 0.96),
        _w("NICHOIAS", (356, 292, 500, 313), 0.97),  # overlaps a sure word: ignored
        _w("ee", (100, 100, 120, 110), 0.4),  # unsure: ignored
    )
    merged = ocr.merge_readings(first, second, 0.6)
    assert sorted(w.text for w in merged.words) == ["ACCOUNT", "NICHOLAS"]


def test_light_on_dark_band_is_inverted_and_the_rest_kept() -> None:
    page = np.full((1000, 800, 3), 255, np.uint8)
    page[100:160, 50:750] = (40, 110, 0)  # a coloured banner
    page[120:140, 80:200] = 255  # its white letters
    for x in range(80, 300, 18):
        page[400:420, x : x + 12] = 0  # dark body text, letter by letter
    page[600:602, 50:750] = 0  # a rule line
    out = ocr.uninvert_bands(page)
    assert out.ndim == 2
    assert out[105, 60] > 150 and out[130, 100] < 60  # band light, its letters dark
    assert out[410, 100] < 60 and out[700, 400] > 200  # text and paper untouched
    assert out[601, 400] < 60


class _Engine:
    """Stands in for Tesseract: one fixed reading per page segmentation mode."""

    def __init__(self, readings: dict[int, PageText]) -> None:
        self.readings = readings

    def read(self, image, page, psm, scale=1.0, whitelist=None):
        return self.readings[psm]


def _ocr(monkeypatch, first: PageText, second: PageText) -> PageText:
    from pipeline.config import OcrConfig
    from pipeline.tools import tesseract

    cfg = OcrConfig()
    engine = _Engine({cfg.page_psm: first, cfg.page_second_psm: second})
    monkeypatch.setattr(tesseract, "engine_for", lambda spec: engine)
    page = Page(0, np.full((2200, 1700, 3), 255, np.uint8))
    first = ocr.ocr_page(page, "residency", cfg)
    return ocr.second_reading(page, "residency", cfg, first, min_words=5, min_confidence=0.45)


def test_a_faded_page_is_not_made_readable_by_the_second_reading(monkeypatch) -> None:
    second = _reading(*(_w(f"word{i}", (100 * i, 100, 100 * i + 80, 120)) for i in range(8)))
    assert _ocr(monkeypatch, _reading(), second).words == ()
    legible = _reading(*(_w(f"text{i}", (100 * i, 500, 100 * i + 80, 520)) for i in range(6)))
    assert len(_ocr(monkeypatch, legible, second).words) == 14


def test_a_long_unsure_line_is_not_replaced_by_a_piece_of_it() -> None:
    mrz = _w("C309789776USA5404076M3201266<<<<<<<<<<<<<<(Q0", (54, 800, 1172, 834), 0.27)
    second = _reading(_w("C309789776USA", (54, 800, 400, 834), 0.9))
    merged = ocr.merge_readings(_reading(mrz), second, 0.6)
    assert [w.text for w in merged.words] == [mrz.text]


# ---------------------------------------------------------------- the second reading on need

CARD_NEEDS = ("last_name", "first_name", "date_of_birth", "expiry_date", "document_number")


def _doc(role: str, kind, fields: dict, source: str = "ocr", side: str = "front"):
    from models.internal import Classification, DocumentState, FieldValue

    values = {
        name: v if isinstance(v, FieldValue) else FieldValue(v, "ocr", 0.9)
        for name, v in fields.items()
    }
    text = PageText(0, (_w("text", (0, 0, 40, 10)),), source, 1100, 700)  # type: ignore[arg-type]
    return DocumentState(
        "d1",
        role,
        side,
        b"",
        pages=(Page(0, np.full((700, 1100, 3), 255, np.uint8)),),
        text=(text,),
        classification=Classification(kind, 0.9),
        fields=values,
    )


def test_a_complete_first_reading_needs_no_second() -> None:
    from models.flags import DocumentType as T
    from pipeline.config import OcrConfig

    cfg = OcrConfig()
    card = _doc("identity", T.DRIVERS_LICENSE, dict.fromkeys(CARD_NEEDS, "x"))
    assert ocr.needs_second_reading(card, cfg) == ()
    bill = _doc("residency", T.UTILITY_BILL, dict.fromkeys(cfg.residency_needs, "x"))
    assert ocr.needs_second_reading(bill, cfg) == ()


def test_a_missing_or_unsure_needed_field_asks_for_a_second_reading() -> None:
    from models.flags import DocumentType as T
    from models.internal import FieldValue
    from pipeline.config import OcrConfig

    cfg = OcrConfig()
    fields: dict = dict.fromkeys(CARD_NEEDS[:-2], "x")  # no expiry, no number
    fields["last_name"] = FieldValue("CHFN", "ocr", 0.2)  # read, but unsure
    card = _doc("identity", T.DRIVERS_LICENSE, fields)
    assert ocr.needs_second_reading(card, cfg) == ("expiry_date", "document_number", "last_name")
    bill = _doc("residency", T.BANK_STATEMENT, {"last_name": "x", "address": "x"})
    assert ocr.needs_second_reading(bill, cfg) == ("document_date",)
    # a field the kind does not need, read from unsure words (an account number)
    fields = dict.fromkeys(cfg.residency_needs, "x")
    fields["document_number"] = FieldValue("XXXXXKXK7582", "ocr", 0.3)
    bill = _doc("residency", T.BANK_STATEMENT, fields)
    assert ocr.needs_second_reading(bill, cfg) == ("document_number",)
    fields["document_number"] = FieldValue("XXXXXX7582", "barcode", 0.3)  # not OCR: no help
    assert ocr.needs_second_reading(_doc("residency", T.BANK_STATEMENT, fields), cfg) == ()
    unknown = _doc("residency", T.OTHER, dict.fromkeys(cfg.residency_needs, "x"))
    assert ocr.needs_second_reading(unknown, cfg) == ("document_type",)
    # never on a text layer, a card's back, or when the second reading is always / never run
    assert ocr.needs_second_reading(_doc("residency", T.OTHER, {}, source="pdf_text"), cfg) == ()
    assert ocr.needs_second_reading(_doc("identity", T.STATE_ID, {}, side="back"), cfg) == ()
    for mode in ("always", "never"):
        assert ocr.needs_second_reading(card, replace(cfg, second_pass=mode)) == ()


class _Counting(_Engine):
    def __init__(self, readings: dict[int, PageText]) -> None:
        super().__init__(readings)
        self.calls: list[int] = []

    def read(self, image, page, psm, scale=1.0, whitelist=None):
        self.calls.append(psm)
        return self.readings[psm]


def _line(text: str, y: int, line: int, x: int = 100) -> list[Word]:
    out = []
    for word in text.split():
        out.append(_w(word, (x, y, x + 18 * len(word), y + 24), 0.95, line))
        x += 18 * len(word) + 14
    return out


def test_read_text_reads_once_and_the_stage_rereads_only_what_lacks(monkeypatch) -> None:
    from pipeline import stages
    from pipeline.tools import tesseract
    from tests.reading import synth

    ctx = synth.context()
    cfg = ctx.config.ocr
    assert cfg.second_pass == "when_needed"
    body = [
        *_line("Hartford Electric Company Monthly Bill", 100, 0),
        *_line("Account Number 448812", 150, 1),
        *_line("Amount Due $84.12 Please Pay By Due Date", 700, 4),
    ]
    addressee = [
        *_line("MARIA GONZALEZ-RIVERA", 300, 0),
        *_line("12 ELM ST", 330, 1),
        *_line("HARTFORD CT 06106", 360, 2),
    ]
    dated = _line("Statement Date: 10/01/2026", 200, 0, x=900)
    first = PageText(0, tuple(body), "ocr", 1700, 2200)
    second = PageText(0, tuple(addressee + dated), "ocr", 1700, 2200)
    engine = _Counting({cfg.page_psm: first, cfg.page_second_psm: second})
    monkeypatch.setattr(tesseract, "engine_for", lambda spec: engine)
    doc = synth.image_doc(np.full((2200, 1700, 3), 255, np.uint8), role="residency")
    for stage in stages.STAGES[stages.STAGES.index(ocr.read_text) :]:
        if stage is ocr.read_text:
            doc = stage(doc, ctx)
            assert engine.calls == [cfg.page_psm]  # one reading at first
        elif stage.__module__ != "pipeline.reading.mrz":
            doc = stage(doc, ctx)
    assert engine.calls == [cfg.page_psm, cfg.page_second_psm]
    assert doc.fields["document_date"].value.isoformat() == "2026-10-01"
    assert doc.fields["last_name"].value.upper() == "GONZALEZ-RIVERA"

    # a first reading that already has what the kind needs is not read again
    engine.readings[cfg.page_psm] = PageText(0, tuple(body + addressee + dated), "ocr", 1700, 2200)
    engine.calls.clear()
    again = ocr.read_text(
        synth.image_doc(np.full((2200, 1700, 3), 255, np.uint8), "residency"), ctx
    )
    again = stages.reread_incomplete(
        extract.extract_fields(classify.classify(again, ctx), ctx), ctx
    )
    assert engine.calls == [cfg.page_psm]
    assert again.fields["document_date"].value.isoformat() == "2026-10-01"
