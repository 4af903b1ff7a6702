"""The JSON API: submit a zipped bundle, the queue with filters, status, decisions."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from docverify.web.security import create_token

from .conftest import make_verdict, write_bundle


@pytest.fixture
def api(env):
    env.user("intake")
    with env.runtime.db.session() as db:
        token = create_token(db, "intake")
    client = env.client()
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def _zip(folder) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for path in sorted(folder.iterdir()):
            zf.write(path, f"bundle/{path.name}")
    return out.getvalue()


def test_submit_zip_answers_202_and_stores_the_application(env, api, tmp_path):
    data = _zip(write_bundle(tmp_path / "b", "CT-2026-777"))
    resp = api.post("/api/applications", files={"file": ("bundle.zip", data, "application/zip")})
    assert resp.status_code == 202, resp.text
    app_id = resp.json()["id"]
    got = api.get(f"/api/applications/{app_id}").json()
    assert got["application_id"] == "CT-2026-777"
    assert got["status"] == "queued" and got["verdict"] is None and got["history"] == []


def test_refused_bundle_is_422_with_one_line_reason(env, api, tmp_path):
    folder = write_bundle(tmp_path / "b")
    manifest = json.loads((folder / "application.json").read_text())
    manifest["program"] = "NY"
    (folder / "application.json").write_text(json.dumps(manifest))
    resp = api.post("/api/applications", files={"file": ("b.zip", _zip(folder), "application/zip")})
    assert resp.status_code == 422
    detail = resp.json()["detail"]
    assert "program" in detail and "\n" not in detail
    not_zip = api.post(
        "/api/applications", files={"file": ("b.zip", b"not a zip at all", "application/zip")}
    )
    assert not_zip.status_code == 422


def test_queue_filters_and_counts(env, api):
    review = env.application("review", 0.6)
    resubmit = env.application("resubmit", 0.2)
    env.application("pass", 0.98)  # not sampled for QC (sample 0%): not in the queue
    body = api.get("/api/applications").json()
    assert [i["id"] for i in body["items"]] == [resubmit, review]  # riskier first
    assert body["counts"]["decision"] == {"review": 1, "resubmit": 1}
    only = api.get("/api/applications", params={"decision": "review"}).json()
    assert [i["id"] for i in only["items"]] == [review]
    flagged = api.get("/api/applications", params={"flag": "NAME_MISMATCH"}).json()
    assert {i["id"] for i in flagged["items"]} == {review, resubmit}
    assert api.get("/api/applications", params={"program": "MA"}).json()["count"] == 0
    assert api.get("/api/applications", params={"min_age": 3}).json()["count"] == 0
    assert api.get("/api/applications", params={"assignee": "unassigned"}).json()["count"] == 2


def test_decision_via_api_and_validation(env, api):
    app_id = env.application()
    missing_reason = api.post(
        f"/api/applications/{app_id}/decision", json={"decision": "approve", "reason": ""}
    )
    assert missing_reason.status_code == 422
    no_docs = api.post(
        f"/api/applications/{app_id}/decision", json={"decision": "resubmit", "reason": "blurry"}
    )
    assert no_docs.status_code == 422
    assert (
        api.post(
            "/api/applications/nope/decision", json={"decision": "deny", "reason": "x"}
        ).status_code
        == 404
    )
    ok = api.post(
        f"/api/applications/{app_id}/decision",
        json={
            "decision": "resubmit",
            "reason": "bill name differs",
            "documents": ["doc-3"],
            "applicant_message": "Upload a bill in your name",
        },
    )
    assert ok.status_code == 201
    got = api.get(f"/api/applications/{app_id}").json()
    assert got["decision"]["decision"] == "resubmit" and got["decision"]["documents"] == ["doc-3"]
    assert got["decision"]["by"] == "intake"
    assert api.get("/api/applications").json()["count"] == 0  # decided: out of the queue


def test_decision_survives_reprocessing_and_disagreement_asks_second_look(env, api):
    app_id = env.application("review", 0.6)
    api.post(
        f"/api/applications/{app_id}/decision",
        json={"decision": "approve", "reason": "name is a known nickname"},
    )
    # reprocessing with the same finding: the decision stands, nothing to look at again
    env.verdict(app_id, make_verdict("CT-2026-000001", "review", 0.6), "same-finding-new-run")
    got = api.get(f"/api/applications/{app_id}").json()
    assert got["decision"]["decision"] == "approve" and not got["second_look"]
    assert len(got["history"]) == 2
    # a new machine verdict that disagrees (resubmit): decision kept, second look asked
    env.verdict(app_id, make_verdict("CT-2026-000001", "resubmit", 0.1), "new-files")
    got = api.get(f"/api/applications/{app_id}").json()
    assert got["decision"]["decision"] == "approve"
    assert got["verdict"]["decision"] == "resubmit"
    assert got["second_look"] is True
    queue = api.get("/api/applications", params={"decision": "second_look"}).json()
    assert [i["id"] for i in queue["items"]] == [app_id]


@pytest.mark.slow
def test_submitted_bundle_is_processed_in_process_and_shown(tmp_path):
    """The embedded default: the app processes a submitted zip in its own thread (real pipeline)."""
    from fastapi.testclient import TestClient

    from docverify.web.app import create_app
    from docverify.web.config import WebConfig
    from workers.runtime import Runtime

    from .conftest import PASSWORD

    runtime = Runtime.from_environment()
    app = create_app(runtime, WebConfig(process_inline=True))
    with runtime.db.session() as db:
        from docverify.web.security import add_user

        add_user(db, "intake", PASSWORD, "reviewer")
        token = create_token(db, "intake")
    client = TestClient(app)
    client.headers["Authorization"] = f"Bearer {token}"
    data = _zip(write_bundle(tmp_path / "b", "CT-2026-555"))
    app_id = client.post(
        "/api/applications", files={"file": ("b.zip", data, "application/zip")}
    ).json()["id"]
    app.state.intake.shutdown()  # wait for the background processing
    got = client.get(f"/api/applications/{app_id}").json()
    assert got["status"] == "done"
    assert got["verdict"]["application_id"] == "CT-2026-555"
    assert got["verdict"]["decision"] in ("pass", "review", "resubmit")
    assert [d["document_id"] for d in got["verdict"]["documents"]] == ["doc-1", "doc-3"]
    assert len(got["history"]) == 1 and got["history"][0]["current"]
