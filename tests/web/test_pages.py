"""Pages: queue, application (comparison, boxes, audit), decisions by form, claims, images."""

from __future__ import annotations

import io

from PIL import Image

from models.db.review_tables import AppendOnlyError, AuditEventRow


def _signed_in(env, username="rita", role="reviewer"):
    env.user(username, role)
    client = env.client()
    env.sign_in(client, username)
    return client


def test_queue_page_lists_and_filters(env):
    a = env.application("review", 0.6, external_id="CT-2026-100001")
    env.application("resubmit", 0.3, external_id="CT-2026-100002")
    client = _signed_in(env)
    page = client.get("/queue")
    assert "CT-2026-100001" in page.text and "CT-2026-100002" in page.text
    assert page.text.index("CT-2026-100002") < page.text.index("CT-2026-100001")
    only = client.get("/queue", params={"decision": "review"})
    assert f'data-href="/applications/{a}"' in only.text and "CT-2026-100002" not in only.text


def test_application_page_shows_comparison_boxes_and_flags(env):
    app_id = env.application()
    client = _signed_in(env)
    page = client.get(f"/applications/{app_id}")
    assert page.status_code == 200
    text = page.text
    assert "Gonzalez-Rivera" in text and "GONZALES" in text
    assert 'class="cell mismatch"' in text or 'class="cell near"' in text
    assert text.count('<g class="box') >= 4
    assert "NAME_MISMATCH" in text and "matches the profile at 71/100" in text
    assert "does not match your application" in text  # applicant message pre-filled
    assert "image_quality.sharpness" in text and "face.present" in text


def test_page_images_render_in_pipeline_pixels_and_are_not_cached(env):
    app_id = env.application()
    client = _signed_in(env)
    png = client.get(f"/applications/{app_id}/documents/doc-1/pages/0")
    assert png.status_code == 200 and png.headers["cache-control"] == "no-store"
    assert Image.open(io.BytesIO(png.content)).size == (1000, 630)
    pdf = client.get(f"/applications/{app_id}/documents/doc-3/pages/0")
    # letter at the pipeline's pdf_dpi (200): 8.5 x 11 in
    assert Image.open(io.BytesIO(pdf.content)).size == (1700, 2200)
    assert client.get(f"/applications/{app_id}/documents/doc-3/pages/5").status_code == 404
    original = client.get(f"/applications/{app_id}/documents/doc-3/file")
    assert original.content.startswith(b"%PDF") and original.headers["cache-control"] == "no-store"


def test_claim_decide_and_audit(env):
    app_id = env.application()
    rita = _signed_in(env)
    token = env.csrf(rita, f"/applications/{app_id}")
    rita.post(f"/applications/{app_id}/claim", data={"csrf_token": token})
    other = _signed_in(env, "olga")
    o_token = env.csrf(other, f"/applications/{app_id}")
    refused = other.post(
        f"/applications/{app_id}/claim", data={"csrf_token": o_token}, follow_redirects=False
    )
    assert "already+claimed" in refused.headers["location"]
    assert other.get("/queue", params={"assignee": "rita"}).text.count("data-href") == 1
    resp = rita.post(
        f"/applications/{app_id}/decision",
        data={"csrf_token": token, "decision": "deny", "reason": "  "},
        follow_redirects=False,
    )
    assert "reason+is+required" in resp.headers["location"]
    rita.post(
        f"/applications/{app_id}/notes", data={"csrf_token": token, "body": "called the office"}
    )
    resp = rita.post(
        f"/applications/{app_id}/decision",
        data={
            "csrf_token": token,
            "decision": "resubmit",
            "documents": ["doc-3"],
            "reason": "bill in another name",
            "applicant_message": "Please upload a bill in your name",
        },
        follow_redirects=False,
    )
    assert resp.headers["location"].startswith("/queue")
    page = rita.get(f"/applications/{app_id}").text
    for expected in (
        "decision.resubmit",
        "bill in another name",
        "note.add",
        "called the office",
        "claim",
        "reviewer: resubmit",
    ):
        assert expected in page
    with env.runtime.db.session() as db:
        actions = [
            e.action
            for e in db.query(AuditEventRow)
            .filter_by(application_id=app_id)
            .order_by(AuditEventRow.id)
        ]
    assert actions == ["claim", "note.add", "decision.resubmit"]


def test_audit_log_is_append_only(env):
    app_id = env.application()
    client = _signed_in(env)
    token = env.csrf(client)
    client.post(f"/applications/{app_id}/notes", data={"csrf_token": token, "body": "x"})
    import pytest

    with pytest.raises(AppendOnlyError), env.runtime.db.session() as db:
        row = db.query(AuditEventRow).filter_by(application_id=app_id).one()
        row.actor = "someone else"
    with pytest.raises(AppendOnlyError), env.runtime.db.session() as db:
        db.delete(db.query(AuditEventRow).filter_by(application_id=app_id).one())
