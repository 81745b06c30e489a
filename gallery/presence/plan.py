"""The gallery-wide feed of the floor plan: who stands in which room, for pages showing it.

A `TickSource` on the presence ticker. It costs nothing while no connection watches the
plan; otherwise, at most once per `interval`, it reads each room's count and its first
`listed` visitors from the store (longest present first, invisible ones never), and sends
one `plan` event to the watchers when that differs from the last one. Capped per room, the
event stays the same size with ten visitors or ten thousand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from time import monotonic
from typing import Any

from .broadcast import Sender
from .connections import Connections
from .store import LOBBY, PresenceStore


def plan_of(store: PresenceStore, rooms: Iterable[str], listed: int) -> dict[str, Any]:
    """Return `{rooms: {slug: {count, visitors}}, total}` for the rooms and the lobby."""
    places: dict[str, Any] = {}
    total = 0
    for slug in (*rooms, LOBBY):
        count = store.count(slug)
        if slug == LOBBY and count == 0:
            continue
        total += count
        places[slug] = {"count": count, "visitors": store.snapshot(slug, listed) if count else []}
    return {"rooms": places, "total": total}


class PlanFeed:
    """Sends `plan` to the connections watching the floor plan, when it changed, on the tick."""

    def __init__(
        self,
        store: PresenceStore,
        connections: Connections,
        rooms: Callable[[], Iterable[str]],
        listed: int = 12,
        interval: float = 0.5,
        clock: Callable[[], float] = monotonic,
    ) -> None:
        self.store = store
        self.connections = connections
        self.rooms = rooms
        self.listed = listed
        self.interval = interval
        self.clock = clock
        self._sent: dict[str, Any] | None = None
        self._sent_at = float("-inf")

    def snapshot(self) -> dict[str, Any]:
        """Return the plan as it is now, for the ack of a `watch`."""
        return plan_of(self.store, self.rooms(), self.listed)

    def drain(self, sender: Sender) -> None:
        """Send `plan` to the watchers if it changed and the last one is `interval` old."""
        if not self.connections.watching():
            # Nobody to tell: the next watcher gets the plan in its ack, and then changes.
            self._sent = None
            return
        now = self.clock()
        if now - self._sent_at < self.interval:
            return
        plan = self.snapshot()
        if plan == self._sent:
            return
        self._sent = plan
        self._sent_at = now
        sender.watchers("plan", plan)
