"""The JSON Lines contracts of `newsflow parse` and `newsflow enrich`, checked in one place."""

from __future__ import annotations

PARSE_FIELDS = {"path", "title", "authors", "published_at", "language", "text", "captions"}
ENTITY_FIELDS = {"text", "label", "start", "end", "canonical", "country"}
QUOTE_FIELDS = {
    "text",
    "start",
    "end",
    "type",
    "cue",
    "speaker",
    "speaker_start",
    "speaker_end",
    "speaker_type",
    "speaker_country",
}


def assert_enrich_row(row: dict, text: str) -> None:
    """Fields as promised, and every offset indexes ``text`` exactly as given."""
    assert set(row) == {"path", "entities", "quotes"}
    for entity in row["entities"]:
        assert set(entity) == ENTITY_FIELDS
        assert text[entity["start"] : entity["end"]] == entity["text"]
    for quote in row["quotes"]:
        assert set(quote) == QUOTE_FIELDS
        assert text[quote["start"] : quote["end"]] == quote["text"]
