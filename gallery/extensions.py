"""Flask extensions, created unbound and attached in the application factory."""

from __future__ import annotations

from flask_socketio import SocketIO

socketio = SocketIO()
