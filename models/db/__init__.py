"""Database tables (SQLAlchemy 2 declarative), vocabulary only.

Importing this package registers every table on `Base.metadata` (what Alembic migrates).
"""

from models.db import pipeline_tables, reprocess_tables, review_tables
from models.db.base import Base, JsonType, utcnow

__all__ = ["Base", "JsonType", "pipeline_tables", "reprocess_tables", "review_tables", "utcnow"]
