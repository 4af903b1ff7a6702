"""Checks of a document's fields against the profile and the program's rule pack.

Each check is `(DocumentState, Context) -> CheckResult | None` (None: does not apply):
- `check_name` NAME_MISMATCH, `check_date_of_birth` DOB_MISMATCH,
  `check_address` ADDRESS_MISMATCH (also PO boxes and mail drops on a residency proof),
  `check_state` ADDRESS_OUT_OF_STATE (the residency proof's address only);
- `check_expiry` DOCUMENT_EXPIRED (identity; a barcode or checked MRZ expiry first, the
  declared expiry when none was read; an uncertain "expired" read from the print warns),
  `check_declared_expiry` (warn only), `check_recency` DOCUMENT_TOO_OLD (residency);
- `check_duplicate` DUPLICATE_DOCUMENT (from `ctx.prior`).
Every flag carries a reviewer `message` (what was read, where, against what), an
`applicant_message`, and `evidence` (read value, profile value, similarity, page, box).
A near miss read by OCR is a warning, not a flag: a name between `name_review` and
`name_pass`, a date or number one misread digit away when the confidence is low; so is a
name read from the wrong words when the profile's name is printed on the document.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from models.flags import IDENTITY_TYPES, RESIDENCY_TYPES, DocumentType, FlagCode
from models.internal import CheckResult, DocumentState, FieldValue, MrzRecord, ReadAddress
from models.rules import RecencyRule
from pipeline.config import MatchConfig
from pipeline.context import Context
from pipeline.evidence import stored_box
from pipeline.matching import windows
from pipeline.matching.addresses import (
    STATE_ABBREVIATIONS,
    AddressMatch,
    PostalAddress,
    compare_addresses,
    find_street,
    parse_address,
    street_before_city,
    street_words,
)
from pipeline.matching.doubts import (
    address_doubt,
    carrier_confidence,
    name_doubt,
    ocr_pages,
    street_slip,
)
from pipeline.matching.names import (
    NameMatch,
    PersonName,
    compare_names,
    compare_unordered,
    holders,
    ocr_fold,
    person_name,
    text_similarity,
    tokens,
)
from pipeline.matching.nicknames import same_given_name
from pipeline.reading import dates as dates_mod
from pipeline.reading.mrz import witnessed_zone
from pipeline.reading.mrz_repair import parse_fields

_TYPE_WORDS = {
    DocumentType.DRIVERS_LICENSE: "driver's licence",
    DocumentType.STATE_ID: "state ID card",
    DocumentType.PASSPORT: "passport",
    DocumentType.PASSPORT_CARD: "passport card",
    DocumentType.MILITARY_ID: "military ID",
    DocumentType.UTILITY_BILL: "utility bill",
    DocumentType.BANK_STATEMENT: "bank statement",
    DocumentType.LEASE: "lease",
    DocumentType.MORTGAGE_STATEMENT: "mortgage statement",
    DocumentType.INSURANCE_STATEMENT: "insurance statement",
    DocumentType.GOVERNMENT_LETTER: "government letter",
    DocumentType.TAX_BILL: "tax bill",
    DocumentType.PAY_STUB: "pay stub",
    DocumentType.PHOTO: "photo",
}
_ROLE_WORDS = {"identity": "proof of identity", "residency": "proof of residency"}
_SOURCE_WORDS = {
    "ocr": "read by OCR",
    "pdf_text": "from the PDF text",
    "barcode": "from the barcode",
    "mrz": "from the MRZ",
    "declared": "as declared by the applicant",
}
_NAME_FIELDS = ("first_name", "middle_name", "last_name", "suffix")


# --------------------------------------------------------------------------- helpers


def document_words(doc: DocumentState) -> str:
    """'utility bill' or, when unclassified, 'proof of residency'."""
    word = _TYPE_WORDS.get(doc.document_type)
    return word or _ROLE_WORDS.get(doc.role, "document")


def where(fv: FieldValue) -> str:
    """' (read by OCR on page 1, confidence 0.62)' for messages."""
    how = _SOURCE_WORDS[fv.source]
    page = f" on page {fv.page + 1}" if fv.page is not None else ""
    conf = f", confidence {fv.confidence:.2f}" if fv.source == "ocr" else ""
    return f" ({how}{page}{conf})"


def field_evidence(fv: FieldValue) -> dict[str, object]:
    """Where a value was read: source, confidence, page, box."""
    return {
        "source": fv.source,
        "confidence": round(fv.confidence, 3),
        "page": fv.page,
        "box": list(fv.box) if fv.box else None,
    }


def low_confidence(fv: FieldValue, cfg: MatchConfig) -> bool:
    """An OCR read whose confidence is below the configured floor."""
    return fv.source == "ocr" and fv.confidence < cfg.ocr_low_confidence


def _date(fv: FieldValue | None) -> dt.date | None:
    return fv.value if fv is not None and isinstance(fv.value, dt.date) else None


def _applies(doc: DocumentState) -> bool:
    return doc.role in {"identity", "residency"} and doc.stopped is None


# --------------------------------------------------------------------------- names


def _unnamed(doc: DocumentState) -> CheckResult:
    """No name read: on an identity or residency document whose text was read, a warning
    (an unread name is no evidence of another person, but the document is not confirmed as
    the applicant's: the reviewer reads the name by eye); skipped on a document with no text
    or of no such kind (its own flag says why)."""
    if not doc.text or doc.document_type not in IDENTITY_TYPES | RESIDENCY_TYPES:
        return CheckResult("match.name", "skipped", detail="no name was read")
    return CheckResult(
        "match.name",
        "warn",
        0.5,
        f"no name could be read on the {document_words(doc)}: it is not confirmed as the "
        "applicant's, check the name by eye",
    )


def check_name(doc: DocumentState, ctx: Context) -> CheckResult | None:
    """NAME_MISMATCH when the name read is another person's than the profile's."""
    if not _applies(doc):
        return None
    read = {k: doc.fields[k] for k in _NAME_FIELDS if k in doc.fields}
    if "first_name" not in read and "last_name" not in read:
        return _unnamed(doc)
    cfg = ctx.config.match
    values = {k: (str(read[k].value) if k in read else None) for k in _NAME_FIELDS}
    doc_name = person_name(
        values["first_name"], values["middle_name"], values["last_name"], values["suffix"]
    )
    p = ctx.application.profile
    profile_name = person_name(p.first_name, p.middle_name, p.last_name, p.suffix)
    # MRZ names are OCR too, and no check digit covers them (only numbers and dates)
    tolerant = any(v.source in {"ocr", "mrz"} for v in read.values())
    words = doc_name.given + doc_name.surname
    given_only = set(words) <= set(profile_name.given)
    if doc_name.surname and (
        given_only or "".join(doc_name.surname) == "".join(profile_name.given[1:])
    ):
        # the profile's middle name, or only its given names in some order (then compared
        # in the profile's), read as the surname: the surname itself was not read ("KWAME
        # MAE" taken for LAST FIRST on a statement whose "VAN" OCR merged with the line
        # below, CT-S10075-0095)
        if given_only:
            words = tuple(sorted(words, key=profile_name.given.index))
        doc_name = replace(doc_name, given=words, surname=())
    match = compare_names(doc_name, profile_name, tolerant=tolerant)
    shown = " ".join(str(read[k].value) for k in _NAME_FIELDS if k in read)
    if match.similarity < cfg.name_pass and _unordered(doc, read):
        match = _best_unordered(shown, profile_name, match, tolerant, cfg.name_review)
    main = read.get("last_name") or read.get("first_name")
    assert main is not None
    evidence = {
        "read": shown,
        "profile": profile_name.display(),
        "similarity": match.similarity,
        "parts": [list(part) for part in match.parts],
        **field_evidence(main),
    }
    if match.similarity >= cfg.name_pass:
        return CheckResult("match.name", "pass", match.similarity, f"name matches: {match.reason}")
    if len(doc_name.given) + len(doc_name.surname) < 2:
        return CheckResult(
            "match.name",
            "warn",
            match.similarity,
            f"only one name word was read ('{shown}'), too little to tell another person: "
            + match.reason,
            evidence=evidence,
        )
    if match.similarity >= cfg.name_review and tolerant:
        return CheckResult(
            "match.name",
            "warn",
            match.similarity,
            f"name read by OCR is close to, not the same as, the profile's: {match.reason}",
            evidence=evidence,
        )
    if read_elsewhere(profile_name, doc.full_text):
        return CheckResult(
            "match.name",
            "warn",
            match.similarity,
            f"the name read ('{shown}') is not the profile's, but the profile's name "
            f"'{profile_name.display()}' is printed on the document: other words were read "
            f"as the name ({match.reason})",
            evidence=evidence,
        )
    doubt = name_doubt(doc, read, profile_name, cfg)
    if doubt is not None:
        return CheckResult(
            "match.name",
            "warn",
            match.similarity,
            f"the name read ('{shown}') is not the profile's, but not conclusively another "
            f"person's: {doubt} ({match.reason})",
            evidence=evidence,
        )
    what = document_words(doc)
    return CheckResult(
        "match.name",
        "fail",
        match.similarity,
        detail=match.reason,
        flag=FlagCode.NAME_MISMATCH,
        message=(
            f"Name on the {what} '{shown}'{where(main)} does not match the profile name "
            f"'{profile_name.display()}': {match.reason}."
        ),
        applicant_message=(
            f"The name on your {what} ('{shown}') does not match the name on your application. "
            "Please upload a document in your own name, or ask your certifying provider's "
            "office to correct the name on your profile."
        ),
        evidence=evidence,
    )


def _unordered(doc: DocumentState, read: dict[str, FieldValue]) -> bool:
    """The name was printed as an addressee line (a residency proof, read from its text)
    without a comma: its word order does not say which words are the surname, and it may
    list joint holders."""
    return (
        doc.role == "residency"
        and all(fv.source in {"ocr", "pdf_text"} for fv in read.values())
        and not any("," in str(fv.value) for fv in read.values())
    )


def _best_unordered(
    shown: str, profile: PersonName, ordered: NameMatch, tolerant: bool, floor: float
) -> NameMatch:
    """The best of every holder's name in any order when it comes close to the profile's
    (at least `floor`) and beats the match as read; else the match as read."""
    best = ordered
    listed = holders(shown)
    for words in listed:
        match = compare_unordered(words, profile, tolerant=tolerant)
        if match.similarity > max(best.similarity, floor - 1e-9):
            how = "one of the joint holders" if len(listed) > 1 else "read in either order"
            best = replace(match, reason=f"{how}: {match.reason}")
    return best


NAME_WINDOW = 3
"""Words between the profile's first name and surname (middle names, a comma) tolerated
when looking for the profile's name in the document's text."""


def read_elsewhere(profile: PersonName, text: str) -> bool:
    """The profile's first given name (or a nickname of it) and whole surname printed near
    each other in the text ('Van Buren, Siobhan R', 'SIOBHAN R VAN BUREN', 'Peggy Van
    Buren'): the document does name the applicant, and the field reader took other words
    for the name. The surname is found with the characters OCR confuses folded together
    ('IBAFIEZ' for 'IBAÑEZ', 'O5ULLIVAN'): the text is an OCR reading."""
    if not profile.given or not profile.surname or not text:
        return False
    words = tokens(text)
    first = profile.given[0]
    if len(first) < 2:
        return False
    surname = list(profile.surname)
    # one part of a compound surname (4 letters or more: a particle like 'O' is easily
    # misread) counts only right beside the first name ('SUILLEABHAIN WILLIAM A')
    parts = [[t] for t in surname if len(t) >= 4] if len(surname) > 1 else []
    return _near(words, surname, first, NAME_WINDOW) or any(
        _near(words, part, first, 0) for part in parts
    )


def _near(words: list[str], surname: list[str], first: str, window: int) -> bool:
    folded = [ocr_fold(w) for w in words]
    wanted = [ocr_fold(w) for w in surname]
    for i in range(len(words) - len(surname) + 1):
        if folded[i : i + len(surname)] != wanted:
            continue
        near = words[max(0, i - window - 1) : i + len(surname) + window + 1]
        if any(w == first or (len(w) > 1 and same_given_name(w, first)) for w in near):
            return True
    return False


# --------------------------------------------------------------------------- date of birth


def check_date_of_birth(doc: DocumentState, ctx: Context) -> CheckResult | None:
    """DOB_MISMATCH when the date of birth read differs from the profile's."""
    fv = doc.fields.get("date_of_birth")
    if not _applies(doc) or fv is None:
        return None
    read = _date(fv)
    if read is None:
        return CheckResult("match.date_of_birth", "skipped", detail="date of birth not parsed")
    profile = ctx.application.profile.date_of_birth
    if read == profile:
        return CheckResult("match.date_of_birth", "pass", 1.0, "date of birth matches")
    evidence = {"read": read, "profile": profile, **field_evidence(fv)}
    if fv.source == "ocr" and fv.confidence < ctx.config.match.ocr_no_read_confidence:
        return CheckResult(
            "match.date_of_birth",
            "warn",
            0.6,
            f"date of birth read {read.isoformat()} from a word OCR could not resolve "
            f"(confidence {fv.confidence:.2f}) differs from the profile's "
            f"{profile.isoformat()}: check it by eye",
            evidence=evidence,
        )
    if (
        low_confidence(fv, ctx.config.match)
        and windows.ocr_confusable(read, profile)
        and not _date_read_surely(doc, fv, ctx)
    ):
        return CheckResult(
            "match.date_of_birth",
            "warn",
            0.7,
            f"date of birth read {read.isoformat()} with low OCR confidence differs from the "
            f"profile's {profile.isoformat()} by one easily misread digit",
            evidence=evidence,
        )
    what = document_words(doc)
    return CheckResult(
        "match.date_of_birth",
        "fail",
        0.1 if not windows.ocr_confusable(read, profile) else 0.4,
        detail=f"read {read.isoformat()}, profile {profile.isoformat()}",
        flag=FlagCode.DOB_MISMATCH,
        message=(
            f"Date of birth on the {what} is {read.isoformat()}{where(fv)}; "
            f"the profile says {profile.isoformat()}."
        ),
        applicant_message=(
            f"The date of birth on your {what} ({windows.long_date(read)}) does not match the "
            "one on your application. If your application is wrong, ask your certifying "
            "provider's office to correct it; otherwise upload your own document."
        ),
        evidence=evidence,
    )


# --------------------------------------------------------------------------- addresses


def _read_address(fv: FieldValue) -> PostalAddress:
    value = fv.value
    if isinstance(value, ReadAddress):
        return parse_address(value.line1, value.line2, value.city, value.state, value.zip)
    return parse_address(str(value))


def _profile_address(ctx: Context) -> PostalAddress:
    a = ctx.application.profile.address
    return parse_address(a.line1, a.line2, a.city, a.state, a.zip)


def _shown(fv: FieldValue) -> str:
    value = fv.value
    if isinstance(value, ReadAddress):
        parts = [value.line1, value.line2, value.city, value.state, value.zip]
        return ", ".join(p for p in parts if p)
    return str(value)


def _address_doubted(
    fv: FieldValue, match: AddressMatch, why: str, evidence: dict[str, object]
) -> CheckResult:
    """A reviewer warning for an address that differs on evidence too weak to flag."""
    return CheckResult(
        "match.address",
        "warn",
        0.7,
        f"address read by OCR{where(fv)} differs from the profile's ({_diff_words(match)}), " + why,
        evidence=evidence,
    )


def check_address(doc: DocumentState, ctx: Context) -> CheckResult | None:
    """ADDRESS_MISMATCH: residency proofs always, identity documents that carry an in-state
    address; a PO box or mail drop on a residency proof is not a residence.

    An identity document's address read only by OCR from its front warns instead of
    flagging (its barcode, on the back, is compared exactly; the residency proof is what
    proves the address); so does a low-confidence OCR read that differs by one digit."""
    fv = doc.fields.get("address")
    if not _applies(doc):
        return None
    if fv is None:
        if doc.role == "residency" and doc.document_type in RESIDENCY_TYPES and doc.text:
            return _street_in_text(doc, None, None, ctx)
        return None
    read = _read_address(fv)
    what = document_words(doc)
    if doc.role == "residency" and (read.po_box or read.mail_drop):
        return _mailbox(doc, fv, read, what)
    if doc.role == "identity" and read.state and read.state != ctx.rules.state:
        return CheckResult(
            "match.address",
            "pass",
            1.0,
            f"out-of-state ({read.state}) identity document: its address is not compared; "
            "residency is proven by the residency document",
        )
    cfg = ctx.config.match
    match = compare_addresses(
        read,
        _profile_address(ctx),
        street_min=cfg.address_street_min,
        city_min=cfg.city_min,
        tolerant=fv.source == "ocr",
        city_min_same_zip=cfg.city_min_same_zip,
    )
    if doc.role == "residency" and not (read.number and read.street) and not match.differing:
        return _street_in_text(doc, fv, match, ctx)
    if not match.components:
        return CheckResult("match.address", "skipped", detail="no comparable address parts read")
    if not match.differing:
        return CheckResult("match.address", "pass", match.similarity, _agree_detail(match))
    evidence = _address_evidence(fv, match, ctx)
    printed = _profile_printed_elsewhere(doc, fv, match, ctx)
    if printed is not None:
        what_printed, found = printed
        why = f"but {what_printed} is printed elsewhere on the document as '{found}'"
        return _address_doubted(
            fv, match, why + ": likely a misread", {**evidence, "found_in_text": found}
        )
    doubt = address_doubt(doc, fv, match, cfg)
    if doubt is not None:
        return _address_doubted(fv, match, f"not conclusively: {doubt}", evidence)
    cut = _street_cut_at_edge(doc, fv, match)
    if cut is not None:
        why = (
            f"but the street name read, '{cut}', is the start of the profile's and stands at "
            "the very edge of the page: the rest of the word was cut off"
        )
        if "ZIP code" in match.differing:
            why += "; and the ZIP code read is one easily misread digit off the profile's"
        return _address_doubted(fv, match, why, evidence)
    if (
        (low_confidence(fv, cfg) and _unsure_slip(doc, fv, match, cfg))
        or (fv.source == "ocr" and _zip_misread(match))
        or (doc.role == "identity" and fv.source == "ocr")
    ):
        return CheckResult(
            "match.address",
            "warn",
            0.7,
            f"address read by OCR{where(fv)} differs from the profile's: {_diff_words(match)}",
            evidence=evidence,
        )
    return CheckResult(
        "match.address",
        "fail",
        _mismatch_score(match),
        detail=_diff_words(match),
        flag=FlagCode.ADDRESS_MISMATCH,
        message=(
            f"Address on the {what} '{_shown(fv)}'{where(fv)} does not match the profile address: "
            f"{_diff_words(match)}."
        ),
        applicant_message=(
            f"The address on your {what} does not match the address on your application "
            f"({', '.join(match.differing)} differ). Please upload a document showing your "
            "current home address, or ask your certifying provider's office to correct it."
        ),
        evidence=evidence,
    )


STREET_LINE_PARTS = frozenset({"house number", "street", "street type", "unit"})


def _profile_printed_elsewhere(
    doc: DocumentState, fv: FieldValue, match: AddressMatch, ctx: Context
) -> tuple[str, str] | None:
    """(what, as printed) when an OCR-read residency proof prints the profile's address
    elsewhere though its address block differs: a bill prints the addressee's block twice,
    on the letter and on the stub, and one copy was misread.
    - Only the street line differs (house number, street, street type, unit): the profile's
      exact street address printed anywhere (or another line was taken for the street).
    - Only the ZIP differs: the profile's street followed by the profile's state and ZIP
      ("06852" read on one block for the "06851" of both, CT-S10016-0113).
    A document addressed to another house or ZIP prints it in every block; a different
    city or state is never excused this way."""
    if doc.role != "residency" or fv.source != "ocr" or not match.differing:
        return None
    street_only = set(match.differing) <= STREET_LINE_PARTS
    if not street_only and match.differing != ("ZIP code",):
        return None
    profile = _profile_address(ctx)
    found = find_street(doc.full_text, profile, street_min=ctx.config.match.address_street_min)
    if street_only:
        same = next((s for s in found if s.same_address), None)
        return ("the profile's street address", same.text) if same else None
    same = next((s for s in found if s.same_address and s.profile_zip_follows), None)
    if same is None:
        return None
    return ("the street with the profile's ZIP code", f"{same.text} ... {profile.zip5}")


def _street_in_text(
    doc: DocumentState, fv: FieldValue | None, partial: AddressMatch | None, ctx: Context
) -> CheckResult | None:
    """A residency proof whose street line was not read (`fv` None: no address block at
    all): city, state and ZIP alone do not prove the residence (a neighbour's bill shares
    them). Like a reviewer, look for the profile's street address in the document's text:
    the same house number (exactly) and street name (OCR-tolerant) pass; the street under
    another house number or street type is ADDRESS_MISMATCH; no sign of the street at all
    is a warning for the reviewer (OCR may have missed the very line)."""
    cfg = ctx.config.match
    profile = _profile_address(ctx)
    what = document_words(doc)
    agreed = partial.components if partial else {}
    if not (profile.number and profile.street):
        if partial is None:
            return None
        detail = "the profile has no street address to compare; " + _agree_detail(partial)
        return CheckResult("match.address", "pass", partial.similarity, detail)
    read_where = where(fv) if fv else ""
    read_evidence = {"read": _shown(fv), **field_evidence(fv)} if fv else {"read": None}
    sightings = find_street(doc.full_text, profile, street_min=cfg.address_street_min)
    same = next((s for s in sightings if s.same_address), None)
    if same is not None:
        also = f" ({', '.join(agreed)} agree)" if agreed else ""
        return CheckResult(
            "match.address",
            "pass",
            round(min(same.similarity, partial.similarity if partial else 1.0), 3),
            f"street line not read as an address block; the profile's street '{profile.line()}' "
            f"is printed in the document's text as '{same.text}'{also}",
            evidence={**read_evidence, "found_in_text": same.text},
        )
    street = f"{profile.number} {profile.street} {profile.street_type or ''}".strip()
    other = next((s for s in sightings if s.same_type and not s.same_number), None)
    if other is not None:
        found = (
            f"the document prints '{other.text}': "
            f"house number '{other.number}' vs profile '{profile.number}'"
        )
    elif sightings:
        s = sightings[0]
        found = (
            f"the document prints '{s.text}': "
            f"street type '{s.street_type}' vs profile '{profile.street_type}'"
        )
    else:
        found = f"the profile's street '{street}' is not printed anywhere in the document's text"
    evidence = {
        **read_evidence,
        "profile": _profile_line(ctx),
        "found_in_text": [s.text for s in sightings[:3]],
        "differing": ["house number" if other else "street"],
    }
    typed = sightings[0] if sightings and other is None and sightings[0].same_number else None
    printed_type = typed.text.split()[-1] if typed is not None and typed.street_type else None
    unsure = carrier_confidence(ocr_pages(doc), "street type", printed_type)
    if unsure is not None and unsure < cfg.ocr_low_confidence:
        return CheckResult(
            "match.address",
            "warn",
            0.6,
            f"the {what}'s street line was not read as an address block; {found}, but that "
            f"street type was read at OCR confidence {unsure:.2f} with house number "
            "and street name agreeing: likely a misread, check the street type by eye",
            evidence={**evidence, "type_confidence": round(unsure, 3)},
        )
    above = _line_above_city(doc.full_text, profile)
    elsewhere = None if sightings or above else _other_street_before_city(doc, ctx)
    if not sightings and above is not None:
        found = f"{found}; the street line over the city line reads '{above}'"
    elif elsewhere is not None:
        found = f"{found}; {elsewhere}"
    elif not sightings:
        # the street may sit where OCR failed (a shadow, a fold) even when the rest of
        # the page reads well: absence is a reviewer's check, not a mismatch (on a fresh
        # 200-application set a clean bank statement was flagged that way)
        why = "no address block was read" if fv is None else "it is not found in the text"
        return CheckResult(
            "match.address",
            "warn",
            0.5,
            f"the {what}'s street line could not be read and {why} to find the profile's "
            f"street '{street}' in it: check the address by eye",
            evidence=evidence,
        )
    block = (
        f"only city, state and ZIP were read as the address block{read_where}"
        if fv
        else "no address block was read"
    )
    return CheckResult(
        "match.address",
        "fail",
        0.2 if other is not None else 0.35,
        detail=found,
        flag=FlagCode.ADDRESS_MISMATCH,
        message=(
            f"The {what}'s street address does not match the profile address "
            f"'{_profile_line(ctx)}': {block}, and {found}."
        ),
        applicant_message=(
            f"We could not find your street address on your {what}. Please upload a document "
            "that shows your current home street address, or ask your certifying provider's "
            "office to correct the address on your application."
        ),
        evidence=evidence,
    )


CLEARLY_OTHER_STREET = 0.5
"""Street-name similarity under which a street printed before the profile's city is
another street, not an OCR slip of the profile's ('HIGHLAN' for 'ELM' scores 0.2; 'MAIM'
for 'MAIN' 0.75)."""


def _other_street_before_city(doc: DocumentState, ctx: Context) -> str | None:
    """What a reviewer reads when a residency proof writes its premises in a sentence and
    the street runs into the city with no comma (`street_before_city`): a street name
    read surely (OCR confidence at least `ocr_low_confidence`, or a text layer) that is
    clearly another (`CLEARLY_OTHER_STREET`), not the start of the profile's street cut
    at the page's edge, and no word of the holder's name (a number, then the addressee's
    name over the city line); else None."""
    cfg, profile = ctx.config.match, _profile_address(ctx)
    printed = street_before_city(doc.full_text, profile)
    if printed is None or not printed.street or not profile.street:
        return None
    person = ctx.application.profile
    if set(printed.street.split()) & set(tokens(f"{person.first_name} {person.last_name}")):
        return None
    first, whole = printed.street.split()[0], street_words(profile.street)
    if len(first) < MIN_CUT_STREET or (whole and _cut_start(first, whole[0])):
        return None
    similarity = text_similarity(printed.street, " ".join(whole), tolerant=True)
    if similarity >= CLEARLY_OTHER_STREET:
        return None
    sure = carrier_confidence(ocr_pages(doc), "street", first)
    if sure is not None and sure < cfg.ocr_low_confidence:
        return None
    return (
        f"the premises are written as '{printed.text}' right before the profile's city: "
        f"street '{printed.street}' vs profile '{profile.street}'"
    )


_STREET_LIKE = re.compile(r"^\s*\d{1,6}[A-Z]?(?:-\d+)?\s+[A-Z][A-Z .'-]{2,}", re.I)
"""A line that starts like a street address: a house number, then words."""


def _line_above_city(text: str, profile: PostalAddress) -> str | None:
    """The street-like line printed right over a line naming the profile's city and ZIP
    (an address block whose street line the extractor did not take), else None."""
    if not (profile.city and profile.zip5):
        return None
    lines = [line.strip() for line in text.replace("\f", "\n").splitlines()]
    city, zip5 = profile.city.upper(), profile.zip5
    for i, line in enumerate(lines[1:], start=1):
        if city in line.upper() and zip5 in line and _STREET_LIKE.match(lines[i - 1]):
            return lines[i - 1]
    return None


def _profile_line(ctx: Context) -> str:
    a = ctx.application.profile.address
    return ", ".join(x for x in (a.line1, a.line2, a.city, a.state, a.zip) if x)


def _poor_text(doc: DocumentState, cfg: MatchConfig) -> bool:
    """OCR text whose mean word confidence is under the low-confidence floor: a street
    line may be in the image and unread."""
    words = [w for page in doc.text if page.source == "ocr" for w in page.words]
    if not words:
        return False
    return sum(w.confidence for w in words) / len(words) < cfg.ocr_low_confidence


def _mailbox(doc: DocumentState, fv: FieldValue, read: PostalAddress, what: str) -> CheckResult:
    kind = "PO box" if read.po_box else "private mailbox (mail drop)"
    return CheckResult(
        "match.address",
        "fail",
        0.2,
        detail=f"{kind} is not a residence",
        flag=FlagCode.ADDRESS_MISMATCH,
        message=f"The {what} is addressed to a {kind} '{_shown(fv)}'{where(fv)}, not a residence.",
        applicant_message=(
            f"Your {what} is addressed to a {kind}. Proof of residency must show the street "
            "address where you live; please upload a document addressed to your home."
        ),
        evidence={"read": _shown(fv), "reason": kind, **field_evidence(fv)},
    )


def _agree_detail(match: AddressMatch) -> str:
    return "address matches on " + ", ".join(match.components) + f" ({match.similarity:.2f})"


def _diff_words(match: AddressMatch) -> str:
    said = []
    for name in match.differing:
        d, p, _, score = match.components[name]
        said.append(f"{name} '{d}' vs profile '{p}' ({round(score * 100)}/100)")
    return "; ".join(said)


def _mismatch_score(match: AddressMatch) -> float:
    """Lower when more, and more decisive, components differ."""
    decisive = {"house number", "ZIP code", "state", "street"}
    hard = sum(1 for name in match.differing if name in decisive)
    return round(max(0.05, 0.6 - 0.2 * hard - 0.05 * (len(match.differing) - hard)), 3)


def _only_digit_slips(match: AddressMatch) -> bool:
    """Every difference is a house number or ZIP with one differing digit."""
    for name in match.differing:
        d, p, _, _ = match.components[name]
        if name not in {"house number", "ZIP code"} or not d or not p or len(d) != len(p):
            return False
        if sum(1 for x, y in zip(d, p, strict=True) if x != y) != 1:
            return False
    return True


def _unsure_slip(doc: DocumentState, fv: FieldValue, match: AddressMatch, cfg: MatchConfig) -> bool:
    """In an unsure OCR read, a difference that looks like a misread: one digit of the house
    number or ZIP, or only the street type ('BLVD' read 'BND' at 0.48, MA-S10002-0188),
    unless a word printing the differing value was read surely (the block's confidence is
    its weakest word's: '25 Orchard Ave' at 0.97 under a city line at 0.00 is another
    house, MA-S10001-0003); or a street name two letters off."""
    if _only_digit_slips(match) or match.differing == ("street type",):
        pages = ocr_pages(doc, fv)
        sure = [
            c
            for part in match.differing
            if (c := carrier_confidence(pages, part, match.components[part][0])) is not None
        ]
        return all(c < cfg.ocr_low_confidence for c in sure)
    return _street_slip(match, cfg)


def _street_slip(match: AddressMatch, cfg: MatchConfig) -> bool:
    """Only the street name differs, and by a slip (`street_slip`)."""
    if match.differing != ("street",):
        return False
    d, p, _, _ = match.components["street"]
    return street_slip(d, p, cfg)


EDGE_SHARE = 0.015
"""A word whose box ends this close to the page's right edge (share of the page width)
may continue past it: the scan or photo cut it off."""
EDGE_HEIGHTS = 2.0
"""Or this close, in heights of the word: the letter cut in half at the edge is not read
('618 WETHER' ending two letter heights short of the edge, MA-O4103-0076)."""
MIN_CUT_STREET = 3
"""Letters of a street name cut at the page's edge needed to recognise its start."""


def _street_cut_at_edge(doc: DocumentState, fv: FieldValue, match: AddressMatch) -> str | None:
    """The street name read when it is only the start of the profile's street name and
    its last word ends at the page's right edge ('601 Wether' for '601 Wethersfield' in a
    lease whose scan cut the right margin, CT-O4205-0065): the page lost the rest of the
    word, nothing says another street. The edge is the page's, or where several lines stop
    with it when straightening a skewed scan widened the page past the cut ('3166 FRAN'
    at 1455 px of a 1503 px page whose lines all stop there, MA-O4127-0021); words read
    after the cut one are the line's run-on (`_cut_word`). Only the street may differ, or
    the street and, read by OCR, the ZIP one easily misread digit off (`_zip_slip`: both
    slips on one lease, "380 Wethers" cut and "96107" for 06107, CT-O4267-0089); else None."""
    others = set(match.differing) - {"street"}
    if "street" not in match.differing or (
        others and not (others == {"ZIP code"} and fv.source == "ocr" and _zip_slip(match))
    ):
        return None
    read, profile, _, _ = match.components["street"]
    if not read or not profile:
        return None
    tail = _cut_word(tokens(read), tokens(profile))
    if tail is None:
        return None
    for page in doc.text:
        ends: dict[int, int] = {}
        for word in page.words:
            ends[word.line] = max(ends.get(word.line, 0), word.box[2])
        for word in page.words:
            if tokens(word.text)[-1:] != [tail]:
                continue
            reach = EDGE_HEIGHTS * (word.box[3] - word.box[1])
            edge = min(page.width * (1 - EDGE_SHARE), page.width - reach)
            stopped = sum(abs(end - word.box[2]) <= reach for end in ends.values())
            if word.box[2] >= edge or stopped >= CUT_LINES:
                return read
    return None


CUT_LINES = 3
"""Lines (the street's own among them) whose text stops within `EDGE_HEIGHTS` of where the
street name stops: the scan's cut, wherever straightening left the page's edge (three: a
lease photographed off the frame, "1501 ASYLI" for Asylum, CT-O4193-0155)."""


def _cut_word(read: list[str], profile: list[str]) -> str | None:
    """The word of the street name read that begins the profile's word at its place, the
    words before it read whole: the word a cut edge may have cut short. Words read after it
    are what the line ran into past the cut ("ASYLI 21", CT-O4193-0155)."""
    for at, (tail, whole) in enumerate(zip(read, profile, strict=False)):
        if read[:at] != profile[:at]:
            return None
        if MIN_CUT_STREET <= len(tail) < len(whole) and _cut_start(tail, whole):
            return tail
    return None


def _cut_start(tail: str, whole: str) -> bool:
    """`tail` is the start of `whole`, but perhaps for its last letter: the letter the
    edge cut through reads as another ('Broac' for the 'Broad' of Broadway, its 'd' cut
    through the stem, MA-O4145-0061), after `MIN_CUT_STREET` letters read whole."""
    return whole.startswith(tail) or (len(tail) > MIN_CUT_STREET and whole.startswith(tail[:-1]))


def _zip_misread(match: AddressMatch) -> bool:
    """Only the ZIP differs, by one digit OCR confuses (0/9, 3/8...): a misread, not a move."""
    return match.differing == ("ZIP code",) and _zip_slip(match)


def _zip_slip(match: AddressMatch) -> bool:
    """The ZIP read differs from the profile's by one digit OCR confuses (0/9, 3/8...)."""
    d, p, _, _ = match.components["ZIP code"]
    if not d or not p or len(d) != len(p):
        return False
    diff = [(x, y) for x, y in zip(d, p, strict=True) if x != y]
    return len(diff) == 1 and windows.digits_confusable(*diff[0])


def _address_evidence(fv: FieldValue, match: AddressMatch, ctx: Context) -> dict[str, object]:
    a = ctx.application.profile.address
    profile = ", ".join(x for x in (a.line1, a.line2, a.city, a.state, a.zip) if x)
    return {
        "read": _shown(fv),
        "profile": profile,
        "similarity": match.similarity,
        "differing": list(match.differing),
        "components": {
            k: {"read": v[0], "profile": v[1], "score": v[3]} for k, v in match.components.items()
        },
        **field_evidence(fv),
    }


def check_state(doc: DocumentState, ctx: Context) -> CheckResult | None:
    """ADDRESS_OUT_OF_STATE when the residency proof's address is not in the program's state.

    State and ZIP prefix are judged together: both out, or one out and the other unread,
    is a flag; a state and a ZIP that disagree with each other only warn.
    """
    fv = doc.fields.get("address")
    if doc.role != "residency" or doc.stopped is not None:
        return None
    read = _read_address(fv) if fv is not None else None
    if read is None or not (read.state or read.zip5):
        found = _state_line_under_street(doc, ctx)
        if found is not None:
            fv, read = found
    if fv is None or read is None:
        return None
    state_ok = None if not read.state else read.state == ctx.rules.state
    zip_ok = ctx.rules.zip_in_state(read.zip5)
    if state_ok is None and zip_ok is None:
        return CheckResult("match.state", "skipped", detail="neither state nor ZIP code read")
    if state_ok is not False and zip_ok is not False:
        return CheckResult("match.state", "pass", 1.0, f"address is in {ctx.rules.state}")
    detail = (
        f"state '{read.state or '?'}', ZIP '{read.zip5 or '?'}'; program state {ctx.rules.state}"
    )
    evidence = {"read": _shown(fv), "state": read.state, "zip": read.zip5, **field_evidence(fv)}
    if state_ok is True or zip_ok is True:
        return CheckResult(
            "match.state", "warn", 0.6, f"state and ZIP code disagree: {detail}", evidence=evidence
        )
    what = document_words(doc)
    return CheckResult(
        "match.state",
        "fail",
        0.05,
        detail=detail,
        flag=FlagCode.ADDRESS_OUT_OF_STATE,
        message=(
            f"The {what} address '{_shown(fv)}'{where(fv)} is not in {ctx.rules.state}: {detail}."
        ),
        applicant_message=(
            f"The address on your {what} is not in {ctx.rules.state}. The program requires "
            f"proof that you live in {ctx.rules.state}; please upload a document showing your "
            f"{ctx.rules.state} home address."
        ),
        evidence=evidence,
    )


_ZIP = re.compile(r"\b(\d{5})(?:-\d{4})?\b")
_STATE_CODES = frozenset(STATE_ABBREVIATIONS.values())
STATE_LINE_REACH = 3
"""Lines under the street line (itself included) where its city, state and ZIP line may
stand: a unit line, or a column printed beside the block, may come between."""
GARBLED_STATE = 3
"""Characters at most of the word before a ZIP taken as its state misread ('R!' for 'RI')."""


def _state_line_under_street(
    doc: DocumentState, ctx: Context
) -> tuple[FieldValue, PostalAddress] | None:
    """The state and ZIP of the address block whose street line is the profile's, read from
    the document's text when the extractor read no address block (or none with a state or
    ZIP): a two-column page interleaves the block with "Statement Date" lines and the block
    is lost, yet a reviewer reads 'Nashua, NH 03060' under '59 Chestnut Ln' (MA-S9898-0200).
    Only the lines right under the profile's own street line count: the issuer's address
    (another state, often) prints elsewhere. None when the street is not found."""
    cfg = ctx.config.match
    profile = _profile_address(ctx)
    if not (profile.number and profile.street):
        return None
    for page in doc.text:
        lines = page.lines
        for i, line in enumerate(lines):
            text = " ".join(w.text for w in line)
            sightings = find_street(text, profile, street_min=cfg.address_street_min)
            if not any(s.same_address for s in sightings):
                continue
            for below in lines[i : i + STATE_LINE_REACH + 1]:
                found = _profile_city_state_zip(" ".join(w.text for w in below), profile, cfg)
                if found is None:
                    continue
                state, zip5, shown = found
                box = (
                    min(w.box[0] for w in below),
                    min(w.box[1] for w in below),
                    max(w.box[2] for w in below),
                    max(w.box[3] for w in below),
                )
                conf = min(w.confidence for w in below)
                fv = FieldValue(f"{text}, {shown}", page.source, conf, page.page, box)
                return fv, parse_address(text, None, None, state, zip5)
    return None


def _profile_city_state_zip(
    line: str, profile: PostalAddress, cfg: MatchConfig
) -> tuple[str | None, str, str] | None:
    """(state or None, ZIP5, text) of the first ZIP of a line that carries the profile's
    ZIP or follows the profile's city (OCR-tolerant): the applicant's own city line, not a
    column printed beside it (an issuer's 'Hartford, CT 06151'). The state is the two-letter
    code or the state's name before the ZIP; a short word there that is neither is a state
    misread ('WARWICK, R! 02886'): unread (CT-S9898-0111)."""
    upper = line.upper()
    city = tokens(profile.city)
    for hit in _ZIP.finditer(upper):
        words = upper[: hit.start()].split()
        state: str | None = None
        for size in (2, 1):
            name = " ".join(tokens(" ".join(words[-size:]))) if len(words) >= size else ""
            code = name if name in _STATE_CODES else STATE_ABBREVIATIONS.get(name)
            if code:
                state, words = code, words[:-size]
                break
        else:
            if words and len(words[-1].strip(",.")) <= GARBLED_STATE:
                words = words[:-1]
        zip5 = hit.group(1)
        before = tokens(" ".join(words))[-len(city) :] if city else []
        near_city = bool(city) and (
            text_similarity(" ".join(before), " ".join(city), tolerant=True) >= cfg.city_min
        )
        if zip5 == profile.zip5 or near_city:
            return state, zip5, " ".join(upper[: hit.end()].split()[-(len(city) + 2) :])
    return None


# --------------------------------------------------------------------------- expiry and recency


_MACHINE = frozenset({"barcode", "mrz"})


def _machine_expiry(doc: DocumentState, reference: dt.date) -> FieldValue | None:
    """An expiry read from machine-readable data and confirmed: the licence barcode, or
    an MRZ whose expiry check digit agrees (in a plausible zone: `_plausible_zone`)."""
    fv = doc.fields.get("expiry_date")
    if fv is not None and fv.source == "barcode" and _date(fv) is not None:
        return fv
    if doc.barcode is not None and _date(doc.barcode.fields.get("expiry_date")) is not None:
        return doc.barcode.fields["expiry_date"]
    mrz = doc.mrz
    if mrz is not None and "expiry date" not in mrz.failed_checks and _plausible_zone(mrz):
        read = mrz.fields.get("expiry_date")
        if _date(read) is not None:
            return read
    if mrz is not None:
        return _witnessed_mrz_expiry(doc, mrz, reference)
    return None


MRZ_MAX_FAILED_UNSURE = 1
"""Failing check digits beyond which a zone read poorly is no machine reading at all."""


def _plausible_zone(mrz: MrzRecord) -> bool:
    """A zone whose passing expiry check digit means something: read well, or failing at
    most one other check. Garbage taken for a zone on a licence ('3DOBOBIII9SI<<<...',
    four checks of five failing, MA-S10002-0026) passes one check by chance one time in
    ten; its expiry is not the document's."""
    return mrz.confident or len(mrz.failed_checks) <= MRZ_MAX_FAILED_UNSURE


def _witnessed_mrz_expiry(
    doc: DocumentState, mrz: MrzRecord, reference: dt.date
) -> FieldValue | None:
    """The expiry of a zone whose failing check digits all agree once its easily misread
    digits are read as the printed or declared values (`mrz.witnessed_zone`): two check
    digits and a witness confirm it ('331100' read for '331106', MA-O3919-0069)."""
    lines = witnessed_zone(mrz, doc.fields, doc.declared_expiry_date)
    if lines is None:
        return None
    expiry = parse_fields(lines, mrz.kind, reference).expiry_date
    if expiry is None:
        return None
    return FieldValue(expiry, "mrz", 0.9, mrz.page, mrz.box)


def _expiry(doc: DocumentState, reference: dt.date) -> tuple[dt.date, FieldValue] | None:
    """The expiry to judge: machine-read (barcode, checked MRZ) first, then the one read
    from the printed text, else the one the applicant declared (source "declared")."""
    machine = _machine_expiry(doc, reference)
    if machine is not None:
        return _date(machine), machine  # type: ignore[return-value]
    fv = doc.fields.get("expiry_date")
    read = _date(fv)
    if read is not None and fv is not None:
        return read, fv
    if doc.declared_expiry_date is not None:
        return doc.declared_expiry_date, FieldValue(doc.declared_expiry_date, "declared", 1.0)
    return None


def _uncertain_expiry(doc: DocumentState, fv: FieldValue, ctx: Context) -> str | None:
    """Why an "expired" date read from the printed text is not conclusive, or None.

    A low-confidence OCR read (a digit of the year misread turns 2034 into 2024) is not
    conclusive unless the applicant's own declared expiry has passed too; nor is a read
    that another reading of the same document contradicts (an MRZ expiry, even one whose
    check digit failed, or the declared expiry, saying the document is still valid), nor
    one before the document's issue date as read."""
    if fv.source not in {"ocr", "pdf_text"}:
        return None
    submitted, cfg = ctx.application.submitted_on, ctx.config.match
    declared = doc.declared_expiry_date
    mrz_read = _date(doc.mrz.fields.get("expiry_date")) if doc.mrz is not None else None
    if mrz_read is not None and mrz_read >= submitted:
        return f"the machine-readable zone reads {mrz_read.isoformat()}, still valid"
    issued, expiry = _date(doc.fields.get("issue_date")), _date(fv)
    if issued is not None and expiry is not None:
        if expiry < issued:
            # '02/18/20' read for 02/18/2029 on a card issued 01/30/2021 (MA-O4105-0018)
            return f"it is before the issue date read, {issued.isoformat()}: one of them is misread"
        if (expiry - issued).days < cfg.identity_min_validity_days:
            return (
                f"it is only {(expiry - issued).days} days after the issue date read, "
                f"{issued.isoformat()}, shorter than any validity: one of them is misread"
            )
    if (
        low_confidence(fv, cfg)
        and not _expiry_corroborated(doc, fv, ctx)
        and not (declared is not None and declared < submitted)
    ):
        valid = (
            f"; the declared expiry {declared.isoformat()} is still valid"
            if declared is not None
            else ""
        )
        return f"read by OCR with low confidence ({fv.confidence:.2f}){valid}"
    return None


def _date_read_surely(
    doc: DocumentState, fv: FieldValue, ctx: Context, found: list[dates_mod.FoundDate] | None = None
) -> bool:
    """A low field confidence that comes from how the date was assigned (unlabelled, taken
    by its order among the card's dates), not from its digits: the words printing that
    date were read confidently ('07/08/1948' at 0.93 beside a label read '3008',
    CT-S10007-0195). `found`: the document's dates, when the caller has them."""
    value = _date(fv)
    if found is None:
        found = dates_mod.find_dates(doc.text, ctx.application.submitted_on)
    same = [d for d in found if d.date == value and (fv.page is None or d.page == fv.page)]
    floor = ctx.config.match.ocr_low_confidence
    return value is not None and any(d.confidence >= floor for d in same)


def _expiry_corroborated(doc: DocumentState, fv: FieldValue, ctx: Context) -> bool:
    """The expiry's digits read surely (`_date_read_surely`), no later date is printed,
    and another date lies between the birth date and it (the issue date): it is the card's
    expiry, read right."""
    expiry = _date(fv)
    found = dates_mod.find_dates(doc.text, ctx.application.submitted_on)
    if expiry is None or not _date_read_surely(doc, fv, ctx, found):
        return False
    birth = max(
        _date(doc.fields.get("date_of_birth")) or dt.date.min,
        ctx.application.profile.date_of_birth,
    )
    if any(d.date > expiry for d in found):
        return False
    return any(birth < d.date < expiry for d in found)


def check_expiry(doc: DocumentState, ctx: Context) -> CheckResult | None:
    """DOCUMENT_EXPIRED when an identity document expired before `submitted_on`.

    A document expiring on the day of submission is still valid that day. A date from
    machine-readable data is preferred; an "expired" date read uncertainly from the
    printed text only warns (see `_uncertain_expiry`).
    """
    if doc.role != "identity" or doc.stopped is not None or doc.document_type in RESIDENCY_TYPES:
        return None  # a bill uploaded as identity is WRONG_DOCUMENT_TYPE, not expired
    found = _expiry(doc, ctx.application.submitted_on)
    if found is None:
        return CheckResult("match.expiry", "skipped", detail="no expiry date read or declared")
    expiry, fv = found
    submitted = ctx.application.submitted_on
    if expiry >= submitted:
        return CheckResult(
            "match.expiry", "pass", 1.0, f"valid until {expiry.isoformat()}{where(fv)}"
        )
    what = document_words(doc)
    days = (submitted - expiry).days
    evidence = {"read": expiry, "submitted_on": submitted, **field_evidence(fv)}
    doubt = _uncertain_expiry(doc, fv, ctx)
    if doubt is not None:
        return CheckResult(
            "match.expiry",
            "warn",
            0.5,
            f"read expired {expiry.isoformat()}{where(fv)}, not conclusive: {doubt}",
            evidence=evidence,
        )
    return CheckResult(
        "match.expiry",
        "fail",
        0.0,
        detail=f"expired {expiry.isoformat()}, {days} days before submission",
        flag=FlagCode.DOCUMENT_EXPIRED,
        message=(
            f"The {what} expired on {expiry.isoformat()}{where(fv)}, {days} days before the "
            f"application was submitted ({submitted.isoformat()})."
        ),
        applicant_message=(
            f"Your {what} expired on {windows.long_date(expiry)}. Please upload a current, "
            "unexpired identity document."
        ),
        evidence=evidence,
    )


def check_declared_expiry(doc: DocumentState, ctx: Context) -> CheckResult | None:
    """A warning (no flag) when the declared expiry differs from the one read."""
    declared = doc.declared_expiry_date
    if doc.role != "identity" or doc.stopped is not None or declared is None:
        return None
    fv = doc.fields.get("expiry_date")
    read = _date(fv)
    if read is None or fv is None:
        return CheckResult(
            "match.declared_expiry",
            "pass",
            None,
            f"no expiry read; the declared {declared.isoformat()} is used",
        )
    if read == declared:
        return CheckResult("match.declared_expiry", "pass", 1.0, "declared expiry matches")
    return CheckResult(
        "match.declared_expiry",
        "warn",
        0.6,
        f"declared expiry {declared.isoformat()} differs from the one read "
        f"{read.isoformat()}{where(fv)}",
        evidence={"declared": declared, "read": read, **field_evidence(fv)},
    )


def _recency_rule(doc: DocumentState, ctx: Context) -> RecencyRule | None:
    rule = ctx.rules.recency.get(doc.document_type)
    if rule is None and doc.declared_type:
        try:
            rule = ctx.rules.recency.get(DocumentType(doc.declared_type))
        except ValueError:
            rule = None
    return rule


def check_recency(doc: DocumentState, ctx: Context) -> CheckResult | None:
    """DOCUMENT_TOO_OLD when a residency proof is older than the pack allows for its type;
    a document dated after the submission is suspicious (warning)."""
    fv = doc.fields.get("document_date")
    if doc.role != "residency" or doc.stopped is not None:
        return None
    dated = _date(fv)
    rule = _recency_rule(doc, ctx)
    if dated is None or fv is None:
        return _undated(doc) if rule is None else _every_date_old(doc, rule, ctx)
    if rule is None:
        return CheckResult(
            "match.recency", "skipped", detail=f"no recency rule for {doc.document_type.value}"
        )
    submitted = ctx.application.submitted_on
    age = windows.age_days(dated, submitted)
    evidence = {"read": dated, "submitted_on": submitted, "age_days": age, **field_evidence(fv)}
    if -age > ctx.config.match.future_date_grace_days:
        return CheckResult(
            "match.recency",
            "warn",
            0.5,
            f"dated {dated.isoformat()}{where(fv)}, {-age} days after the submission",
            evidence=evidence,
        )
    if not windows.too_old(dated, submitted, rule):
        return CheckResult(
            "match.recency", "pass", 1.0, f"dated {dated.isoformat()}, {age} days before submission"
        )
    recent = _recent_beside(doc, fv, dated, rule, ctx)
    if recent is not None:
        return CheckResult(
            "match.recency",
            "warn",
            0.5,
            f"read dated {dated.isoformat()}{where(fv)}, {age} days before submission, but "
            f"it also prints {recent.isoformat()}, read clearly: the date is not conclusive, "
            "check it by eye",
            evidence=evidence,
        )
    return _too_old(doc, fv, dated, age, rule, evidence)


def _recent_beside(
    doc: DocumentState, fv: FieldValue, dated: dt.date, rule: RecencyRule, ctx: Context
) -> dt.date | None:
    """The latest date printed on the document, read clearly, later than the unsure date
    read as its own and recent enough for the rule (a service period, a payment, a due
    date): a document is not dated before what it reports. '06.09.2026' read '69.66.2626'
    (0.73) gave 9 June, on a bill whose service period ended 1 September, read at 0.96
    (MA-O4249-0088). None when the date was read surely, or nothing later is recent."""
    cfg, submitted = ctx.config.match, ctx.application.submitted_on
    if not low_confidence(fv, cfg):
        return None
    later = [
        d.date
        for d in dates_mod.find_dates(doc.text, submitted)
        if d.confidence >= cfg.ocr_low_confidence
        and d.date > dated
        and not windows.too_old(d.date, submitted, rule)
    ]
    return max(later, default=None)


MIN_OLD_DATES = 2
"""Dates read clearly, all of them too old, that convict a document whose own date was not
read (one misread year alone does not)."""


def _every_date_old(doc: DocumentState, rule: RecencyRule, ctx: Context) -> CheckResult:
    """A residency proof whose own date was not read, but whose every date is older than
    the rule allows, at least `MIN_OLD_DATES` of them read clearly (OCR confidence at least
    `ocr_low_confidence`, years in full): a document is not dated after everything it
    prints (its own date is among them, its due date after it), so it is too old whatever
    its date. A bill 272 days old whose "Dec 22, 2025" was read "Dee 22, 2025", its service
    period, payment and due date all of 2025 and January 2026, passed with a warning
    (CT-O4261-0080). Any date recent enough, or read unsurely, or too few: `_undated`."""
    cfg, submitted = ctx.config.match, ctx.application.submitted_on
    found = dates_mod.find_dates(doc.text, submitted)
    clear = [d for d in found if d.confidence >= cfg.ocr_low_confidence and not d.two_digit_year]
    if (
        len(clear) < MIN_OLD_DATES
        or len(clear) < len(found)
        or not all(windows.too_old(d.date, submitted, rule) for d in clear)
    ):
        return _undated(doc)
    latest = max(clear, key=lambda d: d.date)
    source = next(p.source for p in doc.text if p.page == latest.page)
    box = stored_box(doc, latest.page, latest.box)
    fv = FieldValue(latest.date, source, latest.confidence, latest.page, box)
    age = windows.age_days(latest.date, submitted)
    what, window = document_words(doc), windows.window_words(rule)
    return CheckResult(
        "match.recency",
        "fail",
        0.0,
        detail=f"its date was not read; every date it prints is old, the latest "
        f"{latest.date.isoformat()}, {age} days before submission; rule: {window}",
        flag=FlagCode.DOCUMENT_TOO_OLD,
        message=f"The {what}'s own date could not be read, but every date it prints is older "
        f"than the program allows: the latest, {latest.date.isoformat()}{where(fv)}, is {age} "
        f"days before the application ({rule.rule.source}).",
        applicant_message=f"The latest date on your {what} is {windows.long_date(latest.date)}; "
        f"it must be dated {window} of your application. Please upload a more recent one.",
        evidence={
            "read": latest.date,
            "submitted_on": submitted,
            "age_days": age,
            "dates_printed": sorted({d.date for d in clear}),
            **field_evidence(fv),
            **_rule_evidence(rule),
        },
    )


def _undated(doc: DocumentState) -> CheckResult:
    """A residency proof whose date could not be read: a warning, not a flag (an unread
    date is no evidence of an old document), so the reviewer knows recency is unconfirmed."""
    return CheckResult(
        "match.recency",
        "warn",
        0.5,
        f"no date could be read on the {document_words(doc)}: its recency is not confirmed, "
        "check the date by eye",
    )


def _too_old(
    doc: DocumentState,
    fv: FieldValue,
    dated: dt.date,
    age: int,
    rule: RecencyRule,
    evidence: dict[str, object],
) -> CheckResult:
    what = document_words(doc)
    window = windows.window_words(rule)
    plural = f"{what}s" if not what.endswith("s") else what
    return CheckResult(
        "match.recency",
        "fail",
        0.0,
        detail=f"dated {dated.isoformat()}, {age} days before submission; rule: {window}",
        flag=FlagCode.DOCUMENT_TOO_OLD,
        message=(
            f"The {what} is dated {dated.isoformat()}{where(fv)}, {age} days before the "
            f"application; the program accepts {plural} dated {window} ({rule.rule.source})."
        ),
        applicant_message=(
            f"Your {what} is dated {windows.long_date(dated)}; {plural} must be dated {window} "
            "of your application. Please upload a more recent one."
        ),
        evidence={**evidence, **_rule_evidence(rule)},
    )


def _rule_evidence(rule: RecencyRule) -> dict[str, object]:
    return {"max_age_days": rule.max_age_days, "current_year": rule.current_year}


# --------------------------------------------------------------------------- duplicates

_REASON_WORDS = {
    "same_file": "is the very same file as",
    "same_image": "is the same image (re-encoded or re-photographed) as",
    "same_number_other_person": "carries the same document number, for another person, as",
}


def check_duplicate(doc: DocumentState, ctx: Context) -> CheckResult | None:
    """DUPLICATE_DOCUMENT when this document was already submitted in another application.

    Identity and residency documents only: an applicant's photo is not a document, and
    the same person's photo legitimately recurs across renewals."""
    if doc.fingerprint is None or not _applies(doc):
        return None
    found = ctx.prior.matches(doc.fingerprint, ctx.application.application_id)
    found = [m for m in found if m.application_id != ctx.application.application_id]
    if not found:
        return CheckResult("match.duplicate", "pass", 1.0, "not seen in another application")
    first = found[0]
    what = document_words(doc)
    others = ", ".join(sorted({m.application_id for m in found}))
    return CheckResult(
        "match.duplicate",
        "fail",
        0.0 if first.reason == "same_file" else 0.15,
        detail=f"{first.reason} (distance {first.distance}) in {others}",
        flag=FlagCode.DUPLICATE_DOCUMENT,
        message=(
            f"This {what} {_REASON_WORDS.get(first.reason, 'matches')} document "
            f"{first.document_id} of application {first.application_id}"
            + (f" (also seen in {len(found) - 1} more)" if len(found) > 1 else "")
            + "."
        ),
        applicant_message=(
            f"The {what} you uploaded was already used in another application. Please upload "
            "your own, original document."
        ),
        evidence={
            "matches": [
                {
                    "application_id": m.application_id,
                    "document_id": m.document_id,
                    "reason": m.reason,
                    "distance": m.distance,
                }
                for m in found
            ]
        },
    )
