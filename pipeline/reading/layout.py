"""Label/value geometry: words regrouped into visual rows and phrases (segments).

Tesseract's and pdfplumber's own line grouping differ (sparse OCR makes one "line" per
word group), so extraction works on rows rebuilt here from the boxes: words whose
vertical extents overlap belong to one row; a row is split into segments wherever
the horizontal gap exceeds a few character heights. A label's value is the rest of its
segment (value right of the label) or the segment just below it (value under the
label). OCR noise is left out first (stray marks, and unsure one- to three-letter
"words" far taller than the text: a portrait or a seal read as letters), whose boxes
would otherwise glue unrelated words into one row or one segment; an OCR box stretched
over the next words of its line is cut back to them. Pure geometry, no I/O.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property

from models.internal import Box, PageText, Word

GAP_FACTOR = 1.6
"""A horizontal gap wider than this many word heights starts a new segment."""
BELOW_FACTOR = 2.6
"""A value under its label starts at most this many label heights below it."""
NOISE_HEIGHT = 1.8
"""An OCR word this many times taller than the page's median word is noise when unsure."""
NOISE_CONFIDENCE = 0.6
"""... unsure: below this confidence."""


@dataclass(frozen=True)
class Segment:
    """A run of words on one visual row, close enough to be read together."""

    words: tuple[Word, ...]
    row: int
    page: int
    source: str

    @cached_property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @cached_property
    def box(self) -> Box:
        return union_box(self.words)

    @cached_property
    def height(self) -> int:
        return max(1, int(statistics.median(w.box[3] - w.box[1] for w in self.words)))

    @property
    def confidence(self) -> float:
        return min(w.confidence for w in self.words)

    def tail(self, start: int) -> Segment | None:
        """The segment from word `start` on (None when nothing is left)."""
        rest = self.words[start:]
        return Segment(rest, self.row, self.page, self.source) if rest else None

    def head(self, end: int) -> Segment | None:
        """The segment's first `end` words (None when empty)."""
        first = self.words[:end]
        return Segment(first, self.row, self.page, self.source) if first else None


def union_box(words: Iterable[Word]) -> Box:
    """The smallest box holding every word."""
    x0s, y0s, x1s, y1s = zip(*(w.box for w in words), strict=True)
    return min(x0s), min(y0s), max(x1s), max(y1s)


def _rows(words: Sequence[Word]) -> list[list[Word]]:
    """Words grouped by vertical overlap, rows top-down, words left to right."""
    rows: list[list[Word]] = []
    spans: list[tuple[float, float]] = []
    for word in sorted(words, key=lambda w: (w.box[1] + w.box[3]) / 2):
        top, bottom = word.box[1], word.box[3]
        mid = (top + bottom) / 2
        for i, (r_top, r_bottom) in enumerate(spans):
            if r_top <= mid <= r_bottom and not _crosses(rows[i], word):
                rows[i].append(word)
                spans[i] = (
                    (min(r_top, top), max(r_bottom, bottom))
                    if len(rows[i]) < 2
                    else (r_top, r_bottom)
                )
                break
        else:
            rows.append([word])
            spans.append((top, bottom))
    ordered = sorted(zip(spans, rows, strict=True), key=lambda sr: sr[0][0])
    return _join_split_rows([sorted(r, key=lambda w: w.box[0]) for _, r in ordered])


CROSS_SHARE = 0.25
"""Two words overlapping horizontally by more than this share of the narrower one's width
stand on different rows; less is two neighbours' boxes touching on one line."""
JOIN_OVERLAP = 0.5
"""Two rows are one skewed line when a word of each, side by side, overlap vertically by
this share of the smaller height."""


def _join_split_rows(rows: list[list[Word]]) -> list[list[Word]]:
    """Rows that are one line cut in two (a skewed or curved line, its words' centres
    drifting out of the first word's span): two rows, none of whose words overlap
    horizontally, with a word of one close beside a word of the other at the same height."""
    merged = True
    while merged:
        merged = False
        for i in range(len(rows)):
            for j in range(i + 1, min(i + 3, len(rows))):
                if _same_line(rows[i], rows[j]):
                    rows[i] = sorted(rows[i] + rows[j], key=lambda w: w.box[0])
                    del rows[j]
                    merged = True
                    break
            if merged:
                break
    return rows


def _same_line(a: list[Word], b: list[Word]) -> bool:
    if any(_crosses(a, w) for w in b):
        return False
    for x in a:
        for y in b:
            height = min(x.box[3] - x.box[1], y.box[3] - y.box[1])
            overlap = min(x.box[3], y.box[3]) - max(x.box[1], y.box[1])
            gap = max(y.box[0] - x.box[2], x.box[0] - y.box[2])
            if overlap >= JOIN_OVERLAP * height and gap <= GAP_FACTOR * max(height, 1):
                return True
    return False


def _crosses(row: list[Word], word: Word) -> bool:
    """True when `word` overlaps a word of the row horizontally (it belongs to another row)
    by more than `CROSS_SHARE` of the narrower one: neighbours on one line may touch by a
    few pixels (a junk 'word' read over a logo beside a caption)."""
    return any(_overlap(w, word) > CROSS_SHARE * min(_width(w), _width(word)) for w in row)


def _overlap(a: Word, b: Word) -> int:
    return min(a.box[2], b.box[2]) - max(a.box[0], b.box[0])


def _width(word: Word) -> int:
    return max(1, word.box[2] - word.box[0])


def clean_words(page: PageText) -> list[Word]:
    """The page's words without OCR noise (a text layer is kept as it is), each OCR box
    stretched over the next words of its own line cut back (`trim_spanning_boxes`)."""
    if page.source != "ocr" or len(page.words) < 3:
        return list(page.words)
    median = statistics.median(w.box[3] - w.box[1] for w in page.words)
    lines = _by_line(page.words)
    return trim_spanning_boxes(
        [w for w in page.words if not _noise(w, median, lines[(w.page, w.line)])]
    )


def _by_line(words: Sequence[Word]) -> dict[tuple[int, int], list[Word]]:
    """The words of each OCR text line, by (page, line)."""
    lines: dict[tuple[int, int], list[Word]] = {}
    for word in words:
        lines.setdefault((word.page, word.line), []).append(word)
    return lines


def trim_spanning_boxes(words: Sequence[Word]) -> list[Word]:
    """OCR words whose box runs over the words after it on its own text line ("EDWARD"
    boxed over the "J" beside it, "Statement" over "period: Jun 19 - Jul 19,") end where
    the first of those begins: otherwise the row would be split in two (`_crosses`) and
    a name or a date read in pieces. A word is covered when it starts inside the box, level
    with it, at least a word height after its start, and the box runs over it as far as
    would put it on another row ("MARIA" boxed over three quarters of the "A." after it,
    CT-S10088-0180: the initial, a row of its own, hid the name from the street under it)."""
    lines = _by_line(words)
    out: list[Word] = []
    for word in words:
        covered = [
            other.box[0]
            for other in lines[(word.page, word.line)]
            if other is not word
            and word.box[0] + _height(word) <= other.box[0] < word.box[2]
            and _overlap(word, other) > CROSS_SHARE * min(_width(word), _width(other))
            and _level(word, other)
        ]
        x0, y0, _x1, y1 = word.box
        if covered and min(covered) - x0 >= MIN_CHAR_WIDTH * _height(word) * len(word.text):
            word = replace(word, box=(x0, y0, min(covered) - 1, y1))
        out.append(word)
    return out


MIN_CHAR_WIDTH = 0.3
"""A trimmed box keeps at least this many word heights of width per character (a word
read twice, its two boxes nearly one, is left alone)."""


def _height(word: Word) -> int:
    return max(1, word.box[3] - word.box[1])


def _level(a: Word, b: Word) -> bool:
    overlap = min(a.box[3], b.box[3]) - max(a.box[1], b.box[1])
    return overlap >= JOIN_OVERLAP * min(a.box[3] - a.box[1], b.box[3] - b.box[1])


def _noise(word: Word, median: float, line: Sequence[Word]) -> bool:
    """A mark without a letter or digit (but a sure "#", a unit's: "3166 FRAN # 22" read
    without it made the street "FRAN 22", MA-O4127-0021), an unsure word of at most three
    letters far taller than the page's text (a portrait or a seal read as letters) and not
    glued to sure print of its `line` (`_glued`), or an unsure word of three characters or
    more standing on end, taller than wide (a page edge, a shadow or vertical print read as
    letters: no row of horizontal text is like it)."""
    alnum = sum(c.isalnum() for c in word.text)
    if alnum == 0:
        return not (word.text == "#" and word.confidence >= NOISE_CONFIDENCE)
    if word.confidence >= NOISE_CONFIDENCE:
        return False
    width, height = word.box[2] - word.box[0], word.box[3] - word.box[1]
    tall = height > NOISE_HEIGHT * median and not _glued(word, line)
    return (tall and alnum <= 3) or (alnum >= 3 and width < height)


GLUED_GAP = 0.5
"""A word this many of its heights or less from the word before or after it is glued to it."""


def _glued(word: Word, line: Sequence[Word]) -> bool:
    """`word` stands right beside a sure word of its line, level with it and of a text
    height it is not far taller than: the end of that print, not a seal. On a passport page
    of small labels, the large "1," ending the year "203 1," was dropped as tall noise and
    the printed expiry lost (MA-O4225-0032)."""
    height = _height(word)
    return any(
        other is not word
        and other.confidence >= NOISE_CONFIDENCE
        and _level(word, other)
        and NOISE_HEIGHT * _height(other) >= height
        and max(other.box[0] - word.box[2], word.box[0] - other.box[2]) <= GLUED_GAP * height
        for other in line
    )


def segments(page: PageText) -> list[Segment]:
    """The page's segments in reading order (rows top-down, left to right)."""
    out: list[Segment] = []
    words = clean_words(page)
    if not words:
        return out
    cap = NOISE_HEIGHT * statistics.median(w.box[3] - w.box[1] for w in words)
    for row_index, row in enumerate(_rows(words)):
        current: list[Word] = [row[0]]
        for word in row[1:]:
            prev = current[-1]
            # capped: a tall stray box must not bridge the gap between two phrases
            height = max(min(max(prev.box[3] - prev.box[1], word.box[3] - word.box[1]), cap), 1)
            if word.box[0] - prev.box[2] > GAP_FACTOR * height:
                out.append(Segment(tuple(current), row_index, page.page, page.source))
                current = []
            current.append(word)
        out.append(Segment(tuple(current), row_index, page.page, page.source))
    return out


def below(label: Box, segs: Sequence[Segment], height: int) -> Segment | None:
    """The nearest segment under a label box, horizontally overlapping or left-aligned with it."""
    best: tuple[int, Segment] | None = None
    for seg in segs:
        box = seg.box
        gap = box[1] - label[3]
        centre_below = (box[1] + box[3]) / 2 > label[3]  # a box stretched up by a stray mark
        if (gap < -height * 0.3 and not centre_below) or gap > BELOW_FACTOR * height:
            continue
        overlaps = box[0] < label[2] and label[0] < box[2]
        aligned = abs(box[0] - label[0]) <= 2 * height
        if (overlaps or aligned) and (best is None or gap < best[0]):
            best = (gap, seg)
    return best[1] if best else None


def next_rows(seg: Segment, segs: Sequence[Segment], count: int = 2) -> list[Segment]:
    """Up to `count` segments stacked under `seg`, each left-aligned with the previous one."""
    out: list[Segment] = []
    current = seg
    for _ in range(count):
        later = [s for s in segs if s.page == current.page and s.row > current.row]
        nxt = below(current.box, later, current.height)
        if nxt is None:
            break
        out.append(nxt)
        current = nxt
    return out


def above(seg: Segment, segs: Sequence[Segment], count: int = 2) -> list[Segment]:
    """Up to `count` segments stacked over `seg` (nearest first), left-aligned; by their
    boxes, whatever the order of their rows."""
    out: list[Segment] = []
    current = seg
    for _ in range(count):
        height = current.height
        best: tuple[int, Segment] | None = None
        for cand in segs:
            if cand.page != current.page or cand.row == current.row:
                continue  # rows are numbered per page; a later row may still stand above
                # (a tall stray mark's row swallowed the line under it): the gap decides
            box, cur = cand.box, current.box
            gap = cur[1] - box[3]
            if gap < -height * 0.3 or gap > BELOW_FACTOR * height:
                continue
            overlaps = box[0] < cur[2] and cur[0] < box[2]
            aligned = abs(box[0] - cur[0]) <= 2 * height
            if (overlaps or aligned) and (best is None or gap < best[0]):
                best = (gap, cand)
        if best is None:
            break
        out.append(best[1])
        current = best[1]
    return out
