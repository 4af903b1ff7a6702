"""Stage `read_text`: OCR every page that has no text layer; check `TEXT_UNREADABLE`.

Each page is OCRed once. Preprocessing (measured on degraded synthetic licences and
bills, see `tests/reading`): grey, scaled so characters are about
`ocr.target_text_height` px high; full pages are binarised locally (uneven lighting
made Tesseract's global threshold drop half a page). Card-like identity images use
their own segmentation (`ocr.card_psm`, one text block), pages automatic layout (`ocr.page_psm`).
Word boxes are in pixels of the page image. Text-PDF pages (words from the load stage,
source "pdf_text") and the photo role are never OCRed.

An image may be read a second time with another page segmentation and the readings
merged (`merge_readings`): one segmentation drops what the other finds (a card's name
line beside its portrait in one block; a page's addressee line under an inverted banner
in automatic layout). A word of the second reading is added where the first has nothing,
or replaces first-reading words it overlaps that are all unsure (noise). The second
reading is skipped on an illegible first one (it must not make a faded page pass the
readability check). With `ocr.second_pass = "when_needed"` (the default) `read_text`
reads once, and `reread_incomplete` (run after extraction) reads a second time only the
documents whose first reading lacks a field their kind needs (`needs_second_reading`):
evidence, not habit, decides the cost. It also reads again, alone from its crop, each
date token read impossibly (`reread_implausible_dates`) or read from unsure words when it
is a date field (`unsure_dates`, `reread_doubted_date`), and each unsure word of an
address, a name or a document number (`reread_unsure_words`): one small engine call each.
Before local binarisation, light-on-dark bands (banners, table headers) are inverted, whose
letters binarisation would otherwise hollow out.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
import threading
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

import numpy as np

from models.flags import IDENTITY_TYPES, RESIDENCY_TYPES, DocumentType, FlagCode
from models.internal import (
    Box,
    CheckResult,
    DocumentState,
    FaceBox,
    Page,
    PageText,
    Word,
)
from pipeline.config import OcrConfig
from pipeline.context import Context
from pipeline.matching.checks import low_confidence
from pipeline.reading import classify, dates
from pipeline.reading.layout import union_box
from pipeline.tools import cv, tesseract

CARD_RATIO = (1.45, 2.1)
"""Width / height of an image read as a card whatever its role (ID-1 cards are 1.586;
landscape letter paper 1.29 and A4 1.41 stay pages). Wide above: a card photographed at a
slant comes out of rectification longer than it is (a licence sent as a residency proof,
rotated 9 degrees with perspective, came out 1.97 and was read as a page, into noise)."""


def is_card(page: Page, role: str) -> bool:
    """An identity image in landscape: a card (or a passport data page) with sparse text;
    or any card-shaped image (a licence sent as a residency proof must still be read)."""
    height, width = page.image.shape[:2]
    if role == "identity":
        return width >= height
    return CARD_RATIO[0] <= width / max(height, 1) <= CARD_RATIO[1]


def ocr_page(page: Page, role: str, cfg: OcrConfig) -> PageText:
    """OCR one page image with the preprocessing and segmentation its kind needs."""
    return _first_reading(page, _prepared(page, role, cfg), cfg)


def second_reading(
    page: Page,
    role: str,
    cfg: OcrConfig,
    first: PageText,
    min_words: int = 0,
    min_confidence: float = 0.0,
    prepared: Prepared | None = None,
    portrait: FaceBox | None = None,
    psm: int | None = None,
) -> PageText:
    """`first` (a reading of `page` by `ocr_page`) merged with the second segmentation's
    reading; `first` itself when there is no other segmentation or `first` is not legible
    text (`min_words` words, mean confidence `min_confidence`): the second reading recovers
    lines that layout analysis dropped, it must not make a faded page look readable.
    `prepared` is the image to read, when the caller has it (`first`'s, or another with
    `psm`, the segmentation to read it with); `portrait` the card's face, painted over
    before reading (`_without_portrait`)."""
    card = is_card(page, role)
    first_psm, second_psm = (
        (cfg.card_psm, cfg.card_second_psm) if card else (cfg.page_psm, cfg.page_second_psm)
    )
    second_psm = second_psm if psm is None else psm
    same = psm is None and second_psm == first_psm
    if second_psm is None or same or not _legible(first, min_words, min_confidence):
        return first  # decided before preparing the image again
    image, factor, _ = prepared if prepared is not None else _prepared(page, role, cfg, portrait)
    second = _engine(cfg).read(image, page.index, second_psm, factor)
    return merge_readings(first, second, cfg.second_pass_min_confidence)


Prepared = tuple[np.ndarray, float, bool]
"""The image as Tesseract reads it, the factor it was scaled by, and whether it is a card."""


def _engine(cfg: OcrConfig) -> tesseract.OcrEngine:
    spec = tesseract.EngineSpec(cfg.engine, cfg.language, cfg.tessdata, cfg.timeout_seconds)
    return tesseract.engine_for(spec)


_Key = tuple[int, str, OcrConfig, FaceBox | None]
_PREPARED: dict[_Key, Prepared] = {}
"""Prepared images by (id of the page image, role, config), each dropped with its page image:
`reread_incomplete` reads the image `read_text` prepared (measuring the text height and
binarising again cost about 30 ms a card and 100 ms a page)."""
_PREPARED_LOCK = threading.Lock()


def _prepared(page: Page, role: str, cfg: OcrConfig, portrait: FaceBox | None = None) -> Prepared:
    """`_prepare`, once per live page image (the same array, role, settings and portrait)."""
    key = (id(page.image), role, cfg, portrait)
    with _PREPARED_LOCK:
        found = _PREPARED.get(key)
    if found is not None:
        return found
    made = _prepare(page, role, cfg, portrait)
    if np.may_share_memory(made[0], page.image):
        return made  # kept, it would keep its own key alive
    with _PREPARED_LOCK:
        _PREPARED[key] = made
    weakref.finalize(page.image, _forget_prepared, key)
    return made


def _forget_prepared(key: _Key) -> None:
    with _PREPARED_LOCK:
        _PREPARED.pop(key, None)


def _prepare(
    page: Page, role: str, cfg: OcrConfig, portrait: FaceBox | None, binarize_card: bool = False
) -> Prepared:
    """The image Tesseract reads: a card grey, its portrait painted over (binarised too
    with `binarize_card`); a page binarised locally (`ocr.binarize_pages`)."""
    card = is_card(page, role)
    if card:
        source = page.image if portrait is None else _without_portrait(page.image, portrait, cfg)
    else:
        source = page.image if not cfg.binarize_pages else uninvert_bands(page.image)
    image, factor = tesseract.prepare(
        source,
        cfg.target_text_height,
        (cfg.scale_min, cfg.scale_max),
        cfg.max_side,
        binarize=binarize_card if card else cfg.binarize_pages,
    )
    return image, factor, card


def portrait_of(doc: DocumentState, page: Page, cfg: OcrConfig) -> FaceBox | None:
    """The portrait to paint over before reading a card: the largest face rectify found on
    the first page, when it is at least `ocr.portrait_min_width` of the card's width."""
    if not cfg.portrait_blank or page.index != 0 or not doc.face_boxes:
        return None
    if not is_card(page, doc.role):
        return None
    largest = max(doc.face_boxes, key=lambda b: b[2] * b[3])
    return largest if largest[2] >= cfg.portrait_min_width * page.image.shape[1] else None


def _without_portrait(image: np.ndarray, face: FaceBox, cfg: OcrConfig) -> np.ndarray:
    """The card with its portrait (the face box grown by `ocr.portrait_margin`: hair,
    shoulders) painted in the card's paper colour. Read as one block (`ocr.card_psm`), a
    portrait beside the name lines is read as letters on the same lines and garbles them
    ("DMITRI RAY" read "\\S>__omriRay")."""
    x, y, w, h = face
    left, top, right, bottom = cfg.portrait_margin
    height, width = image.shape[:2]
    x0, x1 = max(0, round(x - left * w)), min(width, round(x + w + right * w))
    y0, y1 = max(0, round(y - top * h)), min(height, round(y + h + bottom * h))
    out = image.copy()
    sample = image[::4, ::4]  # the paper's colour, from every 16th pixel (1 ms, not 13)
    paper = np.percentile(
        sample.reshape(-1, image.shape[2]) if image.ndim == 3 else sample, 90, axis=0
    )
    out[y0:y1, x0:x1] = paper.astype(image.dtype)
    return out


def _first_reading(page: Page, prepared: Prepared, cfg: OcrConfig) -> PageText:
    image, factor, card = prepared
    return _engine(cfg).read(image, page.index, cfg.card_psm if card else cfg.page_psm, factor)


def _read_page(
    page: Page,
    role: str,
    cfg: OcrConfig,
    min_words: int,
    min_conf: float,
    portrait: FaceBox | None = None,
) -> PageText:
    """One reading, or with `ocr.second_pass = "always"` both, from one prepared image."""
    prepared = _prepared(page, role, cfg, portrait)
    first = _first_reading(page, prepared, cfg)
    if cfg.second_pass != "always":
        return first
    return second_reading(page, role, cfg, first, min_words, min_conf, prepared)


BAND_MIN_WIDTH = 0.15
"""An inverted band spans at least this share of the page width ..."""
BAND_MAX_HEIGHT = 0.12
"""... is at most this share of the page height ..."""
BAND_MIN_FILL = 0.6
"""... and is mostly dark (its light letters are holes in it)."""


def uninvert_bands(image: np.ndarray) -> np.ndarray:
    """The page in grey with light-on-dark bands (a coloured banner or table header with
    white letters) inverted to dark-on-light: local binarisation hollows their letters out.
    """
    gray = cv.to_gray(image)
    height, width = gray.shape[:2]
    count, _, stats = cv.components(cv.otsu(gray, invert=True))
    out = None
    for x, y, w, h, area in stats[1:count, :5]:
        if w < BAND_MIN_WIDTH * width or h > BAND_MAX_HEIGHT * height or h < 8:
            continue
        if area < BAND_MIN_FILL * w * h:
            continue  # an outline (a table's frame), not a filled band
        if out is None:
            out = gray.copy()
        out[y : y + h, x : x + w] = 255 - out[y : y + h, x : x + w]
    return gray if out is None else out


def _legible(text: PageText, min_words: int, min_confidence: float) -> bool:
    words = [w for w in text.words if len(w.text) > 1]
    if len(words) < max(min_words, 1):
        return False
    return sum(w.confidence for w in words) / len(words) >= min_confidence


UNSURE = 0.5
"""A first-reading word below this confidence may be replaced by a surer second reading."""
OVERLAP = 0.3
"""Two words overlapping by this share of the smaller box are the same place on the page."""


COVERED = 0.7
"""An unsure word is replaced only by a second-reading word covering this share of it."""


def _covered(a: Box, b: Box) -> float:
    """The share of box `a` that box `b` covers."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    return w * h / max((a[2] - a[0]) * (a[3] - a[1]), 1)


def _overlap(a: Box, b: Box) -> float:
    """Intersection area over the smaller box's area."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return w * h / max(smaller, 1)


def merge_readings(first: PageText, second: PageText, min_confidence: float) -> PageText:
    """The first reading plus the sure words of the second it lacks.

    A second-reading word (confidence >= `min_confidence`, with a letter or digit) is
    added where no first-reading word overlaps it, or where every word it overlaps can
    give way (`_gives_way`): an unsure word it covers mostly (a portrait or a banner read
    as letters), an unsure word spanning two or more lines that the second reading reads
    as words (layout analysis merged lines into noise), or a sure word it covers whose
    text it extends ("OWAK" inside "NOWAK": a letter clipped). The words given way are
    removed. Added words keep their own line grouping, numbered after the first's lines.
    A word both readings read alike takes the surer confidence (confirmed).
    """
    words = list(first.words)
    sure = [w for w in second.words if w.confidence >= min_confidence and _has_alnum(w.text)]
    removed: set[int] = set()
    added: list[Word] = []
    alike: list[tuple[int, Word]] = []
    confirmed = False
    base = max((w.line for w in words), default=-1) + 1
    for word in sure:
        hits = [i for i, w in enumerate(words) if _overlap(w.box, word.box) > OVERLAP]
        if len(hits) == 1 and words[hits[0]].text == word.text:
            alike.append((hits[0], word))
            if word.confidence > words[hits[0]].confidence:  # read alike twice: confirmed
                words[hits[0]] = replace(words[hits[0]], confidence=word.confidence)
                confirmed = True
            continue
        if not all(_gives_way(words[i], word, sure) for i in hits):
            continue
        removed.update(hits)
        added.append(replace(word, line=base + word.line))
    # a word read alike whose first-reading twin gave way to another (a box spanning lines)
    added += [replace(word, line=base + word.line) for i, word in alike if i in removed]
    if not added and not confirmed:
        return first
    kept = tuple(w for i, w in enumerate(words) if i not in removed)
    return replace(first, words=kept + tuple(added))


def _gives_way(old: Word, new: Word, sure: list[Word]) -> bool:
    """Whether first-reading word `old` yields its place to second-reading word `new`.
    A piece of a long unsure word on one line (an MRZ line) never replaces it: the two
    would mix."""
    if old.confidence >= UNSURE:
        return _clipped(old, new) or (_spans_read_lines(old, sure) and _read_inside(old, sure))
    return _covered(old.box, new.box) >= COVERED or _spans_read_lines(old, sure)


def _read_inside(old: Word, sure: list[Word]) -> bool:
    """The second reading reads `old`'s very text inside its box: a sure word whose box
    spans lines (layout analysis merged "TONY E. BROWN" over "23 FRANKLIN TERRACE" into one
    line whose "TERRACE" box covers both, CT-S10016-0129) is then one of those lines' words,
    and gives way to them."""
    return any(
        w.text == old.text and _overlap(old.box, w.box) > OVERLAP and w.box != old.box for w in sure
    )


def _clipped(old: Word, new: Word) -> bool:
    """A sure word read with letters missing: `new` covers it, is surer, and its text
    contains `old`'s ("OWAK" / "NOWAK")."""
    a, b = _ALNUM_ONLY.sub("", old.text).upper(), _ALNUM_ONLY.sub("", new.text).upper()
    return (
        len(a) >= 2
        and len(b) > len(a)
        and a in b
        and new.confidence > old.confidence
        and _covered(old.box, new.box) >= COVERED
    )


_ALNUM_ONLY = re.compile(r"[^0-9A-Za-z]")


def _spans_read_lines(old: Word, sure: list[Word]) -> bool:
    """A word whose box the sure second-reading words overlapping it fill, on two
    or more of their lines: projected on each axis they cover `COVERED` of its width and
    `LINES_COVERED` of its height (`_lines_spans`)."""
    inside = [w for w in sure if _overlap(old.box, w.box) > OVERLAP]
    if len({w.line for w in inside}) < 2:
        return False
    x0, y0, x1, y1 = old.box
    across = _span_share([(w.box[0], w.box[2]) for w in inside], x0, x1)
    down = _span_share(_lines_spans(inside), y0, y1)
    return across >= COVERED and down >= LINES_COVERED


def _lines_spans(words: list[Word]) -> list[tuple[int, int]]:
    """The words' vertical spans, a gap narrower than a line's height between two of them
    closed: the leading between lines of one block is part of the block (a merged word
    over "TONY E. BROWN" and "23 FRANKLIN" spans both and the gap, CT-S10016-0129)."""
    spans = sorted((w.box[1], w.box[3]) for w in words)
    height = statistics.median(b - a for a, b in spans)
    out = [spans[0]]
    for a, b in spans[1:]:
        last_a, last_b = out[-1]
        if a - last_b < height:
            out[-1] = (last_a, max(last_b, b))
        else:
            out.append((a, b))
    return out


LINES_COVERED = 0.6
"""Share of an unsure word's height that lines of sure words must fill to replace it."""


def _span_share(spans: list[tuple[int, int]], lo: int, hi: int) -> float:
    """The share of [lo, hi) that the union of `spans` covers."""
    covered, reach = 0, lo
    for a, b in sorted(spans):
        a, b = max(a, reach), min(b, hi)
        if b > a:
            covered += b - a
            reach = b
    return covered / max(hi - lo, 1)


_DATE_SHAPED = re.compile(
    r"(?<![\w/.-])(?:\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})(?![\w/])"
    r"|(?<![A-Za-z])(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]*\.?\s?\d{1,2}"
    r"(?:ST|ND|RD|TH)?,?\s?\d{4}(?!\d)"
    r"|(?<![\w])\d{1,2}(?:ST|ND|RD|TH)?\s?(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)"
    r"[A-Z]*\.?,?\s?\d{4}(?!\d)"
    r"|(?<![\w/.-])(?:[0-2]\d|3[01])1(?:[0-2]\d|3[01])1(?:19|20)\d{2}(?![\w/])",
    re.I,
)
"""A token shaped like a date: digits and separators ("66/86/2626", "2026-06-01"), a
month name with a day and a four-digit year ("Jun 7, 2626", "7 June 2626"), or both
slashes read as 1s ("0212512026" for 02/25/2026 at 0.59, MA-O4131-0056)."""
_DIGITS = "0123456789/-.,"
_MONTH_WORDS = "januaryfebruarymarchaprilmayjunejulyaugustseptemberoctobernovemberdecemberstndrdth"
_MONTH_LETTERS = "".join(sorted(set(_MONTH_WORDS + _MONTH_WORDS.upper())))


def reread_implausible_dates(
    page: Page,
    text: PageText,
    ref: dt.date,
    cfg: OcrConfig,
    tried: frozenset[Word] = frozenset(),
) -> PageText:
    """`text` with each date-shaped token whose date is impossible or implausible (no valid
    date, or a year more than `ocr.date_reread_years_ahead` after `ref`) read again alone:
    its box cropped from the page in grey (no binarisation: it turned bold monospace 0s
    into 6s), scaled, read as one line (`ocr.crop_reread_psm`) with a digit (and month
    letter) whitelist. The new reading replaces the token's words only when it is a
    plausible date, read in as many words, each at `ocr.crop_reread_min_confidence` or
    above; else the words stay as they were (the date stays unread, never guessed).
    Words in `tried` were re-read before and are left alone. `text` itself when nothing
    changed: most pages have no such token and cost no engine call."""
    if not cfg.crop_reread or text.source != "ocr":
        return text
    suspects = _date_tokens(
        text, lambda words, token: not _plausible(token, ref, cfg) and not set(words) & tried
    )
    return _reread_spans(page, text, suspects[: cfg.crop_reread_max_per_page], ref, cfg)


def reread_doubted_date(
    page: Page, text: PageText, box: Box, ref: dt.date, cfg: OcrConfig
) -> PageText:
    """`text` with the date token inside `box` read again alone, as
    `reread_implausible_dates` reads an impossible one: a date a flag hangs on, read from
    unsure words ('07-19-2025' at 0.69 on a card photographed at an angle, read at 0.97
    alone, CT-S10011-0169). Only a token with a word below `ocr.word_reread_below`: a
    field unsure because of how it was assigned (a DOB taken by its order, its label
    misread) is printed surely and costs no engine call. The new reading replaces the
    words on the same terms."""
    if not cfg.crop_reread or text.source != "ocr":
        return text
    inside = _date_tokens(
        text,
        lambda words, _: (
            all(_covered(w.box, box) >= COVERED for w in words)
            and any(w.confidence < cfg.word_reread_below for w in words)
        ),
    )
    return _reread_spans(page, text, inside[:1], ref, cfg)


_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'-"
_WORD_CLASSES = (
    (str.isdigit, "0123456789"),
    (lambda t: t.replace("'", "").replace("-", "").isalpha(), _LETTERS),
    (lambda t: sum(c.isalnum() for c in t) >= len(t) - 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"),
)
"""What an unsure word of a field may be read again as: digits (a house number, a ZIP
code, a licence number), a name word, or letters and digits (a document number, one
character of it perhaps misread as a sign: '§17687237' for S17687237, MA-S10013-0049)."""


def reread_unsure_words(page: Page, text: PageText, box: Box, cfg: OcrConfig) -> PageText:
    """`text` with each word inside `box` (a field a flag hangs on: an address, a name, a
    document number) read below `ocr.word_reread_below` read again alone from its crop,
    restricted to the characters of its kind (`_WORD_CLASSES`): '3544' at 0.77 for 3514
    (CT-S10012-0138), 'MARIA' at 0.17 beside its field number (MA-S10013-0044). The new
    reading replaces the word when it is one word of the same kind and length (a word of
    letters: within `LETTERS_SLACK` letters, a glued initial split off), read at
    `ocr.crop_reread_min_confidence` or above; else the word stays as read."""
    if not cfg.crop_reread or text.source != "ocr":
        return text
    unsure = [
        w
        for w in text.words
        if w.confidence < cfg.word_reread_below and _covered(w.box, box) >= COVERED
    ]
    gray: np.ndarray | None = None
    new: dict[Word, tuple[Word, ...]] = {}
    for word in unsure[: cfg.crop_reread_max_per_page]:
        core = word.text.strip(",.")
        kind = next((chars for fits, chars in _WORD_CLASSES if core and fits(core)), None)
        if kind is None:
            continue
        gray = cv.to_gray(page.image) if gray is None else gray
        read = _crop_words(gray, (word,), page.index, kind, cfg, _between(text, (word,)))
        if (
            len(read) != 1
            or not _same_extent(core, read[0].text, kind)
            or not all(c in kind for c in read[0].text)
        ):
            continue
        if read[0].confidence >= cfg.crop_reread_min_confidence:
            fresh = word.text.replace(core, read[0].text)
            again = replace(word, text=fresh, confidence=_reread_confidence(word, read[0]))
            new[word] = _split_initial(again)
    return _with_words(text, new)


LETTERS_SLACK = 2
"""Letters a word of letters read again alone may gain or lose: thin glyphs the page's
reading ran together ('BIR' for 'Bill R', CT-S10026-0084). Digits and numbers keep
their length (a digit more or less is another number)."""


def _same_extent(old: str, fresh: str, kind: str) -> bool:
    """Whether `fresh` may stand for `old` read again: as long, or, for a word of letters,
    within `LETTERS_SLACK` letters of it."""
    slack = LETTERS_SLACK if kind == _LETTERS else 0
    return abs(len(fresh) - len(old)) <= slack


_GLUED_INITIAL = re.compile(r"^(.*[a-z])([A-Z])([,.]?)$")
"""A capitalised word with a capital glued after its last small letter: a name and the
initial after it, their space lost ('BillR' read alone for 'Bill R')."""


def _split_initial(word: Word) -> tuple[Word, ...]:
    """`word`, or, when it ends in a glued initial (`_GLUED_INITIAL`), the name and the
    initial as two words, the box cut in proportion."""
    match = _GLUED_INITIAL.match(word.text)
    if match is None or not match.group(1)[:1].isupper():
        return (word,)
    x0, y0, x1, y1 = word.box
    cut = x0 + round((x1 - x0) * len(match.group(1)) / len(word.text))
    return (
        replace(word, text=match.group(1), box=(x0, y0, cut, y1)),
        replace(word, text=match.group(2) + match.group(3), box=(cut, y0, x1, y1)),
    )


def _between(text: PageText, words: tuple[Word, ...]) -> tuple[int, int]:
    """The x range a crop of `words` may take: up to halfway to the nearest words on their
    line either side. A margin reaching into a neighbour adds a sliver of its glyph, which
    a whitelisted reading forces into a letter: 'Mill' read alone at 0.00 with the edge of
    the next word's 'B' in the crop, at 0.90 without (MA-S10032-0171), "D'ANGELO" the same."""
    x0, _, x1, _ = union_box(words)
    line = [w for w in text.words if w.line == words[0].line and w not in words]
    left = [w.box[2] for w in line if w.box[2] <= x0]
    right = [w.box[0] for w in line if w.box[0] >= x1]
    lo = (max(left) + x0) // 2 if left else 0
    hi = (min(right) + x1 + 1) // 2 if right else text.width or 1 << 30
    return lo, max(hi, x1)


def _reread_confidence(old: Word, fresh: Word) -> float:
    """The confidence of a word read again alone: the new reading's, or, when it reads the
    very same characters, the confidence of two readings agreeing (`_agreeing`): the
    page's layout analysis and the lone crop at another scale are two segmentations
    ('4639' at 0.71 both times, a house number that is not the profile's 4629,
    CT-S10022-0043)."""
    if fresh.text != old.text.strip(",."):
        return fresh.confidence
    return _agreeing(old, fresh)


def _agreeing(old: Word, fresh: Word) -> float:
    """The confidence of two readings that agree: 1 - the product of their doubts."""
    return round(1.0 - (1.0 - old.confidence) * (1.0 - fresh.confidence), 4)


def _same_dates(words: Sequence[Word], read: Sequence[Word], ref: dt.date) -> bool:
    """Both readings give the same dates (at least one)."""
    first = [d.date for d in dates.find_in_words(words, ref)]
    return bool(first) and first == [d.date for d in dates.find_in_words(read, ref)]


def _reread_spans(
    page: Page,
    text: PageText,
    spans: list[Span],
    ref: dt.date,
    cfg: OcrConfig,
) -> PageText:
    """`text` with the date tokens of `spans` read again alone (`_reread_words`); the
    characters a token's first and last words hold before and after it are kept."""
    if not spans:
        return text
    gray = cv.to_gray(page.image)
    new: dict[Word, Word] = {}
    for words, (head, tail) in spans:
        read = _reread_words(gray, words, page.index, ref, cfg, _between(text, words))
        if read is None:
            continue
        for i, (old, fresh) in enumerate(zip(words, read, strict=True)):
            prefix = old.text[:head] if i == 0 else ""
            suffix = old.text[len(old.text) - tail :] if i == len(words) - 1 and tail else ""
            new[old] = replace(old, text=prefix + fresh.text + suffix, confidence=fresh.confidence)
    return _with_words(text, new)


Span = tuple[tuple[Word, ...], tuple[int, int]]


def _with_words(text: PageText, new: Mapping[Word, Word | tuple[Word, ...]]) -> PageText:
    """`text` with the words of `new` replaced (a word by one or several); `text` itself
    when there are none."""
    if not new:
        return text
    words: list[Word] = []
    for w in text.words:
        got = new.get(w, w)
        words.extend(got if isinstance(got, tuple) else (got,))
    return replace(text, words=tuple(words))


def _date_tokens(text: PageText, keep: Callable[[tuple[Word, ...], str], bool]) -> list[Span]:
    """The words of each date-shaped token of `text` that `keep(words, token)` accepts, with
    how many characters of its first word come before it and of its last after."""
    return [
        (words, ends)
        for line in text.lines
        for words, ends, token in _date_spans(line)
        if keep(words, token)
    ]


def _date_spans(line: list[Word]) -> list[tuple[tuple[Word, ...], tuple[int, int], str]]:
    """The words of each date-shaped token of `line`, how many characters of its first
    word come before the token and of its last after, and the token."""
    string, spans = dates.line_string(line)
    out = []
    for match in _DATE_SHAPED.finditer(string):
        words = dates.words_in_span(line, spans, match.start(), match.end())
        first, last = spans[line.index(words[0])], spans[line.index(words[-1])]
        out.append((words, (match.start() - first[0], last[1] - match.end()), match.group(0)))
    return out


def _plausible(token: str, ref: dt.date, cfg: OcrConfig) -> bool:
    """A date lies in `token`, at most `ocr.date_reread_years_ahead` years after `ref`."""
    latest = ref.year + cfg.date_reread_years_ahead
    return any(hit.date.year <= latest for hit in dates.find_in_text(token, ref))


def _reread_words(
    gray: np.ndarray,
    words: tuple[Word, ...],
    page: int,
    ref: dt.date,
    cfg: OcrConfig,
    limits: tuple[int, int],
) -> tuple[Word, ...] | None:
    """The words of the crop around `words` (within `limits`), read again: as many, each
    sure, and together a plausible date; None otherwise. A crop read unsurely that gives
    the very date the words give is a second reading agreeing with the first: its words
    take the confidence of two agreeing readings ("0212512025" at 0.68 on the card, its
    crop "02/25/2025" at 0.53: the expired licence only warned, CT-O4179-0001)."""
    named = any(c.isalpha() for w in words for c in w.text)
    whitelist = _DIGITS + (" " + _MONTH_LETTERS if named else "")
    read = _crop_words(gray, words, page, whitelist, cfg, limits)
    string, _ = dates.line_string(read)
    match = _DATE_SHAPED.search(string)
    if (
        match is None
        or len(read) != len(words)
        or not _plausible(match.group(0), ref, cfg)
        or _has_alnum(string[: match.start()] + string[match.end() :])
    ):
        return None
    if any(w.confidence < cfg.crop_reread_min_confidence for w in read):
        if not _same_dates(words, read, ref):
            return None
        read = [
            replace(w, confidence=_agreeing(old, w)) for old, w in zip(words, read, strict=True)
        ]
    # only the date itself: what the crop showed around it stays as first read
    read[0] = replace(read[0], text=read[0].text[match.start() :])
    read[-1] = replace(
        read[-1], text=read[-1].text[: len(read[-1].text) - (len(string) - match.end())]
    )
    return tuple(read)


def _crop_words(
    gray: np.ndarray,
    words: tuple[Word, ...],
    page: int,
    whitelist: str,
    cfg: OcrConfig,
    limits: tuple[int, int],
) -> list[Word]:
    """The words read on the crop around `words` alone: grey, scaled so that they are
    `ocr.crop_reread_text_height` px high, one line, with `whitelist`; its side margins
    kept within `limits` (`_between`)."""
    x0, y0, x1, y1 = union_box(words)
    height = max(y1 - y0, 1)
    margin = round(cfg.crop_reread_margin * height)
    top, left = max(y0 - margin, 0), max(x0 - margin, limits[0], 0)
    crop = gray[top : y1 + margin, left : min(x1 + margin, limits[1])]
    if crop.size == 0:
        return []
    factor = min(max(cfg.crop_reread_text_height / height, cfg.scale_min), cfg.scale_max)
    image = cv.scale(crop, factor)
    return list(_engine(cfg).read(image, page, cfg.crop_reread_psm, factor, whitelist).words)


def _has_alnum(text: str) -> bool:
    return any(c.isalnum() for c in text)


def read_text(doc: DocumentState, ctx: Context) -> DocumentState:
    """Stage: OCR the pages that have no text yet (text layers were read at load)."""
    if doc.role == "photo" or (doc.side == "back" and doc.barcode is not None):
        return doc  # a photo has no fields; a decoded licence back has them all in its barcode
    cfg = ctx.config.ocr
    have = {p.page for p in doc.text}
    todo = [p for p in doc.pages if p.index not in have][: cfg.max_pages]
    if not todo:
        return doc
    q = ctx.config.quality
    ref = ctx.application.submitted_on
    new = [
        reread_implausible_dates(
            page,
            _read_page(
                page, doc.role, cfg, q.min_words, q.text_confidence_min, portrait_of(doc, page, cfg)
            ),
            ref,
            cfg,
        )
        for page in todo
    ]
    text = tuple(sorted((*doc.text, *new), key=lambda p: p.page))
    return replace(doc, text=text)


def needs_second_reading(doc: DocumentState, cfg: OcrConfig) -> tuple[str, ...]:
    """Why `doc`'s OCR reading should be read again: the fields its kind needs that are
    missing, any field read from unsure words (below `ocr.second_pass_field_confidence`),
    or "document_type" when the reading was not enough to classify it. Empty: the first
    reading is enough."""
    if cfg.second_pass != "when_needed" or doc.stopped is not None or doc.role == "photo":
        return ()
    if doc.side == "back":
        return ()  # a card's back carries no name line or dates to look for
    if not any(p.source == "ocr" for p in doc.text):
        return ()
    found = doc.classification.document_type if doc.classification else DocumentType.OTHER
    if found in RESIDENCY_TYPES:
        needs = cfg.residency_needs
    elif found in IDENTITY_TYPES or doc.role == "identity":
        needs = cfg.identity_needs
    else:
        needs = cfg.residency_needs
    unsure = cfg.second_pass_field_confidence
    lacking = tuple(name for name in needs if name not in doc.fields)
    lacking += tuple(  # any field read from unsure words: the second reading may replace them
        name
        for name, value in doc.fields.items()
        if value.source == "ocr" and value.confidence < unsure
    )
    if found is DocumentType.OTHER:
        lacking = ("document_type", *lacking)
    return lacking


def decisive_doubts(doc: DocumentState, ctx: Context) -> tuple[str, ...]:
    """Fields on which a flag hangs, read from words too unsure to raise it: an expiry date
    already passed, read below `match.ocr_low_confidence` (DOCUMENT_EXPIRED then only
    warns). A second reading that reads the same words surely confirms them (see
    `merge_readings`)."""
    expiry = doc.fields.get("expiry_date")
    if expiry is None or not isinstance(expiry.value, dt.date):
        return ()
    passed = expiry.value < ctx.application.submitted_on
    return ("expiry_date",) if passed and low_confidence(expiry, ctx.config.match) else ()


def unsure_dates(doc: DocumentState, ctx: Context) -> tuple[str, ...]:
    """The date fields read by OCR below `match.ocr_low_confidence`: every one can decide
    a flag (an expiry, a birth date, a bill's date, a barcode's disagreement), and an
    unsure one only warns. Each is read again alone (`reread_doubted_date`)."""
    floor = ctx.config.match
    return tuple(
        name
        for name, value in doc.fields.items()
        if isinstance(value.value, dt.date) and low_confidence(value, floor)
    )


_WORD_FIELDS = ("address", "first_name", "middle_name", "last_name", "document_number")
"""Fields compared exactly or nearly so, whose unsure words are read again alone."""


def _unsure_reads(doc: DocumentState, ctx: Context) -> list[tuple[str, int | None, Box]]:
    """What `reread_incomplete` reads again alone: each unsure date field ("date"), and each
    field of `_WORD_FIELDS` read by OCR below `ocr.word_reread_below` ("words")."""
    out = [("date", doc.fields[name]) for name in unsure_dates(doc, ctx)]
    floor = ctx.config.ocr.word_reread_below
    for name in _WORD_FIELDS:
        fv = doc.fields.get(name)
        if fv is not None and fv.source == "ocr" and fv.confidence < floor:
            out.append(("words", fv))
    found = [(kind, fv.page, fv.box) for kind, fv in out if fv.box is not None]
    number = _doubted_house_number(doc, ctx)
    if number is not None:
        found.append(("number", number.page, number.box))
    return found


def _doubted_house_number(doc: DocumentState, ctx: Context) -> Word | None:
    """The house number word of an address read by OCR when it is not the profile's and
    not surely printed (below `ocr.number_reread_below`): ADDRESS_MISMATCH would hang on
    it alone, and a reviewer would look again ('46' read at 0.93 for the 16 of a shadowed
    photo, MA-S10018-0017). None otherwise, and None below `ocr.word_reread_below`: the
    address's unsure words are read again already (once only: a second crop reading of the
    same word would count as a second agreeing reading)."""
    fv = doc.fields.get("address")
    if fv is None or fv.source != "ocr" or fv.box is None:
        return None
    line1 = getattr(fv.value, "line1", None)
    read = line1.split()[0] if line1 else ""
    profile = (ctx.application.profile.address.line1 or "").split()
    if not read[:1].isdigit() or not profile or profile[0].upper() == read:
        return None
    cfg = ctx.config.ocr
    return next(
        (
            w
            for page in doc.text
            if page.page == fv.page
            for w in page.words
            if w.text == read
            and cfg.word_reread_below <= w.confidence < cfg.number_reread_below
            and _covered(w.box, fv.box) >= COVERED
        ),
        None,
    )


def reread_incomplete(doc: DocumentState, ctx: Context) -> DocumentState:
    """`doc` with its OCR pages read a second time and merged, when its first reading
    lacks what its kind needs (`needs_second_reading`), and with its unsure dates and the
    unsure words of its names, address and number read again alone (`_unsure_reads`);
    `doc` itself otherwise, or when nothing changes a word. The caller re-classifies and
    re-extracts."""
    cfg = ctx.config.ocr
    whole = bool(needs_second_reading(doc, cfg) or decisive_doubts(doc, ctx))
    unsure = _unsure_reads(doc, ctx)
    if not whole and not unsure:
        return doc
    return _reread_pages(doc, ctx, unsure, whole)


def read_binarised(doc: DocumentState, ctx: Context) -> DocumentState:
    """An identity card whose readings still lack a field of `ocr.card_third_needs`, its
    card-like OCR pages read a third time, binarised locally, with `ocr.card_third_psm`,
    and merged (`second_reading`). Read grey, a card's light small labels and a name line
    between them can be lost to Tesseract's global threshold whatever the segmentation
    ("Surname" over "SMITH" on a clean passport card, CT-O4205-0074). `doc` itself
    otherwise, or when no word changes."""
    cfg, q = ctx.config.ocr, ctx.config.quality
    if cfg.card_third_psm is None or cfg.second_pass == "never" or doc.role != "identity":
        return doc
    if doc.stopped is not None or doc.side == "back" or doc.barcode is not None:
        return doc
    if all(name in doc.fields for name in cfg.card_third_needs):
        return doc

    def third(page: Page, read: PageText) -> PageText:
        if not is_card(page, doc.role) or not _legible(read, q.min_words, q.text_confidence_min):
            return read  # `second_reading` would refuse it: not prepared for nothing
        binarised = _prepare(page, doc.role, cfg, portrait_of(doc, page, cfg), binarize_card=True)
        return second_reading(
            page,
            doc.role,
            cfg,
            read,
            q.min_words,
            q.text_confidence_min,
            prepared=binarised,
            psm=cfg.card_third_psm,
        )

    return _with_ocr_pages(doc, third)


def reread_new_dates(doc: DocumentState, ctx: Context, done: tuple[str, ...]) -> DocumentState:
    """`doc` with its unsure date fields not in `done` read again alone: dates extraction
    found only after `reread_incomplete` changed the reading (a licence classified anew once
    its number was read again, whose expiry at 0.67 was then never read alone and only
    warned, MA-O4151-0057). `doc` itself when nothing changes a word."""
    fields = [doc.fields[name] for name in unsure_dates(doc, ctx) if name not in done]
    boxes = [("date", fv.page, fv.box) for fv in fields if fv.box is not None]
    return _reread_pages(doc, ctx, boxes, whole=False) if boxes else doc


def _reread_pages(
    doc: DocumentState, ctx: Context, boxes: list[tuple[str, int | None, Box]], whole: bool
) -> DocumentState:
    """`doc` with each OCR page read a second time and merged (`whole`), then each
    (kind, page, box) of `boxes` read again alone; `doc` itself when no word changes."""

    def again(page: Page, read: PageText) -> PageText:
        merged = _read_again(doc, page, read, ctx) if whole else read
        for kind, at, box in boxes:
            if at == read.page:
                merged = _reread_box(kind, box, page, merged, ctx)
        return merged

    return _with_ocr_pages(doc, again)


def _with_ocr_pages(
    doc: DocumentState, read_page: Callable[[Page, PageText], PageText]
) -> DocumentState:
    """`doc` with each OCR reading replaced by `read_page(page, reading)`; `doc` itself
    when every reading comes back unchanged (the same object)."""
    pages = {p.index: p for p in doc.pages}
    text = tuple(
        read_page(pages[read.page], read) if read.source == "ocr" and read.page in pages else read
        for read in doc.text
    )
    if all(a is b for a, b in zip(text, doc.text, strict=True)):
        return doc
    return replace(doc, text=text)


def _reread_box(kind: str, box: Box, page: Page, text: PageText, ctx: Context) -> PageText:
    """The date, or the field's unsure words, inside `box` read again alone."""
    cfg = ctx.config.ocr
    if kind == "date":
        return reread_doubted_date(page, text, box, ctx.application.submitted_on, cfg)
    if kind == "number":
        return reread_unsure_words(page, text, box, replace(cfg, word_reread_below=1.0))
    return reread_unsure_words(page, text, box, cfg)


def _read_again(doc: DocumentState, page: Page, read: PageText, ctx: Context) -> PageText:
    """The page's second reading merged into its first, its impossible dates re-read."""
    cfg, q = ctx.config.ocr, ctx.config.quality
    portrait = portrait_of(doc, page, cfg)
    merged = second_reading(
        page, doc.role, cfg, read, q.min_words, q.text_confidence_min, portrait=portrait
    )
    if merged is read:
        return read
    # the words the first reading had were re-read already
    ref = ctx.application.submitted_on
    return reread_implausible_dates(page, merged, ref, cfg, frozenset(read.words))


def _nothing_read(doc: DocumentState) -> bool:
    """A residency proof of an accepted kind, read by OCR, from which no field at all was
    read (no addressee, address, date or account number): the sure words it had were
    fragments of a faded page ("This Lease", "water", "sewer" on a lease faded past
    reading, CT-S10051-0135). On three fresh seeds every residency proof with none of
    addressee, address and date was faded or no document, but one degraded insurance
    statement that still gave its policy number (CT-S10051-0080, clean: it warns)."""
    return (
        doc.role == "residency"
        and doc.document_type in RESIDENCY_TYPES
        and bool(doc.text)
        and all(page.source == "ocr" for page in doc.text)
        and not doc.fields
    )


def check_text_readable(doc: DocumentState, ctx: Context) -> CheckResult | None:
    """TEXT_UNREADABLE: too few words, or OCR confidence too low, to extract fields."""
    if doc.role == "photo":
        return None
    if classify.not_a_document(doc):  # a picture of no document: WRONG_DOCUMENT_TYPE says so
        return CheckResult("text.readable", "skipped", None, "not a document (document.type)")
    legible, words, conf = classify.text_legibility(doc, ctx)
    detail = f"{words} words, mean confidence {conf:.2f}"
    machine = doc.barcode is not None or (
        doc.mrz is not None and (doc.mrz.confident or doc.mrz.valid)
    )  # a zone whose check digits all agree was read, whatever OCR's confidence in it
    if machine or (legible and not _nothing_read(doc)):
        return CheckResult("text.readable", "pass", round(conf, 3), detail)
    if legible:
        detail += ", but nothing could be read from it: no name, address, date or number"
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
