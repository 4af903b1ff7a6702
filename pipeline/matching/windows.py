"""Date helpers for the date checks: recency windows, OCR-confusable date reads, wording.

Pure functions of dates; the reference date is always the application's `submitted_on`.
"""

from __future__ import annotations

import datetime as dt

from models.rules import RecencyRule

_CONFUSABLE = {frozenset(p) for p in ("08", "38", "56", "68", "06", "09", "17", "49")}


def digits(date: dt.date) -> str:
    """The date as US-printed digits, MMDDYYYY."""
    return date.strftime("%m%d%Y")


def ocr_confusable(a: dt.date, b: dt.date) -> bool:
    """True when `a` and `b` differ by one digit that OCR often misreads for the other
    (3/8, 1/7, 5/6...). A day/month swap is a typo, not an OCR slip: not confusable."""
    if a == b:
        return False
    da, db = digits(a), digits(b)
    diff = [(x, y) for x, y in zip(da, db, strict=True) if x != y]
    return len(diff) == 1 and frozenset(diff[0]) in _CONFUSABLE


def digits_confusable(a: str, b: str) -> bool:
    """True when OCR often reads digit `a` for `b` (or the reverse)."""
    return frozenset((a, b)) in _CONFUSABLE


def age_days(document_date: dt.date, reference: dt.date) -> int:
    """Whole days from the document's date to the reference date (negative: future)."""
    return (reference - document_date).days


def too_old(document_date: dt.date, reference: dt.date, rule: RecencyRule) -> bool:
    """True when a document of this date is older than the rule allows.

    A document dated exactly `max_age_days` before the reference is still accepted.
    """
    if rule.current_year and document_date.year < reference.year:
        return True
    return rule.max_age_days is not None and age_days(document_date, reference) > rule.max_age_days


def window_words(rule: RecencyRule) -> str:
    """'within 60 days' or 'in the current calendar year', for messages."""
    if rule.current_year and rule.max_age_days is None:
        return "in the current calendar year"
    if rule.current_year:
        return f"in the current calendar year and within {rule.max_age_days} days"
    return f"within {rule.max_age_days} days"


def long_date(date: dt.date) -> str:
    """'14 March 2026'."""
    return f"{date.day} {date.strftime('%B %Y')}"
