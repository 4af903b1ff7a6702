"""Stage `read_mrz` and check `check_mrz`: the machine-readable zone of passports and cards.

On identity documents, the MRZ band is located from the words the OCR stage already
read (text lines dense in '<' or in capitals and digits, grouped when adjacent); when
none is found but the text says "passport", the bottom of the first page is tried.
Each band (at most `mrz.max_bands`) is cropped across the page, scaled to a fixed
line height and OCRed with Tesseract restricted to the MRZ alphabet. The lines are
normalised and repaired (`pipeline.reading.mrz_repair`: repairs kept only where check
digits confirm them) and validated with the `mrz` package. `doc.mrz` gets the best
read; its fields carry source "mrz".

`check_mrz` raises MRZ_INVALID only when the zone was read confidently (exact lengths of
the lines that check digits cover, digits where digits belong, and either good OCR
confidence or two reads at different scales failing the same checks on the same
characters) and a check digit fails. A check digit read as a letter is taken as its
look-alike digit, but such a guess is conclusive only when another read (even one whose
filler run was padded back) gives the same digit: an altered digit repeats, noise not.
Nor is a failure conclusive when the values printed on the page (dates, document number;
on a card's back, those its front prints: `lend_front_to_back`),
written into the zone in place of its own, satisfy every check digit: OCR misread one
character of a sound zone (a digit misread as another digit no look-alike repair finds);
nor when easily misread digits of the failing fields, read as a witness (the printed value,
the declared expiry, or for a date the zone cannot hold the one calendar date a digit
away), make every check digit agree (`witnessed_zone`, whose expiry `check_expiry` uses).
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import re
import statistics
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

import numpy as np

from models.flags import FlagCode
from models.internal import (
    Box,
    CheckResult,
    DocumentState,
    FieldValue,
    MrzRecord,
    Page,
    PageText,
    Word,
)
from pipeline.config import MrzConfig
from pipeline.context import Context
from pipeline.reading.classify import card_sides
from pipeline.reading.mrz_repair import (
    ALPHABET,
    LAYOUTS,
    SLASH_SEVEN,
    TO_DIGIT,
    Check,
    Kind,
    Layout,
    char_value,
    check_ok,
    failed_hashes,
    failing_checks,
    parse_fields,
    read_zone,
)
from pipeline.tools import cv, tesseract

log = logging.getLogger(__name__)

PASSPORT_CUE = re.compile(r"PASSPORT|PASSEPORT|PASAPORTE|\bP<[A-Z]{3}")
FALLBACK_BAND = 0.32
"""Share of the page height, at the bottom, OCRed when no band was found in the text."""
PAD_PX = 24
VALID_CONFIDENCE = 0.95
MIN_ZONE_LINES = 2
"""Lines of the shortest zone (TD2, TD3)."""


@dataclass(frozen=True)
class _Band:
    page: int
    box: Box
    line_height: int
    score: float
    lines: int = 0
    """Zone lines the page's text showed in it (0: a band not found in the text)."""


def read_mrz(doc: DocumentState, ctx: Context) -> DocumentState:
    """Stage: find, OCR, repair and validate the MRZ of an identity document."""
    if doc.role != "identity" or doc.stopped is not None or not doc.pages:
        return doc
    cfg = ctx.config.mrz
    pages = {p.index: p for p in doc.pages[: cfg.max_pages]}
    bands = _bands_from_text(doc.text, pages, cfg) or _fallback_bands(doc, pages)
    best: MrzRecord | None = None
    for band in bands[: cfg.max_bands]:
        record = _read_band(pages[band.page], band, ctx)
        if record is not None and (best is None or _rank(record) > _rank(best)):
            best = record
        if best is not None and best.valid:
            break
    if best is None:
        return doc
    log.info("mrz read", extra={"document_id": doc.document_id, "valid": best.valid})
    return replace(doc, mrz=best)


def check_mrz(doc: DocumentState, ctx: Context) -> CheckResult | None:
    """MRZ_INVALID: a confidently read zone whose check digits do not all agree."""
    mrz = doc.mrz
    if mrz is None:
        return None
    where = f"the {mrz.kind} machine-readable zone on page {mrz.page + 1}"
    if mrz.valid:
        return CheckResult("mrz.check_digits", "pass", 1.0, f"{where}: every check digit agrees")
    failed = ", ".join(mrz.failed_checks) or "structure"
    printed = printed_values(doc)
    composite_only = witnessed_composite_fails(mrz, printed)
    if composite_only:
        failed = "composite; the other failing fields, read as printed, satisfy their own"
    if (
        not mrz.confident
        and not printed_fields_confirm(mrz, printed)
        and not composite_only
        and not page_reads_guesses(mrz, doc.text)
    ):
        detail = f"{where} was read poorly; failing checks ({failed}) are not conclusive"
        return CheckResult("mrz.check_digits", "warn", 0.5, detail)
    if _only_empty_fields_fail(mrz):
        detail = (
            f"{where}: the check digit of an empty field fails ({failed}); it protects no "
            "data (ICAO 9303 allows only 0 or '<' there): read as an OCR misread"
        )
        return CheckResult("mrz.check_digits", "warn", 0.7, detail)
    if printed_fields_agree(mrz, printed):
        detail = (
            f"{where}: check digit(s) failed ({failed}), but the values printed {_apart(doc)} "
            "satisfy every check digit: OCR misread the zone's characters"
        )
        return CheckResult("mrz.check_digits", "warn", 0.7, detail)
    if page_reads_check_digits(mrz, doc.text):
        detail = (
            f"{where}: check digit(s) failed ({failed}), but the page's own reading of the "
            "zone reads the failing check digit(s) otherwise, and with them every check "
            "digit agrees: OCR misread the zone's characters"
        )
        return CheckResult("mrz.check_digits", "warn", 0.7, detail)
    if witnessed_zone(mrz, printed, doc.declared_expiry_date) is not None:
        detail = (
            f"{where}: check digit(s) failed ({failed}), but the zone's values, with easily "
            "misread digits read as the printed or declared values, satisfy every check "
            "digit: OCR misread the zone's characters"
        )
        return CheckResult("mrz.check_digits", "warn", 0.7, detail)
    return CheckResult(
        "mrz.check_digits",
        "fail",
        0.0,
        f"{where}: check digit(s) failed: {failed}",
        flag=FlagCode.MRZ_INVALID,
        message=f"The check digits of {where} do not agree ({failed}): the zone may have been "
        "altered or mistyped.",
        applicant_message="We could not verify the machine-readable lines at the bottom of your "
        "passport. Please upload a clear, complete picture of the photo page.",
        evidence={"failed_checks": list(mrz.failed_checks), "kind": mrz.kind},
    )


def printed_values(doc: DocumentState) -> dict[str, FieldValue]:
    """The values printed apart from the zone: the document's own, else those its other
    side prints (`lend_front_to_back`)."""
    own = {name: fv for name, fv in doc.fields.items() if fv.source != "mrz"}
    return {**doc.witnesses, **own}


def _apart(doc: DocumentState) -> str:
    """Where the values read apart from the zone were printed, for the reviewer."""
    return "on the page or on the card's front" if doc.witnesses else "on the page"


def lend_front_to_back(docs: tuple[DocumentState, ...]) -> tuple[DocumentState, ...]:
    """A reviewer reads a card's zone, on its back, against what its front prints: when
    the application holds one identity front and one identity back that has a zone, the
    front's values read apart from any zone become the back's `witnesses` (a passport
    card's number printed 'C62248775' on its front, its zone read 'C622487153' on the
    back, a 7 read as 1: a misread, not an altered zone, CT-O4253-0059). Nothing changes
    for any other document."""
    sides = card_sides(docs)
    if sides is None or sides[1].mrz is None:
        return docs
    front, back = sides
    lent = {n: fv for n, fv in front.fields.items() if fv.source not in ("mrz", "barcode")}
    if not lent:
        return docs
    return tuple(replace(d, witnesses=lent) if d is back else d for d in docs)


def _only_empty_fields_fail(mrz: MrzRecord) -> bool:
    """Every failing check covers fillers only (an unused optional-data field): nothing
    it protects can have been altered, and the composite agrees with the zone, as read or
    once those empty fields' check digits are read as the '0' ICAO 9303 allows there (the
    composite covers them: a '0' misread '9' fails both, MA-O4205-0049)."""
    checks = {c.name: c for c in LAYOUTS[mrz.kind].checks}
    failing = [checks[n] for n in mrz.failed_checks if n in checks]
    empty = [
        c for c in failing if c.name != "composite" and set(_covered_text(mrz.lines, c)) <= {"<"}
    ]
    others = [c for c in failing if c not in empty]
    if not empty or any(c.name != "composite" for c in others):
        return False
    if not others:
        return True
    grid = [list(line) for line in mrz.lines]
    if [len(row) for row in grid] != _line_lengths(LAYOUTS[mrz.kind]):
        return False
    for check in empty:
        line, at = check.digit
        grid[line][at] = "0"
    return check_ok(grid, checks["composite"])


def _covered_text(lines: tuple[str, ...], check: Check) -> str:
    return "".join(lines[ln][start:end] for ln, start, end in check.spans)


PAGE_WITNESS_CONTEXT = 6
"""Characters before a check digit that locate it in the page's reading of the zone."""


def page_reads_check_digits(mrz: MrzRecord, pages: tuple[PageText, ...]) -> bool:
    """True when the page's own reading of the zone (the page's OCR, another engine call at
    another scale than the band's reads) reads each failing check digit of a field, right
    after the same `PAGE_WITNESS_CONTEXT` characters as the zone, as another digit, and
    with those digits every check agrees. A check digit '7' read '1' by two reads of the
    band (a systematic misread, so they agreed and looked sure) the page read '7'
    (MA-S10036-0144); an altered check digit reads as printed on the page too."""
    found = _failing_fields(mrz)
    if found is None:
        return False
    grid, failing = found
    texts = _page_lines(pages)
    for check in failing:
        line, pos = check.digit
        seen = _page_reads(mrz.lines[line], pos, texts)
        digits = {d for d in seen if d.isdigit() and d != grid[line][pos]}
        if len(digits) != 1 or len(seen) != 1:
            return False
        grid[line][pos] = digits.pop()
    return all(check_ok(grid, c) for c in LAYOUTS[mrz.kind].checks)


def page_reads_guesses(mrz: MrzRecord, pages: tuple[PageText, ...]) -> bool:
    """True when a sound zone whose only failing check is the composite is unsure only for
    its guesses (check digits read as letters, taken as their look-alike digit), and the
    page's own reading of the zone reads each guessed check digit as that very digit: the
    guess is read twice, and the failure is the zone's. A passport's altered final digit
    '0', read 'Q' by the band and '0' by the page (its line ending "(Q0"), passed as a poor
    read (MA-S10089-0054). A check digit is found after the same `PAGE_WITNESS_CONTEXT`
    characters as in the zone, the line's last one at the end of the page's line that
    begins as the zone's does."""
    if not mrz.sound or mrz.failed_checks != ("composite",):
        return False
    guessed = [check.digit for check in LAYOUTS[mrz.kind].checks if _guessed(mrz, *check.digit)]
    texts = _page_lines(pages)
    return bool(guessed) and all(
        _page_reads(mrz.lines[line], pos, texts) == {mrz.lines[line][pos]} for line, pos in guessed
    )


def _guessed(mrz: MrzRecord, line: int, pos: int) -> bool:
    """The zone's check digit at (line, pos) was read as a letter (the raw read aligned)."""
    if len(mrz.raw) != len(mrz.lines) or len(mrz.raw[line]) != len(mrz.lines[line]):
        return False
    return mrz.raw[line][pos].isalpha() and mrz.lines[line][pos].isdigit()


def _page_lines(pages: tuple[PageText, ...]) -> list[str]:
    """The page's text lines, their words joined without spaces (as a zone's line)."""
    return ["".join(w.text for w in line) for page in pages for line in page.lines]


def _page_reads(zone_line: str, pos: int, texts: list[str]) -> set[str]:
    """What the page's reading of the zone has at position `pos` of `zone_line`."""
    if pos == len(zone_line) - 1:
        start = zone_line[:PAGE_WITNESS_CONTEXT]
        return {text[-1] for text in texts if text.startswith(start)}
    context = zone_line[max(0, pos - PAGE_WITNESS_CONTEXT) : pos]
    return {
        text[at + len(context)]
        for text in texts
        for at in _occurrences(text, context)
        if at + len(context) < len(text)
    }


def _failing_fields(mrz: MrzRecord) -> tuple[list[list[str]], list[Check]] | None:
    """The zone as a grid of characters and its failing field checks (the composite aside);
    None unless the zone has its kind's shape and some field check fails."""
    layout = LAYOUTS[mrz.kind]
    grid = [list(line) for line in mrz.lines]
    if [len(row) for row in grid] != _line_lengths(layout):
        return None
    failing = [c for c in layout.checks if c.name != "composite" and not check_ok(grid, c)]
    return (grid, failing) if failing else None


def _occurrences(text: str, part: str) -> list[int]:
    return [m.start() for m in re.finditer(f"(?={re.escape(part)})", text)] if part else []


_PRINTED_FIELDS = {
    "date of birth": "date_of_birth",
    "expiry date": "expiry_date",
    "document number": "document_number",
}


def printed_fields_agree(mrz: MrzRecord, fields: Mapping[str, FieldValue]) -> bool:
    """True when the zone's failing checks cover only fields also printed on the page (the
    dates, the document number), and writing the printed values (read apart from the zone)
    in place of the zone's makes every check digit agree: OCR misread a character of the
    zone, the zone itself is sound. An altered check digit fails with the printed values
    as well."""
    found = _failing_printed(mrz, fields)
    if found is None:
        return False
    grid, failing = found
    for check, printed in failing:
        line, start, end = check.spans[0]
        grid[line][start:end] = list(printed)
    return all(check_ok(grid, c) for c in LAYOUTS[mrz.kind].checks)


def _failing_printed(
    mrz: MrzRecord, fields: Mapping[str, FieldValue]
) -> tuple[list[list[str]], list[tuple[Check, str]]] | None:
    """The zone as a grid and its failing checks (the composite aside), each with the value
    printed on the page for the field it protects, as the zone writes it; None unless the
    zone has its kind's shape and every failing check's field was printed and read."""
    found = _failing_fields(mrz)
    if found is None or any(c.name not in _PRINTED_FIELDS for c in found[1]):
        return None
    grid, failing = found
    printed = []
    for check in failing:
        _, start, end = check.spans[0]
        text = _printed_text(fields.get(_PRINTED_FIELDS[check.name]), end - start)
        if text is None:
            return None
        printed.append((check, text))
    return grid, printed


MRZ_CONFUSABLE = frozenset(
    {frozenset(pair) for pair in itertools.combinations("035689", 2)}
    | {frozenset("17"), frozenset("49")}
)
"""Digit pairs OCR reads for one another in a zone's font (rounded 0/3/5/6/8/9, 1/7, 4/9)."""
MAX_WITNESSED_SLIPS = 2
"""Digits of one field a witness may correct at most."""


def witnessed_zone(
    mrz: MrzRecord, fields: Mapping[str, FieldValue], declared_expiry: dt.date | None
) -> tuple[str, ...] | None:
    """The zone's lines once each failing field is read as a witness value, when that makes
    every check digit (the composite too) agree; else None.

    What a careful reviewer does with a failing zone: a witness is the value printed on the
    page (read apart from the zone) or, for the expiry, the one the applicant declared; it
    is taken only where it differs from the zone's value in at most `MAX_WITNESSED_SLIPS`
    digits, each an easily misread pair (MRZ_CONFUSABLE: '331100' read for '331106'). Two
    check digits and an independent witness then agree that OCR, not the zone, was wrong
    (MA-O3919-0069: the printed expiry was not read, the declared one was right). An altered
    check digit is never explained away: its field's value, read right, equals the witness
    and leaves nothing to correct.

    A date the zone cannot hold (day 00, month 13: no issuer writes one, and an altered
    check digit leaves the date as it was) is its own witness of a misread: its one-digit
    confusable substitutions that make it a calendar date are tried, and kept only when
    exactly one reading of the zone satisfies every check digit."""
    found = _witness_options(mrz, fields, declared_expiry)
    if found is None:
        return None
    grid, options, guessed = found
    agreeing = []
    for trial in _trials(grid, options):
        if all(check_ok(trial, c) for c in LAYOUTS[mrz.kind].checks):
            agreeing.append(tuple("".join(row) for row in trial))
            if not guessed:
                break
    return agreeing[0] if len(agreeing) == 1 else None


def witnessed_composite_fails(mrz: MrzRecord, fields: Mapping[str, FieldValue]) -> bool:
    """The failing fields, read as printed on the page (as `witnessed_zone` reads them;
    neither the declared expiry nor a guessed date: this convicts, it does not excuse),
    satisfy their own check digits, and the composite still fails: the zone is consistent
    but for its composite digit, which is what an altered one looks like, however poorly
    the zone was read ("BO2283321" for the printed B02283321 beside an altered final
    digit, MA-O4193-0019, only warned)."""
    found = _witness_options(mrz, fields, None)
    if found is None or found[2]:
        return False
    grid, options, _ = found
    checks = LAYOUTS[mrz.kind].checks
    composite = next(c for c in checks if c.name == "composite")
    fields_agree = [
        t
        for t in _trials(grid, options)
        if all(check_ok(t, c) for c in checks if c is not composite)
    ]
    return bool(fields_agree) and not any(check_ok(t, composite) for t in fields_agree)


_Options = list[list[tuple[Check, str]]]


def _witness_options(
    mrz: MrzRecord, fields: Mapping[str, FieldValue], declared_expiry: dt.date | None
) -> tuple[list[list[str]], _Options, bool] | None:
    """The zone's grid, each failing field's witness readings (see `witnessed_zone`), and
    whether any is a guessed calendar date; None when a failing field has none."""
    found = _failing_fields(mrz)
    if found is None or any(c.name not in _PRINTED_FIELDS for c in found[1]):
        return None
    grid, failing = found
    options: _Options = []
    guessed = False
    for check in failing:
        line, start, end = check.spans[0]
        read = "".join(grid[line][start:end])
        witnesses = [fields.get(_PRINTED_FIELDS[check.name])]
        if check.name == "expiry date" and declared_expiry is not None:
            witnesses.append(FieldValue(declared_expiry, "declared", 1.0))
        texts = {_printed_text(w, end - start) for w in witnesses}
        usable = sorted(t for t in texts if t is not None and _slips_only(read, t))
        if not usable and check.name in _DATE_CHECKS and not _calendar_date(read):
            usable = _calendar_readings(read)
            guessed = True
        if not usable:
            return None
        options.append([(check, text) for text in usable])
    return grid, options, guessed


def _trials(grid: list[list[str]], options: _Options) -> Iterator[list[list[str]]]:
    """The grid with each combination of the witness readings written in."""
    for combo in itertools.product(*options):
        trial = [row[:] for row in grid]
        for check, text in combo:
            line, start, end = check.spans[0]
            trial[line][start:end] = list(text)
        yield trial


_DATE_CHECKS = frozenset({"date of birth", "expiry date"})


def _calendar_date(text: str) -> bool:
    """A YYMMDD that names a day of the calendar."""
    if len(text) != 6 or not text.isdigit():
        return False
    try:
        dt.date(2000 + int(text[:2]), int(text[2:4]), int(text[4:]))
    except ValueError:
        return False
    return True


def _calendar_readings(read: str) -> list[str]:
    """The calendar dates one easily misread digit away from `read`."""
    out = []
    for at, char in enumerate(read):
        for pair in MRZ_CONFUSABLE:
            if char not in pair:
                continue
            (other,) = pair - {char}
            trial = read[:at] + other + read[at + 1 :]
            if _calendar_date(trial):
                out.append(trial)
    return sorted(set(out))


def _slips_only(read: str, witness: str) -> bool:
    """`read` differs from `witness` in 1 to MAX_WITNESSED_SLIPS positions, each a digit
    misread as an easily confused digit (or a letter standing for such a digit)."""
    if len(read) != len(witness):
        return False
    diff = [(a, b) for a, b in zip(read, witness, strict=True) if a != b]
    if not 0 < len(diff) <= MAX_WITNESSED_SLIPS:
        return False
    for a, b in diff:
        digit = a if a.isdigit() else TO_DIGIT.get(a, "")
        if (
            not b.isdigit()
            or not digit
            or (digit != b and frozenset((digit, b)) not in MRZ_CONFUSABLE)
        ):
            return False
    return True


def printed_fields_confirm(mrz: MrzRecord, fields: Mapping[str, FieldValue]) -> bool:
    """True when every failing check of a zone of the right shape covers a field printed on
    the page (read apart from the zone) whose printed value is exactly the zone's, and its
    check digit was read as a digit: the characters the check protects are confirmed, so
    the failure is the zone's, not OCR's, however unsure OCR was of the zone (an unusual
    zone font is read at confidence 0 even when read right)."""
    found = _failing_printed(mrz, fields)
    if found is None:
        return False
    grid, failing = found
    for check, printed in failing:
        line, start, end = check.spans[0]
        digit_line, digit_at = check.digit
        if "".join(grid[line][start:end]) != printed or not grid[digit_line][digit_at].isdigit():
            return False
    return True


def _printed_text(printed: FieldValue | None, width: int) -> str | None:
    """A printed field as the zone writes it (dates YYMMDD, numbers padded with '<'); None
    when it was not read apart from the zone or does not fit the zone's field."""
    if printed is None or printed.source == "mrz":
        return None
    value = printed.value
    if isinstance(value, dt.date):
        return value.strftime("%y%m%d") if width == 6 else None
    text = re.sub(r"[^A-Z0-9]", "", str(value).upper())
    if width == 6:  # a date field: a date kept as ISO text
        try:
            return dt.date.fromisoformat(str(value)).strftime("%y%m%d")
        except ValueError:
            return None
    return text.ljust(width, "<") if 0 < len(text) <= width else None


def _line_lengths(layout: Layout) -> list[int]:
    rows = max(line for (line, _, _), _ in layout.fields) + 1
    return [max(end for (line, _, end), _ in layout.fields if line == row) for row in range(rows)]


# --- finding the band ------------------------------------------------------------------


_PRINTED_DATE = re.compile(r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}")
"""A date printed with separators: a card's field line, never a zone's (which has none)."""


def _mrz_like(text: str, cfg: MrzConfig) -> bool:
    """A page line that may be a zone line: mostly the zone's alphabet, with fillers, or
    long and digit-heavy without them (fillers misread) but then holding no printed date
    ("3 DOB 12/12/1986 4b EXP 09/02/2030" sent one licence front in six to the zone reader,
    which read a poor zone out of the field lines: a warning and several OCR calls)."""
    text = text.upper().replace("«", "<")
    if len(text) < cfg.min_line_chars:
        return False
    in_alphabet = sum(c in ALPHABET for c in text) / len(text)
    if in_alphabet < 0.85:
        return False
    if text.count("<") >= 2:
        return True
    digits = sum(c.isdigit() for c in text)
    return digits >= 10 and len(text) >= 28 and not _PRINTED_DATE.search(text)


def _bands_from_text(
    texts: tuple[PageText, ...], pages: dict[int, Page], cfg: MrzConfig
) -> list[_Band]:
    bands: list[_Band] = []
    for page_text in texts:
        if page_text.page not in pages:
            continue
        hits = [ln for ln in page_text.lines if _mrz_like("".join(w.text for w in ln), cfg)]
        bands.extend(_group(page_text.page, [_union(ln) for ln in hits]))
    return sorted(bands, key=lambda b: b.score, reverse=True)


def _group(page: int, boxes: list[Box]) -> list[_Band]:
    """Vertically adjacent line boxes as bands (score: lines, then lower on the page)."""
    bands: list[_Band] = []
    current: list[Box] = []
    for box in sorted(boxes, key=lambda b: b[1]):
        if current:
            height = max(b[3] - b[1] for b in current)
            if box[1] - current[-1][3] > 2.5 * height:
                bands.append(_band(page, current))
                current = []
        current.append(box)
    if current:
        bands.append(_band(page, current))
    return bands


def _band(page: int, boxes: list[Box]) -> _Band:
    box = _union_boxes(boxes)
    height = round(statistics.median(b[3] - b[1] for b in boxes))
    lines = min(len(boxes), 3)
    return _Band(page, box, max(height, 4), lines + box[3] / 100_000, lines)


def _fallback_bands(doc: DocumentState, pages: dict[int, Page]) -> list[_Band]:
    if not PASSPORT_CUE.search(doc.full_text.upper()) or 0 not in pages:
        return []
    height, width = pages[0].image.shape[:2]
    top = round(height * (1 - FALLBACK_BAND))
    return [_Band(0, (0, top, width, height), 0, 0.0)]


# --- reading one band -----------------------------------------------------------------


def _read_band(page: Page, band: _Band, ctx: Context) -> MrzRecord | None:
    """The best read of a band over the configured scales (stops at the first valid one).

    A read that fails its check digits is `confident` only when it is structurally sound
    and either Tesseract was sure of every line, or every field's own check digit agrees
    and only the composite fails, or two reads at different scales gave the very same zone
    (OCR noise rarely repeats itself exactly).
    """
    reads: list[MrzRecord] = []
    for factor in ctx.config.mrz.retry_scales:
        read = _read_band_once(page, band, factor, ctx, tuple(r.raw for r in reads))
        if read is None:
            continue
        if read.valid:
            return read
        reads.append(read)
        agreed = _agreed(reads)
        if agreed:  # two sound reads fail alike: further scales cannot change that
            return max(agreed, key=_rank)
    if not reads:
        return None
    return max(reads, key=_rank)


def _agreed(reads: list[MrzRecord]) -> list[MrzRecord]:
    """The structurally sound reads that another read fails in the very same way, marked
    confident."""
    return [
        replace(r, confident=True)
        for r in reads
        if r.sound and sum(_same_failure(o, r) for o in reads) >= 2
    ]


def _same_failure(a: MrzRecord, b: MrzRecord) -> bool:
    """Two reads that fail the same checks on the same characters: every character the
    failing checks cover (and their check digits) has the same ICAO value in both (a
    '<' padded where the other read a '0' weighs the same). OCR noise rarely repeats
    itself exactly; a real wrong check digit does."""
    if a.kind != b.kind or a.failed_checks != b.failed_checks:
        return False
    if a.lines == b.lines:
        return True
    if len(a.lines) != len(b.lines) or any(
        len(x) != len(y) for x, y in zip(a.lines, b.lines, strict=True)
    ):
        return False
    for check in LAYOUTS[a.kind].checks:
        if check.name not in a.failed_checks:
            continue
        spans = (*check.spans, (check.digit[0], check.digit[1], check.digit[1] + 1))
        for line, start, end in spans:
            left, right = a.lines[line][start:end], b.lines[line][start:end]
            if [char_value(c) for c in left] != [char_value(c) for c in right]:
                return False
    return True


def read_well(line_conf: float, failed: tuple[str, ...], cfg: MrzConfig) -> bool:
    """Whether a read's check-digit failures mean something: Tesseract was sure of every
    line, or every field's own check digit agrees and only the composite fails (the fields
    vouch for the read: the composite is then the zone's, not OCR's; a passport photographed
    at a slant read below the confidence floor, CT-S8805-0085)."""
    return line_conf >= cfg.confident_ocr or failed == ("composite",)


def _read_band_once(
    page: Page, band: _Band, rescale: float, ctx: Context, witnesses: tuple[tuple[str, ...], ...]
) -> MrzRecord | None:
    """One OCR read of a band (`witnesses`: the raw lines of the band's earlier reads)."""
    cfg = ctx.config.mrz
    crop, origin, factor = _crop(page.image, band, cfg.line_height_px * rescale, cfg.line_pitch)
    ocr = ctx.config.ocr
    request = tesseract.OcrRequest(
        language=ocr.language,
        psm=6,
        timeout=ocr.timeout_seconds,
        whitelist=ALPHABET + SLASH_SEVEN,
        tessdata=ocr.tessdata,
        engine=ocr.engine,
    )
    text = tesseract.ocr_words(crop, page.index, request)
    words = [w for w in text.words if len(w.text) >= 3]
    read = [line for line in text.lines if len(_join_line(line)) >= cfg.min_line_chars]
    raw = tuple(_join_line(line) for line in read)
    zone = read_zone(list(raw), cfg.max_repair_positions, witnesses)
    if zone is None:
        return None
    kind, repaired, length_fix = zone.kind, zone.repaired, zone.unconfirmed_length_fix
    failed = _failed(repaired.lines, kind)
    if failed and repaired.structure_ok:
        again = reread_check_digits(crop, read, repaired.lines, kind, failed, request)
        if again is not None:
            failed = _failed(again, kind)
            repaired = replace(repaired, lines=again, failed_checks=failed)
    line_conf = min((w.confidence for w in words), default=0.0)
    valid = not failed and repaired.structure_ok
    sound = repaired.structure_ok and length_fix <= cfg.confident_max_length_fix
    confident = sound and not repaired.guessed and read_well(line_conf, failed, cfg)
    box = _page_box(text, origin, factor, PAD_PX) or band.box
    fields = parse_fields(repaired.lines, kind, ctx.application.submitted_on)
    confidence = VALID_CONFIDENCE if valid else round(0.5 * line_conf, 3)
    values = {
        "last_name": fields.last_name,
        "first_name": fields.first_name,
        "middle_name": fields.middle_name,
        "document_number": fields.document_number,
        "date_of_birth": fields.date_of_birth,
        "expiry_date": fields.expiry_date,
    }
    field_values = {
        name: FieldValue(value, "mrz", confidence, page.index, box)
        for name, value in values.items()
        if value is not None
    }
    record = MrzRecord(
        kind=kind,
        lines=repaired.lines,
        valid=valid,
        confident=confident,
        failed_checks=failed,
        fields=field_values,
        page=page.index,
        box=box,
        sound=sound,
        raw=raw,
    )
    return record


def _failed(lines: tuple[str, ...], kind: Kind) -> tuple[str, ...]:
    """The failing checks as the `mrz` package finds them (ours when it cannot parse)."""
    found = failed_hashes(lines, kind)
    return failing_checks(lines, kind) if found is None else found


def reread_check_digits(
    crop: np.ndarray,
    read: list[list[Word]],
    zone: tuple[str, ...],
    kind: Kind,
    failed: tuple[str, ...],
    request: tesseract.OcrRequest,
) -> tuple[str, ...] | None:
    """The zone with each failing check digit read again from its own cell of the crop,
    when a cell reads otherwise than the line did; else None (the caller checks it again).

    Tesseract reads a line's '7' before the filler run as '1' or '/' ("C<USAC777397237<<<"
    read "...7231<<<", CT-O4115-0056; twice, at two scales, so it looked like a real wrong
    digit). The zone's font is monospaced: a character's cell lies at its index times the
    line's pitch (its box over as many cells as the zone's line has: one glyph lost or
    merged in the read leaves the box spanning the printed line). The cell and its two
    neighbours are read alone as a word; the neighbours must read as the zone has them,
    or the window slipped onto other cells (a neighbour '1' taken for the altered check
    digit '6' beside it made an altered zone pass, MA-S10014-0053). An altered check digit
    reads as printed, and the zone still fails, now as printed: the band's reads then agree
    on it (a '6' the line read '0' once and '6' once, as the cells read it every time, made
    two reads that failed differently and so were not sure, MA-O4151-0075). A date's
    cells that read as no day of the calendar, where the line read one, misread: the
    line's reading stays (a DOB '621118' whose '1' read alone as '4' made '624118', which
    happened to fit the altered check digit, CT-O4233-0035)."""
    if len(read) != len(zone):
        return None
    grid = [list(line) for line in zone]
    for check in LAYOUTS[kind].checks:
        if check.name not in failed:
            continue
        cells: dict[tuple[int, int], str] = {}
        for line, pos in _cells_to_reread(check, zone):
            if abs(len(_join_line(read[line])) - len(zone[line])) > 1:
                continue  # characters dropped or added: the line's box may not span the zone
            digit = _read_cell(crop, read[line], pos, zone[line], request)
            if digit is not None:
                cells[line, pos] = digit
        if not _leaves_calendar(check, zone, cells):
            for (line, pos), digit in cells.items():
                grid[line][pos] = digit
    lines = tuple("".join(row) for row in grid)
    return lines if lines != zone else None


def _leaves_calendar(
    check: Check, zone: tuple[str, ...], cells: dict[tuple[int, int], str]
) -> bool:
    """A date check's field, a calendar date as the line read it, is none with `cells`."""
    if check.name not in _DATE_CHECKS:
        return False
    ((line, start, end),) = check.spans
    read = zone[line][start:end]
    trial = "".join(cells.get((line, pos), read[pos - start]) for pos in range(start, end))
    return _calendar_date(read) and not _calendar_date(trial)


def _cells_to_reread(check: Check, zone: tuple[str, ...]) -> list[tuple[int, int]]:
    """The cells of a failing check read again alone: its check digit, and, for a field's
    own check (not the composite, which spans the zone), each digit of the field. A data
    digit misread as another digit fails the field's check and the composite together
    ("C523777700" read "C523777100", CT-O4159-0042): no letter-digit repair reaches it; its
    cell read alone reads what is printed, so an altered digit stays as altered."""
    cells = [check.digit]
    if check.name != "composite":
        cells += [
            (line, pos)
            for line, start, end in check.spans
            for pos in range(start, end)
            if zone[line][pos].isdigit()
        ]
    return cells


def _read_cell(
    crop: np.ndarray, words: list[Word], pos: int, line: str, request: tesseract.OcrRequest
) -> str | None:
    """The digit in character cell `pos` of a zone line read as `line`, read with its
    neighbours (three cells; a lone glyph reads worse), or None when they do not read as
    in `line` through any of the `CELL_WINDOWS`."""
    x0, x1 = min(w.box[0] for w in words), max(w.box[2] for w in words)
    y0, y1 = min(w.box[1] for w in words), max(w.box[3] for w in words)
    pitch = (x1 - x0) / len(line)
    first = min(max(pos - 1, 0), max(len(line) - 3, 0))
    last = min(first + 3, len(line))
    margin = round(0.3 * (y1 - y0))
    word = replace(request, psm=8)
    for lead, trail in CELL_WINDOWS:
        cell = crop[
            max(y0 - margin, 0) : y1 + margin,
            max(round(x0 + (first - lead) * pitch), 0) : round(x0 + (last + trail) * pitch),
        ]
        if cell.size == 0:
            return None
        image = _padded(cv.scale(cell, 2.0), PAD_PX)
        read = "".join(w.text for w in tesseract.ocr_words(image, 0, word).words)
        digit = cell_digit(read.replace(SLASH_SEVEN, "7"), line, first, last, pos)
        if digit is not None:
            return digit
    return None


CELL_WINDOWS = ((0.0, 0.0), (0.05, 0.15))
"""Each window tried in turn on a cell's three cells, as (lead, trail): pitches it reaches
beyond them, left and right. The pitch comes from the ink of the line's first and last
glyphs; where their ink sits off their cells the windows drift along the line and cut a
glyph at their edge ("770" read "776" at cells 11-13 of a TD1 line, CT-O4159-0042): the
second window, wider on the right, reads it whole."""
STRAY_MARK = "I"
"""What a sliver of a glyph the cell's window cut through reads as."""


def cell_digit(text: str, line: str, first: int, last: int, pos: int) -> str | None:
    """The digit at `pos` in `text`, the reading of cells `first`..`last` of a zone line
    read as `line`; None unless its neighbours read as in `line` (else the window is not
    where the index says). One stray mark more than the cells may stand anywhere: the
    window cut a sliver off a perspective-narrowed glyph ("77I<" for "77<",
    MA-S10029-0073: a check digit '7' read '1' twice in the line kept failing)."""
    width = last - first
    readings = [text] if len(text) == width else []
    if len(text) == width + 1:
        readings = [text[:k] + text[k + 1 :] for k, c in enumerate(text) if c == STRAY_MARK]
    neighbours = [i for i in range(first, last) if i != pos]
    digits = {t[pos - first] for t in readings if all(t[i - first] == line[i] for i in neighbours)}
    digit = digits.pop() if len(digits) == 1 else None
    return digit if digit is not None and digit.isdigit() else None


def _crop(
    image: np.ndarray, band: _Band, target_line_px: float, line_pitch: float
) -> tuple[np.ndarray, tuple[int, int], float]:
    """The band across the page, grey, scaled to the target line height, padded white; a
    band of one line widened by `line_pitch` line heights on either side."""
    height, width = image.shape[:2]
    _, y0, _, y1 = band.box
    # a zone has two lines at least: a band where the page's text showed only one (the
    # other read as noise) is widened by the line pitches its neighbour may stand at
    missing = max(0, MIN_ZONE_LINES - band.lines) if band.lines else 0
    margin = round(band.line_height * (0.8 + line_pitch * missing)) if band.line_height else 0
    top, bottom = max(0, y0 - margin), min(height, y1 + margin)
    crop = cv.to_gray(image[top:bottom, 0:width])
    line_height = band.line_height or max(1, round(height * 0.025))
    factor = min(4.0, max(0.25, target_line_px / line_height))
    return _padded(cv.scale(crop, factor), PAD_PX), (0, top), factor


def _padded(gray: np.ndarray, pad: int) -> np.ndarray:
    """A grey image framed by `pad` px of white."""
    out = np.full((gray.shape[0] + 2 * pad, gray.shape[1] + 2 * pad), 255, np.uint8)
    out[pad : pad + gray.shape[0], pad : pad + gray.shape[1]] = gray
    return out


def _join_line(words: list[Word]) -> str:
    """A line's words joined; gaps wider than a character become '<' (OCR drops fillers)."""
    if not words:
        return ""
    widths = [(w.box[2] - w.box[0]) / len(w.text) for w in words if w.text]
    char_w = statistics.median(widths) if widths else 0.0
    out = words[0].text
    for prev, word in itertools.pairwise(words):
        gap = word.box[0] - prev.box[2]
        fill = round(gap / char_w) if char_w > 0 else 0
        out += "<" * max(0, fill) + word.text
    return out


def _page_box(text: PageText, origin: tuple[int, int], factor: float, pad: int) -> Box | None:
    words = [w for w in text.words if len(w.text) >= 3]
    if not words:
        return None
    x0, y0, x1, y1 = _union_boxes([w.box for w in words])
    ox, oy = origin

    def back(value: int, offset: int) -> int:
        return max(0, round((value - pad) / factor) + offset)

    return (back(x0, ox), back(y0, oy), back(x1, ox), back(y1, oy))


def _union(line: list[Word]) -> Box:
    return _union_boxes([w.box for w in line])


def _union_boxes(boxes: list[Box]) -> Box:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _rank(record: MrzRecord) -> tuple[bool, bool, int]:
    return (record.valid, record.confident, -len(record.failed_checks))
