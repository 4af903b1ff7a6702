"""The ordered registry of the pipeline: stages that read, checks that judge.

Like structlog's processor chain, each entry is a plain callable:
- a stage: `(DocumentState, Context) -> DocumentState`, adding what it read;
- a check: `(DocumentState, Context) -> CheckResult | None` (None: does not apply);
- an application check: `(tuple[DocumentState, ...], Context) -> list[CheckResult]`
  (a result with `evidence["document_id"]` belongs to that document).
The order here is the order of execution and of the checks in the verdict.
"""

from __future__ import annotations

from collections.abc import Callable

from models.internal import CheckResult, DocumentState
from pipeline import application_checks as app
from pipeline.context import Context
from pipeline.evidence import locate_evidence
from pipeline.fingerprint import fingerprint
from pipeline.imaging import face, quality, rectify
from pipeline.load import load_file
from pipeline.matching import checks as match
from pipeline.reading import barcode, classify, extract, mrz, ocr

Stage = Callable[[DocumentState, Context], DocumentState]
Check = Callable[[DocumentState, Context], CheckResult | None]
ApplicationCheck = Callable[[tuple[DocumentState, ...], Context], list[CheckResult]]


def reread_incomplete(doc: DocumentState, ctx: Context) -> DocumentState:
    """Stage: read the OCR pages a second time when the first reading lacks a field the
    document's kind needs (`ocr.needs_second_reading`), then classify and extract again
    from the merged reading; an identity card still lacking a name or date is read a third
    time, binarised (`ocr.read_binarised`); unsure dates that only these extractions found
    are read again alone, and extracted once more. Most documents pass through untouched."""
    reread = ocr.reread_incomplete(doc, ctx)
    again = doc if reread is doc else _reextracted(reread, ctx)
    third = ocr.read_binarised(again, ctx)
    again = again if third is again else _reextracted(third, ctx)
    if again is doc:
        return doc
    dated = ocr.reread_new_dates(again, ctx, done=ocr.unsure_dates(doc, ctx))
    return again if dated is again else _reextracted(dated, ctx)


def _reextracted(doc: DocumentState, ctx: Context) -> DocumentState:
    return extract.extract_fields(classify.classify(doc, ctx), ctx)


STAGES: tuple[Stage, ...] = (
    load_file,  # sniff the type by content, enforce limits, decode pages (EXIF applied)
    rectify.rectify,  # find the document in the photo, flatten and straighten it
    quality.measure,  # sharpness, resolution, exposure, glare, framing
    barcode.read_barcode,  # AAMVA PDF417 on licence backs
    ocr.read_text,  # PDF text layer, else OCR with word boxes
    mrz.read_mrz,  # passport / passport-card machine-readable zone
    face.detect_faces,  # face on the photo, portrait on the ID
    classify.classify,  # document type from text, layout, barcode, MRZ, face
    extract.extract_fields,  # names, dates, address, number, with evidence
    reread_incomplete,  # a second OCR reading only where the first lacks a needed field
    fingerprint,  # hashes for DUPLICATE_DOCUMENT
    locate_evidence,  # evidence boxes back into the stored page's pixels
)

CHECKS: tuple[Check, ...] = (
    quality.check_resolution,
    quality.check_sharpness,
    quality.check_exposure,
    quality.check_glare,
    quality.check_framing,
    ocr.check_text_readable,
    classify.check_document_type,
    classify.check_declared_type,
    face.check_face,
    mrz.check_mrz,
    match.check_name,
    match.check_date_of_birth,
    match.check_address,
    match.check_state,
    match.check_expiry,
    match.check_declared_expiry,
    match.check_recency,
    match.check_duplicate,
)

APPLICATION_CHECKS: tuple[ApplicationCheck, ...] = (
    app.check_missing_documents,
    app.check_barcode_consistency,
    app.check_identity_not_residency,
)
