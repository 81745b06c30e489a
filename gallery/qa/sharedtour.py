"""The guided tour on several servers: which host leads it, from which server, in Redis.

Each room is a page of its own, so a guide walking on may open their next socket on another
server. `coalesce.Tour` leads the tour from the server holding the guide's socket; the
record (`{prefix}tour`: JSON {host, room, server}) says which server that is, and "" while
the guide is between pages, when the server where they next stand in a room takes it over
(`take`, atomic: one server only). The tour's events reach every server's sockets through
the message queue; each server learns from them that a tour is on (`Tour.learn`), and a
server started mid-tour reads the record when it starts (`Tour.recall`).
"""

from __future__ import annotations

from typing import Any

import orjson

from ..presence.redisclient import call_redis

_RECORD = """
local k = ARGV[1] .. 'tour'
local raw = redis.call('GET', k)
if not raw then return 0 end
local t = cjson.decode(raw)
"""

# ARGV[2] host, [3] room, [4] server. The host's tour, led from elsewhere by no one: lead it.
TAKE = (
    _RECORD
    + """
if t.host ~= ARGV[2] or (t.server ~= '' and t.server ~= ARGV[4]) then return 0 end
redis.call('SET', k, cjson.encode({host = t.host, room = ARGV[3], server = ARGV[4]}))
return 1
"""
)

# ARGV[2] server. The guide left this server's rooms: anyone may take the tour over.
LOSE = (
    _RECORD
    + """
if t.server ~= ARGV[2] then return 0 end
redis.call('SET', k, cjson.encode({host = t.host, room = t.room, server = ''}))
return 1
"""
)

# No server took the tour over: it ends. Returns 1 if it ended it.
END_LOST = (
    _RECORD
    + """
if t.server ~= '' then return 0 end
redis.call('DEL', k)
return 1
"""
)


class TourRecord:
    """The tour every server knows of, kept in Redis; this server is `server`."""

    def __init__(self, client: Any, server: str, prefix: str = "gallery:") -> None:
        self.redis = client
        self.server = server
        self.prefix = prefix
        self._key = prefix + "tour"
        self._scripts = {
            name: client.register_script(source)
            for name, source in (("take", TAKE), ("lose", LOSE), ("end_lost", END_LOST))
        }

    def _run(self, script: str, *args: Any) -> bool:
        """Run one of the record's scripts; tell whether it changed the record."""
        return bool(call_redis(self._scripts[script], args=[self.prefix, *args]))

    def lead(self, host: str, room: str | None) -> None:
        """Say that this server leads `host`'s tour, now in `room`."""
        record = {"host": host, "room": room or "", "server": self.server}
        call_redis(self.redis.set, self._key, orjson.dumps(record))

    def take(self, host: str, room: str | None) -> bool:
        """Lead `host`'s tour from here if no other server does; tell whether this one does."""
        return self._run("take", host, room or "", self.server)

    def lose(self) -> None:
        """Let another server take the tour over: its guide is in none of this one's rooms."""
        self._run("lose", self.server)

    def end_lost(self) -> bool:
        """End the tour unless another server took it over; tell whether it ended."""
        return self._run("end_lost")

    def current(self) -> tuple[str, str | None] | None:
        """Return the host leading the tour and the room they stand in, or None if none."""
        raw = call_redis(self.redis.get, self._key)
        if not raw:
            return None
        record = orjson.loads(raw)
        return record["host"], record["room"] or None

    def host(self) -> str | None:
        """Return the host leading the tour, or None when there is none."""
        current = self.current()
        return current[0] if current else None

    def clear(self) -> None:
        """End the tour for every server."""
        call_redis(self.redis.delete, self._key)
