"""Shared fixtures: isolated settings per test, paths to the repo's seeds and shared material."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsflow.settings import PROJECT_ROOT, Settings

SEEDS = PROJECT_ROOT / "seeds"
SHARED = PROJECT_ROOT.parent / "shared"
BENCHMARK = SHARED / "benchmarks" / "article-extraction"


@pytest.fixture(scope="session")
def nlp():
    """The configured spaCy model, loaded once for the whole session (as a worker would)."""
    from newsflow.enrich.model import load_model

    return load_model(Settings().spacy_model)


@pytest.fixture(scope="session")
def gazetteer():
    from newsflow.enrich.gazetteer import load_gazetteer

    return load_gazetteer(Settings().gazetteer_path)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings whose data (DuckDB file, staging, archive, state) live in a temporary folder."""
    return Settings.from_env(data_dir=tmp_path / "data", source=str(SEEDS))
