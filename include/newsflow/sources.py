"""Sources as configuration: ``include/sources.yaml``, validated on load."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

SourceKind = Literal["feed", "sitemap", "urls", "folder"]


class SourceConfigError(ValueError):
    """sources.yaml is missing, unreadable or has an invalid entry; the message says where."""


class SourceConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    kind: SourceKind
    url: str | None = None
    path: str | None = None
    outlet: str | None = None
    language: str | None = Field(default=None, pattern=r"^[a-z]{2,3}$")
    enabled: bool = True
    rate_limit_per_s: float | None = Field(default=None, gt=0)
    max_items: int | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _one_location(self) -> SourceConfig:
        if (self.url is None) == (self.path is None):
            raise ValueError("give exactly one of 'url' or 'path'")
        if self.kind == "folder" and self.path is None:
            raise ValueError("a 'folder' source needs 'path'")
        if self.url is not None and not self.url.startswith(("http://", "https://")):
            raise ValueError(f"url must be http(s): {self.url!r}")
        return self

    @property
    def location(self) -> str:
        return self.url if self.url is not None else str(self.path)


def load_sources(path: Path) -> list[SourceConfig]:
    """Read and validate sources.yaml; relative paths resolve against the file's folder."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SourceConfigError(f"{path}: cannot read sources file: {exc}") from exc
    except yaml.YAMLError as exc:
        raise SourceConfigError(f"{path}: not valid YAML: {exc}") from exc
    entries = raw.get("sources") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise SourceConfigError(f"{path}: expected a top-level 'sources:' list")
    sources: list[SourceConfig] = []
    problems: list[str] = []
    for index, entry in enumerate(entries):
        label = entry.get("name", f"#{index + 1}") if isinstance(entry, dict) else f"#{index + 1}"
        try:
            source = SourceConfig.model_validate(entry)
        except ValidationError as exc:
            for err in exc.errors():
                where = ".".join(str(p) for p in err["loc"]) or "entry"
                problems.append(f"source {label!r}: {where}: {err['msg']}")
            continue
        if source.path is not None and not Path(source.path).is_absolute():
            source = source.model_copy(update={"path": str((path.parent / source.path).resolve())})
        sources.append(source)
    names = [s.name for s in sources]
    repeated = sorted({n for n in names if names.count(n) > 1})
    problems += [f"source {n!r}: duplicate name" for n in repeated]
    if problems:
        raise SourceConfigError(f"{path}: invalid sources:\n  " + "\n  ".join(problems))
    return sources
