"""What fetching remembers between runs, in a small SQLite file under ``data_dir``.

Conditional-GET validators, URLs already fetched, failures with their attempt counts (the retry
backlog) and the dedup index (canonical URLs, content hashes, MinHash bands). It is not DuckDB on
purpose: the warehouse has a single writer (the load task) and fetch runs before it.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from newsflow.records import Candidate, utcnow
from newsflow.settings import Settings

SCHEMA = """
CREATE TABLE IF NOT EXISTS validators (
    url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS fetched (
    url TEXT PRIMARY KEY, content_sha256 TEXT NOT NULL, status INTEGER, fetched_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS failures (
    url TEXT PRIMARY KEY, attempts INTEGER NOT NULL, last_status INTEGER, last_error TEXT,
    transient INTEGER NOT NULL, candidate_json TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    article_id TEXT PRIMARY KEY, canonical_url TEXT NOT NULL, content_hash TEXT NOT NULL,
    duplicate_of TEXT, shingles INTEGER NOT NULL DEFAULT 0, signature BLOB, seen_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS articles_url ON articles (canonical_url);
CREATE INDEX IF NOT EXISTS articles_hash ON articles (content_hash);
CREATE TABLE IF NOT EXISTS pending (
    url TEXT PRIMARY KEY, candidate_json TEXT NOT NULL, added_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS discovered (
    seq INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE, first_seen TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS lsh (band INTEGER NOT NULL, bucket TEXT NOT NULL,
    article_id TEXT NOT NULL, PRIMARY KEY (band, bucket, article_id));
"""


def state_path(settings: Settings) -> Path:
    """The state a run reads and writes: its own copy when a run set one, else the committed one."""
    return settings.state_path or committed_state_path(settings)


def committed_state_path(settings: Settings) -> Path:
    return settings.data_dir / "fetch_state.sqlite"


def _copy_database(source: Path, target: Path) -> None:
    """Copy one SQLite file over another with the backup API: atomic for readers of ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def begin_run(settings: Settings, run_copy: Path) -> None:
    """Give a run its own copy of the committed state.

    The state remembers what was fetched and which articles are known. Were a run to write the
    committed state directly, a run that failed before its load would leave those articles
    "known" yet missing from the warehouse, and no later run would bring them back. So a run
    works on a copy, and only a successful load commits it (`commit_run`).
    """
    committed = committed_state_path(settings)
    run_copy.unlink(missing_ok=True)
    if committed.exists():
        _copy_database(committed, run_copy)


def commit_run(settings: Settings, run_copy: Path) -> None:
    """Make a loaded run's state the committed state (called after the warehouse commit)."""
    if run_copy.exists():
        _copy_database(run_copy, committed_state_path(settings))


@dataclass(frozen=True)
class Validators:
    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        out = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


@dataclass(frozen=True)
class KnownArticle:
    article_id: str
    canonical_url: str
    content_hash: str
    duplicate_of: str | None
    shingles: int
    signature: bytes | None


class FetchState:
    """Thread-safe wrapper around one SQLite connection (fetch uses a small thread pool)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, timeout=30, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        # WAL + NORMAL survives a crashed process; only a power cut may drop the last commits,
        # which costs a refetch, never a corrupt file.
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=30000")
        self._db.executescript(SCHEMA)
        # States written before the discovered table: their pending URLs keep their age.
        self._db.execute(
            "INSERT OR IGNORE INTO discovered (url, first_seen) "
            "SELECT url, added_at FROM pending ORDER BY added_at, rowid"
        )

    @classmethod
    def for_settings(cls, settings: Settings) -> FetchState:
        return cls(state_path(settings))

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> FetchState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _query(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    # Facts about the state itself (e.g. which enrichment produced the known articles)
    def get_meta(self, key: str) -> str | None:
        rows = self._query("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str | None) -> None:
        with self._tx() as db:
            if value is None:
                db.execute("DELETE FROM meta WHERE key = ?", (key,))
            else:
                db.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )

    # Conditional GET
    def validators(self, url: str) -> Validators | None:
        rows = self._query("SELECT etag, last_modified FROM validators WHERE url = ?", (url,))
        return Validators(*rows[0]) if rows else None

    def save_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        if not etag and not last_modified:
            return
        with self._tx() as db:
            db.execute(
                "INSERT OR REPLACE INTO validators VALUES (?, ?, ?, ?)",
                (url, etag, last_modified, utcnow().isoformat()),
            )

    # Fetched pages
    def fetched_sha256(self, url: str) -> str | None:
        rows = self._query("SELECT content_sha256 FROM fetched WHERE url = ?", (url,))
        return rows[0][0] if rows else None

    def record_fetched(self, url: str, content_sha256: str, status: int) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT OR REPLACE INTO fetched VALUES (?, ?, ?, ?)",
                (url, content_sha256, status, utcnow().isoformat()),
            )
            db.execute("DELETE FROM failures WHERE url = ?", (url,))
            db.execute("DELETE FROM pending WHERE url = ?", (url,))
            db.execute("DELETE FROM discovered WHERE url = ?", (url,))

    # Failures and the retry backlog
    def failure_attempts(self, url: str) -> int:
        rows = self._query("SELECT attempts FROM failures WHERE url = ?", (url,))
        return int(rows[0][0]) if rows else 0

    def record_failure(
        self, url: str, candidate: Candidate, status: int | None, error: str, transient: bool
    ) -> int:
        """Count one more failed run for ``url``; returns the attempts so far."""
        with self._tx() as db:
            row = db.execute("SELECT attempts FROM failures WHERE url = ?", (url,)).fetchone()
            attempts = (row[0] if row else 0) + 1
            db.execute(
                "INSERT OR REPLACE INTO failures VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    url,
                    attempts,
                    status,
                    error,
                    int(transient),
                    candidate.model_dump_json(),
                    utcnow().isoformat(),
                ),
            )
            db.execute("DELETE FROM pending WHERE url = ?", (url,))
            if not transient:
                db.execute("DELETE FROM discovered WHERE url = ?", (url,))
        return attempts

    # Discovered but not yet fetched: a run that dies after discovery loses nothing, even when
    # the feed answers 304 next time.
    def add_pending(self, items: list[tuple[str, Candidate]]) -> None:
        """Queue discovered URLs, in discovery order; a URL seen before keeps its first place."""
        now = utcnow().isoformat()
        with self._tx() as db:
            db.executemany(
                "INSERT OR IGNORE INTO discovered (url, first_seen) VALUES (?, ?)",
                [(url, now) for url, _ in items],
            )
            db.executemany(
                "INSERT OR IGNORE INTO pending VALUES (?, ?, ?)",
                [(url, c.model_dump_json(), now) for url, c in items],
            )

    def pending(self) -> list[Candidate]:
        rows = self._query(
            "SELECT p.candidate_json FROM pending p LEFT JOIN discovered d USING (url) "
            "ORDER BY d.seq IS NULL, d.seq, p.added_at, p.url"
        )
        return [Candidate.model_validate_json(r[0]) for r in rows]

    def queue(self, max_attempts: int) -> list[Candidate]:
        """Everything waiting to be fetched (pending and the retry backlog), oldest first.

        Age is when a URL was first discovered, so with a fetch limit a stream of new URLs
        cannot starve older ones: each run takes the head of the queue.
        """
        rows = self._query(
            "SELECT url, candidate_json FROM ("
            " SELECT p.url, p.candidate_json, d.seq, p.added_at AS since, 0 AS retry"
            " FROM pending p LEFT JOIN discovered d USING (url)"
            " UNION ALL"
            " SELECT f.url, f.candidate_json, d.seq, f.updated_at, 1"
            " FROM failures f LEFT JOIN discovered d USING (url)"
            " WHERE f.transient = 1 AND f.attempts < ?"
            ") ORDER BY seq IS NULL, seq, since, retry, url",
            (max_attempts,),
        )
        seen: set[str] = set()
        out = []
        for url, candidate_json in rows:
            if url not in seen:
                seen.add(url)
                out.append(Candidate.model_validate_json(candidate_json))
        return out

    def drop_pending(self, url: str) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM pending WHERE url = ?", (url,))
            db.execute("DELETE FROM discovered WHERE url = ?", (url,))

    def retry_backlog(self, max_attempts: int) -> list[Candidate]:
        """Candidates whose last failure was transient and that have attempts left."""
        rows = self._query(
            "SELECT candidate_json FROM failures WHERE transient = 1 AND attempts < ? "
            "ORDER BY updated_at",
            (max_attempts,),
        )
        return [Candidate.model_validate_json(r[0]) for r in rows]

    # Dedup index
    def article_by_url(self, canonical_url: str) -> KnownArticle | None:
        rows = self._query(
            "SELECT * FROM articles WHERE canonical_url = ? LIMIT 1", (canonical_url,)
        )
        return _known(rows[0]) if rows else None

    def original_by_hash(self, content_hash: str) -> KnownArticle | None:
        rows = self._query(
            "SELECT * FROM articles WHERE content_hash = ? AND duplicate_of IS NULL "
            "ORDER BY seen_at LIMIT 1",
            (content_hash,),
        )
        return _known(rows[0]) if rows else None

    def near_candidates(self, buckets: list[str]) -> list[KnownArticle]:
        """Originals sharing at least one LSH bucket (band index is the list position)."""
        if not buckets:
            return []
        clause = " OR ".join("(band = ? AND bucket = ?)" for _ in buckets)
        params: list[object] = []
        for band, bucket in enumerate(buckets):
            params += [band, bucket]
        rows = self._query(
            f"SELECT DISTINCT a.* FROM lsh JOIN articles a USING (article_id) WHERE {clause} "
            "AND a.duplicate_of IS NULL ORDER BY a.seen_at",
            tuple(params),
        )
        return [_known(r) for r in rows]

    def record_article(
        self,
        article_id: str,
        canonical_url: str,
        content_hash: str,
        duplicate_of: str | None,
        shingles: int,
        signature: bytes | None,
        buckets: list[str],
    ) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    article_id,
                    canonical_url,
                    content_hash,
                    duplicate_of,
                    shingles,
                    signature,
                    utcnow().isoformat(),
                ),
            )
            db.execute("DELETE FROM lsh WHERE article_id = ?", (article_id,))
            if duplicate_of is None:
                db.executemany(
                    "INSERT OR IGNORE INTO lsh VALUES (?, ?, ?)",
                    [(band, bucket, article_id) for band, bucket in enumerate(buckets)],
                )


def _known(row: tuple) -> KnownArticle:
    return KnownArticle(row[0], row[1], row[2], row[3], int(row[4]), row[5])
