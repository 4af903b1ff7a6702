"""Person names: normalise and compare a document's name with the profile's.

`compare_names(doc, profile, tolerant=...) -> NameMatch`: a similarity in [0, 1], the
parts that matched (and how) and a sentence saying why. Tolerates case, accents,
punctuation, hyphens and apostrophes, suffixes (JR, SR, II...), "LAST, FIRST" order,
a middle name or initial on one side only, one part of a compound surname, common
nicknames and, when `tolerant` (OCR text), characters that OCR confuses.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

from pipeline.matching.nicknames import name_forms, same_given_name

SUFFIXES = {"JR", "SR", "II", "III", "IV", "2ND", "3RD", "4TH", "JNR", "SNR", "ESQ"}
TITLES = {"MR", "MRS", "MS", "MISS", "DR", "MX"}
LABEL_WORDS = {"NAME", "NAMES", "LAST", "FIRST", "MIDDLE", "SURNAME", "GIVEN", "FN", "LN", "NAM"}
"""Field labels that a reader may capture as a name: never part of a name."""
_TOKEN_CANON = {"SAINT": "ST", "SAINTE": "STE"}
_SUFFIX_CANON = {"JNR": "JR", "SNR": "SR", "2ND": "II", "3RD": "III", "4TH": "IV"}

NICKNAME_SCORE = 0.96
INITIAL_SCORE = 0.92
PARTIAL_SURNAME_SCORE = 0.92
MIDDLE_AS_FIRST_SCORE = 0.9
"""The only given name read is the profile's middle name (or its nickname): a person who
goes by the middle name ("Lee MacDonald" for Rebecca Lee MacDonald). Its initial alone is
not enough ("J" left of a household member's name)."""
MIDDLE_CONFLICT_FACTOR = 0.9
SUFFIX_CONFLICT_FACTOR = 0.75
SWAP_MARGIN = 0.05
"""A reading with given names and surname swapped must beat the direct one by this much."""
STRICT_FUZZY_FACTOR = 0.9
"""A spelling difference read from an exact source (barcode, text layer) counts more."""

_OCR_FOLD = str.maketrans({"0": "O", "Q": "O", "1": "I", "L": "I", "|": "I", "!": "I",
                           "5": "S", "8": "B", "6": "G", "2": "Z", "4": "A", "7": "T"})  # fmt: skip


@dataclass(frozen=True)
class PersonName:
    """A name as normalised tokens: given names (first, then middle), surname, suffix."""

    given: tuple[str, ...]
    surname: tuple[str, ...]
    suffix: str | None = None
    whole: bool = False
    """The whole name came in one field: where given names end and the surname starts is unknown."""

    def display(self) -> str:
        """The normalised name, given names first."""
        return " ".join((*self.given, *self.surname, *([self.suffix] if self.suffix else [])))


@dataclass(frozen=True)
class NameMatch:
    """How well two names match."""

    similarity: float
    parts: tuple[tuple[str, str, str], ...]
    """(document part, profile part, how): how is exact, nickname, initial, partial, fuzzy..."""
    reason: str
    swapped: bool = False


APOSTROPHES = "'‘’ʼ`´"
"""An apostrophe and the marks OCR reads for one ("D‘ANGELO", CT-S10019-0149)."""


def tokens(text: str | None) -> list[str]:
    """Upper-case ASCII tokens: accents dropped, apostrophes and periods removed, hyphens split."""
    if not text:
        return []
    plain = unicodedata.normalize("NFKD", re.sub(f"[{APOSTROPHES}.]", "", text))  # ´ no accent
    plain = "".join(c for c in plain if not unicodedata.combining(c)).upper()
    return [_TOKEN_CANON.get(t, t) for t in re.split(r"[^A-Z0-9]+", plain) if t]


def _split_suffix(parts: list[str]) -> tuple[list[str], str | None]:
    kept = [p for p in parts if p not in TITLES and p not in LABEL_WORDS] or parts
    suffix = None
    while len(kept) > 1 and kept[-1] in SUFFIXES:
        suffix = _SUFFIX_CANON.get(kept[-1], kept[-1])
        kept = kept[:-1]
    return kept, suffix


def person_name(
    first: str | None,
    middle: str | None = None,
    last: str | None = None,
    suffix: str | None = None,
) -> PersonName:
    """Build a `PersonName` from name fields; a 'LAST, FIRST' in one field is split."""
    whole = bool(first) != bool(last) and not middle
    first, last = _unfold_comma(first, last)
    whole = whole and not (first and last)
    given, sfx1 = _split_suffix(tokens(first) + tokens(middle))
    surname, sfx2 = _split_suffix(tokens(last))
    explicit = tokens(suffix)
    sfx = _SUFFIX_CANON.get(explicit[0], explicit[0]) if explicit else (sfx2 or sfx1)
    return PersonName(tuple(given), tuple(surname), sfx, whole)


def _unfold_comma(first: str | None, last: str | None) -> tuple[str | None, str | None]:
    """'GONZALEZ, MARIA' in a single field becomes first 'MARIA', last 'GONZALEZ'."""
    for value, other in ((last, first), (first, last)):
        if value and "," in value and not other:
            head, _, tail = value.partition(",")
            if tokens(tail) and not set(tokens(tail)) <= SUFFIXES:
                return tail, head
    return first, last


def ocr_fold(text: str) -> str:
    """Map characters OCR confuses to one form (an ñ read as 'fi', rn as m, ci and cl as d
    ('Luda' for Lucia, MA-S10037-0149), 1 as I...)."""
    return (
        text.translate(_OCR_FOLD)
        .replace("RN", "M")
        .replace("VV", "W")
        .replace("FI", "N")
        .replace("JI", "N")
        .replace("CI", "D")
    )


def text_similarity(a: str, b: str, *, tolerant: bool) -> float:
    """rapidfuzz ratio (0 to 1); with `tolerant`, also after folding OCR-confused characters."""
    score = fuzz.ratio(a, b) / 100.0
    if tolerant:
        folded_a, folded_b = ocr_fold(a), ocr_fold(b)
        score = max(score, fuzz.ratio(folded_a, folded_b) / 100.0)
    return score


def _given_token(doc: str, prof: str, tolerant: bool) -> tuple[float, str]:
    if doc == prof:
        return 1.0, "exact"
    if same_given_name(doc, prof) or (tolerant and _nickname_misread(doc, prof)):
        return NICKNAME_SCORE, "nickname"
    if (len(doc) == 1 or len(prof) == 1) and doc[0] == prof[0]:
        return INITIAL_SCORE, "initial"
    score = text_similarity(doc, prof, tolerant=tolerant)
    return (score if tolerant else score * STRICT_FUZZY_FACTOR), "fuzzy"


def _nickname_misread(doc: str, prof: str) -> bool:
    """`doc`, read by OCR, is a nickname of `prof` (not `prof` itself) with characters OCR
    confuses misread ("DEBBLE" for Debbie, i read as l, beside the profile's Deborah,
    MA-S10059-0018): the same once both are folded (`ocr_fold`)."""
    folded = ocr_fold(doc)
    return any(ocr_fold(form) == folded for form in name_forms(prof) if form != prof)


def _surname(doc: tuple[str, ...], prof: tuple[str, ...], tolerant: bool) -> tuple[float, str]:
    if "".join(doc) == "".join(prof):
        return 1.0, "exact"
    small = set(doc) if len(doc) < len(prof) else set(prof)
    if (small < set(doc) or small < set(prof)) and any(len(t) >= 3 for t in small):
        return PARTIAL_SURNAME_SCORE, "partial"
    whole = text_similarity("".join(doc), "".join(prof), tolerant=tolerant)
    if not tolerant:
        whole *= STRICT_FUZZY_FACTOR
    best_part = max(
        (
            text_similarity(d, p, tolerant=tolerant)
            for d in doc
            for p in prof
            if len(doc) != len(prof)
        ),
        default=0.0,
    )
    part = best_part * PARTIAL_SURNAME_SCORE * (1.0 if tolerant else STRICT_FUZZY_FACTOR)
    return (whole, "fuzzy") if whole >= part else (part, "partial-fuzzy")


def _middle_factor(doc: tuple[str, ...], prof: tuple[str, ...], tolerant: bool) -> float:
    """1 when middle names agree or one side has none, less when both differ."""
    if not doc or not prof:
        return 1.0
    score, _ = _given_token(doc[0], prof[0], tolerant)
    return 1.0 if score >= 0.85 else MIDDLE_CONFLICT_FACTOR


def _given(doc: PersonName, prof: PersonName, tolerant: bool) -> tuple[float, str, str, str]:
    """Score of the given names: (score, how, doc part, profile part)."""
    if "".join(doc.given) == "".join(prof.given):
        return 1.0, "exact", " ".join(doc.given), " ".join(prof.given)
    score, how = _given_token(doc.given[0], prof.given[0], tolerant)
    joined = text_similarity(
        "".join(doc.given), "".join(prof.given[: len(doc.given)]), tolerant=tolerant
    )
    if joined > score and len(doc.given) > 1:
        score, how = (joined if tolerant else joined * STRICT_FUZZY_FACTOR), "fuzzy"
    score *= _middle_factor(doc.given[1:], prof.given[1:], tolerant)
    glued = _glued_initial(doc.given, prof.given) if tolerant else None
    if glued is not None and glued[0] > score:
        return glued[0], glued[1], f"{doc.given[0][:-1]} {doc.given[0][-1]}", " ".join(prof.given)
    if len(doc.given) == 1 and len(prof.given) > 1 and len(prof.given[1]) > 1:
        middle = _by_middle_name(doc.given[0], prof.given[1], tolerant)
        if middle is not None and middle[0] > score:
            return middle[0], middle[1], doc.given[0], prof.given[1]
    return score, how, doc.given[0], prof.given[0]


def _glued_initial(doc: tuple[str, ...], prof: tuple[str, ...]) -> tuple[float, str] | None:
    """The score of a lone given name read by OCR with the profile's middle initial glued to
    it ('TOMM' for 'TOM M', the space lost, CT-S10063-0146): its head scored as the first
    name when it is that name or a nickname of it; None otherwise."""
    if len(doc) != 1 or len(prof) < 2 or len(doc[0]) < 3 or doc[0][-1] != prof[1][0]:
        return None
    score, how = _given_token(doc[0][:-1], prof[0], tolerant=True)
    return (score, how) if how in ("exact", "nickname") else None


def _by_middle_name(doc: str, middle: str, tolerant: bool) -> tuple[float, str] | None:
    """The score of a lone given name read that is the profile's middle name or its
    nickname; None otherwise (an initial, or a spelling near it, is not enough)."""
    if len(doc) < 2:
        return None
    _, how = _given_token(doc, middle, tolerant)
    return (MIDDLE_AS_FIRST_SCORE, "middle") if how in ("exact", "nickname") else None


def _score(doc: PersonName, prof: PersonName, tolerant: bool) -> NameMatch:
    parts: list[tuple[str, str, str]] = []
    scores: list[float] = []
    if doc.surname and prof.surname:
        s, how = _surname(doc.surname, prof.surname, tolerant)
        scores.append(s)
        parts.append((" ".join(doc.surname), " ".join(prof.surname), how))
    if doc.given and prof.given:
        g, how, d_part, p_part = _given(doc, prof, tolerant)
        scores.append(g)
        parts.append((d_part, p_part, how))
    if not scores:
        return NameMatch(0.0, (), "no comparable name parts")
    similarity = min(scores)
    if doc.suffix and prof.suffix and doc.suffix != prof.suffix:
        similarity *= SUFFIX_CONFLICT_FACTOR
        parts.append((doc.suffix, prof.suffix, "suffix differs"))
    return NameMatch(round(similarity, 4), tuple(parts), _reason(parts, similarity))


def _reason(parts: list[tuple[str, str, str]], similarity: float) -> str:
    words = {
        "exact": "the same",
        "nickname": "a known nickname",
        "initial": "an initial",
        "partial": "one part of a compound surname",
        "fuzzy": "spelled differently",
        "partial-fuzzy": "like one part of a compound surname, spelled differently",
        "suffix differs": "a different suffix",
        "middle": "the middle name",
    }
    said = "; ".join(_part_words(d, p, how, words) for d, p, how in parts)
    return f"{said} (similarity {round(similarity * 100)}/100)"


def _part_words(doc: str, prof: str, how: str, words: dict[str, str]) -> str:
    if how == "middle":
        return f"'{doc}' is {words[how]}, '{prof}', of the profile"
    if how in {"nickname", "initial"}:
        return f"'{doc}' is {words[how]} of '{prof}'"
    return f"'{doc}' vs '{prof}': {words.get(how, how)}"


def _interpretations(doc: PersonName) -> list[tuple[PersonName, bool]]:
    """The document name as read, and with given names and surname swapped."""
    out = [(doc, False)]
    if doc.whole and (len(doc.given) > 1 or len(doc.surname) > 1):
        out = []  # the whole name in one field: only its splits below are meaningful
    if doc.given and doc.surname:
        out.append((PersonName(doc.surname, doc.given, doc.suffix), True))
    elif not doc.whole:
        pass
    elif doc.given and len(doc.given) > 1:  # everything landed in one field
        out.append((PersonName(doc.given[:-1], doc.given[-1:], doc.suffix), False))
        out.append((PersonName(doc.given[1:], doc.given[:1], doc.suffix), True))
    elif doc.surname and len(doc.surname) > 1:
        out.append((PersonName(doc.surname[1:], doc.surname[:1], doc.suffix), True))
        out.append((PersonName(doc.surname[:-1], doc.surname[-1:], doc.suffix), False))
    return out


JOINT_WORDS = re.compile(r"\s+(?:OR|AND|&|\+)\s+|\s*&\s*", re.IGNORECASE)
"""What joins the holders of a joint account ('JOHN SMITH OR MARY SMITH', 'SMITH JOHN & MARY')."""


def holders(text: str) -> list[list[str]]:
    """The names of the holders a joint addressee line lists, as token lists, in order; a
    holder given by first name only ('SMITH JOHN & MARY') shares the other's surname, so it
    gets the neighbour's first and last word as candidate surnames (both tried)."""
    parts = [tokens(part) for part in JOINT_WORDS.split(text)]
    parts = [p for p in parts if p]
    if len(parts) < 2:
        return parts
    out: list[list[str]] = []
    for i, part in enumerate(parts):
        if len(part) > 1:
            out.append(part)
            continue
        other = parts[i - 1] if i else parts[i + 1]
        out.extend([[*part, other[-1]], [other[0], *part]])
    return out


def _orders(words: list[str]) -> list[tuple[PersonName, bool]]:
    """Every split of an unordered name: 'GIVEN... SURNAME...' and 'SURNAME... GIVEN...'."""
    kept, suffix = _split_suffix(words)
    out: list[tuple[PersonName, bool]] = []
    for k in range(1, len(kept)):
        out.append((PersonName(tuple(kept[:k]), tuple(kept[k:]), suffix), False))
        out.append((PersonName(tuple(kept[k:]), tuple(kept[:k]), suffix), True))
    return out


def compare_unordered(words: list[str], profile: PersonName, *, tolerant: bool) -> NameMatch:
    """The best match of a name printed without labels or comma ('CASTILLO SIOBHAN K'),
    whose word order says nothing about which words are the surname: every split in either
    order is tried; a surname-first reading must beat the best given-first one by
    `SWAP_MARGIN`. Every given name and surname must still match: another first name with
    the profile's surname stays another person."""
    candidates = _orders(words) or [(PersonName(tuple(words), ()), False)]
    return _best(candidates, profile, tolerant)


def compare_names(doc: PersonName, profile: PersonName, *, tolerant: bool) -> NameMatch:
    """The best match of the document's name against the profile's, in either order."""
    return _best(_interpretations(doc), profile, tolerant)


def _best(
    candidates: list[tuple[PersonName, bool]], profile: PersonName, tolerant: bool
) -> NameMatch:
    """The best-scoring reading; a swapped order must win by `SWAP_MARGIN`."""
    best: NameMatch | None = None
    for candidate, swapped in candidates:
        match = _score(candidate, profile, tolerant)
        margin = SWAP_MARGIN if swapped else 0.0
        if best is None or match.similarity > best.similarity + margin:
            best = NameMatch(match.similarity, match.parts, match.reason, swapped)
    assert best is not None
    return best
