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
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import trafilatura
from lxml.html import HtmlElement

with warnings.catch_warnings():
    # newspaper4k warns at import that nltk is missing; only its NLP extras (unused) need it.
    warnings.simplefilter("ignore", UserWarning)
    from newspaper import parsers as np_parsers
    from newspaper import text as np_text
    from newspaper.cleaners import DocumentCleaner
    from newspaper.configuration import Configuration
    from newspaper.extractors.content_extractor import ContentExtractor
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
    return [t.lower() for t in _WORD.findall(text)]


def _shingles(tokens: list[str]) -> list[tuple[str, ...]]:
    return [tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)]


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
BOILERPLATE_MAX_CHARS = 400


def boilerplate_blocks(tree: HtmlElement) -> list[str]:
    """Texts of small page blocks whose class or id names them furniture (newsletter boxes,
    share bars, related links). Large blocks are skipped: sites also put whole articles in
    containers with names like "paywall" or "share-wrapper"."""
    texts = []
    for node in tree.xpath("//*[@class or @id]"):
        names = f"{node.get('class', '')} {node.get('id', '')}"
        if not _BOILERPLATE.search(names):
            continue
        text = " ".join(node.text_content().split())
        if 0 < len(text) <= BOILERPLATE_MAX_CHARS:
            texts.append(text)
    return texts


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


def trafilatura_body(html: str | HtmlElement, url: str | None, *, precision: bool) -> str:
    # Not ``fast``: trafilatura's own readability/jusText fallback rescues pages whose article
    # is <br>-separated text in one <div>, where its main pass returns the whole page.
    text = trafilatura.extract(
        html,
        url=url,
        include_comments=False,
        include_tables=True,
        favor_precision=precision,
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
    config = Configuration()
    config.fetch_images = False
    config.language = _newspaper_language(language)
    if doc is None:
        doc = np_parsers.fromstring(html)
    if doc is None:
        return ""
    with _FAST_NEWSPAPER:
        extractor = ContentExtractor(config)
        top = extractor.calculate_best_node(doc)
        if top is None:
            return ""
        node = DocumentCleaner(config).clean(extractor.top_node_complemented)
        text, _ = OutputFormatter(config).get_formatted(node, title)
    return text or ""


_UNUSABLE_LANGUAGES: set[str] = set()


def _newspaper_language(language: str | None) -> str:
    from newspaper.languages import get_available_languages

    if (
        not language
        or language in _UNUSABLE_LANGUAGES
        or language not in (get_available_languages())
    ):
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
    ``tree`` (lxml.html.fromstring of ``html``) is handed to newspaper4k, which modifies it.
    """
    full = _guarded("trafilatura", url, lambda: trafilatura_body(html, url, precision=False))
    news = _guarded("newspaper4k", url, lambda: newspaper_body(html, language, title, tree))
    precise = ""
    if not lazy or precision_vote_needed(full, news):
        precise = _guarded(
            "trafilatura:precision", url, lambda: trafilatura_body(html, url, precision=True)
        )
    return Bodies(full, precise, news)


class _FastNewspaper:
    """Remove two per-call costs from newspaper4k 0.9.x's body scoring while in this block;
    the results are unchanged.

    Its link-density check builds a new ``StopWords`` (file stat, module import) for every DOM
    node, and its tokenizer rebuilds a Unicode translation table on every call: together about
    a third of its run time. Inside the block both compute the same values once. The module
    attributes are restored on exit, so other users of newspaper4k see the library as shipped
    (not thread-safe: the extract stage runs one page at a time per process).
    """

    def __init__(self) -> None:
        self.usable = hasattr(np_text, "punctuation") and hasattr(np_text, "StopWords")
        if not self.usable:
            return
        self.original_stopwords = np_text.StopWords
        self.original_tokenizer = np_text.default_tokenizer
        self.cache: dict[str, object] = {}
        table = str.maketrans(np_text.punctuation, " " * len(np_text.punctuation))
        seps = re.escape("".join(sorted(np_text.contraction_separators)))
        contractions = re.compile(
            rf"(?<=\W)[{seps}]|[{seps}](?=\W)|^[{seps}]*|[{seps}]*$|[{seps}]{{2,}}"
        )

        def tokenizer(text: str | bytes) -> list[str]:
            if isinstance(text, bytes):
                text = text.decode("utf-8", "replace")
            text = contractions.sub(" ", text.translate(table))
            return np_text.whitespace_tokenizer.tokenize(text.lower())

        self.tokenizer = tokenizer

    def stopwords(self, language: str = "en") -> object:
        if language not in self.cache:
            self.cache[language] = self.original_stopwords(language)
        return self.cache[language]

    def __enter__(self) -> None:
        if self.usable:
            np_text.default_tokenizer = self.tokenizer
            np_text.StopWords = self.stopwords  # looked up per node by parsers.is_highlink_density

    def __exit__(self, *_: object) -> None:
        if self.usable:
            np_text.default_tokenizer = self.original_tokenizer
            np_text.StopWords = self.original_stopwords


_FAST_NEWSPAPER = _FastNewspaper()
