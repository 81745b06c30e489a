"""The presence ticker: one loop coalescing every room's changes into one event per tick."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from time import monotonic
from typing import Any, Protocol

from .store import LOBBY, PresenceStore

log = logging.getLogger("gallery.presence")


class Sender(Protocol):
    """Where server events go: the sockets of one room, or every socket.

    An event is its name and JSON data; the sender encodes it, once for all its recipients.
    """

    def room(self, slug: str, event: str, data: Any) -> None:
        """Send event `event` with `data` to every socket in room `slug`."""
        ...

    def everyone(self, event: str, data: Any) -> None:
        """Send event `event` with `data` to every connected socket."""
        ...

    def watchers(self, event: str, data: Any) -> None:
        """Send event `event` with `data` to every socket watching the floor plan."""
        ...


class TickSource(Protocol):
    """Something else coalesced on the presence tick: it sends what piled up since the last one."""

    def drain(self, sender: Sender) -> None:
        """Send, through `sender`, what changed since the last drain, and start afresh."""
        ...


def occupancy_of(store: PresenceStore, rooms: Iterable[str]) -> dict[str, Any]:
    """Return `{rooms: {slug: count}, lobby, total}`: the given rooms, empty ones included.

    `total` is everyone in the gallery, the lobby's visitors with those of the rooms.
    """
    counts = store.occupancy()
    listed = {slug: counts.get(slug, 0) for slug in rooms}
    lobby = counts.get(LOBBY, 0)
    return {"rooms": listed, "lobby": lobby, "total": sum(listed.values()) + lobby}


class Broadcaster:
    """Sends each changed room's `presence` once per tick, `occupancy` at most once per interval.

    Other coalesced events (the Demo Day's questions and applause) join the same tick as
    `sources`, drained after presence in the order they were added.
    """

    def __init__(
        self,
        store: PresenceStore,
        sender: Sender,
        rooms: Callable[[], Iterable[str]],
        tick: float = 0.1,
        occupancy_interval: float = 1.0,
    ) -> None:
        self.store = store
        self.sender = sender
        self.rooms = rooms
        self.tick = tick
        self.occupancy_interval = occupancy_interval
        self._occupancy_at = float("-inf")
        self._occupancy_sent: dict[str, Any] | None = None
        self.sources: list[TickSource] = []
        self.running = False

    def add_source(self, source: TickSource) -> None:
        """Drain `source` on every tick from now on, after the presence store."""
        self.sources.append(source)

    def flush(self, now: float | None = None) -> None:
        """Send what changed since the last flush: `presence`, `occupancy` if due, the sources."""
        for change in self.store.drain():
            payload = {
                "room": change.room,
                "count": change.count,
                "joined": change.joined,
                "left": change.left,
                "moved": change.moved,
            }
            # One call per room: the sender encodes it once for all the room's members.
            # A room that fails to send is logged; the other rooms still get theirs this tick.
            try:
                self.sender.room(change.room, "presence", payload)
            except Exception:
                log.exception("sending presence to a room failed")
        if now is None:
            now = monotonic()
        if now - self._occupancy_at >= self.occupancy_interval:
            occupancy = occupancy_of(self.store, self.rooms())
            if occupancy != self._occupancy_sent:
                self._occupancy_at = now
                self._occupancy_sent = occupancy
                self.sender.everyone("occupancy", occupancy)
        for source in self.sources:
            # One failing source must not keep the others, or the next tick, from sending.
            try:
                source.drain(self.sender)
            except Exception:
                log.exception("draining a tick source failed")

    def run(self, sleep: Callable[[float], Any]) -> None:
        """Flush every tick until stopped; an error is logged, never ends the loop."""
        self.running = True
        due = monotonic()
        while self.running:
            # A steady rate: the time a flush takes is not added to the wait for the next.
            due += self.tick
            now = monotonic()
            if due > now:
                sleep(due - now)
            else:
                due = now  # late (a busy machine): flush now, don't try to catch up
                sleep(0)
            try:
                self.flush()
            except Exception:
                log.exception("presence tick failed")
