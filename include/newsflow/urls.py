"""URL canonicalisation: one spelling per article, so the same page is recognised across runs."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from w3lib.url import safe_url_string

# Parameters that only say where a click came from; they never select different content.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gclsrc",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "wickedid",
        "rb_clickid",
        "s_cid",
        "ref_src",
        "ref_url",
        "cmpid",
        "ocid",
        "ncid",
        "sr_share",
        "spm",
        "at_medium",
        "at_campaign",
        "at_custom1",
        "at_custom2",
        "at_custom3",
        "at_custom4",
        "guccounter",
        "guce_referrer",
        "guce_referrer_sig",
        "__twitter_impression",
        "smid",
        "cid_source",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hmb_", "itm_")
DEFAULT_PORTS = {"http": 80, "https": 443}


def is_tracking_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonicalize_url(url: str) -> str:
    """Lowercase scheme and host, drop default port, fragment and tracking parameters, sort
    the query; the path keeps its case. ``file:`` URLs only lose their fragment."""
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        return urlunsplit((scheme, parts.netloc, parts.path, parts.query, ""))
    # safe_url_string percent-encodes non-ASCII paths and IDNA-encodes the host.
    try:
        parts = urlsplit(safe_url_string(url))
    except ValueError:  # e.g. a port out of range: keep the URL, minus its fragment
        return urlunsplit((scheme, parts.netloc, parts.path, parts.query, ""))
    host = (parts.hostname or "").lower().rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    # Credentials are dropped: never part of an article's identity, and kept out of logs.
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = _normalise_path(parts.path) or "/"
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = sorted((k, v) for k, v in pairs if not is_tracking_param(k))
    return urlunsplit((scheme, netloc, path, urlencode(query, quote_via=quote), ""))


def _normalise_path(path: str) -> str:
    # Re-encode each segment the same way so %7E and ~ compare equal; keep "/" separators.
    segments = [quote(unquote(seg), safe="!$&'()*+,;=:@~-._") for seg in path.split("/")]
    return re.sub(r"/{2,}", "/", "/".join(segments))


def is_web_url(url: str) -> bool:
    return urlsplit(url).scheme.lower() in DEFAULT_PORTS


def host_key(url: str) -> str:
    """``scheme://host:port`` — the unit of politeness (robots.txt, rate limit, concurrency)."""
    parts = urlsplit(url)
    try:
        port: int | str = parts.port or DEFAULT_PORTS.get(parts.scheme.lower(), 0)
    except ValueError:
        return f"{parts.scheme.lower()}://{parts.netloc.lower()}"
    return f"{parts.scheme.lower()}://{(parts.hostname or '').lower()}:{port}"
