"""Regenerate the single initial migration from the tables (nothing is released yet).

    .venv/bin/python -m workers.migrations.regenerate

Deletes `versions/0001_*.py`, autogenerates revision 0001 against an empty SQLite
database from `models.db.Base.metadata` (every table: pipeline, review, reprocess), then
formats it. Once a release is out, schema changes become new revisions instead.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from alembic import command

from workers.db import MIGRATIONS, alembic_config


def main() -> None:
    """Rewrite `versions/0001_initial_schema.py`."""
    versions = MIGRATIONS / "versions"
    for old in versions.glob("0001_*.py"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        cfg = alembic_config(f"sqlite:///{Path(tmp) / 'empty.sqlite3'}")
        command.revision(cfg, message="initial schema", autogenerate=True, rev_id="0001")
    (path,) = (MIGRATIONS / "versions").glob("0001_*.py")
    source = path.read_text("utf-8").replace("astext_type=Text()", "astext_type=sa.Text()")
    source = "\n".join(line.rstrip() for line in source.splitlines()) + "\n"
    path.write_text(source, "utf-8")
    ruff = Path(sys.executable).with_name("ruff")
    subprocess.run([str(ruff), "format", "-q", str(path)], check=False)
    subprocess.run([str(ruff), "check", "--fix", "-q", str(path)], check=False)


if __name__ == "__main__":
    main()
