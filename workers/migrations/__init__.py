"""Alembic migrations of the docverify database (run in code by `workers.db.Database.migrate`)."""
