"""Great Expectations gates between enrichment and the warehouse.

The suites, validation definitions and checkpoints live as files in the GX Core 1.x file data
context ``include/gx`` (``settings.gx_dir``); :func:`build_suites` is the code they were written
from (``python -m newsflow.validate init`` rewrites them, a test checks they agree).

Every expectation says in its ``meta`` what a failure means:

* ``quarantine``: the rows GX lists in ``unexpected_index_list`` are mapped to their articles;
  each such article and all its children move to ``rejected_articles`` with the expectation and
  a reason, and the rest of the run loads. For the uniqueness checks the first record of a
  duplicated key is kept and only the later ones are rejected.
* ``fail_batch``: a property of the whole run (a column gone all-null); the run fails.
* ``warn``: recorded and logged only (the speaker ``mostly`` threshold).

The share of rejected articles is a further run-level gate (``settings.max_reject_share``).
When a run-level gate fails, :func:`validate_run` still writes every result (so the load of a
later run, or a person, can inspect them) and then raises :class:`BatchValidationError`.
"""

from __future__ import annotations

import contextlib
import functools
import glob
import json
import logging
import math
import re
import shutil
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, get_args

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel, Field

from newsflow.records import EntityLabel, QuoteType, Reject, SpeakerType, utcnow
from newsflow.settings import Settings
from newsflow.warehouse.stage import (
    ARTICLES,
    ENTITIES,
    QUOTES,
    REJECTS,
    VALIDATION_RESULTS,
    read_table,
    reject_rows,
    to_table,
    write_tables,
)

logger = logging.getLogger(__name__)

OnFailure = Literal["quarantine", "fail_batch", "warn"]
SUITES: tuple[str, ...] = ("articles", "entities", "quotes")
DATASOURCE = "newsflow"
BATCH_DEFINITION = "run"

# Range limits, passed to the suites as expectation parameters.
MIN_TEXT_CHARS = 200
MIN_WORDS = 30
MAX_WORDS = 50_000
# Data Docs render every stored GX result, so their rebuild grows with history; they show the
# latest runs only (the validation_results table keeps every run).
DATA_DOCS_RUNS = 50
# The largest UTC offset in use (UTC+14): a later published_at cannot be a time-zone slip.
FUTURE_TOLERANCE = timedelta(hours=14)


class BatchValidationError(RuntimeError):
    """A run-level gate failed; the validated folder still holds every result."""

    def __init__(self, message: str, report: ValidationReport) -> None:
        super().__init__(message)
        self.report = report

    def __reduce__(self) -> tuple:  # keep it picklable for executors that ship exceptions
        return (type(self), (str(self), self.report))


class ExpectationResult(BaseModel):
    suite: str
    expectation: str
    expectation_type: str
    column_name: str | None = None
    on_failure: OnFailure
    success: bool
    element_count: int | None = None
    unexpected_count: int | None = None
    unexpected_percent: float | None = None
    detail: str | None = None


class ValidationReport(BaseModel):
    run_id: str
    out_dir: Path
    input_counts: dict[str, int] = Field(default_factory=dict)
    accepted_counts: dict[str, int] = Field(default_factory=dict)
    accepted: int = 0  # articles
    rejected: int = 0  # articles quarantined by validation
    staged_rejects: int = 0  # rejects earlier stages handed over
    reject_share: float = 0.0
    success: bool = True
    failed_gates: list[str] = Field(default_factory=list)
    results: list[ExpectationResult] = Field(default_factory=list)


# --- suites ------------------------------------------------------------------------------------


def _meta(name: str, reason: str, on_failure: OnFailure = "quarantine", **extra: Any) -> dict:
    return {"name": name, "reason": reason, "on_failure": on_failure, **extra}


def _offset_expectations(gxe: Any) -> list:
    return [
        gxe.ExpectColumnValuesToBeBetween(
            column="start_char",
            min_value=0,
            meta=_meta("start_not_negative", "offsets_out_of_range"),
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="article_text_length",
            column_B="end_char",
            or_equal=True,
            meta=_meta("end_inside_text", "offsets_out_of_range"),
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="end_char",
            column_B="start_char",
            meta=_meta("span_not_empty", "offsets_out_of_range"),
        ),
        gxe.ExpectColumnPairValuesToBeEqual(
            column_A="text",
            column_B="text_at_offsets",
            meta=_meta("text_matches_offsets", "offset_text_mismatch"),
        ),
    ]


def build_suites() -> dict[str, Any]:
    """The expectation suites, one per table (the source of the files in ``include/gx``)."""
    import great_expectations as gx
    import great_expectations.expectations as gxe

    articles = [
        gxe.ExpectColumnValuesToNotBeNull(column="url", meta=_meta("url_not_null", "missing_url")),
        gxe.ExpectColumnValuesToBeUnique(
            column="url", meta=_meta("url_unique", "duplicate_url", keep_first=True)
        ),
        gxe.ExpectColumnValuesToBeUnique(
            column="article_id",
            meta=_meta("article_id_unique", "duplicate_article_id", keep_first=True),
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="title", meta=_meta("title_not_null", "missing_title")
        ),
        gxe.ExpectColumnValuesToMatchRegex(
            column="title", regex=r"\S", meta=_meta("title_not_blank", "missing_title")
        ),
        gxe.ExpectColumnValuesToMatchRegex(
            column="text", regex=r"\S", meta=_meta("text_not_blank", "empty_text")
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="text_length",
            min_value={"$PARAMETER": "min_text_chars"},
            max_value={"$PARAMETER": "max_text_chars"},
            meta=_meta("text_length_in_range", "text_length_out_of_range"),
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="word_count",
            min_value={"$PARAMETER": "min_words"},
            max_value={"$PARAMETER": "max_words"},
            meta=_meta("word_count_in_range", "word_count_out_of_range"),
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="language", meta=_meta("language_not_null", "missing_language")
        ),
        gxe.ExpectColumnValuesToMatchRegex(
            column="language",
            regex=r"^[a-z]{2}$",
            meta=_meta("language_code_valid", "invalid_language"),
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="published_at",
            max_value={"$PARAMETER": "latest_published_at"},
            meta=_meta("published_not_in_future", "future_published_at"),
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="outlet", meta=_meta("outlet_not_null", "missing_outlet")
        ),
        gxe.ExpectColumnValuesToMatchRegex(
            column="outlet", regex=r"\S", meta=_meta("outlet_not_blank", "missing_outlet")
        ),
        gxe.ExpectColumnProportionOfNonNullValuesToBeBetween(
            column="published_at",
            min_value=0,
            strict_min=True,
            meta=_meta("published_at_not_all_null", "all_null_column", "fail_batch", min_rows=5),
        ),
    ]
    entities = [
        *_offset_expectations(gxe),
        gxe.ExpectColumnValuesToBeInSet(
            column="label",
            value_set=list(get_args(EntityLabel)),
            meta=_meta("label_allowed", "unknown_label"),
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="canonical", meta=_meta("canonical_not_null", "missing_canonical")
        ),
        gxe.ExpectColumnValuesToMatchRegex(
            column="canonical", regex=r"\S", meta=_meta("canonical_not_blank", "missing_canonical")
        ),
        gxe.ExpectColumnValuesToMatchRegex(
            column="country",
            regex=r"^[A-Z]{2}$",
            meta=_meta("country_code_valid", "invalid_country"),
        ),
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["staged_row", "start_char", "end_char", "label"],
            meta=_meta("entity_key_unique", "duplicate_entity"),
        ),
        gxe.ExpectColumnProportionOfNonNullValuesToBeBetween(
            column="country",
            min_value=0,
            strict_min=True,
            meta=_meta("country_not_all_null", "all_null_column", "fail_batch", min_rows=20),
        ),
    ]
    quotes = [
        *_offset_expectations(gxe),
        gxe.ExpectColumnValuesToBeInSet(
            column="type",
            value_set=list(get_args(QuoteType)),
            meta=_meta("type_allowed", "unknown_quote_type"),
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="speaker_type",
            value_set=list(get_args(SpeakerType)),
            meta=_meta("speaker_type_allowed", "unknown_speaker_type"),
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="cue",
            row_condition='type=="indirect"',
            condition_parser="pandas",
            meta=_meta("cue_for_indirect", "missing_cue"),
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="confidence",
            min_value=0,
            max_value=1,
            meta=_meta("confidence_in_range", "confidence_out_of_range"),
        ),
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["staged_row", "start_char", "end_char"],
            meta=_meta("quote_key_unique", "duplicate_quote"),
        ),
        # Attribution is statistical: some direct quotes have no findable speaker.
        gxe.ExpectColumnValuesToNotBeNull(
            column="speaker",
            mostly=0.5,
            row_condition='type=="direct"',
            condition_parser="pandas",
            meta=_meta("speaker_for_most_direct", "unattributed_direct_quotes", "warn"),
        ),
    ]
    suites = {}
    for name, expectations in (("articles", articles), ("entities", entities), ("quotes", quotes)):
        suites[name] = gx.ExpectationSuite(name=name, expectations=expectations)
    return suites


_YML_PATCHES = (
    (
        "base_directory: uncommitted/validations/",
        "base_directory: ${newsflow_data_dir}/gx_validations/",
    ),
    (
        "base_directory: uncommitted/data_docs/local_site/",
        "base_directory: ${newsflow_data_dir}/gx_docs/",
    ),
)


def init_context(gx_dir: Path) -> None:
    """(Re)write the file data context in ``gx_dir`` from :func:`build_suites`.

    Validation results and Data Docs go to ``${newsflow_data_dir}`` (the run's data folder,
    git-ignored), which :func:`_context` supplies at runtime.
    """
    import great_expectations as gx

    gx_dir.mkdir(parents=True, exist_ok=True)
    yml = gx_dir / "great_expectations.yml"
    with tempfile.TemporaryDirectory() as scratch:
        runtime = _runtime(Path(scratch))
        context = gx.get_context(
            mode="file", project_root_dir=gx_dir.parent, runtime_environment=runtime
        )
        if Path(context.root_directory).resolve() != gx_dir.resolve():
            raise ValueError(f"the GX file context must be a folder named gx, not {gx_dir}")
        _patch_yml(yml)
        context = gx.get_context(mode="file", context_root_dir=gx_dir, runtime_environment=runtime)
        datasource = context.data_sources.add_or_update_pandas(DATASOURCE)
        for name, suite in build_suites().items():
            for store in (context.checkpoints, context.validation_definitions, context.suites):
                with contextlib.suppress(Exception):  # not there yet
                    store.delete(name)
            if name in [asset.name for asset in datasource.assets]:
                datasource.delete_asset(name)
            asset = datasource.add_dataframe_asset(name)
            batch = asset.add_batch_definition_whole_dataframe(BATCH_DEFINITION)
            suite = context.suites.add(suite)
            definition = context.validation_definitions.add(
                gx.ValidationDefinition(name=name, data=batch, suite=suite)
            )
            context.checkpoints.add(
                gx.Checkpoint(
                    name=name,
                    validation_definitions=[definition],
                    actions=[],
                    result_format={"result_format": "COMPLETE"},
                )
            )
        _patch_yml(yml)  # GX rewrites the file when it saves the datasource
    logger.info("wrote the GX file context in %s", gx_dir)


def _patch_yml(yml: Path) -> None:
    text = yml.read_text(encoding="utf-8")
    for old, new in _YML_PATCHES:
        text = text.replace(old, new)
    if "progress_bars:" not in text:
        text += "progress_bars:\n  globally: false\n  metric_calculations: false\n"
    text = re.sub(r"^analytics_enabled:.*$", "analytics_enabled: false", text, flags=re.M)
    yml.write_text(text, encoding="utf-8")


def _runtime(data_dir: Path) -> dict[str, str]:
    return {"newsflow_data_dir": str(data_dir.resolve())}


@functools.lru_cache(maxsize=4)
def _context(gx_dir: Path, data_dir: Path) -> Any:
    """The file data context, created once per process and data folder."""
    import great_expectations as gx

    if not (gx_dir / "great_expectations.yml").exists():
        raise FileNotFoundError(
            f"no GX file context in {gx_dir} (python -m newsflow.validate init)"
        )
    return gx.get_context(
        mode="file", context_root_dir=gx_dir, runtime_environment=_runtime(data_dir)
    )


# --- frames ------------------------------------------------------------------------------------


def _read_run(batch_dirs: list[Path]) -> dict[str, pa.Table]:
    """All staged batches as one table per kind, with ``staged_row`` unique across the run."""
    parts: dict[str, list[pa.Table]] = {"articles": [], "entities": [], "quotes": [], "rejects": []}
    offset = 0
    for batch_dir in batch_dirs:
        articles = read_table(batch_dir, "articles")
        for name in ("articles", "entities", "quotes"):
            table = articles if name == "articles" else read_table(batch_dir, name)
            shifted = pc.add(table["staged_row"], pa.scalar(offset, pa.int32()))
            parts[name].append(table.set_column(0, "staged_row", shifted))
        parts["rejects"].append(read_table(batch_dir, "rejects"))
        offset += articles.num_rows
    schemas = {"articles": ARTICLES, "entities": ENTITIES, "quotes": QUOTES, "rejects": REJECTS}
    return {
        name: pa.concat_tables(tables) if tables else schemas[name].empty_table()
        for name, tables in parts.items()
    }


def _article_frame(articles: pa.Table) -> pd.DataFrame:
    columns = ["staged_row", "article_id", "url", "title", "text", "word_count", "language",
               "published_at", "outlet"]  # fmt: skip
    frame = articles.select(columns).to_pandas()
    frame["text_length"] = frame["text"].fillna("").str.len().astype("int64")
    return frame


def _child_frame(children: pa.Table, articles: pd.DataFrame) -> pd.DataFrame:
    frame = children.to_pandas()
    texts = dict(zip(articles["staged_row"], articles["text"].fillna(""), strict=True))
    text = frame["staged_row"].map(texts).fillna("").astype(str)
    frame["article_text_length"] = text.str.len().astype("int64")
    frame["text_at_offsets"] = [
        t[s:e] if 0 <= s <= e else None
        for t, s, e in zip(text, frame["start_char"], frame["end_char"], strict=True)
    ]
    return frame


# --- validation --------------------------------------------------------------------------------


def _columns(kwargs: dict) -> list[str]:
    if "column" in kwargs:
        return [kwargs["column"]]
    if "column_A" in kwargs:
        return [kwargs["column_A"], kwargs["column_B"]]
    return list(kwargs.get("column_list") or [])


def _exception(info: Any) -> str | None:
    """The message of an exception GX caught while checking, if any (it nests them per metric)."""
    if not isinstance(info, dict):
        return None
    if info.get("raised_exception"):
        return str(info.get("exception_message") or "exception")
    for value in info.values():
        message = _exception(value)
        if message is not None:
            return message
    return None


def _short(value: object, limit: int = 120) -> str:
    missing = value is None or (isinstance(value, float) and math.isnan(value))
    text = "null" if missing else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _offending_rows(result: Any, frame: pd.DataFrame, keep_first: bool) -> list[int]:
    """Positions (frame index) of the rows a quarantine expectation rejects."""
    index = [int(i) for i in result.result.get("unexpected_index_list") or []]
    if not keep_first:
        return index
    column = _columns(result.expectation_config.kwargs)[0]
    seen: set[object] = set()
    later = []
    for i in sorted(index):
        value = frame.at[i, column]
        if value in seen:
            later.append(i)
        seen.add(value)
    return later


def _detail(suite: str, frame: pd.DataFrame, row: int, columns: list[str]) -> str:
    keys = [] if suite == "articles" else ["start_char", "end_char"]
    shown = {c: frame.at[row, c] for c in [*keys, *columns] if c in frame.columns}
    return f"{suite}: " + ", ".join(f"{c}={_short(v)}" for c, v in shown.items())


def _run_checkpoint(
    context: Any, suite: str, frame: pd.DataFrame, params: dict, run_id: str
) -> list[Any]:
    from great_expectations.core.run_identifier import RunIdentifier

    checkpoint = context.checkpoints.get(suite)
    result = checkpoint.run(
        batch_parameters={"dataframe": frame},
        expectation_parameters=params,
        run_id=RunIdentifier(run_name=run_id, run_time=datetime.now(UTC)),
    )
    return [r for run_result in result.run_results.values() for r in run_result.results]


def _parameters(settings: Settings) -> dict[str, Any]:
    return {
        "min_text_chars": MIN_TEXT_CHARS,
        "max_text_chars": settings.max_text_chars,
        "min_words": MIN_WORDS,
        "max_words": MAX_WORDS,
        "latest_published_at": pd.Timestamp(utcnow() + FUTURE_TOLERANCE),
    }


def validate_run(
    batch_dirs: list[Path], out_dir: Path, settings: Settings, run_id: str
) -> ValidationReport:
    """Validate every staged batch of a run; write what passes, the rejects and the results.

    ``out_dir`` receives ``articles``, ``entities``, ``quotes``, ``rejects`` and
    ``validation_results`` Parquet files. Raises :class:`BatchValidationError` (after writing
    them and rebuilding Data Docs) when a run-level gate fails.
    """
    tables = _read_run(batch_dirs)
    articles = _article_frame(tables["articles"])
    frames = {
        "articles": articles,
        "entities": _child_frame(tables["entities"], articles),
        "quotes": _child_frame(tables["quotes"], articles),
    }
    # A run with nothing new validates nothing and records no results, so rerunning an unchanged
    # source leaves every table as it was (GX is not even loaded).
    suites = SUITES if len(articles) else ()
    context = _context(settings.gx_dir.resolve(), settings.data_dir.resolve()) if suites else None
    params = _parameters(settings)
    results: list[ExpectationResult] = []
    failed_gates: list[str] = []
    # staged_row -> [(expectation, reason, detail)]
    quarantined: dict[int, list[tuple[str, str, str]]] = {}
    for suite in suites:
        frame = frames[suite]
        for r in _run_checkpoint(context, suite, frame, params, run_id):
            config = r.expectation_config
            meta = config.meta or {}
            name = f"{suite}.{meta.get('name', config.type)}"
            on_failure: OnFailure = meta.get("on_failure", "fail_batch")
            columns = _columns(config.kwargs)
            error = _exception(r.exception_info)
            raised = error is not None
            detail = None
            if raised:
                on_failure = "fail_batch"  # a check that cannot run cannot pass
                detail = error[:500]
            elif not r.success:
                sample = r.result.get("partial_unexpected_list") or r.result.get("observed_value")
                detail = json.dumps(sample, default=str, ensure_ascii=False)[:500]
            results.append(
                ExpectationResult(
                    suite=suite,
                    expectation=name,
                    expectation_type=config.type,
                    column_name=",".join(columns) or None,
                    on_failure=on_failure,
                    success=bool(r.success) and not raised,
                    element_count=r.result.get("element_count"),
                    unexpected_count=r.result.get("unexpected_count"),
                    unexpected_percent=r.result.get("unexpected_percent"),
                    detail=detail,
                )
            )
            if r.success and not raised:
                continue
            if on_failure == "fail_batch":
                if raised or len(frame) >= int(meta.get("min_rows", 0)):
                    failed_gates.append(f"{name}: {detail}")
                continue
            if on_failure == "warn":
                logger.warning("expectation %s failed: %s", name, detail)
                continue
            if not r.result.get("unexpected_index_list"):
                # Nothing to quarantine, yet the check failed: only the whole run can answer.
                results[-1].on_failure = "fail_batch"
                failed_gates.append(f"{name}: failed without offending rows ({detail})")
                continue
            for row in _offending_rows(r, frame, bool(meta.get("keep_first"))):
                staged_row = int(frame.at[row, "staged_row"])
                quarantined.setdefault(staged_row, []).append(
                    (name, meta.get("reason", name), _detail(suite, frame, row, columns))
                )

    rejects = _quarantine(tables["articles"], quarantined)
    keep = pa.array(sorted(set(articles["staged_row"]) - set(quarantined)), pa.int32())
    accepted = {
        name: tables[name].filter(pc.is_in(tables[name]["staged_row"], keep)) for name in SUITES
    }
    total = len(articles)
    share = len(quarantined) / total if total else 0.0
    share_ok = share <= settings.max_reject_share
    if total:
        results.append(
            ExpectationResult(
                suite="batch",
                expectation="batch.reject_share_at_most_max",
                expectation_type="newsflow_reject_share_at_most",
                on_failure="fail_batch",
                success=share_ok,
                element_count=total,
                unexpected_count=len(quarantined),
                unexpected_percent=100 * share,
                detail=json.dumps({"share": share, "max_reject_share": settings.max_reject_share}),
            )
        )
    if not share_ok:
        failed_gates.append(
            f"rejected {len(quarantined)} of {total} articles ({share:.0%}), "
            f"more than max_reject_share={settings.max_reject_share:.0%}"
        )

    all_rejects = pa.concat_tables([tables["rejects"], to_table(reject_rows(rejects), REJECTS)])
    validated_at = utcnow()
    result_rows = [
        {**r.model_dump(), "run_id": run_id, "validated_at": validated_at} for r in results
    ]
    write_tables(
        {
            **accepted,
            "rejects": all_rejects,
            "validation_results": to_table(result_rows, VALIDATION_RESULTS),
        },
        out_dir,
    )
    report = ValidationReport(
        run_id=run_id,
        out_dir=out_dir,
        input_counts={name: tables[name].num_rows for name in (*SUITES, "rejects")},
        accepted_counts={name: accepted[name].num_rows for name in SUITES},
        accepted=accepted["articles"].num_rows,
        rejected=len(quarantined),
        staged_rejects=tables["rejects"].num_rows,
        reject_share=share,
        success=not failed_gates,
        failed_gates=failed_gates,
        results=results,
    )
    logger.info(
        "validated run %s: %d articles accepted, %d quarantined, %d expectations failed",
        run_id,
        report.accepted,
        report.rejected,
        sum(1 for r in results if not r.success),
    )
    if settings.build_data_docs and context is not None:
        _prune_gx_results(settings.data_dir / "gx_validations", DATA_DOCS_RUNS)
        shutil.rmtree(settings.data_dir / "gx_docs" / "validations", ignore_errors=True)
        context.build_data_docs()
        logger.info("rebuilt GX Data Docs in %s", settings.data_dir / "gx_docs")
    if failed_gates:
        raise BatchValidationError("validation failed: " + "; ".join(failed_gates), report)
    return report


def _prune_gx_results(store: Path, keep: int) -> None:
    """Drop the stored GX results of all but the ``keep`` most recent runs.

    The store is laid out as ``<suite>/<run name>/<run time>/<batch>.json``.
    """
    if not store.is_dir():
        return
    latest: dict[str, float] = {}
    for run_dir in store.glob("*/*"):
        if run_dir.is_dir():
            mtime = run_dir.stat().st_mtime
            latest[run_dir.name] = max(latest.get(run_dir.name, 0.0), mtime)
    ordered = sorted(latest, key=lambda name: latest[name], reverse=True)
    for name in ordered[keep:]:
        for run_dir in store.glob(f"*/{glob.escape(name)}"):
            shutil.rmtree(run_dir, ignore_errors=True)


def _quarantine(
    articles: pa.Table, quarantined: dict[int, list[tuple[str, str, str]]]
) -> list[Reject]:
    """One Reject per quarantined article, carrying the article with its children.

    The first failure (articles suite first, then entities, then quotes) names the reason and
    the expectation; the detail lists every expectation the article broke.
    """
    if not quarantined:
        return []
    wanted = pa.array(sorted(quarantined), pa.int32())
    rows = articles.filter(pc.is_in(articles["staged_row"], wanted)).select(
        ["staged_row", "article_id", "url", "record_json"]
    )
    rejects = []
    for row in rows.to_pylist():
        failures = quarantined[row["staged_row"]]
        first: dict[str, str] = {}
        for expectation, reason, detail in failures:
            first.setdefault(expectation, f"{expectation} [{reason}] {detail}")
        expectation, reason, _ = failures[0]
        rejects.append(
            Reject(
                stage="validate",
                reason=reason,
                url=row["url"],
                article_id=row["article_id"],
                expectation=expectation,
                detail="; ".join(first.values())[:2000],
                raw=row["record_json"],
            )
        )
    return rejects


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] != ["init"]:
        print("usage: python -m newsflow.validate init [GX_DIR]", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO)
    init_context(Path(args[1]) if len(args) > 1 else Settings().gx_dir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
