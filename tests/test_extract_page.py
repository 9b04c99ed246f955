"""extract_page / parse_paths on pages written here: encodings, gzip, rejects, languages, CLI."""

from __future__ import annotations

import gzip
import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsflow.extract import extract_page, extract_pages, parse_paths
from newsflow.extract.language import detect_language
from newsflow.extract.metadata import parse_datetime, parse_visible_date, split_authors
from newsflow.extract.page import content_hash
from newsflow.records import Article, Page, Reject, stable_id
from newsflow.settings import Settings

PARAGRAPHS = [
    "The harbour authority in Incheon said on Tuesday that container traffic rose for the third "
    "month in a row, helped by a rebound in shipments of machinery to Southeast Asia.",
    "Officials expect the port to handle a record number of containers this year if demand "
    "holds, although they warned that higher fuel prices could slow the recovery.",
    "Shipping companies have added two weekly routes to Vietnam and Indonesia since the "
    "summer, and a third is planned for the spring, the authority said in a statement.",
    "Local business groups welcomed the figures but asked the city to speed up work on a new "
    "road link that would take lorries away from residential streets near the docks.",
]

GERMAN = (
    "Die Stadtverwaltung hat am Dienstag mitgeteilt, dass der Verkehr im Hafen zum dritten Mal in "
    "Folge gestiegen ist. Vor allem die Lieferungen von Maschinen nach Südostasien hätten "
    "zugenommen, sagte eine Sprecherin. Die Reedereien planen für das kommende Frühjahr weitere "
    "Verbindungen, und die Wirtschaftsverbände fordern eine schnellere Anbindung an die Autobahn."
)
KOREAN = (
    "인천항만공사는 화요일 컨테이너 물동량이 석 달 연속 증가했다고 밝혔다. "
    "동남아시아로 향하는 기계류 수출이 늘어난 것이 주된 원인으로 꼽힌다. "
    "공사 관계자는 올해 처리량이 사상 최대를 기록할 수 있다고 내다봤지만, "
    "유가 상승이 회복세를 늦출 수 있다고 경고했다. "
    "지역 경제단체들은 항만 배후 도로 건설을 서둘러 달라고 시에 요청했다."
)


def article_html(
    *,
    title: str | None = "Incheon port traffic rises for third month",
    charset: str | None = "utf-8",
    paragraphs: list[str] | None = None,
    lang: str = "en",
    extra_head: str = "",
) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in (paragraphs if paragraphs is not None else PARAGRAPHS))
    meta_charset = f'<meta charset="{charset}">' if charset else ""
    heading = f"<h1>{title}</h1>" if title else ""
    title_tag = f"<title>{title} | Harbour Times</title>" if title else ""
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head>{meta_charset}{title_tag}
<meta property="og:site_name" content="Harbour Times">
<meta property="article:published_time" content="2024-11-05T09:30:00+09:00">
<meta name="author" content="Jane Roe">
<link rel="canonical" href="/business/incheon-port-traffic?utm_source=feed#top">
{extra_head}</head><body>
<nav><a href="/">Home</a> <a href="/business">Business</a> <a href="/world">World</a></nav>
<article>{heading}
<figure><img src="/img/port.jpg"><figcaption>Cranes load containers at Incheon port, Nov. 4.
Yonhap</figcaption></figure>
{body}
</article>
<footer><p>Copyright Harbour Times. All rights reserved.</p></footer>
</body></html>"""


def make_page(
    path: Path, url: str = "https://harbour-times.example/business/incheon", **fields: object
) -> Page:
    data = path.read_bytes()
    return Page(
        url=url,
        final_url=url,
        source="test",
        archive_path=str(path),
        content_sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        **fields,
    )


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_html_page_becomes_article_with_metadata(tmp_path: Path, settings: Settings) -> None:
    path = write(tmp_path, "page.html", article_html().encode())
    article = extract_page(make_page(path), settings)
    assert isinstance(article, Article)
    assert article.title == "Incheon port traffic rises for third month"
    assert article.authors == ["Jane Roe"]
    assert article.published_at == datetime(2024, 11, 5, 0, 30, tzinfo=UTC)
    assert article.outlet == "Harbour Times"
    assert article.domain == "harbour-times.example"
    assert article.canonical_url == "https://harbour-times.example/business/incheon-port-traffic"
    assert article.article_id == stable_id(article.canonical_url)
    assert article.language == "en"
    assert article.text.startswith("The harbour authority in Incheon")
    assert article.text.rstrip().endswith("residential streets near the docks.")
    assert "Copyright" not in article.text and "Home" not in article.text
    assert article.captions == ["Cranes load containers at Incheon port, Nov. 4. Yonhap"]
    assert "Cranes load" not in article.text
    assert article.word_count == len(article.text.split())
    assert article.content_hash == content_hash(article.text.upper())  # case/space-insensitive
    assert article.provenance


def test_gzip_archive_blob_without_suffix(tmp_path: Path, settings: Settings) -> None:
    path = write(tmp_path, "blob", gzip.compress(article_html().encode()))
    article = extract_page(make_page(path, content_type="text/html"), settings)
    assert isinstance(article, Article)
    assert article.title == "Incheon port traffic rises for third month"


def test_non_utf8_page_declared_in_meta(tmp_path: Path, settings: Settings) -> None:
    russian = [
        "Администрация порта сообщила во вторник, что объём контейнерных перевозок вырос третий "
        "месяц подряд. Рост обеспечили поставки оборудования в страны Юго-Восточной Азии.",
        "Судоходные компании с лета добавили два еженедельных рейса во Вьетнам и Индонезию, а "
        "весной планируется третий, говорится в заявлении администрации порта.",
    ]
    html = article_html(
        title="Грузооборот порта растёт", charset="windows-1251", paragraphs=russian, lang="ru"
    )
    path = write(tmp_path, "ru.html", html.encode("cp1251"))
    article = extract_page(make_page(path), settings)
    assert isinstance(article, Article)
    assert article.title == "Грузооборот порта растёт"
    assert "Юго-Восточной Азии" in article.text
    assert article.language == "ru"


def test_charset_from_http_header(tmp_path: Path, settings: Settings) -> None:
    html = article_html(
        charset=None,
        paragraphs=[KOREAN, KOREAN.replace("화요일", "수요일")],
        title="인천항 물동량 석 달 연속 증가",
        lang="ko",
    )
    path = write(tmp_path, "ko.html", html.encode("euc-kr"))
    page = make_page(path, headers={"Content-Type": "text/html; charset=EUC-KR"})
    article = extract_page(page, Settings(data_dir=tmp_path))
    # Korean is kept with its language; the enrich stage quarantines unsupported languages.
    assert isinstance(article, Article), article
    assert article.language == "ko"
    assert "인천항만공사는" in article.text


def test_utf8_page_mislabelled_latin1_by_the_server(tmp_path: Path, settings: Settings) -> None:
    text = [p.replace("harbour", "harbour café") for p in PARAGRAPHS]
    path = write(tmp_path, "mislabelled.html", article_html(charset=None, paragraphs=text).encode())
    page = make_page(path, content_type="text/html; charset=ISO-8859-1")
    article = extract_page(page, settings)
    assert isinstance(article, Article)
    assert "harbour café" in article.text and "Ã" not in article.text


def test_undeclared_latin1_is_detected(tmp_path: Path, settings: Settings) -> None:
    text = [p.replace("harbour", "harbour café") for p in PARAGRAPHS]
    path = write(
        tmp_path, "latin.html", article_html(charset=None, paragraphs=text).encode("latin-1")
    )
    article = extract_page(make_page(path), settings)
    assert isinstance(article, Article)
    assert "café" in article.text


def test_page_without_body_is_rejected(tmp_path: Path, settings: Settings) -> None:
    path = write(tmp_path, "empty.html", article_html(paragraphs=["Subscribe now."]).encode())
    reject = extract_page(make_page(path), settings)
    assert isinstance(reject, Reject)
    assert (reject.stage, reject.reason) == ("extract", "no_body")
    assert reject.raw and Page.model_validate_json(reject.raw).archive_path == str(path)


def test_empty_file_is_rejected(tmp_path: Path, settings: Settings) -> None:
    reject = extract_page(make_page(write(tmp_path, "zero.html", b"")), settings)
    assert isinstance(reject, Reject) and reject.reason == "no_body"


def test_page_without_title_keeps_body(tmp_path: Path, settings: Settings) -> None:
    html = article_html(title=None).replace('<meta name="author" content="Jane Roe">', "")
    article = extract_page(make_page(write(tmp_path, "notitle.html", html.encode())), settings)
    assert isinstance(article, Article)
    assert article.title is None
    assert article.text.startswith("The harbour authority")


def test_oversized_input_is_rejected_before_parsing(tmp_path: Path) -> None:
    path = write(tmp_path, "big.html", article_html().encode() + b" " * 20_000)
    reject = extract_page(make_page(path), Settings(data_dir=tmp_path, max_page_bytes=10_000))
    assert isinstance(reject, Reject) and reject.reason == "too_large"
    assert "10000" in (reject.detail or "")


def test_gzip_bomb_is_capped(tmp_path: Path) -> None:
    path = write(tmp_path, "bomb.html.gz", gzip.compress(b"<p>" + b"a " * 5_000_000))
    assert path.stat().st_size < 100_000
    reject = extract_page(make_page(path), Settings(data_dir=tmp_path, max_page_bytes=1_000_000))
    assert isinstance(reject, Reject) and reject.reason == "too_large"


def test_overlong_text_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "long.html", article_html(paragraphs=PARAGRAPHS * 3).encode())
    reject = extract_page(make_page(path), Settings(data_dir=tmp_path, max_text_chars=500))
    assert isinstance(reject, Reject) and reject.reason == "too_large"


def test_broken_gzip_is_a_decode_error(tmp_path: Path, settings: Settings) -> None:
    path = write(tmp_path, "broken.html.gz", gzip.compress(article_html().encode())[:60])
    reject = extract_page(make_page(path), settings)
    assert isinstance(reject, Reject) and reject.reason == "decode_error"


def test_missing_file_is_a_reject_not_a_crash(tmp_path: Path, settings: Settings) -> None:
    page = Page(
        url="https://x.example/a",
        final_url="https://x.example/a",
        source="test",
        archive_path=str(tmp_path / "gone.html"),
        content_sha256="0",
        size=0,
    )
    assert isinstance(extract_page(page, settings), Reject)


def test_extract_pages_splits_articles_and_rejects(tmp_path: Path, settings: Settings) -> None:
    good = make_page(write(tmp_path, "a.html", article_html().encode()))
    bad = make_page(write(tmp_path, "b.html", b"<html><body><p>Too short.</p></body></html>"))
    articles, rejects = extract_pages([good, bad, good], settings)
    assert len(articles) == 2 and [r.reason for r in rejects] == ["no_body"]


@pytest.mark.parametrize(
    ("text", "code"),
    [(" ".join(PARAGRAPHS), "en"), (GERMAN, "de"), (KOREAN, "ko")],
)
def test_language_detection(text: str, code: str) -> None:
    assert detect_language(text) == code


def test_short_text_falls_back_to_declared_language() -> None:
    assert detect_language("OK", hint="fr-FR") == "fr"
    assert detect_language("", hint=None) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-11-05T09:30:00+09:00", datetime(2024, 11, 5, 0, 30, tzinfo=UTC)),
        ("2024-11-05T09:30:00Z", datetime(2024, 11, 5, 9, 30, tzinfo=UTC)),
        ("2024-11-05T09:30:00+0900", datetime(2024, 11, 5, 0, 30, tzinfo=UTC)),
        ("2024-11-05", datetime(2024, 11, 5, tzinfo=UTC)),
        ("2999-01-01T00:00:00Z", None),  # in the future: wrong, not kept
        ("1970-01-01T00:00:00Z", None),  # an epoch default, not a date
        ("not a date", None),
        ("Tue, 05 Nov 2024 09:30:00 KST", datetime(2024, 11, 5, 0, 30, tzinfo=UTC)),
        ("05/10/2024", None),  # day-month order unknown: not guessed
        ("25/10/2024", datetime(2024, 10, 25, tzinfo=UTC)),
        (None, None),
    ],
)
def test_parse_datetime(raw: str | None, expected: datetime | None) -> None:
    assert parse_datetime(raw) == expected


def test_visible_date_needs_a_zone() -> None:
    assert parse_visible_date("24 October 2024, 19:05 MSK") == datetime(
        2024, 10, 24, 16, 5, tzinfo=UTC
    )
    assert parse_visible_date("24 October 2024, 19:05") is None


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("By Jane Roe and John Doe", ["Jane Roe", "John Doe"]),
        ("Lucas Meyer · EU correspondent", ["Lucas Meyer"]),
        ("Text: Dmitry Sokolov", ["Dmitry Sokolov"]),
        ("박지민 기자", ["박지민"]),
        ("By Priya Raman · 28 November 2024", ["Priya Raman"]),
        ("Dr. Amelia Tan", ["Amelia Tan"]),
    ],
)
def test_split_authors(raw: str, names: list[str]) -> None:
    assert split_authors(raw) == names


# ---------------------------------------------------------------- CLI helper


def test_parse_paths_directory_and_errors(tmp_path: Path, settings: Settings) -> None:
    write(tmp_path, "a.html", article_html().encode())
    write(tmp_path, "b.html.gz", gzip.compress(article_html().encode()))
    write(tmp_path, "c.txt", ("Harbour traffic rises\n" + "\n".join(PARAGRAPHS)).encode())
    write(tmp_path, "d.html", b"<html><body>nothing</body></html>")
    write(tmp_path, "ignored.json", b"{}")
    out = {Path(o["path"]).name: o for o in parse_paths([str(tmp_path)], None, settings)}
    assert sorted(out) == ["a.html", "b.html.gz", "c.txt", "d.html"]
    for name in ("a.html", "b.html.gz", "c.txt"):
        for key in ("title", "authors", "published_at", "language", "text", "captions"):
            assert key in out[name]
    assert out["a.html"]["url"] == (tmp_path / "a.html").resolve().as_uri()
    # A relative canonical link in a local file does not invent a file: URL.
    assert out["a.html"]["canonical_url"] == out["a.html"]["url"]
    assert out["c.txt"]["title"] == "Harbour traffic rises"
    assert out["d.html"]["reason"] == "no_body" and out["d.html"]["error"]


def test_parse_paths_url_sets_page_url(tmp_path: Path, settings: Settings) -> None:
    path = write(tmp_path, "a.html", article_html().encode())
    (record,) = parse_paths([str(path)], "https://harbour-times.example/x", settings)
    assert record["url"] == "https://harbour-times.example/x"
    assert record["canonical_url"] == "https://harbour-times.example/business/incheon-port-traffic"


def test_parse_paths_missing_file(tmp_path: Path, settings: Settings) -> None:
    (record,) = parse_paths([str(tmp_path / "nope.html")], None, settings)
    assert record["error"] and record["reason"]


def test_page_from_the_raw_archive(tmp_path: Path, settings: Settings) -> None:
    from newsflow.archive import store

    body = article_html().encode("cp1252").replace(b'charset="utf-8"', b'charset="windows-1252"')
    fetched = Page(
        url="https://harbour-times.example/a?utm_medium=x",
        final_url="https://harbour-times.example/a",
        source="rss",
        content_type="text/html; charset=windows-1252",
        archive_path="",
        content_sha256="",
        size=0,
    )
    page = store(settings.archive_dir, body, fetched)
    assert page.archive_path.endswith(".gz")
    article = extract_page(page, settings)
    assert isinstance(article, Article)
    assert article.url == "https://harbour-times.example/a"
    assert article.source == "rss" and article.fetched_at == page.fetched_at
    assert article.canonical_url == "https://harbour-times.example/business/incheon-port-traffic"
