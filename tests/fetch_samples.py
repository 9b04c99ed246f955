"""Sample articles, feeds and HTTP fixtures for the discover/fetch/dedup tests.

The article texts are written for these tests (not copied from any outlet).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from html import escape

import pytest
from pytest_httpserver import HTTPServer

ARTICLES = {
    "troops": (
        "Analysts weigh reports of North Korean troops near the front",
        [
            "Military analysts in Seoul said on Tuesday that reports of North Korean soldiers "
            "training at bases in the Russian Far East deserved careful scrutiny, but that the "
            "evidence so far pointed to a limited deployment rather than a full combat role.",
            "South Korea's defence ministry told lawmakers that it was tracking the movement of "
            "several thousand personnel and that it shared information with Ukraine and its "
            "partners in Europe on a regular basis.",
            "Officials in Kyiv have argued for weeks that Pyongyang is sending engineers and "
            "artillery crews to help Moscow use the shells and missiles it has bought, and "
            "they warned that the arrangement could deepen over the winter.",
            "A researcher at a university institute in Seoul said the exchange gave North Korea "
            "something it could not get elsewhere: data on how its weapons behave on a real "
            "battlefield, which could later be used to improve them.",
            "The Kremlin declined to comment on the reports, repeating that its cooperation with "
            "Pyongyang was a matter for the two governments and did not break any agreement.",
        ],
    ),
    "sanctions": (
        "Seoul considers new export controls after summit in Pyongyang",
        [
            "The South Korean government is preparing a fresh list of export controls aimed at "
            "firms that help move oil, machinery and electronics between Russia and North Korea, "
            "according to two officials familiar with the plan.",
            "The measures follow a summit at which the two countries signed a mutual defence "
            "pact, a step that alarmed governments in Tokyo, Washington and across Europe.",
            "Trade ministry staff have spent the past month comparing shipping records with "
            "satellite images of the port of Rajin, where cargo vessels were seen loading "
            "containers that analysts believe held artillery ammunition.",
            "Business groups in Seoul asked for clear guidance so that small exporters would "
            "not be caught out by rules written for a handful of trading companies.",
            "A decision is expected before the end of the month, once the cabinet has reviewed "
            "the draft and consulted allies about matching measures.",
        ],
    ),
    "grain": (
        "Ukrainian grain corridor keeps ships moving despite drone strikes",
        [
            "Ships carrying wheat and maize continued to leave the ports of Odesa this week, "
            "port officials said, even after a series of drone strikes damaged warehouses and a "
            "rail terminal used by exporters.",
            "Insurance costs for vessels calling at Ukrainian ports have fallen since the spring, "
            "when the navy pushed Russian warships away from the western Black Sea.",
            "Farmers in the south said they had cut the area planted with sunflowers because "
            "fuel and fertiliser remain expensive, and because some fields are still mined.",
            "Economists in Kyiv expect exports to stay close to last year's level, which would "
            "help the central bank keep the hryvnia stable through the winter months.",
            "The government has asked partners for more air defence systems to protect the "
            "ports, arguing that food shipments matter far beyond Ukraine's borders.",
        ],
    ),
}


def article_html(key: str, outlet: str = "Example Daily", tweak: str | None = None) -> str:
    """A plausible news page; ``tweak`` replaces one word to make a near-duplicate."""
    title, paragraphs = ARTICLES[key]
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    if tweak:
        body = body.replace("said", tweak, 1)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)} | {outlet}</title>
<meta property="og:title" content="{escape(title)}">
<meta name="author" content="Staff Reporter">
<meta property="article:published_time" content="2024-10-24T08:00:00+00:00">
</head><body>
<header><nav><a href="/">{outlet}</a> <a href="/world">World</a></nav></header>
<article><h1>{escape(title)}</h1><p class="byline">By Staff Reporter</p>
{body}
</article>
<footer>Copyright {outlet}</footer>
</body></html>"""


def article_text(key: str) -> str:
    _title, paragraphs = ARTICLES[key]
    return "\n\n".join(paragraphs)


def rss(links: list[str], title: str = "Test feed") -> str:
    items = "\n".join(
        f"<item><title>Item {n}</title><link>{escape(link)}</link>"
        f"<pubDate>Thu, 24 Oct 2024 0{n % 10}:00:00 GMT</pubDate></item>"
        for n, link in enumerate(links)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{title}</title><link>http://example.invalid/</link>{items}</channel></rss>"
    )


def sitemap(links: list[str], language: str | None = None) -> str:
    news = (
        "<news:news><news:publication><news:name>X</news:name>"
        f"<news:language>{language}</news:language></news:publication></news:news>"
        if language
        else ""
    )
    urls = "".join(f"<url><loc>{escape(link)}</loc>{news}</url>" for link in links)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">' + urls + "</urlset>"
    )


BILLION_LAUGHS_HEAD = """<?xml version="1.0"?>
<!DOCTYPE lolz [
<!ENTITY lol "lollollollollollollollollollollollollollollollollollollollollol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


@pytest.fixture
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Fail any socket connection to a non-loopback address (and record the attempt)."""
    attempts: list[object] = []
    real_connect = socket.socket.connect

    def guarded(sock: socket.socket, address: object) -> object:
        if isinstance(address, tuple):
            host = str(address[0]).split("%")[0]
            if not ipaddress.ip_address(host).is_loopback:
                attempts.append(address)
                raise OSError(f"test network guard: refused connection to {address}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    yield attempts


@pytest.fixture(scope="module")
def http_server() -> Iterator[HTTPServer]:
    srv = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def server(http_server: HTTPServer) -> Iterator[HTTPServer]:
    """A threaded HTTP server on 127.0.0.1; unknown paths (robots.txt too) answer 404."""
    http_server.clear()
    http_server.no_handler_status_code = 404
    yield http_server
    http_server.clear()
