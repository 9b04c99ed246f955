"""Language of an article's text (ISO 639-1) with lingua; the page's declared language is a hint."""

from __future__ import annotations

import logging
from functools import lru_cache

from lingua import LanguageDetector, LanguageDetectorBuilder

logger = logging.getLogger(__name__)

# Enough text to decide; longer samples only cost time.
SAMPLE_CHARS = 3000
MIN_LETTERS = 20
MIN_CONFIDENCE = 0.5


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    # Low-accuracy mode uses trigram models only: a fraction of the memory and time, and still
    # reliable on article-length text (it is weak on single short phrases, which we do not judge).
    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


def detect_language(text: str, hint: str | None = None) -> str | None:
    """ISO 639-1 code of ``text``; ``hint`` (<html lang>) when the text is too short to tell."""
    sample = text[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return _normalise(hint)
    values = _detector().compute_language_confidence_values(sample)
    if not values or values[0].value < MIN_CONFIDENCE:
        return _normalise(hint) or (
            values[0].language.iso_code_639_1.name.lower() if values else None
        )
    return values[0].language.iso_code_639_1.name.lower()


def _normalise(code: str | None) -> str | None:
    if not code:
        return None
    code = code.strip().replace("_", "-").split("-")[0].lower()
    return code if len(code) == 2 and code.isalpha() else None
