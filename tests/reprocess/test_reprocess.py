"""Bulk reprocessing on a small store: selection, dry run, real run, pause/resume, reports."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest
from bundles import Spec, expected_changes, runtime_for
from sqlalchemy import func, select
from typer.testing import CliRunner

from docverify.cli import _register_subcommands, app
from models.db.pipeline_tables import VerdictRow
from models.db.reprocess_tables import ReprocessItemRow
from models.db.review_tables import ReviewDecisionRow, UserRow
from workers import reprocess as rp
from workers.runtime import Runtime

Store = tuple[Path, dict[str, Spec]]


def _current(runtime: Runtime) -> dict[str, VerdictRow]:
    with runtime.db.session() as s:
        rows = s.scalars(select(VerdictRow).where(VerdictRow.is_current.is_(True)))
        return {r.application_id: r for r in rows}


def _verdict_count(runtime: Runtime) -> int:
    with runtime.db.session() as s:
        return int(s.scalar(select(func.count()).select_from(VerdictRow)) or 0)


def _select(runtime: Runtime, **selectors: object) -> list[rp.Candidate]:
    with runtime.db.session() as s:
        return rp.select_applications(s, rp.Selection(**selectors))  # type: ignore[arg-type]


def test_selectors_pick_what_they_name(store: Store, rules_dir: Path) -> None:
    data, specs = store
    runtime = runtime_for(data)
    with pytest.raises(rp.ReprocessError, match="no selector"):
        _select(runtime)
    assert len(_select(runtime, all=True)) == len(specs)
    ct = {c.app_id for c in _select(runtime, program="CT")}
    assert ct == {a for a, s in specs.items() if s.program == "CT"}
    baseline = {a: v.decision for a, v in _current(runtime).items()}
    resubmit = {c.app_id for c in _select(runtime, decision="resubmit")}
    assert resubmit == {a for a, d in baseline.items() if d == "resubmit"} and resubmit
    too_old = {c.app_id for c in _select(runtime, flag="DOCUMENT_TOO_OLD")}
    assert too_old and too_old <= resubmit
    assert not _select(runtime, kind="new")
    one = next(iter(specs.items()))
    assert [c.app_id for c in _select(runtime, ids=(one[1].external_id,))] == [one[0]]
    assert [c.app_id for c in _select(runtime, ids=(one[0],), program="CT")] == (
        [one[0]] if one[1].program == "CT" else []
    )
    later = dt.date(2026, 11, 21)
    assert not _select(runtime, submitted_from=later)
    assert len(_select(runtime, submitted_to=later)) == len(specs)
    pack = runtime.packs["CT"].version
    assert len(_select(runtime, rules_older_than=f"{pack}.1")) == len(specs)
    assert not _select(runtime, rules_older_than=pack)
    assert not _select(runtime, pipeline_older_than="0.0.1")


def test_versions_compare_as_numbers() -> None:
    assert rp.is_older("2026.9", "2026.10") and not rp.is_older("2026.10", "2026.9")
    assert rp.is_older(None, "1") and rp.pack_version("CT@2026.1") == "2026.1"


def test_dry_run_saves_nothing_and_predicts_the_real_run(store: Store, rules_dir: Path) -> None:
    data, specs = store
    before = runtime_for(data)
    baseline = {a: v.decision for a, v in _current(before).items()}
    verdicts_before = _verdict_count(before)
    runtime = runtime_for(data, rules_dir)
    candidates = _select(runtime, all=True)

    report = rp.dry_run(runtime, candidates)
    predicted = {c.app_id for c in report.changed}
    assert predicted == expected_changes(specs, baseline) and predicted
    assert _verdict_count(runtime) == verdicts_before  # nothing saved
    assert report.transitions[("pass", "resubmit")] == len(predicted)
    assert report.flags_appeared == {"DOCUMENT_TOO_OLD": len(predicted)}
    assert report.flags_disappeared == {}
    assert sum(report.transitions.values()) == len(specs)

    job = rp.create_job(runtime, rp.Selection(all=True), candidates, batch=7)
    progress = rp.run_job(runtime, job)
    assert (progress.status, progress.done, progress.failed) == ("done", len(specs), 0)
    assert progress.changed == len(predicted)
    with runtime.db.session() as s:
        changed = {r.application_id for r in rp.changed_items(s, job)}
    assert changed == predicted
    current = _current(runtime)
    assert set(current) == set(specs)  # exactly one current verdict each (unique index too)
    assert {a for a, v in current.items() if v.decision != baseline[a]} == predicted
    ct = [a for a, s in specs.items() if s.program == "CT"]
    assert {current[a].rule_pack for a in ct} == {runtime.packs["CT"].pack_id}
    # history kept: the CT applications have a new verdict beside the old one
    assert _verdict_count(runtime) == verdicts_before + len(ct)


def test_rerunning_a_done_selection_adds_no_verdict(store: Store) -> None:
    data, specs = store
    runtime = runtime_for(data)
    count = _verdict_count(runtime)
    job = rp.create_job(runtime, rp.Selection(all=True), _select(runtime, all=True))
    progress = rp.run_job(runtime, job, processes=2)
    assert (progress.done, progress.changed, progress.failed) == (len(specs), 0, 0)
    assert _verdict_count(runtime) == count
    with pytest.raises(rp.ReprocessError, match="is done"):
        rp.run_job(runtime, job)


def test_pause_then_resume_finishes_each_application_once(store: Store, rules_dir: Path) -> None:
    data, specs = store
    runtime = runtime_for(data, rules_dir)
    job = rp.create_job(runtime, rp.Selection(all=True), _select(runtime, all=True), batch=4)
    seen: list[str] = []

    def pause_after_five(app_id: str, state: str) -> None:
        seen.append(app_id)
        if len(seen) == 5:
            rp.set_job_status(runtime, job, "paused")

    first = rp.run_job(runtime, job, on_item=pause_after_five)
    assert first.status == "paused" and first.done == 8  # the batch under way is finished
    second = rp.run_job(runtime, job, on_item=lambda a, s: seen.append(a))
    assert second.status == "done" and second.done == len(specs)
    assert Counter(seen).most_common(1)[0][1] == 1 and len(seen) == len(specs)
    assert len(_current(runtime)) == len(specs)


def test_cancel_stops_a_job_for_good(store: Store) -> None:
    data, _ = store
    runtime = runtime_for(data)
    job = rp.create_job(runtime, rp.Selection(program="CT"), _select(runtime, program="CT"))
    assert rp.set_job_status(runtime, job, "cancelled").status == "cancelled"
    with pytest.raises(rp.ReprocessError, match="cancelled"):
        rp.run_job(runtime, job)
    with runtime.db.session() as s:
        assert [j.status for j in rp.list_jobs(s) if j.id == job] == ["cancelled"]


def test_resume_refuses_other_rules(store: Store, rules_dir: Path) -> None:
    data, _ = store
    job = rp.create_job(runtime_for(data, rules_dir), rp.Selection(all=True),
                        _select(runtime_for(data), all=True))  # fmt: skip
    with pytest.raises(rp.ReprocessError, match="DOCVERIFY_RULES_DIR"):
        rp.run_job(runtime_for(data), job)


def test_a_disagreeing_human_decision_is_kept_and_marked(store: Store, rules_dir: Path) -> None:
    data, specs = store
    runtime = runtime_for(data)
    baseline = {a: v.decision for a, v in _current(runtime).items()}
    target = sorted(expected_changes(specs, baseline))[0]
    old = _current(runtime)[target]
    with runtime.db.session() as s:
        user = UserRow(username="rev", password_hash="x", role="reviewer")
        s.add(user)
        s.flush()
        s.add(ReviewDecisionRow(application_id=target, verdict_id=old.id, machine_decision="pass",
                                machine_flags=[], decision="approve", reason="ok",
                                user_id=user.id))  # fmt: skip
    strict = runtime_for(data, rules_dir)
    job = rp.create_job(strict, rp.Selection(ids=(target,)), _select(strict, ids=(target,)))
    progress = rp.run_job(strict, job)
    assert (progress.changed, progress.second_look) == (1, 1)
    with strict.db.session() as s:
        humans = list(s.scalars(select(ReviewDecisionRow)))
        item = s.get(ReprocessItemRow, (job, target))
    assert [h.decision for h in humans] == ["approve"]  # the human decision stays
    assert item is not None and item.second_look and item.new_decision == "resubmit"


def test_rate_limiter_spaces_work() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = rp.RateLimiter(2.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(5):
        limiter.acquire()
    assert now[0] == pytest.approx(2.0)  # 5 units at 2/s: the first is free
    assert rp.parse_rate("300/min") == 5.0 and rp.parse_rate("4/s") == 4.0
    with pytest.raises(rp.ReprocessError):
        rp.parse_rate("fast")


def _cli(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    _register_subcommands_once()
    result = CliRunner().invoke(app, args, env=env)
    return result.exit_code, result.output


_REGISTERED: list[bool] = []


def _register_subcommands_once() -> None:
    if not _REGISTERED:
        _register_subcommands()
        _REGISTERED.append(True)


def test_cli_dry_run_reports(store: Store, rules_dir: Path, tmp_path: Path) -> None:
    data, _ = store
    env = {"DOCVERIFY_DATA_DIR": str(data), "DOCVERIFY_RULES_DIR": str(rules_dir)}
    code, out = _cli(["reprocess"], env)
    assert code == 2 and "no selector" in out
    paths = [tmp_path / "diff.json", tmp_path / "diff.csv", tmp_path / "diff.png"]
    code, out = _cli(["reprocess", "--program", "CT", "--dry-run", "--json", str(paths[0]),
                      "--csv", str(paths[1]), "--plot", str(paths[2])], env)  # fmt: skip
    assert code == 0, out
    assert "Decision transitions" in out and "DOCUMENT_TOO_OLD" in out
    report = json.loads(paths[0].read_text())
    rows = paths[1].read_text().splitlines()[1:]
    assert report["changed"] == len(rows) == len(report["changed_applications"]) > 0
    assert {r.split(",")[0] for r in rows} == {c["id"] for c in report["changed_applications"]}
    assert paths[2].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    strict = runtime_for(data, rules_dir).packs["CT"].pack_id
    assert strict not in {v.rule_pack for v in _current(runtime_for(data)).values()}


def test_cli_real_run_summary_and_list(store: Store, rules_dir: Path) -> None:
    data, specs = store
    env = {"DOCVERIFY_DATA_DIR": str(data), "DOCVERIFY_RULES_DIR": str(rules_dir)}
    code, out = _cli(["reprocess", "--all", "--batch", "5"], env)
    assert code == 0, out
    assert f"processed {len(specs)} of {len(specs)}" in out and "documents/s" in out
    code, out = _cli(["reprocess", "--list"], env)
    assert code == 0 and "done" in out
