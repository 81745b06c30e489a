"""Sample presence into attendance counts: visitors per room, the peak, time per exhibit.

Every `interval` seconds the sampler looks at where everyone stands. A visitor found at an
exhibit they were not at on the previous look counts one visit there; one found at the same
exhibit twice adds the time between the looks. Every `flush` seconds the counts go to the
database. Visitor ids stay in memory from one look to the next, never longer, and are never
written: what is stored are numbers per room, exhibit and moment.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from ..presence.store import PresenceStore
from ..records.attendance import ExhibitTime

log = logging.getLogger("gallery.attendance")

Writer = Callable[[datetime, dict[str, int], int, int, list[ExhibitTime]], None]


class Sampler:
    """Looks at presence now and then, and writes attendance counts now and then."""

    def __init__(self, store: PresenceStore, write: Writer, flush: float = 60.0) -> None:
        self.store = store
        self.write = write
        self.flush_every = flush
        self._where: dict[str, tuple[str, str]] = {}  # visitor id -> (room, exhibit)
        self._last: datetime | None = None
        self._flushed: datetime | None = None
        self._peak = 0
        self._rooms: dict[str, int] = {}
        self._total = 0
        # (hour, room, exhibit) -> [visits, seconds] since the last flush
        self._times: dict[tuple[datetime, str, str], list[float]] = {}

    def look(self, now: datetime) -> None:
        """Take one look at presence at `now`; write the counts when a flush is due."""
        positions = self.store.positions()
        elapsed = (now - self._last).total_seconds() if self._last else 0.0
        hour = now.replace(minute=0, second=0, microsecond=0)
        rooms: dict[str, int] = {}
        where: dict[str, tuple[str, str]] = {}
        for visitor, room, exhibit in positions:
            rooms[room] = rooms.get(room, 0) + 1
            if not exhibit:
                continue
            here = where[visitor] = (room, exhibit)
            counts = self._times.setdefault((hour, room, exhibit), [0, 0.0])
            if self._where.get(visitor) == here:
                counts[1] += elapsed
            else:
                counts[0] += 1
        self._where = where
        self._rooms = rooms
        self._total = len(positions)
        self._peak = max(self._peak, self._total)
        self._last = now
        if self._flushed is None:
            self._flushed = now
        elif (now - self._flushed).total_seconds() >= self.flush_every:
            self.flush(now)

    def flush(self, now: datetime) -> None:
        """Write the counts gathered since the last flush, and start afresh."""
        times = [
            ExhibitTime(hour, room, exhibit, int(visits), round(seconds))
            for (hour, room, exhibit), (visits, seconds) in sorted(self._times.items())
            if visits or seconds
        ]
        self.write(now, dict(self._rooms), self._total, self._peak, times)
        self._times = {}
        self._peak = self._total
        self._flushed = now
