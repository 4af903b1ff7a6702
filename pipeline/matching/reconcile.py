"""Report the root cause, not its echoes: flags that another flag or document explains.

Run by `aggregate` on the examined documents, before scoring:
- `demote_consequences(doc)`: on a document whose image must be resubmitted (blurred,
  too dark, glare, too few pixels), "too little text" and "of no recognised kind" follow
  from the bad image; they become warnings and the image flag says what to fix. A type
  positively recognised as a wrong one (a bill uploaded as identity) stays a flag.
- `pair_identity_sides(documents)`: an identity document of no recognised kind is not
  a wrong document when another identity document of the same application was
  identified by machine-readable data (a licence barcode, a passport MRZ) and accepted:
  the two are the sides of one card, and the reviewer sees a warning.
- `corroborate_expiry(documents, submitted_on)`: an expiry read by OCR that says
  "expired" is a warning when another identity document of the application carries a
  machine-read expiry (barcode, MRZ) that is still valid: OCR misread a digit.
- `corroborate_birth(documents, profile_dob, unsure_below)`: the same for a date of birth
  read by OCR, unsurely, against another identity document's machine-read one that is the
  profile's.
A demoted result keeps its measurement and says in its detail why it was not raised.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from models.flags import FlagCode
from models.internal import CheckResult, DocumentState

IMAGE_FLAGS = frozenset(
    {
        FlagCode.IMAGE_BLURRY,
        FlagCode.IMAGE_LOW_RESOLUTION,
        FlagCode.IMAGE_TOO_DARK,
        FlagCode.IMAGE_GLARE,
    }
)
"""Flags that ask for a new image of the document."""
TYPE_CHECK = "document.type"
UNKNOWN_TYPE = "other"


def demote(result: CheckResult, why: str) -> CheckResult:
    """`result` as a warning, its flag and messages dropped, saying why it is not raised."""
    return replace(
        result,
        status="warn",
        flag=None,
        message=None,
        applicant_message=None,
        detail=f"{result.detail or ''} (not raised: {why})".strip(),
    )


def unrecognised_type(result: CheckResult) -> bool:
    """A WRONG_DOCUMENT_TYPE raised because no kind was recognised (not a wrong kind)."""
    found = (result.evidence or {}).get("found")
    if _picture(result):
        return False  # a picture of no document: a wrong upload, whatever the image quality
    return result.flag == FlagCode.WRONG_DOCUMENT_TYPE and found == UNKNOWN_TYPE


def _picture(result: CheckResult) -> bool:
    """A WRONG_DOCUMENT_TYPE raised because the upload is not a document at all."""
    evidence = result.evidence or {}
    return result.flag == FlagCode.WRONG_DOCUMENT_TYPE and bool(evidence.get("not_a_document"))


def demote_consequences(doc: DocumentState) -> DocumentState:
    """TEXT_UNREADABLE and an unrecognised type become warnings on a document whose
    image is flagged (the image flag is the cause and already asks for a new image).
    On a picture that is no document at all, the image flags are the echoes: a sharper
    photo of a cat would not do."""
    if any(_picture(r) for r in doc.checks):
        why = "the picture is not a document"
        return replace(
            doc, checks=tuple(demote(r, why) if r.flag in IMAGE_FLAGS else r for r in doc.checks)
        )
    causes = sorted(str(r.flag) for r in doc.checks if r.flag in IMAGE_FLAGS)
    if not causes:
        return doc
    why = f"follows from {', '.join(causes)}"
    checks = tuple(
        demote(r, why) if r.flag == FlagCode.TEXT_UNREADABLE or unrecognised_type(r) else r
        for r in doc.checks
    )
    return replace(doc, checks=checks)


def _machine_identified(doc: DocumentState) -> bool:
    """An identity document recognised and accepted, with a barcode or MRZ read."""
    if doc.role != "identity" or doc.stopped is not None:
        return False
    if doc.barcode is None and doc.mrz is None:
        return False
    return any(r.name == TYPE_CHECK and r.status == "pass" for r in doc.checks)


def pair_identity_sides(documents: tuple[DocumentState, ...]) -> tuple[DocumentState, ...]:
    """An unrecognised identity side becomes a warning when another identity document
    of the application was identified by its barcode or MRZ."""
    anchors = [d for d in documents if _machine_identified(d)]
    out = []
    for doc in documents:
        anchor = next((a for a in anchors if a.document_id != doc.document_id), None)
        if doc.role == "identity" and anchor is not None:
            why = (
                f"document {anchor.document_id} of this application was identified as a "
                f"{anchor.document_type.value.replace('_', ' ')} by its machine-readable data"
            )
            checks = tuple(demote(r, why) if unrecognised_type(r) else r for r in doc.checks)
            doc = replace(doc, checks=checks)
        out.append(doc)
    return tuple(out)


_MACHINE_SOURCES = frozenset({"barcode", "mrz"})


def _machine_date(doc: DocumentState, name: str) -> dt.date | None:
    """The date field `name` of an identity document, when a barcode or an MRZ gave it."""
    fv = doc.fields.get(name)
    if doc.role != "identity" or fv is None or fv.source not in _MACHINE_SOURCES:
        return None
    return fv.value if isinstance(fv.value, dt.date) else None


def corroborate_expiry(
    documents: tuple[DocumentState, ...], submitted_on: dt.date
) -> tuple[DocumentState, ...]:
    """DOCUMENT_EXPIRED from an OCR read becomes a warning when a machine-read expiry of
    another identity document of the application says the document is still valid."""
    valid = [
        (d.document_id, e)
        for d in documents
        if (e := _machine_date(d, "expiry_date")) is not None and e >= submitted_on
    ]
    out = []
    for doc in documents:
        other = next(((i, e) for i, e in valid if i != doc.document_id), None)
        if doc.role == "identity" and other is not None:
            why = (
                f"the machine-readable expiry of document {other[0]} is {other[1].isoformat()}, "
                "after the submission: the OCR read is a misread"
            )
            checks = tuple(demote(r, why) if _ocr_expired(r) else r for r in doc.checks)
            doc = replace(doc, checks=checks)
        out.append(doc)
    return tuple(out)


def corroborate_birth(
    documents: tuple[DocumentState, ...], profile: dt.date, unsure_below: float
) -> tuple[DocumentState, ...]:
    """DOB_MISMATCH from an unsure OCR read (confidence below `unsure_below`) becomes a
    warning when a machine-read date of birth of another identity document of the
    application is the profile's: a passport card's front read "9 JUN 1941" at 0.48, its
    back's MRZ 22 June, the profile's (CT-O4159-0014). A surely read front keeps its flag
    (a front altered under a true back is what a reviewer must see)."""
    anchor = next(
        (d.document_id for d in documents if _machine_date(d, "date_of_birth") == profile), None
    )
    if anchor is None:
        return documents
    why = (
        f"the machine-readable date of birth of document {anchor} is the profile's, "
        f"{profile.isoformat()}: the unsure OCR read is a misread"
    )

    def unsure(result: CheckResult) -> bool:
        evidence = result.evidence or {}
        return (
            result.flag == FlagCode.DOB_MISMATCH
            and evidence.get("source") == "ocr"
            and float(evidence.get("confidence", 1.0)) < unsure_below  # type: ignore[arg-type]
        )

    return tuple(
        replace(doc, checks=tuple(demote(r, why) if unsure(r) else r for r in doc.checks))
        if doc.role == "identity" and doc.document_id != anchor
        else doc
        for doc in documents
    )


def _ocr_expired(result: CheckResult) -> bool:
    source = (result.evidence or {}).get("source")
    return result.flag == FlagCode.DOCUMENT_EXPIRED and source == "ocr"
