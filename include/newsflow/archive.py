"""The raw archive: every fetched body, gzip-compressed and content-addressed.

Layout under ``settings.archive_dir``: ``ab/abcdef....gz`` (the body) and ``ab/abcdef....json``
(a sidecar listing every fetch that produced these bytes: url, final_url, status, headers,
fetched_at and the source it came from). Identical bodies are stored once. Any stage can be
replayed from here without refetching (``pages_from_archive``).
"""

from __future__ import annotations

import fcntl
import gzip
import hashlib
import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from newsflow.records import Page
from newsflow.settings import Settings

logger = logging.getLogger(__name__)


def sha256_hex(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def blob_path(archive_dir: Path, digest: str) -> Path:
    return archive_dir / digest[:2] / f"{digest}.gz"


@contextmanager
def _locked(archive_dir: Path) -> Iterator[None]:
    # Sidecars are read-modify-write; several fetch workers (or Airflow tasks) may share a blob.
    archive_dir.mkdir(parents=True, exist_ok=True)
    with (archive_dir / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def store(archive_dir: Path, body: bytes, page: Page) -> Page:
    """Archive ``body`` and record this fetch; returns the page pointing at the blob."""
    digest = sha256_hex(body)
    blob = blob_path(archive_dir, digest)
    page = page.model_copy(
        update={"archive_path": str(blob), "content_sha256": digest, "size": len(body)}
    )
    with _locked(archive_dir):
        blob.parent.mkdir(parents=True, exist_ok=True)
        if not blob.exists():
            # mtime=0 keeps the compressed bytes a function of the body alone.
            _atomic_write(blob, gzip.compress(body, compresslevel=6, mtime=0))
        sidecar = blob.with_suffix(".json")
        meta = json.loads(sidecar.read_text("utf-8")) if sidecar.exists() else {"fetches": []}
        meta.update({"sha256": digest, "size": len(body)})
        meta["fetches"].append(json.loads(page.model_dump_json()))
        _atomic_write(sidecar, json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"))
    return page


def read_body(archive_path: str | Path) -> bytes:
    """The raw bytes of an archived (gzip) blob or of a plain local file."""
    data = Path(archive_path).read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def pages_from_archive(
    settings: Settings, urls: list[str] | None = None, *, web_only: bool = False
) -> list[Page]:
    """The latest archived page for each URL (all URLs when ``urls`` is None), for replay.
    ``web_only`` leaves out local files (``file:`` URLs), which a replay can read directly."""
    from newsflow.urls import canonicalize_url

    wanted = {canonicalize_url(u) for u in urls} if urls is not None else None
    latest: dict[str, Page] = {}
    archive_dir = settings.archive_dir
    sidecars = sorted(archive_dir.glob("??/*.json")) if archive_dir.exists() else []
    for sidecar in sidecars:
        try:
            fetches = json.loads(sidecar.read_text("utf-8"))["fetches"]
        except (OSError, ValueError, KeyError) as exc:
            logger.warning("skipping unreadable archive sidecar %s: %s", sidecar, exc)
            continue
        for raw in fetches:
            page = Page.model_validate(raw)
            key = canonicalize_url(page.url)
            if (wanted is not None and key not in wanted) or (web_only and key.startswith("file:")):
                continue
            if not Path(page.archive_path).exists():
                # The archive folder may have moved: trust the sidecar's neighbour.
                page = page.model_copy(update={"archive_path": str(sidecar.with_suffix(".gz"))})
            if key not in latest or _when(page) > _when(latest[key]):
                latest[key] = page
    pages = sorted(latest.values(), key=lambda p: p.url)
    logger.info("replaying %d pages from the archive %s", len(pages), archive_dir)
    return pages


def _when(page: Page) -> datetime:
    return page.fetched_at
