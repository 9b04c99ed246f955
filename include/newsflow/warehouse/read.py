"""The read side: analysts, the CLI and notebooks open the published snapshot, read-only.

``settings.db_path`` is replaced (renamed over) after every committed load, never written in
place, so a session may stay open for as long as it likes: it keeps reading the snapshot it
opened, and the load never waits for it. Reconnect to see newer data.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from newsflow.records import Reject
from newsflow.settings import Settings
from newsflow.warehouse import TABLES

_QUESTION = re.compile(r"^--\s*Question:\s*(.+)$", re.M)


def connect_readonly(settings: Settings) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the latest published snapshot."""
    if not settings.db_path.exists():
        raise FileNotFoundError(
            f"no warehouse at {settings.db_path}: run the pipeline first (newsflow run)"
        )
    return duckdb.connect(str(settings.db_path), read_only=True)


def summary(settings: Settings) -> dict[str, int]:
    """Row count of every warehouse table."""
    with connect_readonly(settings) as conn:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES
        }


def rejects(
    settings: Settings, stage: str | None = None, reason: str | None = None
) -> list[Reject]:
    """Quarantined records, oldest first; ``Reject.raw`` holds the record to replay."""
    with connect_readonly(settings) as conn:
        cursor = conn.execute(
            """
            SELECT stage, reason, url, article_id, expectation, detail, raw, rejected_at
            FROM rejected_articles
            WHERE ($stage IS NULL OR stage = $stage) AND ($reason IS NULL OR reason = $reason)
            ORDER BY rejected_at, reject_id
            """,
            {"stage": stage, "reason": reason},
        )
        columns = [d[0] for d in cursor.description]
        return [Reject(**dict(zip(columns, row, strict=True))) for row in cursor.fetchall()]


def analysis_queries(settings: Settings) -> dict[str, Path]:
    """The example queries in ``include/sql/analysis``, by file stem."""
    return {path.stem: path for path in sorted((settings.sql_dir / "analysis").glob("*.sql"))}


def question(sql: str) -> str:
    """The ``-- Question:`` header of an analysis query."""
    match = _QUESTION.search(sql)
    return match.group(1).strip() if match else ""


def example_query(settings: Settings, name: str) -> tuple[str, str, list[str], list[tuple]]:
    """Run one analysis query: (question, SQL, column names, rows)."""
    queries = analysis_queries(settings)
    if name not in queries:
        raise KeyError(f"no analysis query {name!r}; choose one of {', '.join(queries)}")
    sql = queries[name].read_text(encoding="utf-8")
    with connect_readonly(settings) as conn:
        cursor = conn.execute(sql)
        columns = [d[0] for d in cursor.description]
        return question(sql), sql, columns, cursor.fetchall()
