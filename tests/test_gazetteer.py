"""The gazetteer file and its spelling-insensitive lookup."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsflow.enrich.gazetteer import (
    Gazetteer,
    GazetteerEntry,
    GazetteerError,
    load_gazetteer,
    lookup_key,
)


@pytest.mark.parametrize(
    ("surface", "canonical"),
    [
        ("Kim Jong Un", "Kim Jong-un"),
        ("KIM JONG-UN", "Kim Jong-un"),
        ("the Kim Jong-un", "Kim Jong-un"),
        ("Zelensky", "Volodymyr Zelenskyy"),
        ("Volodymyr Zelenskiy", "Volodymyr Zelenskyy"),
        ("Yun Suk-yeol", "Yoon Suk Yeol"),
        ("Kiev", "Kyiv"),
        ("DPRK", "North Korea"),
        ("North Korea’s", "North Korea"),
        ("Russia's", "Russia"),
        ("Ukrainians'", "Ukrainian"),
        ("U.S.", "United States"),
        ("Putin's", "Vladimir Putin"),
        ("KCNA", "Korean Central News Agency"),
        ("Korea Times", "The Korea Times"),
    ],
)
def test_lookup_folds_variants(gazetteer: Gazetteer, surface: str, canonical: str) -> None:
    entry = gazetteer.lookup(surface)
    assert entry is not None, surface
    assert entry.canonical == canonical


def test_entries_carry_type_country_and_role(gazetteer: Gazetteer) -> None:
    kremlin = gazetteer.lookup("the Kremlin")
    assert kremlin == GazetteerEntry(
        canonical="Kremlin", type="ORG", country="RU", role="seat of government", aliases=()
    )
    pyongyang = gazetteer.lookup("Pyongyang")
    assert (pyongyang.type, pyongyang.country, pyongyang.role) == ("GPE", "KP", "capital")
    assert gazetteer.lookup("Kursk").country == "RU"
    assert gazetteer.lookup("Kharkiv").country == "UA"
    assert gazetteer.lookup("National Intelligence Service").country == "KR"


def test_unknown_names_and_bare_family_names_are_not_guessed(gazetteer: Gazetteer) -> None:
    assert gazetteer.lookup("Kim") is None  # many Kims: left to the article's own full names
    assert gazetteer.lookup("Maria Santos") is None


def test_lookup_key_is_insensitive_to_noise() -> None:
    assert lookup_key("The Kim Jong-un's") == lookup_key("kim jong un") == "kimjongun"
    assert lookup_key("Zelenskyy") != lookup_key("Zelensky")  # letters differ: that's an alias


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "gazetteer.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("entries: nope\n", "list under 'entries'"),
        ("entries:\n  - {type: PERSON}\n", "'canonical'"),
        ("entries:\n  - {canonical: X, type: PLANET}\n", "'type'"),
        ("entries:\n  - {canonical: X, type: PERSON, country: Norway}\n", "ISO alpha-2"),
        ("entries:\n  - {canonical: X, type: PERSON, country: NO}\n", "boolean"),
        ("entries:\n  - {canonical: X, type: GPE, aliases: Y}\n", "'aliases'"),
        ("entries:\n  - {canonical: X, type: GPE, colour: red}\n", "unknown keys"),
        (
            "entries:\n  - {canonical: Alpha, type: GPE, aliases: [AB]}\n"
            "  - {canonical: Beta, type: GPE, aliases: [A.B.]}\n",
            "names both 'Alpha' and 'Beta'",
        ),
        ("entries: [\n", "cannot parse"),
    ],
)
def test_invalid_file_gives_a_clear_error(tmp_path: Path, body: str, message: str) -> None:
    path = _write(tmp_path, body)
    with pytest.raises(GazetteerError, match=message) as info:
        load_gazetteer(path)
    assert str(path) in str(info.value)


def test_missing_file_gives_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="cannot read gazetteer"):
        load_gazetteer(tmp_path / "absent.yaml")


def test_cached_until_the_file_changes(tmp_path: Path) -> None:
    path = _write(tmp_path, "entries:\n  - {canonical: Alpha, type: GPE, country: KR}\n")
    first = load_gazetteer(path)
    assert load_gazetteer(path) is first
    _write(tmp_path, "entries:\n  - {canonical: Alpha, type: GPE, country: KP}\n")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    second = load_gazetteer(path)
    assert second is not first
    assert second.lookup("alpha").country == "KP"
