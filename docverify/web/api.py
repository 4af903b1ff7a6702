"""The JSON API under `/api` for the intake system (and scripts): submit, queue, status, decide.

Authenticated by `Authorization: Bearer <token>` or a browser session (which must then
send `X-CSRF-Token` on POST). A refused bundle answers 422 with its one-line reason.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from docverify.web import queries
from docverify.web.deps import cfg_of, now_of, require_user, runtime_of
from docverify.web.security import Principal, csrf_ok
from pipeline.errors import BundleInvalid
from workers.storage import StorageError

router = APIRouter(prefix="/api", tags=["applications"])

User = Annotated[Principal, Depends(require_user)]


class Submitted(BaseModel):
    """A bundle accepted for processing."""

    id: str = Field(description="The submission id (use it in the other calls)")
    status: str = "queued"


class Problem(BaseModel):
    """Why a request was refused."""

    detail: str


class DecisionIn(BaseModel):
    """A reviewer's decision."""

    decision: Literal["approve", "resubmit", "deny"]
    reason: str = Field(min_length=1, max_length=4000, description="Why (kept in the audit log)")
    documents: list[str] = Field(
        default_factory=list, description="For resubmit: the document ids to upload again"
    )
    applicant_message: str | None = Field(
        default=None, max_length=4000, description="What the applicant is told"
    )


class QueueOut(BaseModel):
    """The applications needing a human, most urgent first, and counts per filter value."""

    count: int
    items: list[dict[str, Any]]
    counts: dict[str, dict[str, int]]


def _check_csrf(request: Request, who: Principal) -> None:
    if not csrf_ok(who, request.headers.get("x-csrf-token")):
        raise HTTPException(status_code=403, detail="missing or wrong CSRF token")


@router.post(
    "/applications",
    status_code=202,
    response_model=Submitted,
    responses={422: {"model": Problem, "description": "The bundle was refused"}},
)
async def submit_application(
    request: Request,
    who: User,
    file: Annotated[UploadFile, File(description="A zipped application bundle")],
) -> Any:
    """Submit a zipped bundle (`application.json` at its root or in its single folder)."""
    _check_csrf(request, who)
    limit = runtime_of(request).config.limits.zip_unpacked_bytes
    data = await file.read(limit + 1)
    intake = request.app.state.intake
    try:
        app_id = intake.submit_zip(data)
    except BundleInvalid as exc:
        return JSONResponse(
            {"detail": str(exc).splitlines()[0] if str(exc) else "invalid bundle"}, status_code=422
        )
    except StorageError:
        raise HTTPException(status_code=503, detail="storage unavailable, try again") from None
    return Submitted(id=app_id)


@router.get("/applications", response_model=QueueOut)
def list_applications(
    request: Request,
    who: User,
    program: Literal["CT", "MA"] | None = None,
    kind: Literal["new", "renewal"] | None = None,
    decision: Literal["pass", "review", "resubmit", "second_look"] | None = None,
    flag: str | None = None,
    assignee: Annotated[str | None, Query(description="a username, `me` or `unassigned`")] = None,
    min_age: Annotated[
        int | None, Query(ge=0, description="at least this many business days old")
    ] = None,
) -> Any:
    """The review queue (same filters as the reviewer's page)."""
    filters = queries.QueueFilters(program, kind, decision, flag, assignee, min_age)
    with runtime_of(request).db.session() as db:
        items = queries.load_queue(db, cfg_of(request), now_of(request).date())
    shown = queries.filter_queue(items, filters, who.username)
    counts = queries.facet_counts(items, filters, who.username)
    return QueueOut(
        count=len(shown),
        items=[queries.queue_item_view(i) for i in shown],
        counts={k: dict(v) for k, v in counts.items()},
    )


@router.get("/applications/{app_id}", responses={404: {"model": Problem}})
def get_application(request: Request, app_id: str, who: User) -> dict[str, Any]:
    """Status, current verdict, verdict history and human decisions of one application."""
    with runtime_of(request).db.session() as db:
        found = queries.application_file(db, app_id)
        if found is None:
            raise HTTPException(status_code=404, detail="no such application")
        return {
            "id": found.app.id,
            "application_id": found.app.external_id,
            "program": found.app.program,
            "kind": found.app.kind,
            "status": found.app.status,
            "verdict": found.current.verdict if found.current else None,
            "history": [queries.verdict_summary(v) for v in found.history],
            "decision": queries.decision_view(*found.decisions[0]) if found.decisions else None,
            "decisions": [queries.decision_view(d, u) for d, u in found.decisions],
            "second_look": found.second_look,
        }


@router.post(
    "/applications/{app_id}/decision",
    status_code=201,
    responses={404: {"model": Problem}, 422: {"model": Problem}},
)
def decide(request: Request, app_id: str, body: DecisionIn, who: User) -> Any:
    """Record a reviewer decision (never overwritten by a later machine verdict)."""
    _check_csrf(request, who)
    with runtime_of(request).db.session() as db:
        try:
            row = queries.record_decision(
                db,
                who,
                app_id,
                body.decision,
                body.reason,
                now_of(request),
                documents=body.documents,
                applicant_message=body.applicant_message,
            )
        except queries.ActionRefusedError as exc:
            status = 404 if str(exc) == "no such application" else 422
            return JSONResponse({"detail": str(exc)}, status_code=status)
        return queries.decision_view(row, who.username)
