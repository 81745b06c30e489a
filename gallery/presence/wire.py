"""Encoding server events once and handing the same bytes to every recipient.

A presence tick sends one packet to hundreds of sockets, so the per-recipient work must
be tiny. python-socketio and Engine.IO do a lot per recipient: participant lookups,
ping checks, a queue put and a writer greenlet switch, then a WebSocket frame built
and UTF-8 encoded again for each socket. `Delivery` is the `Sender` the presence domain
hands its events to, as a name and JSON data: it makes each event a complete WebSocket
frame once (`Frame`) and writes it straight to each socket whose writer is idle, falling
back to that socket's Engine.IO queue otherwise, so frames never interleave. Which
sockets an event goes to, it asks the process's `Connections` registry and nothing else.
A socket whose queue grows past a bound (a client that stopped reading) is dropped: its
visitor leaves, and the client, once it reads again, reconnects and enters afresh.
"""

from __future__ import annotations

import contextlib
import logging
import socket
from collections.abc import Iterable
from typing import Any

from .connections import Connections
from .frames import Frame, Remainder, RemainderPacket, event_packet

# Packets queued for one socket before it counts as stalled and is dropped. A healthy client
# has none: its queue only grows once the kernel's send buffer is full.
QUEUE_MAX = 64

log = logging.getLogger("gallery.presence")


def fast_websocket_class(base: type) -> type:
    """Return a subclass of Engine.IO's gevent-websocket wrapper that writes frames directly."""

    class FastWebSocket(base):  # type: ignore[misc, valid-type]
        """Engine.IO's WebSocket wrapper, which also lets `Delivery` write to an idle socket."""

        busy = False  # a write is under way (or the close frame went out): don't write
        raw: Any = None  # the standard library socket: a non-blocking send never yields
        gsock: Any = None  # gevent's socket around it
        owner: Any = None  # the Engine.IO socket
        warned = False  # the internals were found missing once already

        def __init__(self, handler: Any, server: Any) -> None:
            super().__init__(handler, server)
            # `handler` is the Engine.IO socket's bound method: register there, without
            # wrapping the session call (a deeper stack costs memory in every greenlet).
            eio_socket = getattr(handler, "__self__", None)
            if eio_socket is not None:
                eio_socket.fast_ws = self
                self.owner = eio_socket

        def __call__(self, environ: Any, start_response: Any) -> Any:
            """Run the session, marking every write gevent-websocket makes as busy."""
            inner = environ.get("wsgi.websocket")
            if inner is not None and not self.guard(inner):
                # Without this socket, Delivery queues as for any socket and never judges
                # the client stalled from its queue: Engine.IO's ping timeout ends it.
                if self.owner is not None:
                    self.owner.fast_ws = None
                if not FastWebSocket.warned:
                    FastWebSocket.warned = True
                    log.warning(
                        "direct WebSocket writes are off: gevent-websocket or gevent changed "
                        "the internals they use; frames go through Engine.IO's queues"
                    )
            return super().__call__(environ, start_response)

        def guard(self, inner: Any) -> bool:
            """Make `inner`'s writes (messages, pongs, the close frame) keep direct writes out.

            Tell whether the internals direct writes use are there: gevent-websocket's
            `raw_write` and `handler.socket`, gevent's non-blocking `_sock` under it.
            """
            write = getattr(inner, "raw_write", None)
            gsock = getattr(getattr(inner, "handler", None), "socket", None)
            raw = getattr(gsock, "_sock", None)
            if (
                write is None
                or not hasattr(gsock, "sendall")
                or not hasattr(raw, "send")
                or getattr(raw, "gettimeout", lambda: None)() != 0.0
            ):
                return False
            self.gsock, self.raw = gsock, raw

            def raw_write(data: bytes) -> Any:
                self.busy = True
                try:
                    return write(data)
                finally:
                    # Nothing may follow a close frame (opcode 8) on the wire.
                    self.busy = (data[0] & 0x0F) == 0x08

            inner.raw_write = raw_write
            return True

        def resolve(self) -> Any:
            """Find the sockets under the running session; return the raw one, or None."""
            ws = getattr(self, "_sock", None)  # set by the base class when the session starts
            gsock = getattr(getattr(ws, "handler", None), "socket", None)
            self.gsock = gsock
            self.raw = getattr(gsock, "_sock", None)
            return self.raw

        def send(self, message: Any) -> Any:
            """Send a message from the socket's writer; frames and remainders go out as is."""
            self.busy = True
            try:
                kind = type(message)
                if (
                    (kind is Frame or kind is Remainder)
                    and not self.closed()
                    and (self.gsock or self.resolve())
                ):
                    return self.gsock.sendall(message.frame if kind is Frame else message)
                return super().send(message)
            finally:
                self.busy = self.closed()

        def closed(self) -> bool:
            """Tell whether gevent-websocket has closed the session (sent its close frame)."""
            return bool(getattr(getattr(self, "_sock", None), "closed", False))

        def abort(self) -> None:
            """Cut the connection, waking a writer blocked on a client that stopped reading."""
            self.busy = True
            raw = self.raw if self.raw is not None else self.resolve()
            if raw is not None:
                with contextlib.suppress(OSError):  # already gone
                    raw.shutdown(socket.SHUT_RDWR)

    return FastWebSocket


def install(server: Any) -> bool:
    """Let `server` (python-socketio) write frames directly under gevent-websocket."""
    eio = server.eio
    base = (eio._async or {}).get("websocket")
    if eio.async_mode != "gevent" or base is None or not hasattr(base, "wait"):
        return False
    try:
        import geventwebsocket  # noqa: F401
    except ImportError:  # simple-websocket is in use: keep its own wrapper
        return False
    eio._async = {**eio._async, "websocket": fast_websocket_class(base)}
    return True


class Delivery:
    """This process's `Sender`: each event encoded once, written to the sockets registered."""

    def __init__(self, server: Any, connections: Connections, queue_max: int = QUEUE_MAX) -> None:
        self.server = server
        self.connections = connections
        self.queue_max = queue_max

    def room(self, slug: str, event: str, data: Any) -> None:
        """Send event `event` with `data` to every socket in room `slug`, encoded once."""
        addresses = self.connections.members(slug)
        if addresses:
            self._send(addresses, event_packet(event, data))

    def everyone(self, event: str, data: Any) -> None:
        """Send event `event` with `data` to every connected socket, encoded once."""
        addresses = self.connections.everyone()
        if addresses:
            self._send(addresses, event_packet(event, data))

    def rooms_then_everyone(self, rooms: list[tuple[str, str, Any]], event: str, data: Any) -> None:
        """Send each (room, event, data) of `rooms` to that room, then `event` with `data` to
        everyone: what a socket gets of both goes out in one write.

        The same frames in the same order as `room` for each, then `everyone`; a visitor in
        a room whose presence changed gets the two frames in one send, not two (at 5,000
        visitors, a tenth of a tick's sends when `occupancy` joins it).
        """
        also = event_packet(event, data)
        served: set[str] = set()
        for slug, name, payload in rooms:
            addresses = self.connections.members(slug)
            if not addresses:
                continue
            # A room that fails to send is logged; the other rooms still get theirs.
            try:
                self._send(addresses, event_packet(name, payload), also)
            except Exception:
                log.exception("sending to a room failed")
            served.update(addresses)
        rest = [address for address in self.connections.everyone() if address not in served]
        if rest:
            self._send(rest, also)

    def watchers(self, event: str, data: Any) -> None:
        """Send event `event` with `data` to every socket watching the floor plan, encoded once."""
        addresses = self.connections.watching()
        if addresses:
            self._send(addresses, event_packet(event, data))

    def backlogged(self, eio_sid: str | None) -> bool:
        """Drop socket `eio_sid` if its client stopped reading; tell whether it was dropped."""
        sock = self.server.eio.sockets.get(eio_sid) if eio_sid is not None else None
        if sock is None or sock.closed or not self.stalled(sock, sock.queue.qsize()):
            return False
        self.drop(sock)
        return True

    def stalled(self, sock: Any, waiting: int) -> bool:
        """Tell whether `sock`, with `waiting` packets queued, has a client that stopped reading."""
        if waiting < self.queue_max:
            return False
        # A burst of events queues many acks before the writer runs; only a writer blocked
        # on a full send buffer (or a long-polling client not polling) means a stalled client.
        if not sock.upgraded:
            return True
        # A WebSocket without direct writes cannot tell a blocked writer from a busy one.
        ws = getattr(sock, "fast_ws", None)
        return ws is not None and ws.busy

    def drop(self, sock: Any, quiet: bool = False) -> None:
        """Close Engine.IO socket `sock` now and free its queue; its visitor leaves."""
        if not quiet:
            log.info("dropping a connection that stopped reading (%d waiting)", self.queue_max)
        queue = sock.queue
        for _ in range(queue.qsize()):
            queue.get_nowait()  # nobody will read these: free them now
        # Runs the disconnect handler at once; `abort`: no CLOSE packet joins the backlog.
        sock.close(wait=False, abort=True)
        ws = getattr(sock, "fast_ws", None)
        if ws is not None:
            ws.abort()

    def drop_all(self) -> None:
        """Close every socket of this process, so that each client reconnects and enters afresh."""
        for sock in list(self.server.eio.sockets.values()):
            if not sock.closed:
                self.drop(sock, quiet=True)

    def _send(self, eio_sids: Iterable[str], pkt: Any, also: Any = None) -> None:
        """Write `pkt` (then `also`, if given) to each socket, directly when its writer is
        idle, else through its queue."""
        server = self.server
        sender = server.__dict__.get("_send_eio_packet")
        if sender is not None:
            # A test client swapped in its own sender; go through it.
            for eio_sid in eio_sids:
                sender(eio_sid, pkt)
                if also is not None:
                    sender(eio_sid, also)
            return
        sockets = server.eio.sockets
        frame = pkt.encode()
        raw_frame = getattr(frame, "frame", None)
        if also is not None and raw_frame is not None:
            raw_frame += also.encode().frame  # two WebSocket frames, one write
        queue_max = self.queue_max
        for eio_sid in eio_sids:
            sock = sockets.get(eio_sid)
            if sock is None or sock.closed:
                continue
            # One socket failing must not keep the packet from the others.
            try:
                queue = sock.queue
                waiting = queue.qsize()
                ws = getattr(sock, "fast_ws", None)
                if raw_frame is None or ws is None or ws.busy or waiting or not sock.upgraded:
                    if waiting >= queue_max and self.stalled(sock, waiting):
                        self.drop(sock)
                    else:
                        # Queued apart: a long-polling client reads them as two packets.
                        queue.put(pkt)
                        if also is not None:
                            queue.put(also)
                    continue
                raw = ws.raw
                if raw is None:
                    raw = ws.resolve()
                    if raw is None:
                        queue.put(pkt)
                        if also is not None:
                            queue.put(also)
                        continue
                # Nothing queued and the writer is not mid-write: this frame goes out whole
                # before anything else can be written to the socket.
                try:
                    sent = raw.send(raw_frame)
                except BlockingIOError:
                    sent = 0
                except OSError:
                    continue  # the socket is going away; its reader will notice
                if sent < len(raw_frame):
                    queue.put(RemainderPacket(raw_frame[sent:]))
            except Exception:
                log.exception("sending to a socket failed")
