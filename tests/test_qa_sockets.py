"""The Demo Day protocol over Socket.IO: every event, ack, permission and refusal."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from gallery import sockets
from gallery.extensions import socketio
from gallery.records import records_of

from .host_helpers import host_app, log_in

Client = Any
TOKEN = "a" * 22
OTHER_TOKEN = "b" * 22


def flush(app: Flask) -> None:
    """Run one presence tick now: presence, then the Demo Day's sources."""
    app.extensions["gallery.presence"].broadcaster.flush()


def events(client: Client, name: str) -> list[Any]:
    """Return the payloads of the `name` events the client received, forgetting all received."""
    return [e["args"][0] for e in client.get_received() if e["name"] == name]


@pytest.fixture
def connect(
    socket_factory: Callable[..., Client], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Client]:
    """Connect a client with a visitor token (or none), as a host when `host` is given."""

    def make(token: str | None = TOKEN, host: str | None = None) -> Client:
        monkeypatch.setattr(sockets, "host_from_environ", lambda _app, _environ: host)
        return socket_factory(auth={"token": token} if token is not None else None)

    return make


def ask(client: Client, text: Any = "What next?", session: Any = "opening") -> Any:
    """Send `ask` and return the ack."""
    return client.emit("ask", {"session": session, "text": text}, callback=True)


def test_a_question_asked_reaches_the_stage_room_once_per_tick(app: Flask, connect) -> None:
    """`ask` acks with the id; the stage room gets one `questions` per tick, others none."""
    asker, watcher, elsewhere = connect(), connect(OTHER_TOKEN), connect("c" * 22)
    asker.emit("enter", {"room": "stage", "name": "Ada"}, callback=True)
    watcher.emit("enter", {"room": "stage"}, callback=True)
    elsewhere.emit("enter", {"room": "hall"}, callback=True)
    flush(app)
    for client in (asker, watcher, elsewhere):
        client.get_received()
    first = ask(asker, "  What\tnext? ")
    second = ask(asker, "And then?")
    assert first["ok"] is True and second["id"] > first["id"]
    flush(app)
    [questions] = events(watcher, "questions")
    assert questions == {
        "session": "opening",
        "items": [
            {"id": first["id"], "text": "What next?", "name": "Ada", "votes": 0, "status": "open"},
            {"id": second["id"], "text": "And then?", "name": "Ada", "votes": 0, "status": "open"},
        ],
    }
    assert events(elsewhere, "questions") == []
    flush(app)
    assert events(watcher, "questions") == []


def test_votes_count_once_per_visitor_even_after_reconnecting(app: Flask, connect) -> None:
    """A second vote, also from a new connection with the same token, does not count."""
    asker, voter = connect(), connect(OTHER_TOKEN)
    question = ask(asker)["id"]
    assert voter.emit("vote", {"question": question}, callback=True) == {"ok": True, "votes": 1}
    assert voter.emit("vote", {"question": question}, callback=True) == {"ok": True, "votes": 1}
    voter.disconnect()
    again = connect(OTHER_TOKEN)
    assert again.emit("vote", {"question": question}, callback=True) == {"ok": True, "votes": 1}
    stranger = connect("d" * 22)
    assert stranger.emit("vote", {"question": question}, callback=True)["votes"] == 2


def test_votes_are_sorted_and_coalesced(app: Flask, connect) -> None:
    """Many votes within a tick make one `questions`, most votes first, then oldest."""
    watcher = connect()
    watcher.emit("enter", {"room": "stage"}, callback=True)
    old, new = ask(watcher, "Old")["id"], ask(watcher, "New")["id"]
    for n in range(3):
        connect(f"voter{n:02d}-xxxxxxxxxxxx").emit("vote", {"question": new}, callback=True)
    flush(app)
    [questions] = events(watcher, "questions")
    assert [(q["id"], q["votes"]) for q in questions["items"]] == [(new, 3), (old, 0)]


def test_without_a_token_a_vote_counts_once_per_connection(app: Flask, connect) -> None:
    """A client that sends no token (or a malformed one) votes as its connection."""
    question = ask(connect())["id"]
    for token in (None, "short", 42):
        client = connect(token)  # type: ignore[arg-type]
        client.emit("vote", {"question": question}, callback=True)
        client.emit("vote", {"question": question}, callback=True)
    assert records_of(app).question(question).votes == 3


@pytest.mark.parametrize(
    ("payload", "error"),
    [
        (None, "bad payload"),
        ("hello", "bad payload"),
        ({"session": "opening"}, "bad payload"),
        ({"session": "opening", "text": 42}, "bad payload"),
        ({"session": "opening", "text": ["a"]}, "bad payload"),
        ({"session": 1, "text": "Hi"}, "bad payload"),
        ({"session": "opening", "text": ""}, "text empty"),
        ({"session": "opening", "text": " \n\t\u202e "}, "text empty"),
        ({"session": "opening", "text": "x" * 501}, "text too long"),
        ({"session": "opening", "text": "x" * 100_000}, "text too long"),
        ({"session": "nope", "text": "Hi"}, "unknown session"),
    ],
)
def test_bad_questions_are_refused_and_not_stored(
    app: Flask, connect, payload: Any, error: str
) -> None:
    """A refused question changes nothing; the server keeps answering."""
    client = connect()
    assert client.emit("ask", payload, callback=True) == {"ok": False, "error": error}
    assert records_of(app).questions("opening") == []
    assert ask(client, "x" * 500)["ok"] is True


@pytest.mark.parametrize(
    ("payload", "error"),
    [
        ({"question": "1"}, "bad payload"),
        ({"question": True}, "bad payload"),
        ({"question": 0}, "bad payload"),
        ({"question": 2**64}, "bad payload"),
        ({"question": 1.5}, "bad payload"),
        ({}, "bad payload"),
        ({"question": 999}, "unknown question"),
    ],
)
def test_bad_votes_are_refused(app: Flask, connect, payload: Any, error: str) -> None:
    """Votes on nothing, or not naming a question, are refused."""
    assert connect().emit("vote", payload, callback=True) == {"ok": False, "error": error}


def test_votes_on_hidden_questions_are_refused(app: Flask, connect) -> None:
    """A hidden question takes no vote; the visitors' lists leave it out."""
    host, voter = connect(host="alice"), connect(OTHER_TOKEN)
    voter.emit("enter", {"room": "stage"}, callback=True)
    question = ask(voter)["id"]
    assert host.emit("moderate", {"question": question, "status": "hidden"}, callback=True) == {
        "ok": True,
        "status": "hidden",
    }
    voter.get_received()
    assert voter.emit("vote", {"question": question}, callback=True) == {
        "ok": False,
        "error": "question hidden",
    }
    flush(app)
    assert events(voter, "questions") == [{"session": "opening", "items": []}]


def test_applause_is_counted_and_coalesced(app: Flask, connect) -> None:
    """Claps are counted per session; the stage room hears the total once per tick."""
    client = connect()
    client.emit("enter", {"room": "stage"}, callback=True)
    for n in range(1, 4):
        assert client.emit("applaud", {"session": "opening"}, callback=True) == {
            "ok": True,
            "count": n,
        }
    assert client.emit("applaud", {"session": "nope"}, callback=True)["error"] == (
        "unknown session"
    )
    client.get_received()
    flush(app)
    assert events(client, "applause") == [{"session": "opening", "count": 3}]


HOST_EVENTS = [
    ("live", {"session": "opening", "state": "live"}),
    ("spotlight", {"exhibit": "lab/lanterns"}),
    ("announce", {"text": "Starting soon"}),
    ("gather", {"room": "stage"}),
    ("tour", {"state": "start"}),
    ("moderate", {"question": 1, "status": "answered"}),
    ("hide_chat", {"message": 1}),
    ("mute", {"visitor": "someone", "minutes": 5}),
]


@pytest.mark.parametrize(("event", "payload"), HOST_EVENTS)
def test_host_events_from_visitors_are_forbidden(
    app: Flask, connect, event: str, payload: dict[str, Any]
) -> None:
    """A visitor's host event is refused with `forbidden`; nothing changes or is sent."""
    asker, visitor = connect(OTHER_TOKEN), connect()
    question = ask(asker)["id"]
    visitor.emit("enter", {"room": "stage"}, callback=True)
    flush(app)
    visitor.get_received()
    assert visitor.emit(event, payload, callback=True) == {"ok": False, "error": "forbidden"}
    flush(app)
    assert visitor.get_received() == []
    assert records_of(app).question(question).status == "open"
    assert records_of(app).moderation_log() == []
    assert app.extensions["gallery.stage"].snapshot() == {
        "version": 0,
        "sessions": {},
        "spotlight": None,
    }


def test_live_and_spotlight_reach_everyone(app: Flask, connect) -> None:
    """`live` and `spotlight` update the stage and go to every connected client."""
    host, visitor = connect(host="alice"), connect()
    visitor.emit("enter", {"room": "hall"}, callback=True)
    visitor.get_received()
    assert host.emit("live", {"session": "opening", "state": "live"}, callback=True) == {"ok": True}
    assert host.emit("spotlight", {"exhibit": "lab/lanterns"}, callback=True) == {"ok": True}
    assert host.emit("spotlight", {"exhibit": None}, callback=True) == {"ok": True}
    received = [(e["name"], e["args"][0]) for e in visitor.get_received()]
    assert app.extensions["gallery.stage"].snapshot()["sessions"] == {"opening": "live"}
    assert records_of(app).session_states() == {"opening": "live"}
    assert received == [
        ("live", {"session": "opening", "state": "live"}),
        ("spotlight", {"exhibit": "lab/lanterns"}),
        ("spotlight", {"exhibit": None}),
    ]


@pytest.mark.parametrize(
    ("event", "payload", "error"),
    [
        ("live", {"session": "nope", "state": "live"}, "unknown session"),
        ("live", {"session": "opening", "state": "paused"}, "bad payload"),
        ("spotlight", {"exhibit": "lab"}, "bad payload"),
        ("spotlight", {"exhibit": "lab/a/b"}, "bad payload"),
        ("spotlight", {}, "bad payload"),
        ("spotlight", {"exhibit": "nowhere/x"}, "unknown room"),
        ("spotlight", {"exhibit": "lab/nothing"}, "unknown exhibit"),
        ("announce", {"text": ""}, "text empty"),
        ("announce", {"text": "x" * 501}, "text too long"),
        ("announce", {"text": None}, "bad payload"),
        ("gather", {"room": "cellar"}, "unknown room"),
        ("tour", {"state": "pause"}, "bad payload"),
        ("moderate", {"question": 99, "status": "answered"}, "unknown question"),
        ("moderate", {"question": 1, "status": "deleted"}, "bad payload"),
        ("hide_chat", {"message": 99}, "unknown message"),
        ("hide_chat", {"message": "1"}, "bad payload"),
        ("mute", {"visitor": "nobody", "minutes": 5}, "unknown visitor"),
        ("mute", {"visitor": "nobody", "minutes": -1}, "bad payload"),
        ("mute", {"visitor": "nobody", "minutes": 100_000}, "bad payload"),
    ],
)
def test_bad_host_events_are_refused(
    app: Flask, connect, event: str, payload: dict[str, Any], error: str
) -> None:
    """A host's malformed or dangling event is refused and sends nothing."""
    host, visitor = connect(host="alice"), connect()
    flush(app)
    visitor.get_received()
    assert host.emit(event, payload, callback=True) == {"ok": False, "error": error}
    flush(app)
    assert [e["name"] for e in visitor.get_received()] == []


def test_announcements_and_gathering_reach_everyone(app: Flask, connect) -> None:
    """`announce` sends everyone `announcement` {text, at}; `gather` sends `gather` {room}."""
    host, visitor = connect(host="alice"), connect()
    ack = host.emit("announce", {"text": " Panel in\n5 minutes "}, callback=True)
    assert ack["ok"] is True and ack["at"].endswith("Z")
    assert host.emit("gather", {"room": "stage"}, callback=True) == {"ok": True}
    received = [(e["name"], e["args"][0]) for e in visitor.get_received()]
    assert received == [
        ("announcement", {"text": "Panel in 5 minutes", "at": ack["at"]}),
        ("gather", {"room": "stage"}),
    ]


def test_a_touring_host_is_followed_room_by_room(app: Flask, connect) -> None:
    """While a host tours, everyone hears each room the host enters, once per tick."""
    host, visitor = connect(host="alice"), connect()
    host.emit("enter", {"room": "hall"}, callback=True)
    visitor.get_received()
    assert host.emit("tour", {"state": "start"}, callback=True) == {"ok": True, "room": "hall"}
    assert events(visitor, "tour") == [{"touring": True, "room": "hall"}]
    host.emit("enter", {"room": "lab"}, callback=True)
    host.emit("enter", {"room": "lab", "exhibit": "maps"}, callback=True)
    flush(app)
    assert events(visitor, "tour") == [{"touring": True, "room": "lab"}]
    flush(app)
    assert events(visitor, "tour") == []
    # Walking on to another page: this connection closes, the next one enters its room.
    host.disconnect()
    flush(app)
    assert events(visitor, "tour") == []
    next_page = connect(host="alice")
    next_page.emit("enter", {"room": "stage"}, callback=True)
    flush(app)
    assert events(visitor, "tour") == [{"touring": True, "room": "stage"}]
    assert next_page.emit("tour", {"state": "stop"}, callback=True) == {"ok": True}
    assert events(visitor, "tour") == [{"touring": False, "room": None}]


def test_moderation_rebroadcasts_questions(app: Flask, connect) -> None:
    """A question answered shows as such in the next `questions`."""
    host, visitor = connect(host="alice"), connect()
    visitor.emit("enter", {"room": "stage"}, callback=True)
    question = ask(visitor)["id"]
    flush(app)
    visitor.get_received()
    host.emit("moderate", {"question": question, "status": "answered"}, callback=True)
    flush(app)
    [questions] = events(visitor, "questions")
    assert questions["items"][0]["status"] == "answered"
    assert records_of(app).moderation_log()[0].actor == "alice"


def test_chat_is_stored_and_a_hidden_message_leaves_the_room(app: Flask, connect) -> None:
    """Chat carries its stored id; `hide_chat` tells the room and drops it from the history."""
    host, visitor, later = connect(host="alice"), connect(), connect(OTHER_TOKEN)
    visitor.emit("enter", {"room": "hall", "name": "Ada"}, callback=True)
    assert visitor.emit("chat", {"text": "Spam"}, callback=True) == {"ok": True}
    [message] = events(visitor, "chat")
    assert records_of(app).recent_chat("hall", 5)[0].id == message["message"]
    assert host.emit("hide_chat", {"message": message["message"]}, callback=True) == {"ok": True}
    assert events(visitor, "chat_hidden") == [{"id": message["message"]}]
    assert later.emit("enter", {"room": "hall"}, callback=True)["chat"] == []


def test_a_muted_visitor_can_neither_chat_nor_ask_even_after_reconnecting(
    app: Flask, connect
) -> None:
    """`mute` refuses the visitor's chat and questions with `muted`, by their token."""
    host, visitor = connect(host="alice"), connect()
    ack = visitor.emit("enter", {"room": "hall"}, callback=True)
    result = host.emit("mute", {"visitor": ack["id"], "minutes": 10}, callback=True)
    assert result["ok"] is True and result["until"].endswith("Z")
    muted = {"ok": False, "error": "muted"}
    assert visitor.emit("chat", {"text": "Hello"}, callback=True) == muted
    assert ask(visitor) == muted
    visitor.disconnect()
    again = connect()
    again.emit("enter", {"room": "hall"}, callback=True)
    assert again.emit("chat", {"text": "Hello"}, callback=True) == muted
    assert records_of(app).recent_chat("hall", 5) == []
    other = connect(OTHER_TOKEN)
    other.emit("enter", {"room": "hall"}, callback=True)
    assert other.emit("chat", {"text": "Hello"}, callback=True) == {"ok": True}
    host.emit(
        "mute",
        {"visitor": again.emit("enter", {"room": "hall"}, callback=True)["id"], "minutes": 0},
        callback=True,
    )
    assert ask(again)["ok"] is True


def test_a_failing_store_is_an_internal_error_and_the_server_goes_on(
    app: Flask, connect, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash in the store answers `internal error`; the next event works."""
    client = connect()
    store = records_of(app)

    def broken(*_args: Any) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store, "add_question", broken)
    assert ask(client) == {"ok": False, "error": "internal error"}
    monkeypatch.undo()
    assert ask(client)["ok"] is True


# --- hosts recognised from the session cookie of the handshake ---------------------------


@pytest.fixture
def host_site(tmp_path) -> Flask:
    """The test app with a host password, its records in tmp_path."""
    return host_app(DATA_DIR=str(tmp_path))


def cookie_client(app: Flask, value: str | None = None, login: bool = False) -> Client:
    """A socket whose handshake carries the HTTP client's cookies: a login's, or `value`."""
    http = app.test_client()
    if login:
        assert log_in(http).status_code == 303
    elif value is not None:
        http.set_cookie(app.config["SESSION_COOKIE_NAME"], value)
    return socketio.test_client(app, flask_test_client=http, auth={"token": TOKEN})


def signed(app: Flask, data: dict[str, Any]) -> str:
    """Return a session cookie value signed with the app's key."""
    return app.session_interface.get_signing_serializer(app).dumps(data)  # type: ignore[attr-defined]


def test_a_signed_in_host_may_announce(host_site: Flask) -> None:
    """The session cookie of a login makes the socket a host's."""
    host, visitor = cookie_client(host_site, login=True), cookie_client(host_site)
    assert host.emit("announce", {"text": "Hello"}, callback=True)["ok"] is True
    assert [e["name"] for e in visitor.get_received()] == ["announcement"]
    host.emit("moderate", {"question": 1, "status": "open"}, callback=True)
    host.disconnect()
    visitor.disconnect()


def test_the_enter_ack_says_whether_the_connection_is_a_host_s(host_site: Flask) -> None:
    """`enter` acks `host: true` for a login's cookie only: pages show hosts their buttons."""
    host, visitor = cookie_client(host_site, login=True), cookie_client(host_site)
    assert host.emit("enter", {"room": "hall"}, callback=True)["host"] is True
    assert visitor.emit("enter", {"room": "hall"}, callback=True)["host"] is False
    host.disconnect()
    visitor.disconnect()


@pytest.mark.parametrize(
    "cookie",
    [
        "forged",
        "eyJob3N0IjoiaCJ9.Zm9v.YmFy",
        "expired",
        "another key",
    ],
)
def test_forged_or_expired_cookies_make_a_visitor(host_site: Flask, cookie: str) -> None:
    """A forged, expired or foreign-signed cookie on the socket gets `forbidden`."""
    now = int(time.time())
    if cookie == "expired":
        lifetime = int(host_site.permanent_session_lifetime.total_seconds())
        cookie = signed(host_site, {"host": "h", "since": now - lifetime - 60})
    elif cookie == "another key":
        # Not a second app: that would take over the shared Socket.IO server.
        key, host_site.secret_key = host_site.secret_key, "another key"
        cookie = signed(host_site, {"host": "h", "since": now})
        host_site.secret_key = key
    client = cookie_client(host_site, cookie)
    assert client.emit("enter", {"room": "hall"}, callback=True)["host"] is False
    assert client.emit("announce", {"text": "Hello"}, callback=True) == {
        "ok": False,
        "error": "forbidden",
    }
    assert client.emit("applaud", {"session": "opening"}, callback=True)["ok"] is True
    client.disconnect()
