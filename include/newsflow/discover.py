"""Discover candidate articles: local folders and files, RSS/Atom feeds, news sitemaps (and
sitemap indexes), URL lists, or every enabled entry of ``sources.yaml``.

Web candidates are also queued in the fetch state until fetched, and the retry backlog of
earlier transient failures is added, so a run that dies after discovery (or a feed that answers
304 next time) loses nothing. ``file:`` candidates only ever come from local sources. With
``reprocess_from_archive`` no feed or sitemap is fetched: only local candidates are returned
and the pages come from the raw archive.
"""

from __future__ import annotations

import gzip
import logging
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

import feedparser
from lxml import etree
from pydantic import BaseModel, ConfigDict, ValidationError

from newsflow.fetch import FetchError, PoliteClient
from newsflow.fetch_state import FetchState
from newsflow.records import Candidate, FetchLogEntry, Reject
from newsflow.settings import Settings
from newsflow.sources import SourceConfig, load_sources
from newsflow.urls import canonicalize_url, is_web_url

logger = logging.getLogger(__name__)

ARTICLE_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz", ".txt")
MAX_LOCAL_INDEX_BYTES = 20_000_000
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


class HostileDocument(ValueError):
    """XML that declares entities (billion laughs, external entities) or is not parseable."""


@dataclass
class Discovery:
    candidates: list[Candidate] = field(default_factory=list)
    log: list[FetchLogEntry] = field(default_factory=list)  # feed/sitemap fetches
    rejects: list[Reject] = field(default_factory=list)


@dataclass(frozen=True)
class _Origin:
    """Where candidates come from and what they inherit."""

    name: str
    outlet: str | None = None
    language: str | None = None
    max_items: int | None = None
    rate_limit_per_s: float | None = None
    kind: str | None = None  # as configured; content detection decides when absent


def discover(source: str | None, settings: Settings) -> list[Candidate]:
    """Candidates for ``source`` (folder, file, feed/sitemap/URL-list URL, or None/"sources")."""
    return discover_all(source, settings).candidates


def discover_all(source: str | None, settings: Settings) -> Discovery:
    """Like ``discover`` but also returns the log of feed/sitemap fetches and their rejects."""
    found = Discovery()
    with FetchState.for_settings(settings) as state, PoliteClient(settings) as client:
        walker = _Walker(settings, state, client, found)
        if source is None or source == "sources":
            for config in load_sources(settings.sources_path):
                if config.enabled:
                    walker.config(config)
        else:
            walker.location(source, _Origin(name=source), local_allowed=True)
        fresh = _unique(found.candidates)
        local = [c for c in fresh if c.path is not None]
        web: list[Candidate] = []
        if not settings.reprocess_from_archive:
            state.add_pending([(canonicalize_url(c.url), c) for c in fresh if c.path is None])
            # This run's new URLs join the queue behind those waiting from earlier runs.
            web = state.queue(settings.max_fetch_attempts)
        found.candidates = _unique(web + local)
        if settings.limit is not None:
            found.candidates = _within_limit(found.candidates, settings, state)
    found_now = {canonicalize_url(c.url) for c in fresh}
    logger.info(
        "discovered %d candidates (%d found in %s, %d queued from earlier runs)",
        len(found.candidates),
        len(fresh),
        source or "sources.yaml",
        sum(1 for c in found.candidates if canonicalize_url(c.url) not in found_now),
    )
    return found


def _within_limit(
    candidates: list[Candidate], settings: Settings, state: FetchState
) -> list[Candidate]:
    """The first ``settings.limit`` candidates still to fetch.

    Web URLs fetched in an earlier run pass through without counting: fetch skips them at no
    cost (and drops them from the queue), so they must not take the place of new work.
    """
    limit = settings.limit or 0
    replay = settings.refetch_known or settings.reprocess_from_archive
    out: list[Candidate] = []
    counted = 0
    for candidate in candidates:
        known = (
            not replay
            and candidate.path is None
            and state.fetched_sha256(canonicalize_url(candidate.url)) is not None
        )
        if known:
            out.append(candidate)
        elif counted < limit:
            out.append(candidate)
            counted += 1
    return out


def _unique(candidates: list[Candidate]) -> list[Candidate]:
    seen: set[str] = set()
    out = []
    for candidate in candidates:
        key = canonicalize_url(candidate.url)
        if key not in seen:
            seen.add(key)
            out.append(candidate)
    return out


class _Walker:
    def __init__(
        self, settings: Settings, state: FetchState, client: PoliteClient, found: Discovery
    ) -> None:
        self.settings = settings
        self.state = state
        self.client = client
        self.found = found

    def config(self, config: SourceConfig) -> None:
        origin = _Origin(
            config.name,
            config.outlet,
            config.language,
            config.max_items,
            config.rate_limit_per_s,
            config.kind,
        )
        self.location(config.location, origin, local_allowed=config.path is not None)

    def location(self, location: str, origin: _Origin, local_allowed: bool) -> None:
        if is_web_url(location):
            self.web_index(location, origin, depth=0)
            return
        path = (
            Path(url2pathname(urlsplit(location).path))
            if location.startswith("file:")
            else Path(location).expanduser()
        )
        if not local_allowed:
            logger.warning("ignoring local location %s from a web source", location)
        elif path.is_dir():
            self.add([_local(p, origin) for p in folder_articles(path)], origin)
        elif path.is_file():
            self.local_file(path, origin)
        else:
            self.reject(location, "missing_source", f"no such file, folder or URL: {location}")

    def local_file(self, path: Path, origin: _Origin) -> None:
        try:
            body = _read_local(path)
        except OSError as exc:
            self.reject(str(path), "unreadable_source", str(exc))
            return
        kind = detect_kind(body, None, path.name)
        if origin.kind == "urls":
            kind = "urls"
        if kind == "article":
            self.add([_local(path, origin)], origin)
            return
        self.index(body, kind, path.resolve().as_uri(), origin, depth=0, local=True)

    def web_index(self, url: str, origin: _Origin, depth: int) -> None:
        if self.settings.reprocess_from_archive:
            # Replays read pages from the archive; they never go back to the web.
            logger.info("reprocessing from the archive: not fetching %s", url)
            return
        key = canonicalize_url(url)
        started = time.monotonic()
        try:
            response = self.client.get(
                url, "feed", self.state.validators(key), origin.rate_limit_per_s
            )
        except FetchError as exc:
            logger.warning("cannot fetch index %s: %s", url, exc)
            self.found.log.append(
                FetchLogEntry(
                    url=url,
                    status=exc.status,
                    error=str(exc),
                    attempts=exc.attempts,
                    elapsed_s=round(time.monotonic() - started, 3),
                )
            )
            self.reject(url, exc.reason, str(exc))
            return
        self.found.log.append(
            FetchLogEntry(
                url=url,
                status=response.status,
                attempts=response.attempts,
                elapsed_s=round(response.elapsed_s, 3),
                not_modified=response.not_modified,
            )
        )
        if response.not_modified:
            logger.info("index %s not modified since the last run", url)
            return
        kind = detect_kind(response.body, response.content_type, urlsplit(url).path)
        if origin.kind == "urls":
            kind = "urls"
        if kind == "article":
            self.reject(url, "not_an_index", f"{url} is neither a feed, a sitemap nor a URL list")
            return
        if self.index(response.body, kind, response.final_url, origin, depth, local=False):
            # Validators only after a successful parse, so a broken feed is fetched again.
            self.state.save_validators(
                key, response.headers.get("etag"), response.headers.get("last-modified")
            )

    def index(
        self, body: bytes, kind: str, base: str, origin: _Origin, depth: int, local: bool
    ) -> bool:
        try:
            if kind == "feed":
                found = parse_feed(body, base)
            elif kind == "sitemap":
                found = parse_sitemap(body, base)
            else:
                found = Index(pages=parse_url_list(body, base))
        except HostileDocument as exc:
            self.reject(base, "bad_index", str(exc))
            return False
        candidates = []
        for url in found.pages:
            if url.startswith("file:") and local:
                path = Path(url2pathname(urlsplit(url).path))
                if path.is_file():
                    candidates.append(_local(path, origin, url))
                else:
                    self.reject(url, "missing_file", f"{url} listed in {base} does not exist")
            elif is_web_url(url):
                candidates.append(
                    Candidate(
                        url=url,
                        source=origin.name,
                        # The configured outlet first; else the feed's or sitemap's own name.
                        outlet=origin.outlet or found.outlets.get(url) or found.title,
                        language=origin.language or found.languages.get(url),
                    )
                )
            else:
                logger.warning("ignoring %s listed in %s: not http(s)", url, base)
        self.add(candidates, origin)
        for child in found.children:
            if depth + 1 > self.settings.max_sitemap_depth:
                logger.warning("not following %s: sitemap depth limit reached", child)
            elif is_web_url(child):
                self.web_index(child, origin, depth + 1)
            elif local and child.startswith("file:"):
                self.location(child, origin, local_allowed=True)
        return True

    def add(self, candidates: list[Candidate], origin: _Origin) -> None:
        if origin.max_items is not None:
            candidates = candidates[: origin.max_items]
        self.found.candidates.extend(candidates)

    def reject(self, url: str, reason: str, detail: str) -> None:
        self.found.rejects.append(Reject(stage="discover", reason=reason, url=url, detail=detail))


class LocalMeta(BaseModel):
    """Known provenance of a local file, from an optional ``<file>.meta.json`` beside it.

    Scraped text keeps no metadata, yet whoever saved it often knows the outlet and URL;
    the sidecar carries that knowledge instead of guessing it from the text.
    """

    model_config = ConfigDict(extra="forbid")
    url: str | None = None
    outlet: str | None = None
    language: str | None = None


def local_meta(path: Path) -> LocalMeta:
    sidecar = path.with_name(path.name + ".meta.json")
    if not sidecar.is_file():
        return LocalMeta()
    try:
        return LocalMeta.model_validate_json(sidecar.read_bytes())
    except ValidationError as error:
        # One bad sidecar must not stop the folder: the article still goes through, unlabelled.
        logger.warning("ignoring invalid metadata sidecar %s: %s", sidecar, error)
        return LocalMeta()


def _local(path: Path, origin: _Origin, url: str | None = None) -> Candidate:
    resolved = path.resolve()
    meta = local_meta(resolved)
    return Candidate(
        url=url or meta.url or resolved.as_uri(),
        source=origin.name,
        outlet=meta.outlet or origin.outlet,
        language=meta.language or origin.language,
        path=str(resolved),
    )


def _read_local(path: Path) -> bytes:
    if path.name.endswith(".gz"):
        with gzip.open(path, "rb") as handle:
            return handle.read(MAX_LOCAL_INDEX_BYTES)
    with path.open("rb") as handle:
        return handle.read(MAX_LOCAL_INDEX_BYTES)


def folder_articles(folder: Path) -> list[Path]:
    """Article files directly inside ``folder`` (not in subfolders), sorted by name."""
    return sorted(
        p for p in folder.iterdir() if p.is_file() and p.name.lower().endswith(ARTICLE_SUFFIXES)
    )


# Parsing (pure functions)


def detect_kind(body: bytes, content_type: str | None, name: str) -> str:
    """``feed``, ``sitemap``, ``urls`` or ``article``, from the content first."""
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml") or head.startswith(
        (b"<rss", b"<feed", b"<rdf", b"<urlset", b"<sitemapindex", b"<!doctype rss")
    ):
        return "sitemap" if re.search(rb"<(\w+:)?(urlset|sitemapindex)[\s/>]", head) else "feed"
    if content_type and ("rss" in content_type or "atom" in content_type):
        return "feed"
    if _is_url_list(body):
        return "urls"
    if name.lower().endswith((".xml", ".rss", ".atom")):
        return "feed"
    return "article"


def _is_url_list(body: bytes) -> bool:
    lines = [line.strip() for line in body[:200_000].splitlines()]
    lines = [line for line in lines if line and not line.startswith(b"#")]
    return bool(lines) and all(re.fullmatch(rb"(https?|file)://\S+", line) for line in lines)


def check_no_entities(body: bytes) -> None:
    # Feeds and sitemaps never need entity declarations; refusing them outright defeats
    # billion-laughs expansion and external entities whatever the parser would do.
    if re.search(rb"<!ENTITY", body, re.IGNORECASE):
        raise HostileDocument("document declares XML entities (refused)")


@dataclass
class Index:
    """What a feed, sitemap or URL list lists."""

    pages: list[str] = field(default_factory=list)
    children: list[str] = field(default_factory=list)  # sitemaps of a sitemap index
    title: str | None = None  # the feed's title
    languages: dict[str, str] = field(default_factory=dict)  # by page URL (news sitemaps)
    outlets: dict[str, str] = field(default_factory=dict)  # by page URL (news sitemaps)


def parse_feed(body: bytes, base_url: str) -> Index:
    """Article links of an RSS/Atom feed, absolute (relative ones resolve against the feed)."""
    check_no_entities(body)
    # No content-location for feedparser: it mangles file: bases; links are joined below.
    parsed = feedparser.parse(body)
    if not parsed.entries and parsed.get("bozo"):
        raise HostileDocument(f"not a readable feed: {parsed.get('bozo_exception')!r}")
    links = []
    for entry in parsed.entries:
        link = entry.get("link") or entry.get("id")
        if isinstance(link, str) and link.strip():
            links.append(urljoin(base_url, link.strip()))
    title = parsed.feed.get("title")
    title = " ".join(title.split())[:200] if isinstance(title, str) and title.strip() else None
    return Index(pages=links, title=title)


def parse_sitemap(body: bytes, base_url: str) -> Index:
    """Page URLs (with news languages and publication names) or child sitemaps."""
    check_no_entities(body)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, recover=False
    )
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise HostileDocument(f"not a readable sitemap: {exc}") from exc
    index = Index()
    publication = f"{{{NEWS_NS}}}news/{{{NEWS_NS}}}publication/{{{NEWS_NS}}}"
    local = etree.QName(root).localname
    for element in root:
        if not isinstance(element.tag, str):
            continue
        loc = element.findtext(f"{{{SITEMAP_NS}}}loc") or element.findtext("loc")
        if not loc or not loc.strip():
            continue
        url = urljoin(base_url, loc.strip())
        if local == "sitemapindex":
            index.children.append(url)
            continue
        index.pages.append(url)
        language = (element.findtext(publication + "language") or "").strip().lower()
        if re.fullmatch(r"[a-z]{2,3}", language):
            index.languages[url] = language
        name = " ".join((element.findtext(publication + "name") or "").split())
        if name:
            index.outlets[url] = name[:200]
    return index


def parse_url_list(body: bytes, base_url: str) -> list[str]:
    text = body.decode("utf-8", errors="replace")
    return [
        urljoin(base_url, line.strip())
        for line in text.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
