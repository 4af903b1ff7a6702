"""Queue ordering rules (business days, QC sample, age floor) and the account commands."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from typer.testing import CliRunner

from docverify.web.config import WebConfig
from docverify.web.queries import business_days, load_queue, qc_sampled
from models.db.pipeline_tables import ApplicationRow
from models.db.review_tables import ApiTokenRow, UserRow


def test_business_days_skip_weekends():
    friday = dt.date(2026, 11, 20)
    assert business_days(friday, friday) == 0
    assert business_days(friday, dt.date(2026, 11, 22)) == 0  # Sat, Sun
    assert business_days(friday, dt.date(2026, 11, 23)) == 1  # Monday
    assert business_days(friday, dt.date(2026, 12, 4)) == 10


def test_qc_sample_is_deterministic_and_near_its_rate():
    ids = [f"{i:032x}" for i in range(2000)]
    picked = [i for i in ids if qc_sampled(i, 5)]
    assert picked == [i for i in ids if qc_sampled(i, 5)]
    assert 60 <= len(picked) <= 140
    assert not any(qc_sampled(i, 0) for i in ids)


def test_age_is_a_floor_so_nothing_waits_forever(env):
    fresh_risky = env.application("resubmit", 0.05)
    old_clean = env.application("review", 0.95)
    with env.runtime.db.session() as db:
        items = load_queue(db, WebConfig(), env.now.date())
    assert [i.id for i in items] == [fresh_risky, old_clean]
    old = env.now - dt.timedelta(days=21)
    with env.runtime.db.session() as db:
        db.execute(
            update(ApplicationRow).where(ApplicationRow.id == old_clean).values(created_at=old)
        )
    with env.runtime.db.session() as db:
        items = load_queue(db, WebConfig(age_floor_business_days=10), env.now.date())
    assert items[0].id == old_clean and items[0].age_days >= 10


def test_pass_verdicts_reach_the_queue_only_as_qc_sample(env):
    app_id = env.application("pass", 0.99)
    with env.runtime.db.session() as db:
        assert load_queue(db, WebConfig(qc_sample_percent=0), env.now.date()) == []
        items = load_queue(db, WebConfig(qc_sample_percent=100), env.now.date())
    assert [i.id for i in items] == [app_id] and items[0].qc


def test_users_and_tokens_commands(env):
    from docverify import cli

    cli._register_subcommands()
    runner = CliRunner()
    added = runner.invoke(
        cli.app, ["users", "add", "carol", "--role", "supervisor"], input="a long passphrase\n"
    )
    assert added.exit_code == 0, added.output
    bad = runner.invoke(
        cli.app, ["users", "add", "dave", "--role", "admin"], input="a long passphrase\n"
    )
    assert bad.exit_code == 2
    made = runner.invoke(cli.app, ["tokens", "create", "carol"])
    token = made.output.strip().splitlines()[-1]
    assert made.exit_code == 0 and token.startswith("dvt_")
    with env.runtime.db.session() as db:
        user = db.query(UserRow).filter_by(username="carol").one()
        assert user.role == "supervisor" and user.password_hash.startswith("$argon2")
        stored = db.query(ApiTokenRow).one().token_hash
    assert token not in stored
    client = env.client()
    assert (
        client.get("/api/applications", headers={"Authorization": f"Bearer {token}"}).status_code
        == 200
    )
    assert runner.invoke(cli.app, ["users", "disable", "carol"]).exit_code == 0
    assert (
        client.get("/api/applications", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )


def test_demo_submits_samples_once_and_creates_accounts(env):
    from docverify.web.cli import prepare_demo

    lines: list[str] = []
    first = prepare_demo(env.runtime, env.app.state.intake, out=lines.append)
    assert first, "the demo found no sample bundles"
    assert prepare_demo(env.runtime, env.app.state.intake, out=lines.append) == []
    passwords = [line.rsplit(" ", 1)[-1] for line in lines if "one-time password" in line]
    assert len(passwords) == 4 and len(set(passwords)) == 4
    client = env.client()
    assert env.sign_in(client, "reviewer", passwords[-2]).status_code == 303
    with env.runtime.db.session() as db:
        assert db.query(ApplicationRow).count() == len(first)
