"""Flask extensions, created unbound and attached in the application factory."""

from __future__ import annotations

from flask_socketio import SocketIO

from .presence.wire import FastJSON

# orjson: presence sends thousands of events a second.
socketio = SocketIO(json=FastJSON)
