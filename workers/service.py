"""Submitting and processing applications: the work behind the actors and the commands.

`submit(path, runtime)` validates a bundle, stores its files (content-addressed) and
records a queued application; `process(app_id, runtime, ...)` examines a stored
application and records its verdict, document fingerprints and the attempt.

Design: one unit of work per *application* (`examine_application`), not per document.
The application checks and the aggregation need every document's full state (words,
fields, classification), so a per-document fan-out would have to serialise that state and
rendezvous; one actor per application is simpler, keeps `verify` and the workers on the
same code path (identical verdicts), and still spreads many applications over many
workers. A hung OCR call is stopped per call by the Tesseract timeout, and the actor has
a time limit proportional to the number of documents.

Idempotent: processing an application that already has a current verdict for the same
inputs, pipeline version and rule pack does nothing; a verdict stored twice is stored
once (`records.record_verdict`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import structlog

from models.contract import Application
from pipeline.bundle import Bundle, load_bundle
from pipeline.errors import FileUnreadable
from pipeline.verify import Examination
from pipeline.version import PIPELINE_VERSION
from workers import records
from workers.records import StoredFile
from workers.runtime import Runtime
from workers.storage import Storage, StorageMissing

log = structlog.get_logger(__name__)


def submit(path: Path, runtime: Runtime) -> str:
    """Store a bundle's files and record it as a queued application; its new id.

    Raises `BundleInvalid` when the bundle cannot be used at all.
    """
    bundle = load_bundle(path, runtime.config.limits)
    files = store_files(bundle, runtime.storage, runtime.config.limits.file_bytes)
    app_id = records.new_application_id()
    with runtime.db.session() as session:
        records.create_application(session, app_id, bundle.application, files)
    log.info("application_submitted", app=app_id, documents=len(files))
    return app_id


def store_files(bundle: Bundle, storage: Storage, max_bytes: int) -> list[StoredFile]:
    """Put each document's file in storage; a file that cannot be read keeps its reason."""
    out = []
    for ref in bundle.application.documents:
        try:
            data = bundle.source.read(ref.file, max_bytes)
        except FileUnreadable as exc:
            reason, applicant = exc.reason, exc.applicant_reason
            out.append(StoredFile(ref.document_id, None, None, None, reason, applicant))
            continue
        digest = hashlib.sha256(data).hexdigest()
        key = f"sha256/{digest[:2]}/{digest}"
        storage.put(key, data)
        out.append(StoredFile(ref.document_id, key, digest, len(data)))
    return out


_NOT_RECEIVED = "the file was not received"


class StoredSource:
    """A bundle's files read back from storage (the `FileSource` of a stored application)."""

    def __init__(self, storage: Storage, files: dict[str, StoredFile]) -> None:
        self.storage = storage
        self.files = files

    def read(self, name: str, max_bytes: int) -> bytes:
        stored = self.files.get(name)
        if stored is None or stored.storage_key is None:
            reason = stored.read_error if stored else None
            applicant = stored.applicant_error if stored else None
            raise FileUnreadable(reason or f"file {name!r} is missing", applicant or _NOT_RECEIVED)
        try:
            return self.storage.get(stored.storage_key)
        except StorageMissing:
            raise FileUnreadable(f"file {name!r} is missing from storage", _NOT_RECEIVED) from None


@dataclass(frozen=True)
class Outcome:
    """What processing did: `done` (a verdict recorded) or `skipped` (already done)."""

    app_id: str
    state: str
    documents: int = 0
    timings: tuple[dict[str, float], ...] = ()


def process(app_id: str, runtime: Runtime, message_id: str = "inline", attempt: int = 0) -> Outcome:
    """Examine a stored application and record its verdict (idempotent)."""
    with runtime.db.session() as session:
        row = records.get_application(session, app_id)
        if row is None:
            raise LookupError(f"no application {app_id}")
        application = Application.model_validate(row.manifest)
        names = records.file_names(session, app_id)
        inputs = records.input_hash(row.manifest, names.values())
        current = records.current_verdict(session, app_id)
        wanted = (inputs, PIPELINE_VERSION, runtime.packs[application.program].pack_id)
        if current and (current.input_hash, current.pipeline_version, current.rule_pack) == wanted:
            records.set_status(session, app_id, "done")
            return Outcome(app_id, "skipped")
        records.set_status(session, app_id, "processing")
        records.start_job(session, app_id, message_id, attempt)
    examination = runtime.examine(Bundle(application, StoredSource(runtime.storage, names)))
    _record(app_id, application, examination, inputs, runtime, message_id, attempt)
    timings = tuple(dict(d.timings) for d in examination.documents)
    return Outcome(app_id, "done", len(examination.documents), timings)


def _record(
    app_id: str,
    application: Application,
    examination: Examination,
    inputs: str,
    runtime: Runtime,
    message_id: str,
    attempt: int,
) -> None:
    runtime.prior.record(application.application_id, examination.documents)
    with runtime.db.session() as session:
        records.record_verdict(session, app_id, examination.verdict, inputs)
        records.record_documents(session, app_id, examination.documents)
        records.set_status(session, app_id, "done")
        records.finish_job(session, app_id, message_id, attempt, "done")


def mark_failed(app_id: str, runtime: Runtime, error: str, message_id: str, attempt: int) -> None:
    """Record that an application's processing gave up (error: a class name only)."""
    with runtime.db.session() as session:
        row = records.get_application(session, app_id)
        if row is None:
            return
        if not (row.status == "done" and records.current_verdict(session, app_id)):
            records.set_status(session, app_id, "failed", error)  # not when a twin succeeded
        records.finish_job(session, app_id, message_id, attempt, "failed", error)


def mark_retrying(app_id: str, runtime: Runtime, error: str, message_id: str, attempt: int) -> None:
    """Record that an attempt failed transiently and will be retried."""
    with runtime.db.session() as session:
        row = records.get_application(session, app_id)
        if row is None:
            return
        if row.status != "done":
            records.set_status(session, app_id, "queued", error)
        records.finish_job(session, app_id, message_id, attempt, "retry", error)
