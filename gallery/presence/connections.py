"""The sockets held by this process and the room each stands in: the registry delivery reads.

Room membership has two owners, one per fact:

- the `PresenceStore` holds *visitors*: who stands in which room, for counts, snapshots,
  chat history and the `presence` deltas. A store shared between processes holds the
  visitors of every process.
- `Connections` holds this process's *sockets*: which connection stands in which room,
  so that the delivery layer knows where to write a room's events. It is never shared, as
  only the process holding a socket can write to it. With several processes, each one
  delivers an event to its own members: `presence` because every process drains the
  shared store, other events through a sender that also passes them to the others.

`Presence` updates both as visitors enter and leave; the delivery layer only reads this
one. No socket enters a python-socketio room: those hold only what python-socketio keeps
for itself (each socket in its own room and in its namespace's).
"""

from __future__ import annotations

from .limits import TokenBucket


class Connection:
    """One socket: the opaque id others know it by, its event budget, its address, its room.

    `key` and `host` say who is behind it, as far as the Demo Day needs to know: a stable
    anonymous visitor key (votes and mutes outlive the connection) and the host signed in.
    """

    __slots__ = ("address", "bucket", "host", "id", "key", "room")

    def __init__(self, id: str, bucket: TokenBucket, address: str) -> None:
        self.id = id
        self.bucket = bucket
        self.address = address  # what the transport sends to; opaque here
        self.room: str | None = None  # set by `Connections.place`
        self.key = "c:" + id  # replaced at connect by the key of the visitor's token, if any
        self.host: str | None = None  # set at connect when the session cookie names a host


class Connections:
    """Every connection of this process by socket id, and the addresses of each room's members."""

    def __init__(self) -> None:
        self._by_sid: dict[str, Connection] = {}
        # Addresses, in dicts used as ordered sets: O(1) removal, and delivery copies
        # the keys in one C call.
        self._everyone: dict[str, None] = {}
        self._rooms: dict[str, dict[str, None]] = {}
        # Connections that watch the floor plan (`watch {plan: true}`), whatever their room.
        self._watching: dict[str, None] = {}

    def __len__(self) -> int:
        """Return the number of connections."""
        return len(self._by_sid)

    def add(self, sid: str, connection: Connection) -> None:
        """Register `connection` under socket id `sid`; it receives events sent to everyone."""
        self.remove(sid)
        self._by_sid[sid] = connection
        self._everyone[connection.address] = None

    def get(self, sid: str) -> Connection | None:
        """Return the connection of socket `sid`, or None if it is not registered."""
        return self._by_sid.get(sid)

    def find(self, visitor_id: str) -> Connection | None:
        """Return the connection whose public id is `visitor_id`, or None (a scan: rare use)."""
        for connection in self._by_sid.values():
            if connection.id == visitor_id:
                return connection
        return None

    def find_host(self, host: str) -> Connection | None:
        """Return a connection of host `host` that stands in a room, or None (a scan: rare use)."""
        for connection in self._by_sid.values():
            if connection.host == host and connection.room is not None:
                return connection
        return None

    def remove(self, sid: str) -> Connection | None:
        """Forget socket `sid`, whichever room it was in; return its connection, if any."""
        connection = self._by_sid.pop(sid, None)
        if connection is not None:
            self.place(connection, None)
            self._everyone.pop(connection.address, None)
            self._watching.pop(connection.address, None)
        return connection

    def place(self, connection: Connection, room: str | None) -> None:
        """Make `connection` receive the events of `room` (of no room when None), and no other's."""
        before = connection.room
        if before == room:
            return
        if before is not None:
            members = self._rooms.get(before)
            if members is not None:
                members.pop(connection.address, None)
                if not members:
                    del self._rooms[before]
        connection.room = None
        if room is not None and connection.address in self._everyone:
            # Only a registered connection joins: one removed meanwhile stays in no room.
            connection.room = room
            members = self._rooms.get(room)
            if members is None:
                members = self._rooms[room] = {}
            members[connection.address] = None

    def watch(self, connection: Connection, on: bool) -> None:
        """Make `connection` receive the floor plan's feed (`on`), or stop it."""
        if on and connection.address in self._everyone:
            self._watching[connection.address] = None
        else:
            self._watching.pop(connection.address, None)

    def watching(self) -> list[str]:
        """Return the addresses of the connections watching the floor plan."""
        return list(self._watching)

    def members(self, room: str) -> list[str]:
        """Return the addresses of the connections in `room`, as a list safe to iterate."""
        members = self._rooms.get(room)
        return list(members) if members else []

    def everyone(self) -> list[str]:
        """Return the addresses of every connection, as a list safe to iterate."""
        return list(self._everyone)
