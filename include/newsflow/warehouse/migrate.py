"""Versioned schema migrations and views, applied automatically by every load.

``include/sql/migrations/NNNN_name.sql`` files run once each, in order, every one in its own
transaction together with its row in ``schema_migrations``; an applied file whose checksum has
changed is an error (add a new migration instead). ``include/sql/views/*.sql`` hold
``CREATE OR REPLACE VIEW`` statements and are re-applied on every call, so editing a view needs
no migration.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from newsflow.settings import INCLUDE_DIR

logger = logging.getLogger(__name__)

DEFAULT_SQL_DIR = INCLUDE_DIR / "sql"
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class MigrationError(RuntimeError):
    """The migrations folder and the database disagree."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()


def migrations(sql_dir: Path = DEFAULT_SQL_DIR) -> list[Migration]:
    found = []
    for path in sorted((sql_dir / "migrations").glob("*.sql")):
        match = _NAME.match(path.name)
        if match is None:
            raise MigrationError(f"migration file {path.name} is not named NNNN_snake_case.sql")
        found.append(Migration(int(match.group(1)), path.stem, path.read_text(encoding="utf-8")))
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise MigrationError(f"two migrations share a version number in {sql_dir / 'migrations'}")
    return found


def migrate(conn: duckdb.DuckDBPyConnection, sql_dir: Path = DEFAULT_SQL_DIR) -> list[str]:
    """Apply pending migrations, then (re)create the views; returns the migrations applied."""
    conn.execute(
        """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY,
            name VARCHAR NOT NULL,
            checksum VARCHAR NOT NULL,
            applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
        )
        """
    )
    applied = dict(conn.execute("SELECT version, checksum FROM schema_migrations").fetchall())
    done = []
    for migration in migrations(sql_dir):
        if migration.version in applied:
            if applied[migration.version] != migration.checksum:
                raise MigrationError(
                    f"migration {migration.name} changed after it was applied; "
                    "add a new migration instead of editing it"
                )
            continue
        conn.execute("BEGIN TRANSACTION")
        try:
            conn.execute(migration.sql)
            conn.execute(
                "INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)",
                [migration.version, migration.name, migration.checksum],
            )
            conn.execute("COMMIT")
        except Exception:
            conn.execute("ROLLBACK")
            raise
        logger.info("applied migration %s", migration.name)
        done.append(migration.name)
    for path in sorted((sql_dir / "views").glob("*.sql")):
        conn.execute(path.read_text(encoding="utf-8"))
    return done
