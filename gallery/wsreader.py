"""WebSocket connections read by the event loop, with no greenlet of their own while idle.

Once a WebSocket is open, its handler greenlet would spend the connection's whole life
blocked in a read, holding a saved C stack and a Python frame stack (about half of what
an idle visitor cost). Here the handler hands the connection over and ends: the event
loop watches the socket, a callback reads what arrived and cuts it into frames
(`Frames`), and only when a whole frame is there does a short greenlet start to handle
it, in order, ending once nothing is left. While it runs the socket is not watched, so
a client sending faster than the server handles is slowed by TCP, as before. The frames
accepted, the answers to pings and close frames, and what reaches Engine.IO are those of
gevent-websocket, and stricter where RFC 6455 requires it: a client's frame unmasked,
or a control frame fragmented or over 125 bytes, closes the connection (1002). A frame
longer than Engine.IO's message limit is refused from its header, before its payload is
read, and a peer silent for longer than its limit (twice the ping interval and timeout
together, gallery/handover.py) is cut off (`Readers`).
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections import deque
from typing import Any

import gevent

from .wsframes import BINARY, CLOSE, CONTINUATION, PING, PONG, TEXT, Frames, ProtocolError

log = logging.getLogger("gallery.transport")

RECV = 8192  # bytes read at most per readiness callback; the watcher fires again for more


class Readers:
    """Every connection read by the event loop, and the sweep that cuts off silent peers."""

    def __init__(self) -> None:
        self.live: dict[Reader, None] = {}
        self.task: Any = None

    def add(self, reader: Reader) -> None:
        """Watch `reader`'s silence from now on."""
        self.live[reader] = None
        if self.task is None:
            self.task = gevent.spawn_raw(self.sweep)

    def sweep(self) -> None:
        """Cut off, every second or so, the peers silent for longer than their limit."""
        live = self.live
        try:
            while live:
                shortest = min(reader.silence for reader in live)
                gevent.sleep(min(1.0, shortest / 4))
                now = time.monotonic()
                # A reader whose frames are being handled is busy, not silent.
                for reader in [r for r in live if now - r.last_read > r.silence and not r.task]:
                    # Bytes waiting unread (the loop was late) are no silence: read them first.
                    reader.readable()
                    silent = time.monotonic() - reader.last_read
                    if not reader.done and reader.task is None and silent > reader.silence:
                        reader.cut(f"silent for {silent:.0f} s")
        finally:
            self.task = None


READERS = Readers()


class Reader:
    """Reads one WebSocket from the event loop and hands each message to its `session`.

    The session's `deliver(message)` gets a str (text) or bytes (binary) and tells
    whether to go on; `respond(payload, opcode)` writes a control frame; `closing(code,
    payload)` answers the peer's close frame (or, payload None, says why the server
    closes); `end()` runs once, after the last message, when the connection is over.
    All run in a short greenlet, never in the event loop.
    """

    __slots__ = (
        "__weakref__",
        "done",
        "frames",
        "gsock",
        "last_read",
        "message",
        "opcode",
        "pending",
        "raw",
        "session",
        "silence",
        "task",
        "watcher",
    )

    def __init__(
        self,
        gsock: Any,
        limit: int,
        silence: float,
        session: Any,
    ) -> None:
        self.gsock = gsock  # keeps the descriptor open; closed by `finish`
        self.raw = gsock._sock
        self.frames = Frames(limit)
        self.silence = silence
        self.session = session
        self.pending: deque | None = None  # frames read, not yet handled
        self.opcode = 0  # the opcode of the fragmented message under way, 0 if none
        self.message: bytearray | None = None
        self.task: Any = None  # the greenlet handling frames, while there is one
        self.done = False
        self.last_read = time.monotonic()
        self.watcher = gevent.get_hub().loop.io(self.raw.fileno(), 1)

    def start(self, already: bytes = b"") -> None:
        """Begin with the bytes `already` read past the handshake, then watch the socket."""
        READERS.add(self)
        if already:
            self.take(already)
        if not self.done and self.task is None:
            self.watcher.start(self.readable)

    def readable(self) -> None:
        """Read what arrived (in the event loop: never blocks, never raises)."""
        try:
            data = self.raw.recv(RECV)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        try:
            self.take(data)
        except Exception:
            log.exception("reading a WebSocket failed")
            self.queue(None)

    def take(self, data: bytes) -> None:
        """Cut `data` into frames and have them handled; b"" is the end of the stream."""
        self.last_read = time.monotonic()
        if not data:
            self.queue(None)
            return
        try:
            frames = self.frames.feed(data)
        except ProtocolError as error:
            self.queue(error)
            return
        for frame in frames:
            self.queue(frame)

    def queue(self, item: Any) -> None:
        """Queue a frame (None: the end, an error: refuse), and start a handler if none runs."""
        if self.done:
            return
        pending = self.pending
        if pending is None:
            pending = self.pending = deque()
        pending.append(item)
        self.watcher.stop()  # until the handler has caught up
        if self.task is None:
            self.task = gevent.spawn_raw(self.handle)

    def cut(self, why: str) -> None:
        """End the connection from the server's side (a silent peer)."""
        log.info("closing a WebSocket: %s", why)
        self.queue(None)

    def handle(self) -> None:
        """Handle the frames queued, in order; then watch the socket again, or finish."""
        try:
            pending = self.pending
            while pending and not self.done:
                item = pending.popleft()
                if not self.frame(item):
                    self.finish()
        except Exception:
            log.exception("handling a WebSocket frame failed")
            self.finish()
        finally:
            self.task = None
            self.pending = None if not self.pending else self.pending
        if not self.done:
            if self.pending:  # queued after the loop looked
                self.task = gevent.spawn_raw(self.handle)
            else:
                self.watcher.start(self.readable)

    def frame(self, item: Any) -> bool:
        """Handle one queued item as gevent-websocket would; tell whether to go on."""
        if item is None:
            return False
        if isinstance(item, ProtocolError):
            log.info("closing a WebSocket: %s", item)
            self.session.closing(item.code, None)
            return False
        flags, opcode, payload = item
        if flags & 0x70:  # reserved bits, with no extension agreed
            self.session.closing(1002, None)
            return False
        if opcode == PING:
            self.session.respond(payload, PONG)
            return True
        if opcode == PONG:
            return True
        if opcode == CLOSE:
            self.session.closing(0, payload)
            return False
        if opcode in (TEXT, BINARY):
            if self.opcode:
                self.session.closing(1002, None)
                return False
            self.opcode = opcode
        elif opcode != CONTINUATION or not self.opcode:
            self.session.closing(1002, None)
            return False
        fin = flags & 0x80
        if fin and self.message is None:
            message: Any = payload
        else:
            if self.message is None:
                self.message = bytearray()
            self.message += payload
            if len(self.message) > self.frames.limit:
                self.session.closing(1009, None)
                return False
            if not fin:
                return True
            message, self.message = bytes(self.message), None
        kind, self.opcode = self.opcode, 0
        if kind == TEXT:
            try:
                message = message.decode("utf-8")
            except UnicodeDecodeError:
                self.session.closing(1007, None)
                return False
        return self.session.deliver(message)

    def finish(self) -> None:
        """Stop reading, run `end`, and close the socket."""
        if self.done:
            return
        self.done = True
        self.watcher.stop()
        READERS.live.pop(self, None)
        self.pending = None
        try:
            self.session.end()
        finally:
            raw = self.raw
            with contextlib.suppress(OSError):
                raw.recv(16384)  # what the peer still sent: closing unread data resets
            with contextlib.suppress(OSError):
                self.gsock.close()
            self.watcher.close()
