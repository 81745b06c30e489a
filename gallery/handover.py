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
    checked = getattr(ws, "checked", None)

    def deliver(data: Any) -> bool:
        if checked is not None:
            data = checked(data)
            if data is None:
                return False
        return sock.take(data)

    def respond(payload: bytes, opcode: int) -> None:
        with contextlib.suppress(WebSocketError):
            inner.send_frame(payload, opcode)

    def closing(code: int, payload: bytes | None) -> None:
        try:
            if payload is not None:
                inner.handle_close(None, payload)  # the peer's close frame, answered
            elif not inner.closed:
                inner.close(code)
        except ProtocolError:
            inner.close(1002)
        except UnicodeError:
            inner.close(1007)
        except WebSocketError:
            pass

    def end() -> None:
        try:
            sock.end()
        finally:
            if not inner.closed:
                with contextlib.suppress(Exception):
                    inner.close()
            if server.sockets.get(sock.sid) is sock:
                del server.sockets[sock.sid]

    reader = Reader(
        gsock,
        server.max_http_buffer_size,
        server.ping_interval + server.ping_timeout,
        deliver,
        respond,
        closing,
        end,
    )
    reader.start(already)
    return True
