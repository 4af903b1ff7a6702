"""A bill's date label with one character misread ("Bill Dare" for "Bill Date") still
dates the bill (MA-S9393-0179: an unread date hid a bill 296 days old); a word that merely
resembles "Date" away from the date, or a label with its first word unknown, does not."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from pipeline.reading import extract
from tests.reading.synth import line_segments, line_words

REF = dt.date(2026, 9, 10)


def _bill(bill_line: str) -> list:
    return line_segments(
        line_words("Massachusetts Light & Power", 100, 60),
        line_words("Katherine Ray Nowak", 100, 300),
        line_words("26 ELM ST APT 3A", 100, 330),
        line_words(f"NEW BEDFORD, MA 02740-2323 {bill_line}", 100, 360),
        line_words("Due Date Dec 11 2025", 100, 460),
    )


def test_a_misread_date_label_still_dates_the_bill() -> None:
    found = extract.document_date(_bill("Bill Dare Nov 18 2025"), REF)
    assert found is not None and found.value == dt.date(2025, 11, 18)


def test_a_lookalike_word_without_a_label_head_dates_nothing() -> None:
    assert extract.document_date(_bill("Oak Dare Nov 18 2025"), REF) is None
    assert extract.document_date(_bill("Bill Dome Nov 18 2025"), REF) is None


def test_a_label_with_its_last_letter_lost_still_dates_the_bill() -> None:
    """MA-S9831-0117: "Bill Dat 09-17-2026"."""
    found = extract.document_date(_bill("Bill Dat 09-17-2025"), REF)
    assert found is not None and found.value == dt.date(2025, 9, 17)


def _letter(stray_confidence: float) -> list:
    stray = [replace(w, confidence=stray_confidence) for w in line_words("NN", 100, 130)]
    return line_segments(
        line_words("CONNECTICUT DEPARTMENT OF MOTOR VEHICLES", 100, 60),
        line_words("PO Box 2501, Hartford, CT 06102", 100, 90),
        stray,
        line_words("23 OCT 2025", 100, 170),
        line_words("James Van Buren", 100, 240),
        line_words("1663 Spring Terrace", 100, 270),
        line_words("Norwich, CT 06360", 100, 300),
        line_words("Any response must be received by November 22, 2025.", 100, 400),
    )


def test_a_stray_mark_over_a_letters_date_is_no_label() -> None:
    """CT-S9831-0096: a logo read 'NN' (confidence 0.24) over the letter's bare date."""
    found = extract.document_date(_letter(0.24), REF)
    assert found is not None and found.value == dt.date(2025, 10, 23)


def test_a_word_read_with_confidence_over_a_date_stays_its_label() -> None:
    assert extract.document_date(_letter(0.95), REF) is None


def test_a_month_whose_last_letter_was_read_as_a_mark_is_a_month() -> None:
    """CT-S9831-0017: "made on Apri! 16, 2026" (the term's start was taken instead)."""
    segs = line_segments(
        line_words("RESIDENTIAL LEASE AGREEMENT", 100, 60),
        line_words("This Lease Agreement is made on Apri! 16, 2026 between Riverside", 100, 120),
        line_words("2. TERM. The term begins on May 8, 2026 and ends on May 7, 2027.", 100, 300),
    )
    found = extract.document_date(segs, REF)
    assert found is not None and found.value == dt.date(2026, 4, 16)


def test_a_period_label_glued_to_its_first_date_still_dates_a_statement() -> None:
    """MA-S9832-0188: "Statement Period05/24/2026 ta 06/23/2026", its own date unreadable."""
    segs = line_segments(
        line_words("First Commonwealth Bank", 100, 60),
        line_words("Statement Date June 23, 20626", 900, 120),
        line_words("Statement Period05/24/2026 ta 06/23/2026", 900, 150),
        line_words("CHRISTOPHER SMITH", 100, 300),
    )
    found = extract.document_date(segs, dt.date(2026, 7, 3), period_end=True)
    assert found is not None and found.value == dt.date(2026, 6, 23)


def test_a_space_read_before_a_dates_first_hyphen() -> None:
    """CT-O3831-0003: "Billing Date 06 -MAY-2026"."""
    found = extract.document_date(_bill("Billing Date 06 -MAY-2025"), REF)
    assert found is not None and found.value == dt.date(2025, 5, 6)


def test_a_dotted_date_follows_the_order_the_same_date_shows_with_a_month_name() -> None:
    """CT-O3299-0040: "Bill Date 09.07.2026" beside "Payment Due 10.04.2026" and "Total
    Amount Due by October 4, 2026": the bill writes month first (7 September, not 9 July,
    a false DOCUMENT_TOO_OLD)."""
    segs = line_segments(
        line_words("Tri-County Gas Company Bill Date 09.07.2026", 100, 60),
        line_words("Payment Due 10.04.2026", 100, 90),
        line_words("NICHOLAS NGUYEN", 100, 200),
        line_words("89 MILL RD STE 1C", 100, 230),
        line_words("WETHERSFIELD, CT 06109-7222", 100, 260),
        line_words("Total Amount Due by October 4, 2026: $136.13", 100, 400),
    )
    found = extract.document_date(segs, dt.date(2026, 10, 20))
    assert found is not None and found.value == dt.date(2026, 9, 7)


def test_date_misread_before_its_participle_still_dates_the_bill() -> None:
    """MA-S10021-0141: "bate Issued 14 FEB 2026" beside the city line: the bill 198 days
    old passed undated."""
    found = extract.document_date(_bill("bate Issued 14 FEB 2026"), REF)
    assert found is not None and found.value == dt.date(2026, 2, 14)
    assert extract.document_date(_bill("Fee Issued 14 FEB 2026"), REF) is None
