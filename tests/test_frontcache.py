"""The front cache replays Flask's own page responses, byte for byte, and nothing else."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, Response, request
from jinja2 import ChoiceLoader, DictLoader

from gallery import create_app, frontcache
from gallery.frontcache import FrontCache

from .conftest import BASIC
from .pagecheck import copy_exhibition

PAGES = (
    "/fr/",
    "/en/",
    "/fr/rooms/lab/",
    "/en/rooms/hall/",
    "/fr/rooms/lab/lanterns/",
    "/en/rooms/lab/maps/",
    "/fr/agenda/",
    "/en/agenda/",
)

Answer = tuple[str, list[tuple[str, str]], bytes]


def make_app(root: Path = BASIC, front: bool = True) -> Flask:
    """Build a test app on `root`, with or without the front cache."""
    return create_app(
        {"TESTING": True, "ROOMS": str(root), "SECRET_KEY": "test", "FRONT_CACHE": front}
    )


def count_flask_calls(app: Flask) -> list[str]:
    """Record the path of every request the front cache hands on to Flask."""
    front = app.wsgi_app
    assert isinstance(front, FrontCache)
    calls: list[str] = []
    inner = front.app

    def spy(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        calls.append(environ["PATH_INFO"])
        return inner(environ, start_response)

    front.app = spy
    return calls


def answer(app: Flask, url: str, method: str = "GET", **headers: str) -> Answer:
    """Return the status line, every header in order but Date, and the body of one request."""
    response = app.test_client().open(url, method=method, headers=headers)
    # Two answers a second apart differ in Date alone: on a busy machine that is no failure.
    kept = [(name, value) for name, value in response.headers.items() if name != "Date"]
    return response.status, kept, response.get_data()


def store_of(app: Flask) -> frontcache.Store | None:
    """Return the front cache's store in the app's current snapshot."""
    return app.extensions["gallery.site"].snapshot.peek(frontcache.STORE)


def with_templates(app: Flask, templates: dict[str, str]) -> None:
    """Let `templates` shadow the app's own templates."""
    app.jinja_env.loader = ChoiceLoader([DictLoader(templates), app.jinja_env.loader])


# What browsers and other clients send: none, one coding, several with preferences.
ENCODINGS = ("", "gzip", "br", "gzip, deflate, br, zstd", "br;q=0, gzip")


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("url", PAGES)
def test_a_page_is_replayed_exactly_as_flask_answered_it(url: str, encoding: str) -> None:
    """Status line, every header in order and the body equal Flask's own, on a hit."""
    headers = {"Accept-Encoding": encoding} if encoding else {}
    expected = answer(make_app(front=False), url, **headers)
    app = make_app()
    calls = count_flask_calls(app)
    first = answer(app, url, **headers)
    second = answer(app, url, **headers)
    assert calls == [url]
    assert expected[0] == "200 OK"
    assert first == expected
    assert second == expected


def test_each_coding_gets_its_own_replay() -> None:
    """Brotli, gzip and plain answers of one page are kept apart, each Flask's own."""
    url = "/fr/rooms/lab/"
    plain = make_app(front=False)
    app = make_app()
    calls = count_flask_calls(app)
    order = ("br", "gzip", "", "gzip, br", "gzip", "br", "")
    for encoding in order:
        headers = {"Accept-Encoding": encoding} if encoding else {}
        got = answer(app, url, **headers)
        assert got == answer(plain, url, **headers)
        assert dict(got[1]).get("Content-Encoding") == (encoding.split(",")[-1].strip() or None)
    # One Flask call per coding; "gzip, br" picks Brotli, already kept.
    assert calls == [url] * 3


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_a_revalidation_of_a_compressed_page_replays_flasks_304(encoding: str) -> None:
    """The ETag of a compressed form validates that form only, as Flask decides."""
    url = "/fr/rooms/lab/lanterns/"
    plain = make_app(front=False)
    etag = dict(answer(plain, url, **{"Accept-Encoding": encoding})[1])["ETag"]
    app = make_app()
    calls = count_flask_calls(app)
    answer(app, url, **{"Accept-Encoding": encoding})
    for coding in (encoding, "", encoding, ""):
        headers = {"If-None-Match": etag}
        if coding:
            headers["Accept-Encoding"] = coding
        got = answer(app, url, **headers)
        assert got == answer(plain, url, **headers)
        assert got[0].startswith("304" if coding else "200")
    assert calls == [url, url, url]


@pytest.mark.parametrize("url", PAGES[:3])
def test_head_is_replayed_with_get_headers_and_no_body(url: str) -> None:
    """A HEAD gets the headers Flask gives a HEAD (Content-Length included) and no body."""
    expected = answer(make_app(front=False), url, "HEAD")
    app = make_app()
    calls = count_flask_calls(app)
    answer(app, url)
    head = answer(app, url, "HEAD")
    assert calls == [url]
    assert head == expected
    assert head[2] == b""
    assert ("Content-Length", str(len(answer(app, url)[2]))) in head[1]


@pytest.mark.parametrize("validator", ["If-None-Match", "If-Modified-Since"])
def test_a_revalidation_replays_flasks_304(validator: str) -> None:
    """A matching validator gets Flask's own 304; the first one is asked of Flask."""
    url = "/fr/rooms/lab/lanterns/"
    plain = make_app(front=False)
    full = answer(plain, url)
    value = dict(full[1])["ETag" if validator == "If-None-Match" else "Last-Modified"]
    expected = answer(plain, url, **{validator: value})
    assert expected[0].startswith("304")
    app = make_app()
    calls = count_flask_calls(app)
    answer(app, url)
    first = answer(app, url, **{validator: value})
    second = answer(app, url, **{validator: value})
    head = answer(app, url, "HEAD", **{validator: value})
    assert calls == [url, url]
    assert first == second == head == expected
    assert second[2] == b""


def test_a_stale_validator_gets_the_full_page() -> None:
    """An ETag that no longer matches gets the cached 200, as Flask would send it."""
    url = "/fr/rooms/lab/"
    expected = answer(make_app(front=False), url, **{"If-None-Match": '"old"'})
    app = make_app()
    calls = count_flask_calls(app)
    answer(app, url)
    assert answer(app, url, **{"If-None-Match": '"old"'}) == expected
    assert expected[0] == "200 OK"
    assert calls == [url]


@pytest.mark.parametrize(
    "url",
    ["/", "/fr/rooms/nowhere/", "/de/", "/api/gallery.json", "/theme.css", "/fr/rooms/lab"],
)
def test_other_answers_always_go_to_flask(url: str) -> None:
    """Redirects, 404 pages, data and stylesheets are not kept, and stay Flask's own."""
    plain = make_app(front=False)
    app = make_app()
    calls = count_flask_calls(app)
    for _ in range(2):
        assert answer(app, url, **{"Accept-Language": "en"}) == answer(
            plain, url, **{"Accept-Language": "en"}
        )
    assert calls == [url, url]
    assert store_of(app) is None


def test_a_query_string_goes_to_flask() -> None:
    """Flask serves `?x=1` the same page; it is still asked every time."""
    app = make_app()
    calls = count_flask_calls(app)
    plain = answer(app, "/fr/rooms/lab/")
    assert answer(app, "/fr/rooms/lab/?x=1") == plain
    assert answer(app, "/fr/rooms/lab/?x=1") == plain
    assert calls == ["/fr/rooms/lab/"] * 3


def test_a_reload_drops_the_replayed_pages(tmp_path: Path) -> None:
    """Changed room files give a new snapshot, and the new page is served at once."""
    root = copy_exhibition(BASIC, tmp_path)
    app = make_app(root)
    before = answer(app, "/en/rooms/lab/")
    assert b"Lanterns and maps." in answer(app, "/en/rooms/lab/")[2]
    room = root / "02-lab" / "room.md"
    room.write_text(room.read_text().replace("Lanterns and maps.", "Lamps and charts."))
    later = time.time() + 2
    os.utime(room, (later, later))
    assert app.extensions["gallery.site"].reload_if_changed() is not None
    assert store_of(app) is None
    after = answer(app, "/en/rooms/lab/")
    assert b"Lamps and charts." in after[2]
    assert dict(after[1])["ETag"] != dict(before[1])["ETag"]
    assert answer(app, "/en/rooms/lab/") == after


def test_a_page_re_rendered_in_place_is_not_replayed_stale() -> None:
    """An entry belongs to one rendered page: replacing it in the render cache retires it."""
    app = make_app()
    calls = count_flask_calls(app)
    answer(app, "/fr/agenda/")
    snapshot = app.extensions["gallery.site"].snapshot
    snapshot.forget(("page", "agenda.html", ("agenda", "fr")))
    answer(app, "/fr/agenda/")
    assert calls == ["/fr/agenda/"] * 2


def test_a_response_setting_a_cookie_is_never_replayed() -> None:
    """A slot that asks for a CSRF token sets a cookie: every request goes to Flask."""
    app = make_app()
    with_templates(app, {"live/count.html": '<i data-t="{{ csrf_token() }}"></i>'})
    calls = count_flask_calls(app)
    for _ in range(3):
        status, headers, _body = answer(app, "/fr/rooms/lab/")
        assert status == "200 OK"
        assert "Set-Cookie" in dict(headers)
    assert len(calls) == 3
    assert store_of(app) is None


def test_a_cookie_added_after_the_view_is_never_replayed() -> None:
    """Even on a slot-free page, a Set-Cookie or Vary from a later hook keeps it out."""
    app = make_app()

    @app.after_request
    def mark(response: Response) -> Response:
        if request.path.endswith("/lab/"):
            response.set_cookie("seen", "1")
        else:
            response.vary.add("Cookie")
        return response

    calls = count_flask_calls(app)
    for url in ("/fr/rooms/lab/", "/fr/rooms/lab/", "/fr/", "/fr/"):
        answer(app, url)
    assert calls == ["/fr/rooms/lab/", "/fr/rooms/lab/", "/fr/", "/fr/"]
    assert store_of(app) is None


def test_a_page_with_a_per_request_slot_is_never_replayed() -> None:
    """A slot reading the request is rendered for each visitor, so Flask answers each."""
    app = make_app()
    with_templates(app, {"live/room.html": '<b id="probe">{{ request.headers["X-Who"] }}</b>'})
    calls = count_flask_calls(app)
    ada = answer(app, "/fr/rooms/lab/", **{"X-Who": "ada"})
    grace = answer(app, "/fr/rooms/lab/", **{"X-Who": "grace"})
    assert b'<b id="probe">ada</b>' in ada[2]
    assert b'<b id="probe">grace</b>' in grace[2]
    assert len(calls) == 2
    assert store_of(app) is None


def test_each_host_gets_its_own_policy() -> None:
    """The CSP names the socket host: another Host header gets Flask's answer for it."""
    plain = make_app(front=False)
    app = make_app()
    calls = count_flask_calls(app)
    for host, other in (("one.test", "two.test"), ("two.test", "one.test")) * 2:
        got = answer(app, "/fr/", Host=host)
        assert got == answer(plain, "/fr/", Host=host)
        policy = dict(got[1])["Content-Security-Policy"]
        assert f"ws://{host} wss://{host};" in policy
        assert other not in policy
    assert calls == ["/fr/", "/fr/"]


def test_hostile_host_headers_do_not_grow_the_cache() -> None:
    """Past a few hosts, new ones are answered by Flask and kept nowhere."""
    app = make_app()
    plain = make_app(front=False)
    hosts = [f"h{n}.example" for n in range(frontcache.MAX_HOSTS * 4)]
    for host in hosts:
        answer(app, "/fr/", Host=host)
    store = store_of(app)
    assert store is not None
    assert len(store.hosts) == frontcache.MAX_HOSTS
    assert len(store.entries) == frontcache.MAX_HOSTS
    calls = count_flask_calls(app)
    last = hosts[-1]
    assert answer(app, "/fr/", Host=last) == answer(plain, "/fr/", Host=last)
    assert calls == ["/fr/"]


def test_the_number_of_entries_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """A full store keeps what it has and lets Flask answer the rest, unchanged."""
    monkeypatch.setattr(frontcache, "MAX_ENTRIES", 3)
    app = make_app()
    plain = make_app(front=False)
    for url in PAGES:
        answer(app, url)
    store = store_of(app)
    assert store is not None and len(store.entries) == 3
    calls = count_flask_calls(app)
    for url in PAGES:
        assert answer(app, url) == answer(plain, url)
    assert calls == list(PAGES[3:])


def test_other_methods_go_to_flask() -> None:
    """A POST to a page is Flask's to refuse, cache or no cache."""
    plain = make_app(front=False)
    app = make_app()
    answer(app, "/fr/")
    calls = count_flask_calls(app)
    assert answer(app, "/fr/", "POST") == answer(plain, "/fr/", "POST")
    assert calls == ["/fr/"]
