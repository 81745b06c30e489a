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
from typing import TYPE_CHECKING, Any

from ..presence import Connection, Sender
from ..records import Records

if TYPE_CHECKING:
    from .sharedtour import TourRecord

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

    With `record` (servers sharing Redis, `sharedtour.TourRecord`), the guide's next page
    may stand on another server: each server learns of a tour from the others' `tour`
    events (`learn`) and the one where the guide next stands in a room leads it on.
    """

    def __init__(
        self,
        find_host: Callable[[str], Connection | None] = lambda _host: None,
        grace: float = 15.0,
        now: Callable[[], float] = monotonic,
        record: TourRecord | None = None,
    ) -> None:
        self.guide: Connection | None = None
        self.room: str | None = None
        self._find_host = find_host
        self._grace = grace
        self._now = now
        self._lost_at: float | None = None
        self.record = record
        self.elsewhere: str | None = None  # the host of a tour another server leads

    def start(self, guide: Connection) -> dict[str, Any]:
        """Make `guide` the tour's host; return the `tour` event to send now."""
        if self.record is not None and guide.host:
            self.record.lead(guide.host, guide.room)
        self.guide, self.room, self._lost_at, self.elsewhere = guide, guide.room, None, None
        return {"touring": True, "room": guide.room}

    def stop(self) -> dict[str, Any]:
        """End the tour; return the `tour` event to send now."""
        if self.record is not None:
            self.record.clear()
        return self._end()

    def _end(self) -> dict[str, Any]:
        """Forget the tour here; return the `tour` event that ends it."""
        self.guide, self.room, self._lost_at, self.elsewhere = None, None, None, None
        return {"touring": False, "room": None}

    def learn(self, event: dict[str, Any]) -> None:
        """Hear another server's `tour` event: the tour is led from there now, or over."""
        host = self.record.host() if self.record is not None and event["touring"] else None
        self._end()
        if host is not None:
            self.room, self.elsewhere = event["room"], host

    def recall(self) -> None:
        """Learn of a tour another server leads, as a server started mid-tour must."""
        current = self.record.current() if self.record is not None else None
        if current is not None and self.guide is None:
            self.room, self.elsewhere = current[1], current[0]

    def drain(self, sender: Sender) -> None:
        """Send `tour` {touring, room} to everyone when the guide changed room or left."""
        guide = self.guide
        if guide is None:
            self._take_over(sender)
            return
        if guide.room is None:
            successor = self._find_host(guide.host) if guide.host else None
            if successor is None:
                self._lost(guide, sender)
                return
            reclaimed = self._lost_at is None or self._reclaim(guide.host, successor.room)
            if not reclaimed:
                return
            self.guide = guide = successor
        self._lost_at = None
        if guide.room == self.room:
            return
        self.room = guide.room
        if self.record is not None and guide.host:
            self.record.lead(guide.host, guide.room)
        sender.everyone("tour", {"touring": True, "room": guide.room})

    def _lost(self, guide: Connection, sender: Sender) -> None:
        """The guide stands in none of this server's rooms: wait, then end the tour."""
        if self._lost_at is None:
            if self.record is not None:
                self.record.lose()
            self._lost_at = self._now()
        if self._now() - self._lost_at < self._grace:
            return
        if self.record is None or self.record.end_lost():
            sender.everyone("tour", self._end())
        else:  # another server leads it on, in the same room
            self._let_go(guide.host)

    def _reclaim(self, host: str | None, room: str | None) -> bool:
        """Lead on from here a tour let go of (`_lost`), unless another server took it."""
        if self.record is None or not host or self.record.take(host, room):
            return True
        self._let_go(host)
        return False

    def _let_go(self, host: str | None) -> None:
        """Another server leads the tour on: wait here, in case the guide comes back."""
        room = self.room
        self._end()
        self.room, self.elsewhere = room, host

    def _take_over(self, sender: Sender) -> None:
        """Lead on a tour another server let go of, once its guide stands in a room here."""
        host = self.elsewhere
        if host is None or self.record is None:
            return
        successor = self._find_host(host)
        if successor is None or not self.record.take(host, successor.room):
            return
        self.guide, self.elsewhere, self._lost_at = successor, None, None
        if successor.room != self.room:
            self.room = successor.room
            sender.everyone("tour", {"touring": True, "room": successor.room})
