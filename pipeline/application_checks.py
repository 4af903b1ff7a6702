"""Checks over a whole application: required roles present, documents consistent.

Each returns a list of `CheckResult`; a result whose `evidence` names a `document_id`
is attached to that document, the others to the application.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from string import ascii_letters

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from models.flags import DocumentType, FlagCode
from models.internal import CheckResult, DocumentState, FieldValue, Word
from pipeline.config import MatchConfig
from pipeline.context import Context
from pipeline.fingerprint import compare, normalize_number
from pipeline.matching import windows
from pipeline.matching.checks import low_confidence, read_elsewhere
from pipeline.matching.names import LABEL_WORDS, person_name, text_similarity, tokens

_ROLE_WORDS = {
    "identity": ("proof of identity", "a photo ID such as a driver's licence or passport"),
    "residency": ("proof of residency", "a recent utility bill, bank statement or lease"),
    "photo": ("identification photo", "a recent photo of your face"),
}


def required_roles(ctx: Context) -> tuple[str, ...]:
    """The roles this application must include (photo only where the program asks)."""
    roles = ["identity", "residency"]
    if ctx.application.kind in ctx.rules.photo_required_for:
        roles.append("photo")
    return tuple(roles)


def check_missing_documents(docs: tuple[DocumentState, ...], ctx: Context) -> list[CheckResult]:
    """MISSING_DOCUMENT for every required role with no document."""
    given = {d.role for d in docs}
    return [_missing(role) for role in required_roles(ctx) if role not in given]


def _missing(role: str) -> CheckResult:
    what, example = _ROLE_WORDS[role]
    return CheckResult(
        name=f"application.{role}_present",
        status="fail",
        score=0.0,
        detail=f"no document with role '{role}'",
        flag=FlagCode.MISSING_DOCUMENT,
        message=f"No {what} was uploaded.",
        applicant_message=f"Your application has no {what}. Please upload {example}.",
        evidence={"role": role},
    )


def check_barcode_consistency(docs: tuple[DocumentState, ...], ctx: Context) -> list[CheckResult]:
    """BARCODE_MISMATCH when a licence's PDF417 barcode disagrees with its printed front.

    The barcode may be on a back-side document or on the same image as the front. Names,
    date of birth, expiry and number are compared; the barcode is trusted exactly, the
    printed front's OCR is given the benefit of the doubt where its confidence is low.
    The result is attached to the document that carries the barcode.
    """
    out: list[CheckResult] = []
    for carrier in docs:
        record = carrier.barcode
        if carrier.role != "identity" or record is None or carrier.stopped is not None:
            continue
        front = _printed_front(carrier, docs)
        if front is None:
            continue
        printed = {k: v for k, v in front.fields.items() if v.source != "barcode"}
        number = record.fields.get("document_number")
        if number is not None and "document_number" not in printed:
            found = printed_number(str(number.value), front, record.elements.values())
            if found is not None:
                printed["document_number"] = found
        differences = barcode_differences(record.fields, printed, ctx.config.match)
        if _barcode_name_printed(record.fields, front):
            differences = [d for d in differences if not str(d["field"]).endswith("_name")]
        sure = [d for d in differences if not d["partial_read"]]
        result = _barcode_result(carrier, front, sure, len(printed))
        result = _inconclusive(result, front, sure, ctx.config.match)
        out.append(_with_partial_reads(result, front, differences))
    return out


def _with_partial_reads(
    result: CheckResult, front: DocumentState, diffs: list[dict[str, object]]
) -> CheckResult:
    """Printed names that are bad reads (a letter or two, a piece of the barcode's name)
    are no disagreement: said in the detail, and a passing check becomes a warning (the
    front was not fully compared)."""
    partial = [d for d in diffs if d["partial_read"]]
    if not partial:
        return result
    said = "; ".join(
        f"{d['field']} printed '{d['printed']}' is a partial read (barcode '{d['barcode']}')"
        for d in partial
    )
    bad_image = sorted(str(r.flag) for r in front.checks if r.flag in _UNREADABLE_IMAGE)
    if bad_image:
        said += f"; the printed front is flagged {', '.join(bad_image)}"
    detail = f"{result.detail} ({said}, not compared)"
    if result.status == "fail":
        return replace(result, detail=detail)
    return replace(result, status="warn", detail=detail)


_UNREADABLE_IMAGE = frozenset(
    {
        FlagCode.IMAGE_BLURRY,
        FlagCode.IMAGE_LOW_RESOLUTION,
        FlagCode.IMAGE_TOO_DARK,
        FlagCode.IMAGE_GLARE,
        FlagCode.TEXT_UNREADABLE,
    }
)


def _inconclusive(
    result: CheckResult, front: DocumentState, diffs: list[dict[str, object]], cfg: MatchConfig
) -> CheckResult:
    """A disagreement resting only on OCR reads that cannot be trusted is a warning: the
    front's image is flagged as unreadable, or was not recognised as any identity document
    at all (its words are no card's fields: a 282-px photo of a licence front taken for
    "not a document", a number read at confidence 0, CT-S8814-0047), or every differing
    value is a name read by OCR with low confidence (a disagreement needs a confident read
    of the front)."""
    if result.flag is None:
        return result
    ocr = [d for d in diffs if d["printed_source"] == "ocr"]
    if len(ocr) != len(diffs):
        return result
    bad_image = sorted(str(r.flag) for r in front.checks if r.flag in _UNREADABLE_IMAGE)
    if bad_image:
        why = f"the printed front {front.document_id} is flagged {', '.join(bad_image)}"
    elif front.document_type == DocumentType.OTHER:
        why = f"the printed front {front.document_id} was not recognised as an identity document"
    elif all(_near_miss(d, cfg) for d in diffs):
        why = "every difference is a low-confidence OCR read of a name or an unresolved word"
    else:
        return result
    return replace(
        result,
        status="warn",
        flag=None,
        message=None,
        applicant_message=None,
        detail=f"{result.detail} (not raised: {why})",
    )


def _near_miss(diff: Mapping[str, object], cfg: MatchConfig) -> bool:
    """A name read by OCR with low confidence, or any value OCR could not resolve
    (`ocr_no_read_confidence`): too uncertain a read to say the card was altered (names
    too short to be a name are not compared at all: `_not_a_name_read`). Numbers and dates
    read with some confidence keep their own OCR tolerances (`_field_similarity`)."""
    confidence = float(diff["printed_confidence"])  # type: ignore[arg-type]
    if confidence < cfg.ocr_no_read_confidence:
        # no reading at all, whatever the field (MA-O4099-0058), unless it is a number
        # shaped as the barcode's, which no noise gives (MA-S10006-0002)
        return not _clean_number(diff)
    return str(diff["field"]).endswith("_name") and confidence < cfg.ocr_low_confidence


def _clean_number(diff: Mapping[str, object]) -> bool:
    """A document number read in the barcode's number's shape (letters and digits at the
    same places: "S37591597" for "S82064605"), or so but for a letter prefix that OCR may
    lose ("55896273" for "S57904915", its "S" read as "§"): all digits, as many as the
    barcode's number has after its letters."""
    if diff["field"] != "document_number":
        return False
    printed, code = str(diff["printed"]), str(diff["barcode"])
    if _shape(printed) == _shape(code):
        return True
    return printed.isdigit() and len(printed) in (len(code), len(code.lstrip(ascii_letters)))


def _shape(number: str) -> str:
    """A number's shape: each letter 'A', each digit '9', anything else as it is."""
    return "".join("A" if c.isalpha() else "9" if c.isdigit() else c for c in number)


def _printed_front(carrier: DocumentState, docs: tuple[DocumentState, ...]) -> DocumentState | None:
    """The identity document whose printed fields the barcode must agree with."""
    fronts = [
        d
        for d in docs
        if d.role == "identity" and d.side == "front" and d.stopped is None and d.fields
    ]
    fronts.sort(key=lambda d: (d.document_id != carrier.document_id, d.barcode is not None))
    for front in fronts:
        if any(v.source != "barcode" for v in front.fields.values()):
            return front
    return None


_DIGIT_FOLD = str.maketrans(
    {"O": "0", "D": "0", "Q": "0", "I": "1", "L": "1", "S": "5", "B": "8", "Z": "2"}
)
_NOT_A_NUMBER = re.compile(r"[/:'\"]|\w[-.,]\w")
"""Dates (01/02/2003), times, heights (5'-02"), ZIP+4 and phone numbers (06040-8047)."""


def _folded(value: str) -> str:
    return value.translate(_DIGIT_FOLD)


def printed_number(
    code_number: str, front: DocumentState, elements: Iterable[str]
) -> FieldValue | None:
    """The front's document number when the field extraction did not find it: the one
    word of the front's text shaped like the barcode's number (as long, give or take a
    character, mostly digits) that is none of the barcode's other values (a document
    discriminator, an audit number). None when the barcode's own number is printed
    (OCR slips tolerated), when no such word or several were read."""
    target = _folded(normalize_number(code_number) or "")
    if len(target) < 6:
        return None
    others = {_folded(n) for v in elements if (n := normalize_number(v))} - {target}
    candidates: list[Word] = []
    for page in front.text:
        for word in page.words:
            raw = word.text.strip(".,;:|")
            core = normalize_number(raw) or ""
            if _NOT_A_NUMBER.search(raw) or len(core) < 6 or abs(len(core) - len(target)) > 1:
                continue
            if sum(c.isdigit() for c in core) * 2 < len(core):
                continue
            folded = _folded(core)
            if Levenshtein.distance(folded, target) <= 2:
                return None
            if folded not in others:
                candidates.append(word)
    if len(candidates) != 1:
        return None
    word = candidates[0]
    return FieldValue(
        normalize_number(word.text.strip(".,;:|")) or "",
        "ocr",
        word.confidence,
        word.page,
        word.box,
    )


def barcode_differences(
    barcode: Mapping[str, FieldValue], printed: Mapping[str, FieldValue], cfg: MatchConfig
) -> list[dict[str, object]]:
    """The fields on which the barcode and the printed front clearly disagree."""
    diffs: list[dict[str, object]] = []
    name_words = _name_words(printed)
    for name in ("first_name", "last_name", "date_of_birth", "expiry_date", "document_number"):
        code, front = barcode.get(name), printed.get(name)
        if code is None or front is None:
            continue
        partial = False
        if name.endswith("_name"):
            if (
                _printed_somewhere(code, name_words)
                or _other_barcode_name(name, front, barcode)
                or _glued_names(front, barcode)
            ):
                continue
            if _not_a_name_read(front, cfg) or _fragment(code, front):
                pushed = _pushed_name(name, printed, cfg)
                if pushed is None:
                    partial = True
                elif _other_barcode_name(name, pushed, barcode):
                    continue
                else:
                    front = pushed
        if _other_barcode_date(name, front, barcode):
            continue
        similarity = _field_similarity(name, code, front, cfg)
        if similarity is not None:
            diffs.append(
                {
                    "field": name,
                    "barcode": _plain(code.value),
                    "printed": _plain(front.value),
                    "similarity": round(similarity, 3),
                    "printed_source": front.source,
                    "printed_confidence": round(front.confidence, 3),
                    "page": front.page,
                    "box": list(front.box) if front.box else None,
                    "partial_read": partial,
                }
            )
    return diffs


def _pushed_name(
    name: str, printed: Mapping[str, FieldValue], cfg: MatchConfig
) -> FieldValue | None:
    """The printed first name when a bad read took its place: a label or a mark read as
    the first name pushes the real one into the middle name. The first word of the
    printed middle name, if it could be a name; else None."""
    middle = printed.get("middle_name")
    if name != "first_name" or middle is None:
        return None
    for word in tokens(str(middle.value)):
        if word not in LABEL_WORDS and word.isalpha():
            pushed = replace(middle, value=word)
            return None if _not_a_name_read(pushed, cfg) else pushed
    return None


def _name_letters(value: object) -> str:
    return "".join(t for t in tokens(str(value)) if t not in LABEL_WORDS and t.isalpha())


def _not_a_name_read(front: FieldValue, cfg: MatchConfig) -> bool:
    """A printed name too short to be another name: one or two letters (a stray mark, an
    initial, a piece of a label or of a security pattern). Only a read that could be a
    name can disagree with the barcode."""
    letters = sum(c.isalpha() for c in _name_letters(front.value))
    return letters < cfg.barcode_name_min_letters


def _other_barcode_name(name: str, front: FieldValue, barcode: Mapping[str, FieldValue]) -> bool:
    """A printed name that is exactly another of the barcode's names (the surname read
    as the first name): the reader mixed up the fields, the card agrees with its barcode."""
    printed = _name_letters(front.value)
    return any(
        k != name and k.endswith("_name") and _name_letters(v.value) == printed
        for k, v in barcode.items()
    )


def _glued_names(front: FieldValue, barcode: Mapping[str, FieldValue]) -> bool:
    """A printed name that is two or more of the barcode's names, in order, with the space
    between them lost ('AISHALEE' for first 'AISHA', middle 'LEE', MA-S9999-0027): the
    reader ran the words together, the card agrees with its barcode."""
    printed = _name_letters(front.value)
    names = [
        _name_letters(barcode[k].value)
        for k in ("first_name", "middle_name", "last_name")
        if k in barcode
    ]
    return any(
        printed == "".join(names[i:j])
        for i in range(len(names))
        for j in range(i + 2, len(names) + 1)
    )


def _fragment(code: FieldValue, front: FieldValue) -> bool:
    """A printed name that is a piece of the barcode's (a word cut by a fold, glare, the
    photo's edge or a line break): a partial read, whatever its OCR confidence, not
    another name. An altered front shows a whole other name, which is no piece of the
    one the barcode keeps; a shorter name that happens to be one ('ANNA', 'ANNABELLE')
    is the price of not flagging every cut word."""
    printed, full = _name_letters(front.value), _name_letters(code.value)
    return bool(printed) and printed != full and printed in full


def _other_barcode_date(name: str, front: FieldValue, barcode: Mapping[str, FieldValue]) -> bool:
    """An OCR date that is another of the barcode's dates (the issue date read as the
    expiry, the birth date as the issue...): the reader mixed up the fields, the card
    agrees with its barcode."""
    if front.source != "ocr" or not isinstance(front.value, dt.date):
        return False
    return any(k != name and v.value == front.value for k, v in barcode.items())


def _name_words(printed: Mapping[str, FieldValue]) -> set[str]:
    """Every word of the printed name, whichever name field it was read into."""
    words: set[str] = set()
    for name in ("first_name", "middle_name", "last_name", "suffix"):
        if name in printed:
            words.update(t for t in tokens(str(printed[name].value)) if t not in LABEL_WORDS)
    return words


def _barcode_name_printed(barcode: Mapping[str, FieldValue], front: DocumentState) -> bool:
    """The barcode's first name and whole family name printed side by side in the front's
    text: the front does carry the barcode's name, and its field reader took other words
    for a name field (the document discriminator "VZXCAGWEH" read as the family name of a
    front printing "DE LA CRUZ", MA-O4129-0044). A front printing another name does not
    print the barcode's."""
    first, last = barcode.get("first_name"), barcode.get("last_name")
    if first is None or last is None:
        return False
    return read_elsewhere(person_name(str(first.value), None, str(last.value)), front.full_text)


def _printed_somewhere(code: FieldValue, name_words: set[str]) -> bool:
    """The barcode's name is printed on the front, though read into another name field
    (a label misread as the first name pushes the first name into the middle name)."""
    wanted = {t for t in tokens(str(code.value)) if t not in LABEL_WORDS}
    return bool(wanted) and wanted <= name_words


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _field_similarity(
    name: str, code: FieldValue, front: FieldValue, cfg: MatchConfig
) -> float | None:
    """None when the two agree (within OCR tolerance), else their similarity."""
    low = low_confidence(front, cfg)
    if isinstance(code.value, dt.date) or isinstance(front.value, dt.date):
        if code.value == front.value:
            return None
        both = isinstance(code.value, dt.date) and isinstance(front.value, dt.date)
        if both and low and windows.ocr_confusable(code.value, front.value):  # type: ignore[arg-type]
            return None
        return 0.0
    if name == "document_number":
        a, b = normalize_number(str(code.value)), normalize_number(str(front.value))
        if not a or not b or a == b:
            return None
        score = fuzz.ratio(a, b) / 100.0
        tolerated = front.source == "ocr" and Levenshtein.distance(a, b) <= (2 if low else 1)
        return None if tolerated else score
    a_tokens = [t for t in tokens(str(code.value)) if t not in LABEL_WORDS]
    b_tokens = [t for t in tokens(str(front.value)) if t not in LABEL_WORDS]
    if not a_tokens or not b_tokens:
        return None
    a, b = "".join(a_tokens), "".join(b_tokens)
    if a == b or set(a_tokens) <= set(b_tokens) or set(b_tokens) <= set(a_tokens):
        return None  # e.g. a truncated barcode name, or a middle name kept in DAC
    score = text_similarity(a, b, tolerant=front.source == "ocr")
    return None if score >= cfg.barcode_name_min else score


def _barcode_result(
    carrier: DocumentState, front: DocumentState, diffs: list[dict[str, object]], compared: int
) -> CheckResult:
    evidence: dict[str, object] = {
        "document_id": carrier.document_id,
        "front_document_id": front.document_id,
    }
    if not diffs:
        return CheckResult(
            "application.barcode_consistency",
            "pass" if compared else "skipped",
            1.0 if compared else None,
            f"barcode agrees with the printed front of {front.document_id}",
            evidence=evidence,
        )
    said = "; ".join(
        f"{d['field']} barcode '{d['barcode']}' vs printed '{d['printed']}'" for d in diffs
    )
    fields = ", ".join(str(d["field"]).replace("_", " ") for d in diffs)
    return CheckResult(
        "application.barcode_consistency",
        "fail",
        min(float(d["similarity"]) for d in diffs),  # type: ignore[arg-type]
        detail=said,
        flag=FlagCode.BARCODE_MISMATCH,
        message=(
            f"The licence barcode on {carrier.document_id} disagrees with the printed front "
            f"({front.document_id}): {said}."
        ),
        applicant_message=(
            f"The barcode on your licence does not agree with the printed front ({fields}). "
            "Please upload clear pictures of the front and back of the same, unaltered licence."
        ),
        evidence={**evidence, "differences": diffs},
    )


def check_identity_not_residency(
    docs: tuple[DocumentState, ...], ctx: Context
) -> list[CheckResult]:
    """WRONG_DOCUMENT_TYPE on a residency document that is the identity document itself
    (the same file or the same image); skipped where the type check already flagged it."""
    identities = [d for d in docs if d.role == "identity" and d.fingerprint is not None]
    out: list[CheckResult] = []
    for doc in docs:
        if doc.role != "residency" or doc.fingerprint is None:
            continue
        if any(r.flag == FlagCode.WRONG_DOCUMENT_TYPE for r in doc.checks):
            continue
        for ident in identities:
            found = compare(doc.fingerprint, ident.fingerprint, ctx.config.match)  # type: ignore[arg-type]
            if found and found[0] in {"same_file", "same_image"}:
                out.append(_doubled(doc, ident, found[0]))
                break
    return out


def _doubled(doc: DocumentState, ident: DocumentState, reason: str) -> CheckResult:
    how = "the same file" if reason == "same_file" else "the same image"
    return CheckResult(
        "application.identity_not_residency",
        "fail",
        0.0,
        detail=f"{how} as identity document {ident.document_id}",
        flag=FlagCode.WRONG_DOCUMENT_TYPE,
        message=(
            f"The proof of residency {doc.document_id} is {how} as the identity document "
            f"{ident.document_id}; the identity document cannot double as proof of residency."
        ),
        applicant_message=(
            "You uploaded your identity document as your proof of residency. Please upload a "
            "separate proof of residency, such as a recent utility bill, bank statement or lease."
        ),
        evidence={
            "document_id": doc.document_id,
            "identity_document_id": ident.document_id,
            "reason": reason,
        },
    )
