"""Enrich stage: entities, relevance and quotes for clean articles.

The spaCy model loads once per process; texts go through ``nlp.pipe`` in batches inside
``nlp.memory_zone()``, so a long run does not grow the string store. Docs are only valid inside
the zone, so every record is built there and the Docs are dropped before it closes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from spacy.language import Language
from spacy.tokens import Doc

from newsflow.enrich.entities import extract_entities
from newsflow.enrich.gazetteer import Gazetteer, load_gazetteer
from newsflow.enrich.model import load_model, model_version
from newsflow.enrich.relevance import TopicConfig, load_topics, score_relevance
from newsflow.records import Article, EnrichedArticle, Entity, Quote, Reject, Relevance, stable_id
from newsflow.settings import Settings

__all__ = ["enrich_articles", "enrich_paths"]

logger = logging.getLogger(__name__)

QuoteFinder = Callable[[Doc, list[Entity], str, Gazetteer], list[Quote]]
T = TypeVar("T")


def enrich_articles(
    articles: list[Article], settings: Settings
) -> tuple[list[EnrichedArticle], list[Reject]]:
    """Entities, relevance and (for on-topic articles) quotes; bad articles become Rejects.

    Articles in a language without a model are rejected as ``unsupported_language``; duplicates
    pass through un-enriched; off-topic articles keep their entities but get no quotes.
    """
    if not articles:
        return [], []
    nlp = load_model(settings.spacy_model)
    context = _Context(
        nlp=nlp,
        model=settings.spacy_model,
        version=model_version(nlp),
        gazetteer=load_gazetteer(settings.gazetteer_path),
        topics=load_topics(settings.topics_path),
        find_quotes=_quote_finder(),
    )
    results: dict[int, EnrichedArticle | Reject] = {}
    todo: list[tuple[int, Article]] = []
    for index, article in enumerate(articles):
        if article.language not in settings.enrich_languages:
            results[index] = _reject(
                article,
                "unsupported_language",
                f"language {article.language!r} not in {list(settings.enrich_languages)}",
            )
        elif article.duplicate_of:
            results[index] = EnrichedArticle(
                article=article,
                relevance=Relevance(article_id=article.article_id),
                model=context.model,
                model_version=context.version,
            )
        else:
            todo.append((index, article))

    done = 0
    for chunk in _batches(todo, max(1, settings.batch_size)):
        with nlp.memory_zone():
            outcomes = _enrich_chunk(context, [article for _, article in chunk])
        for (index, _), outcome in zip(chunk, outcomes, strict=True):
            results[index] = outcome
        done += len(chunk)
        logger.info("enriched %d/%d articles", done, len(todo))

    ordered = [results[i] for i in range(len(articles))]
    enriched = [r for r in ordered if isinstance(r, EnrichedArticle)]
    rejects = [r for r in ordered if isinstance(r, Reject)]
    logger.info(
        "enrich: %d in, %d enriched (%d on topic, %d duplicates), %d rejected, "
        "%d entities, %d quotes",
        len(articles),
        len(enriched),
        sum(1 for e in enriched if e.relevance.on_topic),
        sum(1 for e in enriched if e.article.duplicate_of),
        len(rejects),
        sum(len(e.entities) for e in enriched),
        sum(len(e.quotes) for e in enriched),
    )
    return enriched, rejects


def enrich_paths(paths: Sequence[str], settings: Settings) -> Iterator[dict]:
    """The ``newsflow enrich`` contract: one dict per .txt file, offsets into its text verbatim.

    Relevance does not gate anything here: quotes are searched in every file.
    """
    nlp = load_model(settings.spacy_model)
    gazetteer = load_gazetteer(settings.gazetteer_path)
    find_quotes = _quote_finder()
    files = list(_text_files(paths))
    logger.info("enrich: %d text files", len(files))
    for chunk in _batches(files, max(1, settings.batch_size)):
        texts: dict[Path, str] = {}
        failed: dict[Path, str] = {}
        for path in chunk:
            try:
                # Bytes decoded as they are: no newline translation, so offsets match the file.
                texts[path] = path.read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                failed[path] = f"{type(exc).__name__}: {exc}"
        with nlp.memory_zone():
            outputs = _enrich_texts(nlp, texts, gazetteer, find_quotes, failed)
        for path in chunk:
            if path in failed:
                logger.warning("enrich: %s: %s", path, failed[path])
                yield {"path": str(path), "entities": [], "quotes": [], "error": failed[path]}
            else:
                yield outputs[path]


@dataclass(frozen=True)
class _Context:
    """What every article of a run is enriched with."""

    nlp: Language
    model: str
    version: str
    gazetteer: Gazetteer
    topics: TopicConfig
    find_quotes: QuoteFinder | None


def _enrich_chunk(context: _Context, chunk: list[Article]) -> list[EnrichedArticle | Reject]:
    """Run one batch through the pipeline; call only inside a memory zone."""
    outcomes: list[EnrichedArticle | Reject] = []
    try:
        docs = context.nlp.pipe((a.text for a in chunk), batch_size=len(chunk))
        for article, doc in zip(chunk, docs):  # noqa: B905 - the pipe may stop on an error
            outcomes.append(_enrich_doc(context, article, doc))
    except Exception as exc:  # the pipe itself failed: go one by one to isolate the bad text
        logger.warning("enrich: batch failed (%s), retrying its articles one by one", exc)
        for article in chunk[len(outcomes) :]:
            try:
                doc = context.nlp(article.text)
            except Exception as one_exc:
                outcomes.append(_reject(article, "enrich_error", _describe(one_exc)))
                continue
            outcomes.append(_enrich_doc(context, article, doc))
    return outcomes


def _enrich_doc(context: _Context, article: Article, doc: Doc) -> EnrichedArticle | Reject:
    try:
        entities = extract_entities(doc, article.article_id, context.gazetteer)
        relevance = score_relevance(
            entities, article.text, context.topics, article_id=article.article_id
        )
        quotes: list[Quote] = []
        if relevance.on_topic and context.find_quotes is not None:
            quotes = context.find_quotes(doc, entities, article.article_id, context.gazetteer)
        return EnrichedArticle(
            article=article,
            entities=entities,
            quotes=quotes,
            relevance=relevance,
            model=context.model,
            model_version=context.version,
        )
    except Exception as exc:
        logger.warning("enrich: article %s failed: %s", article.article_id, exc, exc_info=True)
        return _reject(article, "enrich_error", _describe(exc))


def _enrich_texts(
    nlp: Language,
    texts: dict[Path, str],
    gazetteer: Gazetteer,
    find_quotes: QuoteFinder | None,
    failed: dict[Path, str],
) -> dict[Path, dict]:
    """CLI output dicts for one batch of files; call only inside a memory zone."""
    outputs: dict[Path, dict] = {}
    paths = list(texts)
    try:
        for path, doc in zip(paths, nlp.pipe(texts[p] for p in paths)):  # noqa: B905
            _add_output(outputs, failed, path, doc, gazetteer, find_quotes)
    except Exception as exc:  # the pipe itself failed: go one by one to isolate the bad text
        logger.warning("enrich: batch failed (%s), retrying its files one by one", exc)
        for path in paths:
            if path in outputs or path in failed:
                continue
            try:
                doc = nlp(texts[path])
            except Exception as one_exc:
                failed[path] = _describe(one_exc)
                continue
            _add_output(outputs, failed, path, doc, gazetteer, find_quotes)
    return outputs


def _add_output(
    outputs: dict[Path, dict],
    failed: dict[Path, str],
    path: Path,
    doc: Doc,
    gazetteer: Gazetteer,
    find_quotes: QuoteFinder | None,
) -> None:
    article_id = stable_id(str(path))
    try:
        entities = extract_entities(doc, article_id, gazetteer)
        quotes = find_quotes(doc, entities, article_id, gazetteer) if find_quotes else []
    except Exception as exc:
        logger.warning("enrich: %s failed: %s", path, exc, exc_info=True)
        failed[path] = _describe(exc)
        return
    outputs[path] = {
        "path": str(path),
        "entities": [
            {
                "text": e.text,
                "label": e.label,
                "start": e.start,
                "end": e.end,
                "canonical": e.canonical,
                "country": e.country,
            }
            for e in entities
        ],
        "quotes": [
            {
                "text": q.text,
                "start": q.start,
                "end": q.end,
                "type": q.type,
                "cue": q.cue,
                "speaker": q.speaker,
                "speaker_start": q.speaker_start,
                "speaker_end": q.speaker_end,
                "speaker_type": q.speaker_type,
                "speaker_country": q.speaker_country,
            }
            for q in quotes
        ],
    }


def _text_files(paths: Iterable[str]) -> Iterator[Path]:
    """Files as given, folders expanded to the .txt files under them (sorted)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.txt") if p.is_file())
        else:
            yield path


def _quote_finder() -> QuoteFinder | None:
    try:
        from newsflow.enrich.quotes import find_quotes
    except ModuleNotFoundError as exc:
        if exc.name != "newsflow.enrich.quotes":
            raise
        logger.warning("newsflow.enrich.quotes is not available: no quotes will be found")
        return None
    return find_quotes


def _batches(items: list[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _reject(article: Article, reason: str, detail: str) -> Reject:
    return Reject(
        stage="enrich",
        reason=reason,
        url=article.url,
        article_id=article.article_id,
        detail=detail,
        raw=article.model_dump_json(),
    )


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"
