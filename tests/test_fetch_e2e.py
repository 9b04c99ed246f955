"""A feed served on 127.0.0.1, end to end into DuckDB, twice (the second run fetches nothing)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from fetch_samples import PNG_BYTES, article_html, http_server, loopback_only, rss, server
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from newsflow import pipeline
from newsflow.settings import Settings

__all__ = ["http_server", "loopback_only", "server"]

pytestmark = pytest.mark.slow


def serve_feed(server: HTTPServer) -> list[str]:
    pages = {
        "/world/troops": article_html("troops", "Wire Service"),
        "/world/sanctions": article_html("sanctions", "Seoul Paper"),
        "/world/grain": article_html("grain", "Kyiv Paper"),
        # The same wire story on another site (exact text) and with one word changed.
        "/partner/troops-copy": article_html("troops", "Partner Daily"),
        "/partner/troops-edited": article_html("troops", "Other Daily", tweak="stated"),
    }
    for path, html in pages.items():
        server.expect_request(path).respond_with_data(html, content_type="text/html")
    server.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/\n")
    server.expect_request("/photo").respond_with_data(PNG_BYTES, content_type="image/png")

    def feed(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"feed-v1"':
            return Response(status=304)
        links = [*pages, "/missing", "/private/secret", "/photo", "/world/grain?utm_source=rss"]
        return Response(
            rss(links), content_type="application/rss+xml", headers={"ETag": '"feed-v1"'}
        )

    server.expect_request("/feed.xml").respond_with_handler(feed)
    return list(pages)


def test_feed_end_to_end_then_nothing_new(server: HTTPServer, tmp_path: Path, loopback_only):
    pages = serve_feed(server)
    settings = Settings.from_env(
        data_dir=tmp_path / "data",
        allow_private_network=True,
        per_host_rate_limit_per_s=1000.0,
        connect_timeout_s=1.0,
        read_timeout_s=2.0,
        max_retries=1,
        backoff_base_s=0.01,
    )
    feed_url = server.url_for("/feed.xml")

    first = pipeline.run(settings, feed_url)
    assert first.discovered == 8  # the utm_source link is the grain story again
    assert first.fetched == 5 and first.fetch_failed == 3
    assert first.extracted == 5 and first.duplicates == 2

    with duckdb.connect(str(settings.db_path), read_only=True) as db:
        articles = dict(db.execute("SELECT url, duplicate_of FROM articles").fetchall())
        ids = dict(db.execute("SELECT url, article_id FROM articles").fetchall())
        outlets = {row[0] for row in db.execute("SELECT DISTINCT outlet FROM articles").fetchall()}
        log = db.execute("SELECT url, status, error FROM fetch_log").fetchall()
    urls = {server.url_for(p) for p in pages}
    assert set(articles) == urls
    assert outlets == {"Test feed"}  # no configured outlet: the feed's own title
    original = ids[server.url_for("/world/troops")]
    assert articles[server.url_for("/partner/troops-copy")] == original
    assert articles[server.url_for("/partner/troops-edited")] == original
    errors = {url.rsplit("/", 1)[1]: error for url, _, error in log if error}
    assert set(errors) == {"missing", "secret", "photo"}
    assert errors["secret"].startswith("robots_disallowed")
    page_requests = [r.path for r, _ in server.log if r.path not in ("/feed.xml", "/robots.txt")]
    assert "/private/secret" not in page_requests

    before = len(server.log)
    second = pipeline.run(settings, feed_url)
    assert second.fetched == 0 and second.extracted == 0 and second.fetch_failed == 0
    new_requests = [r.path for r, _ in server.log[before:]]
    assert new_requests == ["/robots.txt", "/feed.xml"]  # a conditional GET answered 304
    assert server.log[-1][1].status_code == 304
    with duckdb.connect(str(settings.db_path), read_only=True) as db:
        assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 5
    assert loopback_only == []
