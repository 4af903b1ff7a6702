"""Addressee lines without a reliable order, joint holders, undated residency proofs and
expiry dates whose low field confidence comes from their assignment, not their digits."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from models.flags import DocumentType, FlagCode
from models.internal import DocumentState, PageText, Word
from pipeline.matching.checks import check_expiry, check_name, check_recency
from pipeline.matching.names import compare_unordered, holders, person_name
from tests.matching.builders import context, doc

# Profile: Maria Louise Gonzalez-Rivera, born 1981-03-14; submitted 2026-11-20.


def _bill(source: str = "ocr", **names: str) -> DocumentState:
    return doc(source=source, confidence=0.9, **names)


def _status(d: DocumentState) -> tuple[str, FlagCode | None]:
    result = check_name(d, context())
    assert result is not None
    return result.status, result.flag


# --------------------------------------------------------------------------- word order


def test_surname_first_addressee_without_comma_matches() -> None:
    d = _bill(first_name="GONZALEZ-RIVERA", middle_name="MARIA", last_name="L")
    assert _status(d) == ("pass", None)


def test_surname_first_addressee_from_a_pdf_text_layer_matches() -> None:
    d = _bill(source="pdf_text", first_name="GONZALEZ RIVERA", last_name="MARIA")
    assert _status(d) == ("pass", None)


def test_surname_first_with_another_first_name_is_flagged() -> None:
    d = _bill(first_name="GONZALEZ-RIVERA", middle_name="JENNIFER", last_name="L")
    assert _status(d) == ("fail", FlagCode.NAME_MISMATCH)


def test_household_member_in_either_order_is_flagged() -> None:
    for names in ({"first_name": "PEDRO", "last_name": "GONZALEZ-RIVERA"},
                  {"first_name": "GONZALEZ-RIVERA", "last_name": "PEDRO"}):  # fmt: skip
        assert _status(_bill(**names)) == ("fail", FlagCode.NAME_MISMATCH)


def test_labelled_identity_fields_are_not_reordered() -> None:
    d = doc(role="identity", doc_type=DocumentType.DRIVERS_LICENSE, source="ocr",
            confidence=0.9, first_name="GONZALEZ-RIVERA", middle_name="MARIA",
            last_name="L")  # fmt: skip
    assert _status(d)[1] == FlagCode.NAME_MISMATCH


def test_compare_unordered_needs_both_names() -> None:
    profile = person_name("Siobhan", "K", "Castillo")
    assert compare_unordered(["CASTILLO", "SIOBHAN", "K"], profile, tolerant=True).similarity == 1
    assert compare_unordered(["CASTILLO", "MARIA", "K"], profile, tolerant=True).similarity < 0.6
    assert compare_unordered(["JOHN", "CASTILLO"], profile, tolerant=True).similarity < 0.6


# --------------------------------------------------------------------------- joint holders


def test_holders_split_on_or_and_ampersand() -> None:
    assert holders("JOHN SMITH OR MARY SMITH") == [["JOHN", "SMITH"], ["MARY", "SMITH"]]
    assert ["SMITH", "MARY"] in holders("SMITH JOHN & MARY")
    assert holders("MARIA GONZALEZ-RIVERA") == [["MARIA", "GONZALEZ", "RIVERA"]]


def test_applicant_named_as_second_joint_holder_matches() -> None:
    d = _bill(first_name="JOHN", middle_name="SMITH OR MARIA", last_name="GONZALEZ-RIVERA")
    assert _status(d) == ("pass", None)


def test_applicant_sharing_a_surname_first_joint_line_matches() -> None:
    d = _bill(first_name="GONZALEZ-RIVERA", middle_name="PEDRO &", last_name="MARIA")
    assert _status(d) == ("pass", None)


def test_joint_holders_neither_of_whom_is_the_applicant_are_flagged() -> None:
    d = _bill(first_name="GONZALEZ-RIVERA", middle_name="PEDRO &", last_name="JENNIFER")
    assert _status(d) == ("fail", FlagCode.NAME_MISMATCH)
    d = _bill(first_name="JOHN", middle_name="SMITH OR MARY", last_name="SMITH")
    assert _status(d) == ("fail", FlagCode.NAME_MISMATCH)


# --------------------------------------------------------------------------- printed name


def _page(*lines: list[tuple[str, float]]) -> tuple[PageText, ...]:
    words = tuple(
        Word(text, conf, (100 * i, 30 * n, 100 * i + 90, 30 * n + 20), 0, n)
        for n, line in enumerate(lines)
        for i, (text, conf) in enumerate(line)
    )
    return (PageText(0, words, "ocr", 1000, 1000),)


def test_compound_surname_with_a_misread_particle_printed_beside_the_first_name_warns() -> None:
    ctx = context(first_name="William", middle_name="Anne", last_name="Ó Súilleabháin")
    line = [("6", 0.6), ("SUILLEABHAIN", 0.9), ("WILLIAM", 0.9), ("A", 0.9)]
    d = replace(_bill(first_name="Osun", last_name="holder"), text=_page(line))
    result = check_name(d, ctx)
    assert result is not None and result.status == "warn" and result.flag is None


def test_another_first_name_beside_a_compound_surname_part_is_flagged() -> None:
    ctx = context(first_name="William", middle_name="Anne", last_name="Ó Súilleabháin")
    line = [("6", 0.6), ("SUILLEABHAIN", 0.9), ("PATRICK", 0.9), ("A", 0.9)]
    d = replace(_bill(first_name="Osun", last_name="holder"), text=_page(line))
    assert check_name(d, ctx).flag == FlagCode.NAME_MISMATCH  # type: ignore[union-attr]


# --------------------------------------------------------------------------- undated proofs


def test_a_residency_proof_without_a_readable_date_warns_without_a_flag() -> None:
    result = check_recency(_bill(first_name="MARIA"), context())
    assert result is not None and result.status == "warn" and result.flag is None
    assert "no date could be read" in (result.detail or "")


def test_a_dated_residency_proof_still_passes() -> None:
    result = check_recency(doc(document_date=dt.date(2026, 11, 1)), context())
    assert result is not None and result.status == "pass"


# --------------------------------------------------------------------------- expiry


def _card(expiry_conf: float, *dates: tuple[str, float]) -> DocumentState:
    d = doc(role="identity", doc_type=DocumentType.DRIVERS_LICENSE, source="ocr",
            confidence=0.48, expiry_date=dt.date(2025, 3, 14))  # fmt: skip
    lines = [[("DOB", 0.9), ("03/14/1981", 0.9)], [("4vexP", 0.4), ("03/14/2025", expiry_conf)]]
    lines += [[("4alss", 0.4), (text, conf)] for text, conf in dates]
    return replace(d, text=_page(*lines))


def test_an_unlabelled_expiry_read_clearly_after_the_issue_date_is_expired() -> None:
    result = check_expiry(_card(0.85, ("03/01/2019", 0.85)), context())
    assert result is not None and result.flag == FlagCode.DOCUMENT_EXPIRED


def test_an_unlabelled_expiry_with_unsure_digits_only_warns() -> None:
    result = check_expiry(_card(0.5, ("03/01/2019", 0.85)), context())
    assert result is not None and result.status == "warn" and result.flag is None


def test_a_lone_unlabelled_date_may_be_the_issue_date_and_only_warns() -> None:
    result = check_expiry(_card(0.85), context())
    assert result is not None and result.status == "warn" and result.flag is None


def test_a_later_date_on_the_card_makes_the_expiry_read_doubtful() -> None:
    result = check_expiry(_card(0.85, ("03/01/2019", 0.85), ("03/14/2029", 0.85)), context())
    assert result is not None and result.status == "warn" and result.flag is None


# --------------------------------------------------------------------------- degraded reads


def test_a_name_read_wholly_with_low_confidence_warns() -> None:
    base = _bill(first_name="x").fields["first_name"]
    d = replace(_bill(first_name="x"), fields={
        "first_name": replace(base, value="KORIN", confidence=0.41),
        "last_name": replace(base, value="BANERS", confidence=0.52),
    })  # fmt: skip
    result = check_name(d, context())
    assert result is not None and result.status == "warn" and result.flag is None
    assert "every part" in (result.detail or "")


def test_another_name_with_one_part_read_confidently_is_flagged() -> None:
    base = _bill(first_name="x").fields["first_name"]
    d = replace(_bill(first_name="x"), fields={
        "first_name": replace(base, value="KORIN", confidence=0.41),
        "last_name": replace(base, value="BANERJEE", confidence=0.86),
    })  # fmt: skip
    assert check_name(d, context()).flag == FlagCode.NAME_MISMATCH  # type: ignore[union-attr]
