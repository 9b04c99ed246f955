"""Great Expectations gates: bad records are quarantined with their reason, good ones go on."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pandas as pd
import pyarrow.parquet as pq
import pytest
from test_warehouse_samples import good_articles, make_article

from newsflow import validate as validate_module
from newsflow.records import EnrichedArticle, Quote, Reject
from newsflow.settings import Settings
from newsflow.validate import (
    BatchValidationError,
    ValidationReport,
    _context,
    _exception,
    _parameters,
    _run_checkpoint,
    build_suites,
    validate_run,
)
from newsflow.warehouse.load import load_run
from newsflow.warehouse.read import connect_readonly, rejects
from newsflow.warehouse.stage import stage_batch


@pytest.fixture
def quiet(settings: Settings) -> Settings:
    """Settings without the Data Docs rebuild (one test below covers it)."""
    return replace(settings, build_data_docs=False)


def validate(settings: Settings, batches: list[list[EnrichedArticle]], **kw) -> ValidationReport:
    run = settings.staging_dir / "run"
    dirs = [
        stage_batch(batch, kw.get("rejects", []), run / "enrich" / f"batch-{i:04d}")
        for i, batch in enumerate(batches)
    ]
    return validate_run(dirs, run / "validated", settings, "run-1")


def rejects_of(report: ValidationReport) -> dict[str, dict]:
    rows = pq.read_table(report.out_dir / "rejects.parquet").to_pylist()
    return {row["url"]: row for row in rows}


def with_entity(record: EnrichedArticle, **changes) -> EnrichedArticle:
    entity = record.entities[0].model_copy(update=changes)
    return record.model_copy(update={"entities": [entity, *record.entities[1:]]})


def twice_the_entities(record: EnrichedArticle) -> EnrichedArticle:
    return record.model_copy(update={"entities": record.entities * 2})


def with_quote(record: EnrichedArticle, index: int, **changes) -> EnrichedArticle:
    quotes = list(record.quotes)
    quotes[index] = Quote.model_construct(**{**quotes[index].model_dump(), **changes})
    return record.model_copy(update={"quotes": quotes})


def test_committed_gx_context_matches_the_code() -> None:
    gx_dir = Settings().gx_dir
    for name, suite in build_suites().items():
        committed = json.loads((gx_dir / "expectations" / f"{name}.json").read_text())
        assert committed["name"] == name
        found = [(e["type"], e["kwargs"], e["meta"]) for e in committed["expectations"]]
        built = [
            (c["type"], c["kwargs"], c["meta"])
            for c in (e.configuration.to_json_dict() for e in suite.expectations)
        ]
        assert found == built, f"include/gx is stale: python -m newsflow.validate init ({name})"
        for kind in ("validation_definitions", "checkpoints"):
            assert (gx_dir / kind / f"{name}.json").exists()


def test_good_run_passes_every_expectation(quiet: Settings) -> None:
    report = validate(quiet, [good_articles(3), good_articles(6)[3:]])
    assert report.success and report.rejected == 0 and report.accepted == 6
    assert {r.suite for r in report.results} == {"articles", "entities", "quotes", "batch"}
    assert all(r.success for r in report.results if r.on_failure != "warn")
    assert report.accepted_counts["entities"] == report.input_counts["entities"] > 0
    results = pq.read_table(report.out_dir / "validation_results.parquet").to_pylist()
    assert len(results) == len(report.results) and {r["run_id"] for r in results} == {"run-1"}


def test_bad_records_are_quarantined_with_their_reason(quiet: Settings) -> None:
    good = good_articles(6)
    original = make_article("shells", "https://news.example.org/dup")
    bad = {
        "empty_text": make_article("troops", "https://bad.example.org/empty", text=""),
        "duplicate_url": make_article("seoul", "https://news.example.org/dup"),
        "offsets_out_of_range": with_entity(
            make_article("troops", "https://bad.example.org/offsets"), start=400, end=4000
        ),
        "unknown_label": with_entity(
            make_article("seoul", "https://bad.example.org/label"), label="WEAPON"
        ),
        "future_published_at": make_article(
            "shells",
            "https://bad.example.org/future",
            published_at=datetime(2099, 1, 1, tzinfo=UTC),
        ),
        "missing_cue": with_quote(
            make_article("troops", "https://bad.example.org/cue"), 1, cue=None
        ),
        "unknown_quote_type": with_quote(
            make_article("seoul", "https://bad.example.org/qtype"), 0, type="rumour"
        ),
        "offset_text_mismatch": with_quote(
            make_article("shells", "https://bad.example.org/qtext"), 0, text="words never said"
        ),
        "duplicate_entity": twice_the_entities(
            make_article("troops", "https://bad.example.org/2x")
        ),
    }
    upstream = Reject(stage="extract", reason="no_body", url="https://bad.example.org/nobody")
    batches = [[*good[:3], original, *list(bad.values())[:4]], [*good[3:], *list(bad.values())[4:]]]
    report = validate(replace(quiet, max_reject_share=0.6), batches, rejects=[upstream])

    assert report.success
    assert report.accepted == len(good) + 1  # the first of the duplicated URLs is kept
    assert report.rejected == len(bad)
    by_url = rejects_of(report)
    for reason, record in bad.items():
        reject = by_url[record.article.url] if reason != "duplicate_url" else None
        if reason == "duplicate_url":
            [reject] = [r for r in by_url.values() if r["reason"] == "duplicate_url"]
            assert json.loads(reject["raw"])["article"]["title"] == record.article.title
        assert reject["reason"] == reason, reject["detail"]
        assert reject["stage"] == "validate" and reject["expectation"]
        replay = json.loads(reject["raw"])  # the article with its children, for replay
        assert replay["article"]["url"] == record.article.url
        assert len(replay["entities"]) == len(record.entities)
        assert len(replay["quotes"]) == len(record.quotes)
    assert by_url[upstream.url]["stage"] == "extract"

    accepted = pq.read_table(report.out_dir / "articles.parquet").to_pylist()
    assert {a["url"] for a in accepted} == {r.article.url for r in [*good, original]}
    kept_ids = {a["article_id"] for a in accepted}
    for name in ("entities", "quotes"):
        children = pq.read_table(report.out_dir / f"{name}.parquet").to_pylist()
        assert children and {c["article_id"] for c in children} == kept_ids
    failed = {r.expectation for r in report.results if not r.success}
    assert "articles.url_unique" in failed and "entities.label_allowed" in failed

    # ... and the good rows load while the rejects land in quarantine.
    load_run(quiet, "run-1", report.out_dir)
    with connect_readonly(quiet) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == len(good) + 1
        reasons = dict(
            conn.execute(
                "SELECT reason, count(*) FROM rejected_articles WHERE stage = 'validate' GROUP BY 1"
            ).fetchall()
        )
        assert reasons == dict.fromkeys(bad, 1)
        assert conn.execute(
            "SELECT count(*) FROM validation_results WHERE run_id = 'run-1'"
        ).fetchone()[0] == len(report.results)
    # A quarantined article can be fixed and replayed from its raw record.
    [future] = rejects(quiet, stage="validate", reason="future_published_at")
    replay = EnrichedArticle.model_validate_json(future.raw)
    assert replay == bad["future_published_at"]


def test_a_bad_batch_fails_validation_after_writing_its_results(quiet: Settings) -> None:
    bad = [
        make_article("troops", f"https://bad.example.org/{i}", text="too short to be news")
        for i in range(3)
    ]
    with pytest.raises(BatchValidationError, match="max_reject_share") as failure:
        validate(quiet, [[*good_articles(1), *bad]])
    report = failure.value.report
    assert not report.success and report.rejected == 3 and report.reject_share == 0.75
    results = pq.read_table(report.out_dir / "validation_results.parquet").to_pylist()
    [gate] = [r for r in results if r["expectation"] == "batch.reject_share_at_most_max"]
    assert gate["success"] is False and gate["unexpected_count"] == 3
    assert {r["reason"] for r in rejects_of(report).values()} == {"text_length_out_of_range"}


def test_a_column_gone_all_null_fails_the_batch(quiet: Settings) -> None:
    undated = [
        make_article("seoul", f"https://news.example.org/undated-{i}", published_at=None)
        for i in range(5)
    ]
    with pytest.raises(BatchValidationError, match="published_at_not_all_null"):
        validate(quiet, [undated])
    # A single undated article is no evidence of a broken extractor.
    assert validate(quiet, [undated[:1]]).success


def test_unattributed_direct_quotes_only_warn(quiet: Settings) -> None:
    records = [with_quote(r, 0, speaker=None) for r in good_articles(3)]
    report = validate(quiet, [records])
    [speaker] = [r for r in report.results if r.expectation == "quotes.speaker_for_most_direct"]
    assert not speaker.success and speaker.on_failure == "warn"
    assert report.success and report.rejected == 0


@pytest.mark.parametrize("batches", [[], [[]]], ids=["no-batches", "empty-batch"])
def test_an_empty_run_passes(quiet: Settings, batches: list) -> None:
    report = validate(quiet, batches)
    assert report.success and report.accepted == 0 and report.failed_gates == []
    assert all(r.success for r in report.results if r.on_failure == "quarantine")


def test_data_docs_are_rebuilt_for_the_latest_runs(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(validate_module, "DATA_DOCS_RUNS", 2)
    batch = stage_batch(good_articles(2), [], settings.staging_dir / "batch")
    for run in ("run-1", "run-2", "run-3"):
        validate_run([batch], settings.staging_dir / run, settings, run)
    docs = settings.data_dir / "gx_docs"
    assert (docs / "index.html").exists()
    pages = {p.parent.parent.name for p in (docs / "validations").rglob("*.html")}
    assert pages == {"run-2", "run-3"}
    stored = {p.name for p in (settings.data_dir / "gx_validations").glob("*/*")}
    assert stored == {"run-2", "run-3"}


def test_a_check_that_cannot_run_is_detected(quiet: Settings) -> None:
    # A frame missing the checked columns makes GX catch an exception per expectation.
    frame = pd.DataFrame({"staged_row": [0], "article_id": ["a"], "url": ["https://x.org/a"]})
    context = _context(quiet.gx_dir.resolve(), quiet.data_dir.resolve())
    results = _run_checkpoint(context, "articles", frame, _parameters(quiet), "run-1")
    by_column = {r.expectation_config.kwargs.get("column"): r for r in results}
    assert _exception(by_column["url"].exception_info) is None
    assert _exception(by_column["title"].exception_info)  # validate_run turns it into a fail
    assert _exception({"raised_exception": False, "exception_message": None}) is None
