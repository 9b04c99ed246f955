"""HTML extraction: the paragraph vote, the seed pages against their annotations, and a few
benchmark pages (when ../shared is there)."""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from newsflow.extract import parse_paths
from newsflow.extract.html import Bodies, combine, extract_bodies
from newsflow.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
ANNOTATIONS = sorted((SEEDS / "annotations").glob("*.json"))
BENCH = ROOT.parent / "shared" / "benchmarks" / "article-extraction"

A = "The council approved the new budget on Monday after a debate that lasted most of the night."
B = "Opposition members said the plan cut too deeply into funding for libraries and parks."
C = "The mayor said the savings were needed to keep property taxes flat for a second year."
D = "Council staff will publish a detailed breakdown of the changes on the city website."
JUNK = "Sign up for our newsletter to get the best stories delivered to your inbox every day."


def ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# ---------------------------------------------------------------- the vote


def test_paragraph_kept_when_another_extractor_has_it() -> None:
    full = "\n".join([A, B, JUNK, C, D])
    text, how = combine(Bodies(full, "\n".join([A, B, C]), "\n".join([A, B, D])))
    assert text.split("\n") == [A, B, C, D]
    assert how.startswith("vote")


def test_duplicated_block_needs_a_voter_with_it_twice() -> None:
    text, _ = combine(Bodies("\n".join([A, B, A, B]), "\n".join([A, B]), "\n".join([A, B])))
    assert text.split("\n") == [A, B]


def test_newspaper_superset_replaces_truncated_trafilatura() -> None:
    longer = "\n".join([A, B, C, C.replace("mayor", "treasurer"), B.replace("parks", "pools")])
    text, how = combine(Bodies(A, A, longer))
    assert text == longer and how == "newspaper4k:superset"


def test_missing_extractors_fall_back() -> None:
    assert combine(Bodies("", "", A)) == (A, "newspaper4k")
    assert combine(Bodies(A, B, "")) == (B, "trafilatura:precision")
    assert combine(Bodies(A, "", "")) == (A, "trafilatura")
    assert combine(Bodies("", "", "")) == ("", "none")


def test_voter_that_saw_another_block_abstains() -> None:
    text, how = combine(Bodies("\n".join([A, B, C]), "", JUNK))
    assert text == "\n".join([A, B, C]) and how == "trafilatura"


def test_short_and_cjk_paragraphs_are_compared_by_characters() -> None:
    korean = "국가정보원은 25일 밝혔다.\n정부는 검토하고 있다."
    text, _ = combine(Bodies(korean + "\n광고 문의", korean, korean.replace(" ", "")))
    assert text == korean


# ---------------------------------------------------------------- seed pages


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


ARTICLE_IDS = [p.stem for p in ANNOTATIONS if _load(p)["expect_reject"] != "no_body"]
REJECT_IDS = [p.stem for p in ANNOTATIONS if _load(p)["expect_reject"] == "no_body"]


@pytest.fixture(scope="module")
def parsed() -> dict[str, dict]:
    files = [str(SEEDS / _load(p)["file"]) for p in ANNOTATIONS]
    return {Path(o["path"]).name: o for o in parse_paths(files, None, Settings())}


def _case(stem: str, parsed: dict[str, dict]) -> tuple[dict, dict]:
    annotation = _load(SEEDS / "annotations" / f"{stem}.json")
    return annotation, parsed[annotation["file"]]


@pytest.fixture(params=ARTICLE_IDS)
def case(request: pytest.FixtureRequest, parsed: dict[str, dict]) -> tuple[dict, dict]:
    annotation, record = _case(request.param, parsed)
    assert "error" not in record, record
    return annotation, record


@pytest.mark.parametrize("stem", REJECT_IDS)
def test_seed_rejects(stem: str, parsed: dict[str, dict]) -> None:
    _, record = _case(stem, parsed)
    assert record["reason"] == "no_body" and record["error"]


def test_seed_title(case: tuple[dict, dict]) -> None:
    annotation, record = case
    assert record["title"] == annotation["title"]


def test_seed_authors(case: tuple[dict, dict]) -> None:
    annotation, record = case
    assert record["authors"] == annotation["authors"]


def test_seed_published_at(case: tuple[dict, dict]) -> None:
    annotation, record = case
    if annotation["published_at"] is None:
        assert record["published_at"] is None
    else:
        got = datetime.fromisoformat(record["published_at"].replace("Z", "+00:00"))
        assert got == datetime.fromisoformat(annotation["published_at"])
        assert got.utcoffset() is not None and got.utcoffset().total_seconds() == 0


def test_seed_language(case: tuple[dict, dict]) -> None:
    annotation, record = case
    assert record["language"] == annotation["language"]


def test_seed_outlet_domain_canonical(case: tuple[dict, dict]) -> None:
    annotation, record = case
    if annotation["canonical_url"] is None:  # plain text: no page metadata to read
        assert record["canonical_url"] == record["url"]
        return
    assert record["outlet"] == annotation["outlet"]
    assert record["canonical_url"] == annotation["canonical_url"]
    assert record["domain"] and record["domain"] in annotation["canonical_url"]


def test_seed_captions_apart_from_body(case: tuple[dict, dict]) -> None:
    annotation, record = case
    got = [ws(c) for c in record["captions"]]
    body = ws(record["text"])
    for caption in annotation["captions"]:
        assert ws(caption) in got
        assert ws(caption)[:90] not in body


def test_seed_furniture_not_in_body(case: tuple[dict, dict]) -> None:
    annotation, record = case
    body = ws(record["text"])
    for furniture in annotation["furniture"]:
        assert ws(furniture) not in body


def test_seed_body_bounds(case: tuple[dict, dict]) -> None:
    annotation, record = case
    body = ws(record["text"])
    assert body.startswith(ws(annotation["body_starts_with"]))
    # The .txt seed's last sentence closes a quotation; the annotation gives it without the mark.
    assert body.rstrip('"”').endswith(ws(annotation["body_ends_with"]))


def test_seed_metadata_fields_present(case: tuple[dict, dict]) -> None:
    _, record = case
    assert record["word_count"] == len(record["text"].split()) >= 40
    assert record["provenance"] and record["content_hash"] and record["article_id"]


# ---------------------------------------------------------------- benchmark sample


@pytest.mark.skipif(not (BENCH / "ground-truth.json").exists(), reason="../shared not present")
def test_combination_not_worse_than_single_extractors_on_benchmark_sample() -> None:
    bench_file = ROOT / "bench" / "bench_extract.py"
    spec = importlib.util.spec_from_file_location("bench_extract", bench_file)
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    score = bench.score
    truth = json.loads((BENCH / "ground-truth.json").read_text(encoding="utf-8"))
    pairs: dict[str, list[tuple[str, str]]] = {"full": [], "precise": [], "news": [], "vote": []}
    for page_id in sorted(truth)[::18]:  # ten pages spread over the set
        html = gzip.decompress((BENCH / "html" / f"{page_id}.html.gz").read_bytes()).decode(
            "utf-8", "replace"
        )
        expected = truth[page_id]["articleBody"]
        bodies = extract_bodies(html, truth[page_id]["url"], "en", None, lazy=False)
        pairs["full"].append((expected, bodies.trafilatura))
        pairs["precise"].append((expected, bodies.trafilatura_precision))
        pairs["news"].append((expected, bodies.newspaper))
        pairs["vote"].append((expected, combine(bodies)[0]))
    f1 = {name: score(p)["f1"] for name, p in pairs.items()}
    assert f1["vote"] >= max(f1["full"], f1["precise"], f1["news"]) - 1e-9, f1


def test_newspaper_speed_up_keeps_its_output_and_restores_the_library() -> None:
    from newspaper import text as np_text
    from newspaper.cleaners import DocumentCleaner
    from newspaper.configuration import Configuration
    from newspaper.extractors.content_extractor import ContentExtractor
    from newspaper.outputformatters import OutputFormatter
    from newspaper.parsers import fromstring

    from newsflow.extract.html import newspaper_body

    library = (np_text.StopWords, np_text.default_tokenizer)
    for name in ("seoul-ledger-nis-kursk-combat", "wire-yoon-arms-ukraine"):
        html = (SEEDS / f"{name}.html").read_text(encoding="utf-8")
        config = Configuration()
        config.language = "en"
        extractor = ContentExtractor(config)
        extractor.calculate_best_node(fromstring(html))
        node = DocumentCleaner(config).clean(extractor.top_node_complemented)
        stock, _ = OutputFormatter(config).get_formatted(node, None)
        assert newspaper_body(html, "en", None) == stock
        assert (np_text.StopWords, np_text.default_tokenizer) == library
