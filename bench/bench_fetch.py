"""Fetch throughput and near-duplicate quality, each against a baseline measured in the same run.

1. Fetch: ``fetch_all`` over pages served by a local server on 127.0.0.1 that answers after a
   fixed delay (standing in for network latency), with the default small pool, against the same
   client with one worker (the sequential baseline) and against a bare ``httpx`` loop (no robots,
   no guard, no archive: the overhead baseline).
2. Dedup: the article bodies of ``../shared/benchmarks/article-extraction/ground-truth.json``
   (read in place, never copied), each followed by a "wire copy" (a dateline added, one word
   changed, the last paragraph dropped). Recall = copies linked to their original; false links =
   originals linked to anything; throughput against hashing the same texts.

    .venv/bin/python -m bench.bench_fetch [--pages N] [--delay-ms MS]

Writes ``data/bench/fetch.json``.
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import httpx
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from newsflow.dedup import content_hash, mark_duplicates
from newsflow.fetch import fetch_all
from newsflow.records import Article, Candidate, stable_id
from newsflow.settings import PROJECT_ROOT, Settings

logger = logging.getLogger("bench.bench_fetch")
GROUND_TRUTH = (
    PROJECT_ROOT.parent / "shared" / "benchmarks" / "article-extraction" / ("ground-truth.json")
)
PAGE = (
    "<html><body><article>"
    + "<p>Sample paragraph for the fetch benchmark.</p>" * 60
    + ("</article></body></html>")
)


def bench_fetch(pages: int, delay_s: float) -> dict[str, object]:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.no_handler_status_code = 404

    def handler(request: Request) -> Response:
        time.sleep(delay_s)
        return Response(PAGE, content_type="text/html")

    server.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    for n in range(pages):
        server.expect_request(f"/p/{n}").respond_with_handler(handler)
    server.start()
    try:
        urls = [server.url_for(f"/p/{n}") for n in range(pages)]
        with tempfile.TemporaryDirectory() as tmp:
            base = Settings(
                data_dir=Path(tmp) / "x",
                allow_private_network=True,
                per_host_rate_limit_per_s=1000.0,
                per_host_concurrency=4,
            )
            timings = {}
            for label, workers in (("sequential", 1), ("pool", base.fetch_workers)):
                settings = replace(base, data_dir=Path(tmp) / label, fetch_workers=workers)
                started = time.perf_counter()
                result = fetch_all([Candidate(url=u, source="bench") for u in urls], settings)
                timings[label] = time.perf_counter() - started
                assert len(result.pages) == pages, result.log[:3]
            started = time.perf_counter()
            with httpx.Client() as client:
                for url in urls:
                    client.get(url).raise_for_status()
            timings["bare_httpx"] = time.perf_counter() - started
    finally:
        server.stop()
    return {
        "pages": pages,
        "server_delay_ms": round(delay_s * 1000),
        "seconds": {k: round(v, 3) for k, v in timings.items()},
        "pool_speedup_vs_sequential": round(timings["sequential"] / timings["pool"], 2),
        "sequential_time_vs_bare_httpx": round(timings["sequential"] / timings["bare_httpx"], 2),
    }


def wire_copy(text: str) -> str:
    paragraphs = [p for p in text.split("\n") if p.strip()]
    if len(paragraphs) > 3:
        paragraphs = paragraphs[:-1]
    body = "\n".join(paragraphs)
    return "WASHINGTON (Wire) - " + body.replace(" the ", " a ", 1)


def bench_dedup() -> dict[str, object] | None:
    if not GROUND_TRUTH.exists():
        logger.warning("no %s: dedup benchmark skipped", GROUND_TRUTH)
        return None
    data = json.loads(GROUND_TRUTH.read_text(encoding="utf-8"))
    texts = [
        r["articleBody"].strip()
        for _, r in sorted(data.items())
        if len((r.get("articleBody") or "").split()) >= 150
    ]

    def article(url: str, text: str) -> Article:
        return Article(
            article_id=stable_id(url), url=url, canonical_url=url, source="bench", text=text
        )

    batch = []
    for n, text in enumerate(texts):
        batch += [
            article(f"https://orig.example/{n}", text),
            article(f"https://copy.example/{n}", wire_copy(text)),
        ]
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        marked = mark_duplicates(batch, Settings(data_dir=Path(tmp)))
        dedup_s = time.perf_counter() - started
    started = time.perf_counter()
    for a in batch:
        content_hash(a.text)
    hash_s = time.perf_counter() - started
    by_url = {a.url: a for a in marked}
    linked = sum(
        1
        for n in range(len(texts))
        if by_url[f"https://copy.example/{n}"].duplicate_of
        == stable_id(f"https://orig.example/{n}")
    )
    false_links = sum(
        1 for n in range(len(texts)) if by_url[f"https://orig.example/{n}"].duplicate_of is not None
    )
    return {
        "originals": len(texts),
        "copies_linked": linked,
        "recall": round(linked / len(texts), 3),
        "originals_wrongly_linked": false_links,
        "seconds": {"mark_duplicates": round(dedup_s, 3), "content_hash_only": round(hash_s, 3)},
        "dedup_time_vs_hashing": round(dedup_s / hash_s, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--delay-ms", type=float, default=50.0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    report = {
        "measured_at": datetime.now(UTC).isoformat(),
        "python": platform.python_version(),
        "fetch": bench_fetch(args.pages, args.delay_ms / 1000),
        "dedup": bench_dedup(),
    }
    out = PROJECT_ROOT / "data" / "bench" / "fetch.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
