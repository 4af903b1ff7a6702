"""The document date of residency proofs laid out unlike our templates: numeric dates in
the order the document itself shows, OCR slips in a date's separators and day, a statement
period whose "to" was misread, and a date years away from everything else the document
prints (a misread year, a cut-off two-digit year) not taken for the document's date."""

from __future__ import annotations

import datetime as dt

import pytest

from models.flags import DocumentType
from pipeline.reading import extract
from pipeline.reading.dates import find_in_text, numeric_orders
from tests.reading.synth import line_segments, line_words

REF = dt.date(2026, 11, 10)


_line = line_words
_segs = line_segments


def _bill(bill_line: str, due_line: str, period_line: str) -> list:
    return _segs(
        _line("Quinebaug Power & Light", 100, 60),
        _line(bill_line, 900, 120),
        _line("Amount Due $203.06", 900, 170),
        _line(due_line, 900, 220),
        _line("THERESA O'BRIEN", 100, 300),
        _line("807 LINCOLN LN", 100, 330),
        _line("BROCKTON MA 02301", 100, 360),
        _line(period_line, 100, 460),
    )


def test_dotted_dates_follow_the_documents_own_order() -> None:
    """A US bill writing "11.23.2026" writes its bill date "11.02.2026" month first too."""
    segs = _bill(
        "Bill Date 11.02.2026",
        "Payment Due 11.23.2026",
        "Service from Sep 27, 2026 to Oct 30, 2026",
    )
    found = extract.document_date(segs, REF)
    assert found is not None and found.value == dt.date(2026, 11, 2)


def test_dotted_dates_stay_day_first_when_the_document_shows_it() -> None:
    segs = _bill("Bill Date 04.06.2026", "Payment Due 25.06.2026", "Usage 310 kWh")
    found = extract.document_date(segs, REF)
    assert found is not None and found.value == dt.date(2026, 6, 4)
    # nothing unambiguous: dots keep their day-first reading
    segs = _bill("Bill Date 04.06.2026", "Payment Due on receipt", "Usage 310 kWh")
    found = extract.document_date(segs, REF)
    assert found is not None and found.value == dt.date(2026, 6, 4)


def test_numeric_orders_need_agreement() -> None:
    assert numeric_orders(["Due 06.25.2026", "Paid 07.14.2026"]) == {".": False}
    assert numeric_orders(["Due 25/06/2026", "Read 06/25/2026"]) == {}
    assert numeric_orders(["Due 25-06-2026", "Read 06/25/2026"]) == {"-": True, "/": False}
    assert numeric_orders(["Account 4471-2209", "Phone 860.555.1212"]) == {}
    # a month misread past any day ("69/03/2026" for 09/03) says nothing (CT-S10029-0099:
    # the statement date 10/02/2026 was read as 10 February)
    assert numeric_orders(["Period 69/03/2026 to 10/02/2026"]) == {}


def test_a_day_first_date_that_a_misread_zero_explains_gives_way() -> None:
    """MA-O4169-0024: the invoice date 10/05/2026 read "16/05/2026" (16 May: too old) on a
    bill whose other dates are month first: 16 may be a 10 with its 0 misread, 23 and 31
    can be no month."""
    texts = ["Invoice Date 16/05/2026", "Payment Due 10/23/2026", "Period 08/31/2026"]
    orders = numeric_orders(texts)
    assert orders == {"/": False}
    assert [h.date for h in find_in_text(texts[0], REF, orders=orders)] == [dt.date(2026, 10, 5)]
    assert numeric_orders(["Date 25/05/2026", "Due 10/23/2026"]) == {}  # no slip: they disagree
    assert numeric_orders(["Date 16/05/2026", "Due 17/05/2026"]) == {"/": True}


def test_year_less_transaction_dates_settle_what_a_slip_alone_would() -> None:
    """MA-S10086-0191: a statement dated 10/07/2026 (October 7) read its period's end
    "16/07/2026", a 10 with its 0 misread; that vote alone made the statement July 10, too
    old. Its transaction table's "09/14" and "09/27" can only be month first."""
    texts = ["Statement Date 10/07/2026", "Period 09/06/2026 to 16/07/2026", "09/14", "09/27"]
    orders = numeric_orders(texts)
    assert orders == {"/": False}
    assert [h.date for h in find_in_text(texts[0], REF, orders=orders)] == [dt.date(2026, 10, 7)]
    # one year-less date alone, or one that disagrees ("24/7"), says nothing
    assert numeric_orders([*texts[:2], "09/14"]) == {"/": True}
    assert numeric_orders([*texts, "Open 24/7"]) == {"/": True}
    # a dated date that can be read one way only still decides
    assert numeric_orders(["Date 25/05/2026", "09/14", "09/27"]) == {"/": True}
    # nor are amounts, years or pieces of dates year-less dates
    assert numeric_orders([*texts[:2], "$1.25/14", "2026/09/14", "Ref 09/145"]) == {"/": True}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0S-FEB-2026", dt.date(2026, 2, 5)),  # a 5 read as S
        ("1S MAR 2026", dt.date(2026, 3, 15)),
        ("Feb 0S, 2026", dt.date(2026, 2, 5)),
        ("Apr 2.2026", dt.date(2026, 4, 2)),  # the comma read as a dot
        ("Sep 12026", dt.date(2026, 9, 1)),  # the space lost: one-digit day, then the year
        ("Sep 122026", dt.date(2026, 9, 12)),
        ("11-APR- 2026", dt.date(2026, 4, 11)),  # the year a word of its own (MA-O4171-0030)
    ],
)
def test_ocr_slips_in_month_name_dates(text: str, expected: dt.date) -> None:
    assert [h.date for h in find_in_text(text, REF, "past")] == [expected]


@pytest.mark.parametrize("text", ["IS MAR 2026", "March 2025", "Sep 2019", "Jan 5.25 kWh"])
def test_no_dates_made_from_words_or_amounts(text: str) -> None:
    assert find_in_text(text, REF, "past") == []


def test_bill_date_with_an_ocr_noisy_day() -> None:
    segs = _bill("Bill Date 0S-FEB-2026", "Payment Due 05-MAR-2026", "Usage 310 kWh")
    found = extract.document_date(segs, REF)
    assert found is not None and found.value == dt.date(2026, 2, 5)


def test_statement_period_with_a_misread_to() -> None:
    segs = _segs(
        _line("Nutmeg Federal Credit Union", 100, 60),
        _line("For the period 07/02/2026 te 08/01/2026", 900, 60),
        _line("Beginning Balance on Jul 2 7,585.20", 100, 300),
    )
    fields = extract.extract_residency(segs, REF, DocumentType.BANK_STATEMENT)
    assert fields["document_date"].value == dt.date(2026, 8, 1)


def test_a_date_years_from_every_other_date_is_no_document_date() -> None:
    """'2026' read as '2021' in a lease whose term and signatures are all 2026: absent,
    not a five-year-old lease."""
    segs = _segs(
        _line("APARTMENT LEASE", 600, 40),
        _line("This Lease is made and entered into on the 10th day of April, 2021", 100, 100),
        _line(
            "2. TERM. The term shall commence on April 29, 2026 and end on April 28, 2027", 100, 200
        ),
        _line("LANDLORD: Elmwood Apartments Date 04/12/2026", 100, 400),
    )
    found = extract.document_date(segs, REF)
    assert found is None or found.value.year == 2026


def _dated(*texts: str) -> dt.date | None:
    """The document date of a page of `texts`, one line each, 40 px apart."""
    found = extract.document_date(
        _segs(*(_line(t, 100, 100 + 40 * i) for i, t in enumerate(texts))), REF
    )
    return found.value if found is not None else None


def test_a_year_cut_to_its_century_is_completed_from_the_bills_dates() -> None:
    """'Billing Date: 07/15/2026' read as '07/15/20' on a bill whose period and due date are
    2026: the bill is dated 07/15/2026, not 2020 and not undated."""
    bill = _dated(
        "YOUR GAS BILL - Billing Date: 07/15/20",
        "Service Period 06/05/2026 07/13/2026",
        "Due Date 08/02/2026",
    )
    assert bill == dt.date(2026, 7, 15)


def test_a_cut_year_on_an_old_bill_dates_it_old() -> None:
    """MA-S10053-0053: 'Bill Date: 09/22/2025' in a banner read '09/22/20'; its period and
    due date are 2025, so it is a bill of September 2025 (too old), not an undated one. The
    year nearest the other dates is taken: a December bill due in January keeps its year."""
    bill = _dated(
        "YOUR WATER BILL Bill Date: 09/22/20",
        "Service Period 08/17/2025 - 09/20/2025",
        "Payment Due 10/14/2025",
    )
    assert bill == dt.date(2025, 9, 22)
    bill = _dated(
        "Bill Date: 12/28/20", "Payment Due 01/20/2026", "Service Period 11/25/2025 - 12/26/2025"
    )
    assert bill == dt.date(2025, 12, 28)


def test_a_two_digit_year_of_its_own_era_is_not_completed() -> None:
    """A page of 2020 dates writing one '20' year short keeps it: it is no cut-off year;
    and a page with no four-digit year has nothing to complete a year from."""
    assert _dated("Bill Date: 09/22/20", "Service Period 08/17/2020 - 09/20/2020") == dt.date(
        2020, 9, 22
    )
    assert _dated("Bill Date: 09/22/20", "Due 10/14/20") == dt.date(2020, 9, 22)


def test_an_old_bill_stays_old() -> None:
    """Every date of a genuinely old bill agrees: its date is read, and it is old."""
    segs = _bill(
        "Bill Date 03/24/2024",
        "Payment Due 04/16/2024",
        "Billing period 02/18/2024 through 03/20/2024",
    )
    found = extract.document_date(segs, REF)
    assert found is not None and found.value == dt.date(2024, 3, 24)


def test_statement_period_with_a_lost_slash() -> None:
    """'11/08/2025 to 12/08/2025' read as '1108/2025 to 1208/2025': an old statement, read."""
    segs = _segs(
        _line("First Patriot Bank, N.A.", 100, 60),
        _line("For the period 1108/2025 to 1208/2025", 900, 60),
        _line("Ending Balance on Dec 8 6,178.50", 100, 300),
    )
    fields = extract.extract_residency(segs, REF, DocumentType.BANK_STATEMENT)
    assert fields["document_date"].value == dt.date(2025, 12, 8)
    assert find_in_text("Tax year 2025/2026", REF) == []
    assert find_in_text("Acct 4471/2009", REF) == []


def test_a_letter_with_only_far_dates_besides_keeps_its_date() -> None:
    """A birth date and a case opened years ago agree with nothing: the letter's date stands."""
    segs = _segs(
        _line("Date: March 3, 2026", 100, 60),
        _line("Date of birth: 01/02/1970", 100, 200),
        _line("Your case was opened on 05/01/2019.", 100, 240),
    )
    found = extract.document_date(segs, REF)
    assert found is not None and found.value == dt.date(2026, 3, 3)


def test_a_hyphen_read_as_a_tilde_in_a_month_name_date() -> None:
    """MA-O4283-0025: a phone-photographed bill's "Statement Date 24-MAR-2026" read
    "24-MAR~2026": no date of its own, and a bill 113 days old passed with a warning."""
    assert [h.date for h in find_in_text("Statement Date 24-MAR~2026", REF)] == [
        dt.date(2026, 3, 24)
    ]
    assert [h.date for h in find_in_text("24~MAR-2026", REF)] == [dt.date(2026, 3, 24)]
    assert find_in_text("24~MAR~2026", REF) == []  # no hyphen to say what the tildes are
    assert find_in_text("Rate 24~MAR", REF) == []
