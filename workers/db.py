"""The database: engine, sessions, and migrations run at startup.

`Database(url)` opens lazily: nothing touches the database until `.session()` or
`.migrate()` is called. `migrate()` brings the schema to the newest Alembic revision
(the migrations ship inside `workers/migrations`), serialised between processes
(a file lock on SQLite, an advisory lock on PostgreSQL) and skipped when already current.
Transient connection failures surface as `DatabaseUnavailable`. Statement parameters are
hidden from error messages (they hold personal data).
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_PG_LOCK_KEY = 0x646F6376  # "docv": the advisory lock taken while migrating


class DatabaseUnavailable(Exception):
    """The database cannot be reached right now: a transient fault, worth a retry."""


def alembic_config(url: str | None = None) -> Config:
    """An Alembic configuration built in code (no alembic.ini needed)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str | None:
    """The newest migration shipped with this version."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


class Database:
    """One database (SQLite file or PostgreSQL), opened on first use."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._migrated = False

    @property
    def is_sqlite(self) -> bool:
        return make_url(self.url).get_backend_name() == "sqlite"

    @cached_property
    def engine(self) -> Engine:
        if self.is_sqlite:
            path = make_url(self.url).database
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(self.url, connect_args={"timeout": 30}, hide_parameters=True)
            event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        return create_engine(
            self.url,
            pool_pre_ping=True,
            pool_size=5,
            max_overflow=5,
            hide_parameters=True,
            connect_args={"connect_timeout": 5},
        )

    @cached_property
    def _sessions(self) -> sessionmaker[Session]:
        return sessionmaker(self.engine, expire_on_commit=False)

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error."""
        self.migrate()
        try:
            with self._sessions() as session, session.begin():
                yield session
        except (OperationalError, DBAPIError) as exc:
            if _is_transient(exc):
                raise DatabaseUnavailable(type(exc.orig).__name__) from None
            raise

    def migrate(self) -> None:
        """Bring the schema to the newest revision (once per process)."""
        if self._migrated:
            return
        try:
            with self._file_lock(), self.engine.connect() as conn:
                if _current(conn) != head_revision():
                    with self._lock(conn):
                        _upgrade(conn)
        except (OperationalError, DBAPIError) as exc:
            if _is_transient(exc):
                raise DatabaseUnavailable(type(exc.orig).__name__) from None
            raise
        self._migrated = True

    @contextlib.contextmanager
    def _file_lock(self) -> Iterator[None]:
        """On an SQLite file, the migration lock is taken before the first connection: a
        new file's first connections switch it to WAL, and several doing so at once got
        'database is locked' without waiting (2 runs in 40 of 4 threads)."""
        path = make_url(self.url).database if self.is_sqlite else None
        if not path or path == ":memory:":
            yield
            return
        try:
            fh = open(f"{path}.migrate-lock", "w")  # noqa: SIM115 - closed below
        except OSError:  # no folder, no room: connecting fails and says why
            yield
            return
        with fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def _lock(self, conn: Connection) -> Iterator[None]:
        if self.is_sqlite:  # `_file_lock` is held already
            yield
            return
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_LOCK_KEY})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_LOCK_KEY})
            conn.commit()

    def dispose(self) -> None:
        """Close pooled connections (after a fork, or at exit)."""
        if "engine" in self.__dict__:
            self.engine.dispose()


def _current(conn: Connection) -> str | None:
    rev = MigrationContext.configure(conn).get_current_revision()
    conn.rollback()
    return rev


def _upgrade(conn: Connection) -> None:
    if _current(conn) == head_revision():
        return  # another process migrated while we waited for the lock
    cfg = alembic_config()
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")
    conn.commit()


def _is_transient(exc: DBAPIError) -> bool:
    """Connection-level failures (server down, restarting, network) are worth a retry."""
    if exc.connection_invalidated:
        return True
    name = type(exc.orig).__name__ if exc.orig is not None else ""
    text_ = str(exc.orig).lower() if exc.orig is not None else ""
    return name in ("OperationalError", "InterfaceError", "AdminShutdown") and (
        "connect" in text_
        or "server closed" in text_
        or "terminating" in text_
        or "shutdown" in text_
        or "locked" in text_
        or "timeout" in text_
        or name != "OperationalError"
    )
