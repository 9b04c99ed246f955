"""
### news_ingest

Hourly ingest of news about Korea, Russia and Ukraine into DuckDB.

**discover** candidate articles (the `seeds/` folder by default; a feed, sitemap, URL list or
`sources` for every enabled entry of `include/sources.yaml`) → **fetch** them politely into the raw
archive → **extract** clean text and metadata → **enrich** with entities and quotes (mapped over
batches, the spaCy model loads once per batch) → **validate** with Great Expectations (bad
articles are quarantined, a bad batch fails this task) → **load** everything into DuckDB in one
transaction (pool `newsflow_duckdb`, size 1: the only writer).

Tasks pass paths to staged files under `data/staging/<run_id>/`, never article bodies.
The DuckDB file is the `duckdb_default` connection's host when that connection exists,
otherwise `NEWSFLOW_DB_PATH` or `data/news.duckdb`. Business logic lives in the `newsflow`
package (`include/newsflow/`); these tasks only wire its steps together.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from airflow.sdk import Asset, Param, dag, get_current_context, task

from newsflow import pipeline
from newsflow.settings import Settings
from newsflow.warehouse import TABLES

DUCKDB_POOL = "newsflow_duckdb"
TABLE_ASSETS = {
    table: Asset(name=f"newsflow.{table}", uri=f"duckdb://newsflow/{table}") for table in TABLES
}


def _settings() -> Settings:
    """Settings for this run: DAG params over environment over defaults."""
    from airflow.providers.duckdb.hooks.duckdb import IN_MEMORY_DATABASE, DuckDBHook

    params = get_current_context()["params"]
    database = DuckDBHook().get_database()
    return Settings.from_env(
        source=params.get("source"),
        limit=params.get("limit"),
        reprocess_from_archive=params.get("reprocess_from_archive") or None,
        db_path=None if database == IN_MEMORY_DATABASE else database,
    )


def _run_id() -> str:
    return get_current_context()["run_id"]


@dag(
    dag_id="news_ingest",
    schedule="@hourly",
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=2),
    default_args={
        "owner": "newsflow",
        "retries": 3,
        "retry_delay": timedelta(seconds=30),
        "retry_exponential_backoff": True,
        "max_retry_delay": timedelta(minutes=15),
    },
    params={
        "source": Param(
            Settings().source,
            type="string",
            description="Folder, file, feed/sitemap URL, or 'sources' (include/sources.yaml)",
        ),
        "limit": Param(None, type=["null", "integer"], minimum=1, description="Max candidates"),
        "reprocess_from_archive": Param(
            False, type="boolean", description="Replay web pages from the raw archive"
        ),
    },
    doc_md=__doc__,
    tags=["newsflow", "ingest"],
)
def news_ingest():
    @task
    def discover_articles() -> str:
        settings = _settings()
        return pipeline.discover_step(settings, _run_id(), settings.source)

    @task
    def fetch_pages(candidates_path: str) -> str:
        return pipeline.fetch_step(_settings(), _run_id(), candidates_path)

    @task
    def extract_articles(pages_path: str) -> list[str]:
        return pipeline.extract_step(_settings(), _run_id(), pages_path)

    @task(max_active_tis_per_dagrun=2)
    def enrich_batch(batch_path: str) -> str:
        return pipeline.enrich_step(_settings(), _run_id(), batch_path)

    @task(retries=0)  # a failed gate is a verdict on the data: retrying cannot change it
    def validate_batches(batch_dirs: list[str]) -> str:
        return pipeline.validate_step(_settings(), _run_id(), list(batch_dirs))

    @task(pool=DUCKDB_POOL, outlets=list(TABLE_ASSETS.values()))
    def load_warehouse(validated_dir: str) -> dict:
        context = get_current_context()
        settings = _settings()
        report = pipeline.load_step(
            settings, _run_id(), validated_dir, settings.source, context["dag_run"].start_date
        )
        counts = dict(report.table_counts)
        for table, asset in TABLE_ASSETS.items():
            context["outlet_events"][asset].extra = {"rows": counts.get(table), "run_id": _run_id()}
        return report.model_dump(mode="json")

    batches = extract_articles(fetch_pages(discover_articles()))
    load_warehouse(validate_batches(enrich_batch.expand(batch_path=batches)))


news_ingest()
