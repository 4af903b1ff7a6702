"""Reading again, alone, a date token whose date is impossible (`ocr.reread_implausible_dates`).

Bold monospace value columns of some bills came out of the page reading with 0 read as 6
("66/86/2626"): the token is cropped from the page and read again as one line of digits.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from models.flags import DocumentType
from models.internal import (
    Classification,
    DocumentState,
    FieldValue,
    Page,
    PageText,
    ReadAddress,
    Word,
)
from pipeline.config import OcrConfig
from pipeline.reading import dates, ocr
from tests.matching.builders import context as match_context

MONO_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
SANS_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
REF = dt.date(2026, 6, 1)
CFG = OcrConfig()


def _page(value: str) -> tuple[Page, list[tuple[str, tuple[int, int, int, int]]]]:
    """A bill's line "Statement date  <value>" (value in bold monospace), and each word's
    box (value words split on spaces)."""
    image = Image.new("RGB", (700, 90), "white")
    draw = ImageDraw.Draw(image)
    draw.text((20, 30), "Statement date", font=ImageFont.truetype(SANS, 20), fill="black")
    mono = ImageFont.truetype(MONO_BOLD, 22)
    boxes = []
    x = 380
    for part in value.split(" "):
        x0, y0, x1, y1 = draw.textbbox((x, 30), part, font=mono)
        draw.text((x, 30), part, font=mono, fill="black")
        boxes.append((part, (x0, y0, x1, y1)))
        x = x1 + int(draw.textlength(" ", font=mono))
    bgr = np.ascontiguousarray(np.asarray(image)[:, :, ::-1])
    return Page(0, bgr), boxes


def _text(misread: list[str], boxes: list[tuple[str, tuple[int, int, int, int]]]) -> PageText:
    words = [
        Word("Statement", 0.95, (20, 32, 120, 52), 0, 0),
        Word("date", 0.95, (128, 32, 170, 52), 0, 0),
    ]
    words += [Word(t, 0.8, box, 0, 0) for t, (_, box) in zip(misread, boxes, strict=True)]
    return PageText(0, tuple(words), "ocr", 700, 90)


class _Reads:
    """An engine that reads `word` at `confidence` on every crop."""

    def __init__(self, word: str, confidence: float) -> None:
        self.word, self.confidence = word, confidence

    def read(self, image: np.ndarray, index: int, *args: object) -> PageText:
        w = Word(self.word, self.confidence, (5, 5, 60, 20), index, 0)
        return PageText(index, (w,), "ocr", image.shape[1], image.shape[0])


@pytest.mark.parametrize(
    ("printed", "misread", "expected"),
    [
        ("12/08/2025", ["12/08/2625"], dt.date(2025, 12, 8)),
        ("07/09/26", ["67/69/26"], dt.date(2026, 7, 9)),
        ("Jun 7, 2026", ["Jun", "7,", "2626"], dt.date(2026, 6, 7)),
    ],
)
def test_an_impossible_date_is_read_again_from_its_crop(
    printed: str, misread: list[str], expected: dt.date
) -> None:
    page, boxes = _page(printed)
    text = _text(misread, boxes)
    assert not dates.find_dates([text], REF)  # as misread, no date
    fixed = ocr.reread_implausible_dates(page, text, REF, CFG)
    assert [w.text for w in fixed.words[2:]] == printed.split(" ")
    assert [w.box for w in fixed.words] == [w.box for w in text.words]  # boxes kept
    assert fixed.words[:2] == text.words[:2]  # the rest of the line untouched
    assert [f.date for f in dates.find_dates([fixed], REF)] == [expected]


def test_a_date_too_far_ahead_is_read_again() -> None:
    page, boxes = _page("12/08/2025")
    text = _text(["12/08/2086"], boxes)  # a valid date, 60 years after submission
    fixed = ocr.reread_implausible_dates(page, text, REF, CFG)
    assert fixed.words[2].text == "12/08/2025"


class _NoEngine:
    def read(self, *args: object, **kwargs: object) -> PageText:
        raise AssertionError("a plausible date must not be read again")


def test_plausible_dates_cost_no_engine_call(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "_engine", lambda cfg: _NoEngine())
    page, boxes = _page("12/08/2025")
    for misread in (["12/08/2025"], ["08/12/25"], ["1-800-371-9885"], ["$303.95"]):
        text = _text(misread, boxes)
        assert ocr.reread_implausible_dates(page, text, REF, CFG) is text
    off = dataclasses.replace(CFG, crop_reread=False)
    text = _text(["12/08/2625"], boxes)
    assert ocr.reread_implausible_dates(page, text, REF, off) is text


def test_an_unreadable_crop_keeps_the_word() -> None:
    page, boxes = _page("12/08/2025")
    blank = Page(0, np.full_like(page.image, 255))  # nothing where the word was
    text = _text(["12/08/2625"], boxes)
    assert ocr.reread_implausible_dates(blank, text, REF, CFG) is text
    noise = np.random.default_rng(7).integers(0, 256, page.image.shape, dtype=np.uint8)
    assert ocr.reread_implausible_dates(Page(0, noise), text, REF, CFG) is text


def test_the_same_reading_again_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """A re-read that reads the misreading again, or an unsure date, is not taken."""
    page, boxes = _page("12/08/2025")
    text = _text(["12/08/2625"], boxes)

    for engine in (_Reads("12/08/2625", 0.96), _Reads("12/08/2025", 0.4), _Reads("1208", 0.96)):
        monkeypatch.setattr(ocr, "_engine", lambda cfg, e=engine: e)
        assert ocr.reread_implausible_dates(page, text, REF, CFG) is text
    monkeypatch.setattr(ocr, "_engine", lambda cfg: _Reads("12/08/2025", 0.9))
    assert ocr.reread_implausible_dates(page, text, REF, CFG).words[2].text == "12/08/2025"


def test_an_unsure_date_a_flag_hangs_on_is_read_again_alone() -> None:
    """An expired date read from unsure words (CT-S10011-0169: '07-19-2025' at 0.69) is
    read again from its crop; only the token inside the field's box is."""
    page, boxes = _page("07-19-2025")
    unsure = _text(["07-19-2025"], boxes)
    unsure = dataclasses.replace(
        unsure, words=(*unsure.words[:2], dataclasses.replace(unsure.words[2], confidence=0.4))
    )
    box = boxes[0][1]
    fixed = ocr.reread_doubted_date(page, unsure, box, REF, CFG)
    assert fixed.words[2].text == "07-19-2025" and fixed.words[2].confidence > 0.75
    assert fixed.words[:2] == unsure.words[:2]
    elsewhere = (20, 32, 170, 52)  # the label's box: no date inside, no engine call
    assert ocr.reread_doubted_date(page, unsure, elsewhere, REF, CFG) is unsure


def _address_line(number: str) -> tuple[Page, tuple[int, int, int, int]]:
    """An addressee's street line "<number> Whitney St" and the number's box."""
    image = Image.new("RGB", (700, 90), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(SANS, 22)
    box = draw.textbbox((20, 30), number, font=font)
    draw.text((20, 30), f"{number} Whitney St", font=font, fill="black")
    return Page(0, np.ascontiguousarray(np.asarray(image)[:, :, ::-1])), box


def test_an_unsure_house_number_is_read_again_alone() -> None:
    """'3544' read at 0.77 for 3514 (CT-S10012-0138): an address mismatch hung on it."""
    page, box = _address_line("3514")
    words = (Word("3544", 0.77, box, 0, 0), Word("Whitney", 0.95, (90, 32, 180, 52), 0, 0))
    text = PageText(0, words, "ocr", 700, 90)
    fixed = ocr.reread_unsure_words(page, text, (0, 0, 700, 90), CFG)
    assert fixed.words[0].text == "3514" and fixed.words[0].confidence > 0.9
    assert fixed.words[1] == words[1]


def test_a_sure_house_number_costs_no_engine_call(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "_engine", lambda cfg: _NoEngine())
    page, box = _address_line("3514")
    text = PageText(0, (Word("3514", 0.95, box, 0, 0),), "ocr", 700, 90)
    assert ocr.reread_unsure_words(page, text, (0, 0, 700, 90), CFG) is text


def test_an_unsure_name_word_is_read_again_as_letters() -> None:
    """'MARIA' read at 0.17 with its field number (MA-S10013-0044): the name mismatch it
    carries only warned. Read alone, it is sure; a word of another kind is not taken."""
    image = Image.new("RGB", (700, 90), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(SANS, 22)
    box = draw.textbbox((60, 30), "MARIA", font=font)
    draw.text((60, 30), "MARIA", font=font, fill="black")
    page = Page(0, np.ascontiguousarray(np.asarray(image)[:, :, ::-1]))
    text = PageText(0, (Word("MARIA", 0.17, box, 0, 0),), "ocr", 700, 90)
    fixed = ocr.reread_unsure_words(page, text, (0, 0, 700, 90), CFG)
    assert fixed.words[0].text == "MARIA" and fixed.words[0].confidence > 0.75
    noise = PageText(0, (Word("~—", 0.1, box, 0, 0),), "ocr", 700, 90)
    assert ocr.reread_unsure_words(page, noise, (0, 0, 700, 90), CFG) is noise


def test_a_surely_printed_date_of_an_unsure_field_costs_no_engine_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A field unsure only by how it was assigned (a DOB taken by its order, its label
    misread: '07/08/1948' at 0.93, CT-S10007-0195) has nothing to read again."""
    monkeypatch.setattr(ocr, "_engine", lambda cfg: _NoEngine())
    page, boxes = _page("07/08/1948")
    text = _text(["07/08/1948"], boxes)
    sure = dataclasses.replace(
        text, words=(*text.words[:2], dataclasses.replace(text.words[2], confidence=0.93))
    )
    assert ocr.reread_doubted_date(page, sure, boxes[0][1], REF, CFG) is sure


def test_a_date_whose_slashes_were_read_as_ones_is_read_again() -> None:
    """MA-O4131-0056: "EXP 02/25/2026" read "0212512026" at 0.59: no separator, so it was
    never taken for a date token to read again, and the expiry stayed too unsure to flag."""
    page, boxes = _page("02/25/2026")
    unsure = _text(["0212512026"], boxes)
    unsure = dataclasses.replace(
        unsure, words=(*unsure.words[:2], dataclasses.replace(unsure.words[2], confidence=0.59))
    )
    fixed = ocr.reread_doubted_date(page, unsure, boxes[0][1], REF, CFG)
    assert fixed.words[2].text == "02/25/2026" and fixed.words[2].confidence > 0.75


def _bill_read(number: str, confidence: float) -> tuple[DocumentState, Page]:
    """A bill whose addressee street line "16 Whitney St" was read with `number` first."""
    page, box = _address_line("16")
    words = (
        Word(number, confidence, box, 0, 0),
        Word("Whitney", 0.97, (box[2] + 10, box[1], box[2] + 100, box[3]), 0, 0),
    )
    read = ReadAddress(f"{number} WHITNEY ST", None, "HARTFORD", "CT", "06106")
    line = (box[0], box[1], box[2] + 100, box[3])
    fields = {
        "address": FieldValue(read, "ocr", confidence, page=0, box=line),
        "last_name": FieldValue("SMITH", "ocr", 0.97, page=0, box=(20, 5, 90, 25)),
        "document_date": FieldValue(REF, "ocr", 0.97, page=0, box=(400, 5, 500, 25)),
    }
    doc = DocumentState(
        "d1",
        "residency",
        "front",
        b"",
        pages=(page,),
        text=(PageText(0, words, "ocr", 700, 90),),
        classification=Classification(DocumentType.UTILITY_BILL, 0.9),
        fields=fields,
    )
    return doc, page


PROFILE_16 = {"line1": "16 Whitney St", "city": "Hartford", "state": "CT", "zip": "06106"}


def test_a_house_number_unlike_the_profiles_is_read_again_unless_sure() -> None:
    """'46' read at 0.93 for the 16 of a shadowed photo (MA-S10018-0017): above the words'
    floor, but ADDRESS_MISMATCH hangs on it alone: read again, it reads 16."""
    doc, _ = _bill_read("46", 0.93)
    again = ocr.reread_incomplete(doc, match_context(address=PROFILE_16))
    assert again.text[0].words[0].text == "16"


def test_a_house_number_like_the_profiles_or_sure_costs_no_engine_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ocr, "_engine", lambda cfg: _NoEngine())
    same, _ = _bill_read("16", 0.93)
    assert ocr.reread_incomplete(same, match_context(address=PROFILE_16)) is same
    sure, _ = _bill_read("46", 0.98)
    assert ocr.reread_incomplete(sure, match_context(address=PROFILE_16)) is sure


def test_a_word_read_alike_alone_is_confirmed() -> None:
    """CT-S10022-0043: '4639' read at 0.71 on the page and again at 0.71 alone: two
    segmentations agree, the number is no longer unsure (the lease's other house number,
    a near miss, was only warned)."""
    page, box = _address_line("4639")
    text = PageText(0, (Word("4639", 0.71, box, 0, 0),), "ocr", 700, 90)
    again = ocr.reread_unsure_words(page, text, (0, 0, 700, 90), CFG).words[0]
    assert again.text == "4639"
    assert again.confidence > 0.9
    assert ocr._reread_confidence(Word("4639", 0.71, box, 0, 0), Word("4639", 0.71, box, 0, 0)) == (
        pytest.approx(1 - 0.29 * 0.29)
    )
    assert (
        ocr._reread_confidence(Word("4639", 0.71, box, 0, 0), Word("4629", 0.8, box, 0, 0)) == 0.8
    )


def test_a_date_found_only_after_the_second_pass_is_read_again_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """MA-O4151-0057: a licence classified anew once its number was read again gave its
    expiry (0.67) only then; it was never read alone and only warned. `reread_new_dates`
    reads the unsure dates not read alone before; one read before costs no engine call."""
    page, boxes = _page("07-19-2025")
    text = _text(["07-19-2025"], boxes)
    text = dataclasses.replace(
        text, words=(*text.words[:2], dataclasses.replace(text.words[2], confidence=0.4))
    )
    expiry = FieldValue(dt.date(2025, 7, 19), "ocr", 0.4, 0, boxes[0][1])
    doc = DocumentState(
        "doc-1", "identity", "front", b"", pages=(page,), text=(text,),
        fields={"expiry_date": expiry},
    )  # fmt: skip
    ctx = match_context()
    fixed = ocr.reread_new_dates(doc, ctx, done=())
    word = fixed.text[0].words[2]
    assert word.text == "07-19-2025" and word.confidence > 0.75
    monkeypatch.setattr(ocr, "_engine", lambda cfg: _NoEngine())
    assert ocr.reread_new_dates(doc, ctx, done=("expiry_date",)) is doc


def test_a_word_is_read_again_without_slivers_of_its_neighbours() -> None:
    """'Milt' at 0.84 for Mill (MA-S10032-0171): its crop's margin took in the edge of the
    next word's 'B', and the letters-only reading gave 'Mill' at 0.00, so the misread stood
    and a clean statement was flagged ADDRESS_MISMATCH. The crop stops halfway to the
    words either side."""
    image = Image.new("RGB", (700, 90), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(SANS, 22)
    boxes, x = [], 20
    for part in ("790", "Mill", "Boulevard"):
        boxes.append(draw.textbbox((x, 30), part, font=font))
        draw.text((x, 30), part, font=font, fill="black")
        x = boxes[-1][2] + 6  # a tight word gap, as on a phone photo of the statement
    page = Page(0, np.ascontiguousarray(np.asarray(image)[:, :, ::-1]))
    words = tuple(
        Word(t, c, b, 0, 0)
        for t, c, b in zip(("790", "Milt", "Boulevard"), (0.97, 0.84, 0.97), boxes, strict=True)
    )
    assert ocr._between(PageText(0, words, "ocr", 700, 90), words[1:2]) == (
        (boxes[0][2] + boxes[1][0]) // 2,
        (boxes[1][2] + boxes[2][0] + 1) // 2,
    )
    fixed = ocr.reread_unsure_words(page, PageText(0, words, "ocr", 700, 90), (0, 0, 700, 90), CFG)
    assert (
        fixed.words[1].text == "Mill"
        and fixed.words[1].confidence >= CFG.crop_reread_min_confidence
    )


def test_a_name_word_read_short_is_read_again_and_its_glued_initial_split() -> None:
    """'Castillo, Bill R' read 'Castillo, BIR' at 0.73 (CT-S10026-0084): read alone the
    crop gives 'BillR', the name and its initial; a number keeps its length."""
    image = Image.new("RGB", (700, 90), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(SANS_BOLD, 15)
    head = draw.textbbox((20, 30), "Castillo,", font=font)
    x = head[2] + int(draw.textlength(" ", font=font))
    box = draw.textbbox((x, 30), "Bill R", font=font)
    draw.text((20, 30), "Castillo, Bill R", font=font, fill="black")
    page = Page(0, np.ascontiguousarray(np.asarray(image)[:, :, ::-1]))
    castillo = Word("Castillo,", 0.95, head, 0, 0)
    text = PageText(0, (castillo, Word("BIR", 0.73, box, 0, 0)), "ocr", 700, 90)
    fixed = ocr.reread_unsure_words(page, text, (0, 0, 700, 90), CFG)
    assert [w.text for w in fixed.words] == ["Castillo,", "Bill", "R"]
    assert fixed.words[1].box[2] <= fixed.words[2].box[0]
    assert fixed.words[0] == castillo


def test_a_number_read_again_longer_is_not_taken() -> None:
    page, box = _address_line("35144")
    words = (Word("3514", 0.77, box, 0, 0),)
    text = PageText(0, words, "ocr", 700, 90)
    assert ocr.reread_unsure_words(page, text, (0, 0, 700, 90), CFG).words[0].text == "3514"


def test_an_unsure_crop_giving_the_same_date_confirms_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """CT-O4179-0001: an expiry "0212512025" (slashes read as ones) at 0.68, its crop read
    "02/25/2025" at 0.53: two readings of one date agree, so the expired licence is no
    longer only a warning. An unsure crop giving another date is not taken."""
    page, boxes = _page("02/25/2025")
    text = _text(["0212512025"], boxes)
    text = dataclasses.replace(
        text, words=(*text.words[:2], dataclasses.replace(text.words[2], confidence=0.68))
    )
    box = boxes[0][1]
    monkeypatch.setattr(ocr, "_engine", lambda cfg: _Reads("02/25/2025", 0.53))
    fixed = ocr.reread_doubted_date(page, text, box, REF, CFG)
    assert fixed.words[2].text == "02/25/2025"
    assert fixed.words[2].confidence == pytest.approx(1 - 0.32 * 0.47, abs=1e-3)
    monkeypatch.setattr(ocr, "_engine", lambda cfg: _Reads("02/26/2025", 0.53))
    assert ocr.reread_doubted_date(page, text, box, REF, CFG) is text
