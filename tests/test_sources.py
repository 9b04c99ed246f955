"""sources.yaml: validation with clear errors, and the shipped configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsflow.settings import INCLUDE_DIR
from newsflow.sources import SourceConfigError, load_sources


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text)
    return path


def test_shipped_sources_are_valid_and_only_seeds_enabled():
    sources = load_sources(INCLUDE_DIR / "sources.yaml")
    enabled = [s for s in sources if s.enabled]
    assert [(s.name, s.kind) for s in enabled] == [("seeds", "folder")]
    assert Path(enabled[0].path) == (INCLUDE_DIR.parent / "seeds").resolve()
    outlets = {s.outlet for s in sources}
    for outlet in (
        "Yonhap",
        "The Korea Herald",
        "The Korea Times",
        "NK News",
        "The Kyiv Independent",
        "Ukrainska Pravda",
        "Ukrinform",
        "TASS",
        "Meduza",
        "The Moscow Times",
        "Reuters",
        "Associated Press",
        "BBC News",
        "The Guardian",
    ):
        assert outlet in outlets
    assert {s.language for s in sources} >= {"en", "ko", "uk", "ru"}
    assert all(s.url.startswith("https://") for s in sources if s.url)


def test_relative_paths_resolve_against_the_file(tmp_path):
    path = write(tmp_path, "sources:\n  - {name: local, kind: folder, path: seeds}\n")
    [source] = load_sources(path)
    assert source.path == str(tmp_path / "seeds") and source.enabled
    assert source.location == str(tmp_path / "seeds")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "sources:\n  - {name: a, kind: podcast, url: 'https://x.org/'}\n",
            "source 'a': kind: Input should be 'feed', 'sitemap', 'urls' or 'folder'",
        ),
        (
            "sources:\n  - {name: a, kind: feed}\n",
            "source 'a': entry: Value error, give exactly one",
        ),
        ("sources:\n  - {name: a, kind: feed, url: 'ftp://x.org/f'}\n", "url must be http(s)"),
        ("sources:\n  - {name: a, kind: folder, url: 'https://x.org/'}\n", "needs 'path'"),
        (
            "sources:\n  - {name: a, kind: feed, url: 'https://x.org/', language: English}\n",
            "source 'a': language: String should match pattern",
        ),
        (
            "sources:\n  - {name: a, kind: feed, url: 'https://x.org/', rate_limit_per_s: 0}\n",
            "source 'a': rate_limit_per_s: Input should be greater than 0",
        ),
        (
            "sources:\n  - {name: a, kind: feed, url: 'https://x.org/', colour: red}\n",
            "source 'a': colour: Extra inputs are not permitted",
        ),
        (
            "sources:\n  - {name: a, kind: feed, url: 'https://x.org/'}\n"
            "  - {name: a, kind: feed, url: 'https://y.org/'}\n",
            "source 'a': duplicate name",
        ),
        ("sources: {}\n", "expected a top-level 'sources:' list"),
        ("- just a list\n", "expected a top-level 'sources:' list"),
        ("sources: [\n", "not valid YAML"),
    ],
)
def test_invalid_sources_give_clear_errors(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(SourceConfigError) as info:
        load_sources(path)
    assert message in str(info.value) and str(path) in str(info.value)


def test_all_problems_are_reported_at_once(tmp_path):
    path = write(
        tmp_path,
        "sources:\n  - {name: a, kind: x, url: 'https://x.org/'}\n  - {name: b, kind: feed}\n",
    )
    with pytest.raises(SourceConfigError) as info:
        load_sources(path)
    assert "source 'a'" in str(info.value) and "source 'b'" in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(SourceConfigError, match="cannot read sources file"):
        load_sources(tmp_path / "nope.yaml")
