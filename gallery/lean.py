"""Engine.IO sockets that hold no greenlet while their visitor waits, not three.

python-engineio gives every WebSocket connection three greenlets for its whole life: the
server's handler reading the socket, a writer waiting on the send queue, and a timer
sleeping until the next ping. Each keeps a saved C stack and a Python frame stack of its
own, which was most of what an idle visitor cost. Here the handler hands the open socket
over to the event loop and ends (gallery/handover.py: a short greenlet handles each
message as it comes); every socket's pings are sent by one `Pinger`; and a socket's
writer runs only while its send queue holds something: the queue (`LeanQueue`) starts
it, and it ends once the queue is empty. A single packet for an idle WebSocket (an
acknowledgement, a ping) needs no writer at all: it is written at once, in one
non-blocking send. What goes on the wire, and in which order, is unchanged.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from typing import Any

from engineio import exceptions, packet
from engineio import socket as eio_socket
from gevent.queue import Empty

from .handover import hand_over
from .leanqueue import LeanQueue
from .presence.frames import RemainderPacket, frame_of

log = logging.getLogger("gallery.transport")


class Pinger:
    """Sends each socket its next ping when due, from one greenlet for the whole server."""

    def __init__(self, eio: Any) -> None:
        self.eio = eio
        # (due time, socket) in order of due time: every socket waits the same interval.
        self.due: deque[tuple[float, Any]] = deque()
        self.task: Any = None

    def add(self, sock: Any) -> None:
        """Ping `sock` one ping interval from now."""
        self.due.append((time.monotonic() + self.eio.ping_interval, sock))
        if self.task is None:
            self.task = self.eio.start_background_task(self.run)

    def run(self) -> None:
        """Send the pings as they fall due; end when none is waiting."""
        due, sleep = self.due, self.eio.sleep
        while due:
            wait = due[0][0] - time.monotonic()
            if wait > 0:
                sleep(wait)
                continue
            sock = due.popleft()[1]
            try:
                ping(sock)
            except Exception:
                log.exception("sending a ping failed")
        self.task = None


def ping(sock: Any) -> None:
    """Send `sock` a ping, as Engine.IO's own timer does, unless it is closing."""
    if not sock.closing and not sock.closed:
        sock.last_ping = time.time()
        sock.send(packet.Packet(packet.PING))


def lean_socket_class(pinger: Pinger) -> type:
    """Return the Engine.IO socket class whose pings go through `pinger`, writer on demand."""

    class LeanSocket(eio_socket.Socket):
        """An Engine.IO socket with no ping timer of its own and a writer only when needed."""

        writer: Any = None  # the greenlet writing the queue out, while there is one
        ws: Any = None  # the WebSocket, once upgraded
        finished = False  # the writer saw the end of the queue (None) and closed the socket

        def schedule_ping(self) -> None:
            """Have the next ping sent in one ping interval (after the client's pong)."""
            if self.last_ping:
                self.last_ping = None
                pinger.add(self)

        def wake(self) -> None:
            """Write what waits: at once when it is one packet and the socket is idle, else
            by a writer started if none runs."""
            if self.writer is not None or self.finished:
                return
            waiting = self.queue.qsize()
            if waiting and not (waiting == 1 and self.write_now()):
                self.writer = self.server.start_background_task(self.write)

        def write_now(self) -> bool:
            """Write the one packet queued straight to the idle WebSocket; tell whether it
            went, or its remainder waits for a writer (False).

            An acknowledgement or a ping then costs one non-blocking send, where a writer
            cost a greenlet and gevent's `sendall` (which asks the socket its buffer size
            first): the same bytes, in the same order, since nothing else waits or writes.
            """
            ws = getattr(self, "fast_ws", None)
            if ws is None or ws.busy or self.closed or not self.upgraded:
                return False
            raw = ws.raw if ws.raw is not None else ws.resolve()
            queue = self.queue
            pkt = queue.items[0] if queue.items else None
            frame = frame_of(pkt) if raw is not None and pkt is not None else None
            if frame is None:  # the end of the queue (the writer closes), or not text
                return False
            queue.get_nowait()
            queue.task_done()
            try:
                sent = raw.send(frame)
            except BlockingIOError:
                sent = 0
            except OSError:
                return True  # the socket is going away; its reader will notice
            if sent == len(frame):
                return True
            wake, queue.wake = queue.wake, None  # queued for the writer, not written again
            queue.put(RemainderPacket(frame[sent:]))
            queue.wake = wake
            return False

        def write(self) -> None:
            """Write the queued packets to the WebSocket until the queue is empty."""
            queue, ws = self.queue, self.ws
            while True:
                try:
                    pkt = queue.get_nowait()
                except Empty:
                    self.writer = None  # no switch since the queue was found empty
                    return
                queue.task_done()
                if pkt is None:  # the socket closed
                    break
                try:
                    ws.send(pkt.encode())
                except Exception:
                    break
            self.finished = True
            self.writer = None
            ws.close()

        def _websocket_handler(self, ws: Any) -> list:
            """Engine.IO's WebSocket session (python-engineio 4.x), with the writer on demand."""
            server = self.server

            def websocket_wait() -> Any:
                data = ws.wait()
                if data and len(data) > server.max_http_buffer_size:
                    raise ValueError("packet is too large")
                return data

            for attr in ("_sock", "socket"):
                if hasattr(ws, attr) and hasattr(getattr(ws, attr), "settimeout"):
                    getattr(ws, attr).settimeout(server.ping_interval + server.ping_timeout)

            if self.connected:  # an upgrade from long-polling
                self.upgrading = True
                decoded = packet.Packet(encoded_packet=websocket_wait())
                if decoded.packet_type != packet.PING or decoded.data != "probe":
                    self.upgrading = False
                    return []
                ws.send(packet.Packet(packet.PONG, data="probe").encode())
                self.queue.put(packet.Packet(packet.NOOP))  # end the poll
                decoded = packet.Packet(encoded_packet=websocket_wait())
                if decoded.packet_type != packet.UPGRADE:
                    self.upgraded = self.upgrading = False
                    return []
                self.upgraded, self.upgrading = True, False
            else:
                self.connected = self.upgraded = True

            self.ws = ws
            self.queue.wake = self.wake
            self.wake()  # what was queued before the upgrade
            if hand_over(self, ws):
                return []  # read by the event loop from now on; this greenlet ends
            while True:
                try:
                    p = websocket_wait()
                except Exception as error:
                    if not self.closed:
                        server.logger.info("%s: Unexpected error %s", self.sid, error)
                    break
                if p is None or not self.take(p):  # None: closed by the client
                    break
            self.end()
            return []

        def take(self, data: Any) -> bool:
            """Handle one message from the client; tell whether the session goes on."""
            try:
                self.receive(packet.Packet(encoded_packet=data))
            except exceptions.UnknownPacketError:
                pass
            except exceptions.SocketIsClosedError:
                return False
            except Exception:
                self.server.logger.exception("Unknown receive error")
                return False
            return True

        def end(self) -> None:
            """End the WebSocket session: the queue written out, then the socket closed."""
            self.queue.put(None)  # the writer closes the WebSocket once the queue is out
            writer = self.writer
            if writer is not None:
                writer.join()
            self.queue.wake = None
            self.close(wait=False, abort=True, reason=self.server.reason.TRANSPORT_CLOSE)

    return LeanSocket


def install(server: Any) -> None:
    """Make `server`'s (python-socketio) Engine.IO sockets lean, from their `connect` on."""
    eio = server.eio
    if eio.async_mode != "gevent":
        return
    eio._async = {**eio._async, "queue": LeanQueue}
    lean = lean_socket_class(Pinger(eio))
    on_connect = eio.handlers["connect"]

    def connect(eio_sid: str, environ: Any) -> Any:
        sock = eio.sockets.get(eio_sid)
        if sock is not None and type(sock) is eio_socket.Socket:
            # Before Engine.IO schedules the first ping or starts the WebSocket session.
            sock.__class__ = lean
        return on_connect(eio_sid, environ)

    eio.handlers["connect"] = connect
