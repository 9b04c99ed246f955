"""Every analysis view and example query runs on a loaded warehouse and returns rows."""

from __future__ import annotations

import pytest
from test_warehouse_samples import good_articles

from newsflow.settings import Settings
from newsflow.warehouse.load import load_run
from newsflow.warehouse.read import analysis_queries, connect_readonly, example_query, question
from newsflow.warehouse.stage import stage_batch

QUERIES = sorted(analysis_queries(Settings()))
VIEWS = sorted(p.stem.split("_", 1)[1] for p in (Settings().sql_dir / "views").glob("*.sql"))


@pytest.fixture
def loaded(settings: Settings) -> Settings:
    staged = stage_batch(good_articles(6), [], settings.staging_dir / "samples")
    load_run(settings, "run-samples", staged)
    return settings


def test_the_analysis_layer_is_complete() -> None:
    assert len(QUERIES) >= 7 and "most_quoted_speakers" in QUERIES  # the CLI's default
    assert {"daily_country_coverage", "daily_country_pair_coverage", "articles_kp_ru_ua",
            "quoted_speakers", "quoted_about", "entity_cooccurrence",
            "outlet_breakdown"} <= set(VIEWS)  # fmt: skip


@pytest.mark.parametrize("name", QUERIES)
def test_analysis_query_answers_its_question(loaded: Settings, name: str) -> None:
    title, sql, columns, rows = example_query(loaded, name)
    assert title.endswith("?"), f"{name}.sql needs a '-- Question: ...?' header"
    assert sql.lstrip().startswith("-- Question:")
    assert columns and rows, f"{name}.sql returned no rows"


@pytest.mark.parametrize("view", VIEWS)
def test_view_returns_rows(loaded: Settings, view: str) -> None:
    with connect_readonly(loaded) as conn:
        assert conn.execute(f"SELECT count(*) FROM {view}").fetchone()[0] > 0


def test_views_answer_the_topic_questions(loaded: Settings) -> None:
    with connect_readonly(loaded) as conn:
        all_three = conn.execute("SELECT count(*) FROM articles_kp_ru_ua").fetchone()[0]
        # troops and shells mention North Korea, Russia and Ukraine; seoul does not.
        assert all_three == 4
        about = conn.execute(
            "SELECT speaker, subject FROM quoted_about ORDER BY speaker, subject"
        ).fetchall()
        assert ("Dmitry Peskov", "Pyongyang") in about and ("Cho Tae-yul", "Ukraine") in about
        top = conn.execute(
            "SELECT speaker FROM quoted_speakers WHERE speaker_country = 'UA'"
        ).fetchall()
        assert top == [("Volodymyr Zelensky",)]


def test_question_header_is_parsed() -> None:
    assert question("-- Question: Who said it?\nSELECT 1") == "Who said it?"
    assert question("SELECT 1") == ""
