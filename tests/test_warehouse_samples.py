"""Hand-built enriched articles for the validation and warehouse tests (texts written for them).

Offsets are found in the text, never typed, so the samples are right by construction; the
tests at the bottom check that.
"""

from __future__ import annotations

from datetime import UTC, datetime

from newsflow.records import (
    Article,
    EnrichedArticle,
    Entity,
    Quote,
    Relevance,
    stable_id,
)

TEXT_TROOPS = (
    "North Korean troops have been sent to Russia's Kursk region, officials in Seoul said on "
    'Tuesday. Ukrainian President Volodymyr Zelensky said that "North Korean soldiers are '
    'already fighting next to Russian units near the border." The Kremlin declined to comment '
    "on the report. South Korea's spy agency said that about eleven thousand soldiers had been "
    "deployed, and analysts warned that Pyongyang could receive missile technology from Moscow "
    "in return for the troops."
)
TEXT_SHELLS = (
    "Russia has fired artillery shells made in North Korea at Ukrainian positions, a report by "
    "an independent research group found this week. Kremlin spokesman Dmitry Peskov said that "
    '"cooperation with Pyongyang is not directed against anyone." Officials in Kyiv said that '
    "the shells had a high failure rate, and they asked Western partners to speed up deliveries "
    "of air defence systems to Ukraine before the winter."
)
TEXT_SEOUL = (
    "South Korea will send a delegation to Kyiv to discuss reconstruction projects, the foreign "
    'ministry in Seoul said on Friday. Foreign Minister Cho Tae-yul said that "our support for '
    'Ukraine will continue as long as it is needed." The ministry added that the talks would '
    "cover energy, transport and demining, and that companies from Busan and Incheon had shown "
    "interest in the work."
)

# (surface form, label, canonical name, country)
ENTITIES_TROOPS = [
    ("North Korean", "NORP", "North Korea", "KP"),
    ("Russia", "GPE", "Russia", "RU"),
    ("Kursk", "GPE", "Kursk", "RU"),
    ("Seoul", "GPE", "Seoul", "KR"),
    ("Ukrainian", "NORP", "Ukraine", "UA"),
    ("Volodymyr Zelensky", "PERSON", "Volodymyr Zelensky", "UA"),
    ("Kremlin", "ORG", "Kremlin", "RU"),
    ("South Korea", "GPE", "South Korea", "KR"),
    ("Pyongyang", "GPE", "Pyongyang", "KP"),
    ("Moscow", "GPE", "Moscow", "RU"),
]
ENTITIES_SHELLS = [
    ("Russia", "GPE", "Russia", "RU"),
    ("North Korea", "GPE", "North Korea", "KP"),
    ("Ukrainian", "NORP", "Ukraine", "UA"),
    ("Kremlin", "ORG", "Kremlin", "RU"),
    ("Dmitry Peskov", "PERSON", "Dmitry Peskov", "RU"),
    ("Pyongyang", "GPE", "Pyongyang", "KP"),
    ("Kyiv", "GPE", "Kyiv", "UA"),
]
ENTITIES_SEOUL = [
    ("South Korea", "GPE", "South Korea", "KR"),
    ("Kyiv", "GPE", "Kyiv", "UA"),
    ("Seoul", "GPE", "Seoul", "KR"),
    ("Cho Tae-yul", "PERSON", "Cho Tae-yul", "KR"),
    ("Ukraine", "GPE", "Ukraine", "UA"),
    ("Busan", "GPE", "Busan", "KR"),
]
# (quote text, type, cue, speaker, speaker country)
QUOTES_TROOPS = [
    (
        "North Korean soldiers are already fighting next to Russian units near the border.",
        "direct",
        "said",
        "Volodymyr Zelensky",
        "UA",
    ),
    (
        "about eleven thousand soldiers had been deployed",
        "indirect",
        "said",
        "National Intelligence Service",
        "KR",
    ),
]
QUOTES_SHELLS = [
    ("cooperation with Pyongyang is not directed against anyone.", "direct", "said",
     "Dmitry Peskov", "RU"),
    ("the shells had a high failure rate", "indirect", "said", None, "UA"),
]  # fmt: skip
QUOTES_SEOUL = [
    ("our support for Ukraine will continue as long as it is needed.", "direct", "said",
     "Cho Tae-yul", "KR"),
]  # fmt: skip

SAMPLES = {
    "troops": (TEXT_TROOPS, ENTITIES_TROOPS, QUOTES_TROOPS, {"KP": 3, "RU": 4, "UA": 1, "KR": 2}),
    "shells": (TEXT_SHELLS, ENTITIES_SHELLS, QUOTES_SHELLS, {"KP": 2, "RU": 2, "UA": 3}),
    "seoul": (TEXT_SEOUL, ENTITIES_SEOUL, QUOTES_SEOUL, {"KR": 2, "UA": 2}),
}


def make_article(
    kind: str = "troops",
    url: str | None = None,
    *,
    text: str | None = None,
    title: str | None = "A headline",
    outlet: str | None = "The Test Herald",
    published_at: datetime | None = datetime(2024, 11, 5, 9, 30, tzinfo=UTC),
    language: str | None = "en",
    model_version: str = "3.8.0",
) -> EnrichedArticle:
    """One enriched sample article; offsets are looked up in the text."""
    base_text, entity_spec, quote_spec, mentions = SAMPLES[kind]
    url = url or f"https://news.example.org/{kind}"
    article_id = stable_id(url)
    body = base_text if text is None else text
    entities = []
    for surface, label, canonical, country in entity_spec:
        start = base_text.index(surface)
        entities.append(
            Entity(
                article_id=article_id,
                start=start,
                end=start + len(surface),
                text=surface,
                label=label,
                canonical=canonical,
                country=country,
            )
        )
    quotes = []
    for quoted, kind_, cue, speaker, country in quote_spec:
        start = base_text.index(quoted)
        quotes.append(
            Quote(
                article_id=article_id,
                start=start,
                end=start + len(quoted),
                text=quoted,
                type=kind_,
                cue=cue,
                speaker=speaker,
                speaker_type="person" if speaker else "unknown",
                speaker_country=country,
                confidence=0.9,
            )
        )
    return EnrichedArticle(
        article=Article(
            article_id=article_id,
            url=url,
            canonical_url=url,
            source="tests",
            outlet=outlet,
            domain="news.example.org",
            title=title,
            authors=["A. Reporter"],
            published_at=published_at,
            language=language,
            text=body,
            word_count=len(body.split()),
            content_hash=stable_id(body),
            fetched_at=datetime.now(UTC),
        ),
        entities=entities,
        quotes=quotes,
        relevance=Relevance(article_id=article_id, mentions=mentions, score=0.8, on_topic=True),
        model="en_core_web_sm",
        model_version=model_version,
    )


def good_articles(n: int = 6) -> list[EnrichedArticle]:
    kinds = list(SAMPLES)
    return [
        make_article(kinds[i % len(kinds)], f"https://news.example.org/{kinds[i % 3]}-{i}")
        for i in range(n)
    ]


def test_sample_offsets_point_at_their_text() -> None:
    for record in good_articles(3):
        text = record.article.text
        assert record.entities and record.quotes
        for child in [*record.entities, *record.quotes]:
            assert text[child.start : child.end] == child.text


def test_sample_texts_pass_the_length_limits() -> None:
    for text, *_ in SAMPLES.values():
        assert len(text) >= 200 and len(text.split()) >= 30
