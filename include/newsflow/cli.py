"""`newsflow` command line: run the pipeline without Airflow, parse pages, enrich texts.

`parse` and `enrich` print JSON Lines on stdout (a contract used by tooling outside the project:
keep field names stable); logs go to stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterable, Sequence

from newsflow.settings import Settings


def _print_jsonl(objects: Iterable[dict]) -> int:
    count = 0
    for obj in objects:
        sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")
        count += 1
    sys.stdout.flush()
    return count


def _cmd_run(args: argparse.Namespace) -> int:
    from newsflow.pipeline import run
    from newsflow.warehouse.read import summary

    settings = Settings.from_env(
        db_path=args.db,
        data_dir=args.data_dir,
        limit=args.limit,
        allow_private_network=True if args.allow_private_network else None,
        reprocess_from_archive=True if args.from_archive else None,
    )
    report = run(settings, source=args.source)
    print(report.model_dump_json(indent=2))
    print(json.dumps(summary(settings), indent=2, default=str))
    return 0


def _cmd_parse(args: argparse.Namespace) -> int:
    from newsflow.extract import parse_paths

    if args.url and len(args.paths) != 1:
        print("newsflow parse: --url applies to a single file", file=sys.stderr)
        return 2
    _print_jsonl(parse_paths(args.paths, args.url, Settings.from_env()))
    return 0


def _cmd_enrich(args: argparse.Namespace) -> int:
    from newsflow.enrich import enrich_paths

    _print_jsonl(enrich_paths(args.paths, Settings.from_env(spacy_model=args.model)))
    return 0


def _cmd_summary(args: argparse.Namespace) -> int:
    from newsflow.warehouse.read import example_query, summary

    settings = Settings.from_env(db_path=args.db)
    counts = summary(settings)
    print(f"DuckDB file: {settings.db_path}")
    for table, rows in counts.items():
        print(f"  {table:<20} {rows:>6} rows")
    _, _, columns, runs = example_query(settings, "latest_run")
    for run in runs:
        print("\nLatest run: " + ", ".join(f"{c}={v}" for c, v in zip(columns, run, strict=True)))
    title, sql, columns, rows = example_query(settings, args.query)
    print(f"\nExample query ({title}):\n{sql.strip()}\n")
    print(" | ".join(columns))
    for row in rows:
        print(" | ".join("" if v is None else str(v) for v in row))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsflow",
        description="Ingest news, find entities and quotes, validate, load into DuckDB.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging on stderr")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run every stage without Airflow and load DuckDB")
    run.add_argument(
        "--source",
        help="a folder, a local file, an RSS/Atom feed or sitemap URL, or 'sources' for "
        "every enabled entry of include/sources.yaml (default: seeds/)",
    )
    run.add_argument("--db", help="DuckDB file to load (default: data/news.duckdb)")
    run.add_argument("--data-dir", help="folder for staging, the raw archive and state")
    run.add_argument("--limit", type=int, help="stop after this many candidates")
    run.add_argument(
        "--allow-private-network",
        action="store_true",
        help="allow fetching from loopback/private addresses (local mirrors, tests)",
    )
    run.add_argument(
        "--from-archive", action="store_true", help="replay web pages from the raw archive"
    )
    run.set_defaults(func=_cmd_run)

    parse = sub.add_parser("parse", help="extract text and metadata; JSON Lines on stdout")
    parse.add_argument("paths", nargs="+", help=".html, .html.gz or .txt files or folders")
    parse.add_argument("--url", help="the page's URL (single file only)")
    parse.set_defaults(func=_cmd_parse)

    enrich = sub.add_parser("enrich", help="entities and quotes of .txt files; JSON Lines")
    enrich.add_argument("paths", nargs="+", help=".txt files or folders, text taken verbatim")
    enrich.add_argument("--model", help="spaCy model name (default: the configured model)")
    enrich.set_defaults(func=_cmd_enrich)

    summary = sub.add_parser("summary", help="row counts of the warehouse and an example query")
    summary.add_argument("--db", help="DuckDB file (default: data/news.duckdb)")
    summary.add_argument(
        "--query", default="most_quoted_speakers", help="name of a file in include/sql/analysis/"
    )
    summary.set_defaults(func=_cmd_summary)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
