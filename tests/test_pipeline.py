"""pipeline.run and its steps on the seeds, without Airflow."""

from __future__ import annotations

from dataclasses import replace

import duckdb
import pytest

from newsflow import pipeline
from newsflow.settings import Settings

pytestmark = pytest.mark.slow


def _count(settings: Settings, table: str) -> int:
    with duckdb.connect(str(settings.db_path), read_only=True) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_a_run_that_dies_before_its_load_loses_nothing(settings: Settings) -> None:
    # A run fetches and extracts the seeds, then dies (say the validate gate failed).
    crashed = "scheduled__crashed"
    candidates = pipeline.discover_step(settings, crashed, settings.source)
    pages = pipeline.fetch_step(settings, crashed, candidates)
    assert pipeline.extract_step(settings, crashed, pages)
    # The next run must still bring every seed in: nothing was committed as known.
    report = pipeline.run(settings, run_id="scheduled__next")
    assert report.fetched == report.discovered > 0
    assert _count(settings, "articles") == report.loaded["articles"] > 0


def test_a_second_run_records_itself_and_changes_no_rows(settings: Settings) -> None:
    first = pipeline.run(settings, run_id="manual__one")
    second = pipeline.run(settings, run_id="manual__two")
    assert first.loaded["articles"] > 0
    assert second.fetched == 0  # unchanged local files are not read again
    # Only the run log grows: every data and log table is as the first run left it.
    for table, rows in first.loaded.items():
        expected = rows + 1 if table == "pipeline_runs" else rows
        assert second.loaded[table] == expected, table
    assert _count(settings, "pipeline_runs") == 2


def test_a_changed_gazetteer_re_enriches_what_was_loaded(settings: Settings, tmp_path) -> None:
    gazetteer = tmp_path / "gazetteer.yaml"
    gazetteer.write_text(settings.gazetteer_path.read_text(encoding="utf-8"), encoding="utf-8")
    settings = replace(settings, gazetteer_path=gazetteer)
    first = pipeline.run(settings, run_id="manual__before")
    assert first.extracted > 0

    # An analyst teaches the gazetteer a new person: the author of the seed article.
    with gazetteer.open("a", encoding="utf-8") as out:
        out.write(
            "\n  - canonical: Lee Hyo-jin\n    type: PERSON\n    country: KR\n"
            "    role: journalist\n    aliases: [Lee Hyo-jin]\n"
        )
    second = pipeline.run(settings, run_id="manual__after")
    assert second.extracted == first.extracted  # every article went through enrich again
    third = pipeline.run(settings, run_id="manual__settled")
    assert third.extracted == 0  # and the new signature is remembered
    for table in ("articles", "entities", "quotes"):
        assert third.loaded[table] == second.loaded[table]


def test_old_staging_folders_are_pruned(settings: Settings) -> None:
    settings = replace(settings, staging_keep_runs=2)
    for n in range(3):
        pipeline.run(settings, run_id=f"manual__{n}")
    kept = sorted(p.name for p in settings.staging_dir.iterdir())
    assert kept == ["manual__1", "manual__2"]
