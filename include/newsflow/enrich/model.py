"""The spaCy pipeline, loaded once per worker process."""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import logging

import spacy
from spacy.language import Language

import newsflow
from newsflow.settings import Settings

logger = logging.getLogger(__name__)

# What entities and quotes need: NER, the parse (sentences, speakers, cue verbs) and lemmas
# (cue verbs by lemma). tok2vec feeds tagger and parser in the small English models.
NEEDED_COMPONENTS = frozenset(
    {
        "tok2vec",
        "transformer",
        "tagger",
        "morphologizer",
        "parser",
        "attribute_ruler",
        "lemmatizer",
        "ner",
    }
)


@functools.lru_cache(maxsize=4)
def load_model(name: str) -> Language:
    """Load a spaCy pipeline with only the components enrichment needs (cached per process)."""
    info = spacy.info(name)
    available = list(info.get("components", [])) or list(info.get("pipeline", []))
    unneeded = [component for component in available if component not in NEEDED_COMPONENTS]
    nlp = spacy.load(name, exclude=unneeded)
    missing = {"ner", "parser"} - set(nlp.pipe_names)
    if missing:
        raise ValueError(f"spaCy model {name!r} lacks the components {sorted(missing)}")
    logger.info(
        "loaded spaCy model %s %s with %s (excluded %s)",
        name,
        model_version(nlp),
        ", ".join(nlp.pipe_names),
        ", ".join(unneeded) or "nothing",
    )
    return nlp


def model_version(nlp: Language) -> str:
    """The pipeline's version, recorded with every enriched article to spot a model change."""
    return str(nlp.meta.get("version", ""))


def enrichment_signature(settings: Settings) -> str:
    """What the enrich stage's output depends on: model and version, gazetteer, topics, code.

    Stored with the fetch state; when it changes, the next run replays the raw archive so every
    article is enriched again by the new model or data (cheap to compute: the model is not
    loaded, its package version is read).
    """
    try:
        version = importlib.metadata.version(settings.spacy_model)
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    digest = hashlib.sha256()
    for path in (settings.gazetteer_path, settings.topics_path):
        digest.update(path.read_bytes() if path.exists() else b"")
    return (
        f"{settings.spacy_model}=={version};data={digest.hexdigest()[:12]};"
        f"newsflow=={newsflow.__version__}"
    )
