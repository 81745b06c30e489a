"""A lean Engine.IO socket writes one waiting packet straight to its idle WebSocket."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from engineio import packet

from gallery.lean import Pinger, lean_socket_class
from gallery.leanqueue import LeanQueue
from gallery.presence.frames import event_packet, websocket_frame

from .test_presence_wire import FakeRaw as Raw


class WS:
    """The fast WebSocket wrapper as the lean socket sees it."""

    def __init__(self, raw: Raw, busy: bool = False) -> None:
        self.raw, self.busy = raw, busy


class Engine:
    """What the socket asks of its Engine.IO server: a queue, tasks, a logger, pings."""

    ping_interval, ping_timeout = 25, 20

    def __init__(self) -> None:
        self.tasks: list[Any] = []
        self.logger = logging.getLogger("test")

    def create_queue(self) -> LeanQueue:
        return LeanQueue()

    def start_background_task(self, target: Any) -> str:
        self.tasks.append(target)
        return "writer"


def websocket(raw: Raw, busy: bool = False) -> tuple[Any, Engine]:
    """Return an upgraded lean socket over a WebSocket writing to `raw`, and its server."""
    engine = Engine()
    sock = lean_socket_class(Pinger(engine))(engine, "sid")
    sock.connected = sock.upgraded = True
    sock.fast_ws = WS(raw, busy)
    sock.queue.wake = sock.wake
    return sock, engine


def test_an_acknowledgement_to_an_idle_socket_is_written_at_once_without_a_writer() -> None:
    raw = Raw()
    sock, engine = websocket(raw)
    sock.send(packet.Packet(packet.MESSAGE, data='30[{"ok":true}]'))
    sock.send(packet.Packet(packet.PING))
    assert raw.sent == websocket_frame(b'430[{"ok":true}]') + websocket_frame(b"2")
    assert engine.tasks == [] and sock.queue.qsize() == 0 and sock.queue.unfinished == 0


def test_a_framed_event_goes_out_as_its_frame() -> None:
    raw = Raw()
    sock, _ = websocket(raw)
    pkt = event_packet("chat", {"text": "hi"})
    sock.send(pkt)
    assert raw.sent == pkt.encode().frame


@pytest.mark.parametrize(
    "case",
    ["busy", "polling", "closed", "binary"],
)
def test_a_socket_that_is_not_idle_or_a_packet_not_text_goes_to_the_writer(case: str) -> None:
    raw = Raw()
    sock, engine = websocket(raw, busy=case == "busy")
    sock.upgraded = case != "polling"
    sock.closed = case == "closed"
    data: Any = b"\x01\x02" if case == "binary" else "hello"
    sock.queue.put(packet.Packet(packet.MESSAGE, data=data))
    assert raw.sent == b""
    assert sock.queue.qsize() == 1 and engine.tasks == [sock.write]


def test_what_waits_keeps_its_order_behind_a_running_writer() -> None:
    raw = Raw()
    sock, engine = websocket(raw)
    sock.writer = "running"
    sock.send(packet.Packet(packet.MESSAGE, data="first"))
    assert raw.sent == b"" and sock.queue.qsize() == 1 and engine.tasks == []


def test_the_end_of_the_queue_is_left_to_the_writer_which_closes() -> None:
    sock, engine = websocket(Raw())
    sock.queue.put(None)
    assert sock.queue.qsize() == 1 and engine.tasks == [sock.write]


@pytest.mark.parametrize("room", [0, 3])
def test_a_partial_write_leaves_the_rest_of_the_frame_to_one_writer(room: int) -> None:
    raw = Raw(room=room, error=BlockingIOError() if room == 0 else None)
    sock, engine = websocket(raw)
    sock.send(packet.Packet(packet.MESSAGE, data="hello"))
    [rest] = sock.queue.items
    assert raw.sent + rest.encode() == websocket_frame(b"4hello")
    assert engine.tasks == [sock.write]


def test_a_socket_going_away_drops_the_packet_and_starts_no_writer() -> None:
    sock, engine = websocket(Raw(error=ConnectionResetError()))
    sock.send(packet.Packet(packet.MESSAGE, data="hello"))
    assert sock.queue.qsize() == 0 and engine.tasks == []
