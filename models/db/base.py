"""The SQLAlchemy declarative base shared by every table (pipeline and review).

Vocabulary only: no engine, no session, no I/O. A fixed naming convention keeps
constraint names stable so Alembic migrations are reproducible on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, MetaData
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JsonType = JSON().with_variant(JSONB(), "postgresql")
"""JSON column type: JSONB on PostgreSQL, JSON text elsewhere."""


def utcnow() -> datetime:
    """The current time, timezone-aware UTC (column default; called by the DB layer only)."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base of every docverify table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
