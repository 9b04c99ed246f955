"""The domain gazetteer: canonical names, transliteration variants, types and countries.

The data lives in ``include/gazetteer.yaml``; this module validates it and answers lookups that
ignore case, punctuation, hyphens, spacing, diacritics, a leading determiner and a trailing
possessive, so spelling noise needs no alias of its own.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from newsflow.enrich.datafile import load_data_file

logger = logging.getLogger(__name__)

ENTRY_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT"})
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_DETERMINER = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?<=\w)'s?$", re.IGNORECASE)
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})


class GazetteerError(ValueError):
    """The gazetteer file is missing, malformed or contradicts itself."""


@dataclass(frozen=True)
class GazetteerEntry:
    canonical: str
    type: str
    country: str | None
    role: str | None
    aliases: tuple[str, ...]


@functools.lru_cache(maxsize=65_536)
def lookup_key(surface: str) -> str:
    """The normalised form two spellings of one name share ("The Kim Jong Un's" -> "kimjongun")."""
    text = unicodedata.normalize("NFKD", surface.translate(_APOSTROPHES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).strip()
    text = _DETERMINER.sub("", text)
    text = _POSSESSIVE.sub("", text)  # "Putin's" -> "Putin", "Russians'" -> "Russians"
    return "".join(ch for ch in text.casefold() if ch.isalnum())


class Gazetteer:
    """Lookup from any known spelling of a name to its entry."""

    def __init__(self, entries: Iterable[GazetteerEntry]) -> None:
        self.entries: tuple[GazetteerEntry, ...] = tuple(entries)
        self._index: dict[str, GazetteerEntry] = {}
        for entry in self.entries:
            for surface in (entry.canonical, *entry.aliases):
                key = lookup_key(surface)
                if not key:
                    raise GazetteerError(f"{entry.canonical!r}: alias {surface!r} has no letters")
                other = self._index.get(key)
                if other is not None and other is not entry:
                    raise GazetteerError(
                        f"{surface!r} names both {other.canonical!r} and {entry.canonical!r}"
                    )
                self._index[key] = entry

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, surface: str) -> GazetteerEntry | None:
        return self._index.get(lookup_key(surface))


def load_gazetteer(path: Path) -> Gazetteer:
    """Load and validate the gazetteer; cached per process until the file changes."""
    return load_data_file(path, _parse_gazetteer, GazetteerError, "gazetteer")


def _parse_gazetteer(data: object) -> Gazetteer:
    gazetteer = Gazetteer(parse_entries(data))
    logger.info("loaded gazetteer: %d entries", len(gazetteer))
    return gazetteer


def parse_entries(data: object) -> list[GazetteerEntry]:
    """Validate the parsed YAML document and turn it into entries."""
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise GazetteerError("expected a mapping with a list under 'entries'")
    entries = []
    for number, raw in enumerate(data["entries"], start=1):
        where = f"entry {number}"
        if not isinstance(raw, dict):
            raise GazetteerError(f"{where}: expected a mapping, got {type(raw).__name__}")
        unknown = set(raw) - {"canonical", "type", "country", "role", "aliases"}
        if unknown:
            raise GazetteerError(f"{where}: unknown keys {sorted(unknown)}")
        canonical = raw.get("canonical")
        if not isinstance(canonical, str) or not canonical.strip():
            raise GazetteerError(f"{where}: 'canonical' must be a non-empty string")
        where = f"entry {number} ({canonical})"
        kind = raw.get("type")
        if kind not in ENTRY_TYPES:
            raise GazetteerError(f"{where}: 'type' must be one of {sorted(ENTRY_TYPES)}")
        country = raw.get("country")
        if isinstance(country, bool):
            raise GazetteerError(f"{where}: 'country' parsed as a boolean: quote it (\"NO\")")
        if country is not None and (not isinstance(country, str) or not _COUNTRY.match(country)):
            raise GazetteerError(f"{where}: 'country' must be an ISO alpha-2 code or null")
        role = raw.get("role")
        if role is not None and not isinstance(role, str):
            raise GazetteerError(f"{where}: 'role' must be a string or null")
        aliases = raw.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise GazetteerError(f"{where}: 'aliases' must be a list of strings")
        entries.append(
            GazetteerEntry(
                canonical=canonical.strip(),
                type=kind,
                country=country,
                role=role,
                aliases=tuple(a.strip() for a in aliases),
            )
        )
    return entries
