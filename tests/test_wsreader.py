"""The event loop's WebSocket reader, on a socket pair: frames in any pieces, control frames,
refusals, and a peer that stalls."""

from __future__ import annotations

import os
import struct
import time
from collections.abc import Iterator
from typing import Any

import gevent
import pytest
from gevent import socket as gsocket

from gallery.wsframes import BINARY, CLOSE, PING, PONG, TEXT, Frames, ProtocolError
from gallery.wsreader import Reader


def frame(payload: bytes, opcode: int = TEXT, fin: bool = True, mask: bool = True) -> bytes:
    """Return a client's WebSocket frame holding `payload`."""
    size = len(payload)
    first = (0x80 if fin else 0) | opcode
    bit = 0x80 if mask else 0
    if size < 126:
        header = struct.pack("!BB", first, bit | size)
    elif size <= 0xFFFF:
        header = struct.pack("!BBH", first, bit | 126, size)
    else:
        header = struct.pack("!BBQ", first, bit | 127, size)
    if not mask:
        return header + payload
    key = os.urandom(4)
    return header + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


class Peer:
    """A reader on one end of a socket pair, recording what it hands on."""

    def __init__(self, limit: int = 1024, silence: float = 30.0) -> None:
        self.server, self.client = gsocket.socketpair()
        self.messages: list[Any] = []
        self.responses: list[tuple[bytes, int]] = []
        self.closings: list[tuple[int, bytes | None]] = []
        self.ended = gevent.event.Event()
        self.greenlets: set[Any] = set()
        self.reader = Reader(self.server, limit, silence, self)

    def deliver(self, message: Any) -> bool:
        self.greenlets.add(gevent.getcurrent())
        self.messages.append(message)
        return message != "stop"

    def respond(self, payload: bytes, opcode: int) -> None:
        self.responses.append((payload, opcode))

    def closing(self, code: int, payload: bytes | None) -> None:
        self.closings.append((code, payload))

    def end(self) -> None:
        self.ended.set()

    def send(self, *pieces: bytes) -> None:
        """Send `pieces` one at a time, letting the reader see each alone."""
        for piece in pieces:
            self.client.sendall(piece)
            gevent.sleep(0.01)

    def settle(self) -> None:
        """Let the reader handle what was sent."""
        gevent.sleep(0.05)


@pytest.fixture
def peer() -> Iterator[Peer]:
    """A started reader and its peer."""
    peer = Peer()
    peer.reader.start()
    yield peer
    peer.client.close()
    peer.reader.finish()


def test_frames_cut_any_pieces_the_same() -> None:
    """Two frames fed byte by byte come out as when fed at once."""
    data = frame(b"hello") + frame(b"x" * 300, BINARY)
    whole = Frames(1024).feed(data)
    frames, got = Frames(1024), []
    for i in range(len(data)):
        got += frames.feed(data[i : i + 1])
    assert got == whole == [(0x80, TEXT, b"hello"), (0x80, BINARY, b"x" * 300)]
    assert frames.buffer == b""


def test_frames_refuse_an_oversized_frame_from_its_header() -> None:
    """A frame announcing more than the limit is refused before its payload arrives."""
    header = frame(b"x" * 70_000)[:10]
    with pytest.raises(ProtocolError) as refused:
        Frames(64 * 1024).feed(header)
    assert refused.value.code == 1009


def test_frames_refuse_what_rfc_6455_forbids_from_the_header_alone() -> None:
    """An unmasked frame, or a control frame too long or fragmented, is refused unread."""
    for data in (frame(b"4hello", mask=False), frame(b"x" * 200, PING), frame(b"", CLOSE, False)):
        with pytest.raises(ProtocolError) as refused:
            Frames(1024).feed(data[:4])
        assert refused.value.code == 1002


def test_a_message_split_into_pieces_and_fragments_arrives_whole(peer: Peer) -> None:
    """A text message in three fragments, sent in tiny pieces, a ping between: one message."""
    data = (
        frame(b'42["a",', fin=False)
        + frame(b"ping!", PING)
        + frame('"é"'.encode(), 0, fin=False)
        + frame(b"]", 0)
    )
    peer.send(*(data[i : i + 3] for i in range(0, len(data), 3)))
    peer.settle()
    assert peer.messages == ['42["a","é"]']
    assert peer.responses == [(b"ping!", PONG)]
    assert not peer.ended.is_set()


def test_messages_are_handled_in_order_in_a_short_greenlet(peer: Peer) -> None:
    """Messages arriving together are handed on in order, never from the event loop."""
    peer.send(b"".join(frame(f"4{n}".encode()) for n in range(50)) + frame(b"\x00\x01", BINARY))
    peer.settle()
    assert peer.messages == [f"4{n}" for n in range(50)] + [b"\x00\x01"]
    assert gevent.get_hub() not in peer.greenlets
    assert peer.reader.task is None  # the handler ended once done


def test_a_close_frame_is_answered_and_ends_the_connection(peer: Peer) -> None:
    """The peer's close frame goes to `closing` with its payload; then the connection ends."""
    peer.send(frame(struct.pack("!H", 1000), CLOSE) + frame(b"4late"))
    assert peer.ended.wait(2)
    assert peer.closings == [(0, struct.pack("!H", 1000))]
    assert peer.messages == []
    assert peer.client.recv(10) == b""  # the server closed its end


def test_an_oversized_frame_is_refused_without_reading_it(peer: Peer) -> None:
    """A frame longer than the limit closes the connection (1009) as soon as its header is in."""
    peer.send(frame(b"x" * 5000)[:20])
    assert peer.ended.wait(2)
    assert peer.closings == [(1009, None)]


def test_an_oversized_fragmented_message_is_refused(peer: Peer) -> None:
    """Fragments adding up to more than the limit close the connection (1009)."""
    peer.send(frame(b"x" * 1000, fin=False), frame(b"x" * 1000, 0, fin=False))
    assert peer.ended.wait(2)
    assert peer.closings == [(1009, None)]


@pytest.mark.parametrize(
    "data, code",
    [
        (frame(b"x", 0), 1002),  # a continuation with no message under way
        (frame(b"4a", fin=False) + frame(b"4b"), 1002),  # a new message inside another
        (frame(b"x", 0x3), 1002),  # a reserved opcode
        (bytes([0xC1]) + frame(b"x")[1:], 1002),  # a reserved bit
        (frame(b"\xff\xfe"), 1007),  # text that is not UTF-8
        (frame(b"4a", mask=False), 1002),  # a client's frame unmasked
        (frame(b"x" * 126, PING), 1002),  # a control frame over 125 bytes
        (frame(b"ping", PING, fin=False), 1002),  # a control frame fragmented
    ],
    ids=["stray-continuation", "nested", "opcode", "rsv", "utf8", "unmasked", "long", "split"],
)
def test_protocol_errors_close_the_connection(peer: Peer, data: bytes, code: int) -> None:
    """Frames gevent-websocket refused are refused with its close codes."""
    peer.send(data)
    assert peer.ended.wait(2)
    assert peer.closings == [(code, None)]
    assert peer.messages == []


def test_the_end_of_the_stream_ends_the_connection(peer: Peer) -> None:
    """A peer closing its socket ends the connection, after the messages it sent."""
    peer.send(frame(b"4a"))
    peer.client.shutdown(gsocket.SHUT_WR)
    assert peer.ended.wait(2)
    assert peer.messages == ["4a"]


def test_deliver_saying_stop_ends_the_connection(peer: Peer) -> None:
    """A message after which the session cannot go on ends it; later ones are dropped."""
    peer.send(frame(b"stop") + frame(b"4after"))
    assert peer.ended.wait(2)
    assert peer.messages == ["stop"]


def test_bytes_read_with_the_handshake_come_first() -> None:
    """Bytes that arrived with the handshake are handled before anything read later."""
    peer = Peer()
    peer.reader.start(frame(b"40"))
    peer.send(frame(b"41"))
    peer.settle()
    assert peer.messages == ["40", "41"]
    peer.reader.finish()


def test_a_peer_that_stalls_mid_frame_is_cut_off() -> None:
    """A peer silent for longer than its limit, halfway through a frame, is cut off."""
    peer = Peer(silence=0.2)
    peer.reader.start()
    peer.send(frame(b"4hello")[:4])
    assert peer.ended.wait(3)
    assert peer.messages == []
    assert peer.client.recv(10) == b""


def test_a_peer_that_keeps_talking_is_not_cut_off() -> None:
    """A peer sending something within its limit each time stays connected."""
    peer = Peer(silence=1.0)
    peer.reader.start()
    for _ in range(25):  # 2.5 s at least: more than twice the limit
        peer.send(frame(b"3"))
        gevent.sleep(0.1)
    assert not peer.ended.is_set()
    assert len(peer.messages) == 25
    peer.reader.finish()


def test_bytes_waiting_unread_are_no_silence() -> None:
    """A peer whose bytes wait unread when the sweep looks (the loop was late) stays."""
    peer = Peer(silence=0.2)
    peer.reader.start()
    peer.reader.watcher.stop()  # as if the event loop had not come to it yet
    peer.client.sendall(frame(b"4a"))
    peer.reader.last_read -= 100
    deadline = time.monotonic() + 3
    while not peer.messages and time.monotonic() < deadline:
        gevent.sleep(0.05)
    assert peer.messages == ["4a"]
    assert not peer.ended.is_set()
    peer.reader.finish()
