"""Stage `extract_fields`: names, dates, address and number, each with its evidence.

Sources are merged by reliability: barcode fields, then MRZ fields (when the MRZ is
valid), then what the printed text says (OCR or the PDF text layer). Printed fields
are found by label geometry (`layout`): a value right of its label or under it, with
English labels and AAMVA field numbers (1 family name, 2 given names, 3 DOB, 4a issue,
4b expiry, 4d number, 8 address). Residency proofs: the addressee block (a person's
name over a street line over "CITY, ST ZIP"; never the sender's PO box or a "pay to"
block) and the document date (statement / bill / notice / letter / lease date; never a
due date or a service period), the tenant a contract names ('Jane Doe ("Tenant")') and the
document's own account / policy / reference number. A document is read as the kind the
classifier found (a bill sent as the identity document is read as a bill). Where a label
was lost to OCR, a card's number is the first long number led only by short garbled
words (confidence 0.6). OCR's slips that documents made by other hands showed are read
through where nothing else could be meant: an I read as '!' in a name, a "through" or a
"Date Mailed" label cut or one letter off, a 0 read as 6 in a document date's year or day,
an AAMVA field number 8 read as another digit before the house number (by the card's
columns). What cannot be read is left out, never guessed.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import statistics
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import usaddress
from nameparser import HumanName
from rapidfuzz.distance import Levenshtein

from models.flags import RESIDENCY_TYPES, DocumentType
from models.internal import DocumentState, FieldValue, MrzRecord, ReadAddress, Word
from pipeline.context import Context
from pipeline.matching.names import APOSTROPHES
from pipeline.matching.nicknames import is_given_name
from pipeline.reading import dates as dates_mod
from pipeline.reading.layout import (
    NOISE_CONFIDENCE,
    Segment,
    above,
    below,
    segments,
    union_box,
)
from pipeline.reading.mrz_repair import TO_DIGIT
from pipeline.reading.name_order import fold_name, profile_order

IDENTITY_ROLE = "identity"

# ---------------------------------------------------------------- label vocabulary

_DOB = re.compile(
    r"^(?:(?:\d{1,2}\s?)?(?:D[O0][B8]|BIRTH|DATE\s*OF\s*BIRTH|BIRTH\s*DATE|BD|BORN)"
    r"|(?:3\s?)?[0O][0O][B8])\b",
    re.I,
)
"""A birth date's label; "DOB" with the letters OCR reads as digits ("3 DOB" read "3008",
CT-O4183-0049: the DOB was then taken from an age date misread 1936); read as digits
only after its AAMVA number 3 or alone ("2008" is a year)."""
_EXP = re.compile(
    r"^(?:4\s?b\s?)?(?:EX+P(?!ED)\w*|EXPIRES|EXPIRATION\w*|DATE\s*OF\s*EXPIR\w*|"
    r"VALID\s*(?:UNTIL|THRU|THROUGH|TO)|CADUCIDAD|VENCIMIENTO)",
    re.I,
)
_ISS = re.compile(
    r"^(?:4\s?a\s?)?(?:ISS\w*|ISSUED|DATE\s*OF\s*ISSUE|ISSUE\s*DATE|EXPEDI\w*|D[ÉE]LIVRANCE)",
    re.I,
)
"""Expiry and issue labels, English, French and Spanish as on passports: "expedición" is
the Spanish issue date, not an expiry ("Fecha de expedicion" over the issue date made it
the expiry when the expiry's own line was lost, MA-O4161-0137)."""
_DOB_NUM = re.compile(r"^3$")
_EXP_NUM = re.compile(r"^4\s?b$", re.I)
_ISS_NUM = re.compile(r"^4\s?a$", re.I)
_LAST = re.compile(
    r"^(?:1|LN|(?-i:t[nN])|LAST(?:\s*NAME)?|SU\w{0,2}AME|FAMILY\s*NAME|APELLIDOS?)[:.]?$", re.I
)
_FIRST = re.compile(r"^(?:2|FN|(?-i:r[nN])|FIRST(?:\s*NAME)?|GIVEN\s*NAMES?|NOMBRES?)[:.]?$", re.I)
"""Family and given-name labels; "tN" and "rN" are OCR's lower-case readings of LN and FN."""
_MIDDLE = re.compile(r"^(?:MIDDLE(?:\s*NAMES?)?|MIDDLE\s*INITIALS?|SECOND\s*NAMES?)[:.]?$", re.I)
_NAME = re.compile(
    r"^(?:NAME|FULL\s*NAME|TENANT|LESSEE|RESIDENT|CUSTOMER|ACCOUNT\s*HOLDER|EMPLOYEE)[:.]?$", re.I
)
_NUMBER = re.compile(
    r"^(?:4\s?d\s*)?(?:DLN|DL|LIC(?:ENSE)?|ID|CUSTOMER|CARD|DOCUMENT|PASSPORT)?\s*"
    r"(?:NO|NUM(?:BER)?|#|N°)?[:.#]*$",
    re.I,
)
_NUMBER_WORDS = re.compile(r"\b(?:DLN|DL|LIC|LICENSE|ID|4d|NO|NUMBER|#)\b|#", re.I)
_ADDRESS_LABEL = re.compile(
    r"^(?:8|ADDR(?:ESS)?|RESIDENCE|SERVICE\s*ADDRESS|PREMISES|PROPERTY)[:.]?$", re.I
)

_DOC_DATE_LABELS: tuple[tuple[re.Pattern[str], float], ...] = (
    (
        re.compile(
            r"STATEMENT\s*DATE|BILL(?:ING)?\s*DATE|DATE\s*OF\s*(?:NOTICE|BILL|STATEMENT|LETTER)",
            re.I,
        ),
        1.0,
    ),
    (
        re.compile(
            r"NOTICE\s*DATE|INVOICE\s*DATE|ISSUE\s*DATE|DATE\s*(?:OF\s*)?ISSUE[DS]?|ISSUED\s*ON|"
            r"MAIL(?:ING)?\s*DATE|DATE\s*(?:MAILED|SENT|PRINTED|PREPARED|GENERATED)|MAILED\s*ON|"
            r"PRINT(?:ED)?\s*DATE|(?:STATEMENT\s*)?CLOSING\s*DATE|DATE\s*OF\s*INVOICE",
            re.I,
        ),
        0.95,
    ),
    (
        re.compile(
            r"LEASE\s*DATE|MADE\s*(?:AND\s*ENTERED\s*INTO\s*)?(?:ON|AS\s*OF)|ENTERED\s*INTO\s*ON|DATED|EFFECTIVE",
            re.I,
        ),
        0.9,
    ),
    (re.compile(r"PAY\s*DATE|CHECK\s*DATE|ADVICE\s*DATE", re.I), 0.9),
    (re.compile(r"(?:^|\W)DATE\s*[:.]?\s*$", re.I), 0.8),
    (re.compile(r"START\s*DATE|COMMENCEMENT|TERM\s*BEGINS|BEGINNING\s*ON", re.I), 0.6),
)
_NOT_DOC_DATE = re.compile(
    r"DUE|PAY\s*BY|RESPOND|REPLY|BEFORE|SERVICE|PERIOD|FROM|THROUGH|THRU|\bTO\b|\bENDS?\b|NEXT|"
    r"BIRTH|DOB|READ|LAST\s*PAYMENT|RECEIVED|EXPIR|DEADLINE|BY\s*$|-\s*$",
    re.I,
)

_ZIP_CHARS = r"[0-9OoDIl|©]"
_SPLIT_ZIP = "|".join(f"{_ZIP_CHARS}{{{n}}}\\s{_ZIP_CHARS}{{{5 - n}}}" for n in range(1, 5))
_CITY_LINE = re.compile(
    r"^(?P<city>[A-Za-z][A-Za-z .'\-]+?),?\s+(?P<state>[A-Z][A-Za-z])\.?,?\s*"
    rf"(?P<zip>{_ZIP_CHARS}{{5}}|{_SPLIT_ZIP})"
    rf"(?:\s?-\s?{_ZIP_CHARS}{{4}}|\s{_ZIP_CHARS}{{4}}|{_ZIP_CHARS}{{4}})?$"
)
"""'CITY, ST 12345' with ZIP+4 written '-1234', ' 1234' or glued; the state glued to the
ZIP by OCR ('MA02740'); OCR's letters for digits in the ZIP (O, D, I, l) are repaired
when at least three digits are real; a space OCR put inside the ZIP ('MA 0 1701',
MA-S10016-0057) closed."""
_STREET = re.compile(
    r"^(?:(?-i:[a-z])(?=\d))?(?=[0-9OoIl|@]*\d)[0-9OoIl|@]+[A-Z]?(?:-\d+)?\s+[A-Za-z0-9]", re.I
)
"""A street line's start: a house number (OCR's O/I/l/@ for 0/1 tolerated next to a real
digit, "5@ HIGHLAND ROAD" for 50, CT-S10088-0052; a small field number read as a
lower-case letter glued before it, `_FIELD_LETTER`), then a word."""
_FIELD_LETTER = re.compile(r"^[a-z](?=\d[0-9OoIl|]*[A-Za-z]?$)")
"""A card's small AAMVA field number read as a lower-case letter and glued to the house
number after it ("a5 ELM LN" for "8 5 ELM LN", as "aexe" for "4b EXP", CT-O4211-0088)."""
_DIGITS_FOR = str.maketrans({"O": "0", "o": "0", "D": "0", "©": "0", "I": "1", "l": "1", "|": "1"})
_HOUSE_DIGITS = str.maketrans({"O": "0", "o": "0", "@": "0", "I": "1", "l": "1", "|": "1"})
_UNIT_LINE = re.compile(
    r"^(?:APT|APARTMENT|UNIT|STE|SUITE|FL|FLOOR|RM|ROOM|BLDG|BUILDING|LOT|TRLR|#)\.?\s*#?\s*"
    r"[A-Z0-9\-]{1,6}$",
    re.I,
)
"""A unit line of its own between the street and the city line ('Apartment 3', '# 2B')."""
_PO_BOX = re.compile(r"\bP\.?\s*O\.?\s*BOX\b|\bPOST\s*OFFICE\s*BOX\b|\bBOX\s+\d", re.I)
_REMIT = re.compile(
    r"PAY(?:ABLE)?\s*TO|REMIT|MAIL\s*(?:YOUR\s*)?PAYMENT|MAKE\s*CHECKS?|RETURN\s*(?:THIS|SERVICE)",
    re.I,
)
_COMPANY = re.compile(
    r"\b(?:INC|LLC|L\.L\.C|CORP|CORPORATION|COMPANY|CO|BANK|UNION|ELECTRIC|ENERGY|GAS|WATER|POWER|"
    r"UTILITIES|DEPARTMENT|DEPT|OFFICE|SERVICES?|INSURANCE|MANAGEMENT|PROPERTIES|TRUST|FEDERAL|"
    r"STATE|COMMONWEALTH|CITY|TOWN|COUNTY|ASSOCIATION|GROUP|PARTNERS|LTD|AGENCY|DIVISION|BUREAU|"
    r"ACCOUNT|STATEMENT|BILL|PAYMENT|AMOUNT|DATE|TOTAL|BALANCE|AGREEMENT|LEASE|NOTICE|DEAR)\b",
    re.I,
)
_NOT_A_NAME = re.compile(
    r"\b(?:SERVICES?|SUPPORT|CENTER|CENTRE|CARE|DEPARTMENT|DEPT|NUMBER|ACCOUNT|PORTAL|"
    r"ADDRESS|MAILING|INSURED|NAMED|BILLING|STATEMENT|POLICY|BALANCE|PERIOD)\b",
    re.I,
)
"""Words after a name label that show it is a help line, a number or a caption ("Customer
Service", "Named Insured and Mailing Address"): never part of a person's name."""
_NAME_TOKEN = re.compile(rf"^[^\W\d_](?:[^\W\d_]|[{APOSTROPHES}\-.])*,?$")
"""A name word: letters of any script (José, Muñoz, Ó), apostrophes (and the marks OCR
reads for one: "D‘ANGELO", CT-S10019-0149), hyphens, dots."""
_SUFFIXES = {"JR", "SR", "II", "III", "IV", "V"}
_ROMAN_CONFUSED = str.maketrans({"l": "I", "1": "I", "|": "I", "!": "I"})
"""Characters OCR reads for the I of a roman-numeral suffix ("Il" for "II")."""


def _suffix(word: Word) -> str | None:
    """The generational suffix a word spells ("JR.", "III", "Il" read for "II"), else None."""
    return _suffix_of(word.text)


def _suffix_of(token: str) -> str | None:
    text = token.upper().strip(".,")
    if text in _SUFFIXES:
        return text
    raw = token.strip(".,")
    fixed = raw.translate(_ROMAN_CONFUSED)
    if 2 <= len(raw) <= 3 and fixed != raw and fixed in _SUFFIXES:
        return fixed
    return None


_GLUED_SUFFIX = re.compile(r"^(.*[^\W\d_]{2})(III|JR|SR)\.?$")
"""A family name with its suffix run into it ("PENAIII" for "PENA III", MA-S10010-0015).
Only suffixes no family name ends with: "II", "IV" and "V" end real names (PETRIV)."""


def _glued_suffix(text: str) -> tuple[str, str] | None:
    """The family name and the suffix the reader ran into its last word, else None."""
    found = _GLUED_SUFFIX.match(text)
    if found is None or found.group(1)[-1] == "I":
        return None  # "IIII": no telling where the name ends
    return found.group(1), found.group(2)


_STATES = frozenset(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "DC",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "PR",
        "GU",
        "VI",
        "AS",
        "MP",
    ]
)


# ---------------------------------------------------------------- the stage


def extract_fields(doc: DocumentState, ctx: Context) -> DocumentState:
    """Stage: extract fields from the printed text, then overlay MRZ and barcode values."""
    printed: dict[str, FieldValue] = {}
    if doc.text:
        segs = [s for page in doc.text for s in segments(page)]
        ref = ctx.application.submitted_on
        if _identity_type(doc) or (doc.role == IDENTITY_ROLE and not _residency_type(doc)):
            printed = extract_identity(segs, ref)
        elif doc.role in ("residency", IDENTITY_ROLE):
            kind = doc.classification.document_type if doc.classification else None
            printed = profile_order(extract_residency(segs, ref, kind), ctx.application.profile)
    merged = dict(printed)
    if doc.mrz is not None:
        merged.update(_checked_mrz_fields(doc.mrz))
        merged.update(_filler_misread(merged.get("first_name"), printed))
        merged.update(_filler_appended(doc.mrz, merged, printed))
        merged.update(_expiry_agreed(doc, merged.get("expiry_date")))
    if doc.barcode is not None:
        merged.update(doc.barcode.fields)
    return replace(doc, fields=merged)


_IDENTITY_TYPES = frozenset(
    {
        DocumentType.DRIVERS_LICENSE,
        DocumentType.STATE_ID,
        DocumentType.PASSPORT,
        DocumentType.PASSPORT_CARD,
        DocumentType.MILITARY_ID,
    }
)


def _identity_type(doc: DocumentState) -> bool:
    """An identity document whatever its role (a licence sent as a residency proof is
    read as the licence it is; the type check flags it)."""
    found = doc.classification
    return found is not None and found.document_type in _IDENTITY_TYPES


def _residency_type(doc: DocumentState) -> bool:
    """A proof of residency whatever its role (a bill sent as the identity document is
    read as the bill it is; the type check flags it)."""
    found = doc.classification
    return found is not None and found.document_type in RESIDENCY_TYPES


_MRZ_CHECKS = {
    "document_number": "document number",
    "date_of_birth": "date of birth",
    "expiry_date": "expiry date",
}
_MRZ_NAMES = ("last_name", "first_name", "middle_name")


AGREED_CONFIDENCE = 0.8
"""Confidence of a value two independent sources agree on, neither conclusive alone."""


def _expiry_agreed(doc: DocumentState, current: FieldValue | None) -> dict[str, FieldValue]:
    """The MRZ's expiry, its check digit failed, where the applicant declared that very date
    and the printed one read differs: two independent sources against one OCR read."""
    mrz = doc.mrz
    read = mrz.fields.get("expiry_date") if mrz is not None else None
    declared = doc.declared_expiry_date
    if read is None or declared is None or read.value != declared:
        return {}
    if current is not None and current.value == declared:
        return {}
    return {"expiry_date": replace(read, confidence=AGREED_CONFIDENCE)}


_FILLER_READS = frozenset("KCLE")
"""Letters OCR reads for the MRZ filler "<" (its check digits do not cover the names)."""


def _filler_misread(mrz_first: FieldValue | None, printed: dict[str, FieldValue]) -> dict:
    """The printed given names, when the MRZ's first name is them with the filler between
    them misread as a letter ("STOBHANKELENA" for SIOBHAN<ELENA beside printed "SIOBHAN"
    and "ELENA"): the same length, every difference a filler read as a letter but one."""
    first, middle = printed.get("first_name"), printed.get("middle_name")
    if mrz_first is None or mrz_first.source != "mrz" or first is None or middle is None:
        return {}
    joined = f"{first.value} {middle.value}".upper().replace(" ", "<")
    read = str(mrz_first.value).upper()
    if len(read) != len(joined):
        return {}
    diffs = [(r, j) for r, j in zip(read, joined, strict=True) if r != j]
    fillers = sum(1 for r, j in diffs if j == "<" and r in _FILLER_READS)
    if not fillers or len(diffs) - fillers > 1:
        return {}
    return {"first_name": first, "middle_name": middle}


_NAME_FIELDS = ("last_name", "first_name", "middle_name")


def _filler_appended(
    mrz: MrzRecord, merged: Mapping[str, FieldValue], printed: Mapping[str, FieldValue]
) -> dict[str, FieldValue]:
    """The printed names, where the zone's name is one of them with a filler read as a
    letter after it ("SUSANK<LEE" for SUSAN<LEE, "FRANCISCOK<<<": the '<' read "K<" or
    "K"; a zone's names carry no check digit), when the printed name was read surely or
    the zone's name line was read one character too long. A name that ends in such a
    letter ("MARK", "ERIC") is kept: the printed name has it too."""
    names = mrz.lines[-1] if mrz.kind == "TD1" else mrz.lines[0]
    too_long = any(len(r) > len(names) and r[:4] == names[:4] for r in mrz.raw)
    out: dict[str, FieldValue] = {}
    for name in _NAME_FIELDS:
        zone, page = merged.get(name), printed.get(name)
        if zone is None or page is None or zone.source != "mrz":
            continue
        if not (too_long or page.confidence >= PRINTED_NAME_SURE):
            continue
        read, shown = fold_name(str(zone.value)), fold_name(str(page.value))
        if len(shown) >= 2 and read[:-1] == shown and read[-1:] in _FILLER_READS:
            out[name] = page
    return out


PRINTED_NAME_SURE = 0.9
"""OCR confidence of a printed name that outweighs the zone's letter after it."""


def _checked_mrz_fields(mrz: MrzRecord) -> dict[str, FieldValue]:
    """MRZ fields to trust: all of a valid zone; none of an unsound one; else each field
    whose own check digit agrees, and the names when every field check agrees (only the
    optional-data or composite digit failed: the zone was read, one filler or digit was
    not)."""
    if mrz.valid:
        return dict(mrz.fields)
    if not mrz.sound:
        return {}  # letters in its date fields: licence text taken for a zone (MA-S10005-0041)
    failed = set(mrz.failed_checks)
    if not mrz.confident and len(failed & set(_MRZ_CHECKS.values())) > 1:
        return {}  # a poor read failing most field checks: one that agrees is by chance
    out = {
        name: value
        for name, value in mrz.fields.items()
        if name in _MRZ_CHECKS and _MRZ_CHECKS[name] not in failed
    }
    if not failed & set(_MRZ_CHECKS.values()) and len(out) == len(_MRZ_CHECKS):
        out |= {name: v for name, v in mrz.fields.items() if name in _MRZ_NAMES}
    return out


def _value(value: object, words: Sequence[Word], source: str, factor: float = 1.0) -> FieldValue:
    conf = min(w.confidence for w in words) * factor
    src = "pdf_text" if source == "pdf_text" else "ocr"
    return FieldValue(value, src, round(conf, 3), words[0].page, union_box(words))  # type: ignore[arg-type]


# ---------------------------------------------------------------- identity documents


def extract_identity(segs: list[Segment], ref: dt.date) -> dict[str, FieldValue]:
    """Labelled fields of an identity document's printed side."""
    fields: dict[str, FieldValue] = {}
    fields.update(identity_dates(segs, ref))
    number = document_number(segs) or _unlabelled_number(segs)
    if number:
        fields["document_number"] = number
    fields.update(identity_name(segs))
    address = find_address(segs, identity=True)
    if address:
        fields["address"] = address[0]
        if "last_name" not in fields and "first_name" not in fields and address[1] is not None:
            fields.update(two_line_name(segs, address[1], address[2]))
        fields = _street_as_name(fields)
    return _issuer_number_form(fields, segs)


def _street_as_name(fields: dict[str, FieldValue]) -> dict[str, FieldValue]:
    """Without a name part taken from the street line ("66 CHURCH RD" read as the family
    name "CHURCH RD" under a lost name line): such a part is dropped, never guessed."""
    address = fields.get("address")
    line1 = address.value.line1 if address and isinstance(address.value, ReadAddress) else None
    if not line1:
        return fields
    street = line1.upper().split()
    out = dict(fields)
    for key in ("last_name", "first_name", "middle_name"):
        part = out.get(key)
        words = str(part.value).upper().split() if part else []
        if len(words) >= 2 and _contains(street, words):
            del out[key]
    return out


def _contains(seq: list[str], part: list[str]) -> bool:
    return any(seq[i : i + len(part)] == part for i in range(len(seq) - len(part) + 1))


_NUMBER_FORMS: dict[str, tuple[re.Pattern[str], str]] = {
    "MA": (re.compile(r"^[58$§]\d{8}$"), "S"),
}
"""Per issuing state, a licence / ID number form OCR garbles and its repair: Massachusetts
numbers are S and eight digits (the S read as 5, 8, $ or §)."""
_ISSUER = {"MA": re.compile(r"MASSACHUSETTS")}


def _issuer_number_form(
    fields: dict[str, FieldValue], segs: list[Segment]
) -> dict[str, FieldValue]:
    """The card number in its issuer's form, when the card names its issuer (its header)
    or the holder's address is in that state and the read breaks the form only by the
    letter OCR confuses with a digit."""
    number = fields.get("document_number")
    if number is None or not isinstance(number.value, str):
        return fields
    address = fields.get("address")
    state = address.value.state if address and isinstance(address.value, ReadAddress) else None
    text = " ".join(seg.text for seg in segs).upper()
    for issuer, (garbled, letter) in _NUMBER_FORMS.items():
        named = state == issuer or _ISSUER[issuer].search(text)
        if named and garbled.match(number.value):
            return fields | {"document_number": replace(number, value=letter + number.value[1:])}
    return fields


_CARD_WORDS = re.compile(
    r"\b(?:DRIVER'?S?|LICEN[CS]E|IDENTIFICATION|IDENTITY|ID|CARD|PERMIT|CLASS|REAL|USA|U\.S\.A|"
    r"UNITED|STATES?|PASSPORT|ENDORSEMENTS?|RESTRICTIONS?|DONOR|VETERAN|SEX|HGT|EYES|NONE|"
    r"COMMERCIAL|OPERATOR|LEARNER|UNDER|DUPLICATE|ORGAN|NOT|FEDERAL|PURPOSES?|AND|OF)\b",
    re.I,
)
"""Words of a card's header, titles and field captions, never part of the holder's name."""
NAME_LINE_ALIGN = 1.5
"""A name line starts within this many text heights of the street line's left edge."""


def two_line_name(
    segs: list[Segment], street: Segment, city: Segment | None = None
) -> dict[str, FieldValue]:
    """An unlabelled name printed as two capitalised lines stacked over the card's street
    line (family over given names, or given over family). The order is told by the same
    name printed elsewhere on the card in reading order ("Chloe Martin" under "MARTIN" /
    "CHLOE"), else by a middle initial closing one line (the given names), else by a
    compound family name's particles ("VAN BUREN"), else by which line holds known given
    names; absent when it cannot be told, or when a third
    name-like line makes the block ambiguous."""
    ups = above(street, segs, 3)
    lines = [_name_line(u, street, city) for u in ups]
    if len(lines) < 2 or not lines[0] or not lines[1] or (len(lines) > 2 and lines[2]):
        return {}
    top, bottom = lines[1], lines[0]
    given_on_top = _stacked_order(top, bottom, [s for s in segs if s not in ups[:2]])
    if given_on_top is None:
        return {}
    family, given = (bottom, top) if given_on_top else (top, bottom)
    source = street.source
    text = _fix_enye(" ".join(w.text for w in family))
    out = {"last_name": _value(text, family, source, 0.8)}
    given_fields = _given(given, source)
    return out | {
        k: replace(v, confidence=round(v.confidence * 0.8, 3)) for k, v in given_fields.items()
    }


def _stacked_order(
    top: tuple[Word, ...], bottom: tuple[Word, ...], others: list[Segment]
) -> bool | None:
    """Whether the upper of two stacked name lines holds the given names (True), the
    family name (False), or None when nothing tells."""
    up = [fold_name(w.text) for w in top if not _suffix(w)]
    down = [fold_name(w.text) for w in bottom if not _suffix(w)]
    if not up or not down:
        return None
    for seg in others:  # the name again in reading order: given name(s), then family name
        said = [fold_name(w.text) for w in seg.words if not _suffix(w)]
        if len(said) < 2:
            continue
        if said in ([down[0], *up], [*down, *up]):
            return False
        if said in ([up[0], *down], [*up, *down]):
            return True
    up_initial = len(up) >= 2 and _initial(up[-1])
    down_initial = len(down) >= 2 and _initial(down[-1])
    if up_initial != down_initial:
        return up_initial  # "JOHN Q" / "SMITH": the initial closes the given names
    if _compound_family(up) != _compound_family(down):
        return _compound_family(down)  # "VAN BUREN" / "RENEE LOUISE"
    top_first = is_given_name(up[0])
    bottom_any = any(is_given_name(t) for t in down)
    if top_first and not bottom_any and len(up) >= 2:
        return True  # "SIOBHAN MARIE" / "CASTILLO"
    if bottom_any and not top_first:
        return False  # "CASTILLO" / "SIOBHAN"
    return None  # "MARTIN" / "CHLOE": a family name that is also a given name


def _compound_family(words: Sequence[str]) -> bool:
    """A family name led by its particles ("VAN BUREN", "DE LA CRUZ"), upper-cased words."""
    lead = 0
    while lead < len(words) - 1 and words[lead] in _PARTICLES:
        lead += 1
    return 0 < lead == len(words) - 1 and not is_given_name(words[-1])


def _name_line(seg: Segment, street: Segment, city: Segment | None = None) -> tuple[Word, ...]:
    """The segment's words when they read as one capitalised name line left-aligned
    with the street or city line, else (). A small garbled label before the name ("LN"
    read "iv" or "cv") is dropped: the line may be aligned by that label or by its
    value."""
    words = _drop_garbled_label(_drop_small_label(seg.words))
    if not 1 <= len(words) <= 3 or _name_words(words) != words:
        return ()
    if not all(w.text.isupper() or w.text.istitle() for w in words):
        return ()  # capitals, or OCR's title case for them ("Lucia")
    edges = [street.box[0]] + ([city.box[0]] if city is not None else [])
    if min(abs(x - e) for x in (seg.box[0], words[0].box[0]) for e in edges) > (
        NAME_LINE_ALIGN * street.height
    ):
        return ()
    text = " ".join(w.text for w in words)
    labelled = len(words) < len(seg.words)  # "LN WASHINGTON": a field, not the state's name
    if _CARD_WORDS.search(text) or (_issuing_state(text, city) and not labelled):
        return ()
    if not _plain_name(words) or all(len(w.text.strip(".,")) < 2 for w in words):
        return ()
    return words


def _issuing_state(text: str, city: Segment | None) -> bool:
    """`text` is the name of the state the card's address is in (its header, "CONNECTICUT"
    over a Milford, CT address), or of any state when the city line is unknown; another
    state's name over the address is a family name ("WASHINGTON" / "ELIZABETH MAE" over
    "37 MAPLE RD", "MILFORD, CT", CT-O4209-0074)."""
    code = _STATE_NAMES.get(" ".join(text.upper().split()))
    if code is None:
        return False
    found = _city_line(city) if city is not None else None
    return found is None or found.state == code


def _drop_garbled_label(words: tuple[Word, ...]) -> tuple[Word, ...]:
    """The words without a leading short label OCR garbled with a mark ("=v", ".y" for
    "FN", "LN"), which no name word holds, before a name in capitals."""
    if len(words) < 2 or len(words[0].text) > 3 or _NAME_TOKEN.match(words[0].text):
        return words
    if any(c.isalpha() for c in words[0].text) and all(w.text.isupper() for w in words[1:]):
        return words[1:]
    return words


SMALL_LABEL = 0.7
"""A field label printed in small type is at most this fraction of its value's height."""
SMALL_LABEL_CHARS = 6
"""A garbled small label has at most this many characters ("iv" for "LN", "ation" for "4d DLN")."""


def _small_label(lead: Sequence[Word], value: Word) -> bool:
    """Whether the words before a value are a short label in smaller type than it
    (OCR garbles a card's small grey captions: "LN" read "iv", "4d DLN" read "ation")."""
    if not lead or sum(len(w.text) for w in lead) > SMALL_LABEL_CHARS:
        return False
    tall = value.box[3] - value.box[1]
    return all(0 < w.box[3] - w.box[1] <= SMALL_LABEL * tall for w in lead)


def _drop_small_label(words: tuple[Word, ...]) -> tuple[Word, ...]:
    """The words without a leading short label in small type before the value."""
    if len(words) > 1 and len(words[0].text) <= 3 and _small_label(words[:1], words[1]):
        return words[1:]
    return words


def _label_text(date: dates_mod.FoundDate, seg: Segment, segs: list[Segment]) -> tuple[str, str]:
    """The text left of a date within its segment, and the segment above it (its label)."""
    idx = seg.words.index(date.words[0])
    left = " ".join(w.text for w in seg.words[max(0, idx - 4) : idx])
    # a label glued to the date ("DOB:03/14/1981", "4bEXP03/14/2029")
    first = date.words[0].text
    glued = re.match(r"^(.*?[A-Za-z][A-Za-z.:#]*)[\s*'\"~_,;|]*[\dOl]", first)
    if glued and not dates_mod.find_in_text(glued.group(1), date.date):
        left = f"{left} {glued.group(1)}".strip()
    if idx == 0 or not left:
        up = above(seg.head(1) or seg, segs, 1)
        return left, up[0].text if up else ""
    return left, ""


_PLACE_OF_BIRTH = re.compile(
    r"PLACE\s*OF\s*BIRTH|BIRTH\s*PLACE|LIEU\s*DE\s*NAISSANCE|^\W*OF\s+BIRTH\b", re.I
)
"""A place's label, no date's, or a label's tail that may be one ("of Birth", its "Place"
read as another segment, over a passport card's issue date, made it the DOB,
CT-O4111-0050): the dates under it are left to their order."""


def _date_kind(left: str, up: str) -> str | None:
    for text in (left, up):
        if not text or _PLACE_OF_BIRTH.search(text):
            continue
        tail = " ".join(text.split()[-3:])
        for kind, word_re, num_re in (
            ("date_of_birth", _DOB, _DOB_NUM),
            ("expiry_date", _EXP, _EXP_NUM),
            ("issue_date", _ISS, _ISS_NUM),
        ):
            tokens = tail.split()
            for i in range(len(tokens)):
                piece = " ".join(tokens[i:])
                if word_re.match(piece) or num_re.match(piece):
                    return kind
    return None


def identity_dates(segs: list[Segment], ref: dt.date) -> dict[str, FieldValue]:
    """DOB, expiry and issue dates: by their labels, else by their order in time."""
    found: list[tuple[dates_mod.FoundDate, Segment]] = []
    for seg in segs:
        for date in dates_mod.find_in_words(seg.words, ref):
            found.append((date, seg))
    # a card prints its dates in one style: a two-digit year among four-digit ones is a
    # year OCR cut short ("06-19-20" and a mark for 06-19-2033, MA-O4167-0033)
    cut = _years_cut_short([date for date, _ in found], named_only=False)
    # and its numeric dates in one order: one only the other order reads is misread
    cut += dates_mod.against_the_order([date for date, _ in found])
    found = [(date, seg) for date, seg in found if date not in cut]
    out: dict[str, FieldValue] = {}
    unlabelled: list[tuple[dates_mod.FoundDate, Segment]] = []
    ages: list[tuple[dates_mod.FoundDate, int]] = []
    for date, seg in found:
        left, up = _label_text(date, seg, segs)
        age = _age_band(left, up, date, seg, segs)
        if age:
            ages.append((date, age))
            continue  # "UNDER 21 UNTIL 05/14/2027": a birthday to come, no DOB nor expiry
        kind = _date_kind(left, up)
        if kind == "date_of_birth" and _too_young(_resolve(date, kind, ref), ref):
            continue  # the DOB's own line lost: another field's date under its label
        if kind and kind not in out:
            value = _resolve(date, kind, ref)
            out[kind] = _value(value, date.words, seg.source)
        elif not kind:
            unlabelled.append((date, seg))
    out |= _dates_by_order(unlabelled, out, ref, _months_printed(segs))
    return _confirm_dob(out, ages)


_MONTH_YEAR = re.compile(
    rf"(?<![A-Z0-9])({dates_mod.MONTH_ABBR})[A-Z]*\.?\s*((?:19|20)\d{{2}})\b", re.I
)


def _months_printed(segs: list[Segment]) -> frozenset[tuple[int, int]]:
    """(year, month) of every month and year printed ("FEB 2016"), a date's day with it or
    not: a date whose day OCR lost still names its month."""
    found: set[tuple[int, int]] = set()
    for seg in segs:
        for match in _MONTH_YEAR.finditer(seg.text):
            found.add((int(match.group(2)), dates_mod.MONTHS[match.group(1).upper()[:3]]))
    return frozenset(found)


MIN_HOLDER_AGE = 10
"""Years a date labelled as the birth date must lie before the application: a later date
under a DOB label is another field's, the DOB's own line lost by OCR (the issue date
01/27/2022 taken for the DOB under "DATE OF BIRTH ... ISSUED", MA-O4131-0004). A
passport's MRZ, which gives a child's DOB, overrides the printed fields anyway."""


def _too_young(day: dt.date, ref: dt.date) -> bool:
    return day > _years_later(ref, -MIN_HOLDER_AGE)


_AGE_BAND = re.compile(
    r"(?:\bUNDER\s*(1[89]|2[1l])\s*(?:(?:UNTIL|UNTL|TIL)[A-Z]?)?|\b(?:AGE\s*)?(1[89]|2[1l])\s*ON)"
    r"\s*[:.]?$",
    re.I,
)
"""The caption of a minor's card date ("UNDER 21 UNTIL", "UNDER 18 UNTIL", "AGE 21 ON",
"21 ON"): the day the holder turns that age, never the DOB, expiry or issue date. A mark
glued between caption and date may be read as a letter ("UNTILS10-24-2004")."""


_MARKS = re.compile(r"[^\w\s:.]")


def _age_band(
    left: str, up: str, date: dates_mod.FoundDate, seg: Segment, segs: list[Segment]
) -> int:
    """The age a date's caption names (21 of "UNDER 21 UNTIL"), else 0. The caption is
    read left of the date, on its row just before it, or on the line above it."""
    before = [s for s in segs if s.page == seg.page and s.row == seg.row and s.box[2] <= seg.box[0]]
    row_left = max(before, key=lambda s: s.box[2]).text if before and not left else ""
    for text in (left, row_left, up if not left else ""):
        match = _AGE_BAND.search(_MARKS.sub(" ", text))  # "UNDER 21'UNTIL*": OCR's marks
        if match:
            return int((match.group(1) or match.group(2)).replace("l", "1"))
    return 0


def _confirm_dob(
    out: dict[str, FieldValue], ages: list[tuple[dates_mod.FoundDate, int]]
) -> dict[str, FieldValue]:
    """A DOB read by date order alone, confirmed by the card's age date (DOB + 21 years
    = "UNDER 21 UNTIL" date): its confidence raised to that of the read."""
    dob = out.get("date_of_birth")
    if dob is None or not isinstance(dob.value, dt.date):
        return out
    for date, age in ages:
        if _years_later(dob.value, age) == date.date:
            confirmed = replace(dob, confidence=max(dob.confidence, date.confidence))
            return out | {"date_of_birth": confirmed}
    return out


def _years_later(day: dt.date, years: int) -> dt.date:
    """The date `years` after `day` (29 February turns 1 March)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def _resolve(date: dates_mod.FoundDate, kind: str, ref: dt.date) -> dt.date:
    if not date.two_digit_year:
        return date.date
    when: dates_mod.When = "future" if kind == "expiry_date" else "past"
    return date.date.replace(year=dates_mod.century(date.date.year % 100, True, when, ref))


def _dates_by_order(
    unlabelled: list[tuple[dates_mod.FoundDate, Segment]],
    have: Mapping[str, FieldValue],
    ref: dt.date,
    months: frozenset[tuple[int, int]] = frozenset(),
) -> dict[str, FieldValue]:
    """Unlabelled dates: the oldest one well in the past is the DOB, the latest one the
    expiry, sure when an issue date a whole validity before it was printed: read whole, or
    its month and year (`months`) when OCR lost its day ("FEB 2016" before "15 FEB 2026"
    on a passport card, CT-O4133-0032)."""
    out: dict[str, FieldValue] = {}
    if not unlabelled:
        return out
    ordered = sorted(unlabelled, key=lambda ds: ds[0].date)
    oldest, seg = ordered[0]
    if "date_of_birth" not in have and oldest.date.year <= ref.year - 14:
        out["date_of_birth"] = _value(oldest.date, oldest.words, seg.source, 0.7)
        ordered = ordered[1:]
    if "expiry_date" not in have and ordered:
        latest, seg = ordered[-1]
        if latest.date.year >= ref.year - 10:
            issued = [d.date for d, _ in ordered[:-1]] + _dates_of(have, "issue_date")
            sure = any(_validity_after(day, latest.date) for day in issued) or any(
                (latest.date.year - years, latest.date.month) in months for years in VALIDITY_YEARS
            )
            out["expiry_date"] = _value(latest.date, latest.words, seg.source, 0.9 if sure else 0.6)
    return out


VALIDITY_YEARS = (4, 5, 6, 8, 10)
"""Years an identity document is issued for (licences 4-8, passports and cards 5 or 10)."""


def _validity_after(issued: dt.date, expiry: dt.date) -> bool:
    """`expiry` is a whole validity after `issued` (to the day, or the day before): the
    pair is issue and expiry, whatever labels OCR missed ("15 FEB 2016 ... 15 FEB 2026"
    on a passport card, CT-O4133-0032)."""
    for years in VALIDITY_YEARS:
        end = _years_later(issued, years)
        if expiry in (end, end - dt.timedelta(days=1)):
            return True
    return False


def _dates_of(have: Mapping[str, FieldValue], name: str) -> list[dt.date]:
    value = have.get(name)
    return [value.value] if value is not None and isinstance(value.value, dt.date) else []


def document_number(segs: list[Segment]) -> FieldValue | None:
    """The licence / ID / passport number: the value after (or under) a number label."""
    for seg in segs:
        words = seg.words
        for i in range(len(words)):
            label_words = _number_label(words, i)
            if label_words == 0:
                continue
            value = _number_value(words[i + label_words :])
            if value is None and i + label_words == len(words):
                under = below(union_box(words[i : i + label_words]), segs, seg.height)
                value = _number_value(under.words) if under else None
            if value:
                return _value(value[0], value[1], seg.source)
    return None


_ID_NUMBER = re.compile(r"^(?=(?:[A-Z]*\d){6})[A-Z0-9]{6,15}$")
"""A card number: 6 to 15 letters and digits, at least six of them digits."""
_OTHER_NUMBER = re.compile(r"^(?:5|DD|ICN|AUD|REV|CLASS|PH|TEL|SSN)[:.#]*$", re.I)
"""Labels of a card's other numbers (AAMVA 5 document discriminator, inventory control)."""
GARBLED_LABEL = 4
"""Words this short before a number on its line may be its garbled label ("DL" read "pt")."""


def _unlabelled_number(segs: list[Segment]) -> FieldValue | None:
    """The card's number when its label was lost to OCR: the first token of six or more
    digits (letters allowed) that is no date, led at most by short garbled words."""
    for seg in segs:
        for i, word in enumerate(seg.words[:3]):
            lead = seg.words[:i]
            if any(_OTHER_NUMBER.match(w.text) for w in lead):
                break
            if any(label.match(w.text) for w in lead for label in (_DOB, _EXP, _ISS)):
                break  # "4b EXP 1112012027": a date whose separators OCR lost, no number
            if any(len(w.text) > GARBLED_LABEL for w in lead) and not _small_label(lead, word):
                break
            text = _leading_s(word.text.strip(":#.,"))
            if not _ID_NUMBER.match(text.upper()):
                continue
            if dates_mod.find_in_text(text, dt.date(2000, 1, 1)):
                continue
            rest = seg.words[i + 1 :]
            if rest and rest[0].text[:1].isalpha():
                continue  # "12345678 MAIN ST": a house number, not the card's number
            return _value(text, (word,), seg.source, 0.6)
    return None


def _leading_s(text: str) -> str:
    """A number whose leading letter S OCR read as "$" or "§" ("$73460131"): S restored."""
    match = re.fullmatch(r"[$§]{1,2}(\d+)", text)
    return "S" + match.group(1) if match else text


def _number_label(words: Sequence[Word], i: int) -> int:
    """How many words starting at `i` form a number label (0: none)."""
    for n in (3, 2, 1):
        piece = " ".join(w.text for w in words[i : i + n])
        if len(words[i : i + n]) != n or not _NUMBER.match(piece):
            continue
        bare = re.sub(r"^4\s?d", "", piece, flags=re.I)
        if not bare or _NUMBER_WORDS.search(bare):
            return n
    return 0


def _number_value(words: Sequence[Word]) -> tuple[str, tuple[Word, ...]] | None:
    """A token with at least 4 digits (plus digit groups that follow it: "987 654 321")."""
    if not words:
        return None
    first = _leading_s(words[0].text.strip(":#."))
    if sum(c.isdigit() for c in first) < 3 or not re.fullmatch(r"[A-Z0-9\-]+", first, re.I):
        return None
    if dates_mod.find_in_text(first, dt.date(2000, 1, 1)):
        return None
    used = [words[0]]
    parts = [first]
    for word in words[1:]:
        if re.fullmatch(r"\d{2,4}", word.text) and word.box[0] - used[-1].box[2] < 1.2 * (
            word.box[3] - word.box[1]
        ):
            used.append(word)
            parts.append(word.text)
        else:
            break
    value = "".join(parts)
    return (value, tuple(used)) if sum(c.isdigit() for c in value) >= 4 else None


def identity_name(segs: list[Segment]) -> dict[str, FieldValue]:
    """Names by label (LN/FN, 1/2, Surname/Given names), else "LAST, FIRST MIDDLE", else NAME."""
    last = _labelled(segs, _LAST)
    first = _labelled(segs, _FIRST)
    if first and not last:
        last = _stacked_name(first, segs, given_wanted=False)
    elif last and not first:
        first = _stacked_name(last, segs, given_wanted=True)
    out: dict[str, FieldValue] = {}
    if last:
        words, source = last
        suffix = [w for w in words[1:] if _suffix(w)]
        words = tuple(w for w in words if w not in suffix) or words
        text = _fix_enye(" ".join(w.text for w in words).strip(","))
        glued = None if suffix else _glued_suffix(text)
        out["last_name"] = _value(glued[0] if glued else text, words, source)
        if suffix:  # "1 OKAFOR JR": the suffix printed after the family name
            out["suffix"] = _value(_suffix(suffix[0]), suffix[:1], source)
        elif glued:
            out["suffix"] = _value(glued[1], words[-1:], source)
    if first:
        out |= _given(first[0], first[1])
        middle = _labelled(segs, _MIDDLE)
        if middle and not set(middle[0]) & set(first[0]):
            # "First Name" and "Middle Name" labels side by side, each over its value
            words = tuple(w for w in middle[0] if not _suffix(w))
            if words:
                text = " ".join(w.text for w in words).strip(",")
                out["middle_name"] = _value(text, words, middle[1])
    if out:
        return out
    for seg in segs:
        if _is_comma_name(seg):
            return _split_name(seg.words, seg.source, last_first=True)
    named = _labelled(segs, _NAME)
    return _split_name(named[0], named[1]) if named else {}


_TRANSLATION = re.compile(r"^/|/$|^[A-Za-zÀ-ÿ]+/[A-Za-zÀ-ÿ]+$")
"""A word of a bilingual label's tail ("/", "/ Nom", "Nom/Apellidos")."""
LABEL_SKIP = 2
"""Short stray words (a portrait's edge read as letters) skipped before a label."""


def _labelled(segs: list[Segment], label: re.Pattern[str]) -> tuple[tuple[Word, ...], str] | None:
    """Alphabetic name words after (or under) a label matched by `label`.

    The label may follow a few short stray words, and may carry translations
    ("Surname / Nom / Apellidos"): then its value is the line under it.
    """
    for seg in segs:
        words = seg.words
        for skip in range(min(LABEL_SKIP, len(words) - 1) + 1):
            if skip and len(words[skip - 1].text) > 3:
                break
            found = _label_value(seg, skip, segs, label)
            if found:
                return found, seg.source
    return None


_GLUED_NUMBER = re.compile(
    r"^[^A-Za-z0-9]{0,2}([12])[^A-Za-z0-9]?"
    rf"((?!(?:ST|ND|RD|TH),?$)(?:[A-Z](?:[A-Z{APOSTROPHES}\-]{{2,}}|[A-Z]{{1,2}}\.|[A-Z])|[OÓ]),?)$"
)
"""An AAMVA name field number glued to its value by OCR ("1+OKAFOR", "2JOHN", "1ST." of
"1 ST. PIERRE", "1DE" of "1 DE LA CRUZ", "1O" of "1 O SUILLEABHAIN", but not the ordinal
"1ST"), a stray mark before it ("-1CHEN")."""


def _unglue(words: tuple[Word, ...], start: int) -> tuple[Word, ...]:
    """The words with a glued field number at `start` split into label and value."""
    if start >= len(words):
        return words
    word = words[start]
    match = _GLUED_NUMBER.match(word.text)
    if not match:
        return words
    x0, y0, x1, y1 = word.box
    cut = x0 + round((x1 - x0) * (len(word.text) - len(match.group(2))) / len(word.text))
    label = replace(word, text=match.group(1), box=(x0, y0, cut, y1))
    value = replace(word, text=match.group(2), box=(cut, y0, x1, y1))
    return (*words[:start], label, value, *words[start + 1 :])


def _label_value(
    seg: Segment, start: int, segs: list[Segment], label: re.Pattern[str]
) -> tuple[Word, ...]:
    words = _unglue(seg.words, start)
    for n in (2, 1):
        head = words[start : start + n]
        if len(head) < n or not label.match(" ".join(w.text for w in head)):
            continue
        tail = list(words[start + n :])
        if tail and tail[0].text.upper().strip(":.") in ("NAME", "NAMES"):
            continue  # "Last" of "Last Name": the label goes on, no value here
        translated = bool(tail) and (
            _TRANSLATION.search(tail[0].text) is not None or _is_label_word(tail[0])
        )
        rest = () if translated else _name_words(tail)
        if len(rest) == 1 and len(rest[0].text.strip(".,")) < 2:
            rest = ()  # "fn I": a lone letter (a portrait's edge read after a label) is no name
        numbered = all(w.text.isdigit() for w in head)  # "1", "2": the value is on its right
        if (numbered or start) and _street_line(seg, segs):
            # "2 PLEASANT DR" over "AMHERST, MA 01002": a house number, no label; and "LN"
            # of "58 ELM LN APT 12" is the street type Lane, not a family-name label
            continue
        if not numbered and (not rest or not _upper(rest)):
            # a bilingual label's tail ("Prénoms", its "/" dropped as noise) is not the value
            # when the line under the label holds a name in capitals
            box = union_box(words[start:])
            same_page = [s for s in segs if s.page == seg.page]
            under = below(box, _right_of(box[0] - 1.5 * seg.height, same_page), seg.height)
            named = _name_words(under.words) if under is not None and not _field(under) else ()
            if named and len(named[0].text.strip(".,")) < 2 and not _irish_o(named):
                named = ()  # a stray mark under the label, no name
            if named and (not rest or _upper(named)) and (translated or not tail or rest):
                rest = named
        if rest:
            return rest
    return ()


def _field(seg: Segment) -> bool:
    """`seg` opens with a name field's label of its own ("FN CHRISTOPHER" under "LN" whose
    value "OQ SUILLEABHAIN" was not read as a name, CT-S10059-0083): another field, never
    the value of the label above it."""
    head = seg.words[0].text
    return any(label.match(head) for label in (_LAST, _FIRST, _MIDDLE)) and len(seg.words) > 1


def _irish_o(words: Sequence[Word]) -> bool:
    """The Irish particle of "O SUILLEABHAIN" (a one-letter word that is part of a name)."""
    return len(words) >= 2 and words[0].text.strip(".,") in ("O", "Ó")


def _street_line(seg: Segment, segs: list[Segment]) -> bool:
    """Whether `seg` is a street: over a "CITY, ST ZIP" line, or a whole one-line address."""
    return _over_city_line(seg, segs) or _one_line(seg) is not None


def _over_city_line(seg: Segment, segs: list[Segment]) -> bool:
    """Whether the line just under `seg` is a "CITY, ST ZIP" line (`seg` is a street)."""
    later = [s for s in segs if s.page == seg.page and s.row > seg.row]
    under = below(seg.box, later, seg.height)
    return under is not None and _city_line(under) is not None


_ENYE = re.compile(r"(?<=[AEIOUÁÉÍÓÚaeiouáéíóú])(?:fi|ii|FI|II)(?=(?:[AOao]|[EOeo][Zz])$)")
"""OCR's "fi" / "ii" for the ñ of a Spanish surname's ending ("Pefia", "Mufioz", "Nufiez")."""


def _fix_enye(text: str) -> str:
    """A family name's last word with a misread ñ restored ("Pefia" -> "Peña"); given
    names are left alone ("Sofia")."""
    head, _, last = text.rpartition(" ")
    if is_given_name(last) or not _ENYE.search(last):
        return text
    fixed = _ENYE.sub(lambda m: "Ñ" if m.group(0).isupper() else "ñ", last)
    return f"{head} {fixed}".strip()


def _upper(words: Sequence[Word]) -> bool:
    return all(w.text == w.text.upper() for w in words)


def _right_of(x: float, segs: list[Segment]) -> list[Segment]:
    """The segments cut to their words starting right of `x` (a value sits under its
    label, not left of it where a portrait's edge is read as letters)."""
    out = []
    for seg in segs:
        kept = tuple(w for w in seg.words if w.box[0] >= x)
        if kept:
            out.append(Segment(kept, seg.row, seg.page, seg.source))
    return out


def _stacked_name(
    found: tuple[tuple[Word, ...], str], segs: list[Segment], *, given_wanted: bool
) -> tuple[tuple[Word, ...], str] | None:
    """The other name line next to a labelled one whose own label was lost to OCR.

    Licences and passport cards stack family name over given names as two aligned lines
    ("1 SMITH" over "2 JOHN A", "Surname" over "Given Names"); when one label is garbled
    ("1" read as ":" or dropped), the bare line of name words beside the found value,
    left-aligned with it and of the same text height, is the missing name: given names
    are looked for under the family name first, a family name over the given names
    first (over a passport card's surname is its nationality, "USA": CT-O4159-0048).
    """
    words, source = found
    home = next((s for s in segs if words[0] in s.words), None)
    if home is None:
        return None
    value = Segment(words, home.row, home.page, source)
    ups = above(value, segs, 1)
    downs = [s for s in segs if s.page == home.page and s.row > home.row]
    down = below(value.box, downs, value.height)
    for cand in (down, *ups) if given_wanted else (*ups, down):
        rest = _aligned_value(cand, value) if cand is not None else None
        named = _name_words(rest) if rest else ()
        if named and len(named) == len(rest) and _plain_name(named):
            return named, cand.source
    return None


def _aligned_value(cand: Segment, value: Segment) -> tuple[Word, ...] | None:
    """The candidate's words from the one aligned with the found value, dropping at most
    the garbled remains of a short label before it ("rN" for "FN", ":" for "1")."""
    height = value.height
    if not 0.6 * height <= cand.height <= 1.6 * height:
        return None
    starts = [0, 1] if len(cand.words) > 1 and len(cand.words[0].text) <= 2 else [0]
    i = min(starts, key=lambda k: abs(cand.words[k].box[0] - value.box[0]))
    if abs(cand.words[i].box[0] - value.box[0]) <= 1.5 * height:
        return cand.words[i:]
    return None


def _plain_name(words: Sequence[Word]) -> bool:
    """1 to 4 words that read as a name, not a label, a heading or an organisation."""
    text = " ".join(w.text for w in words)
    if not 1 <= len(words) <= 4 or _COMPANY.search(text) or _NOT_A_NAME.search(text):
        return False
    if all(_CARD_WORDS.fullmatch(w.text.strip(",")) for w in words):
        return False  # a card's caption or nationality ("USA"), no name
    labels = (_LAST, _FIRST, _MIDDLE, _NAME, _ADDRESS_LABEL, _DOB, _EXP, _ISS)
    return not any(label.match(w.text) for w in words for label in labels)


def _name_words(words: Sequence[Word]) -> tuple[Word, ...]:
    out: list[Word] = []
    for i, word in enumerate(words):
        following = words[i + 1] if i + 1 < len(words) else None
        if word.text == "0" and following is not None and _NAME_TOKEN.match(following.text):
            word = replace(word, text="O")  # the Irish "O" of "O SUILLEABHAIN" read as zero
        if not _NAME_TOKEN.match(word.text):
            break
        out.append(word)
    if not out or len(out) > 5 or _NOT_A_NAME.search(" ".join(w.text for w in out)):
        return ()  # "Customer Service" is no customer's name
    if any(_is_label_word(w) for w in out):
        return ()  # "Nom Apellidos": a bilingual label's tail, its value line unread
    return tuple(out)


_LABEL_WORDS = frozenset(
    ("SURNAME", "SUMAME", "NOM", "NOMS", "APELLIDOS", "APELLIDO", "GIVEN", "NAMES", "NAME",
     "PRENOMS", "PRÉNOMS", "NOMBRES", "NATIONALITY", "NATIONALITE", "NATIONALITÉ",
     "NACIONALIDAD", "FAMILY", "FIRST", "LAST", "MIDDLE")
)  # fmt: skip
"""Words of name labels in English, French and Spanish, never a holder's name."""


def _is_label_word(word: Word) -> bool:
    return word.text.upper().strip(".,:/") in _LABEL_WORDS


def _given(words: tuple[Word, ...], source: str) -> dict[str, FieldValue]:
    out = {"first_name": _value(words[0].text.strip(","), words[:1], source)}
    rest = [w for w in words[1:] if not _suffix(w)]
    suffix = [w for w in words[1:] if _suffix(w)]
    if rest:
        out["middle_name"] = _value(" ".join(w.text for w in rest), rest, source)
    if suffix:
        out["suffix"] = _value(_suffix(suffix[0]), suffix[:1], source)
    return out


def _is_comma_name(seg: Segment) -> bool:
    words = seg.words
    if not 2 <= len(words) <= 5 or not words[0].text.endswith(","):
        return False
    if not all(_NAME_TOKEN.match(w.text) for w in words):
        return False
    upper = [w.text.upper().strip(",.") for w in words]
    if any(u.replace(".", "") in ("USA", "US") for u in upper[1:]):
        return False  # a place of birth ("HARTFORD, U.S.A."), no name
    return not (len(upper) == 2 and upper[1] in _STATES) and not _COMPANY.search(seg.text)


_HONORIFICS = frozenset(("MR", "MRS", "MS", "MISS", "MX", "DR", "REV", "HON", "PROF", "SIR", "FR"))
_PARTICLES = frozenset(
    ("DE", "DEL", "DELLA", "DELLE", "DER", "DEN", "DI", "DA", "DOS", "DAS", "DU", "VON", "VAN",
     "LA", "LE", "TEN", "TER", "ST", "SAINT", "SANTA", "SAN", "BIN", "BINT", "AL", "EL", "MAC",
     "MC", "O", "Ó", "D'", "L'")
)  # fmt: skip
"""Words that open a compound family name ("DE LA CRUZ", "VAN DER BERG", "Ó SÚILLEABHÁIN")."""


_SURNAMES_TOO = frozenset(
    ("ALEXANDER", "ALLEN", "ALLISON", "ANTHONY", "ARNOLD", "AUSTIN", "BARBARA", "BARRY",
     "BENJAMIN", "BERNARD", "BRADLEY", "BRUCE", "BRYAN", "CAMERON", "CARROLL", "CHARLES",
     "CHRISTIAN", "CLAYTON", "COLE", "CURTIS", "DALE", "DANIEL", "DAVID", "DENNIS", "DOUGLAS",
     "FORD", "FRANCIS", "FRANK", "FRANKLIN", "FREDERICK", "GEORGE", "GILBERT", "GLENN",
     "GORDON", "GRACE", "GREGORY", "HARRIS", "HARRISON", "HENRY", "HOWARD", "JACKSON", "JAMES",
     "JORDAN", "JOSEPH", "JUNE", "KIM", "LAWRENCE", "LEE", "LEON", "LEONARD", "LESLIE",
     "LEWIS", "LIN", "LUCAS", "LYNN", "MACK", "MARTIN", "MAXWELL", "MAY", "MICHAEL", "MIRANDA",
     "MITCHELL", "MONTGOMERY", "MORGAN", "MORRIS", "MOSS", "NEAL", "NELSON", "NEWTON",
     "NORMAN", "OLIVER", "PATRICK", "PAUL", "RANDALL", "RAY", "RAYMOND", "REESE", "RICHARD",
     "ROSE", "ROY", "RUSSELL", "SANTIAGO", "SCOTT", "SIMON", "STANLEY", "STEWART", "TERRY",
     "THOMAS", "TRACY", "TYLER", "VALENTINE", "VINCENT", "WALLACE", "WALTER", "WARD", "WARREN",
     "WEST", "WILLIS")
)  # fmt: skip
"""Common US family names that are known given names too ("MARTIN", "LEE", "JAMES"): in a
name printed without a comma they may close a given-first name ("CHLOÉ MARTIN"), so they
tell nothing about its order."""


def _given_word(text: str) -> bool:
    """A known given name, accents folded ("JOSÉ" as "JOSE")."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return is_given_name(plain.strip(".,"))


def _initial(text: str) -> bool:
    """A middle initial ("Q", "Q.")."""
    return len(text.strip(".")) == 1 and text.strip(".").isalpha()


def _surname_first(texts: Sequence[str], family: str | None = None) -> int | None:
    """How many leading words of a name printed without a comma are its family name, when
    the family name comes first (None: given names first, the usual order). Told by
    what only a family-first name shows: a middle initial last ("PATEL SIOBHAN P": in
    "JOHN Q SMITH" the initial sits inside); a compound family name's particles first
    ("DE LA CRUZ KWAME MARIE");
    a hyphenated family name first ("SMITH-JONES LINH"); a first word that is no known
    given name before words that can only be given names ("PATEL JOSÉ"; not "CHLOÉ
    MARTIN": Martin is a family name too); or the family name `family` (a letter's
    salutation, "Dear Mr. Patel:") opening the line."""
    words = [t for t in texts if t.upper().strip(".,") not in _HONORIFICS]
    if len(texts) != len(words):
        return None  # "MR JOHN SMITH": an honorific leads a given-first name
    while len(words) > 2 and _suffix(Word(words[-1], 1.0, (0, 0, 0, 0), 0, 0)):
        words = words[:-1]
    if len(words) < 2:
        return None
    upper = [w.upper().strip(".,") for w in words]
    if family:
        fam = [t.upper() for t in family.split()]
        if upper[: len(fam)] == fam and len(fam) < len(upper):
            return len(fam)
        if upper[-len(fam) :] == fam:
            return None
    lead = 0
    while lead < len(upper) - 1 and upper[lead] in _PARTICLES:
        lead += 1
    if lead and len(upper) - lead >= 2:
        core = words[lead]  # "DEL RIO JOSE": "DEL" and "VAN" are given names too
        if not (_given_word(words[0]) and lead == 1 and _given_word(core)):
            return lead + 1  # "DE LA CRUZ KWAME", "VAN BUREN AISHA CARLOS"
    if len(words) >= 3 and _initial(words[-1]) and not any(_initial(w) for w in words[:-1]):
        return len(words) - 2  # "PATEL SIOBHAN P", "GONZALEZ-RIVERA ELIZABETH G"
    if _double_surname(words[0]):
        return 1  # "SMITH-JONES LINH"
    if len(words) <= 3 and not _given_word(words[0]) and _only_given(words[1:]):
        return 1  # "PATEL JOSÉ", "KOWALSKI PATRICIA ANNE"
    return None


def _only_given(words: Sequence[str]) -> bool:
    """Words that can only be given names: known given names that are no common family
    name, the last one possibly a middle initial."""
    return all(
        (_given_word(w) and fold_name(w) not in _SURNAMES_TOO) or (i and _initial(w))
        for i, w in enumerate(words)
    )


def _double_surname(text: str) -> bool:
    """A hyphenated family name ("SMITH-JONES"), not hyphenated given names ("ANNE-MARIE",
    "JEAN-LUC"): no part of it is a known given name."""
    parts = [p for p in text.strip(".,").split("-") if p]
    return (
        len(parts) == 2
        and all(len(p) > 1 and p.isalpha() for p in parts)
        and not any(_given_word(p) for p in parts)
    )


def _irish_particle(texts: list[str]) -> list[str]:
    """The Irish particle of a family name read as a digit or a mark ("0", "6", "©" for "Ó")."""
    out = list(texts)
    for i in range(len(out) - 1):
        if out[i] in ("0", "6", "©") and out[i + 1][:1].isalpha() and out[i + 1][:1].isupper():
            out[i] = "O"
    return out


_ABBREVIATED = frozenset({"ST", "STE", "MT"})
"""Name words printed with a period ("ST. PIERRE", "STE. MARIE")."""


_GLUED_INITIAL = re.compile(r"^([A-Z][a-z]+)([A-Z][.,]?)$")
"""A capitalised name with a capital letter glued at its end ("JenL")."""


def _split_glued_initial(text: str) -> list[str]:
    """'JenL' as 'Jen', 'L'; any other word as it is."""
    match = _GLUED_INITIAL.match(text)
    return [match.group(1), match.group(2)] if match else [text]


def _ocr_marks_in_name(texts: list[str]) -> list[str]:
    """OCR's usual slips in a name line: the period of an initial or of "ST." read as a
    comma ("PACO L, CASTILLO" is no "LAST, FIRST": a family name is never one letter),
    and a roman-numeral suffix read with l or 1 ("MacDonald Ill" for III) at the end; an
    initial glued to the given name before it ("JenL" for "Jen L": a space lost)."""
    out = [part for text in texts for part in _split_glued_initial(text)]
    for i, text in enumerate(out[:-1]):
        stem = text.rstrip(",")
        if text.endswith(",") and i > 0 and (len(stem) == 1 or stem.upper() in _ABBREVIATED):
            out[i] = f"{stem}."
    if len(out) > 2:
        fixed = _suffix_of(out[-1])
        if fixed is not None:
            out[-1] = fixed
    return out


def _split_name(
    words: Sequence[Word], source: str, last_first: bool = False, family: str | None = None
) -> dict[str, FieldValue]:
    """Split a full name into its parts, each with the box of its own words. A name
    printed family name first without a comma ("PATEL SIOBHAN P", "DE LA CRUZ KWAME",
    see `_surname_first`; or `family`, the family name a salutation gives) is read so."""
    words = _mended_name_words(words)
    texts = [w.text for w in words]
    head = texts[0].rstrip(".") if texts else ""
    if texts and texts[0].endswith(".") and len(head) > 2 and head.upper() not in _HONORIFICS:
        texts[0] = head  # "AISH." (a speck read as a period) is a given name, not a title
    texts = _irish_particle(_ocr_marks_in_name(texts))
    order = None if last_first or any("," in t for t in texts) else _surname_first(texts, family)
    if order is not None:
        text = f"{' '.join(texts[:order])}, {' '.join(texts[order:])}"
    else:
        text = " ".join(texts)
    parsed = HumanName(text)
    parts = {"first_name": parsed.first, "middle_name": parsed.middle, "last_name": parsed.last,
             "suffix": parsed.suffix}  # fmt: skip
    if parts["middle_name"].split()[-1:] in (["O"], ["Ó"]) and parts["last_name"]:
        # "CHLOÉ LOUISE O SUILLEABHAIN": the particle belongs to the family name
        *middle, particle = parts["middle_name"].split()
        parts["middle_name"] = " ".join(middle)
        parts["last_name"] = f"{particle} {parts['last_name']}"
    out: dict[str, FieldValue] = {}
    for key, value in parts.items():
        value = value.strip(" ,.")
        if not value:
            continue
        if key == "last_name":
            value = _fix_enye(value)
        tokens = {t.upper().strip(",.") for t in value.split()}
        used = [w for w in words if w.text.upper().strip(",.") in tokens] or list(words)
        out[key] = _value(value, used, source, 0.95 if last_first else 0.9)
    return out


# ---------------------------------------------------------------- addresses


@dataclass(frozen=True)
class _CityLine:
    city: str
    state: str
    zip: str
    words: tuple[Word, ...]
    source: str


def _city_line(seg: Segment) -> _CityLine | None:
    """'CITY, ST ZIP' as the whole segment, or as its first words when more text follows
    on the row close enough to be read into the same segment ('HARTFORD, CT 06106  Due')."""
    words = seg.words
    for end in range(len(words), 1, -1):
        found = _city_words(words[:end], seg.source)
        if found:
            return found
        if end < len(words) - 3:
            break  # a city line is the segment's start, not a phrase inside it
    return None


def _city_words(words: tuple[Word, ...], source: str) -> _CityLine | None:
    match = _CITY_LINE.match(" ".join(w.text for w in words).strip().rstrip("."))
    if not match or match.group("state").upper() not in _STATES:
        return None  # the state's second letter may be read in lower case ("Ri")
    read = "".join(match.group("zip").split())
    zip5 = read.translate(_DIGITS_FOR)
    if sum(c.isdigit() for c in read) < 3 or not zip5.isdigit():
        return None
    city = match.group("city").strip().upper()
    return _CityLine(city, match.group("state").upper(), zip5, words, source)


def _one_line(seg: Segment) -> tuple[Segment, _CityLine] | None:
    """A whole address on one line ('Service address: 12 Elm St, Hartford, CT 06106'):
    the street part (label kept, `_street_words` drops it) and the city part."""
    words = seg.words
    for k in range(2, len(words) - 2):
        if not words[k - 1].text.endswith(","):
            continue
        city = _city_words(words[k:], seg.source)
        head = Segment(words[:k], seg.row, seg.page, seg.source)
        street = _street_words(head) if city else None
        if street is None:
            continue
        prefix = " ".join(w.text for w in words[: k - len(street)])
        if not prefix or prefix.endswith(":") or _ADDRESS_LABEL.match(prefix):
            last = words[k - 1]
            head = Segment(
                (*words[: k - 1], replace(last, text=last.text.rstrip(","))),
                seg.row,
                seg.page,
                seg.source,
            )
            return head, city
    return None


def _street_words(seg: Segment) -> tuple[Word, ...] | None:
    """The street part of a segment: from its first house-number word on (labels dropped)."""
    words = seg.words
    if len(words) > 2 and re.fullmatch(r"\d{1,2}", words[0].text) and words[1].text[:1].isdigit():
        words = words[1:]  # an AAMVA field number ("8 12 ELM ST")
    for i in range(min(4, len(words))):
        rest = words[i:]
        if _STREET.match(" ".join(w.text for w in rest)) and len(rest) >= 2:
            return rest
    return None


def find_address(
    segs: list[Segment], identity: bool = False
) -> tuple[FieldValue, Segment | None, Segment] | None:
    """The best address block: (address, street segment, city segment), scored."""
    best: tuple[float, FieldValue, Segment | None, Segment] | None = None
    columns = _name_columns(segs) if identity else {}
    for i, seg in enumerate(segs):
        match = _city_line(seg)
        unit_seg: Segment | None = None
        if match:
            ups = above(seg, segs, 3)
            street_seg = next((u for u in ups[:2] if _street_words(u)), None)
            if street_seg is not None and ups[0] is not street_seg and _unit_line(ups[0]):
                unit_seg = ups[0]
        else:
            single = _one_line(seg)
            if not single:
                continue
            street_seg, match = single
            ups = [street_seg, *above(seg, segs, 2)]
            if not _street_prefix(street_seg) and _name_above(street_seg, ups) is None:
                continue  # a letterhead's one-line address: the sender's, not an addressee
        score = _address_score(seg, street_seg, ups, segs[max(0, i - 12) : i], identity)
        if best is None or score > best[0]:
            value = _address_value(
                match, street_seg, unit_seg, identity, columns.get(seg.page) if identity else None
            )
            best = (score, value, street_seg, seg)
    return (best[1], best[2], best[3]) if best and best[0] > 0 else None


def _street_prefix(street: Segment) -> str:
    """The words before a street line's house number ('Service address:')."""
    rest = _street_words(street) or street.words
    return " ".join(w.text for w in street.words[: len(street.words) - len(rest)])


def _unit_line(seg: Segment) -> bool:
    return bool(_UNIT_LINE.match(_label_free(seg.words).strip()))


def _label_free(words: Sequence[Word]) -> str:
    return " ".join(w.text for w in _strip_label(words))


def _address_score(
    city: Segment, street: Segment | None, ups: list[Segment], before: list[Segment], identity: bool
) -> float:
    score = 1.0
    if street is None:
        score -= 0.5
        if ups and _PO_BOX.search(ups[0].text):
            score -= 3.0  # "PO Box 1306" over the city line: a mailing address, the sender's
    elif _PO_BOX.search(street.text):
        score -= 3.0
    else:
        score += 2.0
    name_seg = _name_above(street, ups) if street else None
    if name_seg is not None:
        score += 1.5
    labelled = any(_ADDRESS_LABEL.match(u.text.strip()) for u in ups[:3] if u is not street)
    if labelled or (street is not None and _ADDRESS_LABEL.match(_street_prefix(street))):
        score += 1.0  # "Service address:" over or before the street: the addressee's
    context = " ".join(s.text for s in (*before[-4:], *ups))
    if _REMIT.search(context):
        score -= 3.0
    others = [u for u in ups[:3] if u is not street and not _ADDRESS_LABEL.match(u.text.strip())]
    if any(_COMPANY.search(u.text) for u in others):
        score -= 1.0
    if identity:
        score += 0.5
    return score


def _address_value(
    city: _CityLine,
    street: Segment | None,
    unit: Segment | None,
    identity: bool = False,
    columns: tuple[float, float] | None = None,
) -> FieldValue:
    words: list[Word] = list(city.words)
    line1 = line2 = None
    if street is not None:
        street_words = _street_words(street) or street.words
        words = [*street_words, *words]
        first, *rest = [w.text for w in street_words]
        digit = _digit_width(city.words)
        if identity and _glued_field_eight(street_words[0], city.words[0], columns, digit):
            first = first[1:]  # "8138 MAPLE PL": AAMVA field 8 read into the house number
        if _FIELD_LETTER.match(first):
            first = first[1:]
        if _one_glyph_read_twice(street_words[0], digit):
            first = first[0]  # "5S" for a 5 alone (MA-S10046-0032)
        if re.fullmatch(r"[0-9OoIl|@]+[A-Za-z]?", first) and any(c.isdigit() for c in first):
            first = first.translate(_HOUSE_DIGITS)  # '2O61' read for '2061'
        line1, line2 = _split_street(" ".join([first, *rest]))
    if unit is not None and line2 is None:
        words = [*words, *unit.words]
        line2 = _label_free(unit.words).upper()
    address = ReadAddress(line1, line2, city.city, city.state, city.zip)
    return _value(address, words, city.source)


COLUMN_SLACK = 0.6
"""A left edge within this many characters' widths of a column stands in it."""
FIELD_NUMBER_WIDTH = (0.5, 1.6)
"""From the field-number column to the value column: one digit and a gap, in digit widths
(a text label such as "LN" sets the values further right: no single digit fills it)."""


def _name_columns(segs: list[Segment]) -> dict[int, tuple[float, float]]:
    """Per page, the left edges of a card's field-number column and of its value column,
    from the name lines whose family or given-name label ("1", "2", "LN", "FN") is a word
    of its own before the name: (label left, value left), medians over those lines."""
    found: dict[int, list[tuple[int, int]]] = {}
    for seg in segs:
        words = seg.words
        if len(words) < 2 or not words[1].text[:1].isalpha():
            continue
        if _LAST.match(words[0].text) or _FIRST.match(words[0].text):
            found.setdefault(seg.page, []).append((words[0].box[0], words[1].box[0]))
    return {
        page: (statistics.median(a for a, _ in pairs), statistics.median(b for _, b in pairs))
        for page, pairs in found.items()
    }


def _glued_field_eight(
    house: Word,
    city: Word,
    columns: tuple[float, float] | None = None,
    digit: float | None = None,
) -> bool:
    """Whether a card's house number begins with AAMVA field number 8 glued on by OCR.
    Where the name lines show the card's columns (`_name_columns`) and the ZIP the width
    of a digit (`digit`): a number starting in the value column is whole ("85 MAIN TER");
    one starting in the field-number column holds the field number, whatever digit the 8
    was read as ("299" for 99, "91873" for 1873), when what stands right of the value
    column is one digit fewer than the number has, by the digit width; when it is all of
    them, the box was only stretched over an 8 OCR did not read ("1973", kept). Else, for
    a number read with its 8: the city line under it starts where the number's second
    character does (a value column indented past the field numbers), not at the number's
    own left edge."""
    text = house.text
    if not re.fullmatch(r"\d{2,7}[A-Z]?", text):
        return False
    if columns is not None and digit and house.box[2] > columns[1]:
        labels, values = columns
        if abs(house.box[0] - values) <= COLUMN_SLACK * digit:
            return False
        first = values - house.box[0]  # a glued field number: one digit and a gap
        if (
            abs(house.box[0] - labels) <= COLUMN_SLACK * digit
            and FIELD_NUMBER_WIDTH[0] * digit <= first <= FIELD_NUMBER_WIDTH[1] * digit
        ):
            right = house.box[2] - values  # the digits right of the value column
            glued, whole = right / (len(text) - 1), right / len(text)
            return abs(glued - digit) < abs(whole - digit)
    if text[0] != "8":
        return False
    char = (house.box[2] - house.box[0]) / len(text)
    indent = city.box[0] - house.box[0]
    return 0.8 * char <= indent <= 2.6 * char


ONE_GLYPH = (1.4, 0.9)
"""A word no wider than this many digit widths (or, with no digit width known, this share
of its height) holds one glyph."""


def _one_glyph_read_twice(word: Word, digit: float | None) -> bool:
    """A house number of a digit and its letter twin ("5S") in a box one glyph wide: OCR
    read the one digit twice, as itself and as a letter ("5 PARK STREET" read "5S" at 0.59
    and 0.74 on a clean bill, MA-S10046-0032). Two glyphs ("55", "5A") are twice as wide."""
    text = word.text
    if len(text) != 2 or TO_DIGIT.get(text[1].upper()) != text[0]:
        return False  # a digit's twin: a letter OCR reads for that digit (the zone's table)
    width, height = word.box[2] - word.box[0], word.box[3] - word.box[1]
    return width <= (ONE_GLYPH[0] * digit if digit else ONE_GLYPH[1] * height)


def _digit_width(words: Sequence[Word]) -> float | None:
    """The width of one digit, from the longest run of digits among `words` (a ZIP)."""
    runs = [w for w in words if sum(c.isdigit() for c in w.text) >= 5]
    if not runs:
        return None
    word = max(runs, key=lambda w: len(w.text))
    return (word.box[2] - word.box[0]) / len(word.text)


def _split_street(text: str) -> tuple[str, str | None]:
    """Street and unit ("12 ELM ST", "APT 3") by usaddress tags; the whole line if unsure."""
    text = _fix_brackets(text.strip(" ,").replace("¢", "C"))  # "APT 5¢": OCR's cent for C
    try:
        tagged, _ = usaddress.tag(text)
    except usaddress.RepeatedLabelError:
        return text.upper(), None
    unit_keys = ("OccupancyType", "OccupancyIdentifier", "SubaddressType", "SubaddressIdentifier")
    unit = " ".join(v for k, v in tagged.items() if k in unit_keys).strip(" ,")
    street = " ".join(
        v for k, v in tagged.items() if k not in unit_keys and k != "Recipient"
    ).strip(" ,")
    if not street:
        return text.upper(), None
    return _fix_suffix(street.upper()), (unit.upper() or None)


_SUFFIXES_USPS = frozenset(
    ("ST", "STREET", "AVE", "AVENUE", "BLVD", "BOULEVARD", "RD", "ROAD", "DR", "DRIVE", "LN",
     "LANE", "CT", "COURT", "PL", "PLACE", "WAY", "TER", "TERRACE", "CIR", "CIRCLE", "PKWY",
     "PARKWAY", "HWY", "HIGHWAY", "SQ", "SQUARE", "TRL", "TRAIL", "ALY", "PIKE", "PATH", "RUN")
)  # fmt: skip
_CONFUSED = {"I": "L", "1": "L", "L": "I", "0": "O", "O": "D", "D": "O", "5": "S", "8": "B"}
"""Characters OCR takes for one another in a street-type word ("BIVD" for "BLVD")."""


def _fix_suffix(street: str) -> str:
    """The street type word repaired when one confused character makes it a USPS type."""
    head, _, last = street.rpartition(" ")
    if not head or last in _SUFFIXES_USPS or not last.isalnum():
        return street
    known = _suffix_fixes(last)
    return f"{head} {known.pop()}" if len(known) == 1 else street


def _suffix_fixes(word: str) -> set[str]:
    fixes = {word[:i] + _CONFUSED[c] + word[i + 1 :] for i, c in enumerate(word) if c in _CONFUSED}
    return fixes & _SUFFIXES_USPS


_BRACKETS = str.maketrans({"]": "L", "[": "L", "|": "L", "!": "L"})


def _fix_brackets(text: str) -> str:
    """A street type OCR read with a bracket, a bar or a digit for one letter
    ('MADISON P] UNIT 12', 'HIGHLAND 8LVD'), which would otherwise be parsed as a unit."""
    words = text.split()
    for i, word in enumerate(words[1:], 1):
        if word.isalpha() or not word[:1].isalnum() or _UNIT_WORD.match(words[i - 1]):
            continue
        fixed = word.upper().translate(_BRACKETS)
        if not any(c.isalpha() for c in fixed):
            continue
        known = {fixed} & _SUFFIXES_USPS or _suffix_fixes(fixed)
        if len(known) == 1:
            words[i] = known.pop()
    return " ".join(words)


_UNIT_WORD = re.compile(r"^(?:APT|APARTMENT|UNIT|STE|SUITE|#|NO|FL|RM|LOT)\.?$", re.I)


def _name_above(street: Segment | None, ups: list[Segment]) -> Segment | None:
    """The person-name segment just over a street line (not a company, not a label)."""
    if street is None:
        return None
    try:
        idx = ups.index(street)
    except ValueError:
        return None
    for cand in ups[idx + 1 : idx + 2]:
        if _looks_like_person(cand):
            return cand
    return None


def _row_of(seg: Segment, segs: list[Segment]) -> Segment:
    """A label-only segment ("Tenant:") joined with the segment right of it on its row."""
    if not (len(seg.words) == 1 and seg.words[0].text.endswith(":")):
        return seg
    right = [s for s in segs if s.page == seg.page and s.row == seg.row and s.box[0] > seg.box[2]]
    if not right:
        return seg
    nxt = min(right, key=lambda s: s.box[0])
    return Segment((*seg.words, *nxt.words), seg.row, seg.page, seg.source)


_BANG_IN_NAME = re.compile(r"^(?=[^\W\d_]*!)[^\W\d_!]+(?:![^\W\d_!]*)+[,.]?$")
"""A word of letters holding an exclamation mark ("WE!", "I!I", "Wi!son"): an I or an l
OCR read as '!' (no person's name holds one)."""


_OPENING_MARK = re.compile(r"^[‘’'`\"“”](?=[^\W\d_]{2})")
"""A quote mark before a name word's letters: a speck OCR read as one ("‘WEI", MA-S10006-0142)."""


def _mended_name_words(words: Sequence[Word]) -> tuple[Word, ...]:
    """Name words with OCR's marks mended: a '!' read for an I (in capitals) or an l (in
    lower case), an opening quote mark dropped."""
    out = []
    for word in words:
        if _OPENING_MARK.match(word.text):
            word = replace(word, text=_OPENING_MARK.sub("", word.text))
        if _BANG_IN_NAME.match(word.text):
            letters = [c for c in word.text if c.isalpha()]
            lower = sum(c.islower() for c in letters) > len(letters) / 2
            word = replace(word, text=word.text.replace("!", "l" if lower else "I"))
        out.append(word)
    return tuple(out)


def _looks_like_person(seg: Segment) -> bool:
    words = _mended_name_words(_strip_label(seg.words))
    if not 2 <= len(words) <= 5:
        return False
    if not all(_NAME_TOKEN.match(t) for t in _irish_particle([w.text for w in words])):
        return False
    if _NOT_A_NAME.search(" ".join(w.text for w in words)):
        return False  # "Named Insured and Mailing Address": the caption over the addressee
    if is_given_name(words[0].text):  # "BILL E. FITZGERALD": a given name, not a bill
        words = words[1:]
    elif words[0].text.endswith(",") and len(words) > 1 and is_given_name(words[1].text):
        words = (words[0], *words[2:])  # "OKAFOR, BILL GRACE": the given name after the comma
    return not _COMPANY.search(" ".join(w.text for w in words))


_JOINT = frozenset({"&", "AND", "OR", "+"})
"""Words joining the holders of a joint account ("JENNIFER MURPHY & MARIA MURPHY")."""


def _first_holder(seg: Segment) -> Segment:
    """A joint addressee line's first holder (the matching of names tries the others in
    the text); any other line as it is. A caption ("Named Insured and Mailing Address")
    or a company ("Light and Power") is kept whole, to be refused whole; so is a line
    whose first holder is one word ("JOHN & MARY SMITH": no name of its own)."""
    text = seg.text
    if _NOT_A_NAME.search(text) or _COMPANY.search(text.upper()):
        return seg
    cut = next(
        (
            i
            for i, w in enumerate(seg.words)
            if w.text.upper() in _JOINT and 0 < i < len(seg.words) - 1
        ),
        None,
    )
    if cut is None or cut < 2:
        return seg
    return seg.head(cut) or seg


def _strip_label(words: Sequence[Word]) -> tuple[Word, ...]:
    """Drop a leading "Name:", "Tenant:", "To:" label."""
    if words and words[0].text.endswith(":"):
        return tuple(words[1:])
    return tuple(words)


# ---------------------------------------------------------------- residency documents


def _addressee_over(street: Segment, segs: list[Segment]) -> Segment | None:
    """The person named over a street line, or one line higher over an account or
    attention line; None when neither looks like a person."""
    for up in above(street, segs, 2):
        name_seg = _first_holder(_row_of(up, segs))
        if _looks_like_person(name_seg):
            return name_seg
    return None


def _twins(street: Segment, segs: list[Segment]) -> list[Segment]:
    """Other street lines printing the same street as `street` (a bill's remittance stub
    repeats the addressee's block): where the addressee's name over the chosen block was
    misread past recognition ("ebecca Snuth" split over two lines, MA-S10017-0107), the
    same name over its twin is read instead."""
    key = _street_key(street)
    return [
        seg
        for seg in segs
        if seg is not street and seg.page == street.page and key and _street_key(seg) == key
    ]


def _street_key(seg: Segment) -> str:
    words = _street_words(seg)
    return re.sub(r"[^A-Z0-9]", "", " ".join(w.text for w in words).upper()) if words else ""


_SALUTATION = re.compile(
    r"^DEAR\s+(?:MR|MRS|MS|MX|DR|MISS)\.?\s+(?P<family>[^\W\d_][^\s:,]*(?:\s+[^\W\d_][^\s:,]*){0,2})\s*[:,]?$",
    re.I,
)
"""A letter's formal salutation, which names the family name ("Dear Mr. Patel:")."""


def _salutation_family(segs: list[Segment]) -> str | None:
    """The family name a formal salutation gives, if the document has one."""
    for seg in segs:
        match = _SALUTATION.match(seg.text.strip())
        if match:
            return " ".join(match.group("family").split())
    return None


def extract_residency(
    segs: list[Segment], ref: dt.date, kind: DocumentType | None = None
) -> dict[str, FieldValue]:
    """The addressee's name and address, and the document date (of a statement dated
    only by its period: the period's end)."""
    fields: dict[str, FieldValue] = {}
    found = find_address(segs)
    if found:
        value, street, _city = found
        fields["address"] = value
        for twin in (street, *_twins(street, segs)) if street else ():
            name_seg = _addressee_over(twin, segs)
            if name_seg is not None:
                family = _salutation_family(segs)
                fields |= _split_name(_strip_label(name_seg.words), name_seg.source, family=family)
                break
    elif (prose := prose_address(segs)) is not None:
        fields["address"] = prose
    if "last_name" not in fields:
        fields |= role_name(segs)
    if "last_name" not in fields:
        named = _labelled(segs, _NAME)
        if named:
            fields |= _split_name(named[0], named[1])
    date = document_date(segs, ref, period_end=kind in _PERIOD_DATED)
    if date:
        fields["document_date"] = date
    number = reference_number(segs)
    if number:
        fields["document_number"] = number
    return fields


_STATE_NAMES = {
    "ALABAMA": "AL", "ALASKA": "AK", "ARIZONA": "AZ", "ARKANSAS": "AR", "CALIFORNIA": "CA",
    "COLORADO": "CO", "CONNECTICUT": "CT", "DELAWARE": "DE", "DISTRICT OF COLUMBIA": "DC",
    "FLORIDA": "FL", "GEORGIA": "GA", "HAWAII": "HI", "IDAHO": "ID", "ILLINOIS": "IL",
    "INDIANA": "IN", "IOWA": "IA", "KANSAS": "KS", "KENTUCKY": "KY", "LOUISIANA": "LA",
    "MAINE": "ME", "MARYLAND": "MD", "MASSACHUSETTS": "MA", "MICHIGAN": "MI", "MINNESOTA": "MN",
    "MISSISSIPPI": "MS", "MISSOURI": "MO", "MONTANA": "MT", "NEBRASKA": "NE", "NEVADA": "NV",
    "NEW HAMPSHIRE": "NH", "NEW JERSEY": "NJ", "NEW MEXICO": "NM", "NEW YORK": "NY",
    "NORTH CAROLINA": "NC", "NORTH DAKOTA": "ND", "OHIO": "OH", "OKLAHOMA": "OK", "OREGON": "OR",
    "PENNSYLVANIA": "PA", "RHODE ISLAND": "RI", "SOUTH CAROLINA": "SC", "SOUTH DAKOTA": "SD",
    "TENNESSEE": "TN", "TEXAS": "TX", "UTAH": "UT", "VERMONT": "VT", "VIRGINIA": "VA",
    "WASHINGTON": "WA", "WEST VIRGINIA": "WV", "WISCONSIN": "WI", "WYOMING": "WY",
    "PUERTO RICO": "PR",
}  # fmt: skip
_STATE_ALT = "|".join(sorted((n.replace(" ", r"\s+") for n in _STATE_NAMES), key=len, reverse=True))
_PROSE_ADDRESS = re.compile(
    r"\b(?:LOCATED|SITUATED|KNOWN\s+AS|RESIDING|(?:PREMISES|PROPERTY|DWELLING|APARTMENT|HOUSE)"
    r"\s+(?:AT|IS))\s+(?:AT\s+|IN\s+|ON\s+)?:?\s*"
    r"(?P<street>\d+[A-Z]?(?:-\d+)?\s+[A-Z][A-Z0-9 .'\-]{1,40}?)"
    r"(?:,?\s+(?P<unit>(?:APT|APARTMENT|UNIT|SUITE|STE|FLOOR|FL|#)\.?\s*#?\s*[A-Z0-9\-]{1,6}"
    r"|(?<=,\s)(?=[A-Z]?\d)[A-Z0-9\-]{1,5}(?=,)))?"
    r",\s*(?P<city>[A-Z][A-Z .'\-]{1,30}?),?\s+"
    rf"(?P<state>{_STATE_ALT}|(?-i:[A-Z]{{2}}))\.?,?\s+(?P<zip>{_ZIP_CHARS}{{5}})(?:-\d{{4}})?(?!\d)",
    re.I,
)
"""An address written in a sentence, as contracts do ("the dwelling located at 215 Madison
Drive, Apt 3, New Britain, Connecticut 06053 (the "Premises")"), the state spelled out or
abbreviated; OCR's letters for digits in the ZIP ("©1002") repaired as on a city line; a
unit whose "#" or "Apt" OCR lost ("8 Pleasant Dr, 4A, Northampton") kept as the unit."""


_PROSE_PLACE = re.compile(
    r"\b(?:LOCATED|SITUATED|KNOWN\s+AS|RESIDING)\s+(?:AT\s+|IN\s+|ON\s+)?:?\s*"
    r"(?P<street>\d+[A-Z]?(?:-\d+)?\s)[^()\"]{1,80}?,\s*"
    rf"(?P<state>{_STATE_ALT})\.?,?\s+(?P<zip>{_ZIP_CHARS}{{5}})(?:-\d{{4}})?(?!\d)",
    re.I,
)
"""The premises' state and ZIP when the street and city cannot be told apart (the scan cut
"4312 FRANKLIN LN," at the margin: "located at 4312 FRANK Jersey City, New Jersey 07302",
MA-O4133-0028): enough to judge the state; the street is then looked for in the text."""


def prose_address(segs: list[Segment]) -> FieldValue | None:
    """The premises a contract names in its text (see `_PROSE_ADDRESS`; else its state
    and ZIP alone, `_PROSE_PLACE`)."""
    pages: dict[int, list[Word]] = {}
    sources: dict[int, str] = {}
    for seg in segs:
        pages.setdefault(seg.page, []).extend(seg.words)
        sources[seg.page] = seg.source
    for page, words in pages.items():
        text, spans = dates_mod.line_string(words)
        for read in (_prose_premises, _prose_place):
            found = read(text, spans, words, sources[page])
            if found is not None:
                return found
    return None


Spans = list[tuple[int, int]]


def _prose_premises(text: str, spans: Spans, words: list[Word], source: str) -> FieldValue | None:
    match = _PROSE_ADDRESS.search(text)
    place = _state_zip(match) if match else None
    if match is None or place is None:
        return None
    street = match.group("street")
    if match.group("unit"):
        street = f"{street} {match.group('unit')}"
    line1, line2 = _split_street(street)
    city = " ".join(match.group("city").split()).upper()
    used = dates_mod.words_in_span(words, spans, match.start("street"), match.end("zip"))
    return _value(ReadAddress(line1, line2, city, *place), used, source, 0.9)


def _prose_place(text: str, spans: Spans, words: list[Word], source: str) -> FieldValue | None:
    match = _PROSE_PLACE.search(text)
    place = _state_zip(match) if match else None
    if match is None or place is None:
        return None
    used = dates_mod.words_in_span(words, spans, match.start("state"), match.end("zip"))
    return _value(ReadAddress(None, None, None, *place), used, source, 0.9)


def _state_zip(match: re.Match[str]) -> tuple[str, str] | None:
    """The state (a name spelled out turned into its code) and ZIP5 of a prose address
    match; None when the state is none or fewer than three ZIP digits are real."""
    state = match.group("state").upper()
    state = _STATE_NAMES.get(" ".join(state.split()), state)
    zip5 = match.group("zip").translate(_DIGITS_FOR)
    if state not in _STATES or sum(c.isdigit() for c in match.group("zip")) < 3:
        return None
    return (state, zip5) if zip5.isdigit() else None


_REFERENCE = re.compile(
    r"^(?:(?:ACCOUNT|ACCT|POLICY|REFERENCE|REF)\.?(?:\s*(?:NO\.?|NUM(?:BER)?|#|ID))?"
    r"|(?:BILL|INVOICE|STATEMENT|CUSTOMER|MEMBER|LOAN|CASE|CLAIM|NOTICE|PARCEL|FILE|LETTER|"
    r"CORRESPONDENCE|CONTROL|CLIENT)\.?"
    r"\s*(?:NO\.?|NUM(?:BER)?|#|ID))\s*[:.#]*$",
    re.I,
)
"""The label of a residency document's own number: account, policy, reference, bill, an
agency letter's letter ID / case / notice number."""


def reference_number(segs: list[Segment]) -> FieldValue | None:
    """A residency document's account / policy / reference / bill number: the value right
    of its label (in its phrase or the next phrase on its line), else under it."""
    for seg in segs:
        words = seg.words
        for i in range(min(2, len(words))):
            for n in (3, 2, 1):
                label = words[i : i + n]
                if len(label) < n or not _REFERENCE.match(" ".join(w.text for w in label)):
                    continue
                value = _number_value(words[i + n :])
                if value is None and i + n == len(words):
                    value = _number_value(_next_on_line(seg, segs))
                    if value is None:
                        under = below(union_box(label), segs, seg.height)
                        value = _number_value(under.words) if under else None
                if value:
                    return _value(value[0], value[1], seg.source)
                break
    return None


def _next_on_line(seg: Segment, segs: list[Segment]) -> tuple[Word, ...]:
    """The words of the nearest phrase right of `seg` on its visual line."""
    right = [s for s in segs if s.page == seg.page and s.box[0] >= seg.box[2] and _level(s, seg)]
    return min(right, key=lambda s: s.box[0]).words if right else ()


_ROLE = re.compile(
    r"^\(\s*(?:the\s+|hereinafter\s+(?:called\s+|referred\s+to\s+as\s+)?(?:the\s+)?)?"
    r"[\"'“”‘’«]?\s*(?:TENANTS?|LESSEES?|RESIDENTS?|OCCUPANTS?)\b",
    re.I,
)
"""A party's role in parentheses after its name, as contracts define them
('Jane Doe ("Tenant")', "(the “Lessee”)", "(hereinafter the Tenant)")."""
_ROLE_STOP = re.compile(r"^(?:AND|BETWEEN|BY|WITH|TO|OF|FROM|&)$", re.I)
SPECK_HEIGHT = 0.4
"""A "word" less high than this share of the name word beside it is a speck read as a
letter (an "i" 2 px high between a tenant's given name and the rest, MA-S10040-0040)."""


def _speck(word: Word, beside: Word) -> bool:
    return word.box[3] - word.box[1] < SPECK_HEIGHT * (beside.box[3] - beside.box[1])


_UNSURE_NAME_WORD = re.compile(r"^[A-ZÀ-Þ][^\W\d_]{2,},?$")


def _unsure_name_word(word: Word) -> bool:
    """A word read unsurely that is still a capitalised name word of three letters or
    more: a name OCR struggled with ("Peiia," at 0.20 for "Peña," before "Aisha Louise
    ("Tenant")", MA-S10045-0145), not a mark off the page's edge."""
    return bool(_UNSURE_NAME_WORD.match(word.text))


_GARBLED = re.compile(r"^[^\w\s]?([^\W\d_]{4,}),?$")
"""A word of letters behind at most one mark: a name word whose capital OCR read as the
mark ("(bafiez" for "Ibáñez")."""


def _garbled_last_word(word: Word) -> str | None:
    """The letters of an unread word right before a tenant's role, capitalised: the name's
    last word, which OCR could not read ("Theresa Grace" / "(bafiez ('Tenant')" for
    Theresa Grace Ibáñez at 0.00, MA-S10056-0196: skipped as a speck, the given name Grace
    was taken for the surname, another person). Kept, unsure, it lets the name check weigh
    an unread surname instead of a wrong one. None for a sure word or a speck."""
    if word.confidence >= _ROLE_NOISE:
        return None
    found = _GARBLED.match(word.text)
    return found.group(1).capitalize() if found else None


_UNREAD_LAST = re.compile(r"^([^\W\d_]{3,})[#*@%&]$")
"""A name word whose last letter OCR read as a mark: the letters it did read."""
_ROLE_NOISE = 0.5
"""Words read below this confidence between a tenant's name words are skipped: specks at
the scan's edge read into the line ("Siobha en," / "Jean O'Brien", CT-S10023-0096), but
for a capitalised name word (`_unsure_name_word`)."""


def role_name(segs: list[Segment]) -> dict[str, FieldValue]:
    """The person a contract names as its tenant: the name words just before the
    parenthesised role, read back across a line break ("... and Van" / "Buren, Kwame
    ("Tenant")")."""
    pages: dict[int, list[Word]] = {}
    sources: dict[int, str] = {}
    for seg in segs:
        pages.setdefault(seg.page, []).extend(seg.words)
        sources[seg.page] = seg.source
    for page, words in pages.items():
        for i, word in enumerate(words):
            if not word.text.startswith("("):
                continue
            if not _ROLE.match(" ".join(w.text for w in words[i : i + 4])):
                continue
            name: list[Word] = []
            for prev in reversed(words[max(0, i - 7) : i]):
                text = prev.text
                if name and _speck(prev, name[0]):
                    continue
                garbled = not name and _garbled_last_word(prev)
                if garbled:  # the name's last word, unread: what OCR made of it
                    prev = replace(prev, text=garbled)
                    text = prev.text
                elif prev.confidence < _ROLE_NOISE and not (name and _unsure_name_word(prev)):
                    continue  # a mark off the page's edge read into the line ("en," at 0.3)
                if name and _irish_particle([text, name[0].text])[0] != text:
                    prev = replace(prev, text="O")  # "ANTHONY J 6 SUILLEABHAIN" for Ó
                    text = prev.text
                unread = _UNREAD_LAST.match(text)
                if unread:  # "REBECC#": its last letter read as a mark (CT-S10038-0129)
                    prev = replace(prev, text=unread.group(1))
                    text = prev.text
                if _ROLE_STOP.match(text.strip(",")) or not _NAME_TOKEN.match(text):
                    break
                if text[:1].islower() or text.endswith(")"):
                    break
                name.insert(0, prev)
            name = [w for w in name if w.text.strip(",.")]
            if 2 <= len(name) <= 5 and not _COMPANY.search(" ".join(w.text for w in name)):
                comma = any(w.text.endswith(",") for w in name[:-1])
                return _split_name(name, sources[page], last_first=comma)
    return {}


def document_date(segs: list[Segment], ref: dt.date, period_end: bool = False) -> FieldValue | None:
    """The date the document was issued, by its label; else (`period_end`: a statement)
    the end of its statement period; else a bare date line near the top.

    Numeric dates are read in the order the document's own unambiguous dates show
    (`numeric_orders`), and a date years away from every other date the document prints
    is taken for a misreading ("2021" for "2026"), not for the document's date; a year
    cut to its century ("07/15/20" for "07/15/2026") is completed from those dates."""
    orders = dates_mod.numeric_orders(seg.text for seg in segs)
    found = [
        (seg, dates_mod.find_in_words(seg.words, ref, "past", orders=orders, zero_slips=True))
        for seg in segs
    ]
    found = _century_years_completed(_without_cut_years(found))
    printed = [date.date for _seg, dates in found for date in dates]
    best: tuple[float, dates_mod.FoundDate, Segment] | None = None
    top_bare: tuple[dates_mod.FoundDate, Segment] | None = None
    for seg, dates in found:
        for date in dates:
            if _isolated(date.date, printed):
                continue
            context = _date_context(date, seg, segs)
            weight = _doc_date_weight(context)
            if weight is not None and (best is None or weight > best[0]):
                best = (weight, date, seg)
            if top_bare is None and len(date.words) == len(seg.words) and not context.strip():
                top_bare = (date, seg)
    if best is None:
        best = _row_date(segs, ref, orders, printed)
    if best is None and period_end:
        best = _period_end(segs, ref, orders, printed)
    if best:
        weight, date, seg = best
        return _value(date.date, date.words, seg.source, weight)
    if top_bare and top_bare[0].date <= ref:
        date, seg = top_bare
        return _value(date.date, date.words, seg.source, 0.6)
    return None


def _without_cut_years(
    found: list[tuple[Segment, list[dates_mod.FoundDate]]],
) -> list[tuple[Segment, list[dates_mod.FoundDate]]]:
    """The dates found, but those written with a month's name and a two-digit year on a
    page whose other dates have four-digit years: a year cut short ("the 28th day of
    September, 20" at a lease scan's cut edge, read as 2020, CT-O4167-0017). Numeric dates
    with two-digit years (a bill's "10/11/26" beside its "November 16, 2026") stay."""
    cut = _years_cut_short([d for _seg, dates in found for d in dates], named_only=True)
    return [(seg, [d for d in dates if d not in cut]) for seg, dates in found]


def _century_years_completed(
    found: list[tuple[Segment, list[dates_mod.FoundDate]]],
) -> list[tuple[Segment, list[dates_mod.FoundDate]]]:
    """The dates found, a numeric date whose two-digit year is the century of the
    four-digit years printed beside it, and years from them all, completed: its year was
    cut to its first two digits ("Bill Date: 09/22/20" for 09/22/2025 in a bill's banner,
    beside its 2025 period and due date, MA-S10053-0053). It takes the year that puts it
    nearest those dates; a reviewer reading the page would complete it the same way."""
    everything = [d for _seg, dates in found for d in dates]
    printed = [d.date for d in everything]
    full = sorted({d.date for d in everything if not d.two_digit_year})
    centuries = {day.year // 100 for day in full}
    if len(centuries) != 1:
        return found
    century = centuries.pop()

    def completed(date: dates_mod.FoundDate) -> dates_mod.FoundDate:
        if not date.two_digit_year or date.date.year % 100 != century or _month_named(date):
            return date
        return _nearest_year(date, full) if _isolated(date.date, printed) else date

    return [(seg, [completed(d) for d in dates]) for seg, dates in found]


def _nearest_year(date: dates_mod.FoundDate, printed: Sequence[dt.date]) -> dates_mod.FoundDate:
    """`date` in the year that puts it nearest one of `printed`, when that is within the
    span a document's dates keep (`_ISOLATION_DAYS`); else `date` as it was."""
    options = []
    for year in sorted({d.year + k for d in printed for k in (-1, 0, 1)}):
        try:
            options.append(date.date.replace(year=year))
        except ValueError:  # 29 February
            continue
    best = min(options, key=lambda o: min(abs((o - d).days) for d in printed), default=None)
    if best is None or min(abs((best - d).days) for d in printed) > _ISOLATION_DAYS:
        return date
    return replace(date, date=best)


def _years_cut_short(
    found: list[dates_mod.FoundDate], *, named_only: bool
) -> list[dates_mod.FoundDate]:
    """The dates of `found` with a two-digit year (`named_only`: and a month's name) when
    another has a four-digit year: a document writes its years one way, so these are
    years OCR or the scan's edge cut short."""
    if all(d.two_digit_year for d in found):
        return []
    return [d for d in found if d.two_digit_year and (not named_only or _month_named(d))]


def _month_named(date: dates_mod.FoundDate) -> bool:
    return any(_MONTH_WORD.match(w.text) for w in date.words)


_MONTH_WORD = re.compile(rf"^\W*{dates_mod.MONTH_ABBR}", re.I)


_ISOLATION_DAYS = 400
"""A bill, statement or letter prints its other dates (period, due date, payments, a lease's
term) within about a year of its own date."""


def _isolated(day: dt.date, printed: Sequence[dt.date]) -> bool:
    """A date more than a year from every other date on the document, while two of those
    agree with each other (a birth date and an account-opening year agree with nothing)."""
    others = sorted({d for d in printed if d != day})
    if any(abs((d - day).days) <= _ISOLATION_DAYS for d in others):
        return False
    return any((b - a).days <= _ISOLATION_DAYS for a, b in itertools.pairwise(others))


_PERIOD_DATED = frozenset(
    {DocumentType.BANK_STATEMENT, DocumentType.MORTGAGE_STATEMENT, DocumentType.INSURANCE_STATEMENT}
)
"""Statements whose date, when none is printed, is their period's end (a bill's service
period is not its bill date; a policy period is the cover, not the statement)."""
_PERIOD = re.compile(r"\b(?:PERIOD|CYCLE)\b", re.I)
_NOT_STATEMENT_PERIOD = re.compile(
    r"POLICY|COVERAGE|TERM|SERVICE|USAGE|PAY\s*PERIOD|BILLING|DUE|GRACE|INTEREST", re.I
)
_PERIOD_END = re.compile(
    r"(?:[-\u2013\u2014]|\bTO|\bTHROUGH|\bTHRU|\bUNTIL|\bEND(?:S|ING|ED)?(?:\s*(?:DATE|ON))?)"
    r"\s*[:.]?\s*$",
    re.I,
)


_RANGE_START = re.compile(
    r"\b\d{1,2}(?:ST|ND|RD|TH)?(?:[-/.]\d{1,2}(?:[-/.]\d{2,4})?)?\s*(?:[A-Z]{1,2}\s*)?$", re.I
)
"""A range's first date just before (its dash lost to OCR, or its "to" misread as "te"):
"Dec 1", "01/01/2026", "07/02/2026 te"."""


def _period_end(
    segs: list[Segment],
    ref: dt.date,
    orders: dates_mod.Orders | None = None,
    printed: Sequence[dt.date] = (),
) -> tuple[float, dates_mod.FoundDate, Segment] | None:
    """The end of a statement period ("Statement period: Dec 1 - Dec 28, 2025", "For the
    period 01/01/2026 to 01/31/2026", "Period ending 01/31/2026"): the latest date closing
    a range whose phrase (or the label left of or above it) names a period."""
    best: tuple[float, dates_mod.FoundDate, Segment] | None = None
    for seg in segs:
        label = _seg_label(seg, segs)
        for date in dates_mod.find_in_words(seg.words, ref, "past", orders=orders, zero_slips=True):
            if _isolated(date.date, printed):
                continue
            idx = seg.words.index(date.words[0])
            left = _apart(" ".join(w.text for w in seg.words[max(0, idx - 10) : idx]))
            context = _apart(f"{label} {left}".strip())
            periods = list(_PERIOD.finditer(context))
            before = left or label
            closes = (
                _PERIOD_END.search(before)
                or _RANGE_START.search(before)
                or _PERIOD_END.search(_rejoin_last_word(before))
            )
            if not periods or date.date > ref or not closes:
                continue
            if _NOT_STATEMENT_PERIOD.search(context[max(0, periods[-1].start() - 20) :]):
                continue
            if best is None or date.date > best[1].date:
                best = (0.85, date, seg)
    return best


_SPLIT_TAIL = re.compile(r"(?<![A-Za-z])[A-Za-z]+(?:[:.,]? [A-Za-z]+){1,2}(?=\s*[:.]?\s*$)")


def _rejoin_last_word(text: str) -> str:
    """The last two or three runs of letters joined into one word: a word OCR cut by a
    space, maybe with a speck read as a mark ("throug h", "throug: h", "thro ugh" for
    "through")."""
    match = _SPLIT_TAIL.search(text)
    if match is None:
        return text
    joined = re.sub(r"[:.,]? ", "", match.group(0))
    return text[: match.start()] + joined + text[match.end() :]


def _apart(text: str) -> str:
    """A label glued to the number after it by OCR ('Period05/24/2026') set apart."""
    return re.sub(r"(?<=[A-Za-z])(?=\d)", " ", text)


def _seg_label(seg: Segment, segs: list[Segment]) -> str:
    """The label of a phrase: the phrase left of it on its line, else a short one above."""
    same_row = [s for s in segs if s.page == seg.page and _level(s, seg) and s.box[2] <= seg.box[0]]
    if same_row:
        return max(same_row, key=lambda s: s.box[2]).text
    up = above(seg, segs, 1)
    return up[0].text if up and len(up[0].words) <= 4 else ""


def _row_date(
    segs: list[Segment],
    ref: dt.date,
    orders: dates_mod.Orders | None = None,
    printed: Sequence[dt.date] = (),
) -> tuple[float, dates_mod.FoundDate, Segment] | None:
    """A labelled date split over two phrases of one row ("Date Issued: January 18," and,
    after a wide gap, "2026"): the row's phrases read as one."""
    rows: dict[tuple[int, int], list[Segment]] = {}
    for seg in segs:
        rows.setdefault((seg.page, seg.row), []).append(seg)
    best: tuple[float, dates_mod.FoundDate, Segment] | None = None
    for parts in rows.values():
        if len(parts) < 2:
            continue
        parts = sorted(parts, key=lambda s: s.box[0])
        row = Segment(tuple(w for p in parts for w in p.words), parts[0].row, parts[0].page,
                      parts[0].source)  # fmt: skip
        for date in dates_mod.find_in_words(row.words, ref, "past", orders=orders, zero_slips=True):
            if any(set(date.words) <= set(p.words) for p in parts) or _isolated(date.date, printed):
                continue  # within one phrase: already judged
            idx = row.words.index(date.words[0])
            weight = _doc_date_weight(" ".join(w.text for w in row.words[max(0, idx - 8) : idx]))
            if weight is not None and (best is None or weight > best[0]):
                best = (weight, date, row)
    return best


def _date_context(date: dates_mod.FoundDate, seg: Segment, segs: list[Segment]) -> str:
    """Words before the date in its segment, else the segment left of it, else its label above."""
    idx = seg.words.index(date.words[0])
    left = " ".join(w.text for w in seg.words[max(0, idx - 8) : idx])
    glued = re.match(r"^([A-Za-z][A-Za-z.]*[:#])\d", date.words[0].text)
    if glued:
        left = f"{left} {glued.group(1)}".strip()  # "Date:10/28/2026": a label glued on
    if left:
        return left
    same_row = [s for s in segs if s.page == seg.page and _level(s, seg) and s.box[2] <= seg.box[0]]
    if same_row:
        return max(same_row, key=lambda s: s.box[2]).text
    up = above(seg, segs, 1)
    return up[0].text if up and len(up[0].words) <= 4 and not _stray(up[0]) else ""


def _stray(seg: Segment) -> bool:
    """A phrase of unsure one- to three-character words only: a logo or a seal read as
    letters ('NN', 'a' over a letter's date), no label."""
    return all(
        w.confidence < NOISE_CONFIDENCE and sum(c.isalnum() for c in w.text) <= 3 for w in seg.words
    )


def _level(a: Segment, b: Segment) -> bool:
    """Two segments on one visual line: the same row, or their vertical extents overlapping
    by half the smaller height (a label and its value a few pixels apart on a skewed page,
    put in different rows by a third phrase between them)."""
    if a.row == b.row:
        return True
    top, bottom = max(a.box[1], b.box[1]), min(a.box[3], b.box[3])
    return bottom - top >= 0.5 * min(a.box[3] - a.box[1], b.box[3] - b.box[1])


_LABEL_HEAD = re.compile(
    r"\b(?:STATEMENT|BILL(?:ING)?|NOTICE|INVOICE|ISSUE|MAIL(?:ING)?|PRINT(?:ED)?|LEASE|PAY|"
    r"CHECK|ADVICE|CLOSING)\s+(?P<word>[A-Z0-9]{3,5})\s*[:.]?\s*$",
    re.I,
)
"""A two-word date label just before the date, its second word to be checked for "DATE"."""


_DATE_THEN_WORD = re.compile(r"\bDATE\s+(?P<word>[A-Z]{5,10})\s*[:.]?\s*$", re.I)
_DATE_PARTICIPLES = ("MAILED", "PRINTED", "PREPARED", "GENERATED", "ISSUED")
"""The second word of a "Date Mailed" label, to be checked for one misread character."""


def _heal_date_label(context: str) -> str:
    """'Bill Dare' or 'Bill Dat' read for 'Bill Date' just before a date: the label's 'DATE'
    with one character misread, lost or added, its first word intact, is taken as 'Date';
    so is 'Date Malled' for 'Date Mailed' (the participle one character off, 'DATE' intact)
    and 'bate Issued' for 'Date Issued' (OCR slips inside a label would otherwise leave a
    bill undated)."""
    match = _LABEL_HEAD.search(context)
    if match is not None and Levenshtein.distance(match.group("word").upper(), "DATE") == 1:
        return context[: match.start("word")] + "Date" + context[match.end("word") :]
    match = _DATE_THEN_WORD.search(context)
    if match is not None:
        word = match.group("word").upper()
        near = [v for v in _DATE_PARTICIPLES if Levenshtein.distance(word, v) == 1]
        if word not in _DATE_PARTICIPLES and len(near) == 1:
            return context[: match.start("word")] + near[0] + context[match.end("word") :]
    match = _WORD_THEN_PARTICIPLE.search(context)
    if match is not None and Levenshtein.distance(match.group("word").upper(), "DATE") == 1:
        return context[: match.start("word")] + "Date" + context[match.end("word") :]
    return context


_WORD_THEN_PARTICIPLE = re.compile(
    rf"\b(?P<word>[A-Z]{{3,5}})\s+(?:{'|'.join(_DATE_PARTICIPLES)})\s*[:.]?\s*$", re.I
)
"""'bate Issued' read for 'Date Issued' (MA-S10021-0141): the participle intact, "Date"
one character off."""


def _doc_date_weight(context: str) -> float | None:
    """The weight of a date's label, None when it is no document-date label."""
    tail = _heal_date_label(context)[-48:]
    last_clause = re.split(r"[.;]|\bAND\b|\band\b", tail)[-1]
    for pattern, weight in _DOC_DATE_LABELS:
        matches = list(pattern.finditer(last_clause))
        if not matches:
            continue
        match = matches[-1]
        after = last_clause[match.end() :]
        # a dash before the label separates a heading ("WATER BILL - Date Issued:"); only
        # after it does a dash make the date a range's end
        before = last_clause[: match.start()][-12:].rstrip(" -\u2013\u2014")
        if _NOT_DOC_DATE.search(after) or _NOT_DOC_DATE.search(before):
            continue
        return weight
    return None
