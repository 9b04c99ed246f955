"""The polite, guarded HTTP client and fetch_all, against real servers on 127.0.0.1."""

from __future__ import annotations

import email.utils
import gzip
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpcore
import pytest
from fetch_samples import PNG_BYTES, article_html, http_server, loopback_only, server
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from newsflow import archive
from newsflow.fetch import (
    FetchError,
    GuardedBackend,
    PoliteClient,
    check_address,
    fetch_all,
    parse_retry_after,
)
from newsflow.fetch_state import FetchState
from newsflow.records import Candidate
from newsflow.settings import Settings

__all__ = ["http_server", "loopback_only", "server"]  # fixtures shared with the other fetch tests


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        db_path=tmp_path / "data" / "news.duckdb",
        sources_path=tmp_path / "no-sources.yaml",
        allow_private_network=True,
        connect_timeout_s=1.0,
        read_timeout_s=1.0,
        fetch_deadline_s=3.0,
        max_retries=2,
        backoff_base_s=0.01,
        backoff_max_s=0.05,
        per_host_rate_limit_per_s=1000.0,
        max_page_bytes=200_000,
    )


def cand(url: str) -> Candidate:
    return Candidate(url=url, source="test", outlet="Example Daily", language="en")


def only_failure(result, url: str):
    [entry] = [e for e in result.log if e.url == url]
    [reject] = [r for r in result.rejects if r.url == url]
    assert entry.error and reject.stage == "fetch"
    assert not [p for p in result.pages if p.url == url]
    return entry, reject


def test_page_is_fetched_politely_and_archived(server: HTTPServer, settings, loopback_only):
    server.expect_request("/news/1").respond_with_data(
        article_html("troops"), content_type="text/html; charset=utf-8", headers={"ETag": '"v1"'}
    )
    url = server.url_for("/news/1") + "?utm_source=feed"
    result = fetch_all([cand(url)], settings)

    [page] = result.pages
    assert page.status == 200 and page.final_url == url and page.outlet == "Example Daily"
    assert page.content_type == "text/html" and page.headers["etag"] == '"v1"'
    assert archive.read_body(page.archive_path) == article_html("troops").encode()
    blob = Path(page.archive_path)
    assert blob.parent.parent == settings.archive_dir and blob.name == f"{page.content_sha256}.gz"
    sidecar = json.loads(blob.with_suffix(".json").read_text())
    assert sidecar["fetches"][0]["url"] == url and sidecar["fetches"][0]["status"] == 200
    [entry] = result.log
    assert entry.status == 200 and entry.error is None and entry.attempts == 1
    [request] = [r for r, _ in server.log if r.path == "/news/1"]
    assert request.headers["User-Agent"] == settings.user_agent
    assert loopback_only == []


def test_404_is_logged_and_not_retried(server: HTTPServer, settings):
    url = server.url_for("/gone")
    result = fetch_all([cand(url)], settings)
    entry, reject = only_failure(result, url)
    assert entry.status == 404 and entry.attempts == 1 and reject.reason == "http_404"
    assert json.loads(reject.raw)["url"] == url
    with FetchState.for_settings(settings) as state:
        assert state.retry_backlog(settings.max_fetch_attempts) == []
    assert len([r for r, _ in server.log if r.path == "/gone"]) == 1


def test_500_then_200_is_retried_within_the_run(server: HTTPServer, settings):
    server.expect_oneshot_request("/flaky").respond_with_data("busy", status=500)
    server.expect_oneshot_request("/flaky").respond_with_data(
        article_html("grain"), content_type="text/html"
    )
    result = fetch_all([cand(server.url_for("/flaky"))], settings)
    [page] = result.pages
    [entry] = result.log
    assert page.status == 200 and entry.attempts == 2 and entry.error is None


def test_429_honours_retry_after(server: HTTPServer, settings):
    server.expect_oneshot_request("/limited").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "1"}
    )
    server.expect_oneshot_request("/limited").respond_with_data(
        article_html("sanctions"), content_type="text/html"
    )
    started = time.monotonic()
    result = fetch_all([cand(server.url_for("/limited"))], settings)
    assert len(result.pages) == 1 and result.log[0].attempts == 2
    # The backoff alone is at most 0.05 s here: waiting a second means Retry-After was used.
    assert time.monotonic() - started >= 0.9


def test_long_retry_after_gives_up_until_a_later_run(server: HTTPServer, settings):
    server.expect_request("/later").respond_with_data(
        "no", status=503, headers={"Retry-After": "3600"}
    )
    url = server.url_for("/later")
    result = fetch_all([cand(url)], settings)
    entry, reject = only_failure(result, url)
    assert reject.reason == "retry_after_too_long" and entry.status == 503
    assert entry.error.startswith("retry_after_too_long: server asked to wait 3600 s")
    with FetchState.for_settings(settings) as state:
        assert [c.url for c in state.retry_backlog(settings.max_fetch_attempts)] == [url]


def test_retry_after_parsing():
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None
    ahead = parse_retry_after(email.utils.formatdate(time.time() + 30, usegmt=True))
    assert ahead is not None and 28 <= ahead <= 30
    for garbage in ("-5", "1.5", "\u0663", "Fri, 31 Dec 99999 23:59:59 GMT", "Mon, 99 Foo 2024"):
        assert parse_retry_after(garbage) is None


def test_429_honours_retry_after_as_an_http_date(server: HTTPServer, settings):
    # HTTP dates have whole seconds: two seconds ahead means a wait between one and two.
    when = email.utils.formatdate(time.time() + 2, usegmt=True)
    server.expect_oneshot_request("/dated").respond_with_data(
        "slow down", status=429, headers={"Retry-After": when}
    )
    server.expect_oneshot_request("/dated").respond_with_data(
        article_html("sanctions"), content_type="text/html"
    )
    started = time.monotonic()
    result = fetch_all([cand(server.url_for("/dated"))], settings)
    elapsed = time.monotonic() - started
    [page] = result.pages
    [entry] = result.log
    assert entry.attempts == 2 and entry.error is None and page.status == 200
    assert elapsed >= 0.9  # the backoff alone is at most 0.05 s here


@pytest.mark.parametrize(
    "value",
    ["Wed, 21 Oct 2015 07:28:00 GMT", "soon", "Fri, 31 Dec 99999 23:59:59 GMT", "-1", ""],
)
def test_past_or_unreadable_retry_after_falls_back_to_backoff(server: HTTPServer, settings, value):
    server.expect_oneshot_request("/odd").respond_with_data(
        "slow down", status=429, headers={"Retry-After": value}
    )
    server.expect_oneshot_request("/odd").respond_with_data(
        article_html("grain"), content_type="text/html"
    )
    result = fetch_all([cand(server.url_for("/odd"))], settings)
    [entry] = result.log
    assert len(result.pages) == 1 and entry.attempts == 2 and entry.error is None


def test_retry_after_date_beyond_the_cap_is_not_waited_for(server: HTTPServer, settings):
    capped = replace(settings, retry_after_max_s=1.0)
    when = email.utils.formatdate(time.time() + 10, usegmt=True)
    server.expect_request("/later").respond_with_data(
        "no", status=429, headers={"Retry-After": when}
    )
    url = server.url_for("/later")
    started = time.monotonic()
    result = fetch_all([cand(url)], capped)
    entry, reject = only_failure(result, url)
    assert reject.reason == "retry_after_too_long" and entry.attempts == 1
    assert time.monotonic() - started < capped.retry_after_max_s  # gave up, did not wait
    assert [r.path for r, _ in server.log].count("/later") == 1
    with FetchState.for_settings(capped) as state:
        assert [c.url for c in state.retry_backlog(capped.max_fetch_attempts)] == [url]


def test_read_timeout_is_retried_then_logged(server: HTTPServer, settings):
    def sleepy(request: Request) -> Response:
        time.sleep(0.6)
        return Response("late", content_type="text/html")

    server.expect_request("/sleepy").respond_with_handler(sleepy)
    fast = Settings(**{**settings.__dict__, "read_timeout_s": 0.2, "max_retries": 1})
    url = server.url_for("/sleepy")
    result = fetch_all([cand(url)], fast)
    entry, reject = only_failure(result, url)
    assert reject.reason == "read_timeout" and entry.attempts == 2


def test_redirects_are_followed_and_loops_refused(server: HTTPServer, settings):
    server.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/new"})
    server.expect_request("/new").respond_with_data(article_html("grain"), content_type="text/html")
    server.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    server.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
    for n in range(10):
        server.expect_request(f"/chain{n}").respond_with_data(
            "", status=302, headers={"Location": f"/chain{n + 1}"}
        )
    old, loop, chain = (server.url_for(p) for p in ("/old", "/a", "/chain0"))
    result = fetch_all([cand(old), cand(loop), cand(chain)], settings)
    [page] = result.pages
    assert page.url == old and page.final_url == server.url_for("/new")
    assert only_failure(result, loop)[1].reason == "redirect_loop"
    assert only_failure(result, chain)[1].reason == "too_many_redirects"


def test_slow_drip_hits_the_deadline(server: HTTPServer, settings):
    def drip():
        yield b"<html><body>"
        for _ in range(200):
            time.sleep(0.05)
            yield b"."

    server.expect_request("/drip").respond_with_response(Response(drip(), content_type="text/html"))
    quick = Settings(**{**settings.__dict__, "fetch_deadline_s": 0.5})
    url = server.url_for("/drip")
    result = fetch_all([cand(url)], quick)
    entry, reject = only_failure(result, url)
    assert reject.reason == "deadline_exceeded" and entry.attempts == 1


def test_oversized_pages_are_cut_off(server: HTTPServer, settings):
    big = b"<html><body>" + b"a" * 1_000_000 + b"</body></html>"

    def stream():
        for i in range(0, len(big), 65536):
            yield big[i : i + 65536]

    server.expect_request("/big").respond_with_data(big, content_type="text/html")
    server.expect_request("/big-chunked").respond_with_response(
        Response(stream(), content_type="text/html")
    )
    server.expect_request("/bomb").respond_with_data(
        gzip.compress(big), content_type="text/html", headers={"Content-Encoding": "gzip"}
    )
    urls = [server.url_for(p) for p in ("/big", "/big-chunked", "/bomb")]
    result = fetch_all([cand(u) for u in urls], settings)
    assert result.pages == []
    for url in urls:
        assert only_failure(result, url)[1].reason == "too_large"


def test_binary_bodies_are_refused(server: HTTPServer, settings):
    server.expect_request("/photo.png").respond_with_data(PNG_BYTES, content_type="image/png")
    server.expect_request("/disguised").respond_with_data(PNG_BYTES, content_type="text/html")
    server.expect_request("/nul").respond_with_data(b"abc\x00\x01\x02" * 100)
    png, disguised, nul = (server.url_for(p) for p in ("/photo.png", "/disguised", "/nul"))
    result = fetch_all([cand(png), cand(disguised), cand(nul)], settings)
    assert only_failure(result, png)[1].reason == "unsupported_content_type"
    assert only_failure(result, disguised)[1].reason == "binary_body"
    assert only_failure(result, nul)[1].reason == "binary_body"


def test_broken_encoding_is_archived_as_raw_bytes(server: HTTPServer, settings):
    body = "<html><body><p>Kyiv café — ".encode() + b"\xff\xfe\xc3(" + b" end</p></body></html>"
    server.expect_request("/mojibake").respond_with_data(
        body, content_type="text/html; charset=utf-8"
    )
    [page] = fetch_all([cand(server.url_for("/mojibake"))], settings).pages
    assert archive.read_body(page.archive_path) == body


def test_robots_txt_is_respected(server: HTTPServer, settings):
    server.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /private/\n", content_type="text/plain"
    )
    server.expect_request("/private/secret").respond_with_data("x", content_type="text/html")
    server.expect_request("/public").respond_with_data(
        article_html("grain"), content_type="text/html"
    )
    blocked, allowed = server.url_for("/private/secret"), server.url_for("/public")
    result = fetch_all([cand(blocked), cand(allowed)], settings)
    assert only_failure(result, blocked)[1].reason == "robots_disallowed"
    assert [p.url for p in result.pages] == [allowed]
    paths = [r.path for r, _ in server.log]
    assert "/private/secret" not in paths and paths.count("/robots.txt") == 1


def test_robots_txt_server_error_means_disallow(server: HTTPServer, settings):
    server.expect_request("/robots.txt").respond_with_data("oops", status=503)
    url = server.url_for("/page")
    result = fetch_all([cand(url)], settings)
    assert only_failure(result, url)[1].reason == "robots_unreachable"
    assert "/page" not in [r.path for r, _ in server.log]


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/article",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:9/x",
        "http://[::ffff:10.0.0.1]/x",
        "http://0.0.0.0/x",
        "http://192.168.1.1/x",
        "http://100.64.0.1/x",
    ],
)
def test_private_addresses_are_refused_before_connecting(url, tmp_path, loopback_only):
    guarded = Settings(data_dir=tmp_path, allow_private_network=False)
    with pytest.raises(FetchError) as info:
        check_address(url, guarded)
    assert info.value.reason == "private_address"
    result = fetch_all([cand(url)], guarded)
    assert only_failure(result, url)[1].reason == "private_address"
    assert loopback_only == []  # no connection was even attempted


def test_loopback_server_is_refused_with_the_guard_on(server: HTTPServer, tmp_path, loopback_only):
    server.expect_request("/a").respond_with_data("hi", content_type="text/html")
    guarded = Settings(
        data_dir=tmp_path, allow_private_network=False, sources_path=tmp_path / "none.yaml"
    )
    urls = [server.url_for("/a"), f"http://localhost:{server.port}/a"]
    result = fetch_all([cand(u) for u in urls], guarded)
    for url in urls:
        assert only_failure(result, url)[1].reason == "private_address"
    assert server.log == [] and loopback_only == []


def test_only_http_and_https(tmp_path):
    s = Settings(data_dir=tmp_path)
    for url in ("file:///etc/passwd", "ftp://example.com/x", "gopher://example.com/"):
        with pytest.raises(FetchError) as info:
            check_address(url, s)
        assert info.value.reason == "unsupported_scheme"
    result = fetch_all([cand("file:///etc/passwd")], s)
    assert only_failure(result, "file:///etc/passwd")[1].reason == "unsupported_scheme"


def test_per_host_concurrency_is_capped(server: HTTPServer, settings):
    active, peak = [0], [0]
    lock = threading.Lock()

    def handler(request: Request) -> Response:
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.15)
        with lock:
            active[0] -= 1
        return Response(article_html("grain"), content_type="text/html")

    server.expect_request("/robots.txt").respond_with_data("", status=404)
    for n in range(6):
        server.expect_request(f"/p{n}").respond_with_handler(handler)
    capped = Settings(**{**settings.__dict__, "per_host_concurrency": 2, "fetch_workers": 6})
    result = fetch_all([cand(server.url_for(f"/p{n}")) for n in range(6)], capped)
    assert len(result.pages) == 6 and peak[0] == 2


def test_per_host_rate_limit_spaces_requests(server: HTTPServer, settings):
    server.expect_request("/robots.txt").respond_with_data("", status=404)
    for n in range(4):
        server.expect_request(f"/r{n}").respond_with_data("<p>x</p>", content_type="text/html")
    slow = Settings(**{**settings.__dict__, "per_host_rate_limit_per_s": 10.0})
    started = time.monotonic()
    result = fetch_all([cand(server.url_for(f"/r{n}")) for n in range(4)], slow)
    # robots.txt + 4 pages at 10 requests/s: at least 4 intervals of 0.1 s.
    assert len(result.pages) == 4 and time.monotonic() - started >= 0.38


def test_known_urls_are_not_fetched_again(server: HTTPServer, settings):
    server.expect_request("/once").respond_with_data(
        article_html("troops"), content_type="text/html"
    )
    url = server.url_for("/once")
    assert len(fetch_all([cand(url)], settings).pages) == 1
    again = fetch_all([cand(url + "?utm_medium=social"), cand(url)], settings)
    assert again.pages == [] and again.skipped_known == 1 and again.log == []
    assert [r.path for r, _ in server.log].count("/once") == 1


def test_conditional_get_when_refetching(server: HTTPServer, settings):
    def handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"abc"':
            return Response(status=304)
        return Response(article_html("troops"), content_type="text/html", headers={"ETag": '"abc"'})

    server.expect_request("/cond").respond_with_handler(handler)
    url = server.url_for("/cond")
    assert len(fetch_all([cand(url)], settings).pages) == 1
    refetch = Settings(**{**settings.__dict__, "refetch_known": True})
    second = fetch_all([cand(url)], refetch)
    assert second.pages == [] and second.not_modified == 1 and second.failed == 0
    last_request = [r for r, _ in server.log if r.path == "/cond"][-1]
    assert last_request.headers["If-None-Match"] == '"abc"'


def test_transient_failures_are_retried_on_later_runs_up_to_a_limit(server: HTTPServer, settings):
    server.expect_request("/down").respond_with_data("down", status=502)
    url = server.url_for("/down")
    s = Settings(**{**settings.__dict__, "max_retries": 0, "max_fetch_attempts": 2})
    first = fetch_all([cand(url)], s)
    assert first.failed == 1
    with FetchState.for_settings(s) as state:
        assert [c.url for c in state.retry_backlog(2)] == [url]
    second = fetch_all([cand(url)], s)
    assert second.failed == 1 and "run 2, final" in second.rejects[0].detail
    with FetchState.for_settings(s) as state:
        assert state.retry_backlog(2) == []
    third = fetch_all([cand(url)], s)
    [entry] = third.log
    assert entry.error.startswith("gave_up") and entry.attempts == 0
    assert [r.path for r, _ in server.log].count("/down") == 2


def test_local_files_are_archived_and_skipped_when_unchanged(tmp_path, settings):
    article = tmp_path / "story.html"
    article.write_text(article_html("grain"), encoding="utf-8")
    packed = tmp_path / "other.html.gz"
    packed.write_bytes(gzip.compress(article_html("troops").encode()))
    binary = tmp_path / "picture.html"
    binary.write_bytes(PNG_BYTES)
    cands = [
        Candidate(url=p.as_uri(), source="local", path=str(p)) for p in (article, packed, binary)
    ]
    first = fetch_all(cands, settings)
    assert sorted(p.url for p in first.pages) == sorted([article.as_uri(), packed.as_uri()])
    by_url = {p.url: p for p in first.pages}
    packed_page = by_url[packed.as_uri()]
    assert archive.read_body(packed_page.archive_path) == article_html("troops").encode()
    assert by_url[article.as_uri()].content_type == "text/html"
    assert only_failure(first, binary.as_uri())[1].reason == "binary_body"
    second = fetch_all(cands[:2], settings)
    assert second.pages == [] and second.skipped_known == 2 and second.log == []
    article.write_text(article_html("sanctions"), encoding="utf-8")
    third = fetch_all(cands[:2], settings)
    assert [p.url for p in third.pages] == [article.as_uri()]


def test_one_broken_candidate_does_not_stop_the_batch(server: HTTPServer, settings):
    server.expect_request("/good").respond_with_data(
        article_html("grain"), content_type="text/html"
    )
    bad = ["not a url", "http://", "http://127.0.0.1:99999/x", "http://127.0.0.1:abc/"]
    result = fetch_all([*map(cand, bad), cand(server.url_for("/good"))], settings)
    assert [p.url for p in result.pages] == [server.url_for("/good")]
    assert len(result.log) == 5 and result.failed == 4 and len(result.rejects) == 4
    assert {r.reason for r in result.rejects} == {"unsupported_scheme", "invalid_url"}


def test_client_get_reports_attempts(server: HTTPServer, settings):
    server.expect_request("/x").respond_with_data("boom", status=500)
    with PoliteClient(settings) as client, pytest.raises(FetchError) as info:
        client.get(server.url_for("/x"))
    assert info.value.status == 500 and info.value.attempts == settings.max_retries + 1


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "10.0.0.1", "169.254.169.254", "::1"])
def test_connection_backend_refuses_private_addresses(host, server: HTTPServer, loopback_only):
    # The backend re-resolves and vets at connect time, so a DNS answer that changes between
    # the pre-check and the connection (rebinding) still cannot reach a private address.
    backend = GuardedBackend(allow_private_network=False)
    with pytest.raises(httpcore.ConnectError, match=r"^private_address:"):
        backend.connect_tcp(host, server.port, timeout=1.0)
    assert loopback_only == [] and server.log == []
    stream = GuardedBackend(allow_private_network=True).connect_tcp("127.0.0.1", server.port)
    stream.close()


def test_redirect_that_strips_tracking_parameters_is_not_a_loop(server: HTTPServer, settings):
    def handler(request: Request) -> Response:
        if request.query_string:
            return Response("", status=301, headers={"Location": "/story"})
        return Response(article_html("grain"), content_type="text/html")

    server.expect_request("/story").respond_with_handler(handler)
    url = server.url_for("/story") + "?utm_source=rss"
    [page] = fetch_all([cand(url)], settings).pages
    assert page.url == url and page.final_url == server.url_for("/story")


def test_connection_refused_is_transient(settings):
    with socket.socket() as sock:  # a free port on loopback with nothing listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/x"
    result = fetch_all([cand(url)], settings)
    entry, reject = only_failure(result, url)
    # robots.txt is asked for first and cannot be reached (RFC 9309: disallow, for now); the
    # page fails with the network's reason after robots.txt was retried.
    assert reject.reason == "connection_error" and "robots.txt unreachable" in entry.error
    assert entry.attempts == settings.max_retries + 1
    with FetchState.for_settings(settings) as state:
        assert [c.url for c in state.retry_backlog(settings.max_fetch_attempts)] == [url]


@pytest.fixture
def unanswered_port() -> Iterator[int]:
    """A port on 127.0.0.1 that answers no new connection: its accept queue is full.

    Linux drops a SYN to a listener whose accept queue is full (unless
    net.ipv4.tcp_abort_on_overflow is set, which answers with a reset instead), so a connect
    hangs until the client's own timeout, like a host behind a firewall dropping packets.
    """
    overflow = Path("/proc/sys/net/ipv4/tcp_abort_on_overflow")
    if not overflow.is_file() or overflow.read_text().strip() != "0":
        pytest.skip("needs Linux with net.ipv4.tcp_abort_on_overflow=0")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers: list[socket.socket] = []
    try:
        # Idle connections nobody accepts fill the queue; the first one left hanging proves it.
        for _ in range(16):
            filler = socket.socket()
            fillers.append(filler)
            filler.settimeout(0.2)
            try:
                filler.connect(("127.0.0.1", port))
            except TimeoutError:
                break
        else:
            pytest.skip("the accept queue never filled up")
        yield port
    finally:
        for sock in [*fillers, listener]:
            sock.close()


def test_connect_timeout_is_retried_logged_and_transient(unanswered_port, settings, loopback_only):
    quick = replace(settings, connect_timeout_s=0.3, max_retries=1, max_fetch_attempts=3)
    url = f"http://127.0.0.1:{unanswered_port}/story"
    started = time.monotonic()
    result = fetch_all([cand(url)], quick)
    elapsed = time.monotonic() - started
    entry, reject = only_failure(result, url)
    assert reject.reason == "connect_timeout" and entry.status is None
    assert entry.error.startswith("connect_timeout: robots.txt unreachable")
    assert entry.attempts == 2 and "(run 1, retry later)" in reject.detail
    # Two connects cut at 0.3 s each, not the kernel's SYN retries (over a minute).
    assert 0.5 <= elapsed < 5.0
    with FetchState.for_settings(quick) as state:
        assert [c.url for c in state.retry_backlog(quick.max_fetch_attempts)] == [url]
    again = fetch_all([cand(url)], quick)  # a later run tries again, with a fresh client
    entry, reject = only_failure(again, url)
    assert reject.reason == "connect_timeout" and "(run 2, retry later)" in reject.detail
    assert loopback_only == []


def test_host_down_fails_its_other_pages_without_new_connections(
    unanswered_port, settings, loopback_only
):
    quick = replace(settings, connect_timeout_s=0.3, max_retries=0)
    urls = [f"http://127.0.0.1:{unanswered_port}/p{n}" for n in range(3)]
    result = fetch_all([cand(u) for u in urls], quick)
    entries = sorted(only_failure(result, u)[0].attempts for u in urls)
    # One page paid for the robots.txt connect; the others reuse its cached failure.
    assert entries == [0, 0, 1]
    assert {r.reason for r in result.rejects} == {"connect_timeout"}
