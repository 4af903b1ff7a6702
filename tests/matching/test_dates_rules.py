"""DOB, expiry, declared expiry, recency windows, and the rule packs that set them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest

from models.flags import DocumentType, FlagCode
from models.internal import PageText, Word
from pipeline.context import Context
from pipeline.matching.checks import (
    check_date_of_birth,
    check_declared_expiry,
    check_expiry,
    check_recency,
)
from pipeline.rules import RulePackError, builtin_pack, builtin_pack_text, load_pack
from tests.matching.builders import SUBMITTED, application, context, doc, text_page

DOB = dt.date(1981, 3, 14)
ID = DocumentType.DRIVERS_LICENSE


def test_dob_exact_passes_and_other_date_flags() -> None:
    ok = check_date_of_birth(doc(role="identity", doc_type=ID, date_of_birth=DOB), context())
    assert ok is not None and ok.status == "pass"
    bad = check_date_of_birth(
        doc(role="identity", doc_type=ID, date_of_birth=dt.date(1982, 7, 2)), context()
    )
    assert bad is not None and bad.flag == FlagCode.DOB_MISMATCH
    assert "1982-07-02" in (bad.message or "") and "1981-03-14" in (bad.message or "")


def test_dob_from_a_word_ocr_could_not_resolve_is_left_to_the_reviewer() -> None:
    """'=§6°.1/08/1945' read at confidence 0 (MA-O4099-0058); an unsure but real read
    (0.64, as true mismatches were measured) of another date is still flagged."""
    other = dt.date(1981, 1, 14)
    garbage = doc(role="identity", doc_type=ID, source="ocr", confidence=0.0, date_of_birth=other)
    result = check_date_of_birth(garbage, context())
    assert result is not None and result.status == "warn" and result.flag is None
    assert "check it by eye" in (result.detail or "")
    unsure = doc(role="identity", doc_type=ID, source="ocr", confidence=0.64, date_of_birth=other)
    assert check_date_of_birth(unsure, context()).flag == FlagCode.DOB_MISMATCH  # type: ignore[union-attr]


def test_dob_one_confusable_digit_warns_only_when_ocr_is_unsure() -> None:
    slip = dt.date(1981, 3, 19)  # 14 -> 19: 4/9 confusion
    low = check_date_of_birth(
        doc(role="identity", doc_type=ID, source="ocr", confidence=0.5, date_of_birth=slip),
        context(),
    )
    assert low is not None and low.status == "warn" and low.flag is None
    sure = check_date_of_birth(
        doc(role="identity", doc_type=ID, source="barcode", date_of_birth=slip), context()
    )
    assert sure is not None and sure.flag == FlagCode.DOB_MISMATCH
    far = check_date_of_birth(
        doc(
            role="identity",
            doc_type=ID,
            source="ocr",
            confidence=0.5,
            date_of_birth=dt.date(1990, 1, 1),
        ),
        context(),
    )
    assert far is not None and far.flag == FlagCode.DOB_MISMATCH


def test_dob_taken_by_order_but_printed_surely_is_flagged() -> None:
    """'07/08/1948' read at 0.93, the field at 0.65 for being taken by its order (its label
    read '3008'), against a profile's 1946-07-08 (CT-S10007-0195): the digits were read."""
    slip = dt.date(1981, 3, 19)

    def card(word_confidence: float):
        d = doc(role="identity", doc_type=ID, source="ocr", confidence=0.65, date_of_birth=slip)
        words = (
            Word("3008", 0.85, (10, 20, 50, 40), 0, 0),
            Word("03/19/1981", word_confidence, (60, 20, 180, 40), 0, 0),
        )
        return replace(d, text=(PageText(0, words, "ocr", 1000, 600),))

    sure = check_date_of_birth(card(0.93), context())
    assert sure is not None and sure.flag == FlagCode.DOB_MISMATCH
    unsure = check_date_of_birth(card(0.6), context())
    assert unsure is not None and unsure.status == "warn" and unsure.flag is None


@pytest.mark.parametrize(
    ("expiry", "expired"),
    [
        (SUBMITTED, False),  # expires on the day itself: still valid that day
        (SUBMITTED - dt.timedelta(days=1), True),
        (SUBMITTED + dt.timedelta(days=1), False),
        (dt.date(2020, 1, 1), True),
    ],
)
def test_expiry_boundary(expiry: dt.date, expired: bool) -> None:
    result = check_expiry(doc(role="identity", doc_type=ID, expiry_date=expiry), context())
    assert result is not None
    assert (result.flag == FlagCode.DOCUMENT_EXPIRED) is expired


def test_an_expiry_read_before_the_issue_date_is_a_misread() -> None:
    """'02/18/20' read for 02/18/2029 on a card issued 01/30/2021 (MA-O4105-0018)."""
    issued, expiry = dt.date(2021, 1, 30), dt.date(2020, 2, 18)
    card = doc(role="identity", doc_type=ID, source="ocr", confidence=0.96,
               issue_date=issued, expiry_date=expiry)  # fmt: skip
    result = check_expiry(card, context())
    assert result is not None and result.status == "warn" and result.flag is None
    later = doc(role="identity", doc_type=ID, source="ocr", confidence=0.96,
                issue_date=dt.date(2016, 1, 30), expiry_date=expiry)  # fmt: skip
    assert check_expiry(later, context()).flag == FlagCode.DOCUMENT_EXPIRED  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("issued", "expired"),
    [
        (dt.date(2020, 4, 23), False),  # 3 weeks of validity: '2020' read for 2030
        (dt.date(2019, 6, 1), False),  # 50 weeks
        (dt.date(2019, 5, 14), True),  # a year: a real (short) validity
        (dt.date(2012, 5, 14), True),
    ],
)
def test_an_expiry_read_weeks_after_the_issue_date_is_a_misread(
    issued: dt.date, expired: bool
) -> None:
    """Expiry 2030-05-14 read '2020-05-14' beside its issue date 2020-04-23 (CT-O4239-0029)."""
    card = doc(role="identity", doc_type=ID, source="ocr", confidence=0.96,
               issue_date=issued, expiry_date=dt.date(2020, 5, 14))  # fmt: skip
    result = check_expiry(card, context())
    assert result is not None and (result.flag == FlagCode.DOCUMENT_EXPIRED) is expired
    assert expired or result.status == "warn"


def test_declared_expiry_used_when_none_read() -> None:
    licence = replace(
        doc(role="identity", doc_type=ID, first_name="Maria"),
        declared_expiry_date=dt.date(2025, 1, 1),
    )
    result = check_expiry(licence, context("MA"))
    assert result is not None and result.flag == FlagCode.DOCUMENT_EXPIRED
    assert result.evidence and result.evidence["source"] == "declared"
    declared = check_declared_expiry(licence, context("MA"))
    assert declared is not None and declared.status == "pass"


def test_declared_expiry_differing_from_read_warns() -> None:
    licence = replace(
        doc(role="identity", doc_type=ID, expiry_date=dt.date(2029, 3, 14)),
        declared_expiry_date=dt.date(2028, 3, 14),
    )
    result = check_declared_expiry(licence, context("MA"))
    assert result is not None and result.status == "warn" and result.flag is None
    assert check_expiry(licence, context("MA")).status == "pass"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("program", "days", "too_old"),
    [("CT", 90, False), ("CT", 91, True), ("MA", 60, False), ("MA", 61, True), ("MA", 0, False)],
)
def test_recency_boundary_per_program(program: str, days: int, too_old: bool) -> None:
    bill = doc(document_date=SUBMITTED - dt.timedelta(days=days))
    result = check_recency(bill, context(program))
    assert result is not None
    assert (result.flag == FlagCode.DOCUMENT_TOO_OLD) is too_old
    if too_old:
        assert f"within {60 if program == 'MA' else 90} days" in (result.applicant_message or "")
        assert result.evidence and result.evidence["age_days"] == days


def test_recency_depends_on_document_type() -> None:
    old = SUBMITTED - dt.timedelta(days=150)
    lease = doc(doc_type=DocumentType.LEASE, document_date=old)
    bill = doc(doc_type=DocumentType.UTILITY_BILL, document_date=old)
    assert check_recency(lease, context("MA")).flag is None  # type: ignore[union-attr]
    assert check_recency(bill, context("MA")).flag == FlagCode.DOCUMENT_TOO_OLD  # type: ignore[union-attr]


def test_tax_bill_current_year() -> None:
    this_year = doc(doc_type=DocumentType.TAX_BILL, document_date=dt.date(SUBMITTED.year, 1, 1))
    last_year = doc(
        doc_type=DocumentType.TAX_BILL, document_date=dt.date(SUBMITTED.year - 1, 12, 31)
    )
    assert check_recency(this_year, context("MA")).flag is None  # type: ignore[union-attr]
    assert check_recency(last_year, context("MA")).flag == FlagCode.DOCUMENT_TOO_OLD  # type: ignore[union-attr]


def test_future_dated_document_warns() -> None:
    bill = doc(document_date=SUBMITTED + dt.timedelta(days=10))
    result = check_recency(bill, context())
    assert result is not None and result.status == "warn" and result.flag is None


def test_changing_the_window_in_the_pack_changes_the_verdict() -> None:
    bill = doc(document_date=SUBMITTED - dt.timedelta(days=75))
    assert check_recency(bill, context("MA")).flag == FlagCode.DOCUMENT_TOO_OLD  # type: ignore[union-attr]
    text = builtin_pack_text("MA")
    widened = re.sub(r"(\[recency\.utility_bill\]\nmax_age_days = )60", r"\g<1>90", text, count=1)
    assert widened != text
    ctx = Context(application=application("MA"), rules=load_pack(widened))
    assert check_recency(bill, ctx).flag is None  # type: ignore[union-attr]


def test_shipped_packs_load_and_cite_sources() -> None:
    for program in ("CT", "MA"):
        pack = builtin_pack(program)
        assert pack.residency_types and pack.identity_types
        assert set(pack.recency) == set(pack.residency_types)
        assert all(rule.rule.source for rule in pack.recency.values())
        assert pack.zip_prefixes


@pytest.mark.parametrize(
    ("edit", "says"),
    [
        (lambda t: t.replace('"utility_bill", ', '"utility_bil", ', 1), "utility_bil"),
        (lambda t: t.replace("max_age_days = 60", "max_age_days = -5", 1), "max_age_days"),
        (lambda t: t.replace("[recency.lease]", "[recency.leases]"), "leases"),
        (lambda t: t + "\n[recencey.lease]\nmax_age_days = 3\nsource = 'x'\n", "recencey"),
        (lambda t: t.replace('"drivers_license", ', '"utility_bill", ', 1), "identity"),
        (lambda t: t.replace('zip_prefixes = ["010-027", "055"]', 'zip_prefixes = ["1"]'), "zip"),
        (lambda t: t.replace("[pack]", "[pack]\ncolour = 'red'"), "colour"),
        (lambda t: t + "\n[[", "TOML"),
    ],
)
def test_malformed_packs_are_refused_clearly(edit, says: str) -> None:
    with pytest.raises(RulePackError) as info:
        load_pack(edit(builtin_pack_text("MA")))
    assert says in str(info.value)


def test_window_without_source_is_refused() -> None:
    text = builtin_pack_text("CT").replace(
        'source = "CCC guidance: tax bill of the current year"', ""
    )
    text = re.sub(r'(\[recency\.tax_bill\]\ncurrent_year = true\n)source = "[^"]*"\n', r"\1", text)
    with pytest.raises(RulePackError, match="source"):
        load_pack(text)


def test_bill_uploaded_as_identity_is_not_judged_for_expiry() -> None:
    bill = doc(role="identity", doc_type=DocumentType.UTILITY_BILL, expiry_date=dt.date(2020, 1, 1))
    assert check_expiry(bill, context()) is None


@pytest.mark.parametrize(
    ("confidence", "printed", "flagged"),
    [
        (0.73, "Service from Oct 2, 2026 to Nov 1, 2026", False),  # unsure, contradicted
        (0.93, "Service from Oct 2, 2026 to Nov 1, 2026", True),  # read surely: it stands
        (0.53, "Service from Jun 16, 2026 to Jul 16, 2026", True),  # later, but old too
        (0.53, "Service from Jun 16, 2026 to Jul 16, 2026 Due Nov 30, 2026", False),
    ],
)
def test_an_unsure_old_date_beside_recent_ones_is_not_conclusive(
    confidence: float, printed: str, flagged: bool
) -> None:
    """MA-O4249-0088: '06.09.2026' read '69.66.2626' (0.73), repaired to 9 June, on a bill
    whose service period ended 1 September (0.96): a bill is not dated before what it
    reports. MA-O4239-0086 (0.53, every other date old as well) is still too old."""
    bill = doc(source="ocr", confidence=confidence, document_date=dt.date(2026, 8, 20))
    bill = replace(bill, text=(text_page(["Bill Date 08/20/2026", printed], 0.96),))
    result = check_recency(bill, context("MA"))
    assert result is not None and (result.flag == FlagCode.DOCUMENT_TOO_OLD) is flagged
    assert flagged or (result.status == "warn" and "not conclusive" in (result.detail or ""))


@pytest.mark.parametrize(
    ("lines", "confidence", "flagged"),
    [
        # submitted 2026-11-20, CT: within 90 days. The bill's own date unread ("Dee 22")
        (["Service from Nov 20, 2025 to Dec 20, 2025", "Due by January 12, 2026"], 0.96, True),
        (["Payment Received Dec 11, 2025"], 0.96, False),  # one date alone: a misread year?
        (["Service from Nov 20, 2025 to Dec 20, 2025", "Due by January 12, 2026"], 0.6, False),
        (["Service from Jul 20, 2026 to Aug 20, 2026", "Due by September 12, 2026"], 0.96, False),
        (["Service from Nov 20, 2025 to Dec 20, 2025", "Due by October 12, 2026"], 0.96, False),
    ],
)
def test_an_undated_bill_whose_every_date_is_old_is_too_old(
    lines: list[str], confidence: float, flagged: bool
) -> None:
    """CT-O4261-0080: the statement date read "Dee 22, 2025"; the service period, payment
    and due date printed on the bill were all 251 days old or more. A document is not dated
    after everything it prints, so it is too old whatever its date. A date recent enough,
    one date alone or dates read unsurely leave it to the reviewer."""
    bill = replace(doc(source="ocr"), text=(text_page(["Statement Date", *lines], confidence),))
    result = check_recency(bill, context("CT"))
    assert result is not None and (result.flag == FlagCode.DOCUMENT_TOO_OLD) is flagged
    if flagged:
        assert "every date it prints" in (result.message or "")
        assert result.applicant_message and "2026" in result.applicant_message
    else:
        assert result.status == "warn" and "no date could be read" in (result.detail or "")
