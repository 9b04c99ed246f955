"""Enrichment throughput against bare ``nlp.pipe`` of the same model, measured in the same run.

Texts: the article bodies of ``../shared/benchmarks/article-extraction/ground-truth.json``
(read in place, never copied). Both sides run the same pipeline components on the same texts
and both are warmed first. The machine is shared, so the two sides are interleaved batch by
batch (alternating which goes first) and each side's CPU time (``time.process_time``) is the
gate, with wall-clock figures reported beside it: a burst of load from another process then
hits both sides alike instead of whichever happened to be running.

    .venv/bin/python -m bench.bench_enrich [--limit N] [--rounds N] [--min-ratio 0.75]

Writes ``data/bench/enrich.json`` and exits 1 when the ratio is below ``--min-ratio``.
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import spacy

from newsflow.enrich import enrich_articles
from newsflow.enrich.model import load_model, model_version
from newsflow.records import Article
from newsflow.settings import PROJECT_ROOT, Settings

logger = logging.getLogger("bench.bench_enrich")

BENCHMARK_DIR = PROJECT_ROOT.parent / "shared" / "benchmarks" / "article-extraction"
GROUND_TRUTH = BENCHMARK_DIR / "ground-truth.json"
WARMUP = 5


def load_articles(path: Path, limit: int | None) -> list[Article]:
    data = json.loads(path.read_text(encoding="utf-8"))
    articles = []
    for key, record in sorted(data.items()):
        body = (record.get("articleBody") or "").strip()
        if not body:
            continue
        url = record.get("url") or f"bench:{key}"
        articles.append(
            Article(
                article_id=key[:16],
                url=url,
                canonical_url=url,
                source="bench",
                language="en",
                text=body,
                word_count=len(body.split()),
            )
        )
    return articles[:limit] if limit else articles


class Clock:
    """Accumulated wall-clock and CPU seconds of one side."""

    def __init__(self) -> None:
        self.wall = 0.0
        self.cpu = 0.0

    def add(self, wall: float, cpu: float) -> None:
        self.wall += wall
        self.cpu += cpu


def time_bare(nlp: spacy.Language, texts: list[str], batch_size: int, clock: Clock) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    for _doc in nlp.pipe(texts, batch_size=batch_size):
        pass
    clock.add(time.perf_counter() - wall, time.process_time() - cpu)


def time_enrich(
    articles: list[Article], settings: Settings, clock: Clock, counts: dict[str, int]
) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    enriched, rejects = enrich_articles(articles, settings)
    clock.add(time.perf_counter() - wall, time.process_time() - cpu)
    for key, value in (
        ("enriched", len(enriched)),
        ("rejects", len(rejects)),
        ("on_topic", sum(1 for e in enriched if e.relevance.on_topic)),
        ("entities", sum(len(e.entities) for e in enriched)),
        ("quotes", sum(len(e.quotes) for e in enriched)),
    ):
        counts[key] = counts.get(key, 0) + value


def side(clock: Clock, articles: int, words: int, rounds: int) -> dict[str, float]:
    return {
        "cpu_seconds": round(clock.cpu / rounds, 3),
        "wall_seconds": round(clock.wall / rounds, 3),
        "articles_per_cpu_s": round(articles * rounds / clock.cpu, 2),
        "words_per_cpu_s": round(words * rounds / clock.cpu, 1),
        "articles_per_wall_s": round(articles * rounds / clock.wall, 2),
        "words_per_wall_s": round(words * rounds / clock.wall, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="use only the first N articles")
    parser.add_argument("--rounds", type=int, default=2, help="alternating timed rounds")
    parser.add_argument("--min-ratio", type=float, default=0.75)
    parser.add_argument("--ground-truth", type=Path, default=GROUND_TRUTH)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logger.setLevel(logging.INFO)

    if not args.ground_truth.exists():
        print(f"bench_enrich: skipped, {args.ground_truth} not found")
        return 0
    settings = Settings.from_env()
    articles = load_articles(args.ground_truth, args.limit)
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    nlp = load_model(settings.spacy_model)

    # Warm both paths: model caches, gazetteer, topics, the quotes module, CPU caches.
    time_bare(nlp, texts[:WARMUP], settings.batch_size, Clock())
    time_enrich(articles[:WARMUP], settings, Clock(), {})

    rounds = max(1, args.rounds)
    bare, enrich = Clock(), Clock()
    counts: dict[str, int] = {}
    size = max(1, settings.batch_size)
    step = 0
    for round_number in range(rounds):
        for start in range(0, len(articles), size):
            chunk = articles[start : start + size]
            order = ("bare", "enrich") if step % 2 == 0 else ("enrich", "bare")
            for which in order:
                if which == "bare":
                    time_bare(nlp, [a.text for a in chunk], size, bare)
                else:
                    time_enrich(chunk, settings, enrich, counts)
            step += 1
        logger.info(
            "round %d: bare %.1f cpu-s, enrich %.1f cpu-s so far",
            round_number + 1,
            bare.cpu,
            enrich.cpu,
        )
    counts = {key: value // rounds for key, value in counts.items()}

    ratio = bare.cpu / enrich.cpu
    wall_ratio = bare.wall / enrich.wall
    result = {
        "benchmark": "enrich_throughput",
        "measured_at": datetime.now(UTC).isoformat(),
        "machine": platform.platform(),
        "model": settings.spacy_model,
        "model_version": model_version(nlp),
        "components": nlp.pipe_names,
        "batch_size": settings.batch_size,
        "articles": len(texts),
        "words": words,
        "rounds": rounds,
        "bare_nlp_pipe": side(bare, len(texts), words, rounds),
        "enrich_articles": {**side(enrich, len(texts), words, rounds), **counts},
        "ratio": round(ratio, 3),
        "ratio_basis": "cpu time, batches interleaved",
        "wall_ratio": round(wall_ratio, 3),
        "min_ratio": args.min_ratio,
        "passed": ratio >= args.min_ratio,
    }
    out = settings.data_dir / "bench" / "enrich.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")

    print(f"enrich throughput on {len(texts)} articles, {words} words ({settings.spacy_model})")
    for name in ("bare_nlp_pipe", "enrich_articles"):
        figures = result[name]
        print(
            f"  {name:<16} {figures['articles_per_cpu_s']:>7.2f} articles/s "
            f"{figures['words_per_cpu_s']:>9.1f} words/s per CPU second   "
            f"(wall: {figures['articles_per_wall_s']:.2f} articles/s, "
            f"{figures['words_per_wall_s']:.1f} words/s)"
        )
    verdict = "ok" if result["passed"] else "BELOW"
    print(
        f"  ratio enrich/bare {ratio:.3f} on CPU time (minimum {args.min_ratio}) {verdict}; "
        f"wall-clock ratio {wall_ratio:.3f}"
    )
    print(f"  wrote {out}")
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
