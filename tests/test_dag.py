"""DAG integrity: the DAG folder imports cleanly and news_ingest has the expected shape."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from newsflow.settings import PROJECT_ROOT

pytest.importorskip("airflow")


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(PROJECT_ROOT / "dags"))


def test_no_import_errors(dagbag) -> None:
    assert dagbag.import_errors == {}
    assert "news_ingest" in dagbag.dags


def test_news_ingest_shape(dagbag) -> None:
    dag = dagbag.dags["news_ingest"]
    assert set(dag.task_ids) == {
        "discover_articles",
        "fetch_pages",
        "extract_articles",
        "enrich_batch",
        "validate_batches",
        "load_warehouse",
    }
    assert dag.schedule == "@hourly" or str(dag.timetable.summary) == "@hourly"
    assert dag.catchup is False
    assert dag.max_active_runs == 1
    assert dag.dagrun_timeout == timedelta(hours=2)
    assert dag.doc_md and "news_ingest" in dag.doc_md
    assert set(dag.params.keys()) >= {"source", "limit"}


def test_story_order_and_mapping(dagbag) -> None:
    dag = dagbag.dags["news_ingest"]
    order = [
        "discover_articles",
        "fetch_pages",
        "extract_articles",
        "enrich_batch",
        "validate_batches",
        "load_warehouse",
    ]
    for upstream, downstream in itertools.pairwise(order):
        assert downstream in dag.get_task(upstream).downstream_task_ids
    from airflow.sdk.definitions.mappedoperator import MappedOperator

    assert isinstance(dag.get_task("enrich_batch"), MappedOperator)


def test_retries_and_load_task(dagbag) -> None:
    dag = dagbag.dags["news_ingest"]
    fetch = dag.get_task("fetch_pages")
    assert fetch.retries >= 1 and fetch.retry_exponential_backoff
    load = dag.get_task("load_warehouse")
    assert load.pool == "newsflow_duckdb"
    outlet_names = {asset.name for asset in load.outlets}
    assert {"newsflow.articles", "newsflow.entities", "newsflow.quotes"} <= outlet_names
