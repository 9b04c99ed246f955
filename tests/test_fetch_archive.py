"""The raw archive: content-addressed, compressed, replayable without refetching."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsflow import archive
from newsflow.records import Page
from newsflow.settings import Settings


def page(url: str, when: datetime) -> Page:
    return Page(
        url=url,
        final_url=url,
        source="test",
        archive_path="",
        content_sha256="",
        size=0,
        fetched_at=when,
        headers={"content-type": "text/html"},
    )


def test_store_is_content_addressed_and_keeps_every_fetch(tmp_path):
    settings = Settings(data_dir=tmp_path)
    now = datetime(2024, 10, 24, tzinfo=UTC)
    a = archive.store(settings.archive_dir, b"<p>same</p>", page("https://a.example/1", now))
    b = archive.store(settings.archive_dir, b"<p>same</p>", page("https://b.example/2", now))
    assert a.archive_path == b.archive_path and a.size == 11
    blob = Path(a.archive_path)
    assert blob == settings.archive_dir / a.content_sha256[:2] / f"{a.content_sha256}.gz"
    assert gzip.decompress(blob.read_bytes()) == b"<p>same</p>"
    sidecar = json.loads(blob.with_suffix(".json").read_text())
    assert [f["url"] for f in sidecar["fetches"]] == ["https://a.example/1", "https://b.example/2"]
    assert sidecar["fetches"][0]["headers"] == {"content-type": "text/html"}
    assert sidecar["fetches"][0]["fetched_at"].startswith("2024-10-24")


def test_replay_returns_the_latest_page_per_url(tmp_path):
    settings = Settings(data_dir=tmp_path)
    t0 = datetime(2024, 10, 24, tzinfo=UTC)
    archive.store(settings.archive_dir, b"v1", page("https://a.example/1", t0))
    archive.store(settings.archive_dir, b"v2", page("https://a.example/1", t0 + timedelta(hours=1)))
    archive.store(settings.archive_dir, b"other", page("https://b.example/2?utm_source=x", t0))
    replayed = archive.pages_from_archive(settings)
    assert [(p.url, archive.read_body(p.archive_path)) for p in replayed] == [
        ("https://a.example/1", b"v2"),
        ("https://b.example/2?utm_source=x", b"other"),
    ]
    only = archive.pages_from_archive(settings, ["https://b.example/2"])
    assert [p.url for p in only] == ["https://b.example/2?utm_source=x"]
    assert archive.pages_from_archive(Settings(data_dir=tmp_path / "empty")) == []


def test_replay_survives_a_moved_archive(tmp_path):
    old = Settings(data_dir=tmp_path / "old")
    archive.store(old.archive_dir, b"body", page("https://a.example/1", datetime.now(UTC)))
    (tmp_path / "old").rename(tmp_path / "new")
    [replayed] = archive.pages_from_archive(Settings(data_dir=tmp_path / "new"))
    assert archive.read_body(replayed.archive_path) == b"body"


def test_read_body_accepts_plain_files(tmp_path):
    plain = tmp_path / "a.txt"
    plain.write_bytes(b"plain text")
    assert archive.read_body(plain) == b"plain text"


def test_replay_can_leave_out_local_files(tmp_path):
    settings = Settings(data_dir=tmp_path)
    now = datetime.now(UTC)
    archive.store(settings.archive_dir, b"web", page("https://a.example/1", now))
    archive.store(settings.archive_dir, b"local", page((tmp_path / "x.html").as_uri(), now))
    assert len(archive.pages_from_archive(settings)) == 2
    assert [p.url for p in archive.pages_from_archive(settings, web_only=True)] == [
        "https://a.example/1"
    ]
