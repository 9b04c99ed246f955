"""Cost of the published read-only snapshot against the merge it follows, measured in one run.

Stages N synthetic enriched articles (text written here, ~10 entities and 2 quotes each), loads
them into a fresh warehouse, then loads the same run again (nothing changes). Reports the merge
time, the snapshot publish time (checkpointed file copy + rename) and their ratio, and the
no-change reload against the first load.

    .venv/bin/python -m bench.bench_warehouse [--articles 2000] [--max-publish-ratio 0.5]

Writes ``data/bench/warehouse.json`` and exits 1 when publish/merge exceeds the limit.
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from newsflow.records import Article, EnrichedArticle, Entity, Quote, Relevance, stable_id
from newsflow.settings import PROJECT_ROOT, Settings
from newsflow.warehouse.load import load_run
from newsflow.warehouse.stage import stage_batch

logger = logging.getLogger("bench.bench_warehouse")

SENTENCE = (
    "Officials in Seoul said North Korean units had moved towards Kursk, while Moscow and Kyiv "
    'traded claims about the front. "We are watching closely," a spokesman in Seoul said. '
)
NAMES = ("Seoul", "North Korean", "Kursk", "Moscow", "Kyiv")


def record(i: int) -> EnrichedArticle:
    url = f"https://bench.example.org/{i}"
    article_id = stable_id(url)
    text = f"Report {i}. " + SENTENCE * 4
    entities, quotes = [], []
    for name in NAMES:
        start = text.find(name)
        while start >= 0:
            entities.append(
                Entity(
                    article_id=article_id,
                    start=start,
                    end=start + len(name),
                    text=name,
                    label="GPE",
                    canonical=name,
                )
            )
            start = text.find(name, start + 1)
    quoted = "We are watching closely,"
    start = text.find(quoted)
    quotes.append(
        Quote(
            article_id=article_id,
            start=start,
            end=start + len(quoted),
            text=quoted,
            type="direct",
            cue="said",
        )
    )
    return EnrichedArticle(
        article=Article(
            article_id=article_id,
            url=url,
            canonical_url=url,
            source="bench",
            outlet="Bench Times",
            title=f"Report {i}",
            language="en",
            text=text,
            word_count=len(text.split()),
        ),
        entities=entities,
        quotes=quotes,
        relevance=Relevance(article_id=article_id, mentions={"KP": 1, "RU": 1}),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--max-publish-ratio", type=float, default=0.5)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.from_env(data_dir=Path(tmp))
        staged = stage_batch([record(i) for i in range(args.articles)], [], Path(tmp) / "batch")
        first = load_run(settings, "bench-1", staged)
        again = load_run(settings, "bench-1", staged)
        size_mb = settings.db_path.stat().st_size / 1e6
    result = {
        "when": datetime.now(UTC).isoformat(),
        "machine": platform.platform(),
        "articles": args.articles,
        "entities": first.entities,
        "db_mb": round(size_mb, 1),
        "merge_s": first.merge_s,
        "publish_s": first.publish_s,
        "publish_over_merge": round(first.publish_s / first.merge_s, 3),
        "reload_merge_s": again.merge_s,
        "reload_over_first_merge": round(again.merge_s / first.merge_s, 3),
    }
    out = PROJECT_ROOT / "data" / "bench" / "warehouse.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    if result["publish_over_merge"] > args.max_publish_ratio:
        print(
            f"publish/merge {result['publish_over_merge']} > {args.max_publish_ratio}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
