"""Engine.IO-level hardening of the Socket.IO server: what no event handler can see.

python-engineio trusts its clients in a few places; each function here closes one of
those holes on a server that Flask-SocketIO has just built.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from engineio import exceptions as eio_exceptions

from . import lean

log = logging.getLogger("gallery.transport")

# Event names Socket.IO keeps for itself (python-socketio's and the JavaScript client's).
RESERVED_EVENTS = frozenset(
    {"connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"}
)
# What a client event with a reserved name is handed on as: a name no handler has.
RESERVED_RENAMED = "reserved event"


def origin_check(allowed: str | Iterable[str]) -> Callable[[str | None, dict[str, Any]], bool]:
    """Return the check Engine.IO runs on a request's Origin: the gallery's own, or `allowed`.

    The gallery's own origin is the host the request was sent to, over http or https (a
    proxy in front may end TLS). `allowed` lists other origins, or is a comma-separated
    string of them. Engine.IO lets requests without an Origin through: they come from
    programs, not from a page of another site.
    """
    if isinstance(allowed, str):
        allowed = allowed.split(",")
    extra = frozenset(_origin(origin) for origin in allowed if origin.strip())

    def accepted(origin: str | None, environ: dict[str, Any]) -> bool:
        """Tell whether a page from `origin` may open a live connection."""
        if not origin:  # asked for the CORS headers of a request without Origin
            return False
        origin = _origin(origin)
        if origin in extra:
            return True
        scheme, _, host = origin.partition("://")
        return scheme in ("http", "https") and host == environ.get("HTTP_HOST", "").lower()

    return accepted


def _origin(origin: str) -> str:
    """Return `origin` as browsers send it: lower case, no trailing slash."""
    return origin.strip().rstrip("/").lower()


def release_refused_sessions(eio: Any) -> None:
    """Make Engine.IO close a session it refuses at once, without waiting for its queue.

    A long-polling POST holding an invalid packet or an oversized body makes Engine.IO
    disconnect the session, and its `disconnect` waits until the session's send queue is
    drained. Only a long-polling GET drains it, and that client sends none: the request
    never got an answer and its connection was never closed, so anyone could use up the
    server's file descriptors. Closed without waiting, the session goes at once, the POST
    gets its 400, and a GET still in flight gets the CLOSE packet.
    """
    reason = eio.reason.SERVER_DISCONNECT

    def disconnect(sid: str | None = None) -> None:
        """Close session `sid` (every session when None) and forget it."""
        for key in [sid] if sid is not None else list(eio.sockets):
            sock = eio.sockets.pop(key, None)
            if sock is not None:
                sock.close(wait=False, reason=reason)

    eio.disconnect = disconnect


def refuse_reserved_events(server: Any) -> None:
    """Hand client events with a reserved name to the catch-all handler, never their namesake.

    python-socketio dispatches a client's `42["disconnect"]` to the disconnect handler,
    and the visitor left while its socket stayed: the next event made a fresh visitor
    with a full event budget. Renamed, such an event reaches the `*` handler like any
    unknown one, which refuses it and takes it from the sender's budget.
    """
    handle_event = server._handle_event

    def _handle_event(eio_sid: str, namespace: str | None, id: int | None, data: Any) -> Any:
        if type(data) is list and data and type(data[0]) is str and data[0] in RESERVED_EVENTS:
            data = [RESERVED_RENAMED, *data[1:]]
        return handle_event(eio_sid, namespace, id, data)

    server._handle_event = _handle_event


class MalformedLog:
    """Logs clients' malformed packets in one line each, without traceback, and not often.

    A packet the server cannot decode says nothing about the server: one line per
    connection is enough, and at most `per_minute` lines a minute in all, so that a
    client sending thousands cannot fill the disk.
    """

    def __init__(self, per_minute: int = 10, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self.since = clock()
        self.logged = 0
        self.skipped = 0
        self.seen: set[str] = set()  # connections already logged

    def report(self, eio_sid: str | None, error: BaseException) -> None:
        """Log that session `eio_sid` (None: unknown) sent a packet that raised `error`."""
        if eio_sid is not None:
            if eio_sid in self.seen:
                return
            if len(self.seen) >= 100_000:  # disconnects went unseen: at worst, log again
                self.seen.clear()
            self.seen.add(eio_sid)
        now = self.clock()
        if now - self.since >= 60:
            if self.skipped:
                log.warning("%d more connections sent malformed packets", self.skipped)
            self.since, self.logged, self.skipped = now, 0, 0
        if self.logged >= self.per_minute:
            self.skipped += 1
            return
        self.logged += 1
        # repr: the message may quote the client's bytes, which must not forge log lines.
        log.warning(
            "a client sent a malformed packet (%s: %.200r)", type(error).__name__, str(error)
        )

    def forget(self, eio_sid: str) -> None:
        """Forget session `eio_sid`, which has ended."""
        self.seen.discard(eio_sid)


def quiet_malformed_packets(eio: Any, malformed: MalformedLog) -> None:
    """Drop packets python-socketio cannot decode with one short line, not a traceback each.

    Engine.IO logs a full traceback for every exception its message handler raises, and
    one for every long-polling body it cannot decode: a client repeating a lone surrogate
    wrote a megabyte of log every 500 packets. Now a malformed message is dropped; a
    long-polling body that is not Engine.IO is refused like an unknown packet (a 400 and
    the session closed); a WebSocket message that is not Engine.IO ends the session,
    which Engine.IO would otherwise leave half-closed after raising from its reader.
    """
    handlers = eio.handlers
    on_message, on_connect, on_disconnect = (
        handlers["message"],
        handlers["connect"],
        handlers["disconnect"],
    )

    def message(eio_sid: str, data: Any) -> Any:
        try:
            return on_message(eio_sid, data)
        except Exception as error:
            malformed.report(eio_sid, error)
            return None

    def connect(eio_sid: str, environ: Any) -> Any:
        sock = eio.sockets.get(eio_sid)
        if sock is not None:
            sock.handle_post_request = _checked_post(sock, malformed)
        return on_connect(eio_sid, environ)

    def disconnect(eio_sid: str, *reason: Any) -> Any:
        malformed.forget(eio_sid)
        return on_disconnect(eio_sid, *reason)

    handlers.update(message=message, connect=connect, disconnect=disconnect)
    base = (eio._async or {}).get("websocket")
    if base is not None:
        eio._async = {**eio._async, "websocket": _checked_websocket_class(base, malformed)}


def _checked_post(sock: Any, malformed: MalformedLog) -> Callable[[Any], None]:
    """Return `sock`'s long-polling POST handler, refusing a body it cannot decode."""
    handle = sock.handle_post_request

    def handle_post_request(environ: Any) -> None:
        try:
            handle(environ)
        except ValueError as error:  # not UTF-8, not Engine.IO packets
            malformed.report(sock.sid, error)
            raise eio_exceptions.UnknownPacketError() from None

    return handle_post_request


def _checked_websocket_class(base: type, malformed: MalformedLog) -> type:
    """Return a subclass of Engine.IO's WebSocket wrapper that ends on a malformed message."""

    class CheckedWebSocket(base):  # type: ignore[misc, valid-type]
        """Engine.IO's WebSocket wrapper, reporting a closed socket for a non-Engine.IO message."""

        def wait(self) -> Any:
            """Return the next message; None (closed) for text that is no Engine.IO packet."""
            return self.checked(super().wait())

        @staticmethod
        def checked(data: Any) -> Any:
            """Return message `data`, or None (close) for text that is no Engine.IO packet."""
            # Engine.IO decodes the packet type from the first character, outside any `try`.
            if type(data) is str and (not data or data[0] not in "0123456789"):
                malformed.report(None, ValueError(f"not an Engine.IO packet: {data[:20]!r}"))
                return None
            return data

    return CheckedWebSocket


def harden(server: Any) -> None:
    """Apply every Engine.IO-level guard to `server`, a python-socketio server."""
    release_refused_sessions(server.eio)
    refuse_reserved_events(server)
    quiet_malformed_packets(server.eio, MalformedLog())
    lean.install(server)
