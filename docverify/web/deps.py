"""Request plumbing shared by the routers: who is asking, the clock, the runtime.

`require_user` / `require_supervisor` raise `NotAuthenticatedError` / `ForbiddenError`,
which the app turns into a redirect to sign-in (pages) or 401/403 JSON (API).
"""

from __future__ import annotations

import datetime as dt

from fastapi import Request

from docverify.web.config import WebConfig
from docverify.web.security import Principal, session_principal, token_principal
from workers.runtime import Runtime

SESSION_COOKIE = "dv_session"


class NotAuthenticatedError(Exception):
    """No live session or token came with the request."""


class ForbiddenError(Exception):
    """Signed in, but not allowed (for example a reviewer on the supervisor dashboard)."""


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def principal_of(request: Request) -> Principal | None:
    """Who sent the request: a bearer token first, else the session cookie."""
    runtime: Runtime = request.app.state.runtime
    now = request.app.state.clock()
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        with runtime.db.session() as db:
            return token_principal(db, header[7:].strip(), now)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        with runtime.db.session() as db:
            return session_principal(db, cookie, now)
    return None


def require_user(request: Request) -> Principal:
    """Dependency: the signed-in principal, or NotAuthenticatedError."""
    who = principal_of(request)
    if who is None:
        raise NotAuthenticatedError
    request.state.principal = who
    return who


def require_supervisor(request: Request) -> Principal:
    """Dependency: a supervisor, or ForbiddenError."""
    who = require_user(request)
    if not who.is_supervisor:
        raise ForbiddenError
    return who


def wants_json(request: Request) -> bool:
    path = request.url.path
    return (
        path.startswith("/api")
        or path.startswith("/openapi")
        or "application/json" in request.headers.get("accept", "")
    )


def runtime_of(request: Request) -> Runtime:
    """The app's runtime (database, storage, pipeline config)."""
    return request.app.state.runtime  # type: ignore[no-any-return]


def cfg_of(request: Request) -> WebConfig:
    """The app's reviewer policy."""
    return request.app.state.cfg  # type: ignore[no-any-return]


def now_of(request: Request) -> dt.datetime:
    """The app's clock (tests replace it)."""
    return request.app.state.clock()  # type: ignore[no-any-return]
