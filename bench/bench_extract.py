"""Body extraction quality and speed on the article-extraction benchmark (Scrapinghub, MIT).

Scores each method with that benchmark's metric: the text is split into ``\\w+`` tokens, each
text becomes a multiset of 4-token shingles, and per page tp/fp/fn are the shingles in common,
only predicted and only expected. Precision and recall are averaged over pages (macro) and F1
is their harmonic mean, as in the benchmark's own evaluation. Speed is pages per second of CPU
time in this process (one core), so other load on the machine moves it less than wall time.
The methods take turns page by page (in a rotating order), so a change in the machine's load
during the run touches all of them alike and the ratios to trafilatura stay comparable; with
``--rounds N`` the timing is repeated and the spread of those ratios reported.

    .venv/bin/python -m bench.bench_extract [--limit N] [--rounds N]

Writes data/bench/extract.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import statistics
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable

from newsflow.settings import PROJECT_ROOT

logger = logging.getLogger(__name__)

BENCH_DIR = PROJECT_ROOT.parent / "shared" / "benchmarks" / "article-extraction"
OUT = PROJECT_ROOT / "data" / "bench" / "extract.json"
SHINGLE = 4


# ---------------------------------------------------------------- the benchmark's metric


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    import re

    tokens = re.findall(r"\w+", text or "")
    # A text shorter than one shingle still counts as one (shorter) shingle.
    return Counter(
        tuple(tokens[i : i + SHINGLE])
        for i in range(max(1, len(tokens) - SHINGLE + 1))
        if tokens[i : i + SHINGLE]
    )


def shingle_match(expected: str, predicted: str) -> tuple[float, float, float]:
    """(tp, fp, fn) over 4-token shingles, normalised to sum to 1."""
    want, got = _shingles(expected), _shingles(predicted)
    tp = sum((want & got).values())
    fp = sum((got - want).values())
    fn = sum((want - got).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def score(pairs: list[tuple[str, str]]) -> dict[str, float]:
    """Macro precision/recall over pages and their F1, for (expected, predicted) pairs."""
    counts = [shingle_match(expected, predicted) for expected, predicted in pairs]
    precision = statistics.mean([_precision(*c) for c in counts if c[0] + c[1] > 0] or [0.0])
    recall = statistics.mean([_recall(*c) for c in counts if c[0] + c[2] > 0] or [0.0])
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": f1, "precision": precision, "recall": recall}


# ---------------------------------------------------------------- methods


def _newspaper_alone(html: str, url: str) -> str:
    import newspaper

    article = newspaper.Article(url, language="en", fetch_images=False)
    article.download(input_html=html)
    article.parse()
    return article.text or ""


def _trafilatura_alone(html: str, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url) or ""


def _trafilatura_precision(html: str, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url, favor_precision=True) or ""


def _combination(html: str, url: str) -> str:
    # The whole HTML path of the extract stage: metadata, the three-way vote, caption tidying.
    from newsflow.extract.page import extract_html

    return extract_html(html, url, "en").text


def _combination_body_only(html: str, url: str) -> str:
    from newsflow.extract.html import combine, extract_bodies

    return combine(extract_bodies(html, url, "en", None))[0]


METHODS: dict[str, Callable[[str, str], str]] = {
    "newspaper4k": _newspaper_alone,
    "trafilatura": _trafilatura_alone,
    "trafilatura:favor_precision": _trafilatura_precision,
    "combination (body only)": _combination_body_only,
    "combination (extract_html)": _combination,
}


def load_pages(limit: int | None) -> list[tuple[str, str, str, str]]:
    """(id, html, url, expected body) for each benchmark page."""
    truth = json.loads((BENCH_DIR / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth)[:limit]:
        raw = gzip.decompress((BENCH_DIR / "html" / f"{page_id}.html.gz").read_bytes())
        html = raw.decode("utf-8", errors="replace")
        pages.append((page_id, html, truth[page_id]["url"], truth[page_id]["articleBody"]))
    return pages


def run(limit: int | None, rounds: int = 1) -> dict:
    pages = load_pages(limit)
    names = list(METHODS)
    # Warm up imports and lazy models so they are not charged to the first method.
    for method in METHODS.values():
        method(pages[0][1], pages[0][2])
    predicted: dict[str, list[str]] = {name: [] for name in names}
    cpu_by_round: list[dict[str, float]] = []
    for round_index in range(rounds):
        cpu = dict.fromkeys(names, 0.0)
        for index, (_, html, url, _) in enumerate(pages):
            shift = (index + round_index) % len(names)
            for name in names[shift:] + names[:shift]:
                started = time.process_time()
                try:
                    text = METHODS[name](html, url)
                except Exception as exc:  # a method failing on a page scores zero on it
                    logger.warning("%s failed on %s: %s", name, url, exc)
                    text = ""
                cpu[name] += time.process_time() - started
                if round_index == 0:
                    predicted[name].append(text)
        cpu_by_round.append(cpu)
        logger.info(
            "round %d/%d: %s",
            round_index + 1,
            rounds,
            ", ".join(f"{name} {len(pages) / cpu[name]:.1f} pages/s" for name in names),
        )
    results: dict[str, dict] = {}
    for name in names:
        metrics = score(
            [(page[3], text) for page, text in zip(pages, predicted[name], strict=True)]
        )
        speeds = [len(pages) / cpu[name] if cpu[name] else 0.0 for cpu in cpu_by_round]
        ratios = [cpu["trafilatura"] / cpu[name] if cpu[name] else 0.0 for cpu in cpu_by_round]
        results[name] = {
            **metrics,
            "pages_per_s": statistics.median(speeds),
            "speed_vs_trafilatura": statistics.median(ratios),
            "speed_vs_trafilatura_min": min(ratios),
            "speed_vs_trafilatura_max": max(ratios),
        }
        logger.info("%s: F1 %.4f, %.1f pages/s", name, metrics["f1"], results[name]["pages_per_s"])
    return {"pages": len(pages), "rounds": rounds, "benchmark": str(BENCH_DIR), "methods": results}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages")
    parser.add_argument(
        "--rounds", type=int, default=1, help="time the methods N times (report the spread)"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    logging.getLogger("newspaper").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore")
    if not (BENCH_DIR / "ground-truth.json").exists():
        print(f"benchmark not found at {BENCH_DIR}", file=sys.stderr)
        return 1
    report = run(args.limit, max(1, args.rounds))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(
        f"article-extraction benchmark, {report['pages']} pages (CPU time, one core; "
        f"median of {report['rounds']} round(s), ratio range in brackets)"
    )
    print(f"{'method':28} {'F1':>7} {'prec':>7} {'recall':>7} {'pages/s':>8} {'x trafil.':>9}")
    for name, m in report["methods"].items():
        print(
            f"{name:28} {m['f1']:7.4f} {m['precision']:7.4f} {m['recall']:7.4f} "
            f"{m['pages_per_s']:8.1f} {m['speed_vs_trafilatura']:9.2f} "
            f"[{m['speed_vs_trafilatura_min']:.2f}-{m['speed_vs_trafilatura_max']:.2f}]"
        )
    print(f"written to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
