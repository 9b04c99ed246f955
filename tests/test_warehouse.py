"""The DuckDB warehouse: migrations, idempotent merges, a killed load, readers next to the writer.

Loads here read staged batches directly (same Parquet schemas as validated ones) so that the
tests exercise the warehouse without paying for Great Expectations; test_validate.py covers the
validated path end to end.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from test_warehouse_samples import good_articles, make_article

from newsflow.records import EnrichedArticle, FetchLogEntry, Reject
from newsflow.settings import Settings
from newsflow.warehouse import TABLES, writer_path
from newsflow.warehouse.load import PAUSE_ENV, load_run
from newsflow.warehouse.migrate import MigrationError, migrate
from newsflow.warehouse.read import connect_readonly, summary
from newsflow.warehouse.stage import stage_batch

CONTENT_TABLES = {
    "articles": "article_id",
    "entities": "article_id, start_char, end_char, label",
    "quotes": "article_id, start_char, end_char",
    "rejected_articles": "reject_id",
}
LOAD_SCRIPT = """
import logging, sys
from pathlib import Path
from newsflow.settings import Settings
from newsflow.warehouse.load import load_run
logging.basicConfig(level=logging.INFO)
load_run(Settings.from_env(data_dir=sys.argv[1]), sys.argv[2], Path(sys.argv[3]))
"""
READER_SCRIPT = """
import duckdb, json, sys, time
conn = duckdb.connect(sys.argv[1], read_only=True)
seen = set()
print("open", flush=True)
deadline = time.monotonic() + float(sys.argv[2])
while time.monotonic() < deadline:
    seen.add(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    conn.execute("SELECT count(*) FROM entities JOIN articles USING (article_id)").fetchone()
    time.sleep(0.02)
print(json.dumps(sorted(seen)), flush=True)
"""


def stage(settings: Settings, records: list[EnrichedArticle], name: str, **kw) -> Path:
    return stage_batch(records, kw.get("rejects", []), settings.staging_dir / name)


def contents(settings: Settings) -> dict[str, list[tuple]]:
    with connect_readonly(settings) as conn:
        return {
            table: conn.execute(f"SELECT * FROM {table} ORDER BY {key}").fetchall()
            for table, key in CONTENT_TABLES.items()
        }


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_migrations_create_documented_tables_once(settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True)
    conn = duckdb.connect(str(settings.data_dir / "m.duckdb"))
    assert migrate(conn) == ["0001_core_tables"]
    assert migrate(conn) == []
    columns = conn.execute(
        "SELECT table_name, column_name, comment FROM duckdb_columns() WHERE NOT internal"
    ).fetchall()
    tables = {t for t, _, _ in columns}
    assert set(TABLES) <= tables
    undocumented = [(t, c) for t, c, comment in columns if t in TABLES and not comment]
    assert undocumented == []
    query = "SELECT view_name FROM duckdb_views() WHERE NOT internal"
    views = {v for (v,) in conn.execute(query).fetchall()}
    assert {"daily_country_coverage", "quoted_about", "outlet_breakdown"} <= views


def test_an_edited_applied_migration_is_refused(settings: Settings, tmp_path: Path) -> None:
    sql_dir = tmp_path / "sql"
    shutil.copytree(settings.sql_dir, sql_dir)
    conn = duckdb.connect(str(tmp_path / "m.duckdb"))
    migrate(conn, sql_dir)
    migration = next((sql_dir / "migrations").glob("0001_*.sql"))
    migration.write_text(migration.read_text() + "\n-- edited\n")
    with pytest.raises(MigrationError, match="changed after it was applied"):
        migrate(conn, sql_dir)


def test_reloading_a_run_or_its_source_changes_nothing(settings: Settings) -> None:
    records = good_articles(6)
    reject = Reject(stage="fetch", reason="http_404", url="https://news.example.org/gone")
    log = [FetchLogEntry(url=r.article.url, status=200) for r in records]
    first = load_run(
        settings, "run-a", stage(settings, records, "a"), fetch_log=log, extra_rejects=[reject]
    )
    assert (first.articles_new, first.articles_changed) == (6, 0)
    before = contents(settings)
    assert len(before["articles"]) == 6 and len(before["rejected_articles"]) == 1

    # The same run again (an Airflow retry) ...
    again = load_run(
        settings, "run-a", stage(settings, records, "a"), fetch_log=log, extra_rejects=[reject]
    )
    assert (again.articles_new, again.articles_changed, again.rejects_new) == (0, 0, 0)
    assert contents(settings) == before
    # ... and a new run over the same source: fresh records, new clocks, same content.
    rerun = [
        EnrichedArticle.model_validate_json(r.model_dump_json()).model_copy(
            update={"enriched_at": datetime.now(UTC)}
        )
        for r in records
    ]
    later = load_run(
        settings, "run-b", stage(settings, rerun, "b"), fetch_log=log, extra_rejects=[reject]
    )
    assert (later.articles_new, later.articles_changed, later.rejects_new) == (0, 0, 0)
    assert contents(settings) == before
    counts = summary(settings)
    assert counts["pipeline_runs"] == 2 and counts["fetch_log"] == 2 * len(log)


def test_a_reenriched_article_replaces_its_children(settings: Settings) -> None:
    records = good_articles(3)
    load_run(settings, "run-a", stage(settings, records, "a"))
    changed = records[0].model_copy(
        update={"entities": records[0].entities[1:], "model_version": "3.8.1"}
    )
    report = load_run(settings, "run-b", stage(settings, [changed, *records[1:]], "b"))
    assert (report.articles_new, report.articles_changed) == (0, 1)
    with connect_readonly(settings) as conn:
        rows = conn.execute(
            "SELECT article_id, first_seen_run, last_changed_run, model_version FROM articles"
        ).fetchall()
        entities = conn.execute(
            "SELECT start_char, end_char, label FROM entities WHERE article_id = ? ORDER BY 1",
            [changed.article.article_id],
        ).fetchall()
    state = {row[0]: row[1:] for row in rows}
    assert state[changed.article.article_id] == ("run-a", "run-b", "3.8.1")
    assert state[records[1].article.article_id] == ("run-a", "run-a", "3.8.0")
    assert entities == sorted((e.start, e.end, e.label) for e in changed.entities)


def test_a_killed_load_leaves_the_previous_state(settings: Settings) -> None:
    load_run(settings, "run-a", stage(settings, good_articles(3), "a"))
    before = contents(settings)
    snapshot = sha256(settings.db_path)
    big = [make_article("troops", f"https://news.example.org/big-{i}") for i in range(2000)]
    big_dir = stage(settings, big, "big")
    env = {**os.environ, PAUSE_ENV: "120"}
    proc = subprocess.Popen(
        [sys.executable, "-c", LOAD_SCRIPT, str(settings.data_dir), "run-big", str(big_dir)],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        lines = []
        for line in proc.stderr:  # wait until the merge ran and the transaction is open
            lines.append(line)
            if "paused inside the transaction" in line:
                break
        assert any("paused inside the transaction" in line for line in lines), "".join(lines)
        assert "run-big" not in "".join(lines)  # the load had not committed
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert sha256(settings.db_path) == snapshot  # the published snapshot was never touched
    assert contents(settings) == before
    # The writer recovers to the last commit (DuckDB drops the uncommitted transaction) ...
    with duckdb.connect(str(writer_path(settings.db_path))) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
        assert conn.execute("SELECT count(*) FROM pipeline_runs").fetchone()[0] == 1
    # ... and the next load of the same run completes.
    report = load_run(settings, "run-big", big_dir)
    assert report.table_counts["articles"] == 2003


def test_an_open_reader_and_the_load_do_not_block_each_other(settings: Settings) -> None:
    load_run(settings, "run-a", stage(settings, good_articles(3), "a"))
    reader = subprocess.Popen(
        [sys.executable, "-c", READER_SCRIPT, str(settings.db_path), "4"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout.readline().strip() == "open"
        # The analyst's session is open (and querying) while the load runs.
        report = load_run(settings, "run-b", stage(settings, good_articles(9), "b"))
        assert report.table_counts["articles"] == 9
        out, _ = reader.communicate(timeout=60)
    finally:
        if reader.poll() is None:
            reader.kill()
    assert reader.returncode == 0
    assert out.strip() == "[3]"  # the session kept reading the snapshot it opened
    assert summary(settings)["articles"] == 9  # a new session sees the new snapshot


def test_a_reader_can_open_the_warehouse_during_a_load(settings: Settings) -> None:
    load_run(settings, "run-a", stage(settings, good_articles(3), "a"))
    batch = stage(settings, good_articles(9), "b")
    env = {**os.environ, PAUSE_ENV: "3"}
    loader = subprocess.Popen(
        [sys.executable, "-c", LOAD_SCRIPT, str(settings.data_dir), "run-b", str(batch)],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    for line in loader.stderr:
        if "paused inside the transaction" in line:
            break
    reader = subprocess.run(
        [sys.executable, "-c", READER_SCRIPT, str(settings.db_path), "0.5"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert reader.returncode == 0, reader.stderr
    assert reader.stdout.splitlines()[-1] == "[3]"  # the last committed state
    loader.stderr.read()
    assert loader.wait(timeout=60) == 0
    assert summary(settings)["articles"] == 9


def test_a_second_writer_waits_for_the_first(settings: Settings) -> None:
    load_run(settings, "run-a", stage(settings, good_articles(3), "a"))
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]);"
            " print('locked', flush=True); time.sleep(2); c.close()",
            str(writer_path(settings.db_path)),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    report = load_run(settings, "run-b", stage(settings, good_articles(4), "b"))
    assert holder.wait(timeout=30) == 0
    assert report.table_counts["articles"] == 4


def test_rejects_are_kept_once_with_their_raw_record(settings: Settings) -> None:
    bad = make_article("seoul", "https://bad.example.org/x", text="")
    reject = Reject(
        stage="enrich",
        reason="unsupported_language",
        url=bad.article.url,
        article_id=bad.article.article_id,
        raw=bad.model_dump_json(),
    )
    for run in ("run-a", "run-b"):
        load_run(settings, run, stage(settings, [], run, rejects=[reject, reject]))
    with connect_readonly(settings) as conn:
        rows = conn.execute("SELECT stage, reason, run_id, raw FROM rejected_articles").fetchall()
    assert len(rows) == 1 and rows[0][:3] == ("enrich", "unsupported_language", "run-a")
    assert EnrichedArticle.model_validate_json(rows[0][3]) == bad


def test_summary_needs_a_published_warehouse(settings: Settings) -> None:
    with pytest.raises(FileNotFoundError, match="run the pipeline first"):
        summary(settings)


def test_a_snapshot_without_its_writer_is_adopted(settings: Settings) -> None:
    load_run(settings, "run-a", stage(settings, good_articles(3), "a"))
    writer_path(settings.db_path).unlink()
    report = load_run(settings, "run-b", stage(settings, good_articles(4), "b"))
    assert report.articles_new == 1 and report.table_counts["pipeline_runs"] == 2


def test_the_database_can_live_elsewhere(settings: Settings, tmp_path: Path) -> None:
    elsewhere = replace(settings, db_path=tmp_path / "other" / "news.duckdb")
    load_run(elsewhere, "run-a", stage(settings, good_articles(2), "a"))
    assert summary(elsewhere)["articles"] == 2
    assert writer_path(elsewhere.db_path).parent == tmp_path / "other"


def test_two_loading_processes_take_turns(settings: Settings) -> None:
    load_run(settings, "run-a", stage(settings, good_articles(3), "a"))
    extra = [make_article("seoul", f"https://news.example.org/extra-{i}") for i in range(4)]
    batches = {
        "run-b": stage(settings, good_articles(5), "b"),
        "run-c": stage(settings, extra, "c"),
    }
    loaders = [
        subprocess.Popen(
            [sys.executable, "-c", LOAD_SCRIPT, str(settings.data_dir), run, str(path)],
            env={**os.environ, PAUSE_ENV: "1"},
            stderr=subprocess.DEVNULL,
        )
        for run, path in batches.items()
    ]
    assert [loader.wait(timeout=120) for loader in loaders] == [0, 0]
    counts = summary(settings)
    assert counts["pipeline_runs"] == 3 and counts["articles"] == 5 + len(extra)
    with duckdb.connect(str(writer_path(settings.db_path)), read_only=True) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == counts["articles"]
