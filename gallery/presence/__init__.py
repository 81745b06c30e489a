"""Live presence: who is in which room, at which exhibit, and what they say there.

Pure Python apart from `wire`, the delivery layer, which alone speaks Socket.IO and
Engine.IO: the domain (`service`, `broadcast`) hands each event to a `Sender` as a name
and JSON data, and `wire.Delivery` encodes it once for all its recipients. Visitors are
kept by the `PresenceStore`; this process's sockets and the room each is in by
`Connections`, which `Presence` keeps in step with the store and `Delivery` reads. The
Socket.IO handlers in `gallery.sockets` only check payloads and call into `Presence`.
"""

from __future__ import annotations

from .broadcast import Broadcaster, Sender, TickSource, occupancy_of
from .connections import Connection, Connections
from .memorystore import MemoryStore
from .payloads import Enter, Refused, parse_chat, parse_enter, parse_watch
from .plan import PlanFeed
from .service import Presence, make_presence
from .store import LOBBY, PresenceStore, RoomChange, StoreUnavailable, Visitor

__all__ = [
    "LOBBY",
    "Broadcaster",
    "Connection",
    "Connections",
    "Enter",
    "MemoryStore",
    "PlanFeed",
    "Presence",
    "PresenceStore",
    "Refused",
    "RoomChange",
    "Sender",
    "StoreUnavailable",
    "TickSource",
    "Visitor",
    "make_presence",
    "occupancy_of",
    "parse_chat",
    "parse_enter",
    "parse_watch",
]
