"""Every hostile corpus file through the real `docverify verify`, in child processes.

Each file sits in its own bundle beside a good text bill. The command must not crash
(exit 0, or 2 for bundle-level refusals only), must finish within a time limit with a
peak memory under 1 GB, the good bill must still be processed, every hostile file must
get FILE_UNREADABLE or a verdict (as its case expects), no stage may crash
(PROCESSING_ERROR), and no message may carry a raw control or bidi character.
Bombs run one per process (their time and memory are measured alone); the quick cases
run several bundles per process. `summary.txt` in the temp dir lists every outcome.
"""

from __future__ import annotations

import json
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.hostile.corpus import BUNDLE_CASES, FILE_CASES, GOOD_ID, HOSTILE_ID, write_file_bundle
from tests.hostile.runner import CliRun, run_cli

MAX_PEAK_MB = 1024
TIMEOUT_S = 150
BATCH = 8
ISOLATED = {
    "png_header_100000x100000",
    "png_inflates_to_148mp",
    "png_16bit_rgba_130mp",
    "png_grey_inflates_to_140mp",
    "jpeg_header_65000x65000",
    "jpeg_header_12000x12000",
    "tiff_5000_frames",
    "pdf_5000_pages",
    "pdf_200in_page",
    "pdf_content_inflates_1gb",
    "pdf_image_20000x20000",
    "pdf_60000_words",
    "pdf_nested_arrays_100000",
    "pdf_over_30mb",
    "zip_bomb_200mb",
    "zip_lying_member_size",
    "manifest_100mb",
    "manifest_nested_100000",
    "names_control_rtl_10000",
}


@dataclass(frozen=True)
class Item:
    name: str
    path: Path
    expect: str  # "unreadable" | "read" | "either" | "exit0" | "exit2"


@dataclass(frozen=True)
class Outcome:
    item: Item
    verdict: dict | None
    error: str | None
    run: CliRun


def _items(root: Path) -> list[Item]:
    items = [Item(c.name, write_file_bundle(root / c.name, c), c.expect) for c in FILE_CASES]
    items += [Item(c.name, c.build(root / c.name), f"exit{c.expect_exit}") for c in BUNDLE_CASES]
    return items


def _run_group(group: list[Item]) -> list[Outcome]:
    run = run_cli([i.path for i in group], timeout=TIMEOUT_S)
    text = run.stdout.strip()
    if len(group) == 1:  # one bundle: pretty JSON; several: one JSON line each
        verdicts = [json.loads(text)] if text else []
    else:
        verdicts = [json.loads(line) for line in text.splitlines() if line.strip()]
    errors = {
        line.split(": ", 2)[1]: line
        for line in run.stderr.splitlines()
        if line.startswith("docverify: ")
    }
    out, queue = [], iter(verdicts)
    for item in group:
        error = errors.get(str(item.path))
        out.append(Outcome(item, None if error else next(queue, None), error, run))
    return out


def _groups(items: list[Item]) -> list[list[Item]]:
    alone = [[i] for i in items if i.name in ISOLATED]
    rest = [i for i in items if i.name not in ISOLATED]
    return alone + [rest[k : k + BATCH] for k in range(0, len(rest), BATCH)]


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> list[Outcome]:
    root = tmp_path_factory.mktemp("hostile")
    items = _items(root)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = [o for group in pool.map(_run_group, _groups(items)) for o in group]
    (root / "summary.txt").write_text("\n".join(_summary_line(o) for o in results) + "\n")
    return results


def _summary_line(o: Outcome) -> str:
    flags = ""
    if o.verdict:
        flags = " ".join(
            f"{d['document_id'][:8]}:{','.join(f['code'] for f in d['flags']) or 'ok'}"
            for d in o.verdict["documents"]
        )
    return (
        f"{o.item.name:30} exit={o.run.exit_code} {o.run.seconds:5.1f}s {o.run.peak_mb:5.0f}MB "
        f"{flags or (o.error or '')[-90:]}"
    )


def _codes(doc: dict) -> set[str]:
    return {f["code"] for f in doc["flags"]}


def _unsafe(text: str) -> list[str]:
    return [c for c in text if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")]


@pytest.mark.slow
def test_corpus_is_large_enough():
    assert len(FILE_CASES) + len(BUNDLE_CASES) >= 40


@pytest.mark.slow
def test_no_crash_hang_or_memory_blowup(outcomes: list[Outcome]):
    assert len(outcomes) == len(FILE_CASES) + len(BUNDLE_CASES)
    for o in outcomes:
        assert not o.run.timed_out, o.item.name
        assert o.run.exit_code in (0, 2), (o.item.name, o.run.exit_code, o.run.stderr[-500:])
        assert o.run.peak_mb < MAX_PEAK_MB, (o.item.name, o.run.peak_mb)
        assert "Traceback" not in o.run.stderr, (o.item.name, o.run.stderr[-800:])


@pytest.mark.slow
def test_bundle_refusals_only_for_bundle_problems(outcomes: list[Outcome]):
    for o in outcomes:
        if o.item.expect == "exit2":
            assert o.error is not None and o.verdict is None, o.item.name
            assert len(o.error.splitlines()) == 1
        else:
            assert o.error is None and o.verdict is not None, (o.item.name, o.error)


@pytest.mark.slow
def test_every_file_gets_unreadable_or_a_verdict_and_the_good_bill_is_read(outcomes: list[Outcome]):
    for o in outcomes:
        if o.verdict is None:
            continue
        docs = {d["document_id"]: d for d in o.verdict["documents"]}
        for doc in docs.values():
            assert "PROCESSING_ERROR" not in _codes(doc), (o.item.name, doc["flags"])
        if GOOD_ID in docs:
            good = docs[GOOD_ID]
            assert good["document_type"] == "utility_bill", o.item.name
            assert not _codes(good) & {"FILE_UNREADABLE", "TEXT_UNREADABLE"}, o.item.name
        if o.item.expect in ("unreadable", "read"):
            hostile = docs[HOSTILE_ID]
            unreadable = "FILE_UNREADABLE" in _codes(hostile)
            assert unreadable == (o.item.expect == "unreadable"), (o.item.name, hostile["flags"])


@pytest.mark.slow
def test_messages_never_echo_control_or_bidi_characters(outcomes: list[Outcome]):
    seen_hostile_names = False
    for o in outcomes:
        if o.verdict is None:
            continue
        flags = [*o.verdict["flags"], *(f for d in o.verdict["documents"] for f in d["flags"])]
        checks = [c for d in o.verdict["documents"] for c in d["checks"]]
        for text in [f["message"] for f in flags] + [
            f.get("applicant_message") or "" for f in flags
        ]:
            assert not _unsafe(text), (o.item.name, text[:200])
        for check in checks:
            assert not _unsafe(check.get("detail") or ""), (o.item.name, check)
        seen_hostile_names |= o.item.name == "names_control_rtl_10000"
    assert seen_hostile_names


@pytest.mark.slow
def test_specific_outcomes(outcomes: list[Outcome]):
    by_name = {o.item.name: o for o in outcomes}

    def reason(name: str) -> str:
        doc = next(d for d in by_name[name].verdict["documents"] if d["document_id"] == HOSTILE_ID)
        return " ".join(f["message"] for f in doc["flags"] if f["code"] == "FILE_UNREADABLE")

    assert "encrypted" in reason("pdf_encrypted_user_password")
    assert "pages" in reason("pdf_5000_pages")
    assert "megapixel" in reason("png_header_100000x100000")
    assert "not a supported type" in reason("gif")
    assert "empty" in reason("zero_bytes")
    assert "MB" in reason("pdf_over_30mb")
    assert "100 MB" in by_name["zip_bomb_200mb"].error or "limit" in by_name["zip_bomb_200mb"].error
    assert "nested" in by_name["manifest_nested_100000"].error
    assert by_name["pdf_5000_pages"].run.seconds < 60
