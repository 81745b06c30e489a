"""Engine.IO-level hardening of the Socket.IO server: what no event handler can see.

python-engineio trusts its clients in a few places; each function here closes one of
those holes on a server that Flask-SocketIO has just built.
"""

from __future__ import annotations

from typing import Any


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


def harden(server: Any) -> None:
    """Apply every Engine.IO-level guard to `server`, a python-socketio server."""
    release_refused_sessions(server.eio)
