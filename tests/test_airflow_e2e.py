"""The real news_ingest DAG run by Airflow (`airflow dags test`) on seeds/ into a temp DuckDB."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from newsflow.settings import PROJECT_ROOT

pytestmark = pytest.mark.slow

AIRFLOW = Path(sys.executable).parent / "airflow"


def _airflow(
    args: list[str], env: dict[str, str], timeout: int = 900
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(AIRFLOW), *args], env=env, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture(scope="module")
def airflow_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A migrated Airflow home of its own, with this project's DAGs, plugins and pool."""
    home = tmp_path_factory.mktemp("airflow_home")
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(PROJECT_ROOT / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "NO_PROXY": "*",
    }
    migrate = _airflow(["db", "migrate"], env)
    assert migrate.returncode == 0, migrate.stderr[-3000:]
    pool = _airflow(["pools", "set", "newsflow_duckdb", "1", "single DuckDB writer"], env)
    assert pool.returncode == 0, pool.stderr[-3000:]
    return env


def _warehouse_env(env: dict[str, str], data: Path) -> dict[str, str]:
    return {
        **env,
        "NEWSFLOW_DATA_DIR": str(data),
        # The warehouse comes from the DuckDB provider's connection, as in a real deployment.
        "AIRFLOW_CONN_DUCKDB_DEFAULT": json.dumps(
            {"conn_type": "duckdb", "host": str(data / "via-connection.duckdb")}
        ),
    }


@pytest.fixture(scope="module")
def airflow_run(
    airflow_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, subprocess.CompletedProcess]:
    data = tmp_path_factory.mktemp("data")
    result = _airflow(["dags", "test", "news_ingest"], _warehouse_env(airflow_env, data))
    return data, result


def test_dag_run_succeeds(airflow_run) -> None:
    _, result = airflow_run
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-5000:]
    assert "state=failed" not in output
    for task_id in (
        "discover_articles",
        "fetch_pages",
        "extract_articles",
        "enrich_batch",
        "validate_batches",
        "load_warehouse",
    ):
        assert task_id in output


def test_dag_run_loaded_the_seeds(airflow_run) -> None:
    data, result = airflow_run
    assert result.returncode == 0
    annotations = [
        json.loads(p.read_text()) for p in (PROJECT_ROOT / "seeds/annotations").glob("*.json")
    ]
    assert not (data / "news.duckdb").exists()  # the connection's file, not the default
    with duckdb.connect(str(data / "via-connection.duckdb"), read_only=True) as conn:
        loaded = {row[0] for row in conn.execute("SELECT canonical_url FROM articles").fetchall()}
        rejected = conn.execute("SELECT count(*) FROM rejected_articles").fetchone()[0]
        quotes = conn.execute("SELECT count(*) FROM quotes").fetchone()[0]
        entities = conn.execute("SELECT count(*) FROM entities").fetchone()[0]
        runs = conn.execute("SELECT count(*) FROM pipeline_runs").fetchone()[0]
    on_topic_html = [
        a
        for a in annotations
        if a.get("on_topic") and not a.get("expect_reject") and a.get("canonical_url")
    ]
    assert on_topic_html, "seed annotations are missing"
    for annotation in on_topic_html:
        assert annotation["canonical_url"] in loaded, annotation["file"]
    assert rejected >= 1
    assert quotes > 0 and entities > 0
    assert runs == 1


def test_a_bad_batch_fails_the_validate_task_and_loads_nothing(
    airflow_env: dict[str, str], tmp_path: Path
) -> None:
    # Scraped text with no known outlet fails the articles suite's outlet check: one article,
    # all of it quarantined, far over max_reject_share, so the run must go red at validate.
    folder = tmp_path / "unlabelled"
    folder.mkdir()
    seed = PROJECT_ROOT / "seeds" / "korea-times-nk-troops-ukraine.txt"
    (folder / seed.name).write_bytes(seed.read_bytes())
    data = tmp_path / "data"
    conf = json.dumps({"source": str(folder)})
    result = _airflow(
        ["dags", "test", "news_ingest", "-c", conf], _warehouse_env(airflow_env, data)
    )
    output = result.stdout + result.stderr
    assert "BatchValidationError" in output
    assert "validate_batches" in output and "state=failed" in output
    assert not (data / "via-connection.duckdb").exists()  # the load never ran
