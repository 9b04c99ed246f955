"""Domain data kept as YAML in ``include/`` (gazetteer, topics).

Each file is parsed once per process and again only when it changes on disk, so a long-lived
worker picks up an edited gazetteer without a restart.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import yaml

T = TypeVar("T")


def load_data_file(
    path: Path, parse: Callable[[object], T], error: type[Exception], what: str
) -> T:
    """Parse the YAML file at ``path`` with ``parse``; problems raise ``error`` naming the file."""
    path = Path(path).resolve()
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as exc:
        raise error(f"cannot read {what} {path}: {exc}") from exc
    return _load(path, mtime, parse, error, what)


@functools.lru_cache(maxsize=16)
def _load(path: Path, mtime_ns: int, parse: Callable, error: type[Exception], what: str):
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise error(f"cannot parse {what} {path}: {exc}") from exc
    try:
        return parse(data)
    except error as exc:
        raise error(f"{path}: {exc}") from exc
