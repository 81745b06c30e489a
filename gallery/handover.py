"""Handing an open WebSocket from its request handler's greenlet over to the event loop.

gevent-websocket reads a WebSocket in the greenlet that handled its handshake, for the
connection's whole life. `hand_over` lets that greenlet end: the connection is read by a
`Reader` (gallery/wsreader.py), Engine.IO's session (gallery/lean.py) gets each message
as before, and gevent-websocket's WebSocket object stays only to write, without the
request handler, its read buffer or the handshake's request.
"""

from __future__ import annotations

import contextlib
import io
import logging
from types import SimpleNamespace
from typing import Any

from geventwebsocket.exceptions import ProtocolError, WebSocketError

from .wsreader import Reader


class _HandedOver:
    """What gevent-websocket's WebSocket keeps of its request handler once handed over."""

    __slots__ = ("socket",)
    logger = logging.getLogger("geventwebsocket.handler")
    server = SimpleNamespace(application=None)  # no app to tell of closes

    def __init__(self, gsock: Any) -> None:
        self.socket = gsock


class Session:
    """What the event loop's reader of a handed-over WebSocket tells its Engine.IO session.

    One object with methods, not four closures: it is kept for every connection.
    """

    __slots__ = ("checked", "inner", "sock")

    def __init__(self, sock: Any, inner: Any, checked: Any) -> None:
        self.sock = sock  # the Engine.IO socket
        self.inner = inner  # gevent-websocket's WebSocket, which writes
        self.checked = checked  # the malformed-message check (gallery/transport.py)

    def deliver(self, data: Any) -> bool:
        """Hand message `data` to the session; tell whether it goes on."""
        checked = self.checked
        if checked is not None:
            data = checked(data)
            if data is None:
                return False
        return self.sock.take(data)

    def respond(self, payload: bytes, opcode: int) -> None:
        """Write a control frame (a pong), unless the WebSocket is closed."""
        with contextlib.suppress(WebSocketError):
            self.inner.send_frame(payload, opcode)

    def closing(self, code: int, payload: bytes | None) -> None:
        """Answer the peer's close frame (`payload`), or close with `code` (payload None)."""
        inner = self.inner
        try:
            if payload is not None:
                inner.handle_close(None, payload)
            elif not inner.closed:
                inner.close(code)
        except ProtocolError:
            inner.close(1002)
        except UnicodeError:
            inner.close(1007)
        except WebSocketError:
            pass

    def end(self) -> None:
        """End the session once the connection is over, and forget its socket."""
        sock, inner = self.sock, self.inner
        try:
            sock.end()
        finally:
            if not inner.closed:
                with contextlib.suppress(Exception):
                    inner.close()
            sockets = sock.server.sockets
            if sockets.get(sock.sid) is sock:
                del sockets[sock.sid]


# A handed-over session's request body: a WebSocket handshake has none.
_NO_BODY = io.BytesIO(b"")


def hand_over(sock: Any, ws: Any) -> bool:
    """Have the event loop read `sock`'s WebSocket `ws` from now on; tell whether it will.

    Only the gallery's request handler (`gallery.serve`) lets go of a connection; under
    another, or if gevent-websocket's internals changed, the session's greenlet reads on.
    The handler, its read buffer and its copy of the request go once handed over.
    """
    inner = getattr(ws, "_sock", None)
    handler = getattr(inner, "handler", None)
    gsock = getattr(handler, "socket", None)
    rfile = getattr(handler, "rfile", None)
    if (
        not getattr(handler, "lets_go", False)
        or rfile is None
        or not hasattr(gsock, "_sock")
        or hasattr(gsock, "getpeercert")  # TLS: the bytes under it are not the frames
        or not hasattr(inner, "send_frame")
    ):
        return False
    server = sock.server
    # The handshake's reader may hold bytes that came after it: take them, without waiting.
    timeout = gsock.gettimeout()
    gsock.settimeout(0.0)
    try:
        already = rfile.read1(65536) or b""
    except OSError:
        already = b""
    finally:
        gsock.settimeout(timeout)
    handler.let_go = True
    inner.handler = _HandedOver(gsock)
    inner.stream = inner.raw_read = inner.environ = None
    environ = getattr(ws, "environ", None)
    if environ is not None and "wsgi.input" in environ:
        environ["wsgi.input"] = _NO_BODY
    reader = Reader(
        gsock,
        server.max_http_buffer_size,
        # Engine.IO ends a session whose client misses a pong; this frees the socket of a
        # peer that never answers that end either: twice as long, so never the first.
        2 * (server.ping_interval + server.ping_timeout),
        Session(sock, inner, getattr(ws, "checked", None)),
    )
    reader.start(already)
    return True
