"""Submitting bundles from the API and getting them processed.

`Intake.submit_zip(data)` writes the upload to a private temporary file, lets
`workers.service.submit` validate and store it (a refused bundle raises `BundleInvalid`
with its one-line reason), then hands the id to processing: the dramatiq queue when a
broker is configured, otherwise a single background thread of this process (the
embedded default). Logs carry application ids only.
"""

from __future__ import annotations

import logging
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from pipeline.errors import BundleInvalid
from workers import service
from workers.runtime import Runtime

log = logging.getLogger(__name__)


class Intake:
    """Submission and processing for the web app."""

    def __init__(self, runtime: Runtime, inline: bool) -> None:
        self.runtime = runtime
        self.inline = inline and not runtime.settings.broker_url
        self._executor: ThreadPoolExecutor | None = None
        self._actor: Any = None

    def submit_zip(self, data: bytes) -> str:
        """Store a zipped bundle and queue it; the new application id."""
        if len(data) > self.runtime.config.limits.zip_unpacked_bytes:
            raise BundleInvalid("the zipped bundle is larger than the unpacked-size limit")
        with tempfile.TemporaryDirectory(prefix="docverify-upload-") as tmp:
            path = Path(tmp) / "bundle.zip"
            path.write_bytes(data)
            app_id = service.submit(path, self.runtime)
        self.enqueue(app_id)
        return app_id

    def enqueue(self, app_id: str) -> Future[None] | None:
        """Have the application processed (in-process thread or the broker)."""
        if self.inline:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    max_workers=1, thread_name_prefix="docverify-inline"
                )
            return self._executor.submit(self._process, app_id)
        if not self.runtime.settings.broker_url:
            return None  # processing left to `docverify worker`
        from workers import queue

        if self._actor is None:
            broker = queue.build_broker(self.runtime.settings)
            self._actor = queue.declare(broker, self.runtime)
        with self.runtime.db.session() as session:
            from workers import records

            documents = len(records.stored_files(session, app_id))
        queue.enqueue(self._actor, app_id, documents, self.runtime.settings)
        return None

    def _process(self, app_id: str) -> None:
        try:
            service.process(app_id, self.runtime)
        except Exception as exc:  # the thread must survive any one application
            log.warning(
                "inline processing failed", extra={"app": app_id, "error": type(exc).__name__}
            )
            service.mark_failed(app_id, self.runtime, type(exc).__name__, "inline", 0)

    def shutdown(self) -> None:
        """Wait for inline work to finish."""
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
