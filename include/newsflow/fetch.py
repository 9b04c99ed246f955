"""Fetch candidates: local files are read, web pages go through a polite, guarded HTTP client.

Politeness: an identifying User-Agent, robots.txt (RFC 9309 via protego), per-host rate limits
(the source's, the setting's or the robots Crawl-delay, whichever is slowest) and concurrency
caps, retries with exponential backoff and jitter on 5xx/429 honouring Retry-After.
Safety: http(s) only, every hop's host resolved and refused when private/loopback/link-local
(unless ``allow_private_network``), a redirect limit with loop detection, content-type and
binary checks, a size cap enforced while streaming and a whole-response deadline.
A failure never fails the batch: it becomes a ``FetchLogEntry`` plus a ``Reject`` and, when
transient, goes to the retry backlog for later runs (``fetch_state``).
"""

from __future__ import annotations

import email.utils
import gzip
import ipaddress
import logging
import mimetypes
import random
import socket
import threading
import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, TypeVar
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx
from protego import Protego

from newsflow import archive
from newsflow.fetch_state import FetchState, Validators
from newsflow.records import Candidate, FetchLogEntry, Page, Reject, utcnow
from newsflow.settings import Settings
from newsflow.urls import canonicalize_url, host_key

logger = logging.getLogger(__name__)

Kind = Literal["page", "feed"]
T = TypeVar("T")
REDIRECTS = {301, 302, 303, 307, 308}
PAGE_TYPES = {"text/html", "application/xhtml+xml", "text/plain"}
FEED_TYPES = PAGE_TYPES | {
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/x-rss+xml",
    "application/feed+json",
    "application/gzip",
    "application/x-gzip",  # sitemap.xml.gz
}
BINARY_MAGIC = (
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"\x7fELF",
    b"MZ",
    b"OggS",
    b"ID3",
    b"RIFF",
    b"\x00\x00\x00",
)
MAX_CRAWL_DELAY_S = 30.0
MAX_ROBOTS_BYTES = 500_000
PRIVATE_MARK = "private_address:"


class FetchError(Exception):
    """One failed fetch. ``retryable``: worth another try now; ``transient``: on a later run."""

    def __init__(
        self,
        reason: str,
        detail: str = "",
        *,
        status: int | None = None,
        retryable: bool = False,
        transient: bool | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
        self.status = status
        self.retryable = retryable
        self.transient = retryable if transient is None else transient
        self.retry_after = retry_after
        self.attempts = 1

    def __str__(self) -> str:
        return f"{self.reason}: {self.detail}" if self.detail else self.reason


@dataclass
class Response:
    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    attempts: int = 1
    elapsed_s: float = 0.0

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str | None:
        value = self.headers.get("content-type")
        return value.split(";")[0].strip().lower() if value else None


@dataclass
class FetchResult:
    pages: list[Page] = field(default_factory=list)
    log: list[FetchLogEntry] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    skipped_known: int = 0  # already fetched in an earlier run: not requested again

    @property
    def not_modified(self) -> int:
        return sum(1 for entry in self.log if entry.not_modified)

    @property
    def failed(self) -> int:
        return sum(1 for entry in self.log if entry.error)


# Address guard


def check_address(url: str, settings: Settings) -> None:
    """Refuse non-http(s) URLs and hosts resolving to non-public addresses, before connecting."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError("unsupported_scheme", parts.scheme or url)
    host = parts.hostname
    try:
        port = parts.port
    except ValueError as exc:
        raise FetchError("invalid_url", f"{url}: {exc}") from exc
    if not host:
        raise FetchError("invalid_url", url)
    if settings.allow_private_network:
        return
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, port or 443, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise FetchError("dns_error", f"{host}: {exc}", retryable=True) from exc
        addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    for address in addresses:
        if not is_public(address):
            raise FetchError("private_address", f"{host} resolves to {address}")


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


class GuardedBackend(httpcore.SyncBackend):
    """Connects only to vetted addresses: resolves the host itself, refuses non-public ones
    and connects to the address it checked, so DNS rebinding between check and connect
    cannot reach a private network."""

    def __init__(self, allow_private_network: bool) -> None:
        self.allow_private_network = allow_private_network

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: object = None,
    ) -> httpcore.NetworkStream:
        if self.allow_private_network:
            return super().connect_tcp(host, port, timeout, local_address, socket_options)
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise httpcore.ConnectError(f"dns_error: {host}: {exc}") from exc
        vetted = [info[4][0] for info in infos]
        for address in vetted:
            if not is_public(ipaddress.ip_address(address.split("%")[0])):
                raise httpcore.ConnectError(f"{PRIVATE_MARK} {host} resolves to {address}")
        return super().connect_tcp(vetted[0], port, timeout, local_address, socket_options)


# The polite client


@dataclass
class _Host:
    semaphore: threading.Semaphore
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_slot: float = 0.0
    robots: Protego | None = None
    robots_error: FetchError | None = None
    robots_until: float = 0.0
    robots_lock: threading.Lock = field(default_factory=threading.Lock)


class PoliteClient:
    """A thread-safe HTTP client; one per run (it holds robots and rate-limit state)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        timeout = httpx.Timeout(
            connect=settings.connect_timeout_s,
            read=settings.read_timeout_s,
            write=settings.read_timeout_s,
            pool=settings.connect_timeout_s + settings.read_timeout_s,
        )
        transport = httpx.HTTPTransport(
            limits=httpx.Limits(max_connections=max(4, settings.fetch_workers * 2))
        )
        # httpx has no public hook for the network backend; httpcore's pool takes one.
        transport._pool._network_backend = GuardedBackend(settings.allow_private_network)
        self._client = httpx.Client(
            transport=transport,
            timeout=timeout,
            follow_redirects=False,  # each hop is checked by hand
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
            trust_env=False,  # no proxies from the environment: the guard checks real hosts
        )
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _host(self, url: str) -> _Host:
        key = host_key(url)
        with self._hosts_lock:
            if key not in self._hosts:
                size = max(1, self.settings.per_host_concurrency)
                self._hosts[key] = _Host(threading.Semaphore(size))
            return self._hosts[key]

    def get(
        self,
        url: str,
        kind: Kind = "page",
        validators: Validators | None = None,
        rate_limit_per_s: float | None = None,
    ) -> Response:
        """GET with retries; raises FetchError (with ``attempts`` set) when it gives up."""
        started = time.monotonic()
        response, attempts = self._retrying(
            url, lambda: self._get_once(url, kind, validators, rate_limit_per_s)
        )
        response.attempts = attempts
        response.elapsed_s = time.monotonic() - started
        return response

    def _retrying(self, url: str, call: Callable[[], T]) -> tuple[T, int]:
        """Run ``call`` until it succeeds or fails for good; returns its result and the attempts."""
        attempt = 0
        while True:
            attempt += 1
            try:
                return call(), attempt
            except FetchError as exc:
                # An error may carry requests made on its behalf (robots.txt) beyond this one.
                exc.attempts += attempt - 1
                if not exc.retryable or attempt > self.settings.max_retries:
                    raise
                delay = self._delay(exc, attempt)
                if delay is None:
                    raise
                logger.info("retrying %s in %.2f s after %s (attempt %d)", url, delay, exc, attempt)
                time.sleep(delay)

    def _delay(self, exc: FetchError, attempt: int) -> float | None:
        s = self.settings
        # Full jitter: spreads retries from parallel workers instead of synchronising them.
        backoff = random.uniform(0, min(s.backoff_max_s, s.backoff_base_s * 2 ** (attempt - 1)))
        if exc.retry_after is None:
            return backoff
        if exc.retry_after > s.retry_after_max_s:
            exc.reason, exc.retryable = "retry_after_too_long", False
            exc.detail = f"server asked to wait {exc.retry_after:.0f} s"
            return None
        # Retry-After is the least wait: a date already past must not mean hammering at once.
        return max(exc.retry_after, backoff)

    def _get_once(
        self, url: str, kind: Kind, validators: Validators | None, rate: float | None
    ) -> Response:
        current = url
        # Exact URLs, not canonical ones: sites often redirect to strip tracking parameters.
        seen = {url}
        for _hop in range(self.settings.max_redirects + 1):
            check_address(current, self.settings)
            self._check_robots(current, rate)
            headers = validators.headers() if validators and current == url else {}
            with self._slot(current, rate), self._stream(current, headers) as resp:
                if resp.status_code in REDIRECTS and "location" in resp.headers:
                    target = urljoin(current, resp.headers["location"])
                    if target in seen:
                        raise FetchError(
                            "redirect_loop", f"{current} -> {target}", status=resp.status_code
                        )
                    seen.add(target)
                    current = target
                    continue
                return self._read(url, current, resp, kind)
        raise FetchError("too_many_redirects", f"more than {self.settings.max_redirects}")

    @contextmanager
    def _stream(self, url: str, headers: dict[str, str]) -> Iterator[httpx.Response]:
        try:
            with self._client.stream("GET", url, headers=headers) as resp:
                yield resp
        except httpx.ConnectTimeout as exc:
            raise FetchError("connect_timeout", str(exc), retryable=True) from exc
        except httpx.ReadTimeout as exc:
            raise FetchError("read_timeout", str(exc), retryable=True) from exc
        except httpx.TimeoutException as exc:
            raise FetchError("timeout", str(exc), retryable=True) from exc
        except httpx.DecodingError as exc:
            raise FetchError("bad_content_encoding", str(exc)) from exc
        except httpx.ConnectError as exc:
            if str(exc).startswith(PRIVATE_MARK):
                raise FetchError(
                    "private_address", str(exc).removeprefix(PRIVATE_MARK).strip()
                ) from exc
            raise FetchError("connection_error", str(exc), retryable=True) from exc
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            raise FetchError("connection_error", str(exc), retryable=True) from exc
        except httpx.InvalidURL as exc:
            raise FetchError("invalid_url", str(exc)) from exc
        except httpx.HTTPError as exc:
            raise FetchError("http_error", f"{type(exc).__name__}: {exc}", retryable=True) from exc

    def _read(self, url: str, final_url: str, resp: httpx.Response, kind: Kind) -> Response:
        status = resp.status_code
        headers = {k.lower(): v for k, v in resp.headers.items() if k.lower() != "set-cookie"}
        if status == 304:
            return Response(url, final_url, status, headers, b"")
        if status == 429 or status >= 500:
            raise FetchError(
                f"http_{status}",
                final_url,
                status=status,
                retryable=True,
                retry_after=parse_retry_after(resp.headers.get("retry-after")),
            )
        if not 200 <= status < 300:
            raise FetchError(
                f"http_{status}", final_url, status=status, transient=status in (408, 425)
            )
        ctype = (resp.headers.get("content-type") or "").split(";")[0].strip().lower()
        allowed = FEED_TYPES if kind == "feed" else PAGE_TYPES
        if ctype and ctype not in allowed:
            raise FetchError("unsupported_content_type", ctype, status=status)
        limit = self.settings.max_page_bytes
        length = resp.headers.get("content-length", "")
        if length.isdigit() and int(length) > limit and "content-encoding" not in resp.headers:
            raise FetchError("too_large", f"Content-Length {length} > {limit}", status=status)
        deadline = time.monotonic() + self.settings.fetch_deadline_s
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise FetchError("too_large", f"body over {limit} bytes", status=status)
                if time.monotonic() > deadline:
                    raise FetchError(
                        "deadline_exceeded",
                        f"body not complete after {self.settings.fetch_deadline_s} s",
                        status=status,
                        transient=True,
                    )
                chunks.append(chunk)
        except httpx.ReadTimeout as exc:
            raise FetchError("read_timeout", str(exc), status=status, retryable=True) from exc
        except httpx.DecodingError as exc:
            raise FetchError("bad_content_encoding", str(exc), status=status) from exc
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            raise FetchError("connection_error", str(exc), status=status, retryable=True) from exc
        body = b"".join(chunks)
        if kind == "feed" and body[:2] == b"\x1f\x8b":
            body = gunzip_capped(body, limit)
        if looks_binary(body):
            raise FetchError(
                "binary_body", f"{ctype or 'no content-type'}, {len(body)} bytes", status=status
            )
        return Response(url, final_url, status, headers, body)

    @contextmanager
    def _slot(self, url: str, rate: float | None) -> Iterator[None]:
        host = self._host(url)
        with host.semaphore:
            interval = self._interval(host, rate)
            with host.lock:
                now = time.monotonic()
                wait = max(0.0, host.next_slot - now)
                host.next_slot = max(now, host.next_slot) + interval
            if wait:
                time.sleep(wait)
            yield

    def _interval(self, host: _Host, rate: float | None) -> float:
        rates = [r for r in (rate, self.settings.per_host_rate_limit_per_s) if r and r > 0]
        interval = 1.0 / min(rates) if rates else 0.0
        if host.robots is not None:
            delay = host.robots.crawl_delay(self.settings.user_agent)
            if delay:
                interval = max(interval, min(float(delay), MAX_CRAWL_DELAY_S))
        return interval

    # robots.txt

    def _check_robots(self, url: str, rate: float | None) -> None:
        host = self._host(url)
        requests = 0
        with host.robots_lock:
            if time.monotonic() >= host.robots_until:
                requests = self._load_robots(host, url, rate)
        failure = host.robots_error
        if failure is not None:
            # A host down at the network level fails with the network's reason (connect_timeout,
            # connection_error, ...); a robots.txt answering 5xx is "robots_unreachable".
            reason = "robots_unreachable" if failure.status is not None else failure.reason
            error = FetchError(reason, f"robots.txt unreachable: {failure.detail}", transient=True)
            error.attempts = requests  # 0 when an earlier page already found robots.txt down
            raise error
        if host.robots is not None and not host.robots.can_fetch(url, self.settings.user_agent):
            raise FetchError("robots_disallowed", url)

    def _load_robots(self, host: _Host, url: str, rate: float | None) -> int:
        """Fetch and parse robots.txt for ``url``'s host; returns the requests made."""
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        host.robots, host.robots_error = None, None
        host.robots_until = time.monotonic() + self.settings.robots_cache_ttl_s
        try:
            # Retried like a page, so one dropped connection does not disallow a whole host.
            text, attempts = self._retrying(
                robots_url, lambda: self._fetch_robots(robots_url, rate)
            )
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
                return exc.attempts  # RFC 9309: an unavailable robots.txt (4xx) allows all
            # RFC 9309: unreachable (5xx, network) means complete disallow, for a while.
            exc.detail = f"{robots_url}: {exc.reason}: {exc.detail}"
            host.robots_error = exc
            host.robots_until = time.monotonic() + min(60.0, self.settings.robots_cache_ttl_s)
            return exc.attempts
        if text is not None:
            host.robots = Protego.parse(text)
        return attempts

    def _fetch_robots(self, robots_url: str, rate: float | None) -> str | None:
        current = robots_url
        for _hop in range(self.settings.max_redirects + 1):
            check_address(current, self.settings)
            with self._slot(current, rate), self._stream(current, {}) as resp:
                if resp.status_code in REDIRECTS and "location" in resp.headers:
                    current = urljoin(current, resp.headers["location"])
                    continue
                status = resp.status_code
                if status >= 400:
                    raise FetchError(
                        f"http_{status}",
                        current,
                        status=status,
                        retryable=status == 429 or status >= 500,
                        retry_after=parse_retry_after(resp.headers.get("retry-after")),
                    )
                data = b""
                for chunk in resp.iter_bytes():
                    data += chunk
                    if len(data) > MAX_ROBOTS_BYTES:
                        break
                return data[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
        return None  # too many redirects: treated as unavailable, i.e. allow


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After as seconds from now (delta-seconds or an HTTP date); None when absent/bad."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def gunzip_capped(data: bytes, limit: int) -> bytes:
    """Decompress a gzip file (not a Content-Encoding) without letting it grow past ``limit``."""
    inflater = zlib.decompressobj(wbits=31)
    try:
        body = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise FetchError("bad_gzip", str(exc)) from exc
    if len(body) > limit:
        raise FetchError("too_large", f"gzip body inflates past {limit} bytes")
    return body


def looks_binary(body: bytes) -> bool:
    """Binary files (images, PDFs, archives, executables) served where text was expected."""
    head = body[:2048]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text carries NUL bytes legitimately
    if head.startswith(BINARY_MAGIC):
        return True
    return b"\x00" in head


# fetch_all


def fetch_all(candidates: list[Candidate], settings: Settings) -> FetchResult:
    """Fetch every candidate; never raises for a single failure."""
    result = FetchResult()
    with FetchState.for_settings(settings) as state, PoliteClient(settings) as client:
        todo = _select(candidates, settings, state, result)
        local = [c for c in todo if c.path is not None]
        web = _interleave_hosts([c for c in todo if c.path is None])
        for candidate in local:
            _collect(result, _read_local(candidate, settings, state))
        rates = _source_rates(settings)
        done = 0
        workers = max(1, min(settings.fetch_workers, len(web)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fetch") as pool:
            futures = [
                pool.submit(_fetch_web, c, settings, state, client, rates.get(c.source))
                for c in web
            ]
            for future in as_completed(futures):
                _collect(result, future.result())
                done += 1
                if done % 25 == 0 or done == len(web):
                    logger.info(
                        "fetched %d/%d web candidates (%d failed so far)",
                        done,
                        len(web),
                        result.failed,
                    )
    logger.info(
        "fetch: %d pages, %d not modified, %d failed, %d skipped as already fetched",
        len(result.pages),
        result.not_modified,
        result.failed,
        result.skipped_known,
    )
    return result


@dataclass
class _Outcome:
    page: Page | None
    log: FetchLogEntry | None
    reject: Reject | None = None
    unchanged: bool = False  # a local file read before, with the same bytes


def _collect(result: FetchResult, outcome: _Outcome) -> None:
    result.skipped_known += outcome.unchanged
    if outcome.page is not None:
        result.pages.append(outcome.page)
    if outcome.log is not None:
        result.log.append(outcome.log)
    if outcome.reject is not None:
        result.rejects.append(outcome.reject)


def _select(
    candidates: list[Candidate], settings: Settings, state: FetchState, result: FetchResult
) -> list[Candidate]:
    """Drop repeats (by canonical URL), known URLs and URLs out of attempts."""
    replay = settings.refetch_known or settings.reprocess_from_archive
    seen: set[str] = set()
    todo: list[Candidate] = []
    for candidate in candidates:
        key = canonicalize_url(candidate.url)
        if key in seen:
            continue
        seen.add(key)
        if not replay and candidate.path is None and state.fetched_sha256(key) is not None:
            result.skipped_known += 1
            state.drop_pending(key)
            continue
        attempts = state.failure_attempts(key)
        if attempts >= settings.max_fetch_attempts:
            state.drop_pending(key)
            result.log.append(
                FetchLogEntry(
                    url=candidate.url, attempts=0, error=f"gave_up: failed in {attempts} runs"
                )
            )
            continue
        todo.append(candidate)
    if settings.limit is not None:
        todo = todo[: settings.limit]
    return todo


def _interleave_hosts(candidates: list[Candidate]) -> list[Candidate]:
    """Round-robin over hosts so the pool's workers are not all queued on one host."""
    by_host: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        by_host[host_key(candidate.url)].append(candidate)
    queues = list(by_host.values())
    out: list[Candidate] = []
    while queues:
        out += [q.pop(0) for q in queues]
        queues = [q for q in queues if q]
    return out


def _source_rates(settings: Settings) -> dict[str, float]:
    from newsflow.sources import SourceConfigError, load_sources

    try:
        sources = load_sources(settings.sources_path)
    except SourceConfigError:
        return {}
    return {s.name: s.rate_limit_per_s for s in sources if s.rate_limit_per_s}


def _fail(
    candidate: Candidate, exc: FetchError, elapsed: float, state: FetchState, settings: Settings
) -> _Outcome:
    key = canonicalize_url(candidate.url)
    runs = state.record_failure(key, candidate, exc.status, str(exc), exc.transient)
    retry = exc.transient and runs < settings.max_fetch_attempts
    logger.warning(
        "fetch failed for %s: %s (%d attempts, %s)",
        candidate.url,
        exc,
        exc.attempts,
        "will retry on a later run" if retry else "not retried",
    )
    entry = FetchLogEntry(
        url=candidate.url,
        status=exc.status,
        error=str(exc),
        attempts=exc.attempts,
        elapsed_s=round(elapsed, 3),
    )
    reject = Reject(
        stage="fetch",
        reason=exc.reason,
        url=candidate.url,
        detail=f"{exc} (run {runs}, {'retry later' if retry else 'final'})",
        raw=candidate.model_dump_json(),
    )
    return _Outcome(None, entry, reject)


def _fetch_web(
    candidate: Candidate,
    settings: Settings,
    state: FetchState,
    client: PoliteClient,
    rate: float | None,
) -> _Outcome:
    started = time.monotonic()
    key = canonicalize_url(candidate.url)
    try:
        response = client.get(candidate.url, "page", state.validators(key), rate)
    except FetchError as exc:
        return _fail(candidate, exc, time.monotonic() - started, state, settings)
    except Exception as exc:  # a bug here must not cost the batch its other pages
        logger.exception("unexpected error fetching %s", candidate.url)
        return _fail(
            candidate,
            FetchError("internal_error", repr(exc)),
            time.monotonic() - started,
            state,
            settings,
        )
    entry = FetchLogEntry(
        url=candidate.url,
        status=response.status,
        attempts=response.attempts,
        elapsed_s=round(response.elapsed_s, 3),
        not_modified=response.not_modified,
    )
    if response.not_modified:
        state.record_fetched(key, state.fetched_sha256(key) or "", response.status)
        return _Outcome(None, entry)
    page = Page(
        url=candidate.url,
        final_url=response.final_url,
        source=candidate.source,
        outlet=candidate.outlet,
        language=candidate.language,
        status=response.status,
        content_type=response.content_type,
        headers=response.headers,
        archive_path="",
        content_sha256="",
        size=0,
        fetched_at=utcnow(),
    )
    page = archive.store(settings.archive_dir, response.body, page)
    state.save_validators(key, response.headers.get("etag"), response.headers.get("last-modified"))
    state.record_fetched(key, page.content_sha256, response.status)
    return _Outcome(page, entry)


def _read_local(candidate: Candidate, settings: Settings, state: FetchState) -> _Outcome:
    started = time.monotonic()
    key = canonicalize_url(candidate.url)
    path = Path(str(candidate.path))
    try:
        body = _read_file(path, settings.max_page_bytes)
    except FetchError as exc:
        return _fail(candidate, exc, time.monotonic() - started, state, settings)
    digest = archive.sha256_hex(body)
    replay = settings.refetch_known or settings.reprocess_from_archive
    if not replay and state.fetched_sha256(key) == digest:
        # Unchanged since the last run: nothing was fetched, so nothing goes to fetch_log
        # (a rerun over the same folder must leave the warehouse as it was).
        return _Outcome(None, None, unchanged=True)
    name = path.name.removesuffix(".gz")
    ctype = mimetypes.guess_type(name)[0] or "text/plain"
    page = Page(
        url=candidate.url,
        final_url=candidate.url,
        source=candidate.source,
        outlet=candidate.outlet,
        language=candidate.language,
        status=200,
        content_type=ctype,
        archive_path="",
        content_sha256="",
        size=0,
        fetched_at=datetime.fromtimestamp(path.stat().st_mtime, UTC),
    )
    page = archive.store(settings.archive_dir, body, page)
    state.record_fetched(key, digest, 200)
    entry = FetchLogEntry(
        url=candidate.url, status=200, elapsed_s=round(time.monotonic() - started, 3)
    )
    return _Outcome(page, entry)


def _read_file(path: Path, limit: int) -> bytes:
    try:
        if path.stat().st_size > limit and not path.name.endswith(".gz"):
            raise FetchError("too_large", f"{path} is over {limit} bytes")
        if path.name.endswith(".gz"):
            with gzip.open(path, "rb") as handle:
                body = handle.read(limit + 1)
        else:
            body = path.read_bytes()
    except FetchError:
        raise
    except (OSError, EOFError) as exc:
        raise FetchError("unreadable_file", f"{path}: {exc}") from exc
    if len(body) > limit:
        raise FetchError("too_large", f"{path} is over {limit} bytes")
    if looks_binary(body):
        raise FetchError("binary_body", str(path))
    return body
