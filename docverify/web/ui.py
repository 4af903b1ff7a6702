"""Server-rendered pages: sign-in, queue, application, dashboard, and document images.

Every form carries the session's CSRF token (the sign-in form a per-visit cookie token)
and every POST checks it before doing anything. Actions answer with a redirect back to
the page (POST-redirect-GET) and a short message in the query string.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from docverify.web import compare, dashboard, queries, render
from docverify.web.deps import (
    SESSION_COOKIE,
    cfg_of,
    now_of,
    require_supervisor,
    require_user,
    runtime_of,
)
from docverify.web.security import Principal, authenticate, close_session, csrf_ok, open_session
from models.flags import FlagCode
from pipeline.errors import DocverifyError
from workers import records
from workers.storage import StorageError

router = APIRouter(include_in_schema=False)
User = Annotated[Principal, Depends(require_user)]
Supervisor = Annotated[Principal, Depends(require_supervisor)]
LOGIN_CSRF_COOKIE = "dv_login_csrf"


def _page(
    request: Request, name: str, who: Principal | None, status: int = 200, **ctx: Any
) -> HTMLResponse:
    templates = request.app.state.templates
    ctx |= {
        "request": request,
        "who": who,
        "msg": request.query_params.get("msg"),
        "error": request.query_params.get("error"),
    }
    return templates.TemplateResponse(request, name, ctx, status_code=status)


def _back(path: str, *, msg: str | None = None, error: str | None = None) -> RedirectResponse:
    params = {k: v for k, v in (("msg", msg), ("error", error)) if v}
    return RedirectResponse(path + (f"?{urlencode(params)}" if params else ""), status_code=303)


async def _form(request: Request, who: Principal) -> FormData | None:
    """The posted form if its CSRF token is the session's, else None."""
    form = await request.form()
    token = form.get("csrf_token")
    return form if csrf_ok(who, token if isinstance(token, str) else None) else None


def _refused() -> HTMLResponse:
    return HTMLResponse(
        "<h1>403</h1><p>The form expired or did not come from this site. "
        "Reload the page and try again.</p>",
        status_code=403,
    )


def _safe_next(target: str | None) -> str:
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/queue"
    return target


# --------------------------------------------------------------------------- sign-in


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    response = _page(request, "login.html", None, next=_safe_next(next), login_csrf=token)
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/login",
    )
    return response


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/queue",
) -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not expected or not secrets.compare_digest(expected, csrf_token):
        return _refused()
    now = now_of(request)
    with runtime_of(request).db.session() as db:
        user = authenticate(db, username.strip(), password, now, cfg_of(request))
        cookie = open_session(db, user, now, cfg_of(request)) if user else None
    if cookie is None:
        token = secrets.token_urlsafe(24)
        response = _page(
            request,
            "login.html",
            None,
            status=401,
            next=_safe_next(next),
            login_csrf=token,
            login_error="Wrong username or password, or the account is locked. "
            "Try again in a few minutes.",
        )
        response.set_cookie(
            LOGIN_CSRF_COOKIE,
            token,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            path="/login",
        )
        return response
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        max_age=cfg_of(request).session_hours * 3600,
        path="/",
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
async def logout(request: Request, who: User) -> Response:
    if await _form(request, who) is None:
        return _refused()
    with runtime_of(request).db.session() as db:
        close_session(db, who)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# --------------------------------------------------------------------------- queue


@router.get("/")
def home(who: User) -> RedirectResponse:
    return RedirectResponse("/queue", status_code=303)


def _filters(request: Request) -> queries.QueueFilters:
    q = request.query_params
    age = q.get("min_age", "")
    return queries.QueueFilters(
        program=q.get("program") or None,
        kind=q.get("kind") or None,
        decision=q.get("decision") or None,
        flag=q.get("flag") or None,
        assignee=q.get("assignee") or None,
        min_age=int(age) if age.isdigit() else None,
    )


@router.get("/queue")
def queue_page(request: Request, who: User) -> HTMLResponse:
    filters = _filters(request)
    with runtime_of(request).db.session() as db:
        items = queries.load_queue(db, cfg_of(request), now_of(request).date())
    shown = queries.filter_queue(items, filters, who.username)
    counts = queries.facet_counts(items, filters, who.username)
    with runtime_of(request).db.session() as db:
        states = records.status_counts(db)
    return _page(
        request,
        "queue.html",
        who,
        states=states,
        items=shown,
        total=len(items),
        counts=counts,
        filters=filters,
        flag_codes=[c.value for c in FlagCode],
    )


# --------------------------------------------------------------------------- application


def _documents_view(
    found: queries.ApplicationFile,
    rows: list[compare.FieldRow],
    compared: list[str],
    request: Request,
) -> list[dict[str, Any]]:
    verdict_docs = {
        d["document_id"]: d
        for d in (found.current.verdict.get("documents", []) if found.current else [])
    }
    out = []
    for row in found.documents:
        doc = verdict_docs.get(row.document_id, {})
        levels = (
            compare.field_levels(rows, compared.index(row.document_id))
            if row.document_id in compared
            else {}
        )
        boxes: dict[int, list[dict[str, Any]]] = {}
        unboxed = []
        for name, ev in (doc.get("evidence") or {}).items():
            if not (ev.get("box") and ev.get("page") is not None):
                unboxed.append((name, ev.get("source")))
            else:
                boxes.setdefault(int(ev["page"]), []).append(
                    {
                        "field": name,
                        "box": ev["box"],
                        "source": ev.get("source"),
                        "confidence": ev.get("confidence"),
                        "level": levels.get(name, "info"),
                    }
                )
        out.append(
            {
                "row": row,
                "verdict": doc,
                "pages": _page_count(request, row),
                "boxes": boxes,
                "unboxed": unboxed,
            }
        )
    return out


def _page_count(request: Request, row: Any) -> int:
    """Pages the viewer shows (cached by content hash: stored files never change)."""
    if not row.storage_key:
        return 0
    cache: render.PageCache = request.app.state.pages
    key = (f"count:{row.content_sha256 or row.storage_key}", -1)
    cached = cache.get(key)
    if cached is not None:
        return int(cached)
    try:
        data = runtime_of(request).storage.get(row.storage_key)
        count = render.page_count(data, runtime_of(request).config)
    except StorageError:
        return 0
    except DocverifyError:
        count = 0
    cache.put(key, str(count).encode())
    return count


def all_flags(verdict: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The application's and its documents' flags, each once (the top level may repeat them)."""
    if not verdict:
        return []
    flags = list(verdict.get("flags", []))
    for doc in verdict.get("documents", []):
        flags += [{"document_id": doc.get("document_id"), **f} for f in doc.get("flags", [])]
    seen: dict[tuple[str, str, str], dict[str, Any]] = {}
    for f in flags:
        seen.setdefault((f.get("code", ""), f.get("document_id") or "", f.get("message", "")), f)
    return list(seen.values())


def _applicant_text(verdict: dict[str, Any] | None) -> str:
    flags = all_flags(verdict)
    lines = [
        f.get("applicant_message") or "" for f in flags if f.get("code") in FlagCode.__members__
    ]
    lines = [f"- {m[0].upper()}{m[1:]}" for m in dict.fromkeys(m.strip() for m in lines) if m]
    return "\n".join(lines)


@router.get("/applications/{app_id}")
def application_page(request: Request, app_id: str, who: User) -> HTMLResponse:
    with runtime_of(request).db.session() as db:
        found = queries.application_file(db, app_id)
        if found is None:
            return HTMLResponse("<h1>404</h1><p>No such application.</p>", status_code=404)
        manifest = found.app.manifest or {}
        verdict_docs = {
            d["document_id"]: d
            for d in (found.current.verdict.get("documents", []) if found.current else [])
        }
        ordered = [verdict_docs.get(r.document_id, {}) for r in found.documents]
        with_fields = [
            d for d in ordered if any(v is not None for v in (d.get("fields") or {}).values())
        ]
        compared = [d["document_id"] for d in with_fields]
        rows = compare.field_rows(manifest.get("profile", {}), with_fields)
        docs = _documents_view(found, rows, compared, request)
        return _page(
            request,
            "application.html",
            who,
            f=found,
            profile=manifest.get("profile", {}),
            submitted_on=manifest.get("submitted_on"),
            rows=rows,
            docs=docs,
            compared=[d for d in docs if d["row"].document_id in compared],
            applicant_text=_applicant_text(found.current.verdict if found.current else None),
            all_flags=all_flags(found.current.verdict if found.current else None),
        )


def _next_item(request: Request, who: Principal, done: str) -> str:
    """The most urgent application the reviewer can take next (or the queue when none)."""
    with runtime_of(request).db.session() as db:
        items = queries.load_queue(db, cfg_of(request), now_of(request).date())
    for item in items:
        if item.id != done and item.assignee in (None, who.username):
            return f"/applications/{quote(item.id)}"
    return "/queue"


async def _action(request: Request, app_id: str, who: Principal, action: str) -> Response:
    form = await _form(request, who)
    if form is None:
        return _refused()
    path = f"/applications/{quote(app_id)}"
    now = now_of(request)
    try:
        with runtime_of(request).db.session() as db:
            if action == "claim":
                queries.claim(db, who, app_id, now)
            elif action == "release":
                queries.release(db, who, app_id, now)
            elif action == "note":
                queries.add_note(db, who, app_id, str(form.get("body", "")), now)
            else:
                decision = str(form.get("decision", ""))
                queries.record_decision(
                    db,
                    who,
                    app_id,
                    decision,
                    str(form.get("reason", "")),
                    now,
                    documents=[str(d) for d in form.getlist("documents")],
                    applicant_message=str(form.get("applicant_message", "")),
                )
    except queries.ActionRefusedError as exc:
        return _back(path, error=str(exc))
    if action == "decision":
        return _back(_next_item(request, who, app_id), msg="Decision recorded. Next application:")
    return _back(
        path, msg={"claim": "Claimed", "release": "Released", "note": "Note added"}[action]
    )


@router.post("/applications/{app_id}/claim")
async def claim_action(request: Request, app_id: str, who: User) -> Response:
    return await _action(request, app_id, who, "claim")


@router.post("/applications/{app_id}/release")
async def release_action(request: Request, app_id: str, who: User) -> Response:
    return await _action(request, app_id, who, "release")


@router.post("/applications/{app_id}/notes")
async def note_action(request: Request, app_id: str, who: User) -> Response:
    return await _action(request, app_id, who, "note")


@router.post("/applications/{app_id}/decision")
async def decision_action(request: Request, app_id: str, who: User) -> Response:
    return await _action(request, app_id, who, "decision")


# --------------------------------------------------------------------------- documents


def _stored(request: Request, app_id: str, document_id: str) -> tuple[str, bytes] | None:
    with runtime_of(request).db.session() as db:
        row = queries.document_row(db, app_id, document_id)
        key = row.storage_key if row else None
        sha = row.content_sha256 if row else None
    if not key:
        return None
    try:
        return sha or key, runtime_of(request).storage.get(key)
    except StorageError:
        return None


@router.get("/applications/{app_id}/documents/{document_id}/file")
def document_file(request: Request, app_id: str, document_id: str, who: User) -> Response:
    found = _stored(request, app_id, document_id)
    if found is None:
        return Response(status_code=404)
    kind = render.load.sniff(found[1])
    media = {
        "pdf": "application/pdf",
        "jpeg": "image/jpeg",
        "png": "image/png",
        "tiff": "image/tiff",
        "webp": "image/webp",
        "heic": "image/heic",
    }
    return Response(
        found[1],
        media_type=media.get(kind.value if kind else "", "application/octet-stream"),
        headers={"Cache-Control": "no-store", "Content-Disposition": "inline; filename=document"},
    )


@router.get("/applications/{app_id}/documents/{document_id}/pages/{index}")
def document_page(
    request: Request, app_id: str, document_id: str, index: int, who: User
) -> Response:
    found = _stored(request, app_id, document_id)
    if found is None:
        return Response(status_code=404)
    cache: render.PageCache = request.app.state.pages
    image = cache.get((found[0], index))
    if image is None:
        try:
            image = render.render_page(found[1], index, runtime_of(request).config)
        except (DocverifyError, IndexError):
            return Response(status_code=404)
        cache.put((found[0], index), image)
    return Response(image, media_type="image/jpeg", headers={"Cache-Control": "no-store"})


# --------------------------------------------------------------------------- dashboard


@router.get("/dashboard")
def dashboard_page(request: Request, who: Supervisor) -> HTMLResponse:
    with runtime_of(request).db.session() as db:
        board = dashboard.build(db, cfg_of(request), now_of(request))
    return _page(request, "dashboard.html", who, board=board)
