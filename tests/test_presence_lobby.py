"""The lobby as a place: `enter` `@lobby`, its visitors, its chat and its count in `occupancy`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gallery.console import attendance, recent_chat
from gallery.records import records_of

from .test_sockets import enter, events, flush

Client = Any


@pytest.fixture
def visitors(socket_factory: Callable[[], Client]) -> Callable[[int], list[Client]]:
    """Make `n` connected visitors."""
    return lambda n: [socket_factory() for _ in range(n)]


def test_entering_the_lobby_lists_its_visitors(app: Flask, visitors) -> None:
    """`enter` `@lobby` acks like a room: the lobby's count, visitors and chat."""
    a, b = visitors(2)
    first = enter(a, room="@lobby", name="Ada")
    assert (first["ok"], first["room"], first["count"], first["chat"]) == (True, "@lobby", 1, [])
    flush(app)
    a.get_received()
    ack = enter(b, room="@lobby", name="Bruno")
    assert ack["count"] == 2
    assert [v["name"] for v in ack["visitors"]] == ["Ada", "Bruno"]
    flush(app)
    [presence] = events(a, "presence")
    assert presence["room"] == "@lobby" and presence["count"] == 2
    assert [v["name"] for v in presence["joined"]] == ["Bruno"]


def test_the_lobby_and_the_rooms_do_not_hear_each_other(app: Flask, visitors) -> None:
    """Presence and chat of the lobby stay in the lobby; a room's stay in the room."""
    lobby, room = visitors(2)
    enter(lobby, room="@lobby", name="Ada")
    enter(room, room="hall", name="Bruno")
    flush(app)
    lobby.get_received()
    room.get_received()
    assert lobby.emit("chat", {"text": "Bonjour"}, callback=True) == {"ok": True}
    [message] = events(lobby, "chat")
    assert message["text"] == "Bonjour"
    assert events(room, "chat") == []
    assert enter(room, room="hall")["chat"] == []
    # The lobby's chat is kept like a room's: its history comes with the next `enter`.
    assert [m["text"] for m in enter(room, room="@lobby")["chat"]] == ["Bonjour"]


def test_leaving_the_lobby_for_a_room_is_seen_in_both(app: Flask, visitors) -> None:
    """Walking from the lobby into a room leaves the lobby, like any room."""
    a, b, c = visitors(3)
    ada = enter(a, room="@lobby", name="Ada")
    enter(b, room="@lobby")
    enter(c, room="hall")
    flush(app)
    b.get_received()
    c.get_received()
    enter(a, room="hall")
    flush(app)
    [in_lobby] = events(b, "presence")
    assert in_lobby["left"] == [ada["id"]] and in_lobby["count"] == 1
    [in_hall] = events(c, "presence")
    assert [v["name"] for v in in_hall["joined"]] == ["Ada"]


def test_occupancy_counts_the_lobby_apart_and_in_the_total(app: Flask, visitors) -> None:
    """`occupancy` keeps `rooms` to the exhibition's rooms; the lobby has its own key."""
    a, b, c = visitors(3)
    enter(a, room="@lobby")
    enter(b, room="@lobby", invisible=True)
    enter(c, room="lab")
    flush(app, now=100.0)
    assert events(a, "occupancy") == [
        {"rooms": {"hall": 0, "lab": 1, "stage": 0}, "lobby": 2, "total": 3}
    ]


def test_presence_json_and_console_count_the_lobby(
    app: Flask, client: FlaskClient, visitors
) -> None:
    """`/api/presence.json` and the hosts' attendance count the lobby's visitors."""
    a, b = visitors(2)
    enter(a, room="@lobby")
    enter(b, room="hall")
    data = client.get("/api/presence.json").get_json()
    assert (data["lobby"], data["total"], data["rooms"]["hall"]) == (1, 2, 1)
    exhibition = app.extensions["gallery.site"].exhibition
    assert attendance(app, exhibition)["lobby"] == 1


def test_hosts_see_the_lobby_chat_to_moderate_it(app: Flask, socket_client: Client) -> None:
    """The console's recent chat lists what was said in the lobby, under "Lobby"."""
    enter(socket_client, room="@lobby", name="Ada")
    socket_client.emit("chat", {"text": "Bonjour"}, callback=True)
    exhibition = app.extensions["gallery.site"].exhibition
    [(slug, title, messages)] = recent_chat(records_of(app), exhibition)
    assert (slug, title, [m.text for m in messages]) == ("@lobby", "Lobby", ["Bonjour"])


@pytest.mark.parametrize(
    ("payload", "error"),
    [
        ({"room": "@lobby", "exhibit": "maps"}, "unknown exhibit"),
        ({"room": "@LOBBY"}, "unknown room"),
        ({"room": "lobby"}, "unknown room"),
        ({"room": "@lobby "}, "unknown room"),
    ],
)
def test_lobby_lookalikes_and_exhibits_are_refused(
    app: Flask, socket_client: Client, payload: Any, error: str
) -> None:
    """Only `@lobby` itself names the lobby, and no exhibit can be stood at there."""
    assert socket_client.emit("enter", payload, callback=True) == {"ok": False, "error": error}
    assert app.extensions["gallery.presence"].store.count("@lobby") == 0


def test_attendance_names_the_lobby_in_the_report() -> None:
    """The attendance report counts the lobby like a room, under its name, not its key."""
    from gallery.attendance.report import _room_title

    assert _room_title(None, "@lobby", "fr") == "Accueil"
    assert _room_title(None, "@lobby", "en") == "Lobby"
