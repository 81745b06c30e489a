"""The presence use cases behind the socket handlers: connect, enter, chat, disconnect."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from .broadcast import Broadcaster, Sender
from .colours import PALETTE
from .connections import Connection, Connections
from .limits import TokenBucket
from .payloads import NOT_IN_ROOM, UNKNOWN_EXHIBIT, UNKNOWN_ROOM, Enter, Refused
from .store import LOBBY, PresenceStore
from .text import default_name


def _number() -> int:
    """Return the number of a default name: random, so it tells nothing of how many came."""
    return 10 + secrets.randbelow(990)


class ChatLog(Protocol):
    """Where chat messages are kept beyond the room's memory: a durable, moderated journal."""

    def record(self, connection: Connection, room: str, name: str, text: str) -> dict[str, Any]:
        """Keep a message said in `room` (or raise `Refused`) and return its `chat` event."""
        ...

    def history(self, room: str) -> list[dict[str, Any]]:
        """Return the room's last messages visitors may see, oldest first."""
        ...

    def kept_in(self, store: PresenceStore, room: str) -> bool:
        """Tell whether the room's history is `store`'s own (its `history`), filling it there
        first if need be; False when the log keeps it elsewhere."""
        ...


class Presence:
    """Presence and chat for one app: its connections, the store and the broadcaster.

    Every change of a visitor's room goes through here, to the store (the visitors) and to
    `connections` (this process's sockets, which the sender delivers to) alike. With a
    `chat_log`, chat is kept there, and the `enter` history read from it, not from the store.
    """

    def __init__(
        self,
        store: PresenceStore,
        broadcaster: Broadcaster,
        connections: Connections,
        *,
        name_max: int = 40,
        chat_max: int = 500,
        snapshot: int = 200,
        event_rate: float = 10.0,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.store = store
        self.broadcaster = broadcaster
        self.connections = connections
        self.name_max = name_max
        self.chat_max = chat_max
        self.snapshot = snapshot
        self.event_rate = event_rate
        # The app's clock (gallery/clock.py), so a rehearsal stamps chat at the rehearsed time.
        self.now = now
        self.chat_log: ChatLog | None = None

    def connect(self, sid: str, address: str) -> Connection:
        """Register socket `sid`, sent to at `address`, under a fresh opaque visitor id."""
        # Not the socket id: that one names the session on the transport.
        connection = Connection(
            secrets.token_urlsafe(6), TokenBucket(self.event_rate, 2 * self.event_rate), address
        )
        self.connections.add(sid, connection)
        return connection

    def connection(self, sid: str) -> Connection | None:
        """Return the connection of socket `sid`, or None if it is not connected."""
        return self.connections.get(sid)

    def disconnect(self, sid: str) -> Connection | None:
        """Forget socket `sid` and take its visitor out of their room; return its connection."""
        connection = self.connections.remove(sid)
        if connection is not None:
            self.store.leave(connection.id)
        return connection

    def enter(self, connection: Connection, request: Enter, exhibition: Any) -> dict[str, Any]:
        """Put the visitor in a room or the lobby, leaving any other; return the ack."""
        slug = _place(request, exhibition)
        name = request.name
        if not name:
            current = self.store.visitor(connection.id)
            name = (
                current.name
                if current is not None
                else default_name(_number(), exhibition.default_language)
            )
        chat_log = self.chat_log
        # The store's own history is read with the rest: one call (one round trip on Redis).
        in_store = chat_log is None or chat_log.kept_in(self.store, slug)
        try:
            visitor, count, listed, history = self.store.arrive(
                *(connection.id, slug, request.exhibit, name, request.invisible, request.colour),
                self.snapshot,
                chat=in_store,
            )
        except Exception:
            # Entered, but what the ack tells failed: the visitor hears its room all the same.
            entered = self.store.visitor(connection.id)
            if entered is not None and entered.room == slug:
                self.connections.place(connection, slug)
            raise
        self.connections.place(connection, slug)
        return {
            "ok": True,
            "id": connection.id,
            "name": name,
            "colour": PALETTE[visitor.colour],
            "room": slug,
            "host": connection.host is not None,
            "count": count,
            "visitors": listed,
            "chat": history if in_store or chat_log is None else chat_log.history(slug),
        }

    def chat(self, connection: Connection, text: str) -> dict[str, Any]:
        """Record a chat message in the visitor's room and send it to everyone there."""
        visitor = self.store.visitor(connection.id)
        if visitor is None:
            raise Refused(NOT_IN_ROOM)
        if self.chat_log is not None:
            message = self.chat_log.record(connection, visitor.room, visitor.name, text)
        else:
            message = {
                "id": connection.id,
                "name": visitor.name,
                "text": text,
                "at": self.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
            self.store.say(visitor.room, message)
        self.broadcaster.sender.room(visitor.room, "chat", message)
        return message


def _place(request: Enter, exhibition: Any) -> str:
    """Return the slug of the place `request` enters (a room, or `LOBBY`), or raise `Refused`."""
    if request.room == LOBBY:
        # The lobby shows no exhibit, so none can be stood at there.
        if request.exhibit is not None:
            raise Refused(UNKNOWN_EXHIBIT)
        return LOBBY
    room = exhibition.room(request.room)
    if room is None:
        raise Refused(UNKNOWN_ROOM)
    if request.exhibit is not None and room.exhibit(request.exhibit) is None:
        raise Refused(UNKNOWN_EXHIBIT)
    return room.slug


def make_presence(
    config: Any,
    connections: Connections,
    sender: Sender,
    rooms: Callable[[], Any],
    store: PresenceStore | None = None,
    now: Callable[[], datetime] | None = None,
    local: Sender | None = None,
) -> Presence:
    """Build the presence of an app from its configuration, with an in-memory store by default.

    `sender` delivers room events to the members `connections` lists, on every server;
    `local` to this process's only (the same as `sender` for a server alone).
    """
    from .memorystore import MemoryStore

    store = store if store is not None else MemoryStore(history=config["CHAT_HISTORY"])
    broadcaster = Broadcaster(
        store,
        sender,
        rooms,
        tick=config["PRESENCE_TICK"],
        occupancy_interval=config["OCCUPANCY_INTERVAL"],
        local=local,
    )
    return Presence(
        store,
        broadcaster,
        connections,
        name_max=config["NAME_MAX"],
        chat_max=config["CHAT_MAX"],
        snapshot=config["PRESENCE_SNAPSHOT"],
        event_rate=config["EVENT_RATE"],
        now=now or (lambda: datetime.now(UTC)),
    )
