"""Discovery from folders, files, feeds, sitemaps and URL lists (local and over HTTP)."""

from __future__ import annotations

import gzip
import sqlite3
import time
from pathlib import Path

import pytest
from fetch_samples import (
    BILLION_LAUGHS_HEAD,
    PNG_BYTES,
    article_html,
    http_server,
    loopback_only,
    rss,
    server,
    sitemap,
)
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from newsflow.discover import HostileDocument, detect_kind, discover, discover_all, parse_sitemap
from newsflow.fetch import fetch_all
from newsflow.fetch_state import FetchState
from newsflow.records import Candidate
from newsflow.settings import PROJECT_ROOT, Settings

__all__ = ["http_server", "loopback_only", "server"]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        sources_path=tmp_path / "sources.yaml",
        allow_private_network=True,
        connect_timeout_s=1.0,
        read_timeout_s=1.0,
        max_retries=0,
        per_host_rate_limit_per_s=1000.0,
        max_page_bytes=100_000,
    )


def test_folder_lists_article_files_only(tmp_path, settings):
    folder = tmp_path / "seeds"
    (folder / "annotations").mkdir(parents=True)
    for name in ("b.html", "a.txt", "c.html.gz", "d.htm", "feed.xml", "notes.md", "e.json"):
        (folder / name).write_text("x")
    (folder / "annotations" / "z.html").write_text("x")
    found = discover(str(folder), settings)
    assert [Path(c.path).name for c in found] == ["a.txt", "b.html", "c.html.gz", "d.htm"]
    assert all(c.url.startswith("file:///") and c.source == str(folder) for c in found)


def test_default_seeds_folder_is_discovered(tmp_path):
    seeds = PROJECT_ROOT / "seeds"
    if not any(seeds.glob("*.txt")):
        pytest.skip("no seeds in this checkout")
    found = discover(None, Settings(data_dir=tmp_path))
    assert found and all(c.source == "seeds" and c.path for c in found)
    assert any(c.path.endswith("korea-times-nk-troops-ukraine.txt") for c in found)


def test_local_feed_with_relative_links(tmp_path, settings):
    folder = tmp_path / "mirror"
    folder.mkdir()
    for key in ("troops", "grain"):
        (folder / f"{key}.html").write_text(article_html(key))
    (folder / "feed.xml").write_text(
        rss(["troops.html", "./grain.html", "missing.html", "https://example.org/x?utm_source=a"])
    )
    found = discover_all(str(folder / "feed.xml"), settings)
    local = [c for c in found.candidates if c.path]
    assert [Path(c.path).name for c in local] == ["troops.html", "grain.html"]
    assert local[0].url == (folder / "troops.html").as_uri()
    assert [c.url for c in found.candidates if not c.path] == ["https://example.org/x?utm_source=a"]
    assert [r.reason for r in found.rejects] == ["missing_file"]


def test_single_local_article_and_url_list(tmp_path, settings):
    article = tmp_path / "story.txt"
    article.write_text("A short article written for this test.\nSecond line.")
    assert [c.path for c in discover(str(article), settings)] == [str(article.resolve())]
    listing = tmp_path / "urls.txt"
    listing.write_text("# wanted\nhttps://example.org/a\n\nhttps://example.org/b#top\n")
    assert [c.url for c in discover(str(listing), settings)] == [
        "https://example.org/a",
        "https://example.org/b#top",
    ]


def test_feed_over_http_with_sources_config(server: HTTPServer, settings, loopback_only):
    feed = rss(["/news/1", "/news/2?utm_campaign=x", "/news/1#comments", "file:///etc/passwd"])
    server.expect_request("/feed.xml").respond_with_data(
        feed, content_type="application/rss+xml", headers={"ETag": '"f1"'}
    )
    settings.sources_path.write_text(
        "sources:\n"
        f"  - {{name: test-feed, kind: feed, url: '{server.url_for('/feed.xml')}', "
        "outlet: Example Daily, language: en}\n"
        "  - {name: switched-off, kind: feed, url: 'https://example.org/rss', enabled: false}\n"
    )
    found = discover_all(None, settings)
    assert [c.url for c in found.candidates] == [
        server.url_for("/news/1"),
        server.url_for("/news/2?utm_campaign=x"),
    ]
    assert {(c.source, c.outlet, c.language) for c in found.candidates} == {
        ("test-feed", "Example Daily", "en")
    }
    [entry] = found.log
    assert entry.status == 200 and entry.error is None
    assert loopback_only == []  # the disabled source was never contacted


def test_unchanged_feed_is_not_modified_but_unfetched_items_stay_queued(
    server: HTTPServer, settings
):
    def feed(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(
            rss(["/a", "/b"]), content_type="application/rss+xml", headers={"ETag": '"v1"'}
        )

    server.expect_request("/feed").respond_with_handler(feed)
    url = server.url_for("/feed")
    first = discover_all(url, settings)
    second = discover_all(url, settings)
    assert second.log[0].not_modified and second.log[0].status == 304
    # Nothing was fetched in between, so the items come back from the pending queue.
    assert [c.url for c in second.candidates] == [c.url for c in first.candidates]
    feed_requests = [r for r, _ in server.log if r.path == "/feed"]
    assert feed_requests[-1].headers["If-None-Match"] == '"v1"'


def test_sitemap_index_and_news_sitemap(server: HTTPServer, settings):
    index = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{server.url_for('/news-sitemap.xml')}</loc></sitemap>"
        "<sitemap><loc>/second.xml</loc></sitemap></sitemapindex>"
    )
    server.expect_request("/sitemap.xml").respond_with_data(index, content_type="application/xml")
    server.expect_request("/news-sitemap.xml").respond_with_data(
        sitemap([server.url_for("/uk/1"), server.url_for("/uk/2")], language="uk"),
        content_type="text/xml",
    )
    server.expect_request("/second.xml").respond_with_data(
        sitemap([server.url_for("/en/1")]), content_type="application/xml"
    )
    found = discover_all(server.url_for("/sitemap.xml"), settings)
    assert [(c.url.rsplit(":", 1)[1].split("/", 1)[1], c.language) for c in found.candidates] == [
        ("uk/1", "uk"),
        ("uk/2", "uk"),
        ("en/1", None),
    ]
    assert len(found.log) == 3 and all(e.error is None for e in found.log)


def test_sitemap_depth_limit(server: HTTPServer, settings):
    loop = (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<sitemap><loc>/self.xml</loc></sitemap></sitemapindex>"
    )
    server.expect_request("/self.xml").respond_with_data(loop, content_type="application/xml")
    found = discover_all(server.url_for("/self.xml"), settings)
    assert found.candidates == []
    assert len(found.log) == settings.max_sitemap_depth + 1


def test_url_list_over_http(server: HTTPServer, settings):
    server.expect_request("/list.txt").respond_with_data(
        f"https://example.org/one\n{server.url_for('/two')}\n", content_type="text/plain"
    )
    found = discover(server.url_for("/list.txt"), settings)
    assert [c.url for c in found] == ["https://example.org/one", server.url_for("/two")]


@pytest.mark.parametrize("kind", ["feed", "sitemap"])
def test_billion_laughs_is_refused_quickly(server: HTTPServer, settings, kind):
    body = BILLION_LAUGHS_HEAD + (
        "<rss><channel><title>&lol9;</title><item><link>/a</link></item></channel></rss>"
        if kind == "feed"
        else '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>/a&lol9;</loc></url></urlset>"
    )
    server.expect_request("/evil.xml").respond_with_data(body, content_type="application/xml")
    started = time.monotonic()
    found = discover_all(server.url_for("/evil.xml"), settings)
    assert found.candidates == [] and [r.reason for r in found.rejects] == ["bad_index"]
    assert "entities" in found.rejects[0].detail
    assert time.monotonic() - started < 10  # expansion would take minutes and gigabytes


def test_external_entities_are_refused(tmp_path):
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&x;</loc></url>'
        "</urlset>"
    )
    with pytest.raises(HostileDocument):
        parse_sitemap(xxe.encode(), "https://example.org/")


def test_malformed_and_broken_feeds_never_crash(server: HTTPServer, settings, tmp_path):
    server.expect_request("/truncated").respond_with_data(
        rss(["/ok/1", "/ok/2"])[:-40], content_type="application/rss+xml"
    )
    latin1 = rss(["/caf\u00e9/1"]).replace("Item 0", "Caf\u00e9 \u00e0 Kyiv").encode("latin-1")
    server.expect_request("/latin1").respond_with_data(latin1, content_type="application/rss+xml")
    server.expect_request("/garbage").respond_with_data(
        b"<?xml version='1.0'?>\x00\x01<<<>>>", content_type="application/xml"
    )
    server.expect_request("/binary").respond_with_data(PNG_BYTES, content_type="application/xml")
    server.expect_request("/huge").respond_with_data(
        "<rss>" + "<item><link>/x</link></item>" * 10_000 + "</rss>",
        content_type="application/rss+xml",
    )
    server.expect_request("/html").respond_with_data(
        article_html("grain"), content_type="text/html"
    )
    outcomes = {}
    for path in ("/truncated", "/latin1", "/garbage", "/binary", "/huge", "/html"):
        # Separate state per feed, so no feed's items come back from another's pending queue.
        fresh = Settings(**{**settings.__dict__, "data_dir": tmp_path / path.strip("/")})
        found = discover_all(server.url_for(path), fresh)
        outcomes[path] = ([c.url for c in found.candidates], [r.reason for r in found.rejects])
    assert outcomes["/truncated"][0][:1] == [server.url_for("/ok/1")]  # the loose parser
    assert len(outcomes["/latin1"][0]) == 1
    assert outcomes["/binary"] == ([], ["binary_body"])
    assert outcomes["/huge"] == ([], ["too_large"])
    assert outcomes["/html"] == ([], ["not_an_index"])
    assert outcomes["/garbage"][0] == [] and outcomes["/garbage"][1]


def test_failed_feed_fetch_is_logged(server: HTTPServer, settings):
    server.expect_request("/feed").respond_with_data("down", status=503)
    found = discover_all(server.url_for("/feed"), settings)
    [entry] = found.log
    assert entry.status == 503 and entry.error and found.rejects[0].reason == "http_503"


def test_limit_and_max_items(server: HTTPServer, settings, tmp_path):
    server.expect_request("/feed").respond_with_data(
        rss([f"/n/{i}" for i in range(10)]), content_type="application/rss+xml"
    )
    limited = Settings(**{**settings.__dict__, "limit": 3})
    assert len(discover(server.url_for("/feed"), limited)) == 3
    settings.sources_path.write_text(
        f"sources:\n  - {{name: f, kind: feed, url: '{server.url_for('/feed')}', max_items: 4}}\n"
    )
    other = Settings(**{**settings.__dict__, "data_dir": tmp_path / "other"})
    assert len(discover("sources", other)) == 4


def test_file_links_from_web_feeds_are_dropped(server: HTTPServer, settings):
    server.expect_request("/feed").respond_with_data(
        rss(["file:///etc/passwd", "javascript:alert(1)", "/fine"]),
        content_type="application/rss+xml",
    )
    found = discover(server.url_for("/feed"), settings)
    assert [c.url for c in found] == [server.url_for("/fine")] and found[0].path is None


def test_missing_source_is_a_reject(tmp_path, settings):
    found = discover_all(str(tmp_path / "nowhere"), settings)
    assert found.candidates == [] and found.rejects[0].reason == "missing_source"


def test_gzipped_local_feed(tmp_path, settings):
    feed = tmp_path / "feed.xml.gz"
    feed.write_bytes(gzip.compress(rss(["https://example.org/a"]).encode()))
    assert [c.url for c in discover(str(feed), settings)] == ["https://example.org/a"]


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (b"<?xml version='1.0'?><rss/>", "feed"),
        (b"\xef\xbb\xbf<feed xmlns='http://www.w3.org/2005/Atom'/>", "feed"),
        (b"<?xml version='1.0'?><urlset xmlns='x'/>", "sitemap"),
        (b"<sitemapindex/>", "sitemap"),
        (b"https://a.example/1\nhttps://a.example/2\n", "urls"),
        (b"<!doctype html><html><body>story</body></html>", "article"),
        (b"Plain article text with a https://link.example/ inside.", "article"),
    ],
)
def test_detect_kind(body, kind):
    assert detect_kind(body, None, "x") == kind


def test_gzipped_sitemap_over_http_and_gzip_bombs(server: HTTPServer, settings):
    server.expect_request("/sitemap.xml.gz").respond_with_data(
        gzip.compress(sitemap(["https://example.org/a"]).encode()),
        content_type="application/x-gzip",
    )
    bomb = gzip.compress(b"<urlset>" + b" " * 5_000_000 + b"</urlset>")
    assert len(bomb) < settings.max_page_bytes
    server.expect_request("/bomb.xml.gz").respond_with_data(bomb, content_type="application/gzip")
    assert [c.url for c in discover(server.url_for("/sitemap.xml.gz"), settings)] == [
        "https://example.org/a"
    ]
    found = discover_all(server.url_for("/bomb.xml.gz"), settings)
    assert [r.reason for r in found.rejects] == ["too_large"]


def test_reprocess_from_archive_never_fetches(server: HTTPServer, settings, tmp_path):
    server.expect_request("/feed").respond_with_data(
        rss(["/a"]), content_type="application/rss+xml"
    )
    discover(server.url_for("/feed"), settings)  # leaves /a pending
    replay = Settings(**{**settings.__dict__, "reprocess_from_archive": True})
    requests = len(server.log)
    article = tmp_path / "local.html"
    article.write_text(article_html("grain"))
    assert discover(server.url_for("/feed"), replay) == []
    assert [c.path for c in discover(str(article), replay)] == [str(article.resolve())]
    assert len(server.log) == requests


def test_configured_url_list_may_hold_relative_links(server: HTTPServer, settings):
    server.expect_request("/list").respond_with_data(
        "/a\n# comment\n/b\n", content_type="text/plain"
    )
    settings.sources_path.write_text(
        f"sources:\n  - {{name: l, kind: urls, url: '{server.url_for('/list')}', language: uk}}\n"
    )
    found = discover("sources", settings)
    assert [(c.url, c.language) for c in found] == [
        (server.url_for("/a"), "uk"),
        (server.url_for("/b"), "uk"),
    ]


def test_outlet_falls_back_to_the_feed_or_publication_name(server: HTTPServer, settings):
    server.expect_request("/feed").respond_with_data(
        rss(["/a"], title="  The Example\n Herald "), content_type="application/rss+xml"
    )
    server.expect_request("/news.xml").respond_with_data(
        sitemap(["/b"], language="ko"), content_type="application/xml"
    )
    [from_feed] = discover(server.url_for("/feed"), settings)
    assert from_feed.outlet == "The Example Herald"
    fresh = Settings(**{**settings.__dict__, "data_dir": settings.data_dir / "2"})
    [from_sitemap] = discover(server.url_for("/news.xml"), fresh)
    assert (from_sitemap.outlet, from_sitemap.language) == ("X", "ko")


def test_seed_feed_served_over_http_and_fetched(server: HTTPServer, settings):
    from newsflow.fetch import fetch_all

    seeds = PROJECT_ROOT / "seeds"
    if not (seeds / "feed.xml").exists():
        pytest.skip("no seeds/feed.xml in this checkout")
    for path in seeds.iterdir():
        if path.is_file():
            ctype = "application/rss+xml" if path.suffix == ".xml" else "text/html; charset=utf-8"
            server.expect_request(f"/seeds/{path.name}").respond_with_data(
                path.read_bytes(), content_type=ctype
            )
    local = discover(str(seeds / "feed.xml"), settings)
    found = discover(server.url_for("/seeds/feed.xml"), settings)
    assert len(found) == len(local) > 0
    assert all(c.url.startswith(server.url_for("/seeds/")) and c.path is None for c in found)
    result = fetch_all(found, settings)
    assert len(result.pages) == len(found) and result.failed == 0


def test_metadata_sidecar_labels_a_local_file(tmp_path, settings) -> None:
    article = tmp_path / "scraped.txt"
    article.write_text("Some scraped text.\n", encoding="utf-8")
    (tmp_path / "scraped.txt.meta.json").write_text(
        '{"outlet": "The Example Times", "url": "https://times.example/a/1"}', encoding="utf-8"
    )
    (broken := tmp_path / "other.txt").write_text("More text.\n", encoding="utf-8")
    (tmp_path / "other.txt.meta.json").write_text('{"outlet": 3, "colour": "red"}')
    candidates = {c.path: c for c in discover(str(tmp_path), settings)}
    labelled = candidates[str(article.resolve())]
    assert labelled.outlet == "The Example Times"
    assert labelled.url == "https://times.example/a/1"
    # An invalid sidecar is ignored with a warning, never drops the article.
    assert candidates[str(broken.resolve())].outlet is None
    assert len(candidates) == 2


def test_limited_runs_fetch_queued_urls_oldest_first(server: HTTPServer, settings):
    # A feed that grows by two stories a run, read with a limit of two pages a run. Were new
    # URLs to go first, the older ones would wait as long as the feed keeps growing.
    stories = [f"/s/{n}" for n in range(8)]
    published = stories[:4]
    for path in stories:
        server.expect_request(path).respond_with_data(
            article_html("grain"), content_type="text/html"
        )
    # /s/1 is down during the first run: it keeps its place in the queue for the second.
    server.expect_oneshot_request("/s/1").respond_with_data("busy", status=503)
    server.expect_request("/feed").respond_with_handler(
        lambda request: Response(rss(published), content_type="application/rss+xml")
    )
    limited = Settings(**{**settings.__dict__, "limit": 2})
    fetched_per_run = []
    for run in range(6):
        if run in (1, 2):
            published = stories[: len(published) + 2]
        candidates = discover(server.url_for("/feed"), limited)
        result = fetch_all(candidates, limited)
        fetched_per_run.append(sorted(p.url.rsplit("/", 1)[1] for p in result.pages))
        if run == 0:
            assert [r.reason for r in result.rejects] == ["http_503"]
    assert fetched_per_run == [["0"], ["1", "2"], ["3", "4"], ["5", "6"], ["7"], []]
    page_requests = [r.path for r, _ in server.log if r.path.startswith("/s/")]
    assert sorted(page_requests) == sorted([*stories, "/s/1"])  # nothing fetched twice


def test_a_state_from_before_the_discovery_order_keeps_its_queue_order(tmp_path):
    path = tmp_path / "fetch_state.sqlite"
    with sqlite3.connect(path) as db:  # the pending table as earlier versions wrote it
        db.execute(
            "CREATE TABLE pending (url TEXT PRIMARY KEY, candidate_json TEXT, added_at TEXT)"
        )
        for url, added_at in [
            ("https://b.example/2", "2026-01-02"),
            ("https://a.example/1", "2026-01-01"),
        ]:
            candidate = Candidate(url=url, source="old")
            db.execute(
                "INSERT INTO pending VALUES (?, ?, ?)", (url, candidate.model_dump_json(), added_at)
            )
    db.close()
    with FetchState(path) as state:
        state.add_pending(
            [("https://c.example/3", Candidate(url="https://c.example/3", source="new"))]
        )
        assert [c.url for c in state.queue(5)] == [
            "https://a.example/1",
            "https://b.example/2",
            "https://c.example/3",
        ]
