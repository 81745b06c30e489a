"""Flask extensions, created unbound and attached in the application factory."""

from __future__ import annotations

from flask_socketio import SocketIO

from .presence.frames import FastJSON, FastPacket

# Presence handles thousands of events a second: orjson, packets encoded once, and
# handlers run in the socket's own greenlet (they never block) rather than a new one each.
# Payloads are small dicts; a client sending more than 64 KiB at once is cut off before parsing.
socketio = SocketIO(
    json=FastJSON,
    serializer=FastPacket,
    async_handlers=False,
    max_http_buffer_size=64 * 1024,
)
