"""docker-compose.yml and Dockerfile, checked statically (no Docker engine runs here)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
import yaml

from newsflow.settings import PROJECT_ROOT

COMPOSE = PROJECT_ROOT / "docker-compose.yml"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def test_official_airflow3_services(compose: dict) -> None:
    services = compose["services"]
    assert {
        "postgres",
        "airflow-apiserver",
        "airflow-scheduler",
        "airflow-dag-processor",
        "airflow-triggerer",
        "airflow-init",
    } <= set(services)
    assert services["airflow-apiserver"]["command"] == "api-server"
    assert services["airflow-scheduler"]["command"] == "scheduler"
    assert services["airflow-dag-processor"]["command"] == "dag-processor"
    assert services["airflow-triggerer"]["command"] == "triggerer"


def test_project_folders_are_mounted_and_pool_created(compose: dict) -> None:
    scheduler = compose["services"]["airflow-scheduler"]
    targets = {volume.split(":")[1] for volume in scheduler["volumes"]}
    for folder in ("dags", "plugins", "include", "seeds", "data"):
        assert f"/opt/airflow/{folder}" in targets
    env = scheduler["environment"]
    assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"].startswith("http://airflow-apiserver")
    assert "duckdb" in env["AIRFLOW_CONN_DUCKDB_DEFAULT"]
    init_script = "\n".join(compose["services"]["airflow-init"]["command"])
    assert "airflow pools set newsflow_duckdb 1" in init_script


def test_image_adds_pinned_dependencies() -> None:
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text()
    assert dockerfile.startswith("# ") and "FROM apache/airflow:3.3.2-python3.11" in dockerfile
    assert "requirements.lock" in dockerfile
    lock = (PROJECT_ROOT / "requirements.lock").read_text().splitlines()
    pinned = {line.split("==")[0].lower().replace("_", "-") for line in lock if "==" in line}
    assert {"apache-airflow", "great-expectations", "spacy", "duckdb", "newspaper4k"} <= pinned
    assert all("==" in line for line in lock if line and not line.startswith("#"))


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose not installed")
def test_docker_compose_config_accepts_it() -> None:
    result = subprocess.run(
        ["docker-compose", "-f", str(COMPOSE), "config", "-q"],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
    )
    assert result.returncode == 0, result.stderr
