"""Typed records passed between the pipeline stages.

Every stage takes and returns these models, so a stage can be run, tested and replayed on its
own (from JSON Lines or Parquet) without knowing how the previous stage produced its input.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field


def utcnow() -> datetime:
    return datetime.now(UTC)


def stable_id(text: str) -> str:
    """A short, stable identifier (first 16 hex digits of SHA-256)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


R = TypeVar("R", bound=Record)


class Candidate(Record):
    """Something discovered that may be an article: a URL or a local file."""

    url: str
    source: str
    outlet: str | None = None
    language: str | None = None
    path: str | None = None  # local file; None for web candidates
    discovered_at: datetime = Field(default_factory=utcnow)


class Page(Record):
    """A fetched document. The body lives in the raw archive, not in the record."""

    url: str
    final_url: str
    source: str
    outlet: str | None = None
    language: str | None = None
    status: int = 200
    content_type: str | None = None
    headers: dict[str, str] = Field(default_factory=dict)
    archive_path: str  # path of the (compressed) body in the raw archive or the local file
    content_sha256: str
    size: int
    fetched_at: datetime = Field(default_factory=utcnow)


class Article(Record):
    """One clean article: text and metadata, ready for enrichment."""

    article_id: str
    url: str
    canonical_url: str
    source: str
    outlet: str | None = None
    domain: str | None = None
    title: str | None = None
    authors: list[str] = Field(default_factory=list)
    published_at: datetime | None = None
    language: str | None = None
    text: str
    captions: list[str] = Field(default_factory=list)
    top_image: str | None = None
    word_count: int = 0
    provenance: str = ""
    content_hash: str = ""
    duplicate_of: str | None = None
    fetched_at: datetime | None = None


EntityLabel = Literal[
    "PERSON",
    "ORG",
    "GPE",
    "LOC",
    "NORP",
    "FAC",
    "EVENT",
    "PRODUCT",
    "LAW",
    "WORK_OF_ART",
    "LANGUAGE",
    "DATE",
    "TIME",
    "PERCENT",
    "MONEY",
    "QUANTITY",
    "ORDINAL",
    "CARDINAL",
]


class Entity(Record):
    """One entity mention with its character offsets in the article text."""

    article_id: str
    start: int
    end: int
    text: str
    label: str
    canonical: str
    country: str | None = None  # ISO 3166-1 alpha-2
    role: str | None = None


QuoteType = Literal["direct", "mixed", "indirect"]
SpeakerType = Literal["person", "organisation", "anonymous", "unknown"]


class Quote(Record):
    """One quotation with its speaker; offsets index the article text."""

    article_id: str
    start: int
    end: int
    text: str
    type: QuoteType
    cue: str | None = None
    speaker: str | None = None
    speaker_text: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_type: SpeakerType = "unknown"
    speaker_country: str | None = None
    confidence: float = 0.0


class Relevance(Record):
    """How much an article is about the topic (see include/topics.yaml)."""

    article_id: str
    mentions: dict[str, int] = Field(default_factory=dict)  # topic country code -> mentions
    score: float = 0.0
    on_topic: bool = False


class EnrichedArticle(Record):
    article: Article
    entities: list[Entity] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    relevance: Relevance
    model: str = ""
    model_version: str = ""
    enriched_at: datetime = Field(default_factory=utcnow)


class Reject(Record):
    """A record that did not make it, with the reason and the raw record for replay."""

    stage: str  # discover | fetch | extract | enrich | validate | load
    reason: str  # short machine-readable reason, e.g. "no_body", "unsupported_language"
    url: str | None = None
    article_id: str | None = None
    expectation: str | None = None
    detail: str | None = None
    raw: str | None = None  # JSON of the record as it was when rejected
    rejected_at: datetime = Field(default_factory=utcnow)


class FetchLogEntry(Record):
    url: str
    status: int | None = None
    error: str | None = None
    attempts: int = 1
    elapsed_s: float = 0.0
    fetched_at: datetime = Field(default_factory=utcnow)
    not_modified: bool = False


def dump_jsonl(records: Sequence[Record], path: Path) -> Path:
    """Write records as JSON Lines, atomically (a retried task never sees a half file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(record.model_dump_json() + "\n")
    tmp.replace(path)
    return path


def load_jsonl(path: Path, model: type[R]) -> list[R]:
    with path.open(encoding="utf-8") as lines:
        return [model.model_validate_json(line) for line in lines if line.strip()]
