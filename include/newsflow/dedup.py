"""Deduplication across runs: same URL, same text, or nearly the same text (wire copies).

Policy: an article is never dropped for being a copy. It keeps its own row and gets
``duplicate_of`` = the ``article_id`` of the original (the first one seen; within a batch the
earliest published), so the pipeline loads the link but enriches only the original.
- Same canonical URL (same ``article_id``): the same article seen again (a replay or a local file
  that changed); it is a revision of itself, not a duplicate. Fetch normally never gets here:
  it does not request URLs fetched in an earlier run (``Settings.refetch_known`` to force).
  Two rows with the same ``article_id`` in one batch keep the first only.
- Same content hash (normalised words) under another URL: duplicate of the first.
- MinHash of word 5-gram shingles with LSH banding: duplicate of the most similar original
  when the estimated Jaccard similarity is >= the threshold
  (``Settings.near_duplicate_threshold``), or when the shorter text is contained in the longer
  one to at least the threshold and their Jaccard is at least ``MIN_JACCARD_FOR_CONTAINMENT``
  (a wire copy cut short by the republishing outlet).
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from newsflow.fetch_state import FetchState
from newsflow.records import Article
from newsflow.settings import Settings

logger = logging.getLogger(__name__)

SHINGLE_WORDS = 5
PERMUTATIONS = 128
BANDS = 32  # 4 rows per band: pairs at Jaccard 0.8 share a bucket with probability > 0.99
MIN_SHINGLES = 20  # shorter texts are too small for near-duplicate estimates
# Containment is estimated from Jaccard and the set sizes; below this Jaccard the estimate is
# too noisy, and a brief "contained" in a long article is not a copy of it.
MIN_JACCARD_FOR_CONTAINMENT = 0.5
_PRIME = 4_294_967_311  # first prime above 2**32
_rng = np.random.default_rng(20241003)
_A = _rng.integers(1, 2**31, PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, 2**31, PERMUTATIONS, dtype=np.uint64)
_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def content_hash(text: str) -> str:
    """SHA-256 of the lowercased words: ignores whitespace, punctuation and case changes."""
    return hashlib.sha256(" ".join(words(text)).encode("utf-8")).hexdigest()


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    tokens = words(text)
    return {" ".join(tokens[i : i + size]) for i in range(max(0, len(tokens) - size + 1))}


def minhash(shingle_set: set[str]) -> np.ndarray:
    """128 min-hashes (uint64 values below 2**32+15) of a shingle set."""
    hashes = np.fromiter(
        (
            int.from_bytes(hashlib.blake2b(s.encode(), digest_size=4).digest(), "big")
            for s in shingle_set
        ),
        dtype=np.uint64,
        count=len(shingle_set),
    )
    if hashes.size == 0:
        return np.full(PERMUTATIONS, _PRIME, dtype=np.uint64)
    return ((_A[:, None] * hashes[None, :] + _B[:, None]) % _PRIME).min(axis=1)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    return float(np.mean(a == b))


def near_score(jaccard: float, size_a: int, size_b: int) -> float:
    """Jaccard, or the estimated containment of the smaller set when that is higher."""
    if jaccard < MIN_JACCARD_FOR_CONTAINMENT or min(size_a, size_b) == 0:
        return jaccard
    intersection = jaccard * (size_a + size_b) / (1 + jaccard)
    return max(jaccard, min(1.0, intersection / min(size_a, size_b)))


def bands(signature: np.ndarray) -> list[str]:
    rows = PERMUTATIONS // BANDS
    return [
        hashlib.blake2b(signature[i * rows : (i + 1) * rows].tobytes(), digest_size=8).hexdigest()
        for i in range(BANDS)
    ]


@dataclass(frozen=True)
class Match:
    original: str
    why: str  # "url" | "content_hash" | "near_duplicate"
    score: float = 1.0


def mark_duplicates(
    articles: list[Article], state: FetchState | Settings, threshold: float | None = None
) -> list[Article]:
    """Set ``duplicate_of`` (and a missing ``content_hash``) and record the articles in the
    state. Takes the state, or Settings to open the state file under ``data_dir``."""
    if isinstance(state, Settings):
        limit = state.near_duplicate_threshold if threshold is None else threshold
        with FetchState.for_settings(state) as opened:
            return _mark(articles, opened, limit)
    return _mark(articles, state, 0.8 if threshold is None else threshold)


def _mark(articles: list[Article], state: FetchState, threshold: float) -> list[Article]:
    far_future = datetime.max.replace(tzinfo=UTC)
    order = sorted(
        range(len(articles)),
        key=lambda i: (_aware(articles[i].published_at or articles[i].fetched_at) or far_future, i),
    )
    marked: dict[int, Article] = {}
    seen_ids: set[str] = set()
    counts = {"url": 0, "content_hash": 0, "near_duplicate": 0, "repeat": 0}
    for i in order:
        article = articles[i]
        if article.article_id in seen_ids:
            counts["repeat"] += 1
            logger.info(
                "dropping repeat of %s in the same batch (%s)", article.article_id, article.url
            )
            continue
        seen_ids.add(article.article_id)
        chash = article.content_hash or content_hash(article.text)
        sset = shingles(article.text)
        signature = minhash(sset) if len(sset) >= MIN_SHINGLES else None
        match = find_original(article, chash, signature, state, threshold, len(sset))
        if match is not None:
            counts[match.why] += 1
            logger.info(
                "%s is a %s duplicate of %s (%.2f)",
                article.url,
                match.why,
                match.original,
                match.score,
            )
        article = article.model_copy(
            update={
                "content_hash": chash,
                "duplicate_of": match.original if match else None,
            }
        )
        state.record_article(
            article.article_id,
            article.canonical_url,
            chash,
            article.duplicate_of,
            len(sset),
            signature.tobytes() if signature is not None else None,
            bands(signature) if signature is not None else [],
        )
        marked[i] = article
    logger.info(
        "dedup: %d articles, duplicates by url %d, by content %d, near %d; %d repeats dropped",
        len(marked),
        counts["url"],
        counts["content_hash"],
        counts["near_duplicate"],
        counts["repeat"],
    )
    return [marked[i] for i in range(len(articles)) if i in marked]


def find_original(
    article: Article,
    chash: str,
    signature: np.ndarray | None,
    state: FetchState,
    threshold: float,
    size: int = 0,
) -> Match | None:
    """The original this article copies, if any; never the article itself."""
    known = state.article_by_url(article.canonical_url)
    if known is not None and known.article_id != article.article_id:
        return Match(known.duplicate_of or known.article_id, "url")
    same = state.original_by_hash(chash)
    if same is not None and same.article_id != article.article_id:
        return Match(same.article_id, "content_hash")
    if signature is None:
        return None
    best: Match | None = None
    for other in state.near_candidates(bands(signature)):
        if other.article_id == article.article_id or other.signature is None:
            continue
        jaccard = similarity(signature, np.frombuffer(other.signature, dtype=np.uint64))
        score = near_score(jaccard, size, other.shingles)
        if score >= threshold and (best is None or score > best.score):
            best = Match(other.article_id, "near_duplicate", score)
    return best


def _aware(when: datetime | None) -> datetime | None:
    if when is not None and when.tzinfo is None:
        return when.replace(tzinfo=UTC)
    return when
