"""Application checks (barcode vs front, identity reused as residency) and the scored verdict."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from models.flags import Decision, DocumentType, FlagCode
from models.internal import BarcodeRecord, CheckResult, Fingerprint
from pipeline.aggregate import BANDS, aggregate
from pipeline.application_checks import check_barcode_consistency, check_identity_not_residency
from pipeline.matching.checks import check_address, check_name
from tests.matching.builders import address, context, doc, fv

ID = DocumentType.DRIVERS_LICENSE
DOB = dt.date(1981, 3, 14)


def _front(source: str = "ocr", confidence: float = 0.9, **fields: object):
    base = {"first_name": "MARIA", "last_name": "GONZALEZ-RIVERA", "date_of_birth": DOB,
            "expiry_date": dt.date(2029, 3, 14), "document_number": "123456789"}  # fmt: skip
    base.update(fields)
    return doc(role="identity", doc_type=ID, source=source, confidence=confidence, **base)


def _back(**fields: object):
    base = {"first_name": "MARIA", "last_name": "GONZALEZ-RIVERA", "date_of_birth": DOB,
            "expiry_date": dt.date(2029, 3, 14), "document_number": "123456789"}  # fmt: skip
    base.update(fields)
    record = BarcodeRecord(
        version=10,
        issuer_id="636006",
        elements={},
        fields={k: fv(v, "barcode") for k, v in base.items()},
    )
    back = doc(role="identity", doc_type=ID, document_id="doc-2")
    return replace(back, side="back", barcode=record, fields={})


def test_barcode_agreeing_with_front_passes() -> None:
    results = check_barcode_consistency((_front(), _back()), context())
    assert [r.status for r in results] == ["pass"]
    assert results[0].evidence and results[0].evidence["document_id"] == "doc-2"


def test_barcode_tolerates_low_confidence_ocr_on_the_front() -> None:
    front = _front(confidence=0.5, first_name="MAR1A", document_number="I23456789",
                   date_of_birth=dt.date(1981, 3, 19))  # fmt: skip
    results = check_barcode_consistency((front, _back()), context())
    assert [r.flag for r in results] == [None]


def test_barcode_disagreeing_is_flagged_on_the_back() -> None:
    back = _back(date_of_birth=dt.date(1975, 7, 2), last_name="SMITH")
    results = check_barcode_consistency((_front(), back), context())
    assert len(results) == 1 and results[0].flag == FlagCode.BARCODE_MISMATCH
    assert results[0].evidence and results[0].evidence["document_id"] == "doc-2"
    fields = {d["field"] for d in results[0].evidence["differences"]}  # type: ignore[index]
    assert fields == {"date_of_birth", "last_name"}


def test_given_names_run_together_agree_with_the_barcode() -> None:
    """'AISHA LEE' read 'AISHALEE' at 0.76 (MA-S9999-0027); an altered name stays flagged."""
    back = _back(first_name="AISHA", middle_name="LEE")
    glued = check_barcode_consistency((_front(first_name="AISHALEE"), back), context())
    assert [r.flag for r in glued] == [None] and glued[0].status == "pass"
    other = check_barcode_consistency((_front(first_name="AISHAKIM"), back), context())
    assert [r.flag for r in other] == [FlagCode.BARCODE_MISMATCH]


def test_a_front_date_ocr_could_not_resolve_does_not_disagree() -> None:
    """A printed DOB parsed from a confidence-0 word (MA-O4099-0058) is no evidence of an
    altered card: warned. The same date read with confidence is a disagreement."""
    other = dt.date(1981, 1, 14)
    garbage = _front(date_of_birth=other)
    garbage = replace(
        garbage,
        fields={**garbage.fields, "date_of_birth": fv(other, "ocr", confidence=0.0)},
    )
    results = check_barcode_consistency((garbage, _back()), context())
    assert [(r.status, r.flag) for r in results] == [("warn", None)]
    sure = check_barcode_consistency((_front(date_of_birth=other), _back()), context())
    assert [r.flag for r in sure] == [FlagCode.BARCODE_MISMATCH]


def test_a_clean_number_read_at_confidence_zero_still_disagrees() -> None:
    """'55896273' read at 0.00 beside a '§' (its 'S' lost) against a barcode's 'S57904915'
    (MA-S10006-0002): a number of the barcode's shape is a reading, noise is not."""
    back = _back(document_number="S57904915")

    def front(number: str):
        card = _front()
        return replace(card, fields={**card.fields, "document_number": fv(number, "ocr", 0.0)})

    clean = check_barcode_consistency((front("55896273"), back), context())
    assert [r.flag for r in clean] == [FlagCode.BARCODE_MISMATCH]
    noise = check_barcode_consistency((front("5589=6273"), back), context())
    assert [(r.status, r.flag) for r in noise] == [("warn", None)]
    # its letter kept, read at 0.09 (MA-S10027-0129: '837591597' mended to the state's format)
    shaped = check_barcode_consistency((front("S37591597"), back), context())
    assert [r.flag for r in shaped] == [FlagCode.BARCODE_MISMATCH]
    misshapen = check_barcode_consistency((front("S3759159"), back), context())
    assert [(r.status, r.flag) for r in misshapen] == [("warn", None)]


def test_identity_reused_as_residency() -> None:
    licence = replace(_front(), fingerprint=Fingerprint(sha256="abc"))
    bill = replace(doc(document_id="doc-3"), fingerprint=Fingerprint(sha256="abc"))
    other = replace(doc(document_id="doc-4"), fingerprint=Fingerprint(sha256="def"))
    results = check_identity_not_residency((licence, bill, other), context())
    assert len(results) == 1 and results[0].flag == FlagCode.WRONG_DOCUMENT_TYPE
    assert results[0].evidence and results[0].evidence["document_id"] == "doc-3"


def _checked(d, ctx):
    return replace(d, checks=tuple(r for r in [check_name(d, ctx)] if r is not None))


def test_clean_application_scores_in_the_pass_band() -> None:
    ctx = context()
    docs = (_checked(_front(), ctx), _checked(doc(document_id="doc-3", first_name="Maria",
                                                  last_name="Gonzalez-Rivera"), ctx))  # fmt: skip
    verdict = aggregate(docs, (), ctx)
    assert verdict.decision == Decision.PASS and not verdict.flags
    assert verdict.score >= BANDS[Decision.PASS][0]


def test_scores_order_review_by_likelihood_and_resubmit_lowest() -> None:
    ctx = context()
    near = _checked(doc(first_name="M.", last_name="Gonzales"), ctx)
    far = _checked(doc(first_name="John", last_name="Smith"), ctx)
    expired = replace(
        doc(role="identity", doc_type=ID),
        checks=(
            CheckResult("match.expiry", "fail", 0.0, flag=FlagCode.DOCUMENT_EXPIRED, message="x"),
        ),
    )
    s_near = aggregate((near,), (), ctx)
    s_far = aggregate((far,), (), ctx)
    s_exp = aggregate((expired,), (), ctx)
    assert s_near.decision == s_far.decision == Decision.REVIEW
    assert s_exp.decision == Decision.RESUBMIT
    assert s_exp.score < s_far.score < s_near.score < BANDS[Decision.PASS][0]
    flag = s_far.flags[0]
    assert flag.code == "NAME_MISMATCH" and flag.applicant_message and flag.evidence


def test_profile_typo_is_named_when_documents_agree() -> None:
    ctx = context(first_name="Mraia")  # the provider's typo
    licence = _checked(_front(source="barcode"), ctx)
    bill = _checked(doc(document_id="doc-3", first_name="Maria", last_name="Gonzalez-Rivera"), ctx)
    verdict = aggregate((licence, bill), (), ctx)
    assert {f.code for f in verdict.flags} == {"NAME_MISMATCH"}
    for flag in verdict.flags:
        assert flag.evidence and flag.evidence["likely_wrong"] == "profile"
        assert "profile" in flag.message


def test_application_flags_count_in_the_decision() -> None:
    ctx = context()
    missing = CheckResult(
        "application.photo_present", "fail", 0.0, flag=FlagCode.MISSING_DOCUMENT, message="m"
    )
    verdict = aggregate((_checked(_front(), ctx),), (missing,), ctx)
    assert verdict.decision == Decision.RESUBMIT and verdict.score < BANDS[Decision.RESUBMIT][1]
    assert verdict.flags[0].document_id is None


def test_odd_document_out_is_named() -> None:
    ctx = context()
    licence = _checked(_front(source="barcode"), ctx)  # agrees with the profile
    bill = _checked(doc(document_id="doc-3", first_name="John", last_name="Smith"), ctx)
    verdict = aggregate((licence, bill), (), ctx)
    [flag] = verdict.flags
    assert flag.document_id == "doc-3" and flag.evidence
    assert flag.evidence["likely_wrong"] == "document"


def test_ocr_mismatch_on_an_unreadable_image_is_only_a_warning() -> None:
    ctx = context()
    bill = _checked(doc(source="ocr", confidence=0.9, first_name="John", last_name="Smith"), ctx)
    dark = CheckResult(
        "image_quality.exposure", "fail", 0.1, flag=FlagCode.IMAGE_TOO_DARK, message="d"
    )
    verdict = aggregate((replace(bill, checks=(dark, *bill.checks)),), (), ctx)
    assert [f.code for f in verdict.flags] == ["IMAGE_TOO_DARK"]
    assert any(c.name == "match.name" and c.status == "warn" for c in verdict.documents[0].checks)
    exact = _checked(doc(first_name="John", last_name="Smith"), ctx)  # text layer: still flagged
    verdict = aggregate((replace(exact, checks=(dark, *exact.checks)),), (), ctx)
    assert {f.code for f in verdict.flags} == {"IMAGE_TOO_DARK", "NAME_MISMATCH"}


def test_a_street_slip_on_the_odd_document_out_is_a_misread() -> None:
    """'WHIMEY' read at 0.90 for 'WHITNEY' on a letter, the licence showing the profile's
    street (CT-O4105-0040): warned. Another street on it, or no document agreeing with the
    profile, stays ADDRESS_MISMATCH."""
    ctx = context(address={"line1": "313 Whitney Ter", "city": "Hartford", "state": "CT",
                           "zip": "06106"})  # fmt: skip

    def checked(d):
        return replace(d, checks=tuple(r for r in [check_address(d, ctx)] if r is not None))

    licence = checked(_front(source="barcode", address=address("313 WHITNEY TER")))

    def letter(street: str):
        bill = doc(document_id="doc-3", source="ocr", confidence=0.9)
        return checked(replace(bill, fields={"address": fv(address(street), "ocr", 0.9)}))

    slip = aggregate((licence, letter("313 WHIMEY TER")), (), ctx)
    assert not slip.flags
    alone = aggregate((letter("313 WHIMEY TER"),), (), ctx)
    assert [f.code for f in alone.flags] == ["ADDRESS_MISMATCH"]
    other = aggregate((licence, letter("313 WHEATLEY TER")), (), ctx)
    assert [f.code for f in other.flags] == ["ADDRESS_MISMATCH"]
