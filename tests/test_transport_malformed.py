"""Malformed packets from clients: dropped or refused, logged in one line now and then."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from gallery.extensions import socketio
from gallery.transport import MalformedLog

from .conftest import BASIC
from .servers import GalleryServer
from .wsclient import RawClient

Client = object

# Socket.IO packets python-socketio cannot decode or dispatch.
MALFORMED = [
    '42["chat",{"text":"\\ud800"}]',  # a lone surrogate
    "42[]",
    "42{}",
    "42[1",
    "49",
]


def lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """Return the records logged by the Socket.IO stack and the gallery."""
    return [
        r for r in caplog.records if r.name.split(".")[0] in ("engineio", "socketio", "gallery")
    ]


@pytest.mark.parametrize("packet", MALFORMED)
def test_malformed_messages_log_one_line_per_connection(
    app: Flask, socket_factory, caplog: pytest.LogCaptureFixture, packet: str
) -> None:
    """Hundreds of malformed messages log one line per connection, no traceback; all else works."""
    caplog.set_level(logging.INFO)
    eio = socketio.server.eio
    clients = [socket_factory(), socket_factory()]
    for client in clients:
        for _ in range(300):
            eio._trigger_event("message", client.eio_sid, packet, run_async=False)
    records = lines(caplog)
    assert len(records) == 2, [r.getMessage() for r in records]
    assert all(r.exc_info is None and "malformed packet" in r.getMessage() for r in records)
    for client in clients:
        assert client.emit("enter", {"room": "lab"}, callback=True)["ok"] is True


def test_an_undecodable_polling_body_is_refused_in_one_line(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    """A long-polling body that is not Engine.IO gets a 400, ends the session, logs one line."""
    caplog.set_level(logging.INFO)
    http = app.test_client()
    opened = http.get("/socket.io/?EIO=4&transport=polling").get_data(as_text=True)
    url = f"/socket.io/?EIO=4&transport=polling&sid={json.loads(opened[1:])['sid']}"
    assert http.post(url, data=b"x").status_code == 400
    assert http.post(url, data=b"\xed\xa0\x80").status_code == 400  # the session is gone
    records = [r for r in lines(caplog) if r.exc_info is not None or "malformed" in r.getMessage()]
    assert [r.exc_info for r in records] == [None]


def test_the_log_of_malformed_packets_is_capped_per_minute(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """At most `per_minute` lines a minute, then one line counting the others."""
    now = [0.0]
    malformed = MalformedLog(per_minute=3, clock=lambda: now[0])

    with caplog.at_level(logging.INFO, logger="gallery.transport"):
        for sid in map(str, range(10)):
            malformed.report(sid, ValueError("bad\nforged line"))
            malformed.report(sid, ValueError("again"))
        assert len(caplog.records) == 3
        assert all("\n" not in r.getMessage() for r in caplog.records)
        now[0] = 61.0
        malformed.report("0", ValueError("seen already"))
        malformed.forget("1")
        malformed.report("1", ValueError("later"))
    messages = [r.getMessage() for r in caplog.records[3:]]
    assert messages[0] == "7 more connections sent malformed packets"
    assert "later" in messages[1] and len(messages) == 2


@pytest.fixture
def server(tmp_path: Path) -> Iterator[GalleryServer]:
    """A real server whose output the test reads."""
    server = GalleryServer(BASIC, log=tmp_path / "server.log")
    server.start()
    yield server
    server.kill()


def test_a_websocket_message_that_is_not_engine_io_ends_the_session_quietly(
    server: GalleryServer,
) -> None:
    """A WebSocket message Engine.IO cannot decode closes that connection with one log line."""
    visitor = RawClient(server.port)
    bad = RawClient(server.port)
    try:
        assert bad.ack(bad.emit("enter", {"room": "lab"}))["ok"] is True
        # The server may close after the first frame, so a later send can meet a broken pipe.
        with pytest.raises(ConnectionError):
            for _ in range(3):
                bad.send("x")
            while True:
                bad.text()
        assert visitor.ack(visitor.emit("enter", {"room": "lab"}))["count"] == 1
    finally:
        visitor.close()
        bad.close()
    server.kill()
    output = Path(server.log).read_text()
    assert "Traceback" not in output
    assert output.count("malformed packet") == 1, output
