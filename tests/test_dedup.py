"""Deduplication across runs: canonical URL, content hash, near-duplicates (wire copies)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from fetch_samples import ARTICLES, article_text

from newsflow.dedup import content_hash, mark_duplicates, minhash, shingles, similarity
from newsflow.fetch_state import FetchState
from newsflow.records import Article, stable_id
from newsflow.settings import Settings
from newsflow.urls import canonicalize_url


def article(url: str, text: str, published: str | None = None) -> Article:
    canonical = canonicalize_url(url)
    return Article(
        article_id=stable_id(canonical),
        url=url,
        canonical_url=canonical,
        source="test",
        text=text,
        published_at=datetime.fromisoformat(published) if published else None,
    )


@pytest.fixture
def state(tmp_path: Path):
    with FetchState(tmp_path / "state.sqlite") as opened:
        yield opened


def wire_copy(text: str) -> str:
    """The same story as republished elsewhere: a changed word and a dateline."""
    return "SEOUL (Wire) - " + text.replace("said", "stated", 1)


def test_exact_and_near_duplicates_link_to_the_original(state):
    original = article("https://wire.example/story", article_text("troops"))
    reformatted = article("https://paper.example/copy", article_text("troops").upper() + " ")
    near = article("https://other.example/copy", wire_copy(article_text("troops")))
    different = article("https://paper.example/grain", article_text("grain"))
    marked = mark_duplicates([original, reformatted, near, different], state)
    assert [a.duplicate_of for a in marked] == [
        None,
        original.article_id,
        original.article_id,
        None,
    ]
    assert marked[0].content_hash == content_hash(article_text("troops"))
    assert marked[1].content_hash == marked[0].content_hash


def test_duplicates_are_found_across_runs(tmp_path):
    settings = Settings(data_dir=tmp_path)
    first = article("https://wire.example/a", article_text("sanctions"))
    assert mark_duplicates([first], settings)[0].duplicate_of is None
    later = article("https://paper.example/b?utm_source=x", wire_copy(article_text("sanctions")))
    assert mark_duplicates([later], settings)[0].duplicate_of == first.article_id
    # A copy of the copy still points at the first original.
    third = article("https://blog.example/c", article_text("sanctions"))
    assert mark_duplicates([third], settings)[0].duplicate_of == first.article_id


def test_the_same_url_again_is_not_its_own_duplicate(state):
    a = article("https://paper.example/a", article_text("grain"))
    mark_duplicates([a], state)
    again = mark_duplicates([a], state)
    assert again[0].duplicate_of is None
    revised = article("https://paper.example/a#x", article_text("grain") + " Updated at noon.")
    assert mark_duplicates([revised], state)[0].duplicate_of is None


def test_repeats_in_one_batch_keep_the_first(state):
    a = article("https://paper.example/a", article_text("grain"))
    b = article("https://paper.example/a?utm_medium=rss", article_text("grain"))
    assert [x.url for x in mark_duplicates([a, b], state)] == [a.url]


def test_earliest_published_is_the_original(state):
    late = article("https://paper.example/late", article_text("troops"), "2024-10-25T09:00:00")
    early = article(
        "https://wire.example/early", wire_copy(article_text("troops")), "2024-10-24T08:00:00+00:00"
    )
    marked = mark_duplicates([late, early], state)
    assert [a.url for a in marked] == [late.url, early.url]  # input order kept
    assert marked[0].duplicate_of == early.article_id and marked[1].duplicate_of is None


def test_threshold_is_a_setting(tmp_path):
    strict = Settings(data_dir=tmp_path, near_duplicate_threshold=0.99)
    a = article("https://wire.example/a", article_text("troops"))
    b = article("https://paper.example/b", wire_copy(article_text("troops")))
    assert [x.duplicate_of for x in mark_duplicates([a, b], strict)] == [None, None]


def test_short_texts_are_only_compared_exactly(state):
    a = article("https://x.example/a", "Seoul and Kyiv talk.")
    b = article("https://x.example/b", "Seoul and Kyiv talk!")
    c = article("https://x.example/c", "Seoul and Moscow talk.")
    assert [x.duplicate_of for x in mark_duplicates([a, b, c], state)] == [None, a.article_id, None]


def test_minhash_estimates_jaccard():
    texts = [article_text(k) for k in ARTICLES]
    for text in texts:
        assert similarity(minhash(shingles(text)), minhash(shingles(text))) == 1.0
    a, b = shingles(texts[0]), shingles(wire_copy(texts[0]))
    exact = len(a & b) / len(a | b)
    assert abs(similarity(minhash(a), minhash(b)) - exact) < 0.15
    assert similarity(minhash(shingles(texts[0])), minhash(shingles(texts[1]))) < 0.1


def test_published_naive_and_aware_mix(state):
    naive = article("https://a.example/1", article_text("grain"), "2024-10-24T08:00:00")
    aware = article("https://b.example/2", article_text("sanctions"), "2024-10-24T07:00:00+00:00")
    none = article("https://c.example/3", article_text("troops"))
    none = none.model_copy(update={"fetched_at": datetime(2024, 1, 1, tzinfo=UTC)})
    assert len(mark_duplicates([naive, aware, none], state)) == 3


def test_a_wire_copy_cut_short_is_linked_but_a_brief_is_not(state):
    _title, paragraphs = ARTICLES["troops"]
    original = article("https://wire.example/full", "\n\n".join(paragraphs))
    trimmed = article("https://paper.example/trimmed", "\n\n".join(paragraphs[:3]))
    brief = article("https://paper.example/brief", paragraphs[0])
    marked = mark_duplicates([original, trimmed, brief], state)
    assert [a.duplicate_of for a in marked] == [None, original.article_id, None]
