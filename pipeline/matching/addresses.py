"""US postal addresses: parse, normalise to USPS conventions, compare component by component.

`parse_address(line1, line2, city, state, zip)` -> `PostalAddress` (house number, street
name, street type and directionals as USPS abbreviations, unit identifier, PO box / mail
drop, city, state, ZIP5). `compare_addresses(doc, profile, ...)` -> `AddressMatch` naming
each component that differs. usaddress does the tagging; its failures fall back to a
plain split, never an exception.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import usaddress
from scourgify.address_constants import (
    DIRECTIONAL_REPLACEMENTS,
    OCCUPANCY_TYPE_ABBREVIATIONS,
    STATE_ABBREVIATIONS,
    STREET_TYPE_ABBREVIATIONS,
)

from pipeline.matching.names import ocr_fold, text_similarity, tokens

_PO_BOX = re.compile(r"\b(P\s*O\s*BOX|POST\s+OFFICE\s+BOX|POB|BOX)\s*#?\s*\d+", re.I)
_MAIL_DROP = re.compile(r"\b(PMB|PRIVATE\s+MAIL\s*BOX|GENERAL\s+DELIVERY|MAIL\s*STOP)\b", re.I)
_GLUED_UNIT = re.compile(
    r"\b(ST|AVE|RD|DR|LN|CT|PL|BLVD|TER|WAY|CIR|PKWY|HWY)(APT|UNIT|STE|APARTMENT)(?=\s*\w)", re.I
)
"""A street type glued to a unit word by OCR ('DRAPT 14')."""
_GLUED_UNIT_ID = re.compile(r"\b(APT|APARTMENT|UNIT|STE|SUITE)(?=\d)", re.I)
"""A unit word glued to its identifier by OCR ('APT3D')."""
_DIRECTIONS = {"N", "S", "E", "W", "NE", "NW", "SE", "SW"}


@dataclass(frozen=True)
class PostalAddress:
    """A normalised address; None where a part was not given or not recognised."""

    number: str | None = None
    street: str | None = None
    """Street name with directionals, upper case (e.g. 'N MAIN')."""
    street_type: str | None = None
    """USPS suffix abbreviation (ST, AVE, RD...)."""
    unit: str | None = None
    """Unit identifier only (3, 4B): Apt/Apartment/#/Unit are the same thing."""
    po_box: bool = False
    mail_drop: bool = False
    city: str | None = None
    state: str | None = None
    zip5: str | None = None

    def line(self) -> str:
        """USPS-style delivery line."""
        parts = [self.number, self.street, self.street_type]
        if self.unit:
            parts.append(f"APT {self.unit}")
        return " ".join(p for p in parts if p)


@dataclass(frozen=True)
class AddressMatch:
    """Component-by-component comparison of two addresses."""

    components: dict[str, tuple[str | None, str | None, bool, float]]
    """name -> (document value, profile value, matches, similarity)."""
    differing: tuple[str, ...]
    similarity: float


def _clean(text: str | None) -> str:
    return " ".join(tokens(text)) if text else ""


def normalize_zip(value: str | None) -> str | None:
    """ZIP5 from a ZIP, ZIP+4 or a noisy read ('06106-1234', '06106 1234')."""
    if not value:
        return None
    digits = re.sub(r"\D", "", value)
    return digits[:5] if len(digits) >= 5 else None


def normalize_state(value: str | None) -> str | None:
    """Two-letter state code from a code or a full name."""
    if not value:
        return None
    text = _clean(value)
    if len(text) == 2:
        return text
    return STATE_ABBREVIATIONS.get(text, text[:2] if len(text.split()) == 1 else None)


def _tag(text: str) -> dict[str, str]:
    try:
        tagged, _ = usaddress.tag(text)
        return dict(tagged)
    except usaddress.RepeatedLabelError as exc:
        out: dict[str, str] = {}
        for value, label in exc.parsed_string:
            out.setdefault(label, value)
        return out
    except Exception:  # usaddress can raise on odd input: fall back to no tags
        return {}


def _street_type(value: str | None) -> str | None:
    if not value:
        return None
    key = _clean(value)
    return STREET_TYPE_ABBREVIATIONS.get(key, key)


def _directional(value: str | None) -> str | None:
    if not value:
        return None
    key = _clean(value).replace(" ", "")
    return DIRECTIONAL_REPLACEMENTS.get(key, key if key in _DIRECTIONS else _clean(value))


def _unit_id(tags: dict[str, str]) -> str | None:
    raw = tags.get("OccupancyIdentifier") or tags.get("SubaddressIdentifier")
    if not raw:
        return None
    parts = [t for t in tokens(raw) if t not in OCCUPANCY_TYPE_ABBREVIATIONS and t != "NO"]
    parts = [t for t in parts if t not in {v for v in OCCUPANCY_TYPE_ABBREVIATIONS.values()}]
    return "".join(parts).lstrip("0") or None


def parse_address(
    line1: str | None,
    line2: str | None = None,
    city: str | None = None,
    state: str | None = None,
    zip_code: str | None = None,
) -> PostalAddress:
    """Parse delivery lines (unit anywhere in them) plus city, state and ZIP."""
    lines = " ".join(x for x in (line1, line2) if x and x.strip())
    lines = re.sub(r"#\s*", " # ", lines).strip()
    lines = _GLUED_UNIT.sub(r"\1 \2", lines)
    lines = _GLUED_UNIT_ID.sub(r"\1 ", lines)
    tags = _tag(lines) if lines else {}
    street = " ".join(
        p
        for p in (
            _directional(tags.get("StreetNamePreDirectional")),
            _clean(tags.get("StreetNamePreType")),
            _clean(tags.get("StreetName")),
            _directional(tags.get("StreetNamePostDirectional")),
        )
        if p
    )
    return PostalAddress(
        number=_clean(tags.get("AddressNumber")).replace(" ", "") or None,
        street=street or None,
        street_type=_street_type(tags.get("StreetNamePostType")),
        unit=_unit_id(tags),
        po_box=bool(_PO_BOX.search(lines)) or "USPSBoxID" in tags,
        mail_drop=bool(_MAIL_DROP.search(lines)) or tags.get("SubaddressType", "").upper() == "PMB",
        city=_clean(city) or _clean(tags.get("PlaceName")) or None,
        state=normalize_state(state or tags.get("StateName")),
        zip5=normalize_zip(zip_code or tags.get("ZipCode")),
    )


def _ratio(a: str, b: str, tolerant: bool = False) -> float:
    """Similarity of two names, spaces ignored; `tolerant` (an OCR read): also after folding
    the characters OCR confuses ('MILI' for 'MILL')."""
    return text_similarity(a.replace(" ", ""), b.replace(" ", ""), tolerant=tolerant)


def compare_addresses(
    doc: PostalAddress,
    profile: PostalAddress,
    *,
    street_min: float,
    city_min: float,
    tolerant: bool = False,
    city_min_same_zip: float | None = None,
) -> AddressMatch:
    """Compare house number (exact), street (fuzzy), type, unit, city (fuzzy), state, ZIP5.

    A component missing on either side is not counted against the match. `tolerant`: the
    document's address was read by OCR, and the street and city are also compared with
    the characters OCR confuses folded together (as names are), and when its ZIP code
    agrees with the profile's, a city at least `city_min_same_zip` alike is a misread.
    """
    comps: dict[str, tuple[str | None, str | None, bool, float]] = {}

    def put(name: str, d: str | None, p: str | None, score: float, threshold: float) -> None:
        comps[name] = (d, p, score >= threshold, round(score, 3))

    if doc.number and profile.number:
        put("house number", doc.number, profile.number, float(doc.number == profile.number), 1.0)
    if doc.street and profile.street:
        score = _street_score(doc.street, profile.street, tolerant)
        glued_other = None
        if not doc.street_type and profile.street_type:
            score = max(score, _glued_type_score(doc.street, profile, tolerant))
            glued_other = _other_type_glued(doc.street, profile, tolerant, score)
        put("street", doc.street, profile.street, score, street_min)
        if glued_other:
            put("street type", glued_other, profile.street_type, 0.0, 1.0)
    if doc.street_type and profile.street_type:
        same = doc.street_type == profile.street_type
        put("street type", doc.street_type, profile.street_type, float(same), 1.0)
    if doc.unit and profile.unit:
        put("unit", doc.unit, profile.unit, _unit_score(doc.unit, profile.unit, tolerant), 1.0)
    if doc.city and profile.city:
        city = _ratio(doc.city, profile.city, tolerant)
        floor = city_min
        if tolerant and city_min_same_zip is not None and doc.zip5 and doc.zip5 == profile.zip5:
            floor = min(city_min, city_min_same_zip)
        put("city", doc.city, profile.city, city, floor)
    if doc.state and profile.state:
        put("state", doc.state, profile.state, float(doc.state == profile.state), 1.0)
    if doc.zip5 and profile.zip5:
        put("ZIP code", doc.zip5, profile.zip5, float(doc.zip5 == profile.zip5), 1.0)
    differing = tuple(name for name, (_, _, ok, _) in comps.items() if not ok)
    scores = [s for (_, _, _, s) in comps.values()]
    similarity = min(scores) if scores else 0.0
    return AddressMatch(comps, differing, round(similarity, 3))


def _unit_score(doc: str, profile: str, tolerant: bool) -> float:
    """1 for the same unit; read by OCR, also when the characters OCR confuses are folded
    together ('SA' for unit 5A, CT-O4173-0009)."""
    return float(doc == profile or (tolerant and ocr_fold(doc) == ocr_fold(profile)))


def _street_score(doc: str, profile: str, tolerant: bool = False) -> float:
    """Street names: directionals present on one side only are ignored."""
    d = [t for t in doc.split() if t not in _DIRECTIONS]
    p = [t for t in profile.split() if t not in _DIRECTIONS]
    d_dirs = {t for t in doc.split() if t in _DIRECTIONS}
    p_dirs = {t for t in profile.split() if t in _DIRECTIONS}
    score = _ratio(" ".join(d) or doc, " ".join(p) or profile, tolerant)
    if d_dirs and p_dirs and d_dirs != p_dirs:
        score *= 0.5
    return score


_TYPE_WORDS: dict[str, tuple[str, ...]] = {}
for _word, _abbr in STREET_TYPE_ABBREVIATIONS.items():
    _TYPE_WORDS.setdefault(_abbr, (_abbr,))
    if " " not in _word and _word != _abbr:
        _TYPE_WORDS[_abbr] += (_word,)
"""USPS street type -> the ways it is printed (AVE: AVE, AVENUE, AV, AVEN...)."""


def _glued_type_score(doc_street: str, profile: PostalAddress, tolerant: bool) -> float:
    """The street read with the profile's street type glued on ('MILLAVE' for Mill Ave,
    CT-S10033-0036): a read with no type of its own that ends in a printed form of the
    profile's type is scored without it. Another type glued on is `_other_type_glued`'s."""
    cuts = _type_cuts(doc_street, lambda usps: usps == profile.street_type)
    return max((_street_score(cut, profile.street or "", tolerant) for _, cut in cuts), default=0.0)


def _other_type_glued(
    doc_street: str, profile: PostalAddress, tolerant: bool, score: float
) -> str | None:
    """Another street type glued to the profile's street name ('MILLST' for Mill Ave
    scores 0.80 as a name and passed): the type whose printed form, cut off, leaves a
    name closer to the profile's than the read as a whole ('FOREST' keeps its ST)."""
    cuts = _type_cuts(doc_street, lambda usps: usps != profile.street_type)
    return next(
        (usps for usps, cut in cuts if _street_score(cut, profile.street or "", tolerant) > score),
        None,
    )


def _type_cuts(doc_street: str, wanted: Callable[[str], bool]) -> Iterator[tuple[str, str]]:
    """(USPS type, the read without it) for each `wanted` type one of whose printed forms
    ends the read, spaces removed, with at least two letters before it."""
    glued = doc_street.replace(" ", "")
    for usps, forms in _TYPE_WORDS.items():
        if wanted(usps):
            for form in forms:
                if glued.endswith(form) and len(glued) > len(form) + 1:
                    yield usps, glued[: -len(form)]


# --------------------------------------------------------------------------- street in text

_DIGIT_SLIPS = str.maketrans(
    {"O": "0", "D": "0", "Q": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "B": "8"}
)
"""Letters OCR reads for digits inside a house number ('2O61', '1l4')."""
_DIGIT_GLYPHS = re.compile(r"[$§](?=\d)")
"""Signs OCR reads for a 5 or an S glued to the digits after it ('$56 Union Blvd' for 556,
MA-S10032-0061): taken as the S that `_DIGIT_SLIPS` turns into a 5, not dropped."""
_ZERO_GLYPH = re.compile(r"(?<=\d)@|@(?=\d)")
"""An at sign OCR reads for a 0 glued to the digits beside it ('5@ HIGHLAND ROAD' for 50,
CT-S10088-0052)."""
_STREET_WINDOW = 4
"""Street-name tokens read after a house number (directionals and the type come on top)."""


@dataclass(frozen=True)
class StreetSighting:
    """A house number followed by the profile's street name, found in a document's text."""

    number: str
    """The house number printed there (OCR letter-for-digit slips repaired)."""
    street: str
    """The street words printed after it."""
    street_type: str | None
    """Its USPS street type when one was printed right after the name."""
    text: str
    """The words as printed (for the reviewer)."""
    similarity: float
    """Street-name similarity with the profile's (0 to 1)."""
    same_number: bool
    same_type: bool
    """False only when both sides name a street type and they differ (Maple Ave vs Maple St)."""
    profile_zip_follows: bool = False
    """The profile's state and ZIP are printed within `ZIP_REACH` words after it."""

    @property
    def same_address(self) -> bool:
        return self.same_number and self.same_type


def _as_number(token: str) -> str | None:
    """A token read as a house number: digits with OCR letter slips repaired, an optional
    trailing letter ('12A'); None when it is a word."""
    if not any(c.isdigit() for c in token):
        return None
    head, tail = (token[:-1], token[-1]) if len(token) > 1 and token[-1].isalpha() else (token, "")
    fixed = head.translate(_DIGIT_SLIPS)
    if not fixed.isdigit():
        return None
    return (fixed.lstrip("0") or "0") + tail


def street_words(street: str) -> list[str]:
    """A street name's words without its directionals ('N MAIN' -> ['MAIN'])."""
    return [t for t in street.split() if t not in _DIRECTIONS]


def _direction(token: str) -> bool:
    return token in _DIRECTIONS or DIRECTIONAL_REPLACEMENTS.get(token) in _DIRECTIONS


ZIP_REACH = 16
"""Words after a street line within which its city line's state and ZIP stand: the unit,
the city, and what OCR read of a column beside the block in between ("59 Pleasant Terrace
Regional Water Authority Apt 3 PO Box 6076 Norwalk, CT 06851")."""


def _place_follows(words: list[str], profile: PostalAddress) -> bool:
    """The profile's state and ZIP, side by side, among `words`; the state's code as OCR
    may misread it ('C7' for CT: a bill's top block, its stub's ZIP misread, CT-S10079-0002)."""
    if not (profile.zip5 and profile.state):
        return False
    state = ocr_fold(profile.state)
    return any(ocr_fold(a) == state and b == profile.zip5 for a, b in itertools.pairwise(words))


def _city_opens(words: list[str], city: list[str], profile: PostalAddress) -> bool:
    """`words` open with the profile's city; or with its last words and then its state or
    ZIP, the first words lost with the end of the line above, cut at the page's edge
    ("2779 Union" | "Haven, Connecticut 06513" for New Haven, CT-O4171-0043)."""
    if words[: len(city)] == city:
        return True
    for start in range(1, len(city)):
        tail = city[start:]
        after = words[len(tail)] if len(words) > len(tail) else ""
        if words[: len(tail)] == tail and after and _place_word(after, profile):
            return True
    return False


def _place_word(word: str, profile: PostalAddress) -> bool:
    """`word` is the profile's state (its code or name) or its ZIP."""
    state = word if len(word) == 2 else STATE_ABBREVIATIONS.get(word)
    return (bool(profile.state) and state == profile.state) or word == profile.zip5


def find_street(text: str, profile: PostalAddress, *, street_min: float) -> list[StreetSighting]:
    """Every place the text prints a house number followed by the profile's street name
    (OCR-tolerant: letter-for-digit slips in the number, street name fuzzy at
    `street_min`, directionals and Street/St forms ignored). The house number itself is
    kept as printed: the caller compares it exactly. A word opening the profile's city
    name is not a street type ('FALL' of 'FALL RIVER', `_city_opens`). Best sightings
    first."""
    if not profile.street or not text:
        return []
    want = street_words(profile.street)
    if not want:
        return []
    joined = "".join(want)
    want_number = _as_number(profile.number or "") or profile.number
    words = tokens(_ZERO_GLYPH.sub("0", _DIGIT_GLYPHS.sub("S", text)))
    city = tokens(profile.city) or [""]  # 'Fall' of '871 Prospect / Fall River': the city
    found: list[StreetSighting] = []
    for i, token in enumerate(words):
        number = _as_number(token)
        if number is None:
            continue
        j = i + 1
        following = _as_number(words[j]) if j < len(words) else None
        if following and want_number and number + following == want_number:
            number, j = want_number, j + 1  # a hyphenated number ('12-14') split in tokens
        while j < len(words) and _direction(words[j]):
            j += 1
        best: tuple[float, int] | None = None
        for k in range(max(1, len(want) - 1), min(len(want) + 1, _STREET_WINDOW) + 1):
            cand = words[j : j + k]
            if len(cand) < k:
                break
            score = _ratio("".join(cand), joined)
            if best is None or score > best[0]:
                best = (score, k)
        if best is None or best[0] < street_min:
            continue
        score, k = best
        end = j + k
        typed = end < len(words) and not _city_opens(words[end:], city, profile)
        after = words[end] if typed else None
        read_type = STREET_TYPE_ABBREVIATIONS.get(after) if after else None
        if read_type is None and after in set(STREET_TYPE_ABBREVIATIONS.values()):
            read_type = after
        same_type = not (read_type and profile.street_type) or read_type == profile.street_type
        shown = " ".join(words[i : end + (1 if read_type else 0)])
        zip_follows = _place_follows(words[end : end + ZIP_REACH], profile)
        found.append(
            StreetSighting(
                number=number,
                street=" ".join(words[j:end]),
                street_type=read_type,
                text=shown,
                similarity=round(score, 3),
                same_number=number == want_number,
                same_type=same_type,
                profile_zip_follows=zip_follows,
            )
        )
    found.sort(key=lambda s: (not s.same_address, not s.same_number, -s.similarity))
    return found


@dataclass(frozen=True)
class PrintedStreet:
    """A house number and street words printed right before the profile's city line."""

    number: str
    street: str
    """The street words between the number and the city (upper case, as tokens)."""

    @property
    def text(self) -> str:
        """The number and words, for the reviewer."""
        return f"{self.number} {self.street}"


PLACE_REACH = 3
"""Words after the city within which its state (code or name) or ZIP stands."""
_NUMBER_AND_WORDS = (
    r"(?:^|\s)(?P<number>\d{1,6}[A-Za-z]?)(?P<street>(?:\s+[A-Za-z][A-Za-z'.-]*){1,%d})"
)
_LINE_END = re.compile(_NUMBER_AND_WORDS % _STREET_WINDOW + r"\s*,?\s*$")


def street_before_city(text: str, profile: PostalAddress) -> PrintedStreet | None:
    """The street written just before the profile's city (its state or ZIP after it), on
    the city's line or ending the line above: a contract's premises in a sentence
    ("located at 51 Highlan" | "New Britain, Connecticut 06053", the street cut at the
    page's edge and no comma left to end it, CT-O4249-0014). The house number stands on
    the street's line, at most `_STREET_WINDOW` words before the city. The last such
    street in the text, or None."""
    city = tokens(profile.city)
    if not city or not text:
        return None
    city_at = re.compile(r"\s+".join(re.escape(w) for w in city) + r"\b[,.]?(?P<rest>.*)", re.I)
    same_line = re.compile(_NUMBER_AND_WORDS % _STREET_WINDOW + r",?\s+" + city_at.pattern, re.I)
    lines = [line.strip() for line in text.replace("\f", "\n").splitlines()]
    found: PrintedStreet | None = None
    for above, line in itertools.pairwise(["", *lines]):
        match = same_line.search(line)
        opens = city_at.match(line)
        if match is None and opens is not None:
            match = _LINE_END.search(above)
            rest = opens.group("rest")
        else:
            rest = match.group("rest") if match else ""
        if match is None or not any(_place_word(w, profile) for w in tokens(rest)[:PLACE_REACH]):
            continue
        number = _as_number(match.group("number"))
        street = " ".join(tokens(match.group("street")))
        if number is not None and street:
            found = PrintedStreet(number, street)
    return found
