"""Who is in which room: the presence state behind a small interface, and its in-memory form.

The socket handlers and the broadcaster only speak to a `PresenceStore`. `MemoryStore`
keeps everything in this process; a store shared between processes (Redis, for the
scale-out) implements the same methods, publishing its changes so that every process's
`drain` sees the changes made by the others. A store holds visitors, not sockets: which
of this process's sockets are in which room, for delivery, is kept by `Connections`.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import islice
from typing import Any, Protocol

from .colours import PALETTE, ColourCounts

Public = dict[str, Any]  # what other visitors see of one: {"id", "name", "exhibit", "colour"}

# The place of the lobby, as `enter` names it and the store keeps it, beside the rooms. Room
# slugs are lowercase letters, digits and hyphens, so no room of any exhibition is called this.
LOBBY = "@lobby"


class StoreUnavailable(Exception):
    """The shared store cannot be reached now: live presence is degraded until it is back."""


class Visitor:
    """One visitor standing in one room; `public` is the dict shown to others.

    `colour` is the index in the palette of the avatar colour the room gave them.
    """

    __slots__ = ("colour", "exhibit", "id", "invisible", "name", "public", "room")

    def __init__(
        self, id: str, room: str, exhibit: str | None, name: str, invisible: bool, colour: int
    ) -> None:
        self.id = id
        self.room = room
        self.exhibit = exhibit
        self.name = name
        self.invisible = invisible
        self.colour = colour
        self.public: Public = _public(self)


def _public(visitor: Visitor) -> Public:
    """Return a new dict of what others see of `visitor`."""
    return {
        "id": visitor.id,
        "name": visitor.name,
        "exhibit": visitor.exhibit,
        "colour": PALETTE[visitor.colour],
    }


@dataclass(frozen=True, slots=True)
class RoomChange:
    """What changed in one room since the last drain, collapsed per visitor."""

    room: str
    count: int
    joined: list[Public]
    left: list[str]
    moved: list[dict[str, Any]]


class PresenceStore(Protocol):
    """The presence state of the whole exhibition: visitors, rooms and recent chat."""

    def enter(
        self,
        visitor_id: str,
        room: str,
        exhibit: str | None,
        name: str,
        invisible: bool,
        colour: int | None = None,
    ) -> str | None:
        """Put the visitor in `room` at `exhibit`, leaving any other room; return the room left.

        The visitor gets the palette colour `colour` if no one listed in the room wears it,
        else keeps theirs if still free, else the room's least worn colour.
        """
        ...

    def leave(self, visitor_id: str) -> str | None:
        """Take the visitor out of their room; return that room, or None if they were in none."""
        ...

    def visitor(self, visitor_id: str) -> Visitor | None:
        """Return the visitor's current state, or None if they are in no room."""
        ...

    def count(self, room: str) -> int:
        """Return how many visitors (invisible ones included) are in `room`."""
        ...

    def snapshot(self, room: str, limit: int) -> list[Public]:
        """Return up to `limit` listed (not invisible) visitors of `room`, longest present first."""
        ...

    def look(
        self, room: str, limit: int, chat: bool = False
    ) -> tuple[int, list[Public], list[dict[str, Any]]]:
        """Return what a visitor entering `room` is told, in one call: `count`, `snapshot`
        (up to `limit`) and, if `chat`, its `history` (else an empty list)."""
        ...

    def arrive(
        self,
        visitor_id: str,
        room: str,
        exhibit: str | None,
        name: str,
        invisible: bool,
        colour: int | None,
        limit: int,
        chat: bool = False,
    ) -> tuple[Visitor, int, list[Public], list[dict[str, Any]]]:
        """`enter`, then `look` at the room entered, in one call: return the visitor as the
        room now has them, and the room's `count`, `snapshot` and, if `chat`, `history`."""
        ...

    def occupancy(self) -> dict[str, int]:
        """Return the number of visitors of every room that has or had any."""
        ...

    def say(self, room: str, message: dict[str, Any]) -> None:
        """Append a chat message to the history of `room`."""
        ...

    def history(self, room: str) -> list[dict[str, Any]]:
        """Return the last chat messages of `room`, oldest first."""
        ...

    def drain(self) -> list[RoomChange]:
        """Return the changes of every room since the last drain, and start afresh."""
        ...

    def positions(self) -> list[tuple[str, str, str | None]]:
        """Return (visitor id, room, exhibit) for everyone in a room, invisible ones included."""
        ...


class _Room:
    """The members of one room and what changed since the last drain."""

    __slots__ = ("chat", "colours", "listed", "members", "sent_count", "touched")

    def __init__(self, history: int) -> None:
        self.members: dict[str, Visitor] = {}
        self.listed: dict[str, Public] = {}  # visible members, in order of arrival
        self.colours = ColourCounts()  # of the listed members only: the others show no colour
        # Per visitor changed since the last drain: how others saw them then (None: absent).
        self.touched: dict[str, Public | None] = {}
        self.sent_count = 0
        self.chat: deque[dict[str, Any]] = deque(maxlen=history)

    def touch(self, visitor_id: str) -> None:
        """Remember how the visitor was seen before its first change of this tick."""
        if visitor_id not in self.touched:
            # Public dicts are replaced, never updated, so keeping the old one is enough.
            self.touched[visitor_id] = self.listed.get(visitor_id)


class MemoryStore:
    """A `PresenceStore` held in this process's memory."""

    def __init__(self, history: int = 50) -> None:
        self._history = history
        self._rooms: dict[str, _Room] = {}
        self._visitors: dict[str, Visitor] = {}
        self._dirty: set[str] = set()
        # Handlers and the ticker may run in threads (tests, development server).
        self._lock = threading.Lock()

    def _room(self, slug: str) -> _Room:
        """Return the state of room `slug`, creating it on first use."""
        room = self._rooms.get(slug)
        if room is None:
            room = self._rooms[slug] = _Room(self._history)
        return room

    def enter(
        self,
        visitor_id: str,
        room: str,
        exhibit: str | None,
        name: str,
        invisible: bool,
        colour: int | None = None,
    ) -> str | None:
        """Put the visitor in `room` at `exhibit`, leaving any other room; return the room left.

        The visitor gets the palette colour `colour` if no one listed in the room wears it,
        else keeps theirs if still free, else the room's least worn colour.
        """
        with self._lock:
            left = None
            visitor = self._visitors.get(visitor_id)
            if visitor is not None and visitor.room != room:
                left = visitor.room
                self._remove(visitor)
                visitor = None
            state = self._room(room)
            state.touch(visitor_id)
            self._dirty.add(room)
            if visitor is None:
                chosen = state.colours.choose(colour)
                visitor = Visitor(visitor_id, room, exhibit, name, invisible, chosen)
                self._visitors[visitor_id] = visitor
                state.members[visitor_id] = visitor
            else:
                if visitor_id in state.listed:
                    state.colours.remove(visitor.colour)  # so that their own is free to keep
                visitor.colour = state.colours.choose(colour, visitor.colour)
                visitor.exhibit, visitor.name, visitor.invisible = exhibit, name, invisible
                # A new dict, not an update: snapshots handed out earlier stay as they were.
                visitor.public = _public(visitor)
            if invisible:
                state.listed.pop(visitor_id, None)
            else:
                state.listed[visitor_id] = visitor.public
                state.colours.add(visitor.colour)
            return left

    def leave(self, visitor_id: str) -> str | None:
        """Take the visitor out of their room; return that room, or None if they were in none."""
        with self._lock:
            visitor = self._visitors.get(visitor_id)
            if visitor is None:
                return None
            self._remove(visitor)
            return visitor.room

    def _remove(self, visitor: Visitor) -> None:
        """Take `visitor` out of its room (the lock is held)."""
        state = self._rooms[visitor.room]
        state.touch(visitor.id)
        del state.members[visitor.id]
        if state.listed.pop(visitor.id, None) is not None:
            state.colours.remove(visitor.colour)
        del self._visitors[visitor.id]
        self._dirty.add(visitor.room)

    def visitor(self, visitor_id: str) -> Visitor | None:
        """Return the visitor's current state, or None if they are in no room."""
        return self._visitors.get(visitor_id)

    def count(self, room: str) -> int:
        """Return how many visitors (invisible ones included) are in `room`."""
        state = self._rooms.get(room)
        return len(state.members) if state else 0

    def snapshot(self, room: str, limit: int) -> list[Public]:
        """Return up to `limit` listed (not invisible) visitors of `room`, longest present first."""
        state = self._rooms.get(room)
        if state is None:
            return []
        with self._lock:
            return list(islice(state.listed.values(), limit))

    def look(
        self, room: str, limit: int, chat: bool = False
    ) -> tuple[int, list[Public], list[dict[str, Any]]]:
        """Return `count`, `snapshot` and, if `chat`, `history` of `room` at once."""
        return self.count(room), self.snapshot(room, limit), self.history(room) if chat else []

    def arrive(
        self,
        visitor_id: str,
        room: str,
        exhibit: str | None,
        name: str,
        invisible: bool,
        colour: int | None,
        limit: int,
        chat: bool = False,
    ) -> tuple[Visitor, int, list[Public], list[dict[str, Any]]]:
        """`enter`, then `look` at the room entered: the visitor and what they are told."""
        self.enter(visitor_id, room, exhibit, name, invisible, colour)
        return (self._visitors[visitor_id], *self.look(room, limit, chat))

    def occupancy(self) -> dict[str, int]:
        """Return the number of visitors of every room that has or had any."""
        with self._lock:
            return {slug: len(state.members) for slug, state in self._rooms.items()}

    def positions(self) -> list[tuple[str, str, str | None]]:
        """Return (visitor id, room, exhibit) for everyone in a room, invisible ones included."""
        with self._lock:
            return [(v.id, v.room, v.exhibit) for v in self._visitors.values()]

    def say(self, room: str, message: dict[str, Any]) -> None:
        """Append a chat message to the history of `room`."""
        with self._lock:
            self._room(room).chat.append(message)

    def history(self, room: str) -> list[dict[str, Any]]:
        """Return the last chat messages of `room`, oldest first."""
        state = self._rooms.get(room)
        return list(state.chat) if state else []

    def drain(self) -> list[RoomChange]:
        """Return the changes of every room since the last drain, and start afresh."""
        with self._lock:
            dirty, self._dirty = self._dirty, set()
            changes = []
            for slug in dirty:
                state = self._rooms[slug]
                change = _collapse(slug, state)
                if change is not None:
                    changes.append(change)
            return changes


def _collapse(slug: str, state: _Room) -> RoomChange | None:
    """Turn a room's touched visitors into one change; None when others would see nothing new."""
    count = len(state.members)
    change = collapse(slug, state.touched, state.listed, count, state.sent_count)
    state.touched = {}
    state.sent_count = count
    return change


def collapse(
    slug: str,
    touched: dict[str, Public | None],
    listed: Mapping[str, Public],
    count: int,
    sent_count: int,
) -> RoomChange | None:
    """Return one room's change from how each touched visitor was seen at the last drain
    (`touched`, None: absent) and now (`listed`); None when others would see nothing new.

    Each visitor appears at most once: someone who came and went within one tick is not
    mentioned, someone who left and came back is `moved` (or `joined` again if renamed or
    given another colour).
    """
    joined: list[Public] = []
    left: list[str] = []
    moved: list[dict[str, Any]] = []
    for visitor_id, before in touched.items():
        now = listed.get(visitor_id)
        if now is None:
            if before is not None:
                left.append(visitor_id)
        elif before is None or before["name"] != now["name"] or before["colour"] != now["colour"]:
            joined.append(now)
        elif before["exhibit"] != now["exhibit"]:
            moved.append({"id": visitor_id, "exhibit": now["exhibit"], "colour": now["colour"]})
    if not (joined or left or moved) and count == sent_count:
        return None
    return RoomChange(slug, count, joined, left, moved)
