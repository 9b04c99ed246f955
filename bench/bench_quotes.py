"""Quote benchmark: newsflow's quotes against textacy's ``direct_quotations`` on annotated samples.

Samples: ``seeds/quotes/*.txt`` with gold ``seeds/quotes/<stem>.json``, plus every
``seeds/annotations/*.json`` with quotes whose article text can be had (a ``.txt`` is read as is
or through the extract stage's cleaner when it exists; an ``.html`` needs the extract stage).

Scoring: a predicted quote matches a gold quote when their character spans overlap by at least
half of the longer one, or their normalised texts are equal. "Direct" is every quoted span (gold
types direct and mixed; textacy finds only those). Speaker accuracy is over matched quotes and
strict for newsflow: its canonical speaker must equal the gold speaker once case, hyphens and
spaces are ignored ("Park Sun" is not "Park Sun-woo"). textacy gives unresolved surface speakers
("he", "the minister"), so it is scored leniently and labelled so: right when its speaker tokens
contain or are contained in the gold speaker, or share its words up to word order and a country
named by name or adjective. An anonymous gold speaker needs an anonymous prediction (newsflow)
and is never right for textacy, which names no speaker type. ``speaker_accuracy_lenient`` scores
newsflow the lenient way too, so the two systems can also be compared like for like, and so a
naming difference ("Ukrainian Air Force" / "Air Force") can be told from a wrong person. Indirect
recall is newsflow's only.

Held out: ``seeds/quotes_holdout/*.txt`` (same format) are written and annotated blind to the
extractor's rules, measured once, and then moved to ``seeds/quotes_heldout_round<N>/`` (dev sets,
scored in their own sections) before anyone tunes on their errors. The main table and its
groups leave them all out.

Run: ``.venv/bin/python -m bench.bench_quotes [-v] [--no-holdout]`` (writes
``data/bench/quotes.json``); ``--no-holdout`` skips the blind held-out set only (the dev rounds
always run), so tuning never sees it.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from newsflow.enrich.entities import extract_entities
from newsflow.enrich.gazetteer import Gazetteer, load_gazetteer
from newsflow.enrich.quotes import find_quotes
from newsflow.settings import PROJECT_ROOT, Settings

logger = logging.getLogger(__name__)

SAMPLES_DIR = PROJECT_ROOT / "seeds" / "quotes"
ANNOTATIONS_DIR = PROJECT_ROOT / "seeds" / "annotations"
HOLDOUT_DIR = PROJECT_ROOT / "seeds" / "quotes_holdout"
HELDOUT_GLOB = "quotes_heldout_round*"
# The first held-out set: measured blind once, then used for error analysis (no longer blind).
OUT_PATH = PROJECT_ROOT / "data" / "bench" / "quotes.json"


@dataclass(frozen=True)
class Predicted:
    start: int
    end: int
    text: str
    type: str
    speaker: str | None
    speaker_type: str


@dataclass(frozen=True)
class Gold:
    start: int
    end: int
    text: str
    type: str
    speaker: str | None
    speaker_type: str


@dataclass
class Sample:
    name: str
    text: str
    gold: list[Gold]
    not_quotes: list[str] = field(default_factory=list)


def _share(part: int, whole: int, empty: float) -> float:
    return part / whole if whole else empty


@dataclass
class Score:
    direct_gold: int = 0
    direct_predicted: int = 0
    direct_matched: int = 0
    speaker_right: int = 0
    speaker_right_lenient: int = 0
    indirect_gold: int = 0
    indirect_found: int = 0
    scare_predicted: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)
    wrong_speakers: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for part in fields(self):
            setattr(self, part.name, getattr(self, part.name) + getattr(other, part.name))

    @property
    def precision(self) -> float:
        return _share(self.direct_matched, self.direct_predicted, 1.0)

    @property
    def recall(self) -> float:
        return _share(self.direct_matched, self.direct_gold, 1.0)

    @property
    def speaker_accuracy(self) -> float:
        return _share(self.speaker_right, self.direct_matched, 0.0)

    @property
    def speaker_accuracy_lenient(self) -> float:
        return _share(self.speaker_right_lenient, self.direct_matched, 0.0)

    @property
    def indirect_recall(self) -> float:
        return _share(self.indirect_found, self.indirect_gold, 1.0)

    def summary(self) -> dict[str, float | int]:
        return {
            "direct_precision": round(self.precision, 3),
            "direct_recall": round(self.recall, 3),
            "speaker_accuracy": round(self.speaker_accuracy, 3),
            "speaker_accuracy_lenient": round(self.speaker_accuracy_lenient, 3),
            "indirect_recall": round(self.indirect_recall, 3),
            "direct_gold": self.direct_gold,
            "direct_predicted": self.direct_predicted,
            "direct_matched": self.direct_matched,
            "indirect_gold": self.indirect_gold,
            "scare_quotes_predicted": self.scare_predicted,
        }


# --- samples -----------------------------------------------------------------------------------


def _normalise(text: str) -> str:
    text = re.sub(r"[\"“”„«»‘’']", "", text)
    return re.sub(r"\s+", " ", text).strip().casefold()


def _locate(text: str, needle: str) -> tuple[int, int] | None:
    at = text.find(needle)
    if at >= 0:
        return at, at + len(needle)
    # Tolerate whitespace differences (a cleaner may join or split lines: "U.S.\n-led").
    pattern = r"\s*".join(re.escape(part) for part in needle.split())
    match = re.search(pattern, text)
    return (match.start(), match.end()) if match else None


def _gold_from(raw: dict, text: str, name: str) -> list[Gold]:
    gold = []
    for quote in raw.get("quotes", []):
        where = _locate(text, quote["text"])
        if where is None:
            logger.warning("%s: gold quote not in text: %.60r", name, quote["text"])
            where = (-1, -1)
        gold.append(
            Gold(
                where[0],
                where[1],
                quote["text"],
                quote["type"],
                quote.get("speaker"),
                quote.get("speaker_type", "unknown"),
            )
        )
    return gold


def held_out_rounds(seeds: Path = PROJECT_ROOT / "seeds") -> list[Path]:
    """The former blind sets in round order (``quotes_heldout_round1`` ... ``round11``)."""
    rounds = [d for d in seeds.glob(HELDOUT_GLOB) if d.is_dir()]
    return sorted(rounds, key=lambda d: int(re.sub(r"\D", "", d.name) or 0))


def own_samples(directory: Path = SAMPLES_DIR) -> list[Sample]:
    """The hand-written samples: ``<stem>.txt`` with gold ``<stem>.json``."""
    samples = []
    for path in sorted(directory.glob("*.txt")):
        gold_path = path.with_suffix(".json")
        if not gold_path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        raw = json.loads(gold_path.read_text(encoding="utf-8"))
        samples.append(
            Sample(path.stem, text, _gold_from(raw, text, path.stem), raw.get("not_quotes", []))
        )
    return samples


def _extracted_text(path: Path) -> str | None:
    """The article text as the extract stage cleans it; None when that stage is not there."""
    try:
        from newsflow.extract import parse_paths  # type: ignore[attr-defined]
    except ImportError:
        return path.read_text(encoding="utf-8") if path.suffix == ".txt" else None
    for record in parse_paths([str(path)], None, Settings.from_env()):
        if isinstance(record, dict) and record.get("text"):
            return str(record["text"])
        logger.warning("%s: extract stage gave no text: %s", path.name, record.get("error"))
    return None


def annotated_samples(directory: Path = ANNOTATIONS_DIR) -> list[Sample]:
    """The seed pages with quote annotations (``seeds/annotations/*.json``)."""
    samples = []
    for gold_path in sorted(directory.glob("*.json")):
        raw = json.loads(gold_path.read_text(encoding="utf-8"))
        if not raw.get("quotes"):
            continue
        if raw.get("language", "en") not in Settings.from_env().enrich_languages:
            continue  # the enrich stage runs only where a spaCy model for the language exists
        page = directory.parent / raw.get("file", gold_path.stem + ".html")
        if not page.exists():
            continue
        try:
            text = _extracted_text(page)
        except Exception as exc:  # a broken page must not stop the benchmark
            logger.warning("%s: extraction failed: %s", page.name, exc)
            continue
        if text is None:
            logger.info("%s: skipped (no extract stage for HTML yet)", page.name)
            continue
        samples.append(
            Sample(
                gold_path.stem,
                text,
                _gold_from(raw, text, gold_path.stem),
                raw.get("not_quotes", []),
            )
        )
    return samples


# --- predictions -------------------------------------------------------------------------------


def newsflow_predict(doc: Doc, gazetteer: Gazetteer) -> list[Predicted]:
    entities = extract_entities(doc, "bench", gazetteer)
    quotes = find_quotes(doc, entities, "bench", gazetteer)
    return [Predicted(q.start, q.end, q.text, q.type, q.speaker, q.speaker_type) for q in quotes]


def textacy_predict(doc: Doc) -> list[Predicted]:
    from textacy.extract.triples import direct_quotations

    found = []
    try:
        triples = list(direct_quotations(doc))
    except ValueError as exc:  # textacy gives up on an unbalanced count of quotation marks
        logger.info("textacy gave up: %s", str(exc)[:80])
        return []
    for triple in triples:
        content = triple.content
        start, end = content.start_char, content.end_char
        text = doc.text[start:end].strip("\"“”„«»‘’' \n,")
        offset = doc.text.find(text, start)
        speaker = " ".join(t.text for t in triple.speaker)
        found.append(Predicted(offset, offset + len(text), text, "direct", speaker, "unknown"))
    return found


# --- scoring -----------------------------------------------------------------------------------


def _matches(pred: Predicted, gold: Gold) -> bool:
    if gold.start >= 0 and pred.start >= 0:
        overlap = min(pred.end, gold.end) - max(pred.start, gold.start)
        if overlap > 0 and overlap >= 0.5 * max(pred.end - pred.start, gold.end - gold.start):
            return True
    return _normalise(pred.text) == _normalise(gold.text)


def _name_key(name: str, gazetteer: Gazetteer | None) -> frozenset[str]:
    """Words of a name with countries and nationality adjectives replaced by the country code."""
    words = re.findall(r"[\w'’-]+", name.casefold())
    out: list[str] = []
    i = 0
    while i < len(words):
        for size in (3, 2, 1):
            chunk = " ".join(words[i : i + size])
            entry = gazetteer.lookup(chunk) if gazetteer is not None and chunk else None
            if entry is not None and entry.type in ("GPE", "NORP") and entry.country:
                out.append(entry.country.casefold())
                i += size
                break
        else:
            if words[i] not in ("the", "of", "a"):
                out.append(words[i])
            i += 1
    return frozenset(out)


def _strict_key(name: str) -> str:
    return re.sub(r"[\s\-‐‑–]+", "", name).casefold()


def _canonical_key(name: str, gazetteer: Gazetteer | None) -> str:
    """A name folded through the gazetteer first: annotators write "Zelensky", the
    pipeline's canonical form is "Zelenskyy"; that is one speaker, not an error."""
    entry = gazetteer.lookup(name) if gazetteer is not None else None
    return _strict_key(entry.canonical if entry else name)


def speaker_right(
    pred: Predicted,
    gold: Gold,
    gazetteer: Gazetteer | None,
    typed: bool = True,
    strict: bool = True,
) -> bool:
    """Whether the predicted speaker is the gold one (strict: same name; see the docstring)."""
    if gold.speaker_type == "anonymous" or gold.speaker is None:
        return typed and pred.speaker_type == gold.speaker_type and pred.speaker is None
    if not pred.speaker:
        return False
    if strict:
        return _canonical_key(pred.speaker, gazetteer) == _canonical_key(gold.speaker, gazetteer)
    a, b = pred.speaker.casefold(), gold.speaker.casefold()
    if a == b or a in b or b in a:
        return True
    ka, kb = _name_key(pred.speaker, gazetteer), _name_key(gold.speaker, gazetteer)
    return bool(ka) and (ka <= kb or kb <= ka)


def score_sample(
    sample: Sample,
    predicted: list[Predicted],
    gazetteer: Gazetteer | None,
    typed: bool = True,
    direct_only: bool = False,
    strict: bool = True,
) -> Score:
    score = Score()
    gold_direct = [g for g in sample.gold if g.type in ("direct", "mixed")]
    gold_indirect = [g for g in sample.gold if g.type == "indirect"]
    pred_direct = [p for p in predicted if p.type in ("direct", "mixed")]
    pred_indirect = [p for p in predicted if p.type == "indirect"]
    score.direct_gold = len(gold_direct)
    score.direct_predicted = len(pred_direct)
    used: set[int] = set()
    for gold in gold_direct:
        hit = next(
            (i for i, p in enumerate(pred_direct) if i not in used and _matches(p, gold)), None
        )
        if hit is None:
            score.misses.append(f"{sample.name}: {gold.text[:70]!r}")
            continue
        used.add(hit)
        score.direct_matched += 1
        if speaker_right(pred_direct[hit], gold, gazetteer, typed, strict=False):
            score.speaker_right_lenient += 1
        if speaker_right(pred_direct[hit], gold, gazetteer, typed, strict):
            score.speaker_right += 1
        else:
            score.wrong_speakers.append(
                f"{sample.name}: {gold.text[:40]!r} gold={gold.speaker} "
                f"got={pred_direct[hit].speaker} ({pred_direct[hit].speaker_type})"
            )
    score.false_alarms += [
        f"{sample.name}: {p.text[:70]!r}" for i, p in enumerate(pred_direct) if i not in used
    ]
    for term in sample.not_quotes:
        if any(_normalise(p.text) == _normalise(term) for p in pred_direct):
            score.scare_predicted += 1
    if not direct_only:
        score.indirect_gold = len(gold_indirect)
        score.indirect_found = sum(
            any(_matches(p, g) for p in pred_indirect) for g in gold_indirect
        )
    return score


def evaluate(
    samples: Iterable[Sample], nlp: Language, gazetteer: Gazetteer
) -> dict[str, tuple[Score, float]]:
    """Score both systems on all samples; returns {system: (score, seconds)}."""
    samples = list(samples)
    docs = [nlp(s.text) for s in samples]
    systems: dict[str, Callable[[Doc], list[Predicted]]] = {
        "newsflow": lambda doc: newsflow_predict(doc, gazetteer),
        "textacy": textacy_predict,
    }
    results: dict[str, tuple[Score, float]] = {}
    for name, predict in systems.items():
        total = Score()
        began = time.perf_counter()
        predictions = [predict(doc) for doc in docs]
        elapsed = time.perf_counter() - began
        for sample, predicted in zip(samples, predictions, strict=True):
            total.add(
                score_sample(
                    sample,
                    predicted,
                    gazetteer,
                    typed=name == "newsflow",
                    direct_only=name == "textacy",
                    strict=name == "newsflow",
                )
            )
        results[name] = (total, elapsed)
    return results


def _print_table(
    summaries: dict[str, dict[str, float | int]],
    results: dict[str, tuple[Score, float]],
    rows: list[str],
) -> None:
    print(f"{'metric':24} {'newsflow':>10} {'textacy':>10}")
    print("(speaker_accuracy: newsflow strict, textacy lenient; *_lenient: both lenient)")
    for row in rows:
        textacy_value = "-" if row == "indirect_recall" else summaries["textacy"][row]
        print(f"{row:24} {summaries['newsflow'][row]!s:>10} {textacy_value!s:>10}")
    base = results["textacy"][1] or 1e-9
    print(f"{'time (x textacy)':24} {results['newsflow'][1] / base:>10.2f} {1.0:>10.2f}")


def _print_errors(score: Score, prefix: str = "") -> None:
    for title, items in (
        ("missed", score.misses),
        ("false alarms", score.false_alarms),
        ("wrong speakers", score.wrong_speakers),
    ):
        print(f"\n{prefix}newsflow {title}:")
        for item in items:
            print("  " + item)


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    args = argv if argv is not None else sys.argv[1:]
    verbose = "-v" in args
    settings = Settings.from_env()
    nlp = spacy.load(settings.spacy_model)
    gazetteer = load_gazetteer(settings.gazetteer_path)
    groups = {"own samples": own_samples(), "seed annotations": annotated_samples()}
    samples = [sample for group in groups.values() for sample in group]
    logger.info("scoring %d annotated samples", len(samples))
    results = evaluate(samples, nlp, gazetteer)
    by_group = {
        name: {
            system: score.summary()
            for system, (score, _) in evaluate(group, nlp, gazetteer).items()
        }
        for name, group in groups.items()
        if group
    }
    rows = [
        "direct_precision",
        "direct_recall",
        "speaker_accuracy",
        "speaker_accuracy_lenient",
        "indirect_recall",
        "direct_gold",
        "direct_predicted",
        "direct_matched",
        "scare_quotes_predicted",
    ]
    summaries = {name: score.summary() for name, (score, _) in results.items()}
    _print_table(summaries, results, rows)
    for name, summary in by_group.items():
        mine, theirs = summary["newsflow"], summary["textacy"]
        print(
            f"{name}: newsflow P {mine['direct_precision']} R {mine['direct_recall']} "
            f"speaker (strict) {mine['speaker_accuracy']} indirect R {mine['indirect_recall']} | "
            f"textacy P {theirs['direct_precision']} R {theirs['direct_recall']} "
            f"speaker (lenient) {theirs['speaker_accuracy']}"
        )
    if verbose:
        _print_errors(results["newsflow"][0])
    extra_sets = [
        ("holdout", HOLDOUT_DIR, "held-out, never used for tuning"),
    ] + [
        # Former blind sets, measured once each (their READMEs keep the figure), now dev sets.
        (directory.name.removeprefix("quotes_heldout_"), directory, "held-out set, now a dev set")
        for directory in held_out_rounds()
    ]
    extra_reports: dict[str, dict[str, object]] = {}
    for key, directory, label in extra_sets:
        # --no-holdout skips only the blind set; round 1 is a dev set now and always runs.
        skipped = key == "holdout" and "--no-holdout" in args
        extra = [] if skipped or not directory.is_dir() else own_samples(directory)
        if not extra:
            continue
        logger.info("scoring %d samples of %s", len(extra), directory.name)
        held = evaluate(extra, nlp, gazetteer)
        held_summaries = {name: score.summary() for name, (score, _) in held.items()}
        print(f"\n{directory.name} ({len(extra)} samples, {label}):")
        _print_table(held_summaries, held, rows)
        if verbose:
            _print_errors(held["newsflow"][0], f"{directory.name} ")
        extra_reports[key] = {
            "samples": [s.name for s in extra],
            "systems": {
                name: {**held_summaries[name], "seconds": round(held[name][1], 3)} for name in held
            },
            "newsflow_errors": {
                k: v for k, v in asdict(held["newsflow"][0]).items() if isinstance(v, list)
            },
        }
    OUT_PATH.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "samples": [s.name for s in samples],
        "speaker_scoring": {"newsflow": "strict", "textacy": "lenient"},
        "by_group": by_group,
        "systems": {
            name: {**summaries[name], "seconds": round(results[name][1], 3)} for name in results
        },
        "newsflow_errors": {
            k: v for k, v in asdict(results["newsflow"][0]).items() if isinstance(v, list)
        },
        **extra_reports,
    }
    OUT_PATH.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    logger.info("wrote %s", OUT_PATH)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
