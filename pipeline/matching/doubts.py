"""Why a name or address that differs from the profile's is not conclusive evidence.

NAME_MISMATCH asserts "this document is another person's": it must rest on a confident
reading. `name_doubt(doc, read, profile, ctx)` returns why the reading is not one (the
check then warns the reviewer instead of flagging), or None when it is:
- the words read as the name are form vocabulary ("Named Insured and Mailing Address"):
  the reader took a label for the name;
- another reading of the same document (its licence barcode, its MRZ) gives the
  profile's name;
- the parts that differ were read by OCR with low confidence, and the parts read with
  confidence agree with the profile (a surname read well, a first name read as 'ie');
  or every part was read with low confidence (a degraded photo).
A confidently read other first name or surname is never excused.

ADDRESS_MISMATCH likewise: `address_doubt(doc, fv, match, cfg)` excuses an OCR-read
house number or ZIP that differs only when the words carrying it were read with low
confidence, or the page prints the profile's ZIP more often than the one read, or a house
number one digit longer or shorter was read less surely than the rest of its line. A
clearly printed other digit is still a mismatch.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from rapidfuzz.distance import Hamming, Levenshtein

from models.internal import DocumentState, FieldValue, PageText
from pipeline.config import MatchConfig
from pipeline.matching.addresses import AddressMatch
from pipeline.matching.names import (
    PersonName,
    compare_names,
    person_name,
    text_similarity,
    tokens,
)
from pipeline.matching.nicknames import name_forms, same_given_name

NAME_FIELDS = ("first_name", "middle_name", "last_name", "suffix")

FORM_WORDS = frozenset(
    {
        "ADDRESS", "MAILING", "MAIL", "INSURED", "NAMED", "ACCOUNT", "HOLDER", "CUSTOMER",
        "TENANT", "TENANTS", "LANDLORD", "POLICY", "POLICYHOLDER", "STATEMENT", "NUMBER",
        "AMOUNT", "BILLING", "PREMISES", "APPLICANT", "BORROWER", "RECIPIENT", "EMPLOYEE",
        "TAXPAYER", "OWNER", "PROPERTY", "SERVICE", "DATE", "PERIOD", "TOTAL", "DUE",
        "AND", "OF", "THE", "FOR", "TO", "YOUR", "PAGE",
    }
)  # fmt: skip
"""Words of form labels and phrases that a field reader may capture as a name."""
FORM_SHARE = 0.5
"""A read whose words are at least this share of form vocabulary (two words at least)
is a label, not a name."""


def name_doubt(
    doc: DocumentState, read: Mapping[str, FieldValue], profile: PersonName, cfg: MatchConfig
) -> str | None:
    """Why the name read is no confident evidence of another person, else None."""
    reasons = (
        _form_label(read),
        _initial_for_surname(read, profile),
        _other_reading(doc, read, profile, cfg),
    )
    for reason in reasons:
        if reason:
            return reason
    return _unsure_parts(read, profile, cfg)


def _initial_for_surname(read: Mapping[str, FieldValue], profile: PersonName) -> str | None:
    """The profile's first name then a single letter read as the surname: an initial, the
    name cut before the surname ('Susan R' for 'Susan R Ó Súilleabháin', its accented
    surname lost, MA-S10002-0034). Any other name before the letter is no such cut."""
    fv, first = read.get("last_name"), read.get("first_name")
    if fv is None or first is None or fv.source not in {"ocr", "mrz"}:
        return None
    letters = "".join(t for t in tokens(str(fv.value)) if t.isalpha())
    if len(letters) != 1 or tokens(str(first.value))[:1] != list(profile.given[:1]):
        return None
    return f"the surname read, '{fv.value}', is a single letter: an initial, the surname unread"


def _form_label(read: Mapping[str, FieldValue]) -> str | None:
    words = [t for fv in read.values() for t in tokens(str(fv.value))]
    form = [w for w in words if w in FORM_WORDS]
    if len(form) >= 2 and len(form) >= FORM_SHARE * len(words):
        return "the words read as the name are a form label, not a name"
    return None


def _name_of(fields: Mapping[str, FieldValue]) -> PersonName | None:
    values = {k: (str(fields[k].value) if k in fields else None) for k in NAME_FIELDS}
    if not values["first_name"] or not values["last_name"]:
        return None
    return person_name(
        values["first_name"], values["middle_name"], values["last_name"], values["suffix"]
    )


def _other_reading(
    doc: DocumentState, read: Mapping[str, FieldValue], profile: PersonName, cfg: MatchConfig
) -> str | None:
    """The document's machine-readable data (of another source than the read) names the
    applicant."""
    sources = {fv.source for fv in read.values()}
    for label, record in (("barcode", doc.barcode), ("MRZ", doc.mrz)):
        if record is None:
            continue
        name = _name_of(record.fields)
        if name is None or {fv.source for fv in record.fields.values()} <= sources:
            continue
        match = compare_names(name, profile, tolerant=label == "MRZ")
        if match.similarity >= cfg.name_pass:
            return f"the document's {label} gives the profile's name: the printed name is misread"
    return None


def _unsure_parts(
    read: Mapping[str, FieldValue], profile: PersonName, cfg: MatchConfig
) -> str | None:
    """The parts read with confidence agree with the profile; the others are unsure."""
    unsure = [k for k, fv in read.items() if _unsure(fv, cfg)]
    if not unsure:
        return None
    if "first_name" in unsure and "last_name" in unsure:
        return _all_unsure(read, unsure)
    if "first_name" in unsure and _another_given_name(read["first_name"], profile, cfg):
        return None
    if "first_name" in unsure:
        unsure.append("middle_name")  # a middle name alone would stand for the first
    v = {k: (str(read[k].value) if k in read and k not in unsure else None) for k in NAME_FIELDS}
    sure = replace(
        person_name(v["first_name"], v["middle_name"], v["last_name"], v["suffix"]), whole=False
    )
    if not (sure.given or sure.surname):
        return None
    if compare_names(sure, profile, tolerant=True).similarity < cfg.name_pass:
        return None
    low = ", ".join(
        f"{k.replace('_', ' ')} {fv.confidence:.2f}" for k, fv in read.items() if _unsure(fv, cfg)
    )
    return (
        f"the differing part was read by OCR with low confidence ({low}); the parts read "
        "with confidence agree with the profile"
    )


def _another_given_name(fv: FieldValue, profile: PersonName, cfg: MatchConfig) -> bool:
    """An unsure first name that no misread of the profile's would give: a whole name
    (`barcode_name_min_letters` letters or more) unlike every given name of the profile
    (similarity under `name_unsure_min`, not a nickname, not a piece of it, not one letter
    off one of its nicknames): 'WEI' read at 0.59 for 'JENNIFER' (CT-S10002-0155) is
    another person's name, however unsure."""
    words = [t for t in tokens(str(fv.value)) if t.isalpha()]
    if not words or len(words[0]) < cfg.barcode_name_min_letters:
        return False
    word = words[0]
    for given in profile.given:
        if word in given or same_given_name(word, given):
            return False
        if text_similarity(word, given, tolerant=True) >= cfg.name_unsure_min:
            return False
        if any(_one_letter_off(word, form) for form in name_forms(given)):
            return False  # 'LTZ' at 0.67 for 'LIZ', a nickname of 'ELIZABETH' (MA-S10005-0053)
    return bool(profile.given)


def _one_letter_off(word: str, name: str) -> bool:
    """One letter of a name of three letters or more misread as another."""
    return len(name) >= 3 and len(word) == len(name) and Hamming.distance(word, name) <= 1


def _all_unsure(read: Mapping[str, FieldValue], unsure: list[str]) -> str | None:
    """Every part of the name was read by OCR with low confidence (a degraded photo): what
    was read is no confident evidence of anyone. Measured on true mismatches photographed
    (seed 8101): their names were read at 0.81 to 0.87, above the floor, so still flagged."""
    if set(read) - set(unsure):
        return None
    low = ", ".join(f"{k.replace('_', ' ')} {read[k].confidence:.2f}" for k in unsure)
    return f"every part of the name was read by OCR with low confidence ({low})"


def _unsure(fv: FieldValue, cfg: MatchConfig) -> bool:
    return fv.source == "ocr" and fv.confidence < cfg.ocr_low_confidence


# --------------------------------------------------------------------------- addresses

DIGIT_PARTS = ("house number", "ZIP code")


def street_slip(read: str | None, profile: str | None, cfg: MatchConfig) -> bool:
    """Two street names at most `street_slip_max_edits` letters apart, both long enough
    (`street_slip_min_length`) that another street so near is unlikely."""
    if not read or not profile or min(len(read), len(profile)) < cfg.street_slip_min_length:
        return False
    return Levenshtein.distance(read.upper(), profile.upper()) <= cfg.street_slip_max_edits


def address_doubt(
    doc: DocumentState, fv: FieldValue, match: AddressMatch, cfg: MatchConfig
) -> str | None:
    """Why an OCR-read address that differs from the profile's is no confident evidence of
    another address, else None: every word carrying a differing value is one OCR could not
    resolve (below `ocr_no_read_confidence`: 'Voces' at 0.01 for a bank statement's lost
    street line, CT-S10035-0099); or the address differs only in its digits (house number,
    ZIP) and every word carrying them was read with low confidence, or the page prints the
    profile's value (on a line with the profile's city) more often than the value read, or
    its copies of the ZIP disagree and each of the profile's digits is read by one of them
    ("06205" on the letter, "06106" on the stub, for 06105 printed on both, CT-S10043-0144:
    a document addressed elsewhere prints its own ZIP alike in every copy); or only the house
    number differs, by a digit more or fewer, read less surely than its line (`_digit_added`)."""
    if fv.source != "ocr" or not match.differing:
        return None
    pages = ocr_pages(doc, fv)
    unread = _carried_below(pages, match, cfg.ocr_no_read_confidence)
    if unread:
        return f"the differing parts are words OCR could not resolve ({unread})"
    if not set(match.differing) <= set(DIGIT_PARTS):
        return None
    unsure = _carried_below(pages, match, cfg.ocr_low_confidence)
    if unsure:
        return f"the differing digits were read with low confidence ({unsure})"
    if match.differing == ("ZIP code",):
        return _zip_printed_elsewhere(match, pages)
    if match.differing == ("house number",):
        return _digit_added(match, pages)
    return None


ADDED_DIGIT_MARGIN = 0.1
"""How much less surely than the other words of its line a house number one digit longer
or shorter than the profile's must be read to be taken for a misread (a tax bill's "4859"
read "48539" at 0.84 beside "Pleasant St" at 0.96, MA-S10086-0177)."""


def _digit_added(match: AddressMatch, pages: list[PageText]) -> str | None:
    """Why a house number that is the profile's with one digit more or fewer (a glyph read
    as two, or two as one) is a misread: the words printing it were read at least
    `ADDED_DIGIT_MARGIN` less surely than every other word of their lines; else None. The
    profile's number has two digits at least ('5' and '15' are other houses)."""
    read, profile, _, _ = match.components["house number"]
    if not read or not profile or min(len(read), len(profile)) < 2:
        return None
    if abs(len(read) - len(profile)) != 1 or Levenshtein.distance(read, profile) != 1:
        return None
    carriers = [
        (word, line)
        for page in pages
        for line in page.lines
        for word in line
        if _digits_value(word.text, "house number") == read
    ]
    if not carriers:
        return None
    for word, line in carriers:
        others = [w.confidence for w in line if w is not word]
        if not others or word.confidence > min(others) - ADDED_DIGIT_MARGIN:
            return None
    worst = max(word.confidence for word, _ in carriers)
    return (
        f"the house number read '{read}' is the profile's '{profile}' with one digit more or "
        f"fewer, read at {worst:.2f}, less surely than the rest of its line: likely a misread"
    )


def _carried_below(pages: list[PageText], match: AddressMatch, floor: float) -> str | None:
    """Each differing part with the confidence of the words printing it, when all of them
    were read below `floor`; else None."""
    said = []
    for part in match.differing:
        read, _, _, _ = match.components[part]
        best = carrier_confidence(pages, part, read)
        if best is None or best >= floor:
            return None
        said.append(f"{part} '{read}' {best:.2f}")
    return ", ".join(said)


def ocr_pages(doc: DocumentState, fv: FieldValue | None = None) -> list[PageText]:
    """The document's OCR pages (only the page `fv` was read on, when it says)."""
    page = fv.page if fv is not None else None
    return [p for p in doc.text if p.source == "ocr" and (page is None or p.page == page)]


def carrier_confidence(pages: list[PageText], part: str, value: str | None) -> float | None:
    """The highest OCR confidence of the words printing `value` as address part `part` (a
    house number or ZIP by its digits, any other part, such as a street type, as one
    word); None when no word prints it. The address block's own confidence is its weakest
    word's: this is the confidence of the value itself."""
    if not value:
        return None
    if part in DIGIT_PARTS:
        found = [
            w.confidence for p in pages for w in p.words if _digits_value(w.text, part) == value
        ]
    else:
        want = tokens(value)
        found = [w.confidence for p in pages for w in p.words if tokens(w.text) == want]
    return max(found, default=None)


def _digits_value(text: str, part: str) -> str | None:
    """The house number or ZIP5 a word carries ('02169-4410' carries ZIP 02169)."""
    digits = re.sub(r"\D", "", text)
    if part == "ZIP code":
        return digits[:5] if len(digits) in (5, 9) and re.fullmatch(r"[\d\-]+[,.]?", text) else None
    return digits if re.fullmatch(r"\d+[A-Z]?[,.]?", text, re.I) else None


def _zip_printed_elsewhere(match: AddressMatch, pages: list[PageText]) -> str | None:
    read, profile, _, _ = match.components["ZIP code"]
    city = match.components.get("city")
    if not (read and profile and city and city[1]):
        return None
    lines = [" ".join(w.text for w in line).upper() for p in pages for line in p.lines]
    lines = [line for line in lines if str(city[1]).upper() in line]
    as_profile = sum(1 for line in lines if re.search(rf"\b{profile}\b", line))
    as_read = sum(1 for line in lines if re.search(rf"\b{read}\b", line))
    if as_profile > as_read:
        return (
            f"the page prints the profile's ZIP {profile} with the city {as_profile} time(s), "
            f"the ZIP read {read} {as_read} time(s): a misread"
        )
    state = match.components.get("state")
    copies = _zips_after(str(state[1]) if state and state[1] else "", lines)
    if as_profile or as_read > 1 or len(copies) < 2:
        return None  # the counts above decide; a ZIP read alike twice is printed so
    if all(any(c[i] == d for c in copies) for i, d in enumerate(profile)):
        return (
            f"the page's copies of the address read the ZIP {' and '.join(copies)}: they "
            f"disagree, and each of the profile's digits ({profile}) is read by one of them"
        )
    return None


def _zips_after(state: str, lines: list[str]) -> list[str]:
    """The ZIP5s printed right after `state` on `lines` (a remittance address beside the
    block, "Providence, RI 02940", is not a copy)."""
    if not state:
        return []
    pattern = re.compile(rf"\b{re.escape(state.upper())}\W{{0,2}}\s*(\d{{5}})(?:-\d{{4}})?\b")
    return sorted({m.group(1) for line in lines for m in pattern.finditer(line)})
