"""Evaluation feeds the prior-document index in order of submission, as production does:
a re-used document is flagged on the later application, never on the original."""

from __future__ import annotations

import json
from pathlib import Path

from docverify.evaluate import discover
from tests.evaluate.helpers import write_labelled_bundle


def _submitted(folder: Path, day: str) -> None:
    manifest = json.loads((folder / "application.json").read_text())
    manifest["submitted_on"] = day
    (folder / "application.json").write_text(json.dumps(manifest))


def test_bundles_are_examined_in_order_of_submission(tmp_path: Path) -> None:
    # the copy has the lower id but was submitted later than the original
    copy = write_labelled_bundle(tmp_path, "T-0001", {"doc-1": b"x"}, scenario="DUPLICATE_DOCUMENT")
    original = write_labelled_bundle(tmp_path, "T-0002", {"doc-1": b"x"})
    same_day = write_labelled_bundle(tmp_path, "T-0003", {"doc-1": b"x"})
    _submitted(copy, "2026-05-20")
    _submitted(original, "2026-04-01")
    _submitted(same_day, "2026-04-01")
    items, _ = discover(tmp_path)
    assert [i.truth.application_id for i in items] == ["T-0002", "T-0003", "T-0001"]
