"""The Airflow UI plugin: registered with Airflow, and its page shows the warehouse."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsflow import pipeline
from newsflow.settings import PROJECT_ROOT, Settings

pytestmark = pytest.mark.slow


def _plugin_module():
    spec = importlib.util.spec_from_file_location(
        "newsflow_plugin", PROJECT_ROOT / "plugins" / "newsflow_plugin.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_airflow_lists_the_plugin(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(tmp_path),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(PROJECT_ROOT / "plugins"),
        "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
    }
    result = subprocess.run(
        [str(Path(sys.executable).parent / "airflow"), "plugins", "-o", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    (plugin,) = [p for p in json.loads(result.stdout) if p["name"] == "newsflow"]
    assert plugin["fastapi_apps"][0]["url_prefix"] == "/newsflow"
    assert plugin["external_views"][0]["href"] == "newsflow/"


def test_the_page_shows_runs_quarantine_and_speakers(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = TestClient(_plugin_module().app)
    monkeypatch.setenv("NEWSFLOW_DATA_DIR", str(settings.data_dir))
    before = client.get("/")
    assert before.status_code == 200
    assert "not readable yet" in before.text  # no warehouse: a message, not an error

    pipeline.run(settings)
    page = client.get("/").text
    for heading in ("Tables", "Recent runs", "Quarantine by stage and reason", "Most quoted"):
        assert heading in page
    assert "unavailable:" not in page
    assert "no_body" in page  # the broken seed page, quarantined
    assert "Volodymyr Zelenskyy" in page
