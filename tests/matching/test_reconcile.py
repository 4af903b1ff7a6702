"""Root causes, not echoes: consequential flags become warnings, real ones stay flags."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from models.flags import Decision, DocumentType, FlagCode
from models.internal import BarcodeRecord, CheckResult, DocumentState
from pipeline.aggregate import aggregate
from pipeline.application_checks import check_barcode_consistency
from pipeline.matching.checks import check_date_of_birth, check_expiry
from pipeline.matching.reconcile import (
    corroborate_birth,
    corroborate_expiry,
    demote_consequences,
    pair_identity_sides,
)
from tests.matching.builders import context, doc, fv

ID = DocumentType.DRIVERS_LICENSE


def _fail(name: str, flag: FlagCode, **evidence: object) -> CheckResult:
    return CheckResult(name, "fail", 0.1, "measured", flag=flag, message="m", evidence=evidence)


def _type_fail(found: str) -> CheckResult:
    return _fail("document.type", FlagCode.WRONG_DOCUMENT_TYPE, found=found)


BLURRY = _fail("image_quality.sharpness", FlagCode.IMAGE_BLURRY)
TEXT = _fail("ocr.text_readable", FlagCode.TEXT_UNREADABLE)
TYPE_PASS = CheckResult("document.type", "pass", 0.9, "found drivers_license")


def _with(d: DocumentState, *checks: CheckResult) -> DocumentState:
    return replace(d, checks=checks)


def _flags(d: DocumentState) -> set[str]:
    return {str(r.flag) for r in d.checks if r.flag}


def test_image_flag_explains_unreadable_text_and_unknown_type() -> None:
    d = _with(doc(role="identity"), BLURRY, TEXT, _type_fail("other"))
    out = demote_consequences(d)
    assert _flags(out) == {"IMAGE_BLURRY"}
    demoted = [r for r in out.checks if r.status == "warn"]
    assert len(demoted) == 2 and all("IMAGE_BLURRY" in (r.detail or "") for r in demoted)


def test_a_recognised_wrong_type_stays_flagged_despite_the_image() -> None:
    d = _with(doc(role="identity"), BLURRY, _type_fail("utility_bill"))
    assert _flags(demote_consequences(d)) == {"IMAGE_BLURRY", "WRONG_DOCUMENT_TYPE"}


def test_without_an_image_flag_nothing_changes() -> None:
    d = _with(doc(role="identity"), TEXT, _type_fail("other"))
    assert demote_consequences(d) == d


def _barcode_back(document_id: str = "doc-2") -> DocumentState:
    record = BarcodeRecord(10, "636006", {}, {"last_name": fv("GONZALEZ-RIVERA", "barcode")})
    back = doc(role="identity", doc_type=ID, document_id=document_id)
    return _with(replace(back, side="back", barcode=record), TYPE_PASS)


def test_unrecognised_front_paired_with_an_identified_back_is_a_warning() -> None:
    front = _with(doc(role="identity", doc_type=DocumentType.OTHER), _type_fail("other"))
    out = pair_identity_sides((front, _barcode_back()))
    assert _flags(out[0]) == set()
    assert "doc-2" in (out[0].checks[0].detail or "")


def test_pairing_needs_machine_readable_data_and_an_identity_role() -> None:
    front = _with(doc(role="identity", doc_type=DocumentType.OTHER), _type_fail("other"))
    no_code = replace(_barcode_back(), barcode=None)
    assert _flags(pair_identity_sides((front, no_code))[0]) == {"WRONG_DOCUMENT_TYPE"}
    residency = _with(doc(role="residency", doc_type=DocumentType.OTHER), _type_fail("other"))
    assert _flags(pair_identity_sides((residency, _barcode_back()))[0]) == {"WRONG_DOCUMENT_TYPE"}
    bill = _with(doc(role="identity"), _type_fail("utility_bill"))
    assert _flags(pair_identity_sides((bill, _barcode_back()))[0]) == {"WRONG_DOCUMENT_TYPE"}


def test_verdict_of_a_blurred_document_names_only_the_image() -> None:
    ctx = context()
    d = _with(doc(role="identity"), BLURRY, TEXT, _type_fail("other"))
    verdict = aggregate((d,), (), ctx)
    assert verdict.decision == Decision.RESUBMIT
    assert [f.code for f in verdict.flags] == ["IMAGE_BLURRY"]


def _licence(document_id: str, source: str, confidence: float, **fields: object):
    return doc(role="identity", doc_type=ID, source=source, confidence=confidence,
               document_id=document_id, **fields)  # fmt: skip


def _pair(front: DocumentState, **code: object) -> tuple[DocumentState, DocumentState]:
    values = {"first_name": "MICHAEL", "last_name": "BROWN", **code}
    record = BarcodeRecord(10, "636006", {}, {k: fv(v, "barcode") for k, v in values.items()})
    back = replace(_licence("doc-2", "barcode", 1.0), side="back", barcode=record, fields={})
    return front, back


def test_barcode_vs_an_unreadable_front_only_warns() -> None:
    front = _with(_licence("doc-1", "ocr", 0.53, first_name="J", last_name="BRAWN"),
                  _fail("image_quality.resolution", FlagCode.IMAGE_LOW_RESOLUTION))  # fmt: skip
    results = check_barcode_consistency(_pair(front), context())
    assert [(r.status, r.flag) for r in results] == [("warn", None)]
    assert "IMAGE_LOW_RESOLUTION" in (results[0].detail or "")


def test_barcode_vs_a_low_confidence_near_miss_warns_but_another_number_flags() -> None:
    near = _licence("doc-1", "ocr", 0.5, first_name="MICHAFI", last_name="BROWN")
    results = check_barcode_consistency(_pair(near), context())
    assert [r.flag for r in results] == [None]
    assert results[0].status == "warn"
    other = _licence("doc-1", "ocr", 0.5, first_name="MICHAEL", document_number="S99999999",
                     expiry_date=dt.date(2030, 1, 1))  # fmt: skip
    results = check_barcode_consistency(
        _pair(other, document_number="S13238301", expiry_date=dt.date(2034, 1, 1)), context()
    )
    assert [r.flag for r in results] == [FlagCode.BARCODE_MISMATCH]


def test_barcode_name_printed_in_another_name_field_agrees() -> None:
    front = _licence("doc-1", "ocr", 0.9, first_name="rN", middle_name="MICHAEL JAMES",
                     last_name="BROWN")  # fmt: skip
    results = check_barcode_consistency(_pair(front), context())
    assert [(r.status, r.flag) for r in results] == [("pass", None)]
    other = _licence("doc-1", "ocr", 0.9, first_name="rN", middle_name="DAVID JAMES",
                     last_name="BROWN")  # fmt: skip
    results = check_barcode_consistency(_pair(other), context())
    assert [r.flag for r in results] == [FlagCode.BARCODE_MISMATCH]


def test_barcode_vs_a_low_confidence_fragment_warns() -> None:
    front = _licence("doc-1", "ocr", 0.23, first_name="MICHAEL", last_name="a")
    results = check_barcode_consistency(_pair(front), context())
    assert [(r.status, r.flag) for r in results] == [("warn", None)]
    # one letter is no name, however confident the OCR: a bad read, not a disagreement
    sure = _licence("doc-1", "ocr", 0.95, first_name="MICHAEL", last_name="a")
    results = check_barcode_consistency(_pair(sure), context())
    assert [(r.status, r.flag) for r in results] == [("warn", None)]
    other = _licence("doc-1", "ocr", 0.95, first_name="MICHAEL", last_name="OKAFOR")
    results = check_barcode_consistency(_pair(other), context())
    assert [r.flag for r in results] == [FlagCode.BARCODE_MISMATCH]


def _expiring(document_id: str, source: str, expiry: dt.date) -> DocumentState:
    # a confident OCR read: a low-confidence "expired" read only warns (test_checks)
    d = _licence(document_id, source, 0.9, expiry_date=expiry)
    result = check_expiry(d, context())
    return _with(d, *([result] if result else []))


def test_ocr_expiry_contradicted_by_a_valid_barcode_is_a_misread() -> None:
    submitted = context().application.submitted_on
    front = _expiring("doc-1", "ocr", dt.date(2021, 4, 27))
    back = _expiring("doc-2", "barcode", dt.date(2031, 4, 27))
    assert _flags(front) == {"DOCUMENT_EXPIRED"}
    out = corroborate_expiry((front, back), submitted)
    assert _flags(out[0]) == set() and "doc-2" in (out[0].checks[0].detail or "")
    expired_back = _expiring("doc-2", "barcode", dt.date(2021, 4, 27))
    out = corroborate_expiry((front, expired_back), submitted)
    assert _flags(out[0]) == {"DOCUMENT_EXPIRED"} and _flags(out[1]) == {"DOCUMENT_EXPIRED"}


def _born(document_id: str, source: str, confidence: float, dob: dt.date) -> DocumentState:
    d = _licence(document_id, source, confidence, date_of_birth=dob)
    result = check_date_of_birth(d, context())
    return _with(d, *([result] if result else []))


def test_an_unsure_ocr_birth_date_contradicted_by_the_backs_mrz_is_a_misread() -> None:
    """CT-O4159-0014: a passport card's front read '9 JUN 1941' at 0.48, its MRZ 22 June."""
    profile = context().application.profile.date_of_birth
    other = dt.date(1941, 6, 9)
    unsure, sure = _born("doc-1", "ocr", 0.48, other), _born("doc-1", "ocr", 0.95, other)
    back = _born("doc-2", "mrz", 0.95, profile)
    assert _flags(unsure) == {"DOB_MISMATCH"} and _flags(back) == set()
    out = corroborate_birth((unsure, back), profile, 0.75)
    assert _flags(out[0]) == set() and "doc-2" in (out[0].checks[0].detail or "")
    # surely read, the front says another date: a front altered under a true back
    assert _flags(corroborate_birth((sure, back), profile, 0.75)[0]) == {"DOB_MISMATCH"}
    # the machine-read date is not the profile's: nothing corroborates the profile
    moved = _born("doc-2", "mrz", 0.95, other)
    assert _flags(corroborate_birth((unsure, moved), profile, 0.75)[0]) == {"DOB_MISMATCH"}
