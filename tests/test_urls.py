"""URL canonicalisation."""

from __future__ import annotations

import pytest

from newsflow.urls import canonicalize_url, host_key, is_tracking_param


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://Example.COM:443/News/Story", "https://example.com/News/Story"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://example.com", "https://example.com/"),
        (
            "https://example.com/a?utm_source=tw&utm_medium=social&id=7&fbclid=X&gclid=Y",
            "https://example.com/a?id=7",
        ),
        ("https://example.com/a?b=2&a=1&a=0", "https://example.com/a?a=0&a=1&b=2"),
        ("https://example.com/a?", "https://example.com/a"),
        ("https://example.com/%7Euser/caf%C3%A9", "https://example.com/~user/caf%C3%A9"),
        ("https://example.com/café", "https://example.com/caf%C3%A9"),
        ("https://bücher.example/x", "https://xn--bcher-kva.example/x"),
        ("https://user:secret@example.com/a", "https://example.com/a"),
        ("https://example.com./a", "https://example.com/a"),
        ("http://[::1]:80/x", "http://[::1]/x"),
        ("  https://example.com/a  ", "https://example.com/a"),
        ("file:///srv/seeds/a.html#x", "file:///srv/seeds/a.html"),
    ],
)
def test_canonicalize_url(url, canonical):
    assert canonicalize_url(url) == canonical


def test_canonical_form_is_stable():
    url = "https://Example.com:443/a/b?z=1&utm_campaign=x&y=%20#f"
    once = canonicalize_url(url)
    assert canonicalize_url(once) == once


def test_tracking_params():
    assert is_tracking_param("UTM_Source") and is_tracking_param("mc_eid")
    assert not is_tracking_param("id") and not is_tracking_param("page")


def test_host_key():
    assert host_key("https://Example.com/a") == "https://example.com:443"
    assert host_key("http://127.0.0.1:8000/x") == "http://127.0.0.1:8000"


def test_invalid_urls_do_not_raise():
    assert canonicalize_url("http://127.0.0.1:99999/x#f") == "http://127.0.0.1:99999/x"
    assert canonicalize_url("http://host:abc/") == "http://host:abc/"
    assert canonicalize_url("not a url") == "not a url"
