"""Turn examined documents and application checks into the contract's verdict.

Decision: a document's is the worst default decision of its flags; the application's
is the worst of its documents' and of its own flags'.

Score (0 to 1, the confidence that the application is clean; reviewers sort by it):
each decision owns a band, so the score never contradicts the decision:
- pass: [0.80, 1.00], lower with warnings and weaker check scores;
- review: [0.30, 0.80), lower the likelier the problem is real;
- resubmit: [0.00, 0.30), likewise.
How likely a flag is real comes from its check's score (1 - score, e.g. a name
similarity of 0.45 is a likelier mismatch than 0.80), or a default when none is given;
several flags combine as independent evidence. The application's score is the lowest
of its documents' and its own flags'.

Before scoring, `demote_unreliable` turns OCR-read mismatches on a document whose image
must be resubmitted into warnings, `reconcile` turns flags that another flag or document
explains into warnings (see pipeline/matching/reconcile.py), and `explain_profile_side`
adds to mismatch flags which side looks wrong.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from models.contract import Check, DocumentVerdict, Evidence, FieldAddress, Fields, Flag, Verdict
from models.flags import Decision, FlagCode
from models.internal import CheckResult, DocumentState, FieldValue, ReadAddress
from pipeline.context import Context
from pipeline.matching.crosscheck import explain_profile_side
from pipeline.matching.reconcile import (
    corroborate_birth,
    corroborate_expiry,
    demote_consequences,
    pair_identity_sides,
)
from pipeline.sanitize import safe_text
from pipeline.version import PIPELINE_VERSION

BANDS: dict[Decision, tuple[float, float]] = {
    Decision.PASS: (0.80, 1.00),
    Decision.RESUBMIT: (0.00, 0.30),
    Decision.REVIEW: (0.30, 0.80),
}
"""Score range of each decision: (low, high)."""
DEFAULT_FLAG_CERTAINTY = 0.8
"""How likely a flag is real when its check gives no score."""
WARN_PENALTY = 0.15
"""How much each warning lowers the quality of a passing document (before banding)."""


def aggregate(
    documents: tuple[DocumentState, ...], app_checks: tuple[CheckResult, ...], ctx: Context
) -> Verdict:
    """The verdict of an application."""
    documents = tuple(demote_consequences(demote_unreliable(d)) for d in documents)
    documents = corroborate_expiry(pair_identity_sides(documents), ctx.application.submitted_on)
    documents = corroborate_birth(
        documents, ctx.application.profile.date_of_birth, ctx.config.match.ocr_low_confidence
    )
    documents = explain_profile_side(documents, ctx)
    by_doc: dict[str, list[CheckResult]] = {}
    app_level: list[CheckResult] = []
    known = {d.document_id for d in documents}
    for r in app_checks:
        doc_id = (r.evidence or {}).get("document_id")
        if doc_id and str(doc_id) in known:
            by_doc.setdefault(str(doc_id), []).append(r)
        else:
            app_level.append(r)
    doc_verdicts = [
        document_verdict(d, tuple(by_doc.get(d.document_id, ())), ctx) for d in documents
    ]
    app_flags = [to_flag(r, None) for r in app_level if r.flag]
    flags = app_flags + [f for d in doc_verdicts for f in d.flags]
    decision = Decision.worst([d.decision for d in doc_verdicts] + [_decision(app_level)])
    scores = [d.score for d in doc_verdicts]
    if any(r.flag for r in app_level):
        scores.append(score_results(app_level))
    score = round(min(scores), 4) if scores else 0.0
    return Verdict(
        application_id=ctx.application.application_id,
        decision=decision,
        score=score,
        flags=flags,
        documents=doc_verdicts,
        pipeline_version=PIPELINE_VERSION,
        rule_pack=ctx.rules.pack_id,
    )


UNREADABLE_IMAGE = frozenset(
    {
        FlagCode.IMAGE_BLURRY,
        FlagCode.IMAGE_LOW_RESOLUTION,
        FlagCode.IMAGE_TOO_DARK,
        FlagCode.IMAGE_GLARE,
        FlagCode.TEXT_UNREADABLE,
    }
)
"""Flags after which what OCR read from the document is not trusted."""
READ_MISMATCH = frozenset(
    {
        FlagCode.NAME_MISMATCH,
        FlagCode.DOB_MISMATCH,
        FlagCode.ADDRESS_MISMATCH,
        FlagCode.DOCUMENT_EXPIRED,
    }
)
"""Flags that rest on a value read; from OCR on an unreadable image they are not raised."""


def demote_unreliable(doc: DocumentState) -> DocumentState:
    """On a document that must be resubmitted for its image, a mismatch (or an expiry)
    read by OCR (or a name from the MRZ, which no check digit covers) is a warning (the
    reading is unreliable and a new image is asked for);
    so are failed MRZ check digits (OCR misreads a poor image the same way at every
    scale, and the new image will be checked again), and TEXT_UNREADABLE beside an IMAGE_*
    flag (the image's fault is what the applicant must mend: one reason, not two)."""
    if not any(r.flag in UNREADABLE_IMAGE for r in doc.checks):
        return doc
    image_flagged = any(r.flag in UNREADABLE_IMAGE - {FlagCode.TEXT_UNREADABLE} for r in doc.checks)
    checks = []
    for r in doc.checks:
        if image_flagged and r.flag == FlagCode.TEXT_UNREADABLE:
            r = replace(r, status="warn", flag=None, detail=f"{r.detail} (the image flag says why)")
        source = (r.evidence or {}).get("source")
        # MRZ names carry no check digit: on a poor image they are OCR like any other
        read_by_ocr = r.flag in READ_MISMATCH and (
            source == "ocr" or (source == "mrz" and r.flag == FlagCode.NAME_MISMATCH)
        )
        if read_by_ocr or r.flag == FlagCode.MRZ_INVALID:
            r = replace(
                r,
                status="warn",
                flag=None,
                detail=f"{r.detail} (not raised: the image is unreadable and must be resubmitted)",
            )
        checks.append(r)
    return replace(doc, checks=tuple(checks))


def document_verdict(
    doc: DocumentState, extra: tuple[CheckResult, ...], ctx: Context
) -> DocumentVerdict:
    """One document's part of the verdict."""
    results = (*doc.checks, *extra)
    return DocumentVerdict(
        document_id=doc.document_id,
        role=doc.role,
        document_type=doc.document_type.value,
        decision=_decision(results),
        score=score_results(results),
        fields=to_fields(doc),
        evidence={k: to_evidence(v) for k, v in doc.fields.items()},
        checks=[to_check(r) for r in results],
        flags=[to_flag(r, doc.document_id) for r in results if r.flag],
    )


def _decision(results: tuple[CheckResult, ...] | list[CheckResult]) -> Decision:
    return Decision.worst([FlagCode(r.flag).default_decision for r in results if r.flag])


def flag_certainty(r: CheckResult) -> float:
    """How likely the problem a flag reports is real (0 to 1)."""
    if r.score is None:
        return DEFAULT_FLAG_CERTAINTY
    return max(0.05, min(1.0, 1.0 - r.score))


def _quality(results: tuple[CheckResult, ...] | list[CheckResult]) -> float:
    """0 to 1 for a document without flags: mean check score, less per warning."""
    scores = [r.score for r in results if r.score is not None and r.status in {"pass", "warn"}]
    mean = sum(max(0.0, min(1.0, s)) for s in scores) / len(scores) if scores else 1.0
    warnings = sum(1 for r in results if r.status == "warn")
    return max(0.0, mean - WARN_PENALTY * warnings)


def score_results(results: tuple[CheckResult, ...] | list[CheckResult]) -> float:
    """A score inside the band of the results' decision (see the module docstring)."""
    decision = _decision(results)
    low, high = BANDS[decision]
    if decision is Decision.PASS:
        value = low + (high - low) * _quality(results)
    else:
        worst = [r for r in results if r.flag and FlagCode(r.flag).default_decision is decision]
        clean = 1.0
        for r in worst:
            clean *= 1.0 - flag_certainty(r)
        value = low + (high - low) * clean * 0.999
    return round(max(0.0, min(1.0, value)), 4)


def to_check(r: CheckResult) -> Check:
    """Contract form of a check result."""
    detail = safe_text(r.detail) if r.detail else r.detail
    return Check(name=r.name, status=r.status, score=r.score, detail=detail)


def to_flag(r: CheckResult, document_id: str | None) -> Flag:
    """Contract form of a flag raised by a check."""
    evidence = {k: _jsonable(v) for k, v in (r.evidence or {}).items() if k != "document_id"}
    return Flag(
        code=str(r.flag),
        document_id=document_id,
        message=safe_text(r.message or r.detail or str(r.flag)),
        applicant_message=safe_text(r.applicant_message) if r.applicant_message else None,
        evidence=evidence or None,
    )


def _jsonable(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def to_fields(doc: DocumentState) -> Fields:
    """Contract form of the extracted fields."""
    values: dict[str, object] = {}
    for name, fv in doc.fields.items():
        if isinstance(fv.value, ReadAddress):
            a = fv.value
            values[name] = FieldAddress(
                line1=a.line1, line2=a.line2, city=a.city, state=a.state, zip=a.zip
            )
        elif name in Fields.model_fields:
            values[name] = fv.value
    return Fields.model_validate(values)


def to_evidence(fv: FieldValue) -> Evidence:
    """Contract form of a field's evidence."""
    return Evidence(
        source=fv.source,
        confidence=round(max(0.0, min(1.0, fv.confidence)), 3),
        page=fv.page,
        box=list(fv.box) if fv.box else None,
    )
