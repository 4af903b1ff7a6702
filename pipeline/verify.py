"""`verify(bundle, ctx) -> Verdict`: the whole pipeline, in-process, as a table of contents.

For each document: read its bytes, run the ordered stages of `pipeline.stages.STAGES`
(each returns a new `DocumentState`), then the ordered checks of `CHECKS` (each returns
a `CheckResult` or None when it does not apply). Then the application-level checks run
over all documents, and `aggregate` turns everything into the contract's verdict.

A stage that finds the file unusable raises `FileUnreadable`; the document is then
stopped with FILE_UNREADABLE and its remaining stages are skipped. No file, however
hostile, makes `verify` raise: only a missing tool (`ToolMissing`) does.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace

from models.contract import DocumentRef, Verdict
from models.flags import FlagCode
from models.internal import CheckResult, DocumentState
from pipeline.aggregate import aggregate
from pipeline.bundle import Bundle
from pipeline.context import Context
from pipeline.errors import FileUnreadable, ToolError, ToolMissing
from pipeline.reading.classify import as_declared, reconcile_sides
from pipeline.reading.mrz import lend_front_to_back
from pipeline.stages import APPLICATION_CHECKS, CHECKS, STAGES

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Examination:
    """The verdict and the document states behind it (fingerprints, timings, words)."""

    verdict: Verdict
    documents: tuple[DocumentState, ...]


def verify(bundle: Bundle, ctx: Context) -> Verdict:
    """Pre-screen one application bundle and return its scored verdict."""
    return examine_application(bundle, ctx).verdict


def examine_application(bundle: Bundle, ctx: Context) -> Examination:
    """Examine every document (the two sides of an identity card typed as one card, see
    `reconcile_sides`, its front's values witnesses of its back's zone, see
    `lend_front_to_back`), run the application checks, aggregate the verdict."""
    staged = tuple(run_stages(_read(bundle, ref, ctx), ctx) for ref in bundle.application.documents)
    sides = lend_front_to_back(reconcile_sides(staged))
    documents = tuple(run_checks(doc, ctx) for doc in sides)
    app_checks = tuple(r for check in APPLICATION_CHECKS for r in check(documents, ctx))
    return Examination(aggregate(documents, app_checks, ctx), documents)


def examine(bundle: Bundle, ref: DocumentRef, ctx: Context) -> DocumentState:
    """Run one document through every stage, then every check."""
    doc = _read(bundle, ref, ctx)
    doc = run_stages(doc, ctx)
    return run_checks(doc, ctx)


def _read(bundle: Bundle, ref: DocumentRef, ctx: Context) -> DocumentState:
    doc = DocumentState(
        document_id=ref.document_id,
        role=ref.role.value,
        side=ref.side,
        data=b"",
        declared_type=ref.declared_type,
        declared_expiry_date=ref.declared_expiry_date,
    )
    try:
        return replace(doc, data=bundle.source.read(ref.file, ctx.config.limits.file_bytes))
    except FileUnreadable as exc:
        return replace(doc, stopped=unreadable(exc.reason, exc.applicant_reason))


def run_stages(doc: DocumentState, ctx: Context) -> DocumentState:
    """Apply the ordered stages, stopping at the first that finds the file unusable."""
    timings: dict[str, float] = dict(doc.timings)
    for stage in STAGES:
        if doc.stopped is not None:
            break
        started = time.perf_counter()
        doc = _run_stage(stage, doc, ctx)
        timings[stage.__name__] = timings.get(stage.__name__, 0.0) + time.perf_counter() - started
    return replace(doc, timings=timings)


def _run_stage(stage: object, doc: DocumentState, ctx: Context) -> DocumentState:
    name = getattr(stage, "__name__", "stage")
    try:
        return stage(doc, ctx)  # type: ignore[operator]
    except FileUnreadable as exc:
        return replace(doc, stopped=unreadable(exc.reason, exc.applicant_reason))
    except ToolMissing:
        raise
    except ToolError as exc:
        log.warning("stage %s failed on document %s: %s", name, doc.document_id, type(exc).__name__)
        return replace(doc, stopped=unreadable(f"{name} could not process the file ({exc})"))
    except Exception as exc:  # a bug must not kill the worker or lose the application
        log.exception("stage %s crashed on document %s", name, doc.document_id)
        failed = CheckResult(
            name=f"stage.{name}",
            status="fail",
            detail=f"internal error: {type(exc).__name__}",
            flag=FlagCode.PROCESSING_ERROR,
            message=f"The pipeline failed at stage {name}; a reviewer must look at this document.",
        )
        return replace(doc, stopped=failed)


def run_checks(doc: DocumentState, ctx: Context) -> DocumentState:
    """Apply the ordered checks; a stopped document keeps only the check that stopped it."""
    if doc.stopped is not None:
        kind = doc.classification or as_declared(doc)  # an unopened file: the declared type
        return replace(doc, classification=kind, checks=(*doc.checks, doc.stopped))
    results = [r for check in CHECKS if (r := check(doc, ctx)) is not None]
    return replace(doc, checks=(*doc.checks, *results))


def unreadable(reason: str, applicant_reason: str | None = None) -> CheckResult:
    """The check result of a file that cannot be used."""
    return CheckResult(
        name="file.readable",
        status="fail",
        score=0.0,
        detail=reason,
        flag=FlagCode.FILE_UNREADABLE,
        message=f"The file cannot be used: {reason}.",
        applicant_message=(
            f"We could not open your file ({applicant_reason or reason}). "
            "Please upload it again as a JPEG, PNG or PDF."
        ),
    )
