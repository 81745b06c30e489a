"""The presence protocol over Socket.IO: every event, every ack, every refusal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from gallery import create_app
from gallery.extensions import socketio
from gallery.presence.text import claims_default_name
from gallery.records import records_of

from .conftest import BASIC

Client = Any


def flush(app: Flask, now: float | None = None) -> None:
    """Run one presence tick now instead of waiting for the ticker."""
    app.extensions["gallery.presence"].broadcaster.flush(now)


def events(client: Client, name: str) -> list[Any]:
    """Return the payloads of the `name` events the client received, forgetting all received."""
    return [e["args"][0] for e in client.get_received() if e["name"] == name]


def enter(client: Client, **payload: Any) -> Any:
    """Send `enter` with an ack and return the ack."""
    return client.emit("enter", payload, callback=True)


@pytest.fixture
def visitors(socket_factory: Callable[[], Client]) -> Callable[[int], list[Client]]:
    """Make `n` connected visitors."""
    return lambda n: [socket_factory() for _ in range(n)]


def test_enter_acks_with_id_count_visitors_and_chat(app: Flask, socket_client: Client) -> None:
    """An `enter` ack holds the id, the count, the visitors and the chat history."""
    ack = enter(socket_client, room="lab", exhibit="maps", name="Ada")
    assert ack["ok"] is True
    assert ack["room"] == "lab" and ack["count"] == 1
    assert ack["visitors"] == [
        {"id": ack["id"], "name": "Ada", "exhibit": "maps", "colour": ack["colour"]}
    ]
    assert ack["chat"] == []
    assert isinstance(ack["id"], str) and ack["id"] != socket_client.eio_sid


def test_others_see_a_visitor_join_move_and_leave(app: Flask, visitors) -> None:
    """Others in the room see a visitor join, move and leave."""
    a, b = visitors(2)
    enter(a, room="lab")
    flush(app)
    a.get_received()
    ack = enter(b, room="lab", name="Bob")
    flush(app)
    [presence] = events(a, "presence")
    assert presence == {
        "room": "lab",
        "count": 2,
        "joined": [{"id": ack["id"], "name": "Bob", "exhibit": None, "colour": ack["colour"]}],
        "left": [],
        "moved": [],
    }
    enter(b, room="lab", exhibit="lanterns", name="Bob")
    flush(app)
    assert events(a, "presence")[0]["moved"] == [
        {"id": ack["id"], "exhibit": "lanterns", "colour": ack["colour"]}
    ]
    b.disconnect()
    flush(app)
    [presence] = events(a, "presence")
    assert presence["left"] == [ack["id"]] and presence["count"] == 1


def test_entering_another_room_leaves_the_first(app: Flask, visitors) -> None:
    """Entering another room leaves the first."""
    a, b = visitors(2)
    enter(a, room="hall")
    ack = enter(b, room="hall")
    flush(app)
    a.get_received()
    assert enter(b, room="lab")["count"] == 1
    flush(app)
    [presence] = events(a, "presence")
    assert presence["left"] == [ack["id"]] and presence["count"] == 1
    b.get_received()
    enter(a, room="hall", name="Ada 2")
    flush(app)
    assert events(b, "presence") == []  # b no longer hears the hall


def test_presence_goes_only_to_the_room(app: Flask, visitors) -> None:
    """Presence goes only to the room."""
    a, b = visitors(2)
    enter(a, room="hall")
    enter(b, room="stage")
    flush(app)
    a.get_received()
    b.get_received()
    enter(visitors(1)[0], room="hall")
    flush(app)
    assert len(events(a, "presence")) == 1
    assert events(b, "presence") == []


def test_join_then_leave_within_a_tick_is_not_seen(app: Flask, visitors) -> None:
    """Join then leave within a tick is not seen."""
    a, b = visitors(2)
    enter(a, room="hall")
    flush(app)
    a.get_received()
    enter(b, room="hall")
    b.disconnect()
    flush(app)
    assert events(a, "presence") == []


def test_occupancy_goes_to_everyone_when_it_changed(app: Flask, visitors) -> None:
    """Occupancy goes to everyone when it changed."""
    a, b = visitors(2)
    enter(a, room="hall")
    flush(app, now=100.0)
    assert events(b, "occupancy") == [
        {"rooms": {"hall": 1, "lab": 0, "stage": 0}, "lobby": 0, "total": 1}
    ]
    a.get_received()
    enter(b, room="stage")
    flush(app, now=100.5)
    assert events(a, "occupancy") == []  # not twice within a second
    flush(app, now=101.0)
    assert events(a, "occupancy") == [
        {"rooms": {"hall": 1, "lab": 0, "stage": 1}, "lobby": 0, "total": 2}
    ]
    flush(app, now=105.0)
    assert events(a, "occupancy") == []  # unchanged


def test_default_name_is_in_the_exhibition_language(socket_client: Client) -> None:
    """Default name is in the exhibition language."""
    ack = enter(socket_client, room="hall")
    word, number = ack["visitors"][0]["name"].split(" ")
    assert word == "Visiteur" and number.isdigit()
    ack = enter(socket_client, room="lab")
    assert ack["visitors"][0]["name"].startswith("Visiteur ")  # kept across rooms


def test_the_ack_names_the_visitor_as_the_others_see_them(socket_client: Client) -> None:
    """Pages show the default name the server gave, so the ack says it, even when invisible."""
    ack = enter(socket_client, room="hall", name="Visitor 123", invisible=True)
    assert ack["name"] != "Visitor 123" and claims_default_name(ack["name"])
    listed = enter(socket_client, room="lab")
    assert listed["name"] == ack["name"] == listed["visitors"][0]["name"]


def test_long_name_is_cut_and_html_kept_as_text(app: Flask, socket_client: Client) -> None:
    """Long name is cut and HTML kept as text."""
    name = "<img src=x onerror=alert(1)>&amp;" + "x" * 100
    ack = enter(socket_client, room="hall", name=name)
    shown = ack["visitors"][0]["name"]
    assert len(shown) == app.config["NAME_MAX"]
    assert shown == name[: app.config["NAME_MAX"]]


def test_control_characters_are_stripped_from_names(socket_client: Client) -> None:
    """Control characters are stripped from names."""
    ack = enter(socket_client, room="hall", name="\x00Ada\u202e\nL")
    assert ack["visitors"][0]["name"] == "Ada L"


@pytest.mark.parametrize(
    ("payload", "error"),
    [
        ("hall", "bad payload"),
        (["hall"], "bad payload"),
        (None, "bad payload"),
        ({}, "bad payload"),
        ({"room": 3}, "bad payload"),
        ({"room": "hall", "name": {"x": 1}}, "bad payload"),
        ({"room": "hall", "invisible": 1}, "bad payload"),
        ({"room": "cellar"}, "unknown room"),
        ({"room": "lab", "exhibit": "nope"}, "unknown exhibit"),
        ({"room": "hall", "exhibit": "maps"}, "unknown exhibit"),
    ],
)
def test_bad_enter_is_refused_and_not_broadcast(
    app: Flask, visitors, payload: Any, error: str
) -> None:
    """A bad `enter` is refused and nothing is broadcast."""
    a, b = visitors(2)
    enter(a, room="hall")
    flush(app)
    a.get_received()
    assert b.emit("enter", payload, callback=True) == {"ok": False, "error": error}
    flush(app)
    assert events(a, "presence") == []
    assert app.extensions["gallery.presence"].store.count("hall") == 1


def test_enter_without_payload_is_refused(socket_client: Client) -> None:
    """An `enter` without a payload is refused."""
    assert socket_client.emit("enter", callback=True) == {"ok": False, "error": "bad payload"}


def test_unknown_keys_are_ignored(socket_client: Client) -> None:
    """Unknown keys are ignored."""
    assert enter(socket_client, room="hall", colour="#fff", extra=[1])["ok"] is True


def test_enter_without_ack_callback_still_enters(app: Flask, visitors) -> None:
    """Events sent without an ack callback are still processed."""
    a, b = visitors(2)
    enter(a, room="hall")
    flush(app)
    a.get_received()
    b.emit("enter", {"room": "hall", "name": "Bob"})
    b.emit("enter", "garbage")
    b.emit("chat", {"text": "hi"})
    flush(app)
    assert events(a, "presence")[0]["joined"][0]["name"] == "Bob"


def test_invisible_visitors_are_counted_not_listed(app: Flask, visitors) -> None:
    """Invisible visitors are counted but never listed, and their moves are not sent."""
    a, ghost = visitors(2)
    enter(a, room="lab")
    flush(app)
    a.get_received()
    ack = enter(ghost, room="lab", name="Ghost", invisible=True)
    assert ack["count"] == 2
    assert [v["name"] for v in ack["visitors"]] != [] and "Ghost" not in str(ack["visitors"])
    flush(app)
    [presence] = events(a, "presence")
    assert presence["count"] == 2 and presence["joined"] == []
    enter(ghost, room="lab", exhibit="maps", invisible=True)
    flush(app)
    assert events(a, "presence") == []
    assert "Ghost" not in str(enter(a, room="lab"))
    ghost.disconnect()
    flush(app)
    [presence] = events(a, "presence")
    assert presence["count"] == 1 and presence["left"] == []


def test_chat_goes_to_the_room_as_text(app: Flask, visitors) -> None:
    """Chat goes to the room as text."""
    a, b, c = visitors(3)
    ack = enter(a, room="hall", name="Ada")
    enter(b, room="hall")
    enter(c, room="stage")
    for client in (a, b, c):
        client.get_received()
    text = "<script>alert('x')</script> &amp; <b>bold</b>"
    assert a.emit("chat", {"text": text}, callback=True) == {"ok": True}
    [message] = events(b, "chat")
    assert message["text"] == text  # sent as given: the client renders it as text
    assert (message["id"], message["name"]) == (ack["id"], "Ada")
    assert message["at"].endswith("Z")
    assert events(a, "chat") == [message]
    assert events(c, "chat") == []
    assert enter(c, room="hall")["chat"] == [message]


def test_chat_history_is_capped(app: Flask, socket_client: Client) -> None:
    """Chat history is capped, read from the records the first time a room is entered."""
    records = records_of(app)
    for i in range(app.config["CHAT_HISTORY"] + 5):
        records.add_chat("hall", "v:earlier", "Ada", str(i))
    history = enter(socket_client, room="hall")["chat"]
    assert len(history) == app.config["CHAT_HISTORY"]
    assert history[-1]["text"] == str(app.config["CHAT_HISTORY"] + 4)


@pytest.mark.parametrize(
    ("payload", "error"),
    [
        ("hi", "bad payload"),
        ({"message": "hi"}, "bad payload"),
        ({"text": ["hi"]}, "bad payload"),
        ({"text": " \x00\n "}, "empty message"),
        ({"text": "x" * 501}, "message too long"),
    ],
)
def test_bad_chat_is_refused_and_not_broadcast(
    app: Flask, visitors, payload: Any, error: str
) -> None:
    """A bad `chat` is refused and nothing is broadcast."""
    a, b = visitors(2)
    enter(a, room="hall")
    enter(b, room="hall")
    a.get_received()
    assert b.emit("chat", payload, callback=True) == {"ok": False, "error": error}
    assert events(a, "chat") == []
    assert enter(a, room="hall")["chat"] == []


def test_chat_before_enter_is_refused(socket_client: Client) -> None:
    """Chat before enter is refused."""
    ack = socket_client.emit("chat", {"text": "hello"}, callback=True)
    assert ack == {"ok": False, "error": "not in a room"}


@pytest.fixture
def strict_app() -> Flask:
    """An app allowing one event a second (a burst of two)."""
    return create_app({"TESTING": True, "ROOMS": str(BASIC), "EVENT_RATE": 1.0})


def test_a_flood_is_rate_limited_and_not_broadcast(strict_app: Flask) -> None:
    """A flood is rate limited and not broadcast."""
    a = socketio.test_client(strict_app)
    flooder = socketio.test_client(strict_app)
    try:
        enter(a, room="hall")
        flush(strict_app)
        a.get_received()
        acks = [enter(flooder, room="hall", exhibit=None, name=f"n{i}") for i in range(10)]
        assert [ack["ok"] for ack in acks[:2]] == [True, True]
        assert acks[2:] == [{"ok": False, "error": "rate limited"}] * 8
        assert flooder.emit("chat", {"text": "spam"}, callback=True)["error"] == "rate limited"
        flush(strict_app)
        joined = [j["name"] for p in events(a, "presence") for j in p["joined"]]
        assert joined == ["n1"]  # the last accepted name, never a refused one
        assert events(a, "chat") == []
    finally:
        a.disconnect()
        flooder.disconnect()


def test_a_crash_in_a_handler_is_an_error_ack_and_does_not_leak(
    app: Flask, visitors, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A crash in a handler is an error ack and does not leak."""
    a, b = visitors(2)
    presence = app.extensions["gallery.presence"]
    enter(a, room="hall")

    def broken(*_args: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(presence.store, "snapshot", broken)
    assert enter(b, room="hall") == {"ok": False, "error": "internal error"}
    assert "boom" in caplog.text
    monkeypatch.undo()
    assert presence.store.count("hall") == 2  # entered before the crash
    assert a.emit("chat", {"text": "hi"}, callback=True) == {"ok": True}
    assert [m["text"] for m in events(b, "chat")] == ["hi"]  # and it hears the room
    b.disconnect()
    assert presence.store.count("hall") == 1
    assert enter(a, room="hall")["count"] == 1  # other visitors are not stalled


def test_disconnect_always_leaves(app: Flask, visitors) -> None:
    """Disconnect always leaves."""
    clients = visitors(5)
    for i, client in enumerate(clients):
        enter(client, room=("hall", "lab")[i % 2])
    presence = app.extensions["gallery.presence"]
    assert presence.store.occupancy() == {"hall": 3, "lab": 2}
    for client in clients:
        client.disconnect()
    assert presence.store.occupancy() == {"hall": 0, "lab": 0}
    connections = presence.connections
    assert len(connections) == 0 and connections.everyone() == []
    assert connections.members("hall") == connections.members("lab") == []


RESERVED = ["connect", "disconnect", "connect_error", "disconnecting", "newListener"]


@pytest.mark.parametrize("name", RESERVED)
def test_an_event_with_a_reserved_name_changes_nothing(app: Flask, visitors, name: str) -> None:
    """A client event named like Socket.IO's own is refused; its visitor stays as it was."""
    a, b = visitors(2)
    ack = enter(a, room="lab", name="Ada")
    enter(b, room="lab")
    flush(app)
    b.get_received()
    assert a.emit(name, {"reason": "x"}, callback=True) == {"ok": False, "error": "unknown event"}
    a.emit(name)
    flush(app)
    assert events(b, "presence") == []
    presence = app.extensions["gallery.presence"]
    assert presence.store.count("lab") == 2
    assert enter(a, room="lab")["id"] == ack["id"]


@pytest.mark.parametrize("name", RESERVED)
def test_events_with_reserved_names_count_against_the_rate_limit(
    strict_app: Flask, name: str
) -> None:
    """Reserved names cost a token like any event and never refill the budget."""
    a = socketio.test_client(strict_app)
    flooder = socketio.test_client(strict_app)
    try:
        enter(a, room="hall")
        acks = []
        for _ in range(3):
            acks.append(flooder.emit(name, callback=True))
            acks.append(enter(flooder, room="hall"))
            acks.append(flooder.emit("chat", {"text": "spam"}, callback=True))
        assert acks[0] == {"ok": False, "error": "unknown event"}
        assert acks[1]["ok"] is True
        assert acks[2:] == [{"ok": False, "error": "rate limited"}] * 7
        flush(strict_app)
        assert events(a, "chat") == []
        assert strict_app.extensions["gallery.presence"].store.count("hall") == 2
    finally:
        a.disconnect()
        flooder.disconnect()


def test_an_unknown_event_is_refused_and_counted(strict_app: Flask) -> None:
    """An event the protocol lacks is refused and costs a token."""
    client = socketio.test_client(strict_app)
    try:
        assert client.emit("dance", {}, callback=True) == {"ok": False, "error": "unknown event"}
        assert enter(client, room="hall")["ok"] is True
        assert enter(client, room="hall") == {"ok": False, "error": "rate limited"}
    finally:
        client.disconnect()


@pytest.mark.parametrize("name", ["\u200b\u200b", "Visitor 7", "Visiteur 42", "\u3164"])
def test_an_invisible_or_default_looking_name_gets_a_default_name(
    socket_client: Client, name: str
) -> None:
    """Such a name is replaced by one of the server's defaults, or the visitor's previous name."""
    ack = enter(socket_client, room="lab", name=name)
    [me] = ack["visitors"]
    assert me["name"] != name and claims_default_name(me["name"])
    enter(socket_client, room="lab", name="Ada")
    assert enter(socket_client, room="lab", name=name)["visitors"][0]["name"] == "Ada"
