"""The extract stage: a fetched page or a local file becomes one Article, or a Reject saying why."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import logging
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import lxml.etree
import lxml.html

from newsflow.extract.html import (
    PAGE_PARSER,
    boilerplate_blocks,
    combine,
    drop_contained,
    extract_bodies,
    paragraphs,
    squash,
)
from newsflow.extract.language import detect_language
from newsflow.extract.metadata import PageMeta, domain_of, page_metadata
from newsflow.extract.text import clean_text, drop_signoff, split_captions
from newsflow.records import Article, Page, Reject, stable_id
from newsflow.settings import Settings

logger = logging.getLogger(__name__)

STAGE = "extract"
MIN_WORDS = 40
PROGRESS_EVERY = 25
HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
TEXT_SUFFIXES = (".txt", ".txt.gz")
_GZIP_MAGIC = b"\x1f\x8b"
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_BYLINE_LINE = re.compile(r"^By\s+[A-Z][\w.'’ -]{1,60}$")


class ExtractError(Exception):
    """Bad input for the extract stage; ``reason`` is the Reject reason."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Document:
    """Decoded input: text plus whether it is HTML."""

    text: str
    is_html: bool
    encoding: str


# ---------------------------------------------------------------- reading and decoding


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, gunzipped when it starts with gzip's magic number (whatever its name)."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ExtractError("decode_error", f"cannot read {path}: {exc}") from exc
    if size > max_bytes:
        raise ExtractError("too_large", f"{path.name} is {size} bytes, over the {max_bytes} cap")
    data = path.read_bytes()
    if not data.startswith(_GZIP_MAGIC):
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            plain = stream.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise ExtractError("decode_error", f"{path.name}: broken gzip data: {exc}") from exc
    if len(plain) > max_bytes:
        raise ExtractError(
            "too_large", f"{path.name} unpacks to over {max_bytes} bytes (cap max_page_bytes)"
        )
    return plain


def _header(headers: dict[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def _charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Text and the encoding used: BOM, then strict UTF-8, then the declared charset (HTTP
    header), then <meta charset>, then detection.

    UTF-8 goes before the declarations because servers often label UTF-8 pages ISO-8859-1 by
    default, which would decode without error into mojibake; text in another multi-byte or
    8-bit encoding almost never happens to be valid UTF-8.
    """
    boms = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
    for bom, name in boms:
        if data.startswith(bom):
            return data.decode(name, errors="replace").lstrip("\ufeff"), name
    candidates = ["utf-8", declared]
    meta = _META_CHARSET.search(data[:4096])
    if meta:
        candidates.append(meta.group(1).decode("ascii", "ignore"))
    for name in candidates:
        if not name:
            continue
        try:
            return data.decode(_python_codec(name)), name.lower()
        except (LookupError, UnicodeDecodeError):
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        raise ExtractError("decode_error", "cannot tell the text encoding")
    return data.decode(best.encoding, errors="replace"), best.encoding


def _python_codec(name: str) -> str:
    # Browsers read these labels as their supersets (WHATWG encoding standard).
    name = name.strip().lower()
    return {
        "iso-8859-1": "cp1252",
        "latin1": "cp1252",
        "latin-1": "cp1252",
        "ascii": "cp1252",
        "us-ascii": "cp1252",
        "ks_c_5601-1987": "cp949",
        "euc-kr": "cp949",
        "gb2312": "gb18030",
        "gbk": "gb18030",
        "shift_jis": "cp932",
    }.get(name, name)


def _looks_like_html(text: str) -> bool:
    head = text[:2048].lower()
    return any(
        tag in head
        for tag in ("<html", "<!doctype", "<head", "<body", "<meta", "<div", "<p>", "<article")
    )


def load_document(page: Page, settings: Settings) -> Document:
    path = Path(page.archive_path)
    data = read_bytes(path, settings.max_page_bytes)
    declared = _charset_from_content_type(page.content_type) or _charset_from_content_type(
        _header(page.headers, "content-type")
    )
    text, encoding = decode(data, declared)
    name = path.name.lower()
    if name.endswith(TEXT_SUFFIXES):
        is_html = False
    elif name.endswith(HTML_SUFFIXES):
        is_html = True
    else:  # an archive blob: trust the server's type, then the content
        content_type = (page.content_type or "").lower()
        is_html = "html" in content_type or (
            "text/plain" not in content_type and _looks_like_html(text)
        )
    return Document(text=text, is_html=is_html, encoding=encoding)


# ---------------------------------------------------------------- extraction


@dataclass
class Extracted:
    """One article's fields before they become an Article."""

    text: str
    provenance: str
    meta: PageMeta
    description: str | None = None


def _tidy_html_body(text: str, meta: PageMeta, boilerplate: list[str]) -> str:
    """Move caption lines the page marked up (<figcaption>) or glued to a credit out of the
    body; drop furniture blocks, a bare byline line, a reporter's sign-off and a repeat of the
    headline at the top."""
    text, _ = drop_contained(text, meta.captions)
    text, _ = drop_contained(text, boilerplate)
    lines, captions = split_captions(paragraphs(text))
    meta.captions.extend(c for c in captions if c not in meta.captions)
    lines = drop_signoff([line for line in lines if not _BYLINE_LINE.match(line)])
    # Short headings of furniture boxes ("The Morning Brief") are too short for the
    # containment test above anywhere in the body, but at its edges they are furniture.
    blocks = [squash(b) for b in boilerplate]
    while lines and len(lines[-1].split()) <= 6 and any(squash(lines[-1]) in b for b in blocks):
        lines.pop()
    while lines and len(lines[0].split()) <= 6 and any(squash(lines[0]) in b for b in blocks):
        lines.pop(0)
    if (
        lines
        and meta.title
        and re.sub(r"\W+", "", lines[0]).casefold() == re.sub(r"\W+", "", meta.title).casefold()
    ):
        lines = lines[1:]
    return "\n".join(lines)


def extract_html(html: str, url: str | None, language_hint: str | None = None) -> Extracted:
    """Body and metadata of an HTML page (no size or length checks)."""
    source = _XML_DECL.sub("", html, count=1)  # lxml refuses str input with an XML declaration
    if not source.strip():
        raise ExtractError("no_body", "empty page")
    try:
        tree = lxml.html.fromstring(source, parser=PAGE_PARSER)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ExtractError("parse_error", f"HTML did not parse: {exc}") from exc
    meta = page_metadata(tree, url)
    boilerplate = boilerplate_blocks(tree)  # read before newspaper4k reworks the tree
    hint = meta.language or language_hint
    bodies = extract_bodies(source, url, hint, meta.title, tree=tree)
    text, provenance = combine(bodies)
    text = _tidy_html_body(text, meta, boilerplate)
    return Extracted(text=text, provenance=provenance, meta=meta, description=meta.description)


def extract_plain_text(raw: str, url: str | None) -> Extracted:
    cleaned = clean_text(raw)
    meta = PageMeta(
        title=cleaned.title,
        authors=cleaned.authors,
        captions=cleaned.captions,
        domain=domain_of(url) if url and url.startswith("http") else None,
    )
    return Extracted(
        text=cleaned.text, provenance="text-cleaner", meta=meta, description=cleaned.standfirst
    )


def canonical_form(url: str) -> str:
    try:
        from newsflow.urls import canonicalize_url
    except ImportError:  # pragma: no cover - urls.py is part of the package
        return url
    return canonicalize_url(url)


def content_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.lower().split()).encode("utf-8")).hexdigest()


def _build(page: Page, extracted: Extracted, settings: Settings) -> Article:
    text = extracted.text.strip()
    if len(text) > settings.max_text_chars:
        raise ExtractError(
            "too_large",
            f"text is {len(text)} characters, over the {settings.max_text_chars} cap",
        )
    words = len(text.split())
    if words < MIN_WORDS:
        raise ExtractError("no_body", f"body has {words} words, fewer than {MIN_WORDS}")
    meta = extracted.meta
    url = page.final_url or page.url
    canonical_url = canonical_form(meta.canonical_url or url)
    language = detect_language(text, meta.language or page.language)
    return Article(
        article_id=stable_id(canonical_url),
        url=url,
        canonical_url=canonical_url,
        source=page.source,
        outlet=meta.outlet or page.outlet,
        domain=meta.domain
        or domain_of(canonical_url if canonical_url.startswith("http") else None),
        title=meta.title,
        authors=meta.authors,
        published_at=meta.published_at,
        language=language,
        text=text,
        captions=meta.captions,
        top_image=meta.top_image,
        word_count=words,
        provenance=extracted.provenance,
        content_hash=content_hash(text),
        fetched_at=page.fetched_at,
    )


def _extract(page: Page, settings: Settings) -> tuple[Article, Extracted]:
    document = load_document(page, settings)
    url = page.final_url or page.url
    if document.is_html:
        extracted = extract_html(document.text, url, page.language)
    else:
        extracted = extract_plain_text(document.text, url)
    return _build(page, extracted, settings), extracted


def _reject(page: Page, reason: str, detail: str) -> Reject:
    return Reject(
        stage=STAGE,
        reason=reason,
        url=page.final_url or page.url,
        detail=detail,
        raw=page.model_dump_json(),
    )


def extract_page(page: Page, settings: Settings) -> Article | Reject:
    """One page's Article, or a Reject (no_body, too_large, decode_error, parse_error)."""
    try:
        return _extract(page, settings)[0]
    except ExtractError as exc:
        return _reject(page, exc.reason, exc.detail)
    except Exception as exc:  # an unforeseen failure on one page must not stop the batch
        logger.exception("extract failed on %s", page.url)
        return _reject(page, "parse_error", f"{type(exc).__name__}: {exc}")


def extract_pages(pages: list[Page], settings: Settings) -> tuple[list[Article], list[Reject]]:
    articles: list[Article] = []
    rejects: list[Reject] = []
    for index, page in enumerate(pages, start=1):
        result = extract_page(page, settings)
        if isinstance(result, Article):
            articles.append(result)
        else:
            rejects.append(result)
        if index % PROGRESS_EVERY == 0:
            logger.info(
                "extract: %d/%d pages, %d articles, %d rejects",
                index,
                len(pages),
                len(articles),
                len(rejects),
            )
    reasons: dict[str, int] = {}
    for reject in rejects:
        reasons[reject.reason] = reasons.get(reject.reason, 0) + 1
    logger.info(
        "extract: %d pages -> %d articles, %d rejects %s",
        len(pages),
        len(articles),
        len(rejects),
        json.dumps(reasons, sort_keys=True),
    )
    return articles, rejects


# ---------------------------------------------------------------- CLI


def _expand(paths: list[str]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.name.lower().endswith((*HTML_SUFFIXES, ".txt")):
                    yield child
        else:
            yield path


def _local_page(path: Path, url: str | None) -> Page:
    try:
        data = path.read_bytes() if path.stat().st_size <= 1 << 30 else b""
    except OSError:
        data = b""
    page_url = url or path.resolve().as_uri()
    return Page(
        url=page_url,
        final_url=page_url,
        source="cli",
        archive_path=str(path),
        content_sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )


def parse_paths(paths: list[str], url: str | None, settings: Settings) -> Iterator[dict]:
    """One JSON-able dict per input file (directories expanded); failures become error dicts."""
    for path in _expand(paths):
        if not path.is_file():
            yield {"path": str(path), "error": "no such file", "reason": "decode_error"}
            continue
        page = _local_page(path, url)
        try:
            article, extracted = _extract(page, settings)
        except ExtractError as exc:
            yield {"path": str(path), "error": exc.detail, "reason": exc.reason}
            continue
        except Exception as exc:  # keep going through the other inputs
            logger.exception("parse failed on %s", path)
            yield {
                "path": str(path),
                "error": f"{type(exc).__name__}: {exc}",
                "reason": "parse_error",
            }
            continue
        record = article.model_dump(mode="json")
        record["description"] = extracted.description
        yield {"path": str(path), **record}
