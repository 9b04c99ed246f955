"""Article body from HTML: newspaper4k and trafilatura, combined paragraph by paragraph.

How each fails on the article-extraction benchmark decides the combination:

* trafilatura (default settings) has the best recall, but sometimes emits a block twice, or keeps
  boilerplate around the article (related links, "About the company" footers, teasers).
* trafilatura with ``favor_precision`` drops much of that, but sometimes drops real paragraphs
  or returns nothing.
* newspaper4k picks one DOM subtree: precise, but it misses paragraphs outside that subtree and
  fails outright on some pages; on a few pages it is the only one that finds the whole article
  (trafilatura stopped early).

So the combination takes trafilatura's paragraphs as candidates and keeps each one that at least
one of the two other extractions also contains (a paragraph vote, counting repeats: a paragraph
emitted twice needs a voter that has it twice). When newspaper4k's text contains all of
trafilatura's and is much longer, trafilatura truncated the article and newspaper4k's text wins.
When a voter is missing or saw a different part of the page, it abstains.
"""

from __future__ import annotations

import logging
import re
import string
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import lxml.etree
import lxml.html
import trafilatura
import trafilatura.utils as trafilatura_utils
from lxml.html import HtmlElement

with warnings.catch_warnings():
    # newspaper4k warns at import that nltk is missing; only its NLP extras (unused) need it.
    warnings.simplefilter("ignore", UserWarning)
    from newspaper import parsers as np_parsers
    from newspaper import text as np_text
    from newspaper.cleaners import DocumentCleaner
    from newspaper.configuration import Configuration
    from newspaper.extractors import defines as np_defines
    from newspaper.extractors.articlebody_extractor import ArticleBodyExtractor
    from newspaper.outputformatters import OutputFormatter

logger = logging.getLogger(__name__)

_WORD = re.compile(r"\w+")
SHINGLE = 4
# A paragraph counts as "in" another extraction when this share of its shingles is there.
SUPPORT = 0.5
# newspaper4k replaces trafilatura when it holds nearly all of it and is this much longer.
SUPERSET_COVERAGE = 0.9
SUPERSET_RATIO = 1.5
# A voter that holds less than this share of the candidate text saw another part of the page.
ABSTAIN_COVERAGE = 0.5


@dataclass(frozen=True)
class Bodies:
    """The three single-extractor bodies of one page ('' when an extractor found nothing)."""

    trafilatura: str
    trafilatura_precision: str
    newspaper: str


def _tokens(text: str) -> list[str]:
    if text.isascii():  # lowering first is the same there, and one call instead of one a word
        return _WORD.findall(text.lower())
    return [t.lower() for t in _WORD.findall(text)]


def _shingles(tokens: list[str]) -> list[tuple[str, ...]]:
    return list(zip(*(tokens[i:] for i in range(SHINGLE)), strict=False))


def squash(text: str) -> str:
    # Paragraphs too short for shingles (and CJK text, where \w+ spans a whole clause) are
    # compared as word characters only, so spacing and punctuation differences do not matter.
    return "".join(_tokens(text))


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


@lru_cache(maxsize=8)
def _profile(text: str) -> tuple[Counter[tuple[str, ...]], str]:
    """Shingle counts and squashed form of a whole extraction (each is needed several times)."""
    tokens = _tokens(text)
    return Counter(_shingles(tokens)), "".join(tokens)


def coverage(part: str, whole: str) -> float:
    """Share of ``part``'s distinct shingles that ``whole`` also has.

    Distinct, so that a block ``part`` repeats does not make ``whole`` look like a stranger.
    """
    mine = _profile(part)[0]
    if not mine:
        return 0.0
    theirs = _profile(whole)[0]
    return sum(1 for shingle in mine if shingle in theirs) / len(mine)


class _Voter:
    """One extraction's opinion on candidate paragraphs; a kept paragraph uses up its shingles."""

    def __init__(self, text: str) -> None:
        counts, self.squashed = _profile(text)
        self.available = counts.copy()

    def supports(self, paragraph: str, tokens: list[str]) -> bool:
        shingles = _shingles(tokens)
        if len(shingles) < 2:
            squashed = squash(paragraph)
            return bool(squashed) and squashed in self.squashed
        wanted = Counter(shingles)
        found = sum(min(n, self.available[s]) for s, n in wanted.items())
        return found / len(shingles) >= SUPPORT

    def consume(self, tokens: list[str]) -> None:
        self.available.subtract(Counter(_shingles(tokens)))


def combine(bodies: Bodies) -> tuple[str, str]:
    """Body text and its provenance (which method produced it)."""
    full, precise, news = bodies.trafilatura, bodies.trafilatura_precision, bodies.newspaper
    if not full and not precise:
        return news, "newspaper4k" if news else "none"
    if not news:
        return (precise, "trafilatura:precision") if precise else (full, "trafilatura")
    base = full or precise
    if len(news) >= SUPERSET_RATIO * len(base) and coverage(base, news) >= SUPERSET_COVERAGE:
        return news, "newspaper4k:superset"
    voters = [_Voter(news)]
    if precise and coverage(base, precise) >= ABSTAIN_COVERAGE:
        voters.append(_Voter(precise))
    if len(voters) == 1 and coverage(base, news) < ABSTAIN_COVERAGE:
        # newspaper4k picked another block and trafilatura's precise mode found nothing.
        return base, "trafilatura"
    kept: list[str] = []
    for paragraph in paragraphs(base):
        tokens = _tokens(paragraph)
        if any(voter.supports(paragraph, tokens) for voter in voters):
            kept.append(paragraph)
            for voter in voters:
                voter.consume(tokens)
    return "\n".join(kept), "vote:trafilatura+newspaper4k"


def precision_vote_needed(full: str, news: str) -> bool:
    """Whether trafilatura's precise run can change ``combine``'s result (it is skipped if not).

    It cannot when newspaper4k already supports every paragraph of the full run, or replaces it.
    """
    if not full or not news:
        return True
    if len(news) >= SUPERSET_RATIO * len(full) and coverage(full, news) >= SUPERSET_COVERAGE:
        return False
    voter = _Voter(news)
    for paragraph in paragraphs(full):
        tokens = _tokens(paragraph)
        if not voter.supports(paragraph, tokens):
            return True
        voter.consume(tokens)
    return False


_BOILERPLATE = re.compile(
    r"newsletter|subscri|sign-?up|promo|teaser|paywall|related|share|social|cookie|consent|"
    r"advert|sponsor|recommend|popular|trending|comment|footer|breadcrumb|tags?\b",
    re.IGNORECASE,
)
_BOILERPLATE_LOWER = re.compile(_BOILERPLATE.pattern)
BOILERPLATE_MAX_CHARS = 400


def boilerplate_blocks(tree: HtmlElement) -> list[str]:
    """Texts of small page blocks whose class or id names them furniture (newsletter boxes,
    share bars, related links). Large blocks are skipped: sites also put whole articles in
    containers with names like "paywall" or "share-wrapper"."""
    texts = []
    for node in tree.xpath("//*[@class or @id]"):
        if not _names_furniture(f"{node.get('class', '')} {node.get('id', '')}"):
            continue
        text = " ".join(node.text_content().split())
        if 0 < len(text) <= BOILERPLATE_MAX_CHARS:
            texts.append(text)
    return texts


def _names_furniture(names: str) -> bool:
    # A case-insensitive search costs several times a case-sensitive one on lowered text, and
    # runs for every named element of the page; for ASCII names the two agree exactly.
    if names.isascii():
        return _BOILERPLATE_LOWER.search(names.lower()) is not None
    return _BOILERPLATE.search(names) is not None


def drop_contained(text: str, blocks: list[str], min_chars: int = 20) -> tuple[str, list[str]]:
    """Remove paragraphs that lie wholly inside one of ``blocks``: (text, removed)."""
    squashed = [squash(b) for b in blocks]
    kept, removed = [], []
    for paragraph in paragraphs(text):
        key = squash(paragraph)
        if len(key) >= min_chars and any(key in block for block in squashed):
            removed.append(paragraph)
        else:
            kept.append(paragraph)
    return "\n".join(kept), removed


def trafilatura_body(
    html: str | HtmlElement, url: str | None, *, precision: bool, fast: bool = False
) -> str:
    # ``fast`` skips trafilatura's readability/jusText fallback. The full run keeps it: it
    # rescues pages whose article is <br>-separated text in one <div>, where the main pass
    # returns the whole page.
    text = trafilatura.extract(
        html,
        url=url,
        include_comments=False,
        include_tables=True,
        favor_precision=precision,
        fast=fast,
        with_metadata=False,
        deduplicate=False,
    )
    return text or ""


def newspaper_body(
    html: str, language: str | None, title: str | None, doc: HtmlElement | None = None
) -> str:
    """newspaper4k's body extraction alone (no author, date or image passes: they are slow).

    This is what ``newspaper.Article(url, language=..., fetch_images=False).parse()`` does for
    the text, minus the metadata extractors, whose work metadata.py does once for the page.
    ``doc``, the page already parsed by lxml the way newspaper4k parses it, saves a parse; it
    is modified.
    """
    config = _newspaper_config(_newspaper_language(language))
    if doc is None:
        doc = np_parsers.fromstring(html)
    if doc is None:
        return ""
    with _FAST_NEWSPAPER:
        extractor = _BodyExtractor(config)
        extractor.parse(doc)
        if extractor.top_node is None:
            return ""
        node = DocumentCleaner(config).clean(extractor.top_node_complemented)
        text, _ = OutputFormatter(config).get_formatted(node, title)
    return text or ""


def _body_tag_rules() -> list[tuple[str | None, list[tuple[str, Callable | None, str]], int]]:
    """newspaper4k's ARTICLE_BODY_TAGS as (tag, [(attribute, regex search or None, lowered
    value)], score boost), compiled once."""
    rules = []
    for entry in np_defines.ARTICLE_BODY_TAGS:
        checks = []
        for key, value in entry.items():
            if key in ("tag", "score_boost"):
                continue
            if value.startswith("re:"):
                checks.append((key, re.compile(value[3:], re.IGNORECASE).search, ""))
            else:
                checks.append((key, None, value.lower()))
        rules.append((entry.get("tag"), checks, entry["score_boost"]))
    return rules


class _BodyExtractor(ArticleBodyExtractor):
    """newspaper4k's body extractor, same scores, less work: its per-node container check
    (every candidate node against each rule, through dict walks and regex look-ups) is
    precompiled, and node texts are cached while the page is scored."""

    rules = _body_tag_rules()

    def parse(self, doc: HtmlElement) -> None:
        # Scoring asks for the same nodes' texts again and again (a node, then for its link
        # density, links inside nested blocks) but only sets attributes: cache them meanwhile.
        _FAST_NEWSPAPER.texts, _FAST_NEWSPAPER.names = {}, {}
        try:
            super().parse(doc)
        finally:
            _FAST_NEWSPAPER.texts = _FAST_NEWSPAPER.names = None

    def is_highly_likely(self, node: HtmlElement) -> int:
        scores = []
        for tag, checks, boost in self.rules:
            if tag is not None and node.tag != tag:
                continue
            for key, search, lowered in checks:
                value = node.get(key, "")
                if not (search(value) if search is not None else value.lower() == lowered):
                    break
            else:
                scores.append(boost)
        return max(scores) if scores else 0


@lru_cache(maxsize=32)
def _newspaper_config(language: str) -> Configuration:
    # Built once per language: setting a language makes newspaper4k list its stop-word files.
    # The body extraction only reads the configuration.
    config = Configuration()
    config.fetch_images = False
    config.language = language
    return config


@lru_cache(maxsize=1)
def _newspaper_languages() -> frozenset[str]:
    from newspaper.languages import get_available_languages

    return frozenset(get_available_languages())


_UNUSABLE_LANGUAGES: set[str] = set()


def _newspaper_language(language: str | None) -> str:
    if not language or language in _UNUSABLE_LANGUAGES or language not in _newspaper_languages():
        return "en"
    try:
        # Some languages need optional packages (nltk, jieba, ...) that are not installed;
        # English stop words still let newspaper4k find the text block.
        np_text.StopWords(language).tokenizer("probe")
    except Exception:
        _UNUSABLE_LANGUAGES.add(language)
        return "en"
    return language


def _guarded(name: str, url: str | None, run: Callable[[], str]) -> str:
    try:
        return run()
    except Exception as exc:  # a library bug on one page must not lose the page
        logger.warning("%s failed on %s: %s", name, url, exc)
        return ""


def html_parser(**options: object) -> lxml.html.HTMLParser:
    """An lxml.html parser that gives every element the plain ``HtmlElement`` class.

    lxml.html's own parsers pick each element's class (forms, inputs, ...) in a Python
    callback every time lxml hands out an element, and the extractors walk the tree many
    times over: this C-level lookup makes the HTML path about 7% faster. The extractors use
    none of the special classes (their output is the same on the benchmark pages).
    """
    parser = lxml.html.HTMLParser(**options)
    parser.set_element_class_lookup(
        lxml.etree.ElementDefaultClassLookup(
            element=lxml.html.HtmlElement,
            comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction,
            entity=lxml.html.HtmlEntity,
        )
    )
    return parser


# lxml.html.fromstring's parser, and trafilatura's (trafilatura.utils.HTML_PARSER).
PAGE_PARSER = html_parser()
_TRAFILATURA_PARSER = html_parser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
)


def _guarded_tree(html: str) -> str | HtmlElement:
    """``html`` parsed by trafilatura's loader (with the parser above in place of its own,
    same options), or ``html`` itself if that fails."""
    original = getattr(trafilatura_utils, "HTML_PARSER", None)
    try:
        if original is not None:
            trafilatura_utils.HTML_PARSER = _TRAFILATURA_PARSER
        tree = trafilatura_utils.load_html(html)
    except Exception:  # trafilatura then fails (and is guarded) on the string itself
        return html
    finally:
        if original is not None:
            trafilatura_utils.HTML_PARSER = original
    return html if tree is None else tree


def extract_bodies(
    html: str,
    url: str | None,
    language: str | None,
    title: str | None,
    *,
    lazy: bool = True,
    tree: HtmlElement | None = None,
) -> Bodies:
    """Run the single extractors; one that crashes counts as finding nothing.

    With ``lazy`` the precise trafilatura run is skipped when it cannot change the vote.
    ``tree`` (lxml.html.fromstring of ``html``, ``PAGE_PARSER`` or not) is handed to
    newspaper4k, which modifies it.
    """
    # Parsed once for both trafilatura runs, the way trafilatura parses; it works on a copy.
    source = _guarded_tree(html)
    full = _guarded("trafilatura", url, lambda: trafilatura_body(source, url, precision=False))
    news = _guarded("newspaper4k", url, lambda: newspaper_body(html, language, title, tree))
    precise = ""
    if not lazy or precision_vote_needed(full, news):
        # As a voter beside newspaper4k the precise run needs no readability/jusText fallback
        # (same votes on the benchmark, a third of its time); alone it is the answer and does.
        precise = _guarded(
            "trafilatura:precision",
            url,
            lambda: trafilatura_body(source, url, precision=True, fast=bool(news)),
        )
    return Bodies(full, precise, news)


class _FastNewspaper:
    """Remove per-call costs from newspaper4k 0.9.x's body extraction while in this block;
    the results are unchanged (checked call by call on the 181 benchmark pages).

    Its link-density check builds a new ``StopWords`` (file stat, module import) for every DOM
    node; its tokenizer rebuilds a Unicode translation table on every call and is asked for
    the same texts again and again; its ``get_text`` deep-copies the node (to strip scripts
    and comments) each time; its regex attribute searches go through XPath with a Python
    callback per node; and scoring scans every <div> six times with XPath string functions.
    Inside the block the first ones are computed once, ``get_text`` copies only nodes that
    hold something to strip, regex searches run in Python, and, while a page is scored (see
    ``_BodyExtractor.parse``), node texts and normalised names are cached. The module
    attributes are restored on exit, so other users of newspaper4k see the library as shipped
    (not thread-safe: the extract stage runs one page at a time per process).
    """

    def __init__(self) -> None:
        # Node texts and normalised class/id names, kept only while a page is scored (only
        # newspaper4k's score attributes change then).
        self.texts: dict[HtmlElement, str] | None = None
        self.names: dict[tuple, list[tuple[HtmlElement, str]]] | None = None
        self.usable = (
            hasattr(np_text, "punctuation")
            and hasattr(np_text, "StopWords")
            and hasattr(np_parsers, "get_text")
            and hasattr(np_parsers, "get_tags_regex")
            and hasattr(np_parsers, "get_tags")
        )
        if not self.usable:
            return
        self.original_stopwords = np_text.StopWords
        self.original_tokenizer = np_text.default_tokenizer
        self.original_get_text = np_parsers.get_text
        self.original_get_tags_regex = np_parsers.get_tags_regex
        self.original_get_tags = np_parsers.get_tags
        self.cache: dict[str, object] = {}
        table = str.maketrans(np_text.punctuation, " " * len(np_text.punctuation))
        seps = re.escape("".join(sorted(np_text.contraction_separators)))
        contractions = re.compile(
            rf"(?<=\W)[{seps}]|[{seps}](?=\W)|^[{seps}]*|[{seps}]*$|[{seps}]{{2,}}"
        )

        self.tokens: dict[str, tuple[str, ...]] = {}

        def tokenizer(text: str | bytes) -> list[str]:
            if isinstance(text, bytes):
                text = text.decode("utf-8", "replace")
            # The same texts come back many times (a node's text for its stop words, then for
            # its link density; nested nodes); the cache lives until the block ends.
            found = self.tokens.get(text)
            if found is None:
                squeezed = contractions.sub(" ", text.translate(table))
                found = self.tokens[text] = tuple(
                    np_text.whitespace_tokenizer.tokenize(squeezed.lower())
                )
            return list(found)

        self.tokenizer = tokenizer

    def get_text(self, node: HtmlElement) -> str:
        if self.texts is not None and node in self.texts:
            return self.texts[node]
        # newspaper4k strips these (with their tails) from a copy; no copy is needed without
        # them. " ".join(split()) is its inner_trim: both collapse the same Unicode whitespace.
        for _ in node.iterdescendants(lxml.etree.Comment, *_STRIPPED_BY_GET_TEXT):
            text = self.original_get_text(node)
            break
        else:
            text = " ".join(" ".join(node.itertext()).split())
        if self.texts is not None:
            self.texts[node] = text
        return text

    @staticmethod
    def get_tags_regex(
        node: HtmlElement, tag: str | None = None, attribs: dict[str, str] | None = None
    ) -> list[HtmlElement]:
        # newspaper4k asks XPath for re:test(@attr, pattern, 'i'), which lxml answers with a
        # Python callback per node; this is that test without the XPath round trips. A missing
        # attribute is tested as "", as XPath does with an empty node set.
        if not attribs:
            return np_parsers.get_tags(node, tag=tag)
        checks = [(key, _regex(pattern)) for key, pattern in attribs.items()]
        # Only elements that have an attribute whose pattern cannot match "" can match.
        needed = next((key for key, search in checks if not search("")), None)
        if needed is not None and needed.isidentifier():
            candidates = node.xpath(f".//{tag or '*'}[@{needed}]")
        else:
            candidates = node.iterdescendants(tag or lxml.etree.Element)
        return [
            element
            for element in candidates
            if all(search(element.get(key, "")) for key, search in checks)
        ]

    def get_tags(
        self,
        node: HtmlElement,
        tag: str | None = None,
        attribs: dict[str, str] | None = None,
        attribs_match: str = "exact",
        ignore_dashes: bool = False,
    ) -> list[HtmlElement]:
        # Scoring looks for <div>s whose id or class has a word ("article", "story", ...):
        # six XPath scans of every <div> with string functions. While a page is scored, each
        # element's names are normalised once, the way that XPath does, and looked up here.
        word = next(iter(attribs.values())) if attribs and len(attribs) == 1 else ""
        if (
            self.names is None
            or attribs_match != "word"
            or tag is None
            or not word
            or any(ch in word for ch in _XML_SPACE)
        ):
            return self.original_get_tags(node, tag, attribs, attribs_match, ignore_dashes)
        key = next(iter(attribs))
        index = self.names.get((node, tag, key, ignore_dashes))
        if index is None:
            index = self.names[(node, tag, key, ignore_dashes)] = [
                (element, _xpath_words(element.get(key, ""), ignore_dashes))
                for element in node.iterdescendants(tag)
            ]
        needle = f" {word.lower()} "
        return [element for element, words in index if needle in words]

    def stopwords(self, language: str = "en") -> object:
        if language not in self.cache:
            self.cache[language] = self.original_stopwords(language)
        return self.cache[language]

    def __enter__(self) -> None:
        if self.usable:
            np_text.default_tokenizer = self.tokenizer
            np_text.StopWords = self.stopwords  # looked up per node by parsers.is_highlink_density
            np_parsers.get_text = self.get_text
            np_parsers.get_tags_regex = self.get_tags_regex
            np_parsers.get_tags = self.get_tags

    def __exit__(self, *_: object) -> None:
        if self.usable:
            self.tokens.clear()
            np_text.default_tokenizer = self.original_tokenizer
            np_text.StopWords = self.original_stopwords
            np_parsers.get_text = self.original_get_text
            np_parsers.get_tags_regex = self.original_get_tags_regex
            np_parsers.get_tags = self.original_get_tags


@lru_cache(maxsize=64)
def _regex(pattern: str) -> Callable:
    # How lxml compiles an EXSLT re:test pattern with the 'i' flag.
    return re.compile(pattern, re.UNICODE | re.IGNORECASE).search


_XML_SPACE = " \t\r\n"
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_DASHES = str.maketrans("-_", "  ")
_XML_SPACES = re.compile(r"[ \t\r\n]+")


def _xpath_words(value: str, ignore_dashes: bool) -> str:
    """``concat(" ", normalize-space(translate(value, A-Z, a-z)), " ")`` (dashes and
    underscores as spaces with ``ignore_dashes``), newspaper4k's word match."""
    value = value.translate(_ASCII_LOWER)
    if ignore_dashes:
        value = value.translate(_DASHES)
    return f" {_XML_SPACES.sub(' ', value).strip(_XML_SPACE)} "


_STRIPPED_BY_GET_TEXT = ("script", "style", "select", "option", "textarea")
_FAST_NEWSPAPER = _FastNewspaper()
