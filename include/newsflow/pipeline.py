"""The pipeline's steps, shared by the Airflow DAG (one task per step) and the CLI/tests (`run`).

Steps exchange *paths* to staged files under ``<data_dir>/staging/<run_id>/``, never article
bodies, so an Airflow task only pushes a short string to XCom and any step can be rerun on its
own: a retry overwrites its own staging files and the load MERGEs the same keys.
"""

from __future__ import annotations

import logging
import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, Field

from newsflow import discover, fetch, fetch_state
from newsflow.records import (
    Article,
    Candidate,
    FetchLogEntry,
    Page,
    Reject,
    dump_jsonl,
    load_jsonl,
    utcnow,
)
from newsflow.settings import Settings

logger = logging.getLogger(__name__)


class RunReport(BaseModel):
    """What one run did, stage by stage."""

    run_id: str
    source: str
    discovered: int = 0
    fetched: int = 0
    fetch_failed: int = 0
    not_modified: int = 0
    extracted: int = 0
    duplicates: int = 0
    enriched: int = 0
    rejected: int = 0
    loaded: dict[str, int] = Field(default_factory=dict)
    timings_s: dict[str, float] = Field(default_factory=dict)


def run_dir(settings: Settings, run_id: str) -> Path:
    """Staging folder of one run; the run id is made filesystem-safe."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", run_id)
    return settings.staging_dir / safe


def for_run(settings: Settings, run_id: str) -> Settings:
    """Settings of one run: fetch and dedup work on the run's own copy of the state."""
    return replace(settings, state_path=run_dir(settings, run_id) / "fetch_state.sqlite")


# Keys of the fetch state's meta table.
ENRICHMENT = "enrichment_signature"  # what enriched the articles the state knows
REPLAY = "replay_archive"  # set for a run that must re-enrich everything from the archive


def _check_enrichment(settings: Settings) -> None:
    """Flag the run for a full replay when the model, gazetteer, topics or code changed.

    Articles already loaded were enriched by whatever the stored signature says; unchanged
    pages are never fetched again, so without this a new model would only ever see new pages.
    """
    from newsflow.enrich.model import enrichment_signature

    current = enrichment_signature(settings)
    with fetch_state.FetchState.for_settings(settings) as state:
        previous = state.get_meta(ENRICHMENT)
        if previous is not None and previous != current:
            logger.warning(
                "enrichment changed (%s -> %s): this run re-enriches the raw archive",
                previous,
                current,
            )
            state.set_meta(REPLAY, "1")


def new_run_id() -> str:
    return "manual__" + utcnow().strftime("%Y-%m-%dT%H-%M-%S-%f")


@contextmanager
def _timed(report: RunReport | None, step: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    elapsed = time.perf_counter() - started
    logger.info("step %s took %.2f s", step, elapsed)
    if report is not None:
        report.timings_s[step] = round(elapsed, 3)


def discover_step(settings: Settings, run_id: str, source: str | None = None) -> str:
    """Find candidate articles; returns the path of ``candidates.jsonl``.

    Feed and sitemap fetches are logged like page fetches, so a dead feed shows in ``fetch_log``.
    """
    out = run_dir(settings, run_id)
    settings = for_run(settings, run_id)
    fetch_state.begin_run(settings, settings.state_path)
    _check_enrichment(settings)
    found = discover.discover_all(source or settings.source, settings)
    dump_jsonl(found.log, out / "discover_log.jsonl")
    dump_jsonl(found.rejects, out / "discover-rejects.jsonl")
    logger.info(
        "discovered %d candidates from %s (%d feed/sitemap fetches, %d rejects)",
        len(found.candidates),
        source or settings.source,
        len(found.log),
        len(found.rejects),
    )
    return str(dump_jsonl(found.candidates, out / "candidates.jsonl"))


def fetch_step(settings: Settings, run_id: str, candidates_path: str) -> str:
    """Fetch (or read) every candidate; failures go to the fetch log, never fail the step."""
    out = run_dir(settings, run_id)
    settings = for_run(settings, run_id)
    with fetch_state.FetchState.for_settings(settings) as state:
        replay_all = state.get_meta(REPLAY) is not None
    if settings.reprocess_from_archive or replay_all:
        from newsflow.archive import pages_from_archive

        settings = replace(settings, reprocess_from_archive=True)
        candidates = load_jsonl(Path(candidates_path), Candidate)
        web_urls = [c.url for c in candidates if c.path is None]
        local = fetch.fetch_all([c for c in candidates if c.path is not None], settings)
        # A changed enrichment replays every archived page; the flag replays this source's.
        urls = None if replay_all else (web_urls or None)
        pages = local.pages + pages_from_archive(settings, urls, web_only=True)
        log, rejects = local.log, local.rejects
        logger.info("replaying %d pages from the raw archive", len(pages))
    else:
        result = fetch.fetch_all(load_jsonl(Path(candidates_path), Candidate), settings)
        pages, log, rejects = result.pages, result.log, result.rejects
    dump_jsonl(log, out / "fetch_log.jsonl")
    dump_jsonl(rejects, out / "fetch-rejects.jsonl")
    failed = sum(1 for entry in log if entry.error)
    logger.info(
        "fetched %d pages, %d failures logged, %d rejects", len(pages), failed, len(rejects)
    )
    return str(dump_jsonl(pages, out / "pages.jsonl"))


def extract_step(settings: Settings, run_id: str, pages_path: str) -> list[str]:
    """Extract articles, mark duplicates, and split them into batches for the mapped enrich."""
    from newsflow import dedup
    from newsflow.extract import extract_pages

    out = run_dir(settings, run_id)
    settings = for_run(settings, run_id)
    articles, rejects = extract_pages(load_jsonl(Path(pages_path), Page), settings)
    articles = dedup.mark_duplicates(articles, settings)
    dump_jsonl(rejects, out / "extract-rejects.jsonl")
    duplicates = sum(1 for a in articles if a.duplicate_of)
    logger.info(
        "extracted %d articles (%d duplicates), %d rejects", len(articles), duplicates, len(rejects)
    )
    size = max(1, settings.batch_size)
    # Always one batch, even an empty one: a run with nothing new still validates, loads and
    # records itself in pipeline_runs instead of being skipped by Airflow's empty mapping.
    batches = [articles[i : i + size] for i in range(0, len(articles), size)] or [[]]
    paths = [
        str(dump_jsonl(batch, out / "articles" / f"batch-{n:04d}.jsonl"))
        for n, batch in enumerate(batches)
    ]
    logger.info("split into %d batches of at most %d articles", len(paths), size)
    return paths


def enrich_step(settings: Settings, run_id: str, batch_path: str) -> str:
    """Enrich one batch and stage it as Parquet; returns the staged folder."""
    from newsflow.enrich import enrich_articles
    from newsflow.warehouse.stage import stage_batch

    articles = load_jsonl(Path(batch_path), Article)
    enriched, rejects = enrich_articles(articles, settings)
    out = run_dir(settings, run_id) / "enrich" / Path(batch_path).stem
    logger.info(
        "enriched %d/%d articles of %s (%d entities, %d quotes), %d rejects",
        len(enriched),
        len(articles),
        Path(batch_path).name,
        sum(len(e.entities) for e in enriched),
        sum(len(e.quotes) for e in enriched),
        len(rejects),
    )
    return str(stage_batch(enriched, rejects, out))


def validate_step(settings: Settings, run_id: str, batch_dirs: list[str]) -> str:
    """Run the Great Expectations gates; raises when a batch-level gate fails."""
    from newsflow.validate import validate_run

    report = validate_run(
        [Path(d) for d in batch_dirs], run_dir(settings, run_id) / "validated", settings, run_id
    )
    logger.info("validation: %s", report.model_dump_json(exclude={"results"}))
    return str(report.out_dir)


def load_step(
    settings: Settings,
    run_id: str,
    validated_dir: str,
    source: str | None = None,
    started_at: datetime | None = None,
):
    """Merge the validated run into DuckDB in one transaction (the only DuckDB writer)."""
    from newsflow.warehouse.load import load_run

    out = run_dir(settings, run_id)
    fetch_log: list[FetchLogEntry] = []
    for name in ("discover_log.jsonl", "fetch_log.jsonl"):
        if (out / name).exists():
            fetch_log.extend(load_jsonl(out / name, FetchLogEntry))
    rejects: list[Reject] = []
    for name in ("discover-rejects.jsonl", "fetch-rejects.jsonl", "extract-rejects.jsonl"):
        if (out / name).exists():
            rejects.extend(load_jsonl(out / name, Reject))
    report = load_run(
        settings,
        run_id,
        Path(validated_dir),
        fetch_log=fetch_log,
        extra_rejects=rejects,
        started_at=started_at,
        source=source or settings.source,
    )
    # Only now is what this run fetched and deduplicated really known, and by what enrichment.
    from newsflow.enrich.model import enrichment_signature

    run_settings = for_run(settings, run_id)
    with fetch_state.FetchState.for_settings(run_settings) as state:
        state.set_meta(ENRICHMENT, enrichment_signature(settings))
        state.set_meta(REPLAY, None)
    fetch_state.commit_run(settings, run_settings.state_path)
    _prune_staging(settings, keep=run_dir(settings, run_id))
    logger.info("loaded run %s into %s: %s", run_id, settings.db_path, report)
    return report


def _prune_staging(settings: Settings, keep: Path) -> None:
    """Keep the staging folders of the last ``staging_keep_runs`` runs (for debugging and
    replaying a step); older ones go, or an hourly schedule would fill the disk."""
    runs = sorted(
        (d for d in settings.staging_dir.iterdir() if d.is_dir() and d != keep),
        key=lambda d: d.stat().st_mtime,
        reverse=True,
    )
    for old in runs[max(0, settings.staging_keep_runs - 1) :]:
        shutil.rmtree(old, ignore_errors=True)
        logger.info("removed old staging folder %s", old)


def run(settings: Settings, source: str | None = None, run_id: str | None = None) -> RunReport:
    """Run every step in this process: what `newsflow run` and the tests use."""
    run_id = run_id or new_run_id()
    source = source or settings.source
    started_at = utcnow()
    report = RunReport(run_id=run_id, source=source)
    out = run_dir(settings, run_id)

    with _timed(report, "discover"):
        candidates_path = discover_step(settings, run_id, source)
    report.discovered = len(load_jsonl(Path(candidates_path), Candidate))
    with _timed(report, "fetch"):
        pages_path = fetch_step(settings, run_id, candidates_path)
    report.fetched = len(load_jsonl(Path(pages_path), Page))
    log = load_jsonl(out / "fetch_log.jsonl", FetchLogEntry)
    report.fetch_failed = sum(1 for entry in log if entry.error)
    report.not_modified = sum(1 for entry in log if entry.not_modified)
    with _timed(report, "extract"):
        batch_paths = extract_step(settings, run_id, pages_path)
    articles = [a for p in batch_paths for a in load_jsonl(Path(p), Article)]
    report.extracted = len(articles)
    report.duplicates = sum(1 for a in articles if a.duplicate_of)
    with _timed(report, "enrich"):
        batch_dirs = [enrich_step(settings, run_id, p) for p in batch_paths]
    with _timed(report, "validate"):
        validated_dir = validate_step(settings, run_id, batch_dirs)
    with _timed(report, "load"):
        load_report = load_step(settings, run_id, validated_dir, source, started_at)
    report.enriched = getattr(load_report, "articles", 0)
    report.rejected = getattr(load_report, "rejects", 0)
    report.loaded = dict(getattr(load_report, "table_counts", {}) or {})
    return report
