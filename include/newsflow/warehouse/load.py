"""The one DuckDB writer: merge a validated run in a single transaction, then publish a snapshot.

Keys make the load idempotent: ``articles`` by ``article_id`` (from the canonical URL),
``entities`` by (article_id, start_char, end_char, label), ``quotes`` by (article_id, start_char,
end_char), ``rejected_articles`` by a hash of (stage, reason, article or URL, expectation), the
per-run logs by ``run_id``. An article whose fingerprint is unchanged is left alone, so rerunning
a run or the same source rewrites nothing; a re-enriched article is updated and its children are
replaced. Everything of one run commits together or not at all (a killed process leaves the
previous state: DuckDB discards the uncommitted transaction when it next opens the file).

Set ``NEWSFLOW_LOAD_PAUSE_AFTER_MERGE=<seconds>`` to sleep inside the open transaction, after
the merge and before the commit: the kill test uses it to stop a load at a known point.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa
from pydantic import BaseModel, Field

from newsflow.records import FetchLogEntry, Reject, utcnow
from newsflow.settings import Settings
from newsflow.warehouse import TABLES, writer_path
from newsflow.warehouse.migrate import migrate
from newsflow.warehouse.stage import (
    REJECTS,
    SCHEMAS,
    TS,
    read_table,
    reject_rows,
    to_table,
)

logger = logging.getLogger(__name__)

PAUSE_ENV = "NEWSFLOW_LOAD_PAUSE_AFTER_MERGE"
# How long a load waits for another writer (a second scheduler, a manual run) to let go.
WRITER_LOCK_TIMEOUT_S = float(os.environ.get("NEWSFLOW_WRITER_LOCK_TIMEOUT_S", "300"))

ARTICLE_COLUMNS: tuple[str, ...] = (
    "article_id", "url", "canonical_url", "source", "outlet", "domain", "title", "authors",
    "published_at", "language", "text", "captions", "top_image", "word_count", "provenance",
    "content_hash", "duplicate_of", "fetched_at", "relevance_score", "on_topic", "mentions",
    "mentions_kp", "mentions_kr", "mentions_ru", "mentions_ua", "model", "model_version",
    "enriched_at", "fingerprint",
)  # fmt: skip
ENTITY_COLUMNS: tuple[str, ...] = (
    "article_id", "start_char", "end_char", "label", "text", "canonical", "country", "role",
)  # fmt: skip
QUOTE_COLUMNS: tuple[str, ...] = (
    "article_id", "start_char", "end_char", "text", "type", "cue", "speaker", "speaker_text",
    "speaker_start", "speaker_end", "speaker_type", "speaker_country", "confidence",
)  # fmt: skip

FETCH_LOG = pa.schema(
    [
        ("url", pa.string()),
        ("status", pa.int32()),
        ("error", pa.string()),
        ("attempts", pa.int32()),
        ("elapsed_s", pa.float64()),
        ("fetched_at", TS),
        ("not_modified", pa.bool_()),
    ]
)


class LoadReport(BaseModel):
    run_id: str
    db_path: Path
    articles: int = 0  # validated articles the run offered
    articles_new: int = 0
    articles_changed: int = 0
    entities: int = 0  # entity rows written (new or changed articles)
    quotes: int = 0
    rejects: int = 0  # rejects the run reported, all stages
    rejects_new: int = 0
    fetch_log: int = 0
    table_counts: dict[str, int] = Field(default_factory=dict)
    merge_s: float = 0.0
    publish_s: float = 0.0


def _staged(validated_dir: Path) -> dict[str, pa.Table]:
    return {name: read_table(validated_dir, name) for name in SCHEMAS}


def open_writer(path: Path, timeout_s: float = WRITER_LOCK_TIMEOUT_S) -> duckdb.DuckDBPyConnection:
    """Open the writer database, waiting while another process holds its lock."""
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + timeout_s
    delay = 0.1
    while True:
        try:
            return duckdb.connect(str(path))
        except duckdb.IOException as error:
            if "lock" not in str(error).lower() or time.monotonic() > deadline:
                raise
            logger.info("writer database %s is locked, retrying in %.1f s", path, delay)
            time.sleep(delay)
            delay = min(delay * 2, 5.0)


@contextmanager
def load_lock(writer: Path, timeout_s: float = WRITER_LOCK_TIMEOUT_S) -> Iterator[None]:
    """Serialise whole loads (merge *and* publish) across processes.

    DuckDB's own lock covers the writer file only while it is open; the snapshot copy happens
    after it is closed, so two loads could otherwise interleave a merge with a copy. The kernel
    drops the lock of a killed process.
    """
    path = writer.with_name(writer.name + ".lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + timeout_s
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"another load held {path} for {timeout_s:.0f} s") from None
                time.sleep(0.2)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def publish(writer: Path, db_path: Path) -> None:
    """Copy the (closed, checkpointed) writer file over the snapshot in one rename."""
    wal = writer.with_name(writer.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"{writer} still has a write-ahead log; it was not checkpointed")
    tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(writer, tmp)
        with tmp.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, db_path)
    finally:
        tmp.unlink(missing_ok=True)
    directory = os.open(db_path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _pause_for_tests() -> None:
    seconds = float(os.environ.get(PAUSE_ENV) or 0)
    if seconds > 0:
        # The kill test waits for this line on stderr before it kills the process.
        print(f"newsflow-load: paused inside the transaction for {seconds} s", file=sys.stderr)
        sys.stderr.flush()
        time.sleep(seconds)


def _merge(
    conn: duckdb.DuckDBPyConnection,
    run_id: str,
    source: str | None,
    started_at: datetime | None,
    report: LoadReport,
) -> None:
    """The body of the load transaction; the staged tables are registered as ``s_*`` views."""
    now = utcnow()
    conn.execute(
        """
        CREATE OR REPLACE TEMP TABLE changed AS
        SELECT s.article_id, a.article_id IS NULL AS is_new
        FROM s_articles s LEFT JOIN articles a USING (article_id)
        WHERE a.article_id IS NULL OR a.fingerprint <> s.fingerprint
        """
    )
    report.articles_new, report.articles_changed = conn.execute(
        "SELECT count(*) FILTER (is_new), count(*) FILTER (NOT is_new) FROM changed"
    ).fetchone()
    for child in ("entities", "quotes"):
        conn.execute(f"DELETE FROM {child} WHERE article_id IN (SELECT article_id FROM changed)")
    cols = ", ".join(ARTICLE_COLUMNS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in ARTICLE_COLUMNS if c != "article_id")
    conn.execute(
        f"""
        INSERT INTO articles ({cols}, first_seen_run, last_changed_run, loaded_at)
        SELECT {cols}, $run, $run, $now FROM s_articles
        WHERE article_id IN (SELECT article_id FROM changed)
        ON CONFLICT (article_id) DO UPDATE SET {updates},
            last_changed_run = excluded.last_changed_run, loaded_at = excluded.loaded_at
        """,
        {"run": run_id, "now": now},
    )
    for child, columns in (("entities", ENTITY_COLUMNS), ("quotes", QUOTE_COLUMNS)):
        cols = ", ".join(columns)
        conn.execute(
            f"""
            INSERT INTO {child} ({cols})
            SELECT {cols} FROM s_{child} WHERE article_id IN (SELECT article_id FROM changed)
            """
        )
    report.entities, report.quotes = conn.execute(
        """
        SELECT
            (SELECT count(*) FROM s_entities WHERE article_id IN (FROM changed SELECT article_id)),
            (SELECT count(*) FROM s_quotes WHERE article_id IN (FROM changed SELECT article_id))
        """
    ).fetchone()
    before = conn.execute("SELECT count(*) FROM rejected_articles").fetchone()[0]
    conn.execute(
        """
        INSERT INTO rejected_articles
        SELECT reject_id, stage, reason, url, article_id, expectation, detail, raw, rejected_at,
               $run
        FROM (
            SELECT *, substr(sha256(concat_ws('|', stage, reason,
                       coalesce(article_id, url, md5(coalesce(raw, detail, ''))),
                       coalesce(expectation, ''))), 1, 16) AS reject_id
            FROM s_rejects
        )
        QUALIFY row_number() OVER (PARTITION BY reject_id ORDER BY rejected_at) = 1
        ON CONFLICT (reject_id) DO NOTHING
        """,
        {"run": run_id},
    )
    report.rejects_new = (
        conn.execute("SELECT count(*) FROM rejected_articles").fetchone()[0] - before
    )
    conn.execute("DELETE FROM validation_results WHERE run_id = $run", {"run": run_id})
    conn.execute(
        """
        INSERT INTO validation_results
        SELECT $run, suite, expectation, expectation_type, column_name, on_failure, success,
               element_count, unexpected_count, unexpected_percent, detail, validated_at
        FROM s_validation_results
        QUALIFY row_number() OVER (PARTITION BY suite, expectation ORDER BY validated_at DESC) = 1
        """,
        {"run": run_id},
    )
    conn.execute("DELETE FROM fetch_log WHERE run_id = $run", {"run": run_id})
    conn.execute(
        """
        INSERT INTO fetch_log
        SELECT $run, url, status, error, attempts, elapsed_s, fetched_at, not_modified
        FROM s_fetch_log
        QUALIFY row_number() OVER (PARTITION BY url ORDER BY fetched_at DESC) = 1
        """,
        {"run": run_id},
    )
    conn.execute(
        """
        INSERT INTO pipeline_runs VALUES
            ($run, $source, $started, $now, 'success', $staged, $new, $changed, $entities,
             $quotes, $rejects, $fetched)
        ON CONFLICT (run_id) DO UPDATE SET
            source = excluded.source, started_at = excluded.started_at,
            finished_at = excluded.finished_at, status = excluded.status,
            articles_staged = excluded.articles_staged, articles_new = excluded.articles_new,
            articles_changed = excluded.articles_changed,
            entities_loaded = excluded.entities_loaded, quotes_loaded = excluded.quotes_loaded,
            rejects = excluded.rejects, fetch_log_rows = excluded.fetch_log_rows
        """,
        {
            "run": run_id,
            "source": source,
            "started": started_at,
            "now": now,
            "staged": report.articles,
            "new": report.articles_new,
            "changed": report.articles_changed,
            "entities": report.entities,
            "quotes": report.quotes,
            "rejects": report.rejects,
            "fetched": report.fetch_log,
        },
    )


def _load_locked(
    settings: Settings,
    run_id: str,
    staged: dict[str, pa.Table],
    writer: Path,
    source: str | None,
    started_at: datetime | None,
    report: LoadReport,
) -> None:
    if not writer.exists() and settings.db_path.exists():
        # A snapshot without its writer (first load after a copy or a clean-up): start from it.
        shutil.copyfile(settings.db_path, writer)
    started = time.perf_counter()
    conn = open_writer(writer)
    try:
        migrate(conn, settings.sql_dir)
        for name, table in staged.items():
            conn.register(f"s_{name}", table)
        conn.execute("BEGIN TRANSACTION")
        try:
            _merge(conn, run_id, source, started_at, report)
            _pause_for_tests()
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        report.table_counts = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES
        }
        conn.execute("CHECKPOINT")
    finally:
        conn.close()
    report.merge_s = round(time.perf_counter() - started, 3)
    started = time.perf_counter()
    publish(writer, settings.db_path)
    report.publish_s = round(time.perf_counter() - started, 3)


def load_run(
    settings: Settings,
    run_id: str,
    validated_dir: Path,
    fetch_log: list[FetchLogEntry] | None = None,
    extra_rejects: list[Reject] | None = None,
    started_at: datetime | None = None,
    source: str | None = None,
) -> LoadReport:
    """Merge one validated run into the warehouse (one transaction) and publish the snapshot."""
    staged = _staged(validated_dir)
    extra = to_table(reject_rows(extra_rejects or []), REJECTS)
    staged["rejects"] = pa.concat_tables([staged["rejects"], extra])
    staged["fetch_log"] = to_table([e.model_dump() for e in fetch_log or []], FETCH_LOG)
    report = LoadReport(
        run_id=run_id,
        db_path=settings.db_path,
        articles=staged["articles"].num_rows,
        rejects=staged["rejects"].num_rows,
        fetch_log=staged["fetch_log"].num_rows,
    )
    writer = writer_path(settings.db_path)
    with load_lock(writer):
        _load_locked(settings, run_id, staged, writer, source, started_at, report)
    logger.info(
        "run %s: %d articles offered, %d new, %d changed; %d entities, %d quotes written; "
        "%d new rejects; merge %.2f s, publish %.2f s",
        run_id,
        report.articles,
        report.articles_new,
        report.articles_changed,
        report.entities,
        report.quotes,
        report.rejects_new,
        report.merge_s,
        report.publish_s,
    )
    return report
