"""Topic relevance from entity countries and keywords, driven by include/topics.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from newsflow.enrich.entities import extract_entities
from newsflow.enrich.gazetteer import Gazetteer
from newsflow.enrich.relevance import TopicConfig, TopicError, load_topics, score_relevance
from newsflow.records import Entity
from newsflow.settings import Settings

ON_TOPIC = (
    "North Korea has sent engineers to Russia to help operate missiles used against Ukraine, "
    "South Korea's spy agency said on Tuesday. Pyongyang and Moscow signed a defence treaty "
    "last year, and Kyiv has asked Seoul for air defence systems."
)
OFF_TOPIC = (
    "The local bakery on Harbour Street won a regional prize for its sourdough on Saturday. "
    "Owner Maria Santos said the secret was patience and a very old starter."
)


@pytest.fixture(scope="module")
def topics() -> TopicConfig:
    return load_topics(Settings().topics_path)


def entities_of(nlp: Language, gazetteer: Gazetteer, text: str) -> list[Entity]:
    return extract_entities(nlp(text), "a1", gazetteer)


def test_on_topic_article(nlp: Language, gazetteer: Gazetteer, topics: TopicConfig) -> None:
    relevance = score_relevance(entities_of(nlp, gazetteer, ON_TOPIC), ON_TOPIC, topics)
    assert relevance.article_id == "a1"
    assert relevance.on_topic
    assert set(relevance.mentions) == {"KP", "KR", "RU", "UA"}
    assert all(relevance.mentions[code] >= 2 for code in ("KP", "KR", "RU", "UA"))
    assert relevance.score >= topics.threshold


def test_off_topic_article(nlp: Language, gazetteer: Gazetteer, topics: TopicConfig) -> None:
    relevance = score_relevance(
        entities_of(nlp, gazetteer, OFF_TOPIC), OFF_TOPIC, topics, article_id="b2"
    )
    assert relevance.article_id == "b2"
    assert not relevance.on_topic
    assert relevance.mentions == {"KP": 0, "KR": 0, "RU": 0, "UA": 0}
    assert relevance.score == 0


def test_keywords_count_only_where_no_entity_already_counted(topics: TopicConfig) -> None:
    text = "Pyongyang said nothing. The DPRK also said nothing."
    pyongyang = Entity(
        article_id="a",
        start=0,
        end=9,
        text="Pyongyang",
        label="GPE",
        canonical="Pyongyang",
        country="KP",
    )
    # One entity plus one keyword match outside it ("DPRK"); the keyword "Pyongyang" inside
    # the entity is not counted twice.
    assert score_relevance([pyongyang], text, topics).mentions["KP"] == 2
    assert score_relevance([], text, topics).mentions["KP"] == 2


def test_topic_is_configuration(tmp_path: Path, nlp: Language, gazetteer: Gazetteer) -> None:
    path = tmp_path / "topics.yaml"
    path.write_text(
        "name: baking\nthreshold: 1\ncountries:\n"
        "  PT: {name: Portugal, weight: 1.0, keywords: [sourdough, bakery]}\n",
        encoding="utf-8",
    )
    baking = load_topics(path)
    relevance = score_relevance(entities_of(nlp, gazetteer, OFF_TOPIC), OFF_TOPIC, baking)
    assert relevance.on_topic and relevance.mentions == {"PT": 2}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("threshold: 1\n", "'countries'"),
        ("threshold: 1\ncountries:\n  Korea: {weight: 1}\n", "ISO alpha-2"),
        ("threshold: 1\ncountries:\n  NO: {weight: 1}\n", "ISO alpha-2"),
        ("threshold: high\ncountries:\n  KR: {weight: 1}\n", "'threshold' must be a number"),
        ("threshold: 1\ncountries:\n  KR: {keywords: Seoul}\n", "'KR.keywords'"),
        ("threshold: [\n", "topics.yaml"),
    ],
)
def test_invalid_topics_give_a_clear_error(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "topics.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(TopicError, match=message):
        load_topics(path)
