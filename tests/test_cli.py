"""The `newsflow` console script: the JSON Lines contracts of `parse` and `enrich`, and `run`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from contracts import PARSE_FIELDS, assert_enrich_row

from newsflow.settings import PROJECT_ROOT

NEWSFLOW = Path(sys.executable).parent / "newsflow"
SEED_TXT = PROJECT_ROOT / "seeds" / "korea-times-nk-troops-ukraine.txt"


def _newsflow(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(NEWSFLOW), *args], capture_output=True, text=True, timeout=600, env=env
    )


def _jsonl(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def test_help_lists_the_commands() -> None:
    result = _newsflow("--help")
    assert result.returncode == 0
    for command in ("run", "parse", "enrich", "summary"):
        assert command in result.stdout


def test_parse_contract_on_seed_text_and_a_page() -> None:
    page = sorted((PROJECT_ROOT / "seeds").glob("*.html"))[0]
    result = _newsflow("parse", str(SEED_TXT), str(page))
    assert result.returncode == 0, result.stderr[-2000:]
    objects = _jsonl(result.stdout)
    assert len(objects) == 2
    for obj in objects:
        assert set(obj) >= PARSE_FIELDS
    seed = objects[0]
    assert seed["path"].endswith("korea-times-nk-troops-ukraine.txt")
    assert seed["title"] == "Did North Korea deploy troops to Ukraine?"
    assert seed["authors"] == ["Lee Hyo-jin"]


def test_parse_url_sets_the_page_url(tmp_path: Path) -> None:
    page = sorted((PROJECT_ROOT / "seeds").glob("*.html"))[0]
    result = _newsflow("parse", str(page), "--url", "https://news.example/a/1?utm_source=x")
    assert result.returncode == 0, result.stderr[-2000:]
    (obj,) = _jsonl(result.stdout)
    assert obj["path"] == str(page)
    assert "utm_source" not in (obj.get("canonical_url") or "")


def test_parse_bad_input_is_reported_not_raised(tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_text("<html><head><title>x</title></head><body></body></html>")
    result = _newsflow("parse", str(empty))
    assert result.returncode == 0
    (obj,) = _jsonl(result.stdout)
    assert obj["path"] == str(empty)
    assert obj.get("reason") == "no_body"


@pytest.mark.slow
def test_enrich_contract_offsets_index_the_file(tmp_path: Path) -> None:
    result = _newsflow("enrich", str(SEED_TXT))
    assert result.returncode == 0, result.stderr[-2000:]
    (obj,) = _jsonl(result.stdout)
    text = SEED_TXT.read_text(encoding="utf-8")
    assert obj["path"] == str(SEED_TXT)
    assert obj["entities"] and obj["quotes"]
    assert_enrich_row(obj, text)


@pytest.mark.slow
def test_run_loads_duckdb_without_airflow(tmp_path: Path) -> None:
    db = tmp_path / "news.duckdb"
    env = {**os.environ, "NEWSFLOW_DATA_DIR": str(tmp_path / "data")}
    result = _newsflow("run", "--db", str(db), env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    with duckdb.connect(str(db), read_only=True) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] > 0
        assert conn.execute("SELECT count(*) FROM rejected_articles").fetchone()[0] > 0
