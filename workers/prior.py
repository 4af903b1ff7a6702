"""The prior-document index in the database, behind DUPLICATE_DOCUMENT across runs.

`DbPriorIndex(db).matches(fingerprint, application_id)` compares a document with every
fingerprint recorded for *other* applications (`pipeline.fingerprint.compare` decides);
`record(application_id, documents)` replaces an application's recorded fingerprints.

The pipeline calls `matches` from inside a stage, where an exception would become a
PROCESSING_ERROR: a database fault is therefore remembered (`failed`) and answered with
no match, and the caller re-raises it with `raise_if_failed()` after the examination so
the work is retried rather than judged on a partial index.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from models.db.pipeline_tables import FingerprintRow
from models.internal import DocumentState, Fingerprint, PriorMatch
from pipeline.fingerprint import compare
from workers.db import Database, DatabaseUnavailable

log = logging.getLogger(__name__)


class DbPriorIndex:
    """Fingerprints of earlier applications, kept in the database."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._local = threading.local()  # worker threads share the index, not their faults

    @property
    def failed(self) -> Exception | None:
        """A database fault met by this thread since the last `raise_if_failed`."""
        return getattr(self._local, "failed", None)

    @failed.setter
    def failed(self, value: Exception | None) -> None:
        self._local.failed = value

    def matches(self, fingerprint: Fingerprint, application_id: str) -> list[PriorMatch]:
        """Documents of other applications that look like this one."""
        try:
            rows = self._candidates(fingerprint, application_id)
        except (SQLAlchemyError, DatabaseUnavailable) as exc:
            log.warning("prior index unavailable: %s", type(exc).__name__)
            self.failed = exc
            return []
        out = []
        for app_ref, doc_id, old in rows:
            found = compare(fingerprint, old)
            if found:
                out.append(PriorMatch(app_ref, doc_id, found[0], found[1]))  # type: ignore[arg-type]
        return out

    def _candidates(
        self, fingerprint: Fingerprint, application_id: str
    ) -> list[tuple[str, str, Fingerprint]]:
        near = [FingerprintRow.sha256 == fingerprint.sha256]
        if fingerprint.phash:
            near.append(FingerprintRow.phash.is_not(None))
        if fingerprint.document_number:
            near.append(FingerprintRow.document_number == fingerprint.document_number)
        query = (
            select(FingerprintRow)
            .where(FingerprintRow.application_ref != application_id, or_(*near))
            .order_by(FingerprintRow.id)
        )
        with self.db.session() as session:
            return [
                (r.application_ref, r.document_id, _fingerprint(r)) for r in session.scalars(query)
            ]

    def raise_if_failed(self) -> None:
        """Re-raise a database fault met during `matches` (then forget it)."""
        failed, self.failed = self.failed, None
        if failed is not None:
            raise DatabaseUnavailable(type(failed).__name__)

    def record(self, application_id: str, documents: Sequence[DocumentState]) -> None:
        """Remember an application's documents (replacing an earlier run of the same one)."""
        with self.db.session() as session:
            session.execute(
                delete(FingerprintRow).where(FingerprintRow.application_ref == application_id)
            )
            rows = [
                _row(application_id, d.document_id, d.fingerprint)
                for d in documents
                if d.fingerprint
            ]
            try:
                with session.begin_nested():
                    session.add_all(rows)
            except IntegrityError:  # a concurrent run of the same application wrote them
                pass


def _row(application_id: str, document_id: str, fp: Fingerprint) -> FingerprintRow:
    return FingerprintRow(
        application_ref=application_id,
        document_id=document_id,
        sha256=fp.sha256,
        phash=fp.phash,
        document_number=fp.document_number,
        holder=fp.holder,
    )


def _fingerprint(row: FingerprintRow) -> Fingerprint:
    return Fingerprint(
        sha256=row.sha256, phash=row.phash, document_number=row.document_number, holder=row.holder
    )
