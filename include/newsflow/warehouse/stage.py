"""Stage enriched batches as Parquet: what mapped tasks write instead of touching DuckDB.

One folder per batch holds ``articles``, ``entities``, ``quotes`` and ``rejects`` Parquet files
with fixed schemas (so an empty batch still has typed columns). Child rows carry the article's
``staged_row`` so that two records of the same article in one run stay apart until validation
decides which one to keep.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from newsflow.records import EnrichedArticle, Reject

logger = logging.getLogger(__name__)

TS = pa.timestamp("us", tz="UTC")
TOPIC_COUNTRIES: tuple[str, ...] = ("KP", "KR", "RU", "UA")

ARTICLES = pa.schema(
    [
        ("staged_row", pa.int32()),
        ("article_id", pa.string()),
        ("url", pa.string()),
        ("canonical_url", pa.string()),
        ("source", pa.string()),
        ("outlet", pa.string()),
        ("domain", pa.string()),
        ("title", pa.string()),
        ("authors", pa.list_(pa.string())),
        ("published_at", TS),
        ("language", pa.string()),
        ("text", pa.large_string()),
        ("captions", pa.list_(pa.string())),
        ("top_image", pa.string()),
        ("word_count", pa.int32()),
        ("provenance", pa.string()),
        ("content_hash", pa.string()),
        ("duplicate_of", pa.string()),
        ("fetched_at", TS),
        ("relevance_score", pa.float64()),
        ("on_topic", pa.bool_()),
        ("mentions", pa.map_(pa.string(), pa.int32())),
        *[(f"mentions_{code.lower()}", pa.int32()) for code in TOPIC_COUNTRIES],
        ("model", pa.string()),
        ("model_version", pa.string()),
        ("enriched_at", TS),
        ("fingerprint", pa.string()),
        ("record_json", pa.large_string()),
    ]
)

ENTITIES = pa.schema(
    [
        ("staged_row", pa.int32()),
        ("article_id", pa.string()),
        ("start_char", pa.int32()),
        ("end_char", pa.int32()),
        ("label", pa.string()),
        ("text", pa.string()),
        ("canonical", pa.string()),
        ("country", pa.string()),
        ("role", pa.string()),
    ]
)

QUOTES = pa.schema(
    [
        ("staged_row", pa.int32()),
        ("article_id", pa.string()),
        ("start_char", pa.int32()),
        ("end_char", pa.int32()),
        ("text", pa.string()),
        ("type", pa.string()),
        ("cue", pa.string()),
        ("speaker", pa.string()),
        ("speaker_text", pa.string()),
        ("speaker_start", pa.int32()),
        ("speaker_end", pa.int32()),
        ("speaker_type", pa.string()),
        ("speaker_country", pa.string()),
        ("confidence", pa.float64()),
    ]
)

REJECTS = pa.schema(
    [
        ("stage", pa.string()),
        ("reason", pa.string()),
        ("url", pa.string()),
        ("article_id", pa.string()),
        ("expectation", pa.string()),
        ("detail", pa.string()),
        ("raw", pa.large_string()),
        ("rejected_at", TS),
    ]
)

# Written by validation next to the accepted rows: one row per expectation of the run.
VALIDATION_RESULTS = pa.schema(
    [
        ("run_id", pa.string()),
        ("suite", pa.string()),
        ("expectation", pa.string()),
        ("expectation_type", pa.string()),
        ("column_name", pa.string()),
        ("on_failure", pa.string()),
        ("success", pa.bool_()),
        ("element_count", pa.int64()),
        ("unexpected_count", pa.int64()),
        ("unexpected_percent", pa.float64()),
        ("detail", pa.string()),
        ("validated_at", TS),
    ]
)

SCHEMAS: dict[str, pa.Schema] = {
    "articles": ARTICLES,
    "entities": ENTITIES,
    "quotes": QUOTES,
    "rejects": REJECTS,
    "validation_results": VALIDATION_RESULTS,
}


def fingerprint(record: EnrichedArticle) -> str:
    """Hash of what the warehouse stores, minus the clocks (fetch and enrich times).

    Two runs over the same source produce the same fingerprint, so the load can tell an
    unchanged article (left alone) from a re-enriched one (row updated, children replaced).
    """
    data = record.model_dump(mode="json", exclude={"enriched_at": True, "article": {"fetched_at"}})
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _mentions(record: EnrichedArticle) -> dict[str, int]:
    return {key.upper(): int(value) for key, value in record.relevance.mentions.items()}


def article_rows(enriched: Iterable[EnrichedArticle]) -> list[dict]:
    rows = []
    for i, record in enumerate(enriched):
        a = record.article
        mentions = _mentions(record)
        row = {
            "staged_row": i,
            **a.model_dump(exclude={"fetched_at", "published_at"}),
            "published_at": a.published_at,
            "fetched_at": a.fetched_at,
            "relevance_score": record.relevance.score,
            "on_topic": record.relevance.on_topic,
            "mentions": list(mentions.items()),
            "model": record.model,
            "model_version": record.model_version,
            "enriched_at": record.enriched_at,
            "fingerprint": fingerprint(record),
            "record_json": record.model_dump_json(),
        }
        for code in TOPIC_COUNTRIES:
            row[f"mentions_{code.lower()}"] = mentions.get(code, 0)
        rows.append(row)
    return rows


def entity_rows(enriched: Iterable[EnrichedArticle]) -> list[dict]:
    return [
        {
            "staged_row": i,
            **e.model_dump(exclude={"start", "end"}),
            "start_char": e.start,
            "end_char": e.end,
        }
        for i, record in enumerate(enriched)
        for e in record.entities
    ]


def quote_rows(enriched: Iterable[EnrichedArticle]) -> list[dict]:
    return [
        {
            "staged_row": i,
            **q.model_dump(exclude={"start", "end"}),
            "start_char": q.start,
            "end_char": q.end,
        }
        for i, record in enumerate(enriched)
        for q in record.quotes
    ]


def reject_rows(rejects: Iterable[Reject]) -> list[dict]:
    return [r.model_dump() for r in rejects]


def to_table(rows: list[dict], schema: pa.Schema) -> pa.Table:
    """Rows to a table with exactly ``schema``'s columns (extra keys are dropped)."""
    columns = {name: [row.get(name) for row in rows] for name in schema.names}
    return pa.Table.from_pydict(columns, schema=schema)


def write_tables(tables: dict[str, pa.Table], out_dir: Path) -> Path:
    """Write ``<name>.parquet`` files into ``out_dir`` as a whole, replacing an older attempt.

    The files are written into a sibling temporary folder that is then renamed into place, so a
    reader (or a retried task) sees either the previous complete folder or the new one.
    """
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.with_name(f".{out_dir.name}.{uuid.uuid4().hex[:8]}.tmp")
    tmp.mkdir()
    try:
        for name, table in tables.items():
            pq.write_table(table, tmp / f"{name}.parquet")
        old = None
        if out_dir.exists():
            old = out_dir.with_name(f".{out_dir.name}.{uuid.uuid4().hex[:8]}.old")
            os.replace(out_dir, old)
        os.replace(tmp, out_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return out_dir


def stage_batch(enriched: list[EnrichedArticle], rejects: list[Reject], out_dir: Path) -> Path:
    """Write one enriched batch (and its rejects) as Parquet into ``out_dir``; returns it."""
    tables = {
        "articles": to_table(article_rows(enriched), ARTICLES),
        "entities": to_table(entity_rows(enriched), ENTITIES),
        "quotes": to_table(quote_rows(enriched), QUOTES),
        "rejects": to_table(reject_rows(rejects), REJECTS),
    }
    write_tables(tables, out_dir)
    logger.info(
        "staged %d articles, %d entities, %d quotes, %d rejects in %s",
        *(tables[name].num_rows for name in ("articles", "entities", "quotes", "rejects")),
        out_dir,
    )
    return out_dir


def read_table(batch_dir: Path, name: str) -> pa.Table:
    """One staged table, cast to its schema; a missing file reads as an empty table."""
    path = batch_dir / f"{name}.parquet"
    schema = SCHEMAS[name]
    if not path.exists():
        return schema.empty_table()
    return pq.read_table(path).select(schema.names).cast(schema)
