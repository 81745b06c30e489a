"""Tick sources of the Demo Day: `questions`, `applause` and `tour`, coalesced per tick.

Each is drained by the presence broadcaster on its tick (`Broadcaster.add_source`), so
hundreds of votes or claps a second become at most one event per session per tick. What
changed is only marked between ticks; the work (a query, an encoding) is done once per tick.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from time import monotonic
from typing import Any

from ..presence import Connection, Sender
from ..records import Records

log = logging.getLogger("gallery.qa")

# Given a session id, the slug of the stage room its events go to (None: nowhere).
RoomOf = Callable[[str], str | None]


def _take(dirty: set[str], lock: threading.Lock) -> list[str]:
    """Empty `dirty` under `lock` and return what it held, in a stable order."""
    with lock:
        taken = sorted(dirty)
        dirty.clear()
    return taken


class QuestionBoard:
    """Sends a session's visible questions to its stage room once per tick after a change."""

    def __init__(self, records: Records, room_of: RoomOf) -> None:
        self.records = records
        self.room_of = room_of
        self._dirty: set[str] = set()
        self._lock = threading.Lock()

    def touch(self, session: str) -> None:
        """Mark the session's questions as changed: the next tick sends them."""
        with self._lock:
            self._dirty.add(session)

    def items(self, session: str) -> list[dict[str, Any]]:
        """Return what visitors see of the session's questions, most votes first, then oldest."""
        return [question.public() for question in self.records.questions(session)]

    def drain(self, sender: Sender) -> None:
        """Send `questions` {session, items} to each changed session's stage room."""
        for session in _take(self._dirty, self._lock):
            room = self.room_of(session)
            if room is None:
                continue
            try:
                items = self.items(session)
            except Exception:
                # The store failed: try again next tick rather than leave the room stale.
                log.exception("reading the questions of %s failed", session)
                self.touch(session)
                continue
            sender.room(room, "questions", {"session": session, "items": items})


class Applause:
    """Counts claps per session and sends the total to its stage room at most once per tick.

    With `counter` (a session's count after one more clap, kept where every server counts:
    Redis), the total is every server's; without, this process's.
    """

    def __init__(self, room_of: RoomOf, counter: Callable[[str], int] | None = None) -> None:
        self.room_of = room_of
        self.counter = counter
        self.counts: dict[str, int] = {}
        self._dirty: set[str] = set()
        self._lock = threading.Lock()

    def add(self, session: str) -> int:
        """Count one clap for the session and return its new total."""
        shared = self.counter(session) if self.counter is not None else None
        with self._lock:
            if shared is None:
                count = self.counts[session] = self.counts.get(session, 0) + 1
            else:
                # Claps counted at once on other servers may come back in another order.
                count = self.counts[session] = max(shared, self.counts.get(session, 0))
            self._dirty.add(session)
        return count

    def count(self, session: str) -> int:
        """Return how many claps the session got since the server started."""
        return self.counts.get(session, 0)

    def drain(self, sender: Sender) -> None:
        """Send `applause` {session, count} to each clapped session's stage room."""
        for session in _take(self._dirty, self._lock):
            room = self.room_of(session)
            if room is not None:
                sender.room(room, "applause", {"session": session, "count": self.count(session)})


class Tour:
    """A guided tour: while a host tours, everyone hears which room the host walks into.

    One tour at a time; a host starting one takes it over. The host's room is read from
    their connection on each tick, so no move is announced twice and a move and back within
    a tick is not announced at all. Every room is a page of its own, so walking on closes the
    guide's connection and opens another: the tour follows the host signed in, not one
    connection, and waits `grace` seconds for the host's next page to enter its room. A
    guide found in no room after that (they left or went away) ends the tour.
    """

    def __init__(
        self,
        find_host: Callable[[str], Connection | None] = lambda _host: None,
        grace: float = 15.0,
        now: Callable[[], float] = monotonic,
    ) -> None:
        self.guide: Connection | None = None
        self.room: str | None = None
        self._find_host = find_host
        self._grace = grace
        self._now = now
        self._lost_at: float | None = None

    def start(self, guide: Connection) -> dict[str, Any]:
        """Make `guide` the tour's host; return the `tour` event to send now."""
        self.guide, self.room, self._lost_at = guide, guide.room, None
        return {"touring": True, "room": guide.room}

    def stop(self) -> dict[str, Any]:
        """End the tour; return the `tour` event to send now."""
        self.guide, self.room, self._lost_at = None, None, None
        return {"touring": False, "room": None}

    def drain(self, sender: Sender) -> None:
        """Send `tour` {touring, room} to everyone when the guide changed room or left."""
        guide = self.guide
        if guide is None:
            return
        if guide.room is None:
            successor = self._find_host(guide.host) if guide.host else None
            if successor is None:
                if self._lost_at is None:
                    self._lost_at = self._now()
                if self._now() - self._lost_at >= self._grace:
                    sender.everyone("tour", self.stop())
                return
            self.guide = guide = successor
        self._lost_at = None
        if guide.room == self.room:
            return
        self.room = guide.room
        sender.everyone("tour", {"touring": True, "room": guide.room})
