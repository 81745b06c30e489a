"""The presence store held in this process's memory: one server alone, no Redis."""

from __future__ import annotations

import threading
from collections import deque
from itertools import islice
from typing import Any

import orjson

from .colours import ColourCounts
from .store import Listed, Public, RoomChange, Visitor, collapse, public_of


class _Room:
    """The members of one room and what changed since the last drain."""

    __slots__ = ("chat", "colours", "listed", "members", "sent_count", "snapshots", "touched")

    def __init__(self, history: int) -> None:
        self.members: dict[str, Visitor] = {}
        # The visible members in order of arrival: each one's public dict and that dict as
        # JSON, made together so that they never disagree. An `enter`'s acknowledgement lists
        # up to 200 of them, joined rather than encoded again.
        self.listed: dict[str, tuple[Public, bytes]] = {}
        self.colours = ColourCounts()  # of the listed members only: the others show no colour
        # The last snapshot per limit, with the ids it lists: every `enter`'s acknowledgement
        # takes one, and it stays right until someone among its first `limit` changes.
        self.snapshots: dict[int, tuple[Listed, frozenset[str]]] = {}
        # Per visitor changed since the last drain: how others saw them then (None: absent).
        self.touched: dict[str, Public | None] = {}
        self.sent_count = 0
        self.chat: deque[dict[str, Any]] = deque(maxlen=history)

    def touch(self, visitor_id: str) -> None:
        """Remember how the visitor was seen before its first change of this tick."""
        if visitor_id not in self.touched:
            # Public dicts are replaced, never updated, so keeping the old one is enough.
            self.touched[visitor_id] = self.public(visitor_id)

    def relist(self, visitor_id: str, new: bool) -> None:
        """Forget the snapshots that a change of the visitor's listing makes wrong.

        `new`: the visitor is about to be listed last; else their entry changes or goes.
        """
        snapshots = self.snapshots
        if snapshots:
            size = len(self.listed)
            for limit, (_, ids) in list(snapshots.items()):
                if (size < limit) if new else (visitor_id in ids):
                    del snapshots[limit]

    def public(self, visitor_id: str) -> Public | None:
        """Return how others see the visitor now, or None if they are not listed."""
        pair = self.listed.get(visitor_id)
        return None if pair is None else pair[0]


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
                visitor.public = public_of(visitor)
            listed = state.listed
            if invisible:
                if visitor_id in listed:
                    state.relist(visitor_id, False)
                    del listed[visitor_id]
            else:
                state.relist(visitor_id, visitor_id not in listed)
                listed[visitor_id] = (visitor.public, orjson.dumps(visitor.public))
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
        if visitor.id in state.listed:
            state.relist(visitor.id, False)
            del state.listed[visitor.id]
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
            return Listed((), b"[]")
        with self._lock:
            kept = state.snapshots.get(limit)
            if kept is not None:
                return kept[0]  # never changed once made: each change makes a new one
            pairs = list(islice(state.listed.values(), limit))
            ids = frozenset(islice(state.listed, limit))
            json = b"[" + b",".join([encoded for _, encoded in pairs]) + b"]"
            snapshot = Listed([public for public, _ in pairs], json)
            state.snapshots[limit] = (snapshot, ids)
            return snapshot

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
    change = collapse(slug, state.touched, state.public, count, state.sent_count)
    state.touched = {}
    state.sent_count = count
    return change
