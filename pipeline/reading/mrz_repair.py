"""Machine-readable zone text: layouts, check digits, OCR repair, fields (pure, no I/O).

`normalise_lines(raw_lines)` picks the MRZ kind (TD1 3x30, TD2 2x36, TD3 2x44) and
brings each line to its width by adding or removing '<' in the longest filler run
(OCR miscounts long runs of identical characters). `repair(lines, kind)` then fixes
the usual OCR confusions position by position:
- alphabetic fields without a check digit (document code, issuing state, nationality,
  names): a digit is impossible there, so 0->O, 1->I, 5->S, 8->B, 2->Z, 6->G; a run of
  'K'/'C'/'L' inside a trailing filler run is '<';
- fields covered by a check digit (document number, dates, optional data, composite):
  substitutions (O->0, I->1, S->5, B->8, Z->2, G->6 and back, K/C/L->'<' in fillers)
  are kept ONLY when the check digit confirms them, with the fewest changes and no tie
  (the composite check breaks ties). A letter still left in a check-digit position is
  finally guessed as its look-alike digit and counted in `Repaired.guessed`.
`check_digit` is ICAO 9303's 7-3-1 scheme; the final verdict uses the `mrz` package.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from mrz.base.countries_ops import is_code
from mrz.checker.td1 import TD1CodeChecker
from mrz.checker.td2 import TD2CodeChecker
from mrz.checker.td3 import TD3CodeChecker

Kind = Literal["TD1", "TD2", "TD3"]
FieldKind = Literal["alpha", "num", "alnum", "sex", "name", "check", "check_or_filler"]
Span = tuple[int, int, int]
"""line, start, end (end exclusive)."""
Edit = tuple[int, int, str]
"""line, position, new character."""

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
WIDTH: dict[Kind, int] = {"TD1": 30, "TD2": 36, "TD3": 44}
LINES: dict[Kind, int] = {"TD1": 3, "TD2": 2, "TD3": 2}

TO_DIGIT = {"O": "0", "Q": "0", "D": "0", "U": "0", "I": "1", "L": "1", "T": "1", "J": "1",
            "Z": "2", "S": "5", "G": "6", "B": "8", "A": "4"}  # fmt: skip
TO_LETTER = {"0": "O", "1": "I", "2": "Z", "4": "A", "5": "S", "6": "G", "8": "B"}
FILLER_LOOKALIKES = frozenset("KCL")
MIN_NAME_LINE = 20
"""Characters a 2-line zone's name line needs at least (document code, issuing state and
a surname, with the rest of its fillers lost)."""


@dataclass(frozen=True)
class Check:
    """A check digit: the spans it covers and where it stands."""

    name: str
    spans: tuple[Span, ...]
    digit: tuple[int, int]


@dataclass(frozen=True)
class Layout:
    """Where each field of one MRZ kind stands, and its check digits."""

    kind: Kind
    fields: tuple[tuple[Span, FieldKind], ...]
    checks: tuple[Check, ...]


LAYOUTS: dict[Kind, Layout] = {
    "TD3": Layout(
        "TD3",
        (
            ((0, 0, 2), "alpha"), ((0, 2, 5), "alpha"), ((0, 5, 44), "name"),
            ((1, 0, 9), "alnum"), ((1, 9, 10), "check"), ((1, 10, 13), "alpha"),
            ((1, 13, 19), "num"), ((1, 19, 20), "check"), ((1, 20, 21), "sex"),
            ((1, 21, 27), "num"), ((1, 27, 28), "check"), ((1, 28, 42), "alnum"),
            ((1, 42, 43), "check_or_filler"), ((1, 43, 44), "check"),
        ),
        (
            Check("document number", ((1, 0, 9),), (1, 9)),
            Check("date of birth", ((1, 13, 19),), (1, 19)),
            Check("expiry date", ((1, 21, 27),), (1, 27)),
            Check("optional data", ((1, 28, 42),), (1, 42)),
            Check("composite", ((1, 0, 10), (1, 13, 20), (1, 21, 43)), (1, 43)),
        ),
    ),
    "TD2": Layout(
        "TD2",
        (
            ((0, 0, 2), "alpha"), ((0, 2, 5), "alpha"), ((0, 5, 36), "name"),
            ((1, 0, 9), "alnum"), ((1, 9, 10), "check"), ((1, 10, 13), "alpha"),
            ((1, 13, 19), "num"), ((1, 19, 20), "check"), ((1, 20, 21), "sex"),
            ((1, 21, 27), "num"), ((1, 27, 28), "check"), ((1, 28, 35), "alnum"),
            ((1, 35, 36), "check"),
        ),
        (
            Check("document number", ((1, 0, 9),), (1, 9)),
            Check("date of birth", ((1, 13, 19),), (1, 19)),
            Check("expiry date", ((1, 21, 27),), (1, 27)),
            Check("composite", ((1, 0, 10), (1, 13, 20), (1, 21, 35)), (1, 35)),
        ),
    ),
    "TD1": Layout(
        "TD1",
        (
            ((0, 0, 2), "alpha"), ((0, 2, 5), "alpha"), ((0, 5, 14), "alnum"),
            ((0, 14, 15), "check_or_filler"), ((0, 15, 30), "alnum"),
            ((1, 0, 6), "num"), ((1, 6, 7), "check"), ((1, 7, 8), "sex"),
            ((1, 8, 14), "num"), ((1, 14, 15), "check"), ((1, 15, 18), "alpha"),
            ((1, 18, 29), "alnum"), ((1, 29, 30), "check"), ((2, 0, 30), "name"),
        ),
        (
            Check("document number", ((0, 5, 14),), (0, 14)),
            Check("date of birth", ((1, 0, 6),), (1, 6)),
            Check("expiry date", ((1, 8, 14),), (1, 14)),
            Check("composite", ((0, 5, 30), (1, 0, 7), (1, 8, 15), (1, 18, 29)), (1, 29)),
        ),
    ),
}  # fmt: skip


def char_value(char: str) -> int:
    """ICAO 9303 value of an MRZ character (digits, A=10..Z=35, '<'=0)."""
    if char.isdigit():
        return int(char)
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    return 0


def check_digit(data: str) -> str:
    """The 7-3-1 check digit of `data`."""
    weights = (7, 3, 1)
    return str(sum(char_value(c) * weights[i % 3] for i, c in enumerate(data)) % 10)


def _field_kind(layout: Layout, line: int, pos: int) -> FieldKind:
    for (ln, start, end), kind in layout.fields:
        if ln == line and start <= pos < end:
            return kind
    return "alnum"


def _covered(lines: list[list[str]], check: Check) -> str:
    return "".join("".join(lines[ln][s:e]) for ln, s, e in check.spans)


def check_ok(lines: list[list[str]] | tuple[str, ...], check: Check) -> bool:
    """True when the check digit of `check` agrees with what it covers."""
    grid = [list(line) for line in lines]
    digit = grid[check.digit[0]][check.digit[1]]
    data = _covered(grid, check)
    if digit == "<":  # an empty optional field may carry '<' as its check digit
        return check.name == "optional data" and set(data) <= {"<"}
    if not digit.isdigit():
        return False
    if check.name in ("date of birth", "expiry date") and not data.isdigit():
        return False
    return check_digit(data) == digit


# --- choosing the kind and fixing line lengths ---------------------------------------


def choose_kind(raw_lines: list[str]) -> tuple[Kind, list[str]] | None:
    """The MRZ kind of the last 2 or 3 lines read, and those lines; None if no fit."""
    lines = [line for line in raw_lines if line]
    if len(lines) < 2:
        return None
    if len(lines) >= 3:
        last3 = lines[-3:]
        mean3 = sum(map(len, last3)) / 3
        if abs(mean3 - 30) <= 4 and all(abs(len(x) - 30) <= 6 for x in last3):
            return "TD1", last3
    last2 = lines[-2:]
    # OCR loses '<' fillers far more often than it invents characters: the longer line
    # is the better witness of the width (a TD3 name line read as 36 chars is common).
    longest = max(map(len, last2))
    kind: Kind = "TD3" if abs(longest - 44) <= abs(longest - 36) else "TD2"
    name, numbers = last2
    # The name line has no check digit and ends in a long filler run that OCR may read
    # much too short: only the numbers line, which the check digits cover, must be close
    # to the width; the name line must just not be longer.
    name_fits = MIN_NAME_LINE <= len(name) <= WIDTH[kind] + 8
    if abs(len(numbers) - WIDTH[kind]) <= 8 and name_fits:
        return kind, last2
    return None


def fit_width(line: str, width: int) -> str:
    """Pad or trim to `width`, inside the longest run of '<' (else at the end)."""
    while len(line) != width:
        start, length = _longest_run(line)
        if len(line) > width:
            line = line[:start] + line[start + 1 :] if length else line[:width]
        else:
            at = start + length if length else len(line)
            line = line[:at] + "<" + line[at:]
    return line


def _longest_run(line: str) -> tuple[int, int]:
    best, best_len, i = 0, 0, 0
    while i < len(line):
        if line[i] == "<":
            j = i
            while j < len(line) and line[j] == "<":
                j += 1
            if j - i >= best_len:
                best, best_len = i, j - i
            i = j
        else:
            i += 1
    return best, best_len


SLASH_SEVEN = "/"
"""No zone holds a '/': Tesseract reads a slanted '7' of some zone fonts as one (a check
digit 7 before the filler run: '330211/<<<' for 3302117, CT-S10013-0032; read with the
alphabet alone, the 7 was dropped and a doubled '2' restored in its place made a wrong
zone pass). The reader allows it and `clean_lines` takes it for a 7; check digits judge."""


def clean_lines(raw_lines: list[str]) -> list[str]:
    """Upper case, '«' as '<', '/' as '7' (`SLASH_SEVEN`), anything outside the MRZ
    alphabet dropped."""
    return [
        "".join(
            c for c in line.upper().replace("«", "<").replace(SLASH_SEVEN, "7") if c in ALPHABET
        )
        for line in raw_lines
    ]


def normalise_lines(raw_lines: list[str]) -> tuple[Kind, tuple[str, ...], int] | None:
    """Kind, lines at their exact width, and the number of characters padded or trimmed."""
    chosen = choose_kind(clean_lines(raw_lines))
    if chosen is None:
        return None
    kind, lines = chosen
    width = WIDTH[kind]
    fixed = tuple(fit_width(line, width) for line in lines)
    return kind, fixed, sum(abs(len(line) - width) for line in lines)


# --- repair ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Repaired:
    """Lines after repair, what was changed, and which checks still fail."""

    lines: tuple[str, ...]
    changes: int
    failed_checks: tuple[str, ...]
    structure_ok: bool
    """Every numeric position holds a digit and every check digit is a digit or '<'."""
    guessed: int = 0
    """Check digits read as letters and taken as their look-alike digit, unconfirmed."""


def repair(lines: tuple[str, ...], kind: Kind, max_positions: int = 8) -> Repaired:
    """Fix OCR confusions: structural ones in unchecked letter fields, others only if confirmed."""
    layout = LAYOUTS[kind]
    grid = [list(line) for line in lines]
    changes = _structural(grid, layout)
    options: dict[str, list[list[tuple[int, int, str]]]] = {}
    for check in layout.checks:
        if check.name == "composite":
            continue
        options[check.name] = _confirmed_edits(grid, layout, check, max_positions)
    changes += _apply_with_composite(grid, layout, options)
    changes += _repair_composite_digit(grid, layout)
    guesses = _guess_check_letters(grid, layout)
    final = tuple("".join(row) for row in grid)
    failed = failing_checks(final, kind)
    guessed = sum(not _twin_confirmed(at, lines, final, layout, failed) for at in guesses)
    return Repaired(final, changes + len(guesses), failed, _structure_ok(final, layout), guessed)


def failing_checks(lines: tuple[str, ...], kind: Kind) -> tuple[str, ...]:
    """The names of the checks the lines fail, in the layout's order."""
    return tuple(c.name for c in LAYOUTS[kind].checks if not check_ok(lines, c))


def _structural(grid: list[list[str]], layout: Layout) -> int:
    """Digit->letter in letter-only fields and filler look-alikes in names (no check digit)."""
    changes = 0
    for (line, start, end), kind in layout.fields:
        if kind not in ("alpha", "name"):
            continue
        for pos in range(start, end):
            char = grid[line][pos]
            if char.isdigit() and char in TO_LETTER:
                grid[line][pos] = TO_LETTER[char]
                changes += 1
        if kind == "name":
            changes += _repair_name_fillers(grid[line], start, end)
    return changes


def _repair_name_fillers(row: list[str], start: int, end: int) -> int:
    """Inside the trailing filler run, K/C/L are '<' (so is a trailing run of 4+ K/C/L)."""
    tail = end
    while tail > start and (row[tail - 1] == "<" or row[tail - 1] in FILLER_LOOKALIKES):
        tail -= 1
    first_filler = next((p for p in range(tail, end) if row[p] == "<"), None)
    if first_filler is None:
        run = end - tail
        if run >= 4 and len(set(row[tail:end])) == 1:
            first_filler = tail
        else:
            return 0
    segment = row[first_filler:end]
    if segment.count("<") * 2 < len(segment) and len(set(segment)) > 1:
        return 0
    changed = 0
    for p in range(first_filler, end):
        if row[p] != "<":
            row[p] = "<"
            changed += 1
    return changed


def _alternatives(grid: list[list[str]], layout: Layout, line: int, pos: int) -> str:
    """Plausible readings of one character, given its field.

    Numeric positions only take letter->digit fixes. In mixed (alphanumeric) fields a
    swap only goes towards the field's majority class (letters or digits), and K/C/L
    become '<' only in the trailing filler: the fewer the alternatives, the less likely
    a check digit "confirms" a wrong repair by chance (1 in 10 per candidate).
    """
    char = grid[line][pos]
    kind = _field_kind(layout, line, pos)
    if kind in ("num", "check"):
        return "" if char.isdigit() else TO_DIGIT.get(char, "")
    if kind == "check_or_filler":
        if char.isdigit() or char == "<":
            return ""
        # one reading only: '0' and '<' weigh the same in every check, so offering both
        # makes two equally "confirmed" repairs and neither is kept
        return TO_DIGIT.get(char, "<")
    if kind != "alnum":
        return ""
    span = next(s for s, _ in layout.fields if s[0] == line and s[1] <= pos < s[2])
    text = "".join(grid[line][span[1] : span[2]])
    if char in FILLER_LOOKALIKES and set(text[pos - span[1] + 1 :]) <= {"<"} | FILLER_LOOKALIKES:
        return "<"
    digits = sum(c.isdigit() for c in text)
    letters = sum(c.isalpha() for c in text)
    if digits >= letters:
        return "" if char.isdigit() else TO_DIGIT.get(char, "")
    return TO_LETTER.get(char, "")


def _confirmed_edits(
    grid: list[list[str]], layout: Layout, check: Check, max_positions: int
) -> list[list[Edit]]:
    """The smallest edit sets (at most 2 edits) that make `check` agree ([[]] if it does)."""
    if check_ok(grid, check):
        return [[]]
    positions = [(ln, p) for ln, s, e in check.spans for p in range(s, e)] + [check.digit]
    choices = [(ln, p, alt) for ln, p in positions for alt in _alternatives(grid, layout, ln, p)][
        :max_positions
    ]
    for size in (1, 2):
        found: list[list[Edit]] = []
        for combo in itertools.combinations(choices, size):
            if len({(ln, p) for ln, p, _ in combo}) < size:
                continue
            if check_ok(_edited(grid, combo), check):
                found.append(list(combo))
        if found:
            return found
    return []


def _edited(grid: list[list[str]], edits: tuple[Edit, ...] | list[Edit]) -> list[list[str]]:
    out = [row[:] for row in grid]
    for ln, p, char in edits:
        out[ln][p] = char
    return out


def _apply_with_composite(
    grid: list[list[str]], layout: Layout, options: dict[str, list[list[Edit]]]
) -> int:
    """Pick one confirmed edit set per field; the composite check breaks ties. A letter
    read for the composite's own digit is its look-alike digit there ('Q' for 0): the
    composite then confirms it with the fields' edits ("CO7288109" with a composite 'Q',
    a passport card's back, CT-O4187-0053: neither was repaired alone)."""
    composite = next(c for c in layout.checks if c.name == "composite")
    own = _composite_look_alike(grid, composite)
    names = [n for n, opts in options.items() if opts]
    combos = list(itertools.product(*(options[n][:4] for n in names)))
    agreeing = [
        c for c in combos if check_ok(_edited(grid, [*own, *(e for s in c for e in s)]), composite)
    ]
    if len(agreeing) >= 1:
        best = min(agreeing, key=lambda c: sum(len(s) for s in c))
        ties = [c for c in agreeing if sum(len(s) for s in c) == sum(len(s) for s in best)]
        if len(ties) == 1:
            return _apply(grid, [*own, *(e for s in best for e in s)])
    # Without the composite's agreement, only letter->digit fixes in numeric fields are
    # kept (a letter there is certainly wrong); swaps in mixed fields need the composite.
    edits = [
        e
        for n in names
        if len(options[n]) == 1
        for e in options[n][0]
        if _field_kind(layout, e[0], e[1]) in ("num", "check", "check_or_filler")
        and not grid[e[0]][e[1]].isdigit()
    ]
    return _apply(grid, edits)


def _repair_composite_digit(grid: list[list[str]], layout: Layout) -> int:
    """A letter read for the composite check digit, kept as the digit it resembles only
    if the composite agrees: as read, or once the one failing field's check digit is
    recomputed (the zone is then consistent but for that one digit, which is what a
    wrong check digit looks like; the composite confirms every other character)."""
    composite = next(c for c in layout.checks if c.name == "composite")
    edit = _composite_look_alike(grid, composite)
    if not edit:
        return 0
    trial = _edited(grid, edit)
    if check_ok(trial, composite) or _agrees_but_one_digit(trial, layout):
        return _apply(grid, edit)
    return 0


def _composite_look_alike(grid: list[list[str]], composite: Check) -> list[Edit]:
    """The composite's digit as the digit it resembles, when a letter was read for it."""
    line, pos = composite.digit
    char = grid[line][pos]
    return [(line, pos, TO_DIGIT[char])] if not char.isdigit() and char in TO_DIGIT else []


def _guess_check_letters(grid: list[list[str]], layout: Layout) -> list[tuple[int, int]]:
    """A letter still standing where a check digit belongs is certainly a misread digit:
    it is taken as its look-alike ('Q' as '0') even though no check confirms it, so that
    the zone can be judged; such a guess alone never makes a failing zone conclusive (a
    second read must give the same digit, or `_twin_confirmed`). Where it guessed."""
    guessed = []
    for (line, start, end), kind in layout.fields:
        if kind not in ("check", "check_or_filler"):
            continue
        for pos in range(start, end):
            alternative = _alternatives(grid, layout, line, pos)
            if grid[line][pos].isalpha() and alternative:
                grid[line][pos] = alternative
                guessed.append((line, pos))
    return guessed


def _twin_confirmed(
    at: tuple[int, int],
    read: tuple[str, ...],
    final: tuple[str, ...],
    layout: Layout,
    failed: tuple[str, ...],
) -> bool:
    """The letter guessed at check digit `at` was read, the same letter, for another check
    digit of the zone whose own check confirms it as the same look-alike digit: the same
    glyph read alike twice is that digit twice ("QQ" ending a passport zone, the empty
    optional field's '0' confirmed, the altered composite beside it read alike and only
    guessed: it passed, MA-O4249-0089). Then the guess is as good as a second read."""
    line, pos = at
    return any(
        check.digit != at
        and check.name not in failed
        and read[check.digit[0]][check.digit[1]] == read[line][pos]
        and final[check.digit[0]][check.digit[1]] == final[line][pos]
        for check in layout.checks
    )


def _agrees_but_one_digit(grid: list[list[str]], layout: Layout) -> bool:
    """Exactly one field check fails, and the composite agrees once that field's check
    digit is recomputed."""
    failing = [c for c in layout.checks if c.name != "composite" and not check_ok(grid, c)]
    if len(failing) != 1:
        return False
    check = failing[0]
    data = _covered(grid, check)
    if set(data) - set(ALPHABET) or not grid[check.digit[0]][check.digit[1]].isdigit():
        return False
    if check.name in ("date of birth", "expiry date") and not data.isdigit():
        return False
    fixed = _edited(grid, [(check.digit[0], check.digit[1], check_digit(data))])
    composite = next(c for c in layout.checks if c.name == "composite")
    return check_ok(fixed, composite)


def _apply(grid: list[list[str]], edits: list[Edit]) -> int:
    for ln, p, char in edits:
        grid[ln][p] = char
    return len(edits)


def _structure_ok(lines: tuple[str, ...], layout: Layout) -> bool:
    for (line, start, end), kind in layout.fields:
        text = lines[line][start:end]
        if kind == "num" and not text.isdigit():
            return False
        if kind == "check" and not text.isdigit():
            return False
        if kind == "check_or_filler" and not (text.isdigit() or text == "<"):
            return False
    return True


# --- validation with the mrz package, and fields --------------------------------------

_CHECKERS = {"TD1": TD1CodeChecker, "TD2": TD2CodeChecker, "TD3": TD3CodeChecker}
_HASH_NAMES = {
    "document number hash": "document number",
    "birth date hash": "date of birth",
    "expiry date hash": "expiry date",
    "optional data hash": "optional data",
    "final hash": "composite",
}


def failed_hashes(lines: tuple[str, ...], kind: Kind) -> tuple[str, ...] | None:
    """Check digits the `mrz` package finds wrong (None when it cannot parse the lines)."""
    try:
        checker = _CHECKERS[kind]("\n".join(lines))
    except Exception:  # the mrz package raises bare exceptions on malformed input
        return None
    report = dict(checker.report.fields)
    return tuple(n for key, n in _HASH_NAMES.items() if report.get(key) is False)


@dataclass(frozen=True)
class MrzFields:
    """Values read from the zone (strings as printed, dates resolved)."""

    document_code: str
    issuing_state: str
    last_name: str | None
    first_name: str | None
    middle_name: str | None
    document_number: str | None
    nationality: str | None
    date_of_birth: dt.date | None
    expiry_date: dt.date | None
    sex: str | None


def parse_fields(lines: tuple[str, ...], kind: Kind, reference: dt.date) -> MrzFields:
    """Split the zone into fields; two-digit years are resolved against `reference`."""
    if kind == "TD1":
        l1, l2, l3 = lines
        names, number_raw, dob, exp, nat, sex = (
            l3,
            _td1_number(l1),
            l2[0:6],
            l2[8:14],
            _nationality(lines, kind),
            l2[7],
        )
    else:
        l1, l2 = lines
        names, number_raw, dob, exp, nat, sex = (
            l1[5:],
            l2[0:9],
            l2[13:19],
            l2[21:27],
            _nationality(lines, kind),
            l2[20],
        )
    last, first, middle = split_names(names)
    number = number_raw.replace("<", "") or None
    return MrzFields(
        document_code=lines[0][0:2].replace("<", ""),
        issuing_state=lines[0][2:5].replace("<", ""),
        last_name=last,
        first_name=first,
        middle_name=middle,
        document_number=number,
        nationality=nat.replace("<", "") or None,
        date_of_birth=_date(dob, reference, birth=True),
        expiry_date=_date(exp, reference, birth=False),
        sex=sex if sex in ("M", "F", "X") else None,
    )


def _td1_number(line1: str) -> str:
    """TD1 document number; long numbers continue in the optional field (check digit '<')."""
    if line1[14] == "<" and line1[15] != "<":
        rest = line1[15:].split("<", 1)[0]
        return line1[5:14] + rest[:-1]
    return line1[5:14]


def split_names(field: str) -> tuple[str | None, str | None, str | None]:
    """Primary identifier (last name) and secondary (first + middle names)."""
    primary, _, secondary = field.strip("<").partition("<<")
    last = " ".join(p for p in primary.split("<") if p) or None
    given = [p for p in secondary.split("<") if p]
    first = given[0] if given else None
    middle = " ".join(given[1:]) or None
    return last, first, middle


def _date(text: str, reference: dt.date, birth: bool) -> dt.date | None:
    if not text.isdigit():
        return None
    yy, mm, dd = int(text[0:2]), int(text[2:4]), int(text[4:6])
    if birth:
        year = 2000 + yy if 2000 + yy <= reference.year else 1900 + yy
    else:
        year = 2000 + yy if 2000 + yy <= reference.year + 50 else 1900 + yy
    try:
        return dt.date(year, mm, dd)
    except ValueError:
        return None


@dataclass(frozen=True)
class Zone:
    """A zone read: its kind, the repaired lines, and length fixes no check confirmed."""

    kind: Kind
    repaired: Repaired
    unconfirmed_length_fix: int


def read_zone(
    raw_lines: list[str], max_positions: int = 8, witnesses: tuple[tuple[str, ...], ...] = ()
) -> Zone | None:
    """Normalise and repair OCR lines; an extra character is dropped where checks confirm
    it, or where another read of the zone (`witnesses`: its raw lines) read the line so."""
    cleaned = clean_lines(raw_lines)
    chosen = choose_kind(cleaned)
    if chosen is None:
        return None
    kind, lines = chosen
    read = [raw for raw, line in zip(raw_lines, cleaned, strict=True) if line]
    lines = _without_edge_marks(read[-len(lines) :], lines, kind)
    width = WIDTH[kind]
    checked = _checked_lines(kind)
    fix = sum(abs(len(line) - width) for i, line in enumerate(lines) if i in checked)
    first = repair(tuple(fit_width(line, width) for line in lines), kind, max_positions)
    if not first.failed_checks or fix == 0:
        return Zone(kind, first, fix)
    seen = _witnessed_lines(witnesses)
    found: dict[tuple[str, ...], Repaired] = {}
    for i, line in enumerate(lines):
        if len(line) <= width:
            continue
        for pos in range(len(line)):
            trial = [*lines[:i], line[:pos] + line[pos + 1 :], *lines[i + 1 :]]
            fitted = tuple(fit_width(t, width) for t in trial)
            result = repair(fitted, kind, max_positions)
            if (i, trial[i]) in seen:
                return Zone(kind, result, 0)  # two reads agree: OCR noise rarely repeats
            sound = not result.failed_checks and result.structure_ok
            if (
                sound
                and not _noise_kept(line[pos], pos, fitted[i], result.lines[i])
                and _nationality_known(result.lines, kind)
                and _dates_plausible(result.lines, kind)
            ):
                found[result.lines] = result

    def key(r: Repaired) -> tuple[int, int]:
        return (r.changes, _class_noise(r.lines, kind))

    ranked = sorted(found.values(), key=key)
    if ranked and (len(ranked) == 1 or key(ranked[0]) < key(ranked[1])):
        return Zone(kind, ranked[0], 0)
    after_run = _noise_after_run(lines, kind, max_positions)
    if after_run is not None:
        return Zone(kind, after_run, fix)  # still unconfirmed: the read stays unsure
    doubled = _restore_doubled(lines, kind, max_positions)
    if doubled is not None:
        return Zone(kind, doubled, max(0, fix - 1))
    if first.failed_checks == ("composite",) and _lost_fillers_only(lines, first, kind):
        return Zone(kind, first, 0)
    return Zone(kind, first, fix)


def _without_edge_marks(raw_lines: list[str], lines: list[str], kind: Kind) -> list[str]:
    """`lines` (the zone's, cleaned from `raw_lines`, line for line) without the '/' OCR
    read at the zone's left edge (a border, a fold, the card's edge: `clean_lines` took it
    for a 7) where a 7 cannot stand: before a line that begins with a letter (a document
    code or a name), or before a line one character too long. Its checks then judge the
    zone as printed (CT-O4239-0097: a mark before both lines, "/8076250148USA...", made
    the line 45 long; dropping its '4' instead made an altered document-number check digit
    agree by chance)."""
    layout, width = LAYOUTS[kind], WIDTH[kind]
    out = []
    for i, (raw, line) in enumerate(zip(raw_lines, lines, strict=True)):
        marked = raw.lstrip().startswith(SLASH_SEVEN)
        letter_first = _field_kind(layout, i, 0) in ("alpha", "name")
        out.append(line[1:] if marked and (letter_first or len(line) == width + 1) else line)
    return out


PLACED = "0123456789<"
"""What a character lost after a zone line's filler run may have been: a check digit."""
TAIL_LOSS = 2
"""At most this many of the characters lost from a short line are tried after its filler
run (a field's check digit and the composite); the others were fillers of the run."""


def _lost_fillers_only(lines: list[str], first: Repaired, kind: Kind) -> bool:
    """One checked line was read short and padded in its filler run, and wherever its lost
    characters stood the zone fails a check (`_every_placement_fails`)."""
    width = WIDTH[kind]
    short = [i for i in _checked_lines(kind) if len(lines[i]) != width]
    if len(short) != 1 or len(lines[short[0]]) > width:
        return False
    return _every_placement_fails(first, kind, short[0], width - len(lines[short[0]]))


def _every_placement_fails(first: Repaired, kind: Kind, short: int, lost: int) -> bool:
    """Line `short` was read `lost` characters short and padded in its filler run; the
    fields' own check digits all agree (the fields before the run are where they belong)
    while the composite fails: whichever characters were lost, fillers of the run or up to
    `TAIL_LOSS` of them check digits after it (a lost composite makes the last character
    read the empty field's check digit; the characters after the run stand on check-digit
    positions, data there is not tried), the zone fails a check. The padding then hides no
    valid zone and does not make the read unsure (a passport's altered composite after a
    filler run read one filler short, CT-S10055-0047, or eight short with "<<<<<<05",
    CT-O4211-0095, only warned). No letter lost amid fillers is tried: OCR merges runs of
    one glyph."""
    line = first.lines[short]
    start, length = _longest_run(line)
    if length < 2:
        return False
    head, tail = line[:start], line[start + length :]
    checks = LAYOUTS[kind].checks
    digits = {at for ln, at in (c.digit for c in checks) if ln == short}
    if not _on(digits, len(line), tail):
        return False  # data after the run (an optional field's): not only check digits
    for tails in _with_lost(tail, min(lost, TAIL_LOSS)):
        fillers = len(line) - len(head) - len(tails)
        if fillers < 1 or not _on(digits, len(line), tails):
            continue
        trial = [*first.lines[:short], head + "<" * fillers + tails, *first.lines[short + 1 :]]
        if all(check_ok(trial, check) for check in checks):
            return False
    return True


def _on(digits: set[int], width: int, tail: str) -> bool:
    """`tail`, ending a line `width` long, stands on check-digit positions only."""
    return all(at in digits for at in range(width - len(tail), width))


def _with_lost(tail: str, most: int) -> Iterator[str]:
    """`tail` with up to `most` characters of `PLACED` put back anywhere in it."""
    yield tail
    if most > 0:
        for at in range(len(tail) + 1):
            for char in PLACED:
                yield from _with_lost(tail[:at] + char + tail[at:], most - 1)


def _noise_after_run(lines: list[str], kind: Kind, max_positions: int) -> Repaired | None:
    """A checked line one character too long whose characters after its filler run are one
    more than the check digits standing there: fields are written from their left, so no
    data follows fillers inside a field, and the extra character is among those after the
    run ("<<<<090" ending a passport zone with no optional data). Each is dropped in turn;
    when the readings that fail fewest checks all fail the same fields' checks (the
    composite aside, which covers the dropped places), those failures do not depend on
    which character was the noise: the first such reading. Else None. The drop stays
    unconfirmed (the read unsure): a line read with a character too many may hold another
    misread (CT-S10075-0177: '2707271<<...<<0Q6', the expiry's check digit 7 read 1 twice
    alike). It is judged on what the page prints (`printed_fields_confirm`): CT-O4249-0041,
    '<<<<090', trimmed in its run, failed the empty field's check too, which no printed value
    covers, and an altered document-number check digit passed."""
    width = WIDTH[kind]
    long = [i for i in _checked_lines(kind) if len(lines[i]) == width + 1]
    if len(long) != 1 or any(len(lines[i]) != width for i in _checked_lines(kind) if i != long[0]):
        return None
    at = long[0]
    line = lines[at]
    start, length = _longest_run(line)
    digits = {pos for ln, pos in (c.digit for c in LAYOUTS[kind].checks) if ln == at}
    tail = line[start + length :]
    if length < 2 or not tail or _on(digits, width, tail) or not _on(digits, width, tail[1:]):
        return None
    trials = []
    for pos in range(start + length, len(line)):
        trial = [ln[:pos] + ln[pos + 1 :] if i == at else ln for i, ln in enumerate(lines)]
        result = repair(tuple(fit_width(t, width) for t in trial), kind, max_positions)
        if result.structure_ok:
            trials.append(result)
    if not trials:
        return None
    fewest = min(len(r.failed_checks) for r in trials)
    best = [r for r in trials if len(r.failed_checks) == fewest]
    fields = {tuple(c for c in r.failed_checks if c != "composite") for r in best}
    return best[0] if len(fields) == 1 and fields != {()} else None


def _witnessed_lines(witnesses: tuple[tuple[str, ...], ...]) -> set[tuple[int, str]]:
    """(index, line) of every line other reads gave, cleaned as `read_zone` cleans its own.

    A character dropped so that the line reads as another read of the zone read it is
    the noise: the checks a different drop would pass may agree by chance ("AQ083474366"
    made "AQ08474366" by dropping the 3, two checks agreeing, where another read gave
    "A083474366": a passport's altered check digit passed, CT-S10027-0191)."""
    seen: set[tuple[int, str]] = set()
    for raw in witnesses:
        chosen = choose_kind(clean_lines(list(raw)))
        if chosen is not None:
            seen.update(enumerate(chosen[1]))
    return seen


def _nationality_known(lines: tuple[str, ...], kind: Kind) -> bool:
    """The holder's nationality is an ICAO code: a character dropped at the wrong place
    shifts the fields, and checks may still pass by chance ("AO75588229USAG65..." made
    "O755882290SAG65...", nationality "SAG", a composite that agreed by chance,
    CT-O4131-0079). A zone that names no nationality ("<<<") is not refused."""
    code = _nationality(lines, kind)
    return code == "<<<" or is_code(code.replace("<", "")) or is_code(code)


def _nationality(lines: tuple[str, ...], kind: Kind) -> str:
    """The zone's nationality field as printed (fillers kept)."""
    return lines[1][15:18] if kind == "TD1" else lines[1][10:13]


def _noise_kept(dropped: str, pos: int, fitted: str, repaired: str) -> bool:
    """A digit dropped while the character beside it had to be repaired into a digit: the
    noise was kept and a printed digit thrown away ("<<0Q8" made "<<00" by dropping the 8
    of an altered composite digit and taking the Q for a 0, CT-O4129-0021). Dropping the
    noise itself is the reading; if its checks then fail, they fail."""
    if not dropped.isdigit() or len(fitted) != len(repaired):
        return False
    near = range(max(0, pos - 1), min(len(fitted), pos + 1))
    return any(fitted[k] != repaired[k] and fitted[k].isalpha() for k in near)


def _restore_doubled(lines: list[str], kind: Kind, max_positions: int) -> Repaired | None:
    """A line one character short with a doubled character restored ('77' read as '7':
    OCR merges repeated glyphs), kept only when every check digit confirms it. A
    restoration that leaves a check failing is not kept: one check digit agrees by
    chance once in ten, and a wrong restoration would make a sound zone look altered.
    The one such reading, or None (no confirmed restoration, or several)."""
    width = WIDTH[kind]
    found: dict[tuple[str, ...], Repaired] = {}
    for i, line in enumerate(lines):
        if len(line) != width - 1:
            continue
        for pos in range(1, len(line) + 1):
            char = line[pos - 1]
            if char == "<":
                continue
            trial = [*lines[:i], line[:pos] + char + line[pos:], *lines[i + 1 :]]
            result = repair(tuple(fit_width(t, width) for t in trial), kind, max_positions)
            ok = result.structure_ok and not result.failed_checks
            if ok and _dates_plausible(result.lines, kind):
                found[result.lines] = result
    if len(found) != 1:
        return None
    return next(iter(found.values()))


def _checked_lines(kind: Kind) -> frozenset[int]:
    """The lines that hold characters covered by a check digit. The name line is not: a
    filler run read too short or too long there changes no check, so padding it is safe."""
    return frozenset(ln for check in LAYOUTS[kind].checks for ln, _, _ in check.spans)


def _dates_plausible(lines: tuple[str, ...], kind: Kind) -> bool:
    """Birth and expiry dates have a month of 01-12 and a day of 01-31: a character dropped
    or restored at the wrong place shifts a date's digits, and the checks may still pass
    by chance ("F2706257/<<<" made "F2762577<<<" by dropping the 0 where the '/' was the
    noise, expiry month 62, an altered check digit passed, MA-O4161-0137)."""
    line = lines[1]
    spans = ((0, 6), (8, 14)) if kind == "TD1" else ((13, 19), (21, 27))
    for start, end in spans:
        text = line[start:end]
        if not text.isdigit() or not (1 <= int(text[2:4]) <= 12 and 1 <= int(text[4:6]) <= 31):
            return False
    return True


def _class_noise(lines: tuple[str, ...], kind: Kind) -> int:
    """Characters of mixed fields against their field's majority (letters among digits...)."""
    noise = 0
    for (line, start, end), field_kind in LAYOUTS[kind].fields:
        if field_kind != "alnum":
            continue
        text = lines[line][start:end]
        digits = sum(c.isdigit() for c in text)
        letters = sum(c.isalpha() for c in text)
        noise += min(digits, letters)
    return noise
