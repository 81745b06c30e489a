"""Presence over long polling and across an upgrade to WebSocket, against a real server."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from .conftest import BASIC
from .servers import GalleryServer
from .wsclient import RawClient


@pytest.fixture
def server() -> Iterator[GalleryServer]:
    """A real server on the small fixture exhibition."""
    server = GalleryServer(BASIC)
    server.start()
    yield server
    server.kill()


class Polling:
    """A bare Engine.IO long-polling session."""

    def __init__(self, url: str) -> None:
        self.base = url + "/socket.io/?EIO=4&transport=polling"
        opened = self.get()
        assert opened[0].startswith("0")
        self.sid = json.loads(opened[0][1:])["sid"]
        self.base += f"&sid={self.sid}"
        self.post("40")
        assert self.get()[0].startswith("40")

    def get(self) -> list[str]:
        """Poll once; return the packets."""
        with urllib.request.urlopen(self.base, timeout=40) as response:
            return response.read().decode().split("\x1e")

    def post(self, text: str) -> None:
        """Send one packet."""
        request = urllib.request.Request(self.base, data=text.encode(), method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.read() == b"OK"


def events(packets: list[str]) -> list[tuple[str, Any]]:
    """Return the Socket.IO events among Engine.IO packets."""
    return [tuple(json.loads(p[2:])) for p in packets if p.startswith("42")]


def moves_of(visitor: str, found: list[tuple[str, Any]]) -> list[str]:
    """Return the exhibits `visitor` was seen moving to (or arriving at), in order."""
    return [
        v["exhibit"]
        for name, data in found
        if name == "presence"
        for v in data["joined"] + data["moved"]
        if v["id"] == visitor
    ]


def test_presence_reaches_a_polling_client_and_survives_its_upgrade(
    server: GalleryServer,
) -> None:
    """A long-polling visitor gets `presence`; upgraded to WebSocket, it keeps getting it."""
    poller = Polling(server.url)
    mover = RawClient(server.port)
    upgraded = None
    try:
        poller.post('421["enter",{"room":"lab"}]')
        mover_id = mover.ack(mover.emit("enter", {"room": "lab", "exhibit": "maps"}))["id"]
        seen: list[tuple[str, Any]] = []
        while "maps" not in moves_of(mover_id, seen):
            seen += events(poller.get())
        # Upgrade while the mover keeps moving: the probe, the poll ended by a NOOP, "5".
        upgraded = RawClient(server.port, sid=poller.sid)
        upgraded.send("2probe")
        mover.ack(mover.emit("enter", {"room": "lab", "exhibit": "lanterns"}))
        assert upgraded.text() == "3probe"
        packets: list[str] = []
        while "6" not in packets:
            packets += poller.get()
        seen += events(packets)
        upgraded.send("5")
        while "lanterns" not in moves_of(mover_id, seen):  # unless the poll brought it
            seen.append(upgraded.event(lambda name, data: name == "presence", timeout=5))
        mover.ack(mover.emit("enter", {"room": "lab", "exhibit": "maps"}))
        while moves_of(mover_id, seen)[-1] != "maps":
            seen.append(upgraded.event(lambda name, data: name == "presence", timeout=5))
        # Each move seen once, in order, whichever transport carried it.
        assert moves_of(mover_id, seen) == ["maps", "lanterns", "maps"]
        # Still a working session both ways: an ack comes back over the WebSocket.
        assert upgraded.ack(upgraded.emit("chat", {"text": "hello"}))["ok"] is True
    finally:
        mover.close()
        if upgraded is not None:
            upgraded.close()
