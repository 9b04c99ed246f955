"""The enrich stage end to end on the real model: articles in, enriched records and rejects out."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from contracts import assert_enrich_row
from spacy.language import Language

from newsflow.enrich import enrich_articles, enrich_paths
from newsflow.enrich.model import load_model
from newsflow.records import Article, EnrichedArticle, Quote
from newsflow.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "korea-times-nk-troops-ukraine.txt"

ON_TOPIC = (
    "North Korea has sent engineers to Russia to help operate missiles used against Ukraine, "
    "South Korea's spy agency said on Tuesday. Pyongyang and Moscow signed a defence treaty "
    "last year, and Kyiv has asked Seoul for air defence systems.\n\n"
    '"The troops are not there to fight, they are there to learn," said Park Ji-hoon, a '
    "professor at Hanguk University. Park added that Russian President Vladimir Putin had "
    "promised technology in return."
)
OFF_TOPIC = (
    "The local bakery on Harbour Street won a regional prize for its sourdough on Saturday. "
    '"The secret is patience," owner Maria Santos said.'
)
GERMAN = "Die Bäckerei in der Hafenstraße hat am Samstag einen Preis gewonnen."


def article(article_id: str, text: str, **fields: object) -> Article:
    values: dict[str, object] = {
        "article_id": article_id,
        "url": f"https://news.example/{article_id}",
        "canonical_url": f"https://news.example/{article_id}",
        "source": "test",
        "language": "en",
        "text": text,
    }
    values.update(fields)
    return Article(**values)


@pytest.fixture(scope="module")
def settings(nlp: Language) -> Settings:
    return Settings(batch_size=2)


def test_enrich_articles(settings: Settings) -> None:
    articles = [
        article("on", ON_TOPIC),
        article("off", OFF_TOPIC),
        article("de", GERMAN, language="de"),
        article("dup", ON_TOPIC, duplicate_of="on"),
        article("none", OFF_TOPIC, language=None),
    ]
    enriched, rejects = enrich_articles(articles, settings)

    assert [e.article.article_id for e in enriched] == ["on", "off", "dup"]
    on, off, dup = enriched
    for record in enriched:
        assert record.model == settings.spacy_model
        assert (
            record.model_version
            and record.model_version == load_model(record.model).meta["version"]
        )
    assert on.relevance.on_topic and on.relevance.article_id == "on"
    assert {e.canonical for e in on.entities if e.label == "PERSON"} >= {
        "Park Ji-hoon",
        "Vladimir Putin",
    }
    for entity in on.entities:
        assert ON_TOPIC[entity.start : entity.end] == entity.text
    assert on.quotes and all(isinstance(q, Quote) for q in on.quotes)
    for quote in on.quotes:
        assert ON_TOPIC[quote.start : quote.end] == quote.text

    # Off topic: kept with its entities, but no quotes are looked for.
    assert not off.relevance.on_topic
    assert any(e.canonical == "Maria Santos" for e in off.entities)
    assert off.quotes == []

    # A duplicate passes through un-enriched.
    assert dup.entities == [] and dup.quotes == [] and not dup.relevance.on_topic

    assert [(r.article_id, r.stage, r.reason) for r in rejects] == [
        ("de", "enrich", "unsupported_language"),
        ("none", "enrich", "unsupported_language"),
    ]
    assert Article.model_validate_json(rejects[0].raw) == articles[2]


@pytest.fixture
def short_max_length(nlp: Language) -> Iterator[int]:
    saved = nlp.max_length
    nlp.max_length = 2_000
    yield nlp.max_length
    nlp.max_length = saved


def test_one_bad_article_becomes_a_reject_and_the_batch_goes_on(
    settings: Settings, short_max_length: int
) -> None:
    too_long = " ".join(["Seoul"] * short_max_length)
    articles = [article("a", ON_TOPIC), article("b", too_long), article("c", OFF_TOPIC)]
    enriched, rejects = enrich_articles(articles, settings)
    assert [e.article.article_id for e in enriched] == ["a", "c"]
    assert enriched[0].entities and enriched[1].entities
    assert [(r.article_id, r.reason) for r in rejects] == [("b", "enrich_error")]
    assert "max_length" in rejects[0].detail or "E088" in rejects[0].detail
    assert Article.model_validate_json(rejects[0].raw).text == too_long


def test_enrich_paths_contract(tmp_path: Path, settings: Settings) -> None:
    folder = tmp_path / "texts"
    (folder / "sub").mkdir(parents=True)
    crlf = ON_TOPIC.replace("\n", "\r\n")
    (folder / "a.txt").write_bytes(crlf.encode("utf-8"))
    (folder / "sub" / "b.txt").write_bytes(OFF_TOPIC.encode("utf-8"))
    (folder / "ignored.html").write_text("<p>not text</p>", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe broken")

    rows = list(enrich_paths([str(folder), str(tmp_path / "bad.txt")], settings))
    json.dumps(rows)  # plain JSON types only
    assert [Path(r["path"]).name for r in rows] == ["a.txt", "b.txt", "bad.txt"]
    texts = {"a.txt": crlf, "b.txt": OFF_TOPIC}
    for row in rows[:2]:
        assert_enrich_row(row, texts[Path(row["path"]).name])
    # Relevance does not gate the CLI: the off-topic text gets its quote too.
    assert rows[1]["quotes"]
    assert rows[2]["error"].startswith("UnicodeDecodeError")
    assert rows[2]["entities"] == [] and rows[2]["quotes"] == []


@pytest.mark.skipif(not SEED.exists(), reason="seed article not in the checkout")
def test_seed_people_are_clean_and_resolved(settings: Settings) -> None:
    (row,) = enrich_paths([str(SEED)], settings)
    text = SEED.read_bytes().decode("utf-8")
    people = [e for e in row["entities"] if e["label"] == "PERSON"]
    for entity in row["entities"]:
        assert text[entity["start"] : entity["end"]] == entity["text"]
    assert not [e for e in people if "yonhap" in e["text"].lower()]
    resolved = {e["text"]: e["canonical"] for e in people if len(e["text"].split()) == 1}
    assert resolved == {
        "Yang": "Yang Moo-jin",
        "Cho": "Cho Han-bum",
        "Putin": "Vladimir Putin",
        "Kim": "Kim Jong-un",
    }


def test_enriched_records_round_trip_as_json(settings: Settings) -> None:
    enriched, _ = enrich_articles([article("on", ON_TOPIC)], settings)
    again = EnrichedArticle.model_validate_json(enriched[0].model_dump_json())
    assert again == enriched[0]


def test_long_runs_do_not_grow_the_string_store(nlp: Language, settings: Settings) -> None:
    enrich_articles([article("warm", ON_TOPIC)], settings)
    before = len(nlp.vocab.strings)
    novel = [
        article(f"n{i}", " ".join(f"Qzx{i}v{j}" for j in range(30)) + " said Kim Jong-un.")
        for i in range(6)
    ]
    enriched, _ = enrich_articles(novel, settings)
    assert len(enriched) == 6 and all(e.entities for e in enriched)
    assert len(nlp.vocab.strings) == before  # strings made inside the memory zone were freed
