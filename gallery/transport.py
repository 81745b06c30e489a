"""Engine.IO-level hardening of the Socket.IO server: what no event handler can see.

python-engineio trusts its clients in a few places; each function here closes one of
those holes on a server that Flask-SocketIO has just built.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

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


def harden(server: Any) -> None:
    """Apply every Engine.IO-level guard to `server`, a python-socketio server."""
    release_refused_sessions(server.eio)
    refuse_reserved_events(server)
