"""The presence ticker: one loop coalescing every room's changes into one event per tick."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from time import monotonic
from typing import Any, Protocol

from .store import LOBBY, PresenceStore, StoreUnavailable

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

    With several servers, `sender` reaches every server's sockets and `local` this
    process's only. Every server drains the shared store, so `presence` and `occupancy`
    go to `local` (each server tells its own sockets), like the sources added as local;
    the others, which only the server where something happened sends, go to `sender`.
    """

    def __init__(
        self,
        store: PresenceStore,
        sender: Sender,
        rooms: Callable[[], Iterable[str]],
        tick: float = 0.1,
        occupancy_interval: float = 1.0,
        local: Sender | None = None,
    ) -> None:
        self.store = store
        self.sender = sender
        self.local = local if local is not None else sender
        self.rooms = rooms
        self.tick = tick
        self.occupancy_interval = occupancy_interval
        self._occupancy_at = float("-inf")
        self._occupancy_sent: dict[str, Any] | None = None
        self.sources: list[tuple[TickSource, Sender]] = []
        self.running = False

    def add_source(self, source: TickSource, local: bool = False) -> None:
        """Drain `source` on every tick from now on, after the presence store.

        A `local` source reads what every server sees alike (the store) and sends to this
        process's sockets; the others send what only this server knows to every server.
        """
        self.sources.append((source, self.local if local else self.sender))

    def flush(self, now: float | None = None) -> None:
        """Send what changed since the last flush: `presence`, `occupancy` if due, the sources."""
        presence = [
            (
                change.room,
                "presence",
                {
                    "room": change.room,
                    "count": change.count,
                    "joined": change.joined,
                    "left": change.left,
                    "moved": change.moved,
                },
            )
            for change in self.store.drain()
        ]
        if now is None:
            now = monotonic()
        occupancy = None
        if now - self._occupancy_at >= self.occupancy_interval:
            try:
                occupancy = occupancy_of(self.store, self.rooms())
            except StoreUnavailable:
                occupancy = None  # said once by the store; the next tick tries again
            if occupancy is not None and occupancy != self._occupancy_sent:
                self._occupancy_at = now
                self._occupancy_sent = occupancy
            else:
                occupancy = None
        together = getattr(self.local, "rooms_then_everyone", None)
        if occupancy is not None and together is not None:
            # The sender writes each visitor's presence and occupancy in one go.
            together(presence, "occupancy", occupancy)
        else:
            for slug, event, payload in presence:
                # One call per room: the sender encodes it once for all the room's members.
                # A room that fails to send is logged; the other rooms still get theirs.
                try:
                    self.local.room(slug, event, payload)
                except Exception:
                    log.exception("sending presence to a room failed")
            if occupancy is not None:
                self.local.everyone("occupancy", occupancy)
        for source, sender in self.sources:
            # One failing source must not keep the others, or the next tick, from sending.
            try:
                source.drain(sender)
            except StoreUnavailable:
                pass
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
