"""Handing submitted applications to the workers (or doing the work here, with no broker).

`Dispatcher(runtime).submit(path)` stores a bundle and queues it; with no
`DOCVERIFY_BROKER_URL` the application is processed in-process before `submit` returns.
`requeue(app_id)` sends an application again (after its retries were exhausted).
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import dramatiq
import structlog

from workers import records, service
from workers.queue import build_broker, declare, enqueue
from workers.runtime import Runtime

log = structlog.get_logger(__name__)


class Dispatcher:
    """Submits applications to the queue (or runs them inline on the embedded default)."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    @property
    def inline(self) -> bool:
        """True when no broker is configured: work runs in this process."""
        return not self.runtime.settings.broker_url

    @cached_property
    def actor(self) -> dramatiq.Actor:
        broker = build_broker(self.runtime.settings)
        return declare(broker, self.runtime)

    def submit(self, path: Path) -> str:
        """Store and queue one bundle; its application id (`BundleInvalid` if refused)."""
        app_id = self.store(path)
        self.dispatch(app_id)
        return app_id

    def store(self, path: Path) -> str:
        """Store one bundle as a queued application, without sending it yet."""
        return service.submit(path, self.runtime)

    def dispatch(self, app_id: str) -> None:
        """Queue (or process inline) a stored application."""
        if self.inline:
            self._run_inline(app_id)
            return
        with self.runtime.db.session() as session:
            documents = len(records.stored_files(session, app_id))
        enqueue(self.actor, app_id, documents, self.runtime.settings)

    def _run_inline(self, app_id: str) -> None:
        try:
            service.process(app_id, self.runtime)
        except Exception as exc:  # recorded as failed, re-queueable; the next bundle goes on
            log.warning("inline_processing_failed", app=app_id, error=type(exc).__name__)
            service.mark_failed(app_id, self.runtime, type(exc).__name__, "inline", 0)

    def requeue(self, app_id: str) -> bool:
        """Queue an application again; False when there is no such application."""
        with self.runtime.db.session() as session:
            if records.get_application(session, app_id) is None:
                return False
            records.set_status(session, app_id, "queued")
        self.dispatch(app_id)
        return True
