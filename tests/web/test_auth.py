"""Sign-in, sessions, lock-out, CSRF, tokens, and that nothing leaks without authentication."""

from __future__ import annotations

import re

from docverify.web.app import iter_routes
from docverify.web.security import create_token, disable_user

PUBLIC = {"/login", "/healthz"}


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "x", path)


def test_every_route_but_sign_in_and_health_needs_authentication(env):
    app_id = env.application()
    client = env.client()
    routes = iter_routes(app=env.app)
    paths = {p for _, p in routes}
    assert {"/api/applications", "/openapi.json", "/docs", "/dashboard", "/queue"} <= paths
    for methods, path in routes:
        if path in PUBLIC:
            continue
        url = _concrete(path).replace("/applications/x", f"/applications/{app_id}")
        for method in methods - {"HEAD"}:
            resp = client.request(method, url, follow_redirects=False)
            if resp.status_code in (301, 302, 303, 307):
                assert resp.headers["location"].startswith("/login"), (method, path)
            else:
                assert resp.status_code == 401, (method, path, resp.status_code)
            assert "Gonzalez" not in resp.text


def test_health_and_sign_in_page_are_public(env):
    client = env.client()
    assert client.get("/healthz").json() == {"status": "ok"}
    page = client.get("/login")
    assert page.status_code == 200 and "Sign in" in page.text


def test_session_cookie_flags_and_sign_out(env):
    env.user("rita")
    client = env.client()
    resp = env.sign_in(client, "rita")
    assert resp.status_code == 303 and resp.headers["location"] == "/queue"
    cookie = next(h for h in resp.headers.get_list("set-cookie") if h.startswith("dv_session="))
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower() and "Secure" not in cookie
    assert client.get("/queue").status_code == 200
    token = env.csrf(client)
    assert (
        client.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code
        == 303
    )
    assert client.get("/queue", follow_redirects=False).status_code == 303


def test_secure_cookie_over_https(env):
    env.user("rita")
    from fastapi.testclient import TestClient

    client = TestClient(env.app, base_url="https://review.example")
    resp = env.sign_in(client, "rita")
    cookie = next(h for h in resp.headers.get_list("set-cookie") if h.startswith("dv_session="))
    assert "Secure" in cookie


def test_wrong_password_then_lockout(env):
    env.user("rita")
    client = env.client()
    for _ in range(5):
        assert env.sign_in(client, "rita", "wrong password!").status_code == 401
    # locked: even the right password is refused now
    assert env.sign_in(client, "rita").status_code == 401
    env.now = env.now.replace(hour=env.now.hour + 1)
    assert env.sign_in(client, "rita").status_code == 303


def test_form_post_without_valid_csrf_is_refused(env):
    app_id = env.application()
    env.user("rita")
    client = env.client()
    env.sign_in(client, "rita")
    for data in ({}, {"csrf_token": "forged"}):
        resp = client.post(
            f"/applications/{app_id}/decision",
            data={**data, "decision": "approve", "reason": "looks fine"},
            follow_redirects=False,
        )
        assert resp.status_code == 403
    api = client.post(
        f"/api/applications/{app_id}/decision", json={"decision": "approve", "reason": "x"}
    )
    assert api.status_code == 403
    assert client.get(f"/api/applications/{app_id}").json()["decision"] is None
    # the sign-in form needs its own token too
    fresh = env.client()
    assert (
        fresh.post(
            "/login", data={"username": "rita", "password": "correct horse battery"}
        ).status_code
        == 403
    )


def test_api_token_and_openapi(env):
    env.user("intake", "reviewer")
    with env.runtime.db.session() as db:
        token = create_token(db, "intake")
    client = env.client()
    assert client.get("/openapi.json").status_code == 401
    headers = {"Authorization": f"Bearer {token}"}
    spec = client.get("/openapi.json", headers=headers).json()
    assert "/api/applications" in spec["paths"] and "/queue" not in spec["paths"]
    docs = client.get("/docs", headers=headers)
    assert docs.status_code == 200 and "/api/applications/{app_id}/decision" in docs.text
    assert "cdn" not in docs.text.lower()  # self-contained: the app may run offline
    assert client.get("/api/applications", headers=headers).status_code == 200
    assert (
        client.get("/api/applications", headers={"Authorization": "Bearer nope"}).status_code == 401
    )
    with env.runtime.db.session() as db:
        disable_user(db, "intake")
    assert client.get("/api/applications", headers=headers).status_code == 401


def test_reviewer_cannot_open_dashboard_supervisor_can(env):
    env.user("rita")
    env.user("sam", "supervisor")
    env.application()
    rita, sam = env.client(), env.client()
    env.sign_in(rita, "rita")
    env.sign_in(sam, "sam")
    assert rita.get("/dashboard").status_code == 403
    page = sam.get("/dashboard")
    assert page.status_code == 200 and "<svg" in page.text
