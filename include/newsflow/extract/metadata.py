"""Article metadata from an HTML page: title, authors, date, outlet, canonical URL, image, captions.

Structured data (JSON-LD, Open Graph, article:* meta tags) is preferred to visible markup, and
a value that cannot be read with confidence is left empty rather than guessed.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement

logger = logging.getLogger(__name__)

_SPACE = re.compile(r"\s+")
_BYLINE_PREFIX = re.compile(
    r"^\s*(?:(?:written\s+)?by|text|words|story|reporting)\s*[:\s]\s*", re.IGNORECASE
)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&|\||·|•|\s[-–—]\s)\s*", re.IGNORECASE)
# Korean bylines end in a job word: "박지민 기자" (reporter), "특파원" (correspondent).
_TRAILING_ROLE = re.compile(r"\s+(?:기자|특파원|논설위원|선임기자|корреспондент)$")
_EMAIL = re.compile(r"\S+@\S+\.\w+")
# Trailing role words that bylines glue to names ("Jane Doe, Staff Writer").
_ROLE = re.compile(
    r"\b(?:staff|senior|chief|correspondent|reporter|writer|editor|contributor|columnist|"
    r"photographer|agency|newsroom)\b",
    re.IGNORECASE,
)
_EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)


@dataclass
class PageMeta:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    outlet: str | None = None
    domain: str | None = None
    canonical_url: str | None = None
    top_image: str | None = None
    description: str | None = None
    language: str | None = None  # from <html lang> or og:locale, a hint only
    captions: list[str] = field(default_factory=list)


def clean(text: str | None) -> str:
    return _SPACE.sub(" ", text or "").strip()


_META_KEYS = ("property", "name", "itemprop")
MetaTags = dict[tuple[str, str], list[str]]


def meta_tags(tree: HtmlElement) -> MetaTags:
    """The page's <meta> contents by (attribute, value), in page order: one pass over the page
    instead of one search per name asked for."""
    tags: MetaTags = {}
    for node in tree.getroottree().iter("meta"):
        content = node.get("content")
        if content is None:
            continue
        for attr in _META_KEYS:
            value = node.get(attr)
            if value is not None:
                tags.setdefault((attr, value), []).append(content)
    return tags


def _meta(tags: MetaTags, *names: str) -> str | None:
    """First non-empty <meta> content among property/name/itemprop values, in the given order."""
    for name in names:
        for attr in _META_KEYS:
            for value in tags.get((attr, name), ()):
                if clean(value):
                    return clean(value)
    return None


def _json_ld_objects(tree: HtmlElement) -> Iterator[dict]:
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            data = json.loads(script)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if "@graph" in item:
                    stack.append(item["@graph"])
                yield item


_ARTICLE_TYPES = {
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "blogposting",
    "report",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "webpage",
    "liveblogposting",
}


def _ld_types(item: dict) -> set[str]:
    kind = item.get("@type", [])
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds}


def _names(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [name for v in value for name in _names(v)]
    return []


def split_authors(raw: str) -> list[str]:
    """'By Jane Doe and John Roe, Staff Writers' -> ['Jane Doe', 'John Roe']."""
    raw = _BYLINE_PREFIX.sub("", _EMAIL.sub("", clean(raw)))
    people = []
    for part in _AUTHOR_SPLIT.split(raw):
        part = _TRAILING_ROLE.sub("", _BYLINE_PREFIX.sub("", part).strip(" .-–—"))
        part = re.sub(r"^(?:Dr|Prof|Mr|Mrs|Ms)\.?\s+", "", part)
        if not part or _ROLE.search(part) or part.startswith(("http", "@")):
            continue
        if any(ch.isdigit() for ch in part):  # a date or a count glued to the byline
            continue
        words = part.split()
        # A name is a few words, not all lowercase (scripts without case pass); longer runs
        # are sentences, not bylines.
        if 1 <= len(words) <= 5 and not all(w[:1].islower() for w in words):
            people.append(part)
    return people


def _dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        key = item.casefold()
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


# Zones that news sites print after a time; dateutil does not know them.
_ZONES = {
    "UTC": 0,
    "GMT": 0,
    "KST": 9,
    "JST": 9,
    "MSK": 3,
    "CET": 1,
    "CEST": 2,
    "EET": 2,
    "EEST": 3,
    "BST": 1,
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "PST": -8,
    "PDT": -7,
}


_TZINFOS = {name: hours * 3600 for name, hours in _ZONES.items()}
_AMBIGUOUS_DAY_MONTH = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}")


def parse_datetime(raw: str | None, now: datetime | None = None) -> datetime | None:
    """An ISO-like timestamp as aware UTC, or None; naive times are taken as UTC.

    A date-only value becomes midnight UTC of that day. Values before 1990 or more than a day
    in the future are treated as wrong and dropped.
    """
    if not raw:
        return None
    text = raw.strip().replace("Z", "+00:00")
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text)  # +0900 -> +09:00
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        ambiguous = _AMBIGUOUS_DAY_MONTH.match(raw)
        if ambiguous and int(ambiguous[1]) <= 12 and int(ambiguous[2]) <= 12:
            return None  # 05/10/2018: May or October? Guessing would make a date up.
        from dateutil import parser as date_parser

        try:
            value = date_parser.parse(raw, tzinfos=_TZINFOS)
        except (ValueError, OverflowError):
            return None
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    latest = (now or datetime.now(UTC)) + timedelta(days=1)
    if not (_EARLIEST <= value <= latest):
        return None
    return value


def parse_visible_date(raw: str) -> datetime | None:
    """A printed date with a time and a zone ('24 October 2024, 19:05 MSK'), else None.

    Without a zone the instant is unknown, so the value is left to htmldate (date only).
    """
    text = clean(raw)
    zone = re.search(r"\b([A-Z]{3,4})\b\s*$|([+-]\d{2}:?\d{2})\s*$", text)
    if not zone or not re.search(r"\d{1,2}:\d{2}", text):
        return None
    from dateutil import parser as date_parser

    try:
        value = date_parser.parse(text, tzinfos=_TZINFOS, fuzzy=True)
    except (ValueError, OverflowError):
        return None
    return parse_datetime(value.isoformat()) if value.tzinfo else None


def _published(
    tree: HtmlElement, tags: MetaTags, ld: list[dict], url: str | None
) -> datetime | None:
    candidates: list[str | None] = [
        str(i.get("datePublished")) for i in ld if i.get("datePublished")
    ]
    candidates.append(
        _meta(
            tags,
            "article:published_time",
            "og:published_time",
            "datePublished",
            "pubdate",
            "publishdate",
            "date",
            "dc.date.issued",
            "DC.date.issued",
            "sailthru.date",
            "parsely-pub-date",
        )
    )
    candidates.extend(tree.xpath("//article//time/@datetime | //time/@datetime")[:1])
    for raw in candidates:
        value = parse_datetime(raw)
        if value is not None:
            return value
    for raw in tree.xpath('//*[contains(@class, "date") and not(*)]/text()')[:3]:
        value = parse_visible_date(raw)
        if value is not None:
            return value
    try:
        from htmldate import find_date

        found = find_date(
            tree,
            url=url,
            original_date=True,
            extensive_search=False,
            outputformat="%Y-%m-%dT%H:%M:%S%z",
        )
    except Exception as exc:  # htmldate on odd markup must not lose the article
        logger.debug("htmldate failed on %s: %s", url, exc)
        return None
    return parse_datetime(found)


def _title(tree: HtmlElement, tags: MetaTags, ld: list[dict], site: str | None) -> str | None:
    for item in ld:
        if _ld_types(item) & _ARTICLE_TYPES - {"webpage"} and item.get("headline"):
            return clean(str(item["headline"]))
    for title in (_meta(tags, "og:title", "twitter:title"), *tree.xpath("//h1//text()")[:1]):
        if clean(title):
            return _strip_site(clean(title), site)
    raw = clean(" ".join(tree.xpath("//title//text()")))
    return _strip_site(raw, site) or None


def _strip_site(title: str, site: str | None) -> str:
    # "Headline | Outlet" / "Headline - Outlet": drop the outlet part.
    parts = re.split(r"\s+[|–—-]\s+|\s+::\s+", title)
    if len(parts) > 1:
        tail = parts[-1].casefold()
        if (site and (tail in site.casefold() or site.casefold() in tail)) or len(
            parts[-1].split()
        ) <= 3:
            return " - ".join(parts[:-1]).strip()
    return title


def _authors(tree: HtmlElement, ld: list[dict]) -> list[str]:
    names: list[str] = []
    for item in ld:
        if _ld_types(item) & _ARTICLE_TYPES:
            for raw in _names(item.get("author")):
                names.extend(split_authors(raw))
    if not names:
        for raw in tree.xpath(
            '//meta[@name="author" or @property="article:author" '
            'or @name="byl" or @name="parsely-author"]/@content'
        ):
            names.extend(split_authors(raw))
    if not names:
        for node in tree.xpath(
            '//*[@rel="author"] | //*[@itemprop="author"] | '
            '//*[contains(@class, "byline")] | //*[contains(@class, "author")]'
            ' | //*[contains(@class, "reporter")]'
        ):
            text = clean(node.text_content())
            if text and len(text.split()) <= 8:
                names.extend(split_authors(text))
            if names:
                break
    return _dedupe(names)


_CAPTION_CLASSES = ("caption", "credit", "picture-text", "photo-text", "image-text", "img-text")
_CAPTION_LINK = re.compile(
    r"licens|purchase|buy|reprint|download|enlarge|expand|view", re.IGNORECASE
)


def _caption_text(node: HtmlElement) -> str:
    # Links such as "Purchase Licensing Rights" are furniture inside the caption.
    parts = []
    for piece in node.xpath(".//text()"):
        in_link = piece.is_text and piece.getparent().tag == "a"
        if in_link and _CAPTION_LINK.search(piece):
            continue
        parts.append(piece)
    return clean("".join(parts))


def _caption_nodes(tree: HtmlElement) -> list[HtmlElement]:
    """<figcaption> and elements whose class names a caption or credit, in page order.

    One pass in Python: an XPath union of class-substring tests scanned the page once per test.
    """
    nodes = []
    for node in tree.getroottree().iter(etree.Element):
        if node.tag == "figcaption":
            nodes.append(node)
            continue
        names = node.get("class")
        if names and any(c in names for c in _CAPTION_CLASSES):
            nodes.append(node)
    return nodes


def _captions(tree: HtmlElement) -> list[str]:
    texts = []
    for node in _caption_nodes(tree):
        if node.xpath("ancestor::figcaption"):
            continue
        text = _caption_text(node)
        if text and len(text) < 600:
            texts.append(text)
    # A credit inside a caption also matches on its own; keep the longest form only.
    kept = [t for t in texts if not any(t != o and t in o for o in texts)]
    return _dedupe(kept)


def domain_of(url: str | None) -> str | None:
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


def _absolute(base: str | None, href: str | None) -> str | None:
    """``href`` resolved against the page URL; None unless that gives a web URL (a relative
    link in a local file would otherwise become a made-up file: URL)."""
    if not href or not href.strip():
        return None
    joined = urljoin(base or "", href.strip())
    return joined if joined.startswith(("http://", "https://")) else None


def page_metadata(tree: HtmlElement, url: str | None) -> PageMeta:
    """Everything but the body, read from the parsed page."""
    ld = list(_json_ld_objects(tree))
    tags = meta_tags(tree)
    site = _meta(tags, "og:site_name", "application-name") or next(
        (
            clean(str(p.get("name")))
            for i in ld
            for p in [i.get("publisher")]
            if isinstance(p, dict) and p.get("name")
        ),
        None,
    )
    canonical = next(iter(tree.xpath('//link[@rel="canonical"]/@href')), None)
    image = _meta(tags, "og:image", "og:image:url", "twitter:image", "twitter:image:src")
    lang = next(iter(tree.xpath("/html/@lang | //html/@lang")), None) or _meta(tags, "og:locale")
    return PageMeta(
        title=_title(tree, tags, ld, site),
        authors=_authors(tree, ld),
        published_at=_published(tree, tags, ld, url),
        outlet=site,
        domain=domain_of(url),
        canonical_url=_absolute(url, canonical),
        top_image=_absolute(url, image),
        description=_meta(tags, "og:description", "description", "twitter:description"),
        language=clean(lang).replace("_", "-").split("-")[0].lower() or None if lang else None,
        captions=_captions(tree),
    )
