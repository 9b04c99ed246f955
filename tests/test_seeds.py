"""The offline sample corpus in seeds/ agrees with its ground truth in seeds/annotations/.

Strings in the annotations are compared with the page text after collapsing whitespace, because
the same paragraph may reach an extractor split over several lines of HTML.
"""

from __future__ import annotations

import hashlib
import json
import re
import urllib.request
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin, urlparse

import feedparser
import lxml.html
import pytest
import trafilatura

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
ANNOTATIONS = SEEDS / "annotations"
USER_SEED = "korea-times-nk-troops-ukraine.txt"
SHARED_USER_SEED = ROOT.parent / "shared" / "seeds" / USER_SEED

NOT_SEEDS = {"README.md", "feed.xml"}
# fmt: off
BLOCK_TAGS = (
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "figure",
    "figcaption", "section", "article", "aside", "header", "footer", "nav", "blockquote",
    "table", "tr", "td", "form", "button",
)
OPENING_MARKS = "\"“‘«'"
CLOSING_MARKS = "\"”’»'"
KEYS = {
    "file", "canonical_url", "title", "authors", "published_at", "outlet", "language",
    "on_topic", "expect_reject", "captions", "furniture", "body_starts_with", "body_ends_with",
    "quotes", "not_quotes", "entities",
}
# fmt: on
QUOTE_KEYS = {"text", "type", "speaker", "speaker_type", "cue"}
# Words that must not occur anywhere in an off-topic page.
TOPIC_WORDS = re.compile(
    r"kore|russia|ukrain|pyongyang|seoul|moscow|kyiv|kremlin|kursk|putin|zelensk|kim jong|yoon",
    re.IGNORECASE,
)


def seed_files() -> list[Path]:
    return sorted(
        p
        for p in SEEDS.iterdir()
        if p.is_file() and p.name not in NOT_SEEDS and not p.name.endswith(".meta.json")
    )


def annotation(seed: Path) -> dict:
    return json.loads((ANNOTATIONS / f"{seed.stem}.json").read_text(encoding="utf-8"))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def html_tree(seed: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(seed.read_bytes())


def page_text(seed: Path) -> str:
    """All visible text of a seed (tags, scripts and styles stripped), whitespace collapsed."""
    if seed.suffix == ".txt":
        return squash(seed.read_text(encoding="utf-8"))
    tree = html_tree(seed)
    for node in tree.xpath("//script|//style|//comment()"):
        if node.getparent() is not None:  # a comment before <html> is outside the tree
            node.drop_tree()
    # text_content() glues adjacent blocks ("...people.</p><p>We"); a browser would not.
    for node in tree.iter(*BLOCK_TAGS):
        node.tail = " " + (node.tail or "")
    return squash(tree.text_content())


SEEDS_LIST = seed_files()
IDS = [p.name for p in SEEDS_LIST]


def test_corpus_has_the_required_mix() -> None:
    notes = [annotation(p) for p in SEEDS_LIST]
    on_topic_en = [n for n in notes if n["on_topic"] and n["language"] == "en"]
    assert len(on_topic_en) >= 9  # eight written pages plus the user's seed
    assert sum(1 for n in notes if not n["on_topic"]) >= 2
    assert any(n["expect_reject"] == "no_body" for n in notes)
    assert any(n["language"] != "en" and n["on_topic"] for n in notes)


def test_every_seed_has_an_annotation_and_back() -> None:
    stems = {p.stem for p in SEEDS_LIST}
    notes = {p.stem for p in ANNOTATIONS.glob("*.json")}
    assert stems == notes


def test_user_seed_is_untouched() -> None:
    if not SHARED_USER_SEED.exists():
        pytest.skip("shared copy of the user's seed is absent")
    ours = hashlib.sha256((SEEDS / USER_SEED).read_bytes()).hexdigest()
    theirs = hashlib.sha256(SHARED_USER_SEED.read_bytes()).hexdigest()
    assert ours == theirs


@pytest.mark.parametrize("seed", SEEDS_LIST, ids=IDS)
def test_annotation_schema(seed: Path) -> None:
    note = annotation(seed)
    assert set(note) == KEYS
    assert note["file"] == seed.name
    assert all(isinstance(a, str) and a for a in note["authors"])
    if note["published_at"] is not None:
        assert datetime.fromisoformat(note["published_at"]).tzinfo is not None
    assert note["expect_reject"] in (None, "no_body", "unsupported_language")
    for quote in note["quotes"]:
        assert set(quote) == QUOTE_KEYS
        assert quote["type"] in ("direct", "mixed", "indirect")
        assert quote["speaker_type"] in ("person", "organisation", "anonymous")
        assert (quote["speaker"] is None) == (quote["speaker_type"] == "anonymous")
        assert quote["cue"]
        text = quote["text"]
        assert text == text.strip()
        assert text[0] not in OPENING_MARKS, text
        assert text[-1] not in CLOSING_MARKS + ",", text


@pytest.mark.parametrize("seed", SEEDS_LIST, ids=IDS)
def test_annotated_strings_occur_in_the_page(seed: Path) -> None:
    note = annotation(seed)
    text = page_text(seed)
    strings = [note["title"], *note["captions"], *note["furniture"], *note["not_quotes"]]
    strings += [q["text"] for q in note["quotes"]]
    for field in ("body_starts_with", "body_ends_with"):
        if note[field] is not None:
            strings.append(note[field])
    missing = [s for s in strings if squash(s) not in text]
    assert not missing


@pytest.mark.parametrize("seed", SEEDS_LIST, ids=IDS)
def test_quote_marks_match_the_quote_type(seed: Path) -> None:
    """Direct and mixed quotes sit inside quote marks; indirect ones are plain prose."""
    note = annotation(seed)
    text = page_text(seed)
    for quote in note["quotes"]:
        span = squash(quote["text"])
        start = text.index(span)
        before = text[start - 1] if start else ""
        if quote["type"] == "indirect":
            assert before not in OPENING_MARKS, span
        else:
            assert before in OPENING_MARKS, span
    quoted = {squash(q["text"]) for q in note["quotes"]}
    for term in note["not_quotes"]:
        assert squash(term) not in quoted
        assert re.search(f"[{OPENING_MARKS}]{re.escape(term)}[,.]?[{CLOSING_MARKS}]", text), term


@pytest.mark.parametrize("seed", SEEDS_LIST, ids=IDS)
def test_body_bounds_and_length(seed: Path) -> None:
    note = annotation(seed)
    if note["expect_reject"] == "no_body":
        assert note["body_starts_with"] is None and note["body_ends_with"] is None
        return
    text = page_text(seed)
    start = text.index(note["body_starts_with"])
    end = text.rindex(note["body_ends_with"]) + len(note["body_ends_with"])
    assert start < end
    words = len(text[start:end].split())
    if note["language"] == "en":
        # Bounds include captions and boxes inside the body, hence the slack above 900.
        assert 350 <= words <= 1000, words


@pytest.mark.parametrize(
    "seed", [p for p in SEEDS_LIST if p.suffix == ".html"], ids=lambda p: p.name
)
def test_html_metadata_matches(seed: Path) -> None:
    note = annotation(seed)
    tree = html_tree(seed)
    assert tree.get("lang", "").split("-")[0] == note["language"]
    canonical = tree.xpath("//link[@rel='canonical']/@href")
    assert canonical == [note["canonical_url"]]
    parsed = urlparse(note["canonical_url"])
    assert parsed.scheme == "https"
    assert parsed.hostname.endswith(".example")
    assert squash(tree.findtext(".//title")).startswith(note["title"])
    og_title = tree.xpath("//meta[@property='og:title']/@content")
    assert og_title and og_title[0].startswith(note["title"])


@pytest.mark.parametrize("seed", [p for p in SEEDS_LIST if not annotation(p)["on_topic"]], ids=str)
def test_off_topic_pages_never_touch_the_topic(seed: Path) -> None:
    assert not TOPIC_WORDS.search(page_text(seed))


def test_broken_page_really_lacks_a_body() -> None:
    broken = [p for p in SEEDS_LIST if annotation(p)["expect_reject"] == "no_body"]
    assert broken
    for seed in broken:
        raw = seed.read_text(encoding="utf-8")
        assert "</html>" not in raw
        assert not raw.rstrip().endswith(">")  # cut in the middle of a tag
        tree = html_tree(seed)
        assert tree.xpath("//nav")
        assert not [p for p in tree.iter("p") if len(p.text_content().split()) > 25]
        extracted = trafilatura.extract(raw) or ""
        assert len(extracted.split()) < 60, extracted


def test_foreign_language_page_is_mostly_in_its_script() -> None:
    foreign = [p for p in SEEDS_LIST if annotation(p)["language"] not in ("en", None)]
    assert foreign
    for seed in foreign:
        text = annotation(seed)["body_starts_with"]
        letters = [c for c in text if c.isalpha()]
        assert sum(not c.isascii() for c in letters) > 0.8 * len(letters)


def _feed_links(parsed: feedparser.FeedParserDict) -> list[str]:
    return [entry.link for entry in parsed.entries]


def test_feed_parses_and_lists_every_html_seed_by_relative_link() -> None:
    parsed = feedparser.parse(str(SEEDS / "feed.xml"))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    links = _feed_links(parsed)
    assert all("/" not in link and ":" not in link for link in links)
    html_seeds = {p.name for p in SEEDS_LIST if p.suffix == ".html"}
    assert set(links) == html_seeds
    base = (SEEDS / "feed.xml").as_uri()
    for entry in parsed.entries:
        assert entry.title and entry.id and entry.published_parsed
        assert Path(urllib.request.url2pathname(urlparse(urljoin(base, entry.link)).path)).exists()


def test_feed_links_resolve_against_a_local_server(httpserver) -> None:
    for seed in [SEEDS / "feed.xml", *SEEDS_LIST]:
        httpserver.expect_request(f"/{seed.name}").respond_with_data(
            seed.read_bytes(),
            content_type="application/rss+xml"
            if seed.suffix == ".xml"
            else "text/html; charset=utf-8",
        )
    parsed = feedparser.parse(httpserver.url_for("/feed.xml"))
    links = _feed_links(parsed)
    assert links and all(link.startswith(httpserver.url_for("/")) for link in links)
    with urllib.request.urlopen(links[0], timeout=5) as response:
        assert response.status == 200


@pytest.mark.parametrize(
    "seed", [p for p in SEEDS_LIST if annotation(p)["language"] == "en"], ids=lambda p: p.name
)
def test_person_speakers_are_named_in_the_page(seed: Path) -> None:
    """A canonical speaker name must be recoverable: at least its family or given name occurs."""
    text = page_text(seed)
    for quote in annotation(seed)["quotes"]:
        if quote["speaker_type"] == "person":
            assert any(part in text for part in quote["speaker"].split()), quote["speaker"]
