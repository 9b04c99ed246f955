"""The DuckDB warehouse: staged Parquet in, one transactional merge, a read-only snapshot out.

Two files, one writer:

* ``<db>.writer.duckdb`` next to ``settings.db_path`` is the working database. Only the load task
  opens it (read-write, in an Airflow pool of size one, with a retry if another writer holds it).
* ``settings.db_path`` (default ``data/news.duckdb``) is the *published snapshot*: after every
  committed load the writer file is checkpointed, copied to a temporary file in the same folder
  and swapped in with ``os.replace``. Analysts, the CLI and notebooks open this file, read-only.

DuckDB lets one process open a file read-write *or* many processes open it read-only, and a
read-only reader in another process stops a writer from opening that file at all. Separating
the files removes the conflict: readers never touch the writer file, and the rename never waits
for readers. A session opened before a load keeps reading the snapshot it opened (the old
inode stays alive until it closes); a new connection sees the new snapshot. See
``include/sql/README.md``.
"""

from __future__ import annotations

from pathlib import Path

# Every table the load writes; the DAG declares one outlet Asset per name.
TABLES: tuple[str, ...] = (
    "articles",
    "entities",
    "quotes",
    "rejected_articles",
    "validation_results",
    "fetch_log",
    "pipeline_runs",
)


def writer_path(db_path: Path) -> Path:
    """The working (read-write) database behind a published snapshot at ``db_path``."""
    return db_path.with_name(f"{db_path.stem}.writer{db_path.suffix or '.duckdb'}")
