"""The whole pipeline against the warehouse: reruns change nothing; the analysis layer answers.

Needs every stage (newsflow.pipeline.run) and the real spaCy model, hence ``slow``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEEDS

from newsflow.settings import Settings
from newsflow.warehouse.read import analysis_queries, connect_readonly, example_query, summary

pytestmark = pytest.mark.slow

CONTENT_TABLES = {
    "articles": "article_id",
    "entities": "article_id, start_char, end_char, label",
    "quotes": "article_id, start_char, end_char",
    "rejected_articles": "reject_id",
}


def contents(settings: Settings) -> dict[str, list[tuple]]:
    with connect_readonly(settings) as conn:
        return {
            table: conn.execute(f"SELECT * FROM {table} ORDER BY {key}").fetchall()
            for table, key in CONTENT_TABLES.items()
        }


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, list[dict]]:
    """The demo database: the seeds run twice, with the table contents after each run."""
    from newsflow.pipeline import run

    data_dir: Path = tmp_path_factory.mktemp("demo") / "data"
    settings = Settings.from_env(data_dir=data_dir, source=str(SEEDS))
    states = []
    for _ in range(2):
        run(settings, source=str(SEEDS))
        states.append(contents(settings))
    return settings, states


def test_running_the_pipeline_twice_gives_identical_tables(demo) -> None:
    settings, (first, second) = demo
    assert first["articles"], "the seed article did not load"
    assert first["entities"] and first["quotes"]
    assert second == first
    counts = summary(settings)
    assert counts["pipeline_runs"] == 2
    assert counts["validation_results"] > 0


@pytest.mark.parametrize("name", sorted(analysis_queries(Settings())))
def test_analysis_query_returns_rows_on_the_demo_database(demo, name: str) -> None:
    settings, _ = demo
    title, _, _, rows = example_query(settings, name)
    assert rows, f"{name}.sql ({title}) returned no rows on the demo database"
