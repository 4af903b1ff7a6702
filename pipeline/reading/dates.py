"""Find and parse dates in text lines, keeping the words (and box) each came from.

Formats: 03/14/2029, 3/14/29, 03-14-2029, 2029-03-14, 2029/03/14, 14.03.2029
(day-first with dots, or whenever the first number cannot be a month), 14 MAR 2029,
14MAR2029, 14-MAR-2029, MAR-14-2029, 14/Mar/29, 14 Mar/Mars 2029, March 14, 2029,
Mar 14 2029, Sept. 3rd 2026, the 11th day of February, 2026 (contracts), and the
OCR slips "Apr 2.2026" (comma read as a dot), "Sep 12026" (space lost: 5 digits
are a one-digit day and the year), "1108/2025" (the first slash lost: 11/08/2025) and
"1210512024" (slashes read as ones: 12/05/2024; ten digits so shaped are no number a card
prints by chance: about 7 in a million).
A document's own unambiguous numeric dates (`numeric_orders`) settle the order of its
ambiguous ones: "06.25.2026" on a page makes its "06.04.2026" June 4, not 6 April
(where none does, two or more year-less ones agreeing: a statement's "09/14", "09/27").
OCR noise is repaired conservatively: only inside runs that already look like a
numeric date (digits and separators), O/o -> 0 and l/L/I/| -> 1 (and a zero beginning
"0CT" before a number -> O), and in a two-character day beside a month name holding a
digit ("0S-FEB-2026"), also S -> 5; on request
(`zero_slips`, document dates) a 0 read as 6, 8 or 9 where no date could hold the digit
("Jul 19, 2626", "61-OCT-2026", "20626"). Two-digit years are
resolved against a reference date (`submitted_on`): past events never lie in the
future, expiry dates may. Pure functions, no I/O.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from models.internal import Box, PageText, Word
from pipeline.reading.layout import union_box

When = Literal["past", "future", "any"]

MONTHS = {
    "JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6,
    "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12,
}  # fmt: skip
_MON = (
    r"(?P<mon>JAN|FEB|MAR|APR|MAY|JUNE?|JULY?|AUG|SEPT?|OCT|NOV|DEC)[A-Z]*[!|]?\.?"
    r"(?:\s?/\s?[A-Z]{3,9}\.?)?"  # bilingual "MAR/MARS"
)
"""A month name; its last letter may be an 'l' read as '!' or '|' ("Apri!", "Jul|")."""
_Y = r"(?P<y>(?:19|20)\d{2}|\d{2})"
_MON_SEP = r"(?P<mon>JAN|FEB|MAR|APR|MAY|JUNE?|JULY?|AUG|SEPT?|OCT|NOV|DEC)[A-Z]{0,6}"
"""A month name between hyphens, slashes or dots ("17-FEB-2026", "FEB/17/26")."""
_NUMERIC = re.compile(r"(?<!\d)(?P<a>\d{1,2})(?P<s>[-/.])(?P<b>\d{1,2})(?P=s)" + _Y + r"(?![\d/])")
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "ymd",
        re.compile(
            r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<s>[-/.])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})(?!\d)"
        ),
    ),
    ("num", _NUMERIC),
    (
        "num",  # the slash between month and day lost to OCR: "1108/2025"
        re.compile(r"(?<![\d/])(?P<a>\d{2})(?P<b>\d{2})(?P<s>/)(?P<y>(?:19|20)\d{2})(?![\d/])"),
    ),
    (
        "num",  # a slash read as a 1: "1210512024" for 12/05/2024 (CT-O4101-0071)
        re.compile(
            r"(?<![\d/])(?P<a>[0-2]\d|3[01])(?P<s>[1/])(?P<b>[0-2]\d|3[01])(?P<t>[1/])"
            r"(?P<y>(?:19|20)\d{2})(?![\d/])"
        ),
    ),
    (
        "dmy",
        re.compile(
            r"(?<![\d])(?P<d>\d{1,2})(?:\s?(?:ST|ND|RD|TH)(?:\s+(?:DAY\s+)?OF)?)?\s?"
            + _MON
            + r"\s?,?\s?"
            + _Y
            + r"(?!\d)",
            re.I,
        ),
    ),
    (
        "mdy",
        re.compile(
            _MON
            + r"\s?(?P<d>\d{1,2})(?:ST|ND|RD|TH)?(?:\s*,\s*|\s+|\.\s?(?=(?:19|20)\d{2}))"
            + _Y
            + r"(?!\d)",
            re.I,
        ),
    ),
    (
        "mdy",
        re.compile(r"(?<![A-Z])" + _MON + r"\s?(?P<d>\d{1,2})(?P<y>(?:19|20)\d{2})(?!\d)", re.I),
    ),
    (
        "dmy",
        re.compile(
            # a space OCR put beside a separator: "06 -MAY-2026", "11-APR- 2026"
            r"(?<!\d)(?P<d>\d{1,2}) ?(?P<s>[-/.]) ?" + _MON_SEP + r"(?P=s) ?" + _Y + r"(?!\d)",
            re.I,
        ),
    ),
    (
        "mdy",
        re.compile(
            r"(?<![A-Z])" + _MON_SEP + r"(?P<s>[-/.])(?P<d>\d{1,2})(?P=s)" + _Y + r"(?!\d)", re.I
        ),
    ),
)
"""A day and a year are apart ("March 14, 2029"): "March 2025" is a month, not March 20."""
_NOISY_RUN = re.compile(r"[\dOoILl|]{1,4}[-/.][\dOoILl|]{1,2}[-/.][\dOoILl|]{2,4}")
_NOISE = str.maketrans({"O": "0", "o": "0", "I": "1", "L": "1", "l": "1", "|": "1"})
MONTH_ABBR = r"(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)"
"""The twelve months' three-letter abbreviations, as a regular-expression group."""
_NOISY_DAY = re.compile(
    r"(?<![A-Za-z0-9])(?P<day>[\dOoSIl|]{2})(?=[-/. ]?" + MONTH_ABBR + r")"
    r"|(?<=" + MONTH_ABBR + r"[-/. ])(?P<day2>[\dOoSIl|]{2})(?=[-/.,]\s?(?:19|20)\d{2}(?!\d))",
    re.I,
)
"""A day beside a month name, one of its two characters misread ("0S-FEB-2026")."""
_DAY_NOISE = str.maketrans({"O": "0", "o": "0", "S": "5", "I": "1", "l": "1", "|": "1"})


@dataclass(frozen=True)
class DateHit:
    """A date found in a string: value, character span, and whether the year had 2 digits."""

    date: dt.date
    start: int
    end: int
    two_digit_year: bool


@dataclass(frozen=True)
class FoundDate:
    """A date found on a page, with the words it was read from."""

    date: dt.date
    words: tuple[Word, ...]
    box: Box
    page: int
    line: int
    confidence: float
    two_digit_year: bool

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


_ZERO_LIKE = "689"
"""Digits OCR reads for a 0 in some faces ("2626" for 2026, "61-OCT" for 01-OCT)."""
_SLIP_MONTH = r"(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]*\.?"
_YEAR_SLIP = re.compile(
    r"(?P<pre>(?<![\d])\d{1,2}(?P<s>[-/.])\d{1,2}(?P=s)"
    r"|(?<![A-Z])" + _SLIP_MONTH + r"(?: ?[-/] ?| )?\d{1,2}(?:ST|ND|RD|TH)?(?:,\s?| ?[-/] ?|\s)"
    r"|(?<![\d])\d{1,2}(?:ST|ND|RD|TH)?(?: ?[-/] ?| )?" + _SLIP_MONTH + r"(?:,?\s| ?[-/] ?))"
    r"(?P<y>2[" + _ZERO_LIKE + r"]\d{2}|20[" + _ZERO_LIKE + r"]\d{2})(?!\d)",
    re.I,
)
"""A date's year whose second digit, a 0 misread, makes it impossible ("Jul 19, 2626"), or
five digits, the 0 read as two ("20626" for 2026); a space OCR put beside a separator
is kept ("20 -MAR-2626", MA-O4239-0086)."""
_DAY_SLIP = re.compile(
    r"(?<![\d])(?P<n>[" + _ZERO_LIKE + r"]\d)(?=[-/.]\d{1,2}[-/.](?:19|20)\d{2}(?!\d)"
    r"|\s?[-/. ]\s?" + _SLIP_MONTH + r"[-/.,]?\s?(?:19|20)\d{2}(?!\d))"
    r"|(?<=\d[-/.])(?P<m>[" + _ZERO_LIKE + r"]\d)(?=[-/.](?:19|20)\d{2}(?!\d))",
    re.I,
)
"""A date's day (or second number) over 31 whose first digit is a 0 misread ("61-OCT-2026")."""


def repair_zero_slips(text: str) -> str:
    """A 0 read as 6, 8 or 9 where it makes a date impossible: the second digit of a year
    ("2626" for 2026; "20626": the 0 read as "06") or the first digit of a day over 31
    ("69.11.2026" for 09.11.2026). Only inside runs shaped like dates, only digits no date
    can hold; same length (a five-digit year is followed by a space)."""

    def year(match: re.Match[str]) -> str:
        read = match.group("y")
        return match.group("pre") + "20" + read[-2:] + " " * (len(read) - 4)

    def day(match: re.Match[str]) -> str:
        number = match.group(0)
        return "0" + number[1] if int(number) > 31 else number

    return _DAY_SLIP.sub(day, _YEAR_SLIP.sub(year, text))


_SPLIT_DAY = re.compile(
    r"(?<![\d/.-])(?P<a>\d{1,2})(?P<s>[-/.])(?P<b>\d) (?P<c>\d)(?P=s)(?:19|20)\d{2}(?![\d/])"
)
"""A numeric date with a four-digit year whose second number OCR split with a space
("08/3 1/2026", MA-S10017-0107): neither half is a date on its own. (Not the first number:
a digit before a date, "Page 1 1/15/2026", would join it.)"""


_SPLIT_YEAR = re.compile(
    r"(?P<pre>(?<![A-Za-z0-9])\d{1,2}[-/. ]?" + _SLIP_MONTH + r"[-/ ]"
    r"|(?<![A-Za-z])" + _SLIP_MONTH + r" \d{1,2},? )"
    r"(?P<y>(?:19|20)\d) (?P<c>[\dIiLl|])(?![A-Za-z0-9])",
    re.I,
)
"""A month-name date whose four-digit year OCR split before its last digit, that digit
perhaps read as a look-alike of 1 ("06 APR 203 i," for 06 APR 2031, MA-O4225-0032: the
passport's printed expiry was lost, and with it the witness of its altered check digit)."""
_ONE_LIKE = _NOISE | str.maketrans({"i": "1"})
"""`_NOISE`, and a lower-case i: the last digit's look-alikes of 1 (0 is matched as is)."""


def repair_split(text: str) -> str:
    """Close the space OCR put inside a numeric date's second number (`_SPLIT_DAY`: the
    space moves to the date's end) or before the last digit of a month-name date's year
    (`_SPLIT_YEAR`: the space moves to its start, so that the date still spans the word of
    its last digit); every other character keeps its place."""

    def join(match: re.Match[str]) -> str:
        return match.group(0).replace(" ", "", 1) + " "

    def join_year(match: re.Match[str]) -> str:
        digit = match.group("c").translate(_ONE_LIKE)
        return " " + match.group("pre") + match.group("y") + digit

    return _SPLIT_YEAR.sub(join_year, _SPLIT_DAY.sub(join, text))


_ZERO_OCTOBER = re.compile(r"(?<![A-Z\d])0(?=CT(?:OBER)?\.?[-/ .,]*\d)", re.I)
"""October's O read as a zero before a day or year ("14-0CT-2625", CT-O4237-0033: no date,
and a bill 236 days old passed): the only month a zero can begin."""


_TILDE_DASH = re.compile(
    r"(?<![\d])(?P<d>\d{1,2})(?P<a>[-~])(?P<m>" + MONTH_ABBR + r"[A-Z]{0,6})(?P<b>[-~])"
    r"(?P<y>(?:19|20)\d{2})(?!\d)",
    re.I,
)
"""A hyphen OCR read as a tilde in a month-name date ("24-MAR~2026", MA-O4283-0025: the
statement's own date lost, a bill 113 days old passed with a warning)."""


def repair_noise(text: str) -> str:
    """Replace look-alike letters by digits inside runs shaped like numeric dates (same
    length), a zero beginning October's name by its O (`_ZERO_OCTOBER`), and a tilde beside
    a hyphen in a month-name date by a hyphen (`_TILDE_DASH`)."""

    def dash(match: re.Match[str]) -> str:
        if "-" not in (match.group("a"), match.group("b")):
            return match.group(0)  # "24~MAR~2026": no hyphen to say what the tildes are
        return f"{match.group('d')}-{match.group('m')}-{match.group('y')}"

    def fix(match: re.Match[str]) -> str:
        run = match.group(0)
        digits = sum(c.isdigit() for c in run)
        return run.translate(_NOISE) if digits >= max(4, len(run) // 2) else run

    def fix_day(match: re.Match[str]) -> str:
        day = match.group(0)
        return day.translate(_DAY_NOISE) if any(c.isdigit() for c in day) else day

    text = _TILDE_DASH.sub(dash, _ZERO_OCTOBER.sub("O", text))
    return _NOISY_DAY.sub(fix_day, _NOISY_RUN.sub(fix, text))


def century(year: int, two_digit: bool, when: When, ref: dt.date) -> int:
    """A four-digit year for `year` (left alone when it already had four digits)."""
    if not two_digit:
        return year
    pivot = ref.year % 100
    full = 2000 + year
    if when == "past":
        return full if year <= pivot else full - 100
    if when == "future":
        return full if year <= pivot + 50 else full - 100
    return full if year <= pivot + 20 else full - 100


def _make(y: int, m: int, d: int) -> dt.date | None:
    try:
        value = dt.date(y, m, d)
    except ValueError:
        return None
    return value if 1900 <= value.year <= 2100 else None


Orders = Mapping[str, bool]
"""Per separator ("/", "-", "."), whether a document writes its numeric dates day first."""


def _numeric(
    a: int, b: int, sep: str, day_first: bool, orders: Orders | None = None
) -> tuple[int, int] | None:
    """(month, day) from two numbers: month first (US) unless dots, day_first, or a > 12;
    `orders` (what the document's own unambiguous dates show) overrides the convention, and
    a month of 16, 18 or 19 against it is a 10 with its 0 misread (`_zero_slip`)."""
    if orders and sep in orders:
        month = b if orders[sep] else a
        if month > 12 and _zero_slip(month):
            return 10, a if orders[sep] else b
    if a > 12 and b <= 12:
        return b, a
    if b > 12 and a <= 12:
        return a, b
    if a > 12 and b > 12:
        return None
    if orders and sep in orders:
        return (b, a) if orders[sep] else (a, b)
    return (b, a) if (day_first or sep == ".") else (a, b)


def numeric_orders(texts: Iterable[str]) -> dict[str, bool]:
    """The order a document writes its numeric dates in, per separator, from the dates that
    can only be read one way ("06.25.2026": month first; "25/06/2026": day first), or that
    the document also writes with a month name in one reading only ("10.04.2026" beside
    "October 4, 2026": month first): day first (True) or month first (False), only where
    every such date agrees."""
    cleaned = [repair_noise(text) for text in texts]
    named = _named_dates(cleaned)
    votes: dict[str, set[bool]] = {}
    sure: dict[str, set[bool]] = {}
    for text in cleaned:
        for match in _NUMERIC.finditer(text):
            a, b = int(match.group("a")), int(match.group("b"))
            order = _only_order(a, b)
            slip = order is not None and _zero_slip(a if order else b)
            if order is None:
                order = _order_by_name(a, b, match.group("y"), named)
            if order is not None:
                votes.setdefault(match.group("s"), set()).add(order)
                if not slip:
                    sure.setdefault(match.group("s"), set()).add(order)
    for sep, order in _yearless_orders(cleaned).items():
        sure.setdefault(sep, {order})
    agreed = {sep: sure.get(sep) or votes[sep] for sep in votes.keys() | sure.keys()}
    return {sep: next(iter(v)) for sep, v in agreed.items() if len(v) == 1}


def _only_order(a: int, b: int) -> bool | None:
    """Day first (True) or month first (False) when the two numbers make a date in that
    order only ("25/06", "06/25"); None when they make one both ways or neither ("69/03" is
    no day: a misread 09)."""
    if 31 >= a > 12 >= b >= 1:
        return True
    if 31 >= b > 12 >= a >= 1:
        return False
    return None


_YEARLESS = re.compile(r"(?<![\d/.,$-])(?P<a>\d{1,2})/(?P<b>\d{1,2})(?![\d/])")
"""A month and day without a year, as a statement's transaction table writes them ("09/14")."""


def _yearless_orders(texts: Iterable[str]) -> dict[str, bool]:
    """The order of a document's year-less dates ("09/14", "09/27": month first), when two
    or more different ones can only be read one way and all agree: they weigh where no dated
    numeric date settles it (MA-S10086-0191: a statement's transaction dates are month first,
    so "10/07/2026" is October 7 even beside "16/07/2026", its 0 misread). One alone, or any
    that disagrees ("24/7"), says nothing."""
    found: dict[bool, set[tuple[int, int]]] = {True: set(), False: set()}
    for text in texts:
        for match in _YEARLESS.finditer(text):
            a, b = int(match.group("a")), int(match.group("b"))
            if (order := _only_order(a, b)) is not None:
                found[order].add((a, b))
    agreed = [order for order, pairs in found.items() if len(pairs) >= 2]
    return {"/": agreed[0]} if len(agreed) == 1 and not found[not agreed[0]] else {}


def against_the_order(found: Sequence[FoundDate]) -> list[FoundDate]:
    """The numeric dates of `found` that can be read one way only, where two or more dates
    of the same separator, outnumbering them, can be read only the other way: a card prints
    its dates one way, so "14-02-1942" beside "03-19-2030" and "03-25-2022" is a misread
    11-02-1942 (MA-S10087-0040, a licence photographed upside down), not February 14."""
    ways = {id(date): way for date in found if (way := _one_way(date.text)) is not None}
    counts: dict[tuple[str, bool], int] = {}
    for way in ways.values():
        counts[way] = counts.get(way, 0) + 1
    return [
        date
        for date in found
        if (way := ways.get(id(date))) is not None
        and counts.get((way[0], not way[1]), 0) >= 2
        and counts[(way[0], not way[1])] > counts[way]
    ]


def _one_way(text: str) -> tuple[str, bool] | None:
    """(separator, day first) of a numeric date that can be read only one way, else None."""
    match = _NUMERIC.search(repair_noise(text))
    if match is None:
        return None
    order = _only_order(int(match.group("a")), int(match.group("b")))
    return None if order is None else (match.group("s"), order)


def _zero_slip(number: int) -> bool:
    """The number that decides a date's order may be a 10 with its 0 misread (16, 18, 19):
    its vote gives way to votes no slip explains ("16/05/2026" for 10/05/2026 on a bill whose
    other dates are month first, "10/23/2026", MA-O4169-0024)."""
    return number // 10 == 1 and str(number % 10) in _ZERO_LIKE


def _named_dates(texts: Iterable[str]) -> set[dt.date]:
    """The dates written with a month name and a four-digit year ("October 4, 2026")."""
    out: set[dt.date] = set()
    for text in texts:
        for kind, pattern in _PATTERNS:
            if kind not in ("dmy", "mdy"):
                continue
            for match in pattern.finditer(text):
                year = match.group("y")
                month = MONTHS.get(match.group("mon")[:3].upper())
                if len(year) != 4 or month is None:
                    continue
                try:
                    out.add(dt.date(int(year), month, int(match.group("d"))))
                except ValueError:
                    continue
    return out


def _order_by_name(a: int, b: int, year: str, named: set[dt.date]) -> bool | None:
    """Day first (True) or month first (False) when exactly one reading of an ambiguous
    numeric date is a date the document writes with a month name; else None."""
    if len(year) != 4 or a == b:
        return None
    readings = []
    for day_first, (month, day) in ((True, (b, a)), (False, (a, b))):
        try:
            readings.append((day_first, dt.date(int(year), month, day) in named))
        except ValueError:
            continue
    found = [day_first for day_first, hit in readings if hit]
    return found[0] if len(found) == 1 else None


def find_in_text(
    text: str,
    ref: dt.date,
    when: When = "any",
    day_first: bool = False,
    orders: Orders | None = None,
    zero_slips: bool = False,
) -> list[DateHit]:
    """Every date in `text`, left to right, without overlaps (`zero_slips`: with a 0 read
    as 6, 8 or 9 repaired where it made a date impossible, see `repair_zero_slips`)."""
    clean = repair_split(repair_noise(text))
    if zero_slips:
        clean = repair_zero_slips(clean)
    candidates = [
        hit
        for kind, pattern in _PATTERNS
        for match in pattern.finditer(clean)
        if (hit := _hit(kind, match, ref, when, day_first, orders)) is not None
    ]
    # Four-digit years first, then longer matches: "2 MAY 12 1990" is May 12, 1990.
    candidates.sort(key=lambda h: (h.two_digit_year, h.start - h.end, h.start))
    hits: list[DateHit] = []
    for hit in candidates:
        if not any(hit.start < h.end and h.start < hit.end for h in hits):
            hits.append(hit)
    return sorted(hits, key=lambda h: h.start)


def _hit(
    kind: str,
    m: re.Match[str],
    ref: dt.date,
    when: When,
    day_first: bool,
    orders: Orders | None = None,
) -> DateHit | None:
    groups = m.groupdict()
    year_text = groups["y"]
    two = len(year_text) == 2
    year = century(int(year_text), two, when, ref)
    if kind == "ymd":
        value = _make(year, int(groups["m"]), int(groups["d"]))
    elif kind == "num":
        sep = groups["s"] if groups["s"] in "-/." else "/"  # a "1" read for a slash
        md = _numeric(int(groups["a"]), int(groups["b"]), sep, day_first, orders)
        value = _make(year, *md) if md else None
    else:
        value = _make(year, MONTHS[groups["mon"].upper()[:3]], int(groups["d"]))
    if value is None:
        return None
    return DateHit(value, m.start(), m.end(), two)


def parse_date(
    text: str, ref: dt.date, when: When = "any", day_first: bool = False
) -> dt.date | None:
    """The first date in `text`, or None."""
    hits = find_in_text(text, ref, when, day_first)
    return hits[0].date if hits else None


def line_string(words: Sequence[Word]) -> tuple[str, list[tuple[int, int]]]:
    """The words joined by spaces, with each word's character span."""
    spans: list[tuple[int, int]] = []
    parts: list[str] = []
    pos = 0
    for word in words:
        spans.append((pos, pos + len(word.text)))
        parts.append(word.text)
        pos += len(word.text) + 1
    return " ".join(parts), spans


def words_in_span(
    words: Sequence[Word], spans: list[tuple[int, int]], start: int, end: int
) -> tuple[Word, ...]:
    """The words whose characters overlap [start, end)."""
    return tuple(w for w, (s, e) in zip(words, spans, strict=True) if s < end and start < e)


def find_in_words(
    words: Sequence[Word],
    ref: dt.date,
    when: When = "any",
    day_first: bool = False,
    orders: Orders | None = None,
    zero_slips: bool = False,
) -> list[FoundDate]:
    """Dates in one line of words, each with its words, box and confidence."""
    if not words:
        return []
    text, spans = line_string(words)
    out: list[FoundDate] = []
    for hit in find_in_text(text, ref, when, day_first, orders, zero_slips):
        used = words_in_span(words, spans, hit.start, hit.end)
        if not used:
            continue
        conf = min(w.confidence for w in used)
        out.append(
            FoundDate(
                hit.date,
                used,
                union_box(used),
                used[0].page,
                used[0].line,
                conf,
                hit.two_digit_year,
            )
        )
    return out


def find_dates(pages: Iterable[PageText], ref: dt.date, when: When = "any") -> list[FoundDate]:
    """Every date on the pages, line by line, in reading order."""
    return [
        found for page in pages for line in page.lines for found in find_in_words(line, ref, when)
    ]
