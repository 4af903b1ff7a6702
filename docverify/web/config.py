"""Settings of the reviewer app that are policy, not deployment: lock-out, sessions, queue.

Passed to `create_app`; tests build their own. Never read from the environment here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WebConfig:
    """Reviewer-app policy."""

    max_failed_logins: int = 5
    """Failed sign-ins in a row that lock an account."""
    lockout_minutes: int = 15
    session_hours: int = 10
    """A session lasts one working day."""
    qc_sample_percent: int = 5
    """Share of `pass` verdicts sent to a human for quality control (deterministic per id)."""
    age_floor_business_days: int = 10
    """After this many business days an application reaches the top urgency whatever its score."""
    process_inline: bool = True
    """Process submitted bundles in a background thread of the app (the embedded default)."""
    page_cache_size: int = 64
    """Rendered page images kept in memory."""
