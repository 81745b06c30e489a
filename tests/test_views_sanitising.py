"""Hostile room files: nothing they hold may run script or load a third party in a page."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gallery import security

from .conftest import EXHIBITIONS
from .pagecheck import active_content, app_for, parse

HOSTILE = EXHIBITIONS / "hostile"

PAGES = [
    "/en/",
    "/fr/",
    "/en/rooms/hall/",
    "/fr/rooms/hall/",
    "/en/rooms/den/",
    "/en/rooms/den/trap/",
    "/fr/rooms/den/trap/",
    "/en/agenda/",
    "/fr/agenda/",
    "/en/nowhere/",
]


@pytest.fixture
def hostile() -> FlaskClient:
    """A client for the app serving the hostile exhibition."""
    app: Flask = app_for(HOSTILE)
    return app.test_client()


@pytest.mark.parametrize("url", PAGES)
def test_hostile_room_files_reach_no_page_as_code(hostile: FlaskClient, url: str) -> None:
    response = hostile.get(url)
    assert response.status_code == (404 if "nowhere" in url else 200)
    html = response.get_data(as_text=True)
    assert active_content(html) == []
    # Hostile markup survives only as escaped text, never as a tag.
    assert "<script>" not in html.lower()
    assert "<iframe" not in html.lower()
    assert "<svg onload" not in html.lower()
    page = parse(html)
    # The live strings' JSON block is data, which browsers never run.
    scripts = [
        t.attrs.get("src", "")
        for t in page.find("script")
        if t.attrs.get("type") != "application/json"
    ]
    assert all(src.startswith("/static/") for src in scripts)


def test_hostile_text_is_shown_escaped(hostile: FlaskClient) -> None:
    html = hostile.get("/en/rooms/hall/").get_data(as_text=True)
    assert "Hall &lt;script&gt;alert(&#39;room&#39;)&lt;/script&gt;" in html
    assert "<div>a styled div</div>" in html  # kept, without onclick and style


def test_the_checker_would_catch_active_content() -> None:
    bad = [
        "<script>alert(1)</script>",
        '<script src="https://evil.example/x.js"></script>',
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<a href=" JaVaScRiPt:alert(1)">x</a>',
        '<iframe src="https://evil.example/"></iframe>',
        '<p style="color:red">x</p>',
        '<img src="https://evil.example/pixel.png" alt="">',
        '<form action="https://evil.example/"></form>',
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    ]
    for html in bad:
        assert active_content(html), html
    assert active_content('<script type="module" src="/static/js/walk.js"></script>') == []


def test_hostile_pages_frame_only_checked_origins(hostile: FlaskClient) -> None:
    csp = hostile.get("/en/rooms/den/trap/").headers["Content-Security-Policy"]
    frame_src = next(p for p in csp.split("; ") if p.startswith("frame-src")).split()[1:]
    assert all(security.CSP_ORIGIN.fullmatch(source) for source in frame_src)
    assert "https://xn--vidos-dsa.example.org" in frame_src  # the trap's PeerTube, IDNA-encoded


def test_hostile_contact_links_once_to_mail(hostile: FlaskClient) -> None:
    page = parse(hostile.get("/en/").get_data(as_text=True))
    assert page.find("a", href="mailto:contact@example.org")
    assert not [a for a in page.find("a") if "mailto:mailto:" in (a.attrs.get("href") or "")]


def _browser_host(page: str, url: str) -> str:
    """Return the host a browser would send a request for `url` on `page` to (WHATWG rules)."""
    url = url.strip("".join(map(chr, range(0x21)))).translate(dict.fromkeys((9, 10, 13)))
    before_query = re.split(r"[?#]", url, maxsplit=1)[0]  # the host is named before these
    return urlsplit(urljoin(page, before_query.replace("\\", "/"))).netloc


@pytest.mark.parametrize("url", PAGES[:-1])
def test_no_url_in_a_hostile_page_leads_where_it_does_not_seem_to(
    hostile: FlaskClient, url: str
) -> None:
    page = "http://localhost" + url
    tags = parse(hostile.get(url).get_data(as_text=True)).tags
    sources = [t.attrs["src"] or "" for t in tags if t.attrs.get("src") is not None]
    links = [t.attrs["href"] or "" for t in tags if t.attrs.get("href") is not None]
    assert {_browser_host(page, src) for src in sources} <= {"localhost"}
    assert not [href for href in links if "evil" in _browser_host(page, href)]


def test_the_hostile_hall_really_tries_other_hosts() -> None:
    room = (HOSTILE / "01-hall" / "room.md").read_text()
    for sample in ('href="/\\evil.example', 'href="/&#9;/evil', 'src="/\\evil', 'src="/&#10;/evil'):
        assert sample in room
