"""No personal data in logs: verify committed samples with every logger at DEBUG and
search everything logged (messages, arguments, tracebacks) and printed for the profile's
names, date of birth (several formats), street line and ZIP code.

The quick test runs three applications; the slow one runs the whole committed set.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import re
from pathlib import Path

import pytest

from tests.conftest import COMMITTED_SAMPLES
from tests.hostile import corpus
from workers.runtime import Runtime, verify_path


def _bundles() -> list[Path]:
    if not COMMITTED_SAMPLES.is_dir():
        return []
    return sorted(p for p in COMMITTED_SAMPLES.iterdir() if (p / "application.json").is_file())


def _needles(profile: dict) -> set[str]:
    dob = dt.date.fromisoformat(profile["date_of_birth"])
    values = {
        profile["first_name"],
        profile["last_name"],
        profile["address"]["line1"],
        profile["address"]["zip"],
        dob.isoformat(),
        f"{dob:%m/%d/%Y}",
        f"{dob:%m%d%Y}",
        f"{dob:%Y%m%d}",
        f"{dob:%d %b %Y}",
        f"{dob:%b %d, %Y}",
    }
    if profile.get("middle_name") and len(profile["middle_name"]) > 2:
        values.add(profile["middle_name"])
    return {v for v in values if v and len(v) >= 3}


def _logged_text(records: list[logging.LogRecord]) -> str:
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(
        formatter.format(r) + repr(r.args) + repr(getattr(r, "__dict__", {})) for r in records
    )


def _leak(needle: str, text: str) -> re.Match[str] | None:
    """Where `needle` is in `text`, not inside a longer number: a record's timestamp
    (created 1765000000.0604031) holds any five digits now and then, a ZIP code among them."""
    return re.search(rf"(?<!\d){re.escape(needle)}(?!\d)", text, re.IGNORECASE)


def _debug_everywhere(caplog: pytest.LogCaptureFixture) -> contextlib.ExitStack:
    """DEBUG on the root and on our own loggers, whatever earlier tests left behind
    (the evaluate command quiets `pipeline`, for one)."""
    stack = contextlib.ExitStack()
    for name in (None, "pipeline", "workers", "docverify", "models"):
        stack.enter_context(caplog.at_level(logging.DEBUG, logger=name))
    return stack


def _assert_no_pii(
    bundles: list[Path], caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture
) -> None:
    runtime = Runtime.from_environment()
    root = logging.getLogger()
    old = root.level
    root.setLevel(logging.DEBUG)
    try:
        with _debug_everywhere(caplog):
            for bundle in bundles:
                caplog.clear()
                verdict = verify_path(bundle, runtime)
                assert verdict.documents, bundle.name
                profile = json.loads((bundle / "application.json").read_text())["profile"]
                captured = capsys.readouterr()
                text = _logged_text(caplog.records) + captured.out + captured.err
                for needle in _needles(profile):
                    found = _leak(needle, text)
                    assert found is None, f"{bundle.name}: profile value found in the logs"
    finally:
        root.setLevel(old)


def test_no_personal_data_in_logs_quick(caplog, capsys, tmp_path):
    bundles = _bundles()[:3]
    if not bundles:  # no committed set yet: a bundle of our own with a readable bill
        bundles = [corpus.write_file_bundle(tmp_path / "b", corpus.FILE_CASES[-1])]
    _assert_no_pii(bundles, caplog, capsys)


@pytest.mark.slow
def test_no_personal_data_in_logs_committed_set(caplog, capsys):
    bundles = _bundles()
    if not bundles:
        pytest.skip("samples/committed is not there yet")
    _assert_no_pii(bundles, caplog, capsys)


def test_the_search_would_find_a_leak(caplog, capsys, tmp_path):
    """The check itself works: a record carrying the profile's name is caught."""
    bundle = corpus.write_file_bundle(tmp_path / "b", corpus.FILE_CASES[-1])
    with _debug_everywhere(caplog):
        logging.getLogger("pipeline.test").warning("leaking %s", corpus.PROFILE["last_name"])
    text = _logged_text(caplog.records)
    assert any(_leak(n, text) for n in _needles(corpus.PROFILE))
    assert _leak("06040", "zip 06040-1234") and not _leak("06040", "created 1765000000.0604031")
    assert bundle.is_dir()
