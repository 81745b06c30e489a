"""Security headers on every kind of response, the CSP's frame hosts, and the CSRF token."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient

from gallery import security
from gallery.content import Exhibition, LText, Session, Video

from .conftest import BASIC
from .pagecheck import app_for, copy_exhibition

URLS = [
    "/fr/",
    "/en/rooms/lab/",
    "/fr/rooms/lab/lanterns/",
    "/en/agenda/",
    "/fr/rooms/nowhere/",
    "/api/gallery.json",
    "/healthz",
    "/theme.css",
    "/static/css/site.css",
    "/media/02-lab/lantern.png",
    "/",
]


@pytest.mark.parametrize("url", URLS)
def test_every_response_has_the_security_headers(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "url",
    [
        "/socket.io/?EIO=4&transport=polling",  # the polling handshake
        "/socket.io/?EIO=4&transport=carrier-pigeon",  # refused by Engine.IO itself
        "/socket.io/?EIO=4&transport=polling&sid=unknown",
    ],
)
def test_socket_io_responses_have_the_security_headers(client: FlaskClient, url: str) -> None:
    # Engine.IO answers these before Flask, so no after_request hook sees them.
    response = client.get(url)
    for name, value in security.BASE_HEADERS.items():
        assert response.headers.get_all(name) == [value], (url, name)


@pytest.mark.parametrize("url", [u for u in URLS if not u.startswith("/media/")])
def test_pages_have_a_strict_csp(client: FlaskClient, url: str) -> None:
    csp = client.get(url).headers["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in csp.split("; ")}
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["media-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["connect-src"][0] == "'self'"
    assert all(host.endswith("://localhost") for host in directives["connect-src"][1:])
    assert "https://www.youtube-nocookie.com" in directives["frame-src"]
    assert "https://player.vimeo.com" in directives["frame-src"]
    assert not any("unsafe" in value for values in directives.values() for value in values)


def test_frame_src_names_the_peertube_hosts_of_the_exhibition(tmp_path: Path) -> None:
    root = copy_exhibition(BASIC, tmp_path)
    maps = root / "02-lab" / "02-maps.md"
    maps.write_text(
        maps.read_text().replace(
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://videos.example.org/w/9c9de5e8-0a1e-484a-b099-e80766180a6d",
        )
    )
    client = app_for(root).test_client()
    csp = client.get("/en/rooms/lab/maps/").headers["Content-Security-Policy"]
    frame_src = next(p for p in csp.split("; ") if p.startswith("frame-src"))
    assert "https://videos.example.org" in frame_src.split()


def test_frame_src_names_the_peertube_host_of_a_demo_day_stream(client: FlaskClient) -> None:
    csp = client.get("/fr/").headers["Content-Security-Policy"]
    frame_src = next(p for p in csp.split("; ") if p.startswith("frame-src"))
    assert "https://peertube.example.org" in frame_src.split()


def test_frame_src_takes_the_stream_embed_the_content_layer_read() -> None:
    stream = Video(
        url="https://watch.example.org/w/abc123",
        provider="peertube",
        embed_url="https://embed.example.org/videos/embed/abc123",
    )
    start = datetime(2021, 6, 17, 14, tzinfo=UTC)
    session = Session("s", LText(), start, start, stream_video=stream)
    exhibition = Exhibition(Path("."), LText(), ("en",), agenda=(session,))
    assert security.frame_hosts(exhibition)[-1] == "https://embed.example.org"


def _with_embeds(*embeds: str) -> Exhibition:
    """An exhibition whose streams embed these URLs, as if no loader had checked them."""
    start = datetime(2021, 6, 17, 14, tzinfo=UTC)
    sessions = tuple(
        Session(f"s{n}", LText(), start, start, stream_video=Video(embed_url=url))
        for n, url in enumerate(embeds)
    )
    return Exhibition(Path("."), LText(), ("en",), agenda=sessions)


@pytest.mark.parametrize(
    "embed",
    [
        "https://evil.example; script-src-elem 'unsafe-inline' x/videos/embed/abc",
        "https://evil.example;/videos/embed/abc",
        "https://evil.example%3B%20script-src%20*/videos/embed/abc",
        "https://evil.example'/videos/embed/abc",
        "https://evil.example\\@good.example/videos/embed/abc",
        "https://good.example@evil.example/videos/embed/abc",
        "https://evil.example\t/videos/embed/abc",
        "https://evil.example\r\nSet-Cookie: x=1/videos/embed/abc",
        "https://*/videos/embed/abc",
        "https://evil_host.example/videos/embed/abc",
        "https://[::1]/videos/embed/abc",
        "http://videos.example.org/videos/embed/abc",
        "javascript:alert(1)",
        "//videos.example.org/videos/embed/abc",
        "https:",
        "",
    ],
)
def test_frame_hosts_never_put_anything_but_an_origin_in_the_csp(embed: str) -> None:
    assert security.frame_hosts(_with_embeds(embed)) == security.EMBED_HOSTS
    csp = security.content_security_policy(_with_embeds(embed), "localhost")
    frame_src = next(p for p in csp.split("; ") if p.startswith("frame-src"))
    assert frame_src.split()[1:] == list(security.EMBED_HOSTS)


def test_frame_hosts_are_lowercase_ascii_origins_with_their_port() -> None:
    exhibition = _with_embeds(
        "https://Videos.Example.org:8443/videos/embed/abc",
        "https://vidéos.example.org/videos/embed/abc",
        "https://videos.example.org:8443/videos/embed/other",
    )
    assert security.frame_hosts(exhibition)[len(security.EMBED_HOSTS) :] == (
        "https://videos.example.org:8443",
        "https://xn--vidos-dsa.example.org",
    )


def test_a_hostile_host_header_cannot_break_the_csp(client: FlaskClient) -> None:
    response = client.get("/fr/", headers={"Host": "evil; script-src *"})
    csp = response.headers["Content-Security-Policy"]
    assert "script-src *" not in csp
    assert "script-src 'self';" in csp


def test_the_csp_names_each_host_but_caches_only_a_few(app: Flask) -> None:
    client = app.test_client()
    hosts = [f"host{n}.example" for n in range(security.CSP_CACHED_HOSTS + 5)]
    for host in hosts:
        csp = client.get("/api/gallery.json", headers={"Host": host}).headers[
            "Content-Security-Policy"
        ]
        assert f"wss://{host}" in csp
    kept = [key for key in app.extensions["gallery.site"].snapshot.kept() if key[0] == "csp"]
    assert len(kept) == security.CSP_CACHED_HOSTS


def test_media_keep_their_sandboxing_csp(client: FlaskClient) -> None:
    csp = client.get("/media/02-lab/lantern.png").headers["Content-Security-Policy"]
    assert csp == security.MEDIA_CSP


# --- CSRF -----------------------------------------------------------------------------


@pytest.fixture
def form_app(app: Flask) -> Flask:
    """The test app with a form view and an exempt view added."""

    @app.route("/test-form", methods=["GET", "POST"])
    def test_form() -> str:
        return security.csrf_token()

    @app.post("/test-exempt")
    @security.csrf_exempt
    def test_exempt() -> str:
        return "exempt"

    return app


def test_post_with_the_token_passes(form_app: Flask) -> None:
    client = form_app.test_client()
    token = client.get("/test-form").get_data(as_text=True)
    assert client.get_cookie(security.CSRF_COOKIE) is not None
    response = client.post("/test-form", data={security.CSRF_FIELD: token})
    assert response.status_code == 200
    header = client.post("/test-form", headers={"X-CSRF-Token": token})
    assert header.status_code == 200


def test_post_without_or_with_a_bad_token_is_refused(form_app: Flask) -> None:
    client = form_app.test_client()
    token = client.get("/test-form").get_data(as_text=True)
    assert client.post("/test-form").status_code == 400
    assert client.post("/test-form", data={security.CSRF_FIELD: token + "x"}).status_code == 400
    assert client.post("/test-form", data={security.CSRF_FIELD: "forged"}).status_code == 400


def test_a_token_from_another_visitor_is_refused(form_app: Flask) -> None:
    mallory = form_app.test_client()
    stolen = mallory.get("/test-form").get_data(as_text=True)
    victim = form_app.test_client()
    victim.get("/test-form")
    assert victim.post("/test-form", data={security.CSRF_FIELD: stolen}).status_code == 400


def test_a_token_without_its_cookie_is_refused(form_app: Flask) -> None:
    client = form_app.test_client()
    token = client.get("/test-form").get_data(as_text=True)
    client.delete_cookie(security.CSRF_COOKIE)
    assert client.post("/test-form", data={security.CSRF_FIELD: token}).status_code == 400


def test_the_cookie_is_reused_and_exempt_views_pass(form_app: Flask) -> None:
    client = form_app.test_client()
    client.get("/test-form")
    first = client.get_cookie(security.CSRF_COOKIE)
    assert first is not None and first.http_only and first.same_site == "Strict"
    client.get("/test-form")
    assert client.get_cookie(security.CSRF_COOKIE).value == first.value
    assert client.post("/test-exempt").get_data(as_text=True) == "exempt"


def test_pages_set_no_cookie(client: FlaskClient) -> None:
    # Cached pages carry no token, so visitors who only look get no cookie.
    for url in ("/fr/", "/fr/rooms/lab/", "/fr/agenda/"):
        assert "Set-Cookie" not in client.get(url).headers


# --- redirects ------------------------------------------------------------------------

SAMPLE_VALUES = {"lang": "fr", "room": "lab", "exhibit": "lanterns", "session": "opening"}


def _slash_redirects(app: Flask) -> list[tuple[str, str]]:
    """Return (requested, expected Location) for every route that ends in a slash."""
    cases = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.rule.endswith("/") and rule.rule != "/" and "GET" in (rule.methods or ()):
                target = url_for(rule.endpoint, **{k: SAMPLE_VALUES[k] for k in rule.arguments})
                cases.append((target.rstrip("/"), target))
    return cases


def test_every_redirect_is_relative(app: Flask, client: FlaskClient) -> None:
    cases = [
        ("/", "/fr/"),
        ("/fr", "/fr/"),
        ("/en?from=poster", "/en/?from=poster"),
        ("/fr//rooms/lab/", "/fr/rooms/lab/"),
        ("/static//css/site.css", "/static/css/site.css"),
        *_slash_redirects(app),
    ]
    assert len(cases) >= 8, "every slash-ending page route has its case"
    for requested, expected in cases:
        response = client.get(requested, headers={"Host": "evil.example"})
        assert 300 <= response.status_code < 400, requested
        # A relative Location: the Host header is the visitor's to choose, never echoed.
        assert response.headers["Location"] == expected, requested
        assert "evil.example" not in response.get_data(as_text=True)


def test_a_redirect_never_leads_to_another_host(client: FlaskClient) -> None:
    for requested in ("//evil.example/fr", "/fr//evil.example", "///evil.example/"):
        # Raw paths: the test client would read a leading // as a host.
        response = client.get("/", environ_overrides={"PATH_INFO": requested})
        location = response.headers.get("Location", "")
        assert not location.startswith("//"), (requested, location)
        assert "://" not in location, (requested, location)
