"""Decisions over values read: an uncertain expiry, a name read from the wrong words, a
licence number printed on the front but not extracted, an ñ misread by OCR."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from models.flags import DocumentType, FlagCode
from models.internal import (
    BarcodeRecord,
    CheckResult,
    Classification,
    DocumentState,
    MrzRecord,
    PageText,
    Word,
)
from pipeline.aggregate import demote_unreliable
from pipeline.application_checks import check_barcode_consistency, printed_number
from pipeline.matching.checks import check_expiry, check_name
from pipeline.matching.names import person_name, text_similarity
from tests.matching.builders import SUBMITTED, context, doc, fv

ID = DocumentType.PASSPORT
EXPIRED = SUBMITTED - dt.timedelta(days=700)
VALID = SUBMITTED + dt.timedelta(days=2000)


def _identity(source: str = "ocr", confidence: float = 0.95, **fields: object) -> DocumentState:
    return doc(role="identity", doc_type=ID, source=source, confidence=confidence, **fields)


# --------------------------------------------------------------------------- expiry


def test_confident_ocr_expiry_in_the_past_is_flagged() -> None:
    result = check_expiry(_identity(expiry_date=EXPIRED), context())
    assert result is not None and result.flag == FlagCode.DOCUMENT_EXPIRED


def test_low_confidence_expired_read_against_a_valid_declared_expiry_warns() -> None:
    d = replace(_identity(confidence=0.57, expiry_date=EXPIRED), declared_expiry_date=VALID)
    result = check_expiry(d, context())
    assert result is not None and result.status == "warn" and result.flag is None
    assert "low confidence" in (result.detail or "")


def test_low_confidence_read_is_flagged_when_the_declared_expiry_has_passed_too() -> None:
    d = replace(_identity(confidence=0.57, expiry_date=EXPIRED), declared_expiry_date=EXPIRED)
    result = check_expiry(d, context())
    assert result is not None and result.flag == FlagCode.DOCUMENT_EXPIRED


def test_low_confidence_read_with_nothing_else_warns() -> None:
    result = check_expiry(_identity(confidence=0.56, expiry_date=EXPIRED), context())
    assert result is not None and result.status == "warn" and result.flag is None


def _mrz(expiry: dt.date, failed: tuple[str, ...]) -> MrzRecord:
    return MrzRecord("TD3", ("", ""), not failed, True, failed, {"expiry_date": fv(expiry, "mrz")})


def test_a_checked_mrz_expiry_is_preferred_to_the_printed_one() -> None:
    d = replace(_identity(expiry_date=EXPIRED), mrz=_mrz(VALID, ()))
    result = check_expiry(d, context())
    assert result is not None and result.status == "pass" and "MRZ" in (result.detail or "")
    expired = replace(_identity(expiry_date=VALID), mrz=_mrz(EXPIRED, ("composite",)))
    result = check_expiry(expired, context())  # the expiry's own check digit agreed
    assert result is not None and result.flag == FlagCode.DOCUMENT_EXPIRED


def test_a_garbage_zone_passing_one_check_by_chance_is_no_expiry() -> None:
    """Text on a licence taken for a TD3 zone, four checks of five failing and read poorly
    (MA-S10002-0026): its expiry check digit agreeing by chance proves nothing."""
    failed = ("document number", "date of birth", "optional data", "composite")
    garbage = replace(_mrz(EXPIRED, failed), confident=False)
    result = check_expiry(replace(_identity(expiry_date=VALID), mrz=garbage), context())
    assert result is not None and result.status == "pass" and result.flag is None
    one_slip = replace(_mrz(EXPIRED, ("composite",)), confident=False)
    result = check_expiry(replace(_identity(expiry_date=VALID), mrz=one_slip), context())
    assert result is not None and result.flag == FlagCode.DOCUMENT_EXPIRED


def test_an_unchecked_mrz_expiry_that_is_still_valid_makes_the_ocr_read_inconclusive() -> None:
    d = replace(_identity(expiry_date=EXPIRED), mrz=_mrz(VALID, ("expiry date", "composite")))
    result = check_expiry(d, context())
    assert result is not None and result.status == "warn" and result.flag is None


def test_a_barcode_expiry_is_preferred_to_the_printed_one() -> None:
    record = BarcodeRecord(10, "636006", {}, {"expiry_date": fv(VALID, "barcode")})
    d = replace(_identity(expiry_date=EXPIRED), barcode=record)
    result = check_expiry(d, context())
    assert result is not None and result.status == "pass"


def test_expiry_read_by_ocr_on_an_unreadable_image_is_not_raised() -> None:
    glare = CheckResult("image_quality.glare", "fail", 0.2, flag=FlagCode.IMAGE_GLARE)
    d = _identity(expiry_date=EXPIRED)
    expired = check_expiry(d, context())
    assert expired is not None and expired.flag == FlagCode.DOCUMENT_EXPIRED
    out = demote_unreliable(replace(d, checks=(glare, expired)))
    assert [r.flag for r in out.checks] == [FlagCode.IMAGE_GLARE, None]
    declared = CheckResult(
        "match.expiry", "fail", 0.0, flag=FlagCode.DOCUMENT_EXPIRED, evidence={"source": "mrz"}
    )
    out = demote_unreliable(replace(d, checks=(glare, declared)))
    assert [r.flag for r in out.checks] == [FlagCode.IMAGE_GLARE, FlagCode.DOCUMENT_EXPIRED]


def test_a_name_from_the_mrz_of_an_unreadable_image_is_not_raised() -> None:
    """MRZ names have no check digit: 'PATRICLA' from a low-resolution zone is a misread."""
    low = CheckResult("image_quality.resolution", "fail", 0.2, flag=FlagCode.IMAGE_LOW_RESOLUTION)
    name = CheckResult(
        "match.name", "fail", 0.79, flag=FlagCode.NAME_MISMATCH, evidence={"source": "mrz"}
    )
    d = _identity(expiry_date=VALID)
    out = demote_unreliable(replace(d, checks=(low, name)))
    assert [r.flag for r in out.checks] == [FlagCode.IMAGE_LOW_RESOLUTION, None]
    out = demote_unreliable(replace(d, checks=(name,)))
    assert [r.flag for r in out.checks] == [FlagCode.NAME_MISMATCH]


# --------------------------------------------------------------------------- names


def _lease(first: str, last: str, text: str) -> DocumentState:
    d = doc(source="ocr", confidence=0.87, first_name=first, last_name=last)
    words = tuple(Word(w, 0.9, (0, 0, 1, 1), 0, 0) for w in text.split())
    return replace(d, text=(PageText(0, words, "ocr", 100, 100),))


def test_name_read_from_the_wrong_words_warns_when_the_profile_name_is_printed() -> None:
    text = 'between Elm City Realty ("Landlord") and Gonzalez-Rivera, Maria L ("Tenant"). ' * 1
    text += "4. SECURITY DEPOSIT. Tenant has deposited $1,300.00 as security"
    result = check_name(_lease("has", "deposited", text), context())
    assert result is not None and result.status == "warn" and result.flag is None


def test_another_persons_name_is_still_a_mismatch() -> None:
    text = "between Elm City Realty and Smith, John ('Tenant'). Maria lives on Gonzalez Street"
    result = check_name(_lease("John", "Smith", text), context())
    assert result is not None and result.flag == FlagCode.NAME_MISMATCH


def test_an_n_with_tilde_misread_as_ji_matches() -> None:
    assert text_similarity("PEJIA", "PENA", tolerant=True) == 1.0
    assert text_similarity("PEJIA", "PENA", tolerant=False) < 0.8
    assert person_name("Pat", None, "Pejia").surname == ("PEJIA",)


# --------------------------------------------------------------------------- barcode


def _front(words: list[str], **fields: object) -> DocumentState:
    d = doc(role="identity", doc_type=DocumentType.DRIVERS_LICENSE, source="ocr",
            confidence=0.9, **fields)  # fmt: skip
    ws = tuple(Word(w, 0.9, (5 * i, 0, 5 * i + 4, 4), 0, 0) for i, w in enumerate(words))
    return replace(d, text=(PageText(0, ws, "ocr", 100, 100),))


def _back(number: str, **elements: str) -> DocumentState:
    values = {"first_name": "MARIA", "last_name": "GONZALEZ-RIVERA", "document_number": number}
    record = BarcodeRecord(10, "636006", {"DAQ": number, **elements},
                           {k: fv(v, "barcode") for k, v in values.items()})  # fmt: skip
    back = doc(role="identity", doc_type=DocumentType.DRIVERS_LICENSE, document_id="doc-2")
    return replace(back, side="back", barcode=record, fields={})


FRONT_WORDS = ["4d", "0LN", "435735770", "MARIA", "GONZALEZ-RIVERA", "06106-8047",
               "04/30/2003", "EXP", "06/12/2027"]  # fmt: skip


def test_a_number_printed_on_the_front_but_not_extracted_is_compared() -> None:
    front = _front(FRONT_WORDS, first_name="MARIA", last_name="GONZALEZ-RIVERA")
    results = check_barcode_consistency((front, _back("918198349")), context())
    assert [r.flag for r in results] == [FlagCode.BARCODE_MISMATCH]
    assert "435735770" in (results[0].message or "")
    same = check_barcode_consistency((front, _back("435735770")), context())
    assert [(r.status, r.flag) for r in same] == [("pass", None)]


def test_printed_number_tolerates_slips_and_skips_dates_zips_and_other_barcode_values() -> None:
    front = _front(FRONT_WORDS)
    assert printed_number("435735770", front, ()) is None  # printed: agrees
    assert printed_number("43S735771", front, ()) is None  # one slip, S folded to 5
    found = printed_number("918198349", front, ())
    assert found is not None and found.value == "435735770" and found.source == "ocr"
    assert printed_number("918198349", front, ("435735770",)) is None  # e.g. the DD number
    no_number = _front(["06106-8047", "04/30/2003", "5'-02\"", "MARIA"])
    assert printed_number("918198349", no_number, ()) is None
    two = _front(["435735770", "123123123"])
    assert printed_number("918198349", two, ()) is None  # which one is the number?


def test_failed_mrz_check_digits_on_a_low_resolution_image_are_not_raised() -> None:
    low = CheckResult("image_quality.resolution", "fail", 0.2, flag=FlagCode.IMAGE_LOW_RESOLUTION)
    mrz = CheckResult("mrz.check_digits", "fail", 0.0, flag=FlagCode.MRZ_INVALID)
    d = _identity()
    out = demote_unreliable(replace(d, checks=(low, mrz)))
    assert [r.flag for r in out.checks] == [FlagCode.IMAGE_LOW_RESOLUTION, None]
    assert demote_unreliable(replace(d, checks=(mrz,))).checks[0].flag == FlagCode.MRZ_INVALID


def test_a_printed_date_that_is_another_barcode_date_is_a_field_mix_up() -> None:
    issued, expiry = dt.date(2019, 6, 26), dt.date(2027, 6, 12)
    values = {"first_name": "MARIA", "expiry_date": expiry, "issue_date": issued}
    record = BarcodeRecord(10, "636006", {}, {k: fv(v, "barcode") for k, v in values.items()})
    back = replace(_back("918198349"), barcode=record)
    mixed = _front([], first_name="MARIA", expiry_date=issued)  # the issue date, as expiry
    results = check_barcode_consistency((mixed, back), context())
    assert [(r.status, r.flag) for r in results] == [("pass", None)]
    other = _front([], first_name="MARIA", expiry_date=dt.date(2029, 1, 1))
    results = check_barcode_consistency((other, back), context())
    assert [r.flag for r in results] == [FlagCode.BARCODE_MISMATCH]


def _name_back(**values: str) -> DocumentState:
    record = BarcodeRecord(10, "636006", {}, {k: fv(v, "barcode") for k, v in values.items()})
    return replace(_back("918198349"), barcode=record)


def _name_front(confidence: float, **names: str) -> DocumentState:
    front = _front([], **names)
    fields = {k: replace(v, confidence=confidence) for k, v in front.fields.items()}
    return replace(front, fields=fields)


def _outcome(front: DocumentState, back: DocumentState) -> tuple[str, FlagCode | None]:
    (result,) = check_barcode_consistency((front, back), context())
    return result.status, result.flag


def test_a_printed_name_that_is_a_bad_read_is_no_disagreement() -> None:
    back = _name_back(first_name="SAMANTHA", last_name="OKAFOR")
    # one letter read with confidence: a stray mark, not another name (a warning: the
    # first name could not be compared)
    assert _outcome(_name_front(0.95, first_name="I", last_name="OKAFOR"), back) == ("warn", None)
    # a piece of the name (a word cut by glare or the edge)
    cut = _name_front(0.95, first_name="SAMA", last_name="OKAFOR")
    assert _outcome(cut, back) == ("warn", None)
    # the surname read into the first name: the reader mixed up the fields
    mixed = _name_front(0.95, first_name="OKAFOR", last_name="OKAFOR")
    assert _outcome(mixed, back) == ("pass", None)
    # a low-confidence read of something else entirely: too uncertain to flag
    assert _outcome(_name_front(0.4, first_name="RNAKIA", last_name="OKAFOR"), back)[1] is None


def test_a_confident_other_name_still_disagrees_with_the_barcode() -> None:
    back = _name_back(first_name="SAMANTHA", last_name="OKAFOR")
    other = _name_front(0.95, first_name="JESSICA", last_name="OKAFOR")
    assert _outcome(other, back) == ("fail", FlagCode.BARCODE_MISMATCH)
    short = _name_front(0.95, first_name="ANA", last_name="OKAFOR")  # three letters, not a piece
    assert _outcome(short, back) == ("fail", FlagCode.BARCODE_MISMATCH)
    # a bad read in the first name does not hide a real difference elsewhere
    number = replace(_name_back(first_name="SAMANTHA", last_name="OKAFOR"), barcode=replace(
        back.barcode, fields={**back.barcode.fields, "document_number": fv("918198349", "barcode")}
    ))  # fmt: skip
    both = _name_front(0.95, first_name="I", last_name="OKAFOR", document_number="435735770")
    (result,) = check_barcode_consistency((both, number), context())
    assert result.flag == FlagCode.BARCODE_MISMATCH
    assert "document_number" in (result.message or "") and "'I'" not in (result.message or "")


def test_a_front_not_recognised_as_a_document_raises_no_barcode_mismatch() -> None:
    """A low-resolution licence front classified "not a document" (type OTHER): a number
    OCR read there at confidence 0 is no disagreement with the barcode (CT-S8814-0047)."""
    front = _front(FRONT_WORDS, document_number="h24979961")
    front = replace(front, classification=Classification(DocumentType.OTHER, 0.8))
    (result,) = check_barcode_consistency((front, _back("524929361")), context())
    assert result.flag is None and result.status == "warn"
    recognised = _front(FRONT_WORDS, document_number="h24979961")
    (result,) = check_barcode_consistency((recognised, _back("524929361")), context())
    assert result.flag == FlagCode.BARCODE_MISMATCH


def test_text_unreadable_beside_an_image_flag_only_warns() -> None:
    """One reason to resubmit a document: the blur, not also the text it blurred."""
    blurry = CheckResult("image_quality.sharpness", "fail", 0.2, flag=FlagCode.IMAGE_BLURRY)
    text = CheckResult("text.readable", "fail", 0.3, flag=FlagCode.TEXT_UNREADABLE)
    d = _identity(expiry_date=VALID)
    out = demote_unreliable(replace(d, checks=(blurry, text)))
    assert [(r.flag, r.status) for r in out.checks] == [
        (FlagCode.IMAGE_BLURRY, "fail"),
        (None, "warn"),
    ]
    alone = demote_unreliable(replace(d, checks=(text,)))
    assert [r.flag for r in alone.checks] == [FlagCode.TEXT_UNREADABLE]
