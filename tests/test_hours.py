"""Opening hours: before the opening, open, and closed, on the app's clock."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import orjson
import pytest
from flask import Flask

from gallery import create_app
from gallery.clock import FrozenClock
from gallery.content import load_exhibition
from gallery.extensions import socketio
from gallery.hours import moments, state_at

from .conftest import BASIC
from .host_helpers import PASSWORD, log_in

PARIS = ZoneInfo("Europe/Paris")
BEFORE = "2021-06-10T12:00+02:00"
OPEN = "2021-06-17T14:05+02:00"
CLOSED = "2099-07-01T09:00+02:00"


@pytest.fixture(scope="module")
def exhibition():
    return load_exhibition(BASIC).exhibition


@pytest.mark.parametrize(
    ("moment", "state"),
    [
        (datetime(2021, 6, 14, 8, 59, 59, tzinfo=PARIS), "before"),
        (datetime(2021, 6, 14, 9, 0, tzinfo=PARIS), "open"),
        (datetime(2099, 6, 30, 17, 59, 59, tzinfo=PARIS), "open"),
        (datetime(2099, 6, 30, 18, 0, tzinfo=PARIS), "closed"),
    ],
)
def test_the_state_changes_at_the_opening_and_the_closing(exhibition, moment, state) -> None:
    assert state_at(exhibition, moment) == state


def test_an_exhibition_without_hours_is_always_open(exhibition) -> None:
    from dataclasses import replace

    always = replace(exhibition, opens=None, closes=None)
    assert state_at(always, datetime(1990, 1, 1, tzinfo=PARIS)) == "open"
    assert moments(always) == ()


def make(moment: str, **config) -> tuple[Flask, FrozenClock]:
    clock = FrozenClock(moment)
    settings = {"TESTING": True, "ROOMS": str(BASIC), "SECRET_KEY": "t", "CLOCK": clock}
    return create_app(settings | config), clock


def state_of(app: Flask) -> str:
    return orjson.loads(app.test_client().get("/api/gallery.json").data)["state"]


@pytest.mark.parametrize(
    ("moment", "state"), [(BEFORE, "before"), (OPEN, "open"), (CLOSED, "closed")]
)
def test_gallery_json_carries_the_state(moment: str, state: str) -> None:
    app, _ = make(moment)
    assert state_of(app) == state


def test_before_the_opening_the_lobby_counts_down_and_rooms_wait() -> None:
    app, _ = make(BEFORE)
    client = app.test_client()
    lobby = client.get("/en/").get_data(as_text=True)
    assert '<time datetime="2021-06-14T09:00:00+02:00" data-countdown>' in lobby
    assert "js/countdown.js" in lobby
    assert "Start the visit" not in lobby
    assert "js/live.js" not in lobby
    room = client.get("/en/rooms/lab/")
    assert room.status_code == 403
    text = room.get_data(as_text=True)
    assert "The gallery is not open yet" in text
    assert "Lanterns" not in text
    assert client.get("/en/rooms/lab/lanterns/").status_code == 403


def test_before_the_opening_a_host_previews_the_rooms_and_no_cache_passes_it_on() -> None:
    app, _ = make(BEFORE, HOST_PASSWORD=PASSWORD)
    host = app.test_client()
    log_in(host)
    preview = host.get("/en/rooms/lab/")
    assert preview.status_code == 200
    assert "Preview for hosts" in preview.get_data(as_text=True)
    assert preview.headers["Cache-Control"] == "no-store"
    assert host.get("/en/rooms/lab/lanterns/").status_code == 200
    # The same path, right after, for a visitor: the front cache must not replay the preview.
    assert app.test_client().get("/en/rooms/lab/").status_code == 403


def test_the_rooms_open_when_the_clock_reaches_the_opening() -> None:
    app, clock = make(BEFORE)
    client = app.test_client()
    assert client.get("/en/rooms/lab/").status_code == 403
    assert "data-countdown" in client.get("/en/").get_data(as_text=True)
    clock.set("2021-06-14T09:00+02:00")
    assert client.get("/en/rooms/lab/").status_code == 200
    lobby = client.get("/en/").get_data(as_text=True)
    assert "data-countdown" not in lobby
    assert "Start the visit" in lobby
    assert state_of(app) == "open"


def test_while_open_pages_are_live_and_say_nothing_of_hours() -> None:
    app, _ = make(OPEN)
    page = app.test_client().get("/en/rooms/lab/").get_data(as_text=True)
    assert "js/live.js" in page
    assert "state-notice" not in page


def test_after_the_closing_pages_stay_readable_as_an_archive_without_live_parts() -> None:
    app, clock = make(OPEN)
    client = app.test_client()
    assert "js/live.js" in client.get("/fr/rooms/lab/").get_data(as_text=True)
    clock.set(CLOSED)
    for path in ("/fr/", "/fr/rooms/lab/", "/fr/rooms/lab/lanterns/", "/fr/agenda/"):
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        assert "Cette exposition est terminée" in page, path
        assert "js/live.js" not in page and "data-live-root" not in page, path
    assert state_of(app) == "closed"


def test_an_archive_build_reads_closed_whatever_the_clock() -> None:
    app, _ = make(OPEN, ARCHIVE=True)
    assert state_of(app) == "closed"
    assert "js/live.js" not in app.test_client().get("/en/rooms/lab/").get_data(as_text=True)


@pytest.mark.parametrize("moment", [BEFORE, CLOSED])
def test_outside_opening_hours_visitors_cannot_enter_ask_vote_or_applaud(moment: str) -> None:
    app, _ = make(moment)
    sio = socketio.test_client(app)
    try:
        for event, payload in [
            ("enter", {"room": "hall"}),
            ("ask", {"session": "opening", "text": "Why?"}),
            ("vote", {"question": 1}),
            ("applaud", {"session": "opening"}),
        ]:
            assert sio.emit(event, payload, callback=True) == {"ok": False, "error": "closed"}
    finally:
        sio.disconnect()


def test_before_the_opening_a_host_may_enter_to_rehearse_but_not_after_the_closing() -> None:
    app, clock = make(BEFORE, HOST_PASSWORD=PASSWORD)
    client = app.test_client()
    log_in(client)
    sio = socketio.test_client(app, flask_test_client=client)
    try:
        ack = sio.emit("enter", {"room": "hall"}, callback=True)
        assert ack["ok"] and ack["host"] is True
        clock.set(CLOSED)
        assert sio.emit("enter", {"room": "lab"}, callback=True) == {
            "ok": False,
            "error": "closed",
        }
    finally:
        sio.disconnect()
