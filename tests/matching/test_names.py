"""check_name: tricky-but-clean variations pass, other people are flagged."""

from __future__ import annotations

from dataclasses import replace

import pytest

from models.flags import DocumentType, FlagCode
from pipeline.matching.checks import check_name
from pipeline.matching.names import compare_names, person_name
from pipeline.matching.nicknames import same_given_name, table_size
from tests.matching.builders import context, doc, text_page

CLEAN = [
    ({"first_name": "MARIA", "middle_name": "L", "last_name": "GONZALEZ-RIVERA"}, "upper, initial"),
    ({"first_name": "maria", "last_name": "gonzalez rivera"}, "no middle, hyphen as space"),
    ({"first_name": "María", "middle_name": "Louise", "last_name": "González-Rivera"}, "accents"),
    ({"last_name": "GONZALEZ-RIVERA, MARIA L"}, "LAST, FIRST in one field"),
    ({"first_name": "GONZALEZ-RIVERA", "last_name": "MARIA"}, "fields swapped"),
    ({"first_name": "Maria", "last_name": "Gonzalez"}, "one part of the compound surname"),
    ({"first_name": "M.", "last_name": "Gonzalez-Rivera"}, "first initial"),
    ({"first_name": "MARIA L. GONZALEZ-RIVERA"}, "whole name in one field"),
]


@pytest.mark.parametrize(("fields", "why"), CLEAN, ids=[c[1] for c in CLEAN])
def test_clean_variations_pass(fields: dict, why: str) -> None:
    result = check_name(doc(**fields), context())
    assert result is not None
    assert result.status == "pass", (why, result.detail)
    assert result.flag is None


@pytest.mark.parametrize(
    ("profile", "read"),
    [
        (("Robert", "James", "Smith", None), ("Bob", None, "Smith", None)),
        (("William", None, "O'Brien", None), ("BILL", None, "OBRIEN", None)),
        (("Elizabeth", None, "Murphy", None), ("Liz", None, "Murphy", None)),
        (("Margaret", None, "Kowalski", None), ("Peggy", None, "Kowalski", None)),
        (("Richard", None, "St. Pierre", None), ("Dick", None, "Saint Pierre", None)),
        (("Robert", None, "Smith", "JR"), ("Robert", None, "Smith Jr.", None)),
        (("Robert", None, "Smith", "III"), ("ROBERT", None, "SMITH", "III")),
        (("Siobhan", None, "Ó Súilleabháin", None), ("SIOBHAN", None, "O SUILLEABHAIN", None)),
        (("Anthony", None, "D'Angelo", None), ("Tony", None, "D Angelo", None)),
        (("Theresa", None, "Van Buren", None), ("Terry", None, "VanBuren", None)),
        (("Kwame", None, "Okafor", None), ("Kwame", None, "Okafor", "JR")),
    ],
)
def test_profile_variations_pass(profile: tuple, read: tuple) -> None:
    first, middle, last, suffix = profile
    ctx = context(first_name=first, middle_name=middle, last_name=last, suffix=suffix)
    fields = dict(zip(("first_name", "middle_name", "last_name", "suffix"), read, strict=True))
    result = check_name(doc(**{k: v for k, v in fields.items() if v}), ctx)
    assert result is not None and result.status == "pass", result.detail


@pytest.mark.parametrize(
    "fields",
    [
        {"first_name": "Jennifer", "last_name": "Gonzalez-Rivera"},  # household member
        {"first_name": "Maria", "last_name": "Smith"},
        {"first_name": "Thomas", "last_name": "Nguyen"},
        {"first_name": "Marta", "last_name": "Gonzalez-Rivera"},  # one letter, exact source
        {"first_name": "M.", "last_name": "Gonzales"},
    ],
)
def test_other_people_are_flagged(fields: dict) -> None:
    result = check_name(doc(**fields), context())
    assert result is not None
    assert result.flag == FlagCode.NAME_MISMATCH
    assert result.status == "fail"
    assert result.message and "profile" in result.message
    assert result.applicant_message
    assert result.evidence and result.evidence["similarity"] == result.score
    assert result.evidence["page"] == 0 and result.evidence["box"]


def test_father_and_son_suffix_is_flagged() -> None:
    ctx = context(first_name="Robert", middle_name=None, last_name="Smith", suffix="JR")
    result = check_name(doc(first_name="Robert", last_name="Smith", suffix="SR"), ctx)
    assert result is not None and result.flag == FlagCode.NAME_MISMATCH


def test_ocr_confusions_tolerated_only_for_ocr() -> None:
    fields = {"first_name": "MAR1A", "last_name": "G0NZALEZ-RIVERA"}
    ocr = check_name(doc(source="ocr", confidence=0.6, **fields), context())
    exact = check_name(doc(source="pdf_text", **fields), context())
    assert ocr is not None and ocr.status == "pass"
    assert exact is not None and exact.flag == FlagCode.NAME_MISMATCH


def test_low_confidence_near_miss_warns() -> None:
    fields = {"first_name": "Marta", "last_name": "Gonzalez-Rivera"}
    low = check_name(doc(source="ocr", confidence=0.5, **fields), context())
    assert low is not None and low.status == "warn" and low.flag is None


def test_no_name_read_is_skipped_and_photo_ignored() -> None:
    result = check_name(doc(document_date=None), context())
    assert result is not None and result.status == "skipped"
    assert (
        check_name(doc(role="photo", doc_type=DocumentType.PHOTO, first_name="X"), context())
        is None
    )


def test_nickname_table_is_substantial_and_not_chained() -> None:
    assert table_size() > 500
    assert same_given_name("ROBERT", "BOB") and same_given_name("bill", "william")
    assert same_given_name("PEGGY", "MARGARET") and same_given_name("LIZ", "ELIZABETH")
    assert not same_given_name("ALBERT", "ALFRED")  # both 'Al', but different names
    assert not same_given_name("JOSE", "JOSEPH")


def test_match_reports_parts_and_reason() -> None:
    match = compare_names(
        person_name("Bob", None, "Smith"), person_name("Robert", "J", "Smith"), tolerant=False
    )
    assert ("BOB", "ROBERT", "nickname") in match.parts
    assert "nickname" in match.reason


def test_label_words_and_enye_misreads() -> None:
    ctx = context(first_name="Daniel", middle_name=None, last_name="Peña")
    label = check_name(
        doc(source="ocr", confidence=0.97, first_name="DANIEL Name", last_name="Peña"), ctx
    )
    assert label is not None and label.status == "pass"
    enye = check_name(
        doc(source="ocr", confidence=0.76, first_name="Daniel", last_name="Pefia"), ctx
    )
    assert enye is not None and enye.status == "pass"


def test_ocr_review_band_warns_exact_source_flags() -> None:
    fields = {"first_name": "Maria", "last_name": "Gonzalez-Rivora"}
    ocr = check_name(doc(source="ocr", confidence=0.95, **fields), context())
    assert ocr is not None and ocr.status in {"pass", "warn"} and ocr.flag is None


def test_middle_name_read_as_surname_is_not_another_person() -> None:
    ctx = context(first_name="Theresa", middle_name="Carlos", last_name="Smith-Jones")
    result = check_name(
        doc(source="ocr", confidence=0.95, first_name="THERESA", last_name="CARLOS"), ctx
    )
    assert result is not None and result.flag is None


def test_given_names_alone_read_as_last_first_are_not_another_person() -> None:
    """CT-S10075-0095: "KWAME MAE VAN BUREN" on a statement, "VAN" merged by OCR with the
    line below: "KWAME MAE" was taken for LAST FIRST. No surname was read; a surname that
    is not one of the given names still is another person."""
    ctx = context(first_name="Kwame", middle_name="Mae", last_name="Van Buren")
    swapped = doc(source="ocr", confidence=0.87, first_name="MAE", last_name="KWAME")
    result = check_name(swapped, ctx)
    assert result is not None and result.flag is None
    other = doc(source="ocr", confidence=0.87, first_name="KWAME", last_name="OSEI")
    assert check_name(other, ctx).flag == FlagCode.NAME_MISMATCH  # type: ignore[union-attr]


def test_ci_read_as_d_is_an_ocr_slip() -> None:
    """MA-S10037-0149: 'Lucia' printed on a tax bill, read 'Luda' at 0.82."""
    ctx = context(first_name="Lucia", middle_name="Paul", last_name="Martin")
    ocr = check_name(doc(source="ocr", confidence=0.82, first_name="Luda", last_name="Martin"), ctx)
    assert ocr is not None and ocr.status == "pass"
    exact = check_name(doc(first_name="Luda", last_name="Martin"), ctx)
    assert exact is not None and exact.flag == FlagCode.NAME_MISMATCH
    other = check_name(
        doc(source="ocr", confidence=0.82, first_name="Lena", last_name="Martin"), ctx
    )
    assert other is not None and other.flag == FlagCode.NAME_MISMATCH


def test_a_person_going_by_the_middle_name_is_no_mismatch() -> None:
    """'Lee MacDonald' for Rebecca Lee MacDonald; its initial alone, or another name, is not."""
    profile = person_name("Rebecca", "Lee", "MacDonald")
    by_middle = compare_names(person_name("Lee", None, "MacDonald"), profile, tolerant=False)
    assert by_middle.similarity >= 0.85 and "middle name" in by_middle.reason
    initial = compare_names(person_name("L", None, "MacDonald"), profile, tolerant=False)
    other = compare_names(person_name("Lena", None, "MacDonald"), profile, tolerant=False)
    assert initial.similarity < 0.7 and other.similarity < 0.7
    one_letter = person_name("Siobhan", "K", "Castillo")  # a middle initial is no name to go by
    assert (
        compare_names(person_name("K", None, "Castillo"), one_letter, tolerant=True).similarity
        < 0.7
    )


def test_a_read_document_without_a_name_warns_the_reviewer() -> None:
    """A passport card read without its name (its labels lost to OCR, CT-O4205-0079) was
    silently skipped by the name check: it now says the name is unconfirmed, without a flag.
    A document with no text at all (its own flag says why) is still skipped."""
    card = replace(
        doc("identity", DocumentType.PASSPORT_CARD, "ocr", 0.9, date_of_birth="1941-10-18"),
        text=(text_page(["UNITED STATES OF AMERICA PASSPORT CARD", "USA C39282890"]),),
    )
    result = check_name(card, context())
    assert result is not None and result.status == "warn" and result.flag is None
    assert "no name could be read on the passport card" in (result.detail or "")
    blank = replace(card, text=())
    result = check_name(blank, context())
    assert result is not None and result.status == "skipped"


def test_a_nickname_with_a_glyph_misread_by_ocr_is_still_the_nickname() -> None:
    """MA-S10059-0018: a statement's "Debbie" read "Debble" (i as l) beside the profile's
    Deborah was NAME_MISMATCH. Read by OCR it is the nickname; from a text layer it is
    not, and a name that is no nickname of the profile's stays another person's."""
    ctx = context(first_name="DEBORAH", middle_name="L", last_name="MUNOZ")

    def checked(first: str, source: str) -> object:
        read = doc(source=source, confidence=0.81, first_name=first, last_name="Muñoz")
        result = check_name(read, ctx)
        assert result is not None
        return result.flag

    assert checked("Debble", "ocr") is None
    assert checked("Debble", "pdf_text") == FlagCode.NAME_MISMATCH
    assert checked("Dehlia", "ocr") == FlagCode.NAME_MISMATCH


def test_a_middle_initial_glued_to_the_first_name_by_ocr_is_still_the_name() -> None:
    """CT-S10063-0146: a statement's "DE LA CRUZ, TOM M" read "TOMM" (the space lost)
    beside the profile's Thomas Mae was NAME_MISMATCH. Read by OCR, a first name (or its
    nickname) with the profile's middle initial glued on is the name; from a text layer,
    or with another initial, or with another first name before it, it is not."""
    ctx = context(first_name="THOMAS", middle_name="MAE", last_name="DE LA CRUZ")

    def checked(first: str, source: str = "ocr") -> object:
        read = doc(source=source, confidence=0.83, first_name=first, last_name="DE LA CRUZ")
        result = check_name(read, ctx)
        assert result is not None
        return result.flag

    assert checked("TOMM") is None
    assert checked("THOMASM") is None
    assert checked("TOMM", "pdf_text") == FlagCode.NAME_MISMATCH
    assert checked("TOMJ") == FlagCode.NAME_MISMATCH
    assert checked("TIMM") == FlagCode.NAME_MISMATCH
