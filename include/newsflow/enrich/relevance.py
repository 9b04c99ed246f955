"""How much an article is about the topic defined in ``include/topics.yaml``."""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from newsflow.enrich.datafile import load_data_file
from newsflow.records import Entity, Relevance

logger = logging.getLogger(__name__)


class TopicError(ValueError):
    """The topic file is missing or malformed."""


@dataclass(frozen=True)
class TopicCountry:
    code: str
    name: str
    weight: float
    keywords: re.Pattern[str] | None


@dataclass(frozen=True)
class TopicConfig:
    name: str
    threshold: float
    min_country_mentions: int
    keyword_weight: float
    countries: tuple[TopicCountry, ...]
    keywords: re.Pattern[str] | None


def keyword_pattern(keywords: Sequence[str]) -> re.Pattern[str] | None:
    """One case-insensitive whole-word pattern; spaces and hyphens in a keyword match either."""
    if not keywords:
        return None
    alternatives = []
    for keyword in sorted(keywords, key=len, reverse=True):
        words = [re.escape(w) for w in re.split(r"[\s\-‐–]+", keyword.strip()) if w]
        alternatives.append(r"[\s\-‐–]+".join(words))
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


def load_topics(path: Path) -> TopicConfig:
    """Load and validate the topic definition (cached per process until the file changes)."""
    return load_data_file(path, parse_topics, TopicError, "topics")


def parse_topics(data: object) -> TopicConfig:
    if not isinstance(data, dict):
        raise TopicError("expected a mapping")
    countries_raw = data.get("countries")
    if not isinstance(countries_raw, dict) or not countries_raw:
        raise TopicError("'countries' must map country codes to {name, weight, keywords}")
    countries = []
    for code, raw in countries_raw.items():
        if not isinstance(code, str) or not re.fullmatch(r"[A-Z]{2}", code):
            raise TopicError(f"country code {code!r} is not ISO alpha-2 (quote NO, ON, YES)")
        if not isinstance(raw, dict):
            raise TopicError(f"{code}: expected a mapping")
        keywords = _strings(raw.get("keywords", []), f"{code}.keywords")
        countries.append(
            TopicCountry(
                code=code,
                name=str(raw.get("name", code)),
                weight=_number(raw.get("weight", 1.0), f"{code}.weight"),
                keywords=keyword_pattern(keywords),
            )
        )
    threshold = _number(data.get("threshold"), "threshold")
    min_mentions = data.get("min_country_mentions", 1)
    if not isinstance(min_mentions, int) or isinstance(min_mentions, bool) or min_mentions < 0:
        raise TopicError("'min_country_mentions' must be a non-negative integer")
    return TopicConfig(
        name=str(data.get("name", "topic")),
        threshold=threshold,
        min_country_mentions=min_mentions,
        keyword_weight=_number(data.get("keyword_weight", 0.0), "keyword_weight"),
        countries=tuple(countries),
        keywords=keyword_pattern(_strings(data.get("keywords", []), "keywords")),
    )


def _number(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TopicError(f"'{where}' must be a number, got {value!r}")
    return float(value)


def _strings(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise TopicError(f"'{where}' must be a list of non-empty strings")
    return value


def score_relevance(
    entities: list[Entity], text: str, topics: TopicConfig, *, article_id: str | None = None
) -> Relevance:
    """Per-country mention counts, a weighted score and the on-topic verdict."""
    if article_id is None:
        article_id = entities[0].article_id if entities else ""
    spans = sorted((e.start, e.end) for e in entities)
    starts = [s for s, _ in spans]
    mentions: dict[str, int] = {}
    for country in topics.countries:
        count = sum(1 for e in entities if e.country == country.code)
        if country.keywords is not None:
            count += sum(
                1
                for match in country.keywords.finditer(text)
                if not _covered(spans, starts, match.start(), match.end())
            )
        mentions[country.code] = count
    keyword_hits = len(topics.keywords.findall(text)) if topics.keywords is not None else 0
    score = sum(c.weight * mentions[c.code] for c in topics.countries)
    score += topics.keyword_weight * keyword_hits
    on_topic = score >= topics.threshold and sum(mentions.values()) >= topics.min_country_mentions
    return Relevance(
        article_id=article_id, mentions=mentions, score=round(score, 3), on_topic=on_topic
    )


def _covered(spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    """Whether [start, end) overlaps an entity span (spans sorted and non-overlapping)."""
    index = bisect.bisect_right(starts, start) - 1
    for i in (index, index + 1):
        if 0 <= i < len(spans) and spans[i][0] < end and start < spans[i][1]:
            return True
    return False
