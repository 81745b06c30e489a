"""Live presence: who is in which room, at which exhibit, and what they say there.

Pure Python apart from `wire`, which speaks Engine.IO packets; the Flask-SocketIO
handlers in `gallery.sockets` only check payloads and call into `Presence`.
"""

from __future__ import annotations

from .broadcast import Broadcaster, occupancy_of
from .payloads import Enter, Refused, parse_chat, parse_enter
from .service import Connection, Presence, make_presence
from .store import MemoryStore, PresenceStore, RoomChange, Visitor

__all__ = [
    "Broadcaster",
    "Connection",
    "Enter",
    "MemoryStore",
    "Presence",
    "PresenceStore",
    "Refused",
    "RoomChange",
    "Visitor",
    "make_presence",
    "occupancy_of",
    "parse_chat",
    "parse_enter",
]
