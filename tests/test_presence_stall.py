"""A visitor that stops reading its socket, against a real server: others stay served."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from .conftest import BASIC
from .servers import GalleryServer
from .wsclient import RawClient

# Characters of four UTF-8 bytes make the chat history, sent with every `enter` ack, large.
LONG_TEXT = "\U0001f600" * 500


@pytest.fixture
def server() -> Iterator[GalleryServer]:
    """A real server whose sockets count as stalled after 8 waiting packets."""
    server = GalleryServer(BASIC, env={"GALLERY_SEND_QUEUE_MAX": "8"})
    server.start()
    yield server
    server.kill()


def test_a_stalled_visitor_is_dropped_while_others_stay_served(server: GalleryServer) -> None:
    """A client that never reads is dropped within seconds; the room's presence keeps flowing."""
    clients = [RawClient(server.port) for _ in range(3)]
    talkers, (watcher, mover) = clients[:3], (RawClient(server.port), RawClient(server.port))
    clients += [watcher, mover]
    stalled = RawClient(server.port, rcvbuf=4096)
    try:
        for client in (*talkers, watcher, mover):
            assert client.ack(client.emit("enter", {"room": "lab"}))["ok"] is True
        for talker in talkers:  # 51 long messages: the history (50) is full
            for ack_id in [talker.emit("chat", {"text": LONG_TEXT}) for _ in range(17)]:
                assert talker.ack(ack_id)["ok"] is True
        stalled_id = stalled.ack(stalled.emit("enter", {"room": "lab"}))["id"]
        mover_id = mover.ack(mover.emit("enter", {"room": "lab"}))["id"]
        # From here on the stalled client asks for ~100 KB acks and never reads them.
        deadline = time.monotonic() + 20
        dropped = False
        moves = 0
        while not dropped:
            assert time.monotonic() < deadline, "the stalled visitor was never dropped"
            stalled.emit("enter", {"room": "lab"})
            moves += 1
            exhibit = ("lanterns", "maps")[moves % 2]
            mover.ack(mover.emit("enter", {"room": "lab", "exhibit": exhibit}))
            sent = time.monotonic()

            def moved(name: str, data: dict, exhibit: str = exhibit) -> bool:
                nonlocal dropped
                if name != "presence":
                    return False
                dropped = dropped or stalled_id in data["left"]
                # A move in the tick of the mover's arrival comes as a join at that exhibit.
                seen = data["moved"] + data["joined"]
                return any(v["id"] == mover_id and v["exhibit"] == exhibit for v in seen)

            watcher.event(moved, timeout=1.0)
            assert time.monotonic() - sent < 1.0
        assert moves > 5  # it took a backlog to be dropped, not one event
        # The server cut the connection: past what the kernel buffered, the stream ends.
        stalled.sock.settimeout(10)
        with pytest.raises(ConnectionError):
            while True:
                stalled.text()
    finally:
        for client in (*clients, stalled):
            client.close()


def test_a_long_polling_visitor_that_stops_polling_is_dropped(server: GalleryServer) -> None:
    """A long-polling client that stops polling is dropped once its queue is full."""
    from .test_presence_transports import Polling

    poller = Polling(server.url)
    watcher, mover = RawClient(server.port), RawClient(server.port)
    try:
        poller.post('421["enter",{"room":"lab"}]')
        acked = [p for p in poller.get() if p.startswith("431")]
        poller_id = json.loads(acked[0][3:])[0]["id"]
        assert watcher.ack(watcher.emit("enter", {"room": "lab"}))["ok"] is True
        mover_id = mover.ack(mover.emit("enter", {"room": "lab"}))["id"]
        # The poller never polls again; each move below is one more packet in its queue.
        left = False
        # Everyone gets `occupancy` too (at most once a second): on a slow machine those
        # packets fill the poller's queue alongside the moves, so they count as owed.
        others = 0
        for moves in range(1, 40):
            exhibit = ("lanterns", "maps")[moves % 2]
            mover.ack(mover.emit("enter", {"room": "lab", "exhibit": exhibit}))

            def moved(name: str, data: dict, exhibit: str = exhibit) -> bool:
                nonlocal left, others
                if name != "presence":
                    others += 1
                    return False
                left = left or poller_id in data["left"]
                seen = data["moved"] + data["joined"]
                return any(v["id"] == mover_id and v["exhibit"] == exhibit for v in seen)

            watcher.event(moved, timeout=1.0)
            if left:
                break
        assert left, "the silent long-polling visitor was never dropped"
        assert moves + others >= 8  # not before its queue held SEND_QUEUE_MAX packets
    finally:
        watcher.close()
        mover.close()


def test_a_client_vanishing_mid_write_leaves_and_others_stay_served(
    server: GalleryServer,
) -> None:
    """A client reset with acks still to be written to it leaves; the room hears of it."""
    import socket
    import struct

    talker, watcher = RawClient(server.port), RawClient(server.port)
    vanishing = RawClient(server.port, rcvbuf=4096)
    try:
        for client in (talker, watcher):
            assert client.ack(client.emit("enter", {"room": "lab"}))["ok"] is True
        for ack_id in [talker.emit("chat", {"text": LONG_TEXT}) for _ in range(18)]:
            assert talker.ack(ack_id)["ok"] is True
        vanishing_id = vanishing.ack(vanishing.emit("enter", {"room": "lab"}))["id"]
        watcher.event(  # seen arriving, so its departure cannot fold into the same tick
            lambda name, data: (
                name == "presence" and any(v["id"] == vanishing_id for v in data["joined"])
            ),
            timeout=5,
        )
        for _ in range(18):  # ~36 KB acks it never reads
            vanishing.emit("enter", {"room": "lab"})
        # Reset, not a clean close, with unread data on both sides.
        vanishing.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        vanishing.close()
        watcher.event(
            lambda name, data: name == "presence" and vanishing_id in data["left"], timeout=5
        )
        talker_id = talker.ack(talker.emit("enter", {"room": "lab", "exhibit": "maps"}))["id"]
        watcher.event(
            lambda name, data: (
                name == "presence"
                and any(m["id"] == talker_id and m["exhibit"] == "maps" for m in data["moved"])
            ),
            timeout=1,
        )
    finally:
        talker.close()
        watcher.close()
