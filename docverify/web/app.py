"""The reviewer web app: `create_app(runtime, cfg)` builds the FastAPI application.

Everything but the sign-in page and `/healthz` needs a session cookie or an
`Authorization: Bearer` API token: pages redirect to sign-in, the API and the OpenAPI
description answer 401. Browser sessions must send their CSRF token on every POST.
Documents are streamed from storage after the authorisation check, `no-store`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from docverify.web import api, ui
from docverify.web.config import WebConfig
from docverify.web.deps import (
    ForbiddenError,
    NotAuthenticatedError,
    require_user,
    utcnow,
    wants_json,
)
from docverify.web.intake import Intake
from docverify.web.render import PageCache
from workers.runtime import Runtime

HERE = Path(__file__).resolve().parent
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}


def create_app(
    runtime: Runtime,
    cfg: WebConfig | None = None,
    *,
    clock: Callable[[], dt.datetime] = utcnow,
) -> FastAPI:
    """The reviewer app over this runtime's database and storage."""
    cfg = cfg or WebConfig()
    intake = Intake(runtime, cfg.process_inline)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        intake.shutdown()

    app = FastAPI(
        lifespan=lifespan,
        title="docverify reviewer API",
        version="0.1.0",
        description="Intake and review of medical-cannabis patient applications. "
        "Authenticate with `Authorization: Bearer <token>` (`docverify tokens create USER`).",
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    app.state.runtime = runtime
    app.state.cfg = cfg
    app.state.clock = clock
    app.state.intake = intake
    app.state.pages = PageCache(cfg.page_cache_size)
    app.state.templates = _templates()

    _install_handlers(app)
    _install_core_routes(app)
    app.include_router(api.router)
    app.include_router(ui.router)

    return app


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    env.globals["app_css"] = (HERE / "static" / "app.css").read_text("utf-8")
    env.filters["pct"] = lambda v: f"{float(v) * 100:.0f}" if isinstance(v, int | float) else ""
    env.filters["dt"] = lambda v: "" if v is None else v.strftime("%Y-%m-%d %H:%M")
    return templates


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotAuthenticatedError)
    async def _unauthenticated(request: Request, exc: NotAuthenticatedError) -> Response:
        if wants_json(request):
            return JSONResponse(
                {"detail": "authentication required"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(ForbiddenError)
    async def _forbidden(request: Request, exc: ForbiddenError) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": "not allowed for your role"}, status_code=403)
        return HTMLResponse("<h1>403</h1><p>Not allowed for your role.</p>", status_code=403)

    @app.middleware("http")
    async def _security_headers(request: Request, call_next: Callable[[Request], Any]) -> Response:
        response: Response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self'; frame-ancestors 'none'; form-action 'self'",
        )
        if request.url.path not in ("/healthz",) and "cache-control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        return response


def _install_core_routes(app: FastAPI) -> None:
    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        """Liveness: no authentication, no data."""
        return {"status": "ok"}

    @app.get("/openapi.json", include_in_schema=False)
    def openapi(request: Request) -> JSONResponse:
        require_user(request)
        return JSONResponse(app.openapi())

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        """A self-contained API reference (no third-party assets: the app may run offline)."""
        who = require_user(request)
        templates = app.state.templates
        return templates.TemplateResponse(  # type: ignore[no-any-return]
            request, "api_docs.html", {"request": request, "who": who, "spec": app.openapi()}
        )

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str, request: Request) -> Response:
        require_user(request)
        path = HERE / "static" / name
        if (
            name not in {p.name for p in (HERE / "static").iterdir()}
            or path.suffix not in STATIC_TYPES
        ):
            return Response(status_code=404)
        return Response(path.read_bytes(), media_type=STATIC_TYPES[path.suffix])


def iter_routes(
    routes: list[Any] | None = None, app: FastAPI | None = None
) -> list[tuple[set[str], str]]:
    """(methods, path) of every route, included routers flattened (for tests and docs)."""
    out: list[tuple[set[str], str]] = []
    for route in routes if routes is not None else (app.routes if app else []):
        inner = getattr(route, "original_router", None)
        if inner is not None:
            prefix = getattr(getattr(route, "include_context", None), "prefix", "") or ""
            out += [(m, prefix + p) for m, p in iter_routes(list(inner.routes))]
        elif hasattr(route, "path"):
            out.append((set(getattr(route, "methods", None) or {"GET"}), route.path))
    return out
