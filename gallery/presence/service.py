"""The presence use cases behind the socket handlers: connect, enter, chat, disconnect."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from .broadcast import Broadcaster
from .limits import TokenBucket
from .payloads import NOT_IN_ROOM, UNKNOWN_EXHIBIT, UNKNOWN_ROOM, Enter, Refused
from .store import PresenceStore
from .text import default_name


def _number() -> int:
    """Return the number of a default name: random, so it tells nothing of how many came."""
    return 10 + secrets.randbelow(990)


class Connection:
    """One socket: the opaque id others know it by, its event budget, its transport address."""

    __slots__ = ("address", "bucket", "id")

    def __init__(self, id: str, bucket: TokenBucket, address: str | None = None) -> None:
        self.id = id
        self.bucket = bucket
        self.address = address  # what the transport sends to; opaque here


class Presence:
    """Presence and chat for one app: connections, the store and the broadcaster."""

    def __init__(
        self,
        store: PresenceStore,
        broadcaster: Broadcaster,
        *,
        name_max: int = 40,
        chat_max: int = 500,
        snapshot: int = 200,
        event_rate: float = 10.0,
    ) -> None:
        self.store = store
        self.broadcaster = broadcaster
        self.name_max = name_max
        self.chat_max = chat_max
        self.snapshot = snapshot
        self.event_rate = event_rate
        self.connections: dict[str, Connection] = {}

    def connect(self, sid: str) -> Connection:
        """Register socket `sid` under a fresh opaque visitor id."""
        # Not the socket id: that one names the session on the transport.
        connection = Connection(
            secrets.token_urlsafe(6), TokenBucket(self.event_rate, 2 * self.event_rate)
        )
        self.connections[sid] = connection
        return connection

    def connection(self, sid: str) -> Connection:
        """Return the connection of socket `sid`, registering it if its connect went unseen."""
        connection = self.connections.get(sid)
        return connection if connection is not None else self.connect(sid)

    def disconnect(self, sid: str) -> Connection | None:
        """Forget socket `sid` and take its visitor out of their room; return its connection."""
        connection = self.connections.pop(sid, None)
        if connection is not None:
            self.store.leave(connection.id)
        return connection

    def enter(
        self, connection: Connection, request: Enter, exhibition: Any
    ) -> tuple[dict[str, Any], str | None]:
        """Put the visitor in a room of `exhibition`; return the ack and the room left, if any."""
        room = exhibition.room(request.room)
        if room is None:
            raise Refused(UNKNOWN_ROOM)
        if request.exhibit is not None and room.exhibit(request.exhibit) is None:
            raise Refused(UNKNOWN_EXHIBIT)
        name = request.name
        if not name:
            current = self.store.visitor(connection.id)
            name = (
                current.name
                if current is not None
                else default_name(_number(), exhibition.default_language)
            )
        store = self.store
        left = store.enter(connection.id, room.slug, request.exhibit, name, request.invisible)
        ack = {
            "ok": True,
            "id": connection.id,
            "room": room.slug,
            "count": store.count(room.slug),
            "visitors": store.snapshot(room.slug, self.snapshot),
            "chat": store.history(room.slug),
        }
        return ack, left

    def chat(self, connection: Connection, text: str) -> dict[str, Any]:
        """Record a chat message in the visitor's room and send it to everyone there."""
        visitor = self.store.visitor(connection.id)
        if visitor is None:
            raise Refused(NOT_IN_ROOM)
        message = {
            "id": connection.id,
            "name": visitor.name,
            "text": text,
            "at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        self.store.say(visitor.room, message)
        self.broadcaster.sender.room(visitor.room, "chat", message)
        return message


def make_presence(
    config: Any, sender: Any, rooms: Callable[[], Any], store: PresenceStore | None = None
) -> Presence:
    """Build the presence of an app from its configuration, with an in-memory store by default."""
    from .store import MemoryStore

    store = store if store is not None else MemoryStore(history=config["CHAT_HISTORY"])
    broadcaster = Broadcaster(
        store,
        sender,
        rooms,
        tick=config["PRESENCE_TICK"],
        occupancy_interval=config["OCCUPANCY_INTERVAL"],
    )
    return Presence(
        store,
        broadcaster,
        name_max=config["NAME_MAX"],
        chat_max=config["CHAT_MAX"],
        snapshot=config["PRESENCE_SNAPSHOT"],
        event_rate=config["EVENT_RATE"],
    )
