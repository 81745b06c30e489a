"""A server's reading of the change stream every server appends to (`{prefix}x`).

Each presence change is one stream entry (`redisscripts`): the room, the visitor, how
others saw them before and after, and the room's count. Every server reads the entries
after the last one it read on each tick and collapses them per room (`collapse`), exactly
as `MemoryStore` does, so that each tells its own sockets.

The stream keeps about `STREAM_MAX` entries. A server that falls further behind than that
(swamped for many seconds) has lost changes, and the `presence` deltas its clients hold
would stay wrong. Redis (7.0 on) counts the entries ever added to the stream; the entries
added since the last one this server read must all still be there. When fewer are,
`read` calls `behind`, which drops this server's connections: their pages reconnect and
enter afresh, with a whole snapshot, as a stalled client's do (docs/protocol.md). A
stream counting fewer entries than this server read is a new one (Redis restarted empty),
which the heartbeat repairs by entering everyone again: no loss to report.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import orjson

from .colours import PALETTE
from .store import Public, RoomChange, collapse

log = logging.getLogger("gallery.presence")

# Entries kept in the change stream: far more than a tick's, so that a server that was
# busy for a few seconds still reads every change it missed.
STREAM_MAX = 100_000
# Entries read in one round trip.
BATCH = 10_000


def _seen(raw: bytes) -> tuple[str, str | None, int] | None:
    """Decode how others see a visitor in a stream entry: (name, exhibit, colour), or None."""
    if not raw:
        return None
    data = orjson.loads(raw)
    return data["n"], data["e"] or None, int(data["c"])


def _public(visitor_id: str, seen: tuple[str, str | None, int]) -> Public:
    """Return the dict others see of a visitor."""
    name, exhibit, colour = seen
    return {"id": visitor_id, "name": name, "exhibit": exhibit, "colour": PALETTE[colour]}


def _id(entry: bytes) -> tuple[int, int]:
    """Return a stream entry's id as a pair of numbers, to compare ids."""
    ms, _, seq = entry.partition(b"-")
    return int(ms), int(seq or 0)


class ChangeStream:
    """Where this server stands in the change stream, and the counts it last told per room.

    `call` runs a Redis call (translating an unreachable Redis); `behind` is called when
    changes this server never read were trimmed from the stream.
    """

    def __init__(
        self,
        client: Any,
        key: str,
        call: Callable[..., Any],
        behind: Callable[[], None] | None = None,
    ) -> None:
        self.client = client
        self.key = key
        self.call = call
        self.behind = behind
        self.last: str | None = None  # the last entry read
        self.added = 0  # how many entries the stream had had up to it
        self.sent: dict[str, int] = {}  # per room, the count of the last change told

    def start(self) -> None:
        """Read from the newest entry on, if not reading yet."""
        if self.last is None:
            info = self._info(self.call(self._pipe(info=True).execute, raise_on_error=False)[0])
            self.last = info.get("last-generated-id", b"0-0").decode()
            self.added = int(info.get("entries-added", 0))

    def _pipe(self, info: bool = False, after: str | None = None) -> Any:
        """Return a pipeline asking for the stream's counts, then the entries after `after`."""
        pipe = self.client.pipeline(transaction=False)
        if info:
            pipe.xinfo_stream(self.key)
        if after is not None:
            pipe.xread({self.key: after}, count=BATCH)
        return pipe

    @staticmethod
    def _info(answer: Any) -> dict[str, Any]:
        """Return XINFO STREAM's answer, or nothing for a stream not made yet."""
        return answer if isinstance(answer, dict) else {}

    def read(self) -> list[dict[bytes, bytes]]:
        """Return the entries after the last one read (none at the first call)."""
        if self.last is None:
            self.start()
            return []
        entries: list[dict[bytes, bytes]] = []
        batches: list[list[Any]] = []
        last = self.last
        # XINFO fails on a stream not made yet; XREAD's own errors are raised.
        answer, read = self.call(self._pipe(info=True, after=last).execute, raise_on_error=False)
        if isinstance(read, Exception):
            raise read
        info = self._info(answer)
        added, length = int(info.get("entries-added", 0)), int(info.get("length", 0))
        if added < self.added:
            self.added = 0  # a new stream: Redis restarted empty
        lost = "entries-added" in info and added - self.added > length
        while True:
            # Moved on only once all is read: a failure leaves the entries for the next drain.
            batch = read[0][1] if read else []
            entries.extend(fields for _, fields in batch)
            batches.append(batch)
            if batch:
                last = batch[-1][0].decode()
            if len(batch) < BATCH:
                break
            read = self.call(self.client.xread, {self.key: last}, count=BATCH)
        self.last = last
        if lost:  # all added up to XINFO's newest are accounted for; count what came since
            newest = _id(info.get("last-generated-id", b"0-0"))
            later = (entry_id for batch in batches for entry_id, _ in batch)
            self.added = added + sum(1 for entry_id in later if _id(entry_id) > newest)
        else:
            self.added += len(entries)
        if lost:
            log.error(
                "This server fell more than %d presence changes behind: its visitors "
                "reconnect to get whole lists",
                STREAM_MAX,
            )
            if self.behind is not None:
                self.behind()
        return entries

    def changes(self, entries: list[dict[bytes, bytes]]) -> list[RoomChange]:
        """Collapse `entries` into one change per room, each as others would see it."""
        # Per room: how each visitor touched was seen at the last drain, and now.
        rooms: dict[str, tuple[dict[str, Public | None], dict[str, Public], int]] = {}
        for fields in entries:
            room = fields[b"r"].decode()
            visitor_id = fields[b"v"].decode()
            state = rooms.get(room)
            if state is None:
                state = rooms[room] = ({}, {}, 0)
            touched, listed, _ = state
            if visitor_id not in touched:
                before = _seen(fields[b"b"])
                touched[visitor_id] = _public(visitor_id, before) if before else None
            after = _seen(fields[b"a"])
            if after is None:
                listed.pop(visitor_id, None)
            else:
                listed[visitor_id] = _public(visitor_id, after)
            rooms[room] = (touched, listed, int(fields[b"n"]))
        changes = []
        for room, (touched, listed, count) in rooms.items():
            change = collapse(room, touched, listed.get, count, self.sent.get(room, 0))
            self.sent[room] = count
            if change is not None:
                changes.append(change)
        return changes
