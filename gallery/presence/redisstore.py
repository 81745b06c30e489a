"""Presence shared by several gallery servers: the `PresenceStore` kept in Redis.

Each change is one atomic Lua script (`redisscripts`), which also appends it to a stream
that every server reads on its tick: `drain` collapses what all servers changed since the
last drain into one `RoomChange` per room, exactly as `MemoryStore` does, so that each
server tells its own sockets. The visitors whose sockets this process holds are also kept
here (`local`): to answer `visitor` without a round trip, and to enter them all again when
Redis comes back empty or after this server was taken for dead.

Redis unreachable: every method raises `StoreUnavailable` (refused as `unavailable` at the
edge), except `drain`, which returns nothing (the changes wait in the stream), so that the
ticker stays quiet. The heartbeat alone decides that Redis is away (`available`) and back,
and then enters this server's visitors again (`recover`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import orjson
import redis

from .redisbatch import GroupCommit
from .redisclient import TICK_POOL_SIZE, apart, call_redis
from .redislife import ServerLife
from .redisscripts import BEAT, CHAT_DROP, CHAT_LOAD, ENTER, LEAD, LEAVE, REAP, TIDY
from .redisstream import STREAM_MAX, ChangeStream
from .store import Listed, ListedJSON, Public, RoomChange, StoreUnavailable, Visitor


def _looked(
    answers: list[Any], limit: int, chat: bool, acknowledged: bool = False
) -> tuple[int, list[Public], list[dict[str, Any]]]:
    """Decode the answers of `_reads`: the count, listed visitors and chat history.

    For an `acknowledged` look (an `enter`'s), the listed visitors are decoded only if
    read: the acknowledgement writes their JSON as it came.
    """
    count, *rest = answers
    members = rest.pop(0) if limit > 0 else []
    history = rest.pop(0) if chat else []
    # Each member is a visitor's JSON as others see it, joined as they came.
    json = b"[" + b",".join(members) + b"]"
    listed = ListedJSON(json) if acknowledged else Listed(orjson.loads(json), json)
    return int(count), listed, [orjson.loads(r) for r in history]


class RedisStore(ServerLife):
    """A `PresenceStore` in Redis, shared by every server that names the same `prefix`.

    What concerns the servers rather than the visitors (heartbeats, reaping, recovery,
    roles) is in `ServerLife` (redislife.py).
    """

    def __init__(
        self,
        client: redis.Redis,
        server: str,
        *,
        history: int = 50,
        prefix: str = "gallery:",
    ) -> None:
        self.redis = client
        self.server = server  # this process's id among the servers
        self.history_size = history
        self.prefix = prefix
        self.local: dict[str, Visitor] = {}
        self.available = True
        self.tidied = False  # no key of an older version left (`ServerLife.tidy`)
        self._scripts = {
            name: client.register_script(source)
            for name, source in (
                ("enter", ENTER),
                ("leave", LEAVE),
                ("beat", BEAT),
                ("reap", REAP),
                ("chat_load", CHAT_LOAD),
                ("chat_drop", CHAT_DROP),
                ("lead", LEAD),
                ("tidy", TIDY),
            )
        }
        self._ticking = apart(client, TICK_POOL_SIZE)  # drain, occupancy, heartbeat
        self._commit = GroupCommit(client)  # the visitors' moves
        self._chat_loaded: set[str] = set()  # rooms whose history this process saw filled
        self.stream = ChangeStream(self._ticking, prefix + "x", self._call)
        self._lock = threading.Lock()

    def _run(self, script: str, *args: Any, client: redis.Redis | None = None) -> Any:
        """Run one of the store's scripts with the prefix and stream bound first."""
        return self._call(
            self._scripts[script], args=[self.prefix, STREAM_MAX, *args], client=client
        )

    def _move(self, script: str, *args: Any) -> Any:
        """Run a script of a visitor's move like `_run`, in a pipeline with the others'."""
        return self._commit.run(self._scripts[script], [self.prefix, STREAM_MAX, *args])

    def _reads(
        self, room: str, limit: int, chat: bool, count: bool = True
    ) -> list[tuple[Any, ...]]:
        """Return the commands reading what a visitor entering `room` is told: its count
        (unless not `count`), its first `limit` listed visitors (none if `limit` is 0) and,
        if `chat`, its history."""
        reads: list[tuple[Any, ...]] = [("ZCARD", self._members_key(room))] if count else []
        if limit > 0:
            reads.append(("ZRANGE", f"{self.prefix}lp:{room}", 0, limit - 1))
        if chat:
            reads.append(("LRANGE", self._chat_key(room), 0, -1))
        return reads

    def _members_key(self, room: str) -> str:
        """Return the key of the sorted set of `room`'s visitors (see redisscripts.py)."""
        return f"{self.prefix}m:{room}"

    def _chat_key(self, room: str) -> str:
        """Return the key of the list of `room`'s last chat messages."""
        return f"{self.prefix}chat:{room}"

    def _call(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Call Redis (`call_redis`).

        Only the heartbeat decides that Redis is away and back (`available`): one call
        failing under load must not make the server enter all its visitors again.
        """
        return call_redis(function, *args, **kwargs)

    # The PresenceStore interface

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
        return self._enter(visitor_id, room, exhibit, name, invisible, colour, ())[0]

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
        """`enter`, then `look` at the room entered, in one round trip: return the visitor,
        and the room's `count`, `snapshot` (up to `limit`) and, if `chat`, `history`.

        The look is read right after the move, in the same pipeline but not atomically
        with it: it may hold another server's change made in between, which only makes it
        newer (the `presence` deltas that follow say each visitor's latest state).
        """
        limit = max(limit, 0)
        reads = self._reads(room, limit, chat, count=False)  # the script says the count
        _, visitor, looked = self._enter(visitor_id, room, exhibit, name, invisible, colour, reads)
        return (visitor, *_looked(looked, limit, chat, acknowledged=True))

    def _enter(
        self,
        visitor_id: str,
        room: str,
        exhibit: str | None,
        name: str,
        invisible: bool,
        colour: int | None,
        reads: Sequence[tuple[Any, ...]],
    ) -> tuple[str | None, Visitor, list[Any]]:
        """Run the enter script, then `reads`; return the room left, the visitor, and the
        room's count followed by the answers of `reads`."""
        wish = -1 if colour is None else colour
        args = (visitor_id, room, exhibit or "", name, int(invisible), wish, self.server)
        (left, given, count), *looked = self._commit.run_reading(
            self._scripts["enter"], [self.prefix, STREAM_MAX, *args], reads
        )
        visitor = Visitor(visitor_id, room, exhibit, name, invisible, int(given))
        self.local[visitor_id] = visitor
        return left.decode() or None, visitor, [count, *looked]

    def leave(self, visitor_id: str) -> str | None:
        """Take the visitor out of their room; return that room, or None if they were in none."""
        self.local.pop(visitor_id, None)
        left = self._move("leave", visitor_id)
        return left.decode() if left else None

    def visitor(self, visitor_id: str) -> Visitor | None:
        """Return the visitor's current state, or None if they are in no room."""
        found = self.local.get(visitor_id)
        if found is not None:
            return found
        raw = self._call(self.redis.hget, self.prefix + "v", visitor_id)
        if raw is None:
            return None
        data = orjson.loads(raw)
        return Visitor(
            visitor_id, data["r"], data["e"] or None, data["n"], data["i"] == 1, data["c"]
        )

    def count(self, room: str) -> int:
        """Return how many visitors (invisible ones included) are in `room`."""
        return int(self._call(self.redis.zcard, self._members_key(room)))

    def snapshot(self, room: str, limit: int) -> list[Public]:
        """Return up to `limit` listed (not invisible) visitors of `room`, longest present first."""
        if limit <= 0:
            return Listed((), b"[]")
        return self.look(room, limit)[1]

    def look(
        self, room: str, limit: int, chat: bool = False
    ) -> tuple[int, list[Public], list[dict[str, Any]]]:
        """Return `count`, `snapshot` and, if `chat`, `history` of `room`, in one round trip."""
        limit = max(limit, 0)
        pipe = self.redis.pipeline(transaction=True)  # all of one moment
        for read in self._reads(room, limit, chat):
            pipe.execute_command(*read)
        return _looked(self._call(pipe.execute), limit, chat)

    def occupancy(self) -> dict[str, int]:
        """Return the number of visitors of every room that has or had any."""
        counts = self._call(self._ticking.hgetall, self.prefix + "o")
        return {room.decode(): int(count) for room, count in counts.items()}

    def positions(self) -> list[tuple[str, str, str | None]]:
        """Return (visitor id, room, exhibit) for everyone in a room, invisible ones included."""
        everyone = self._call(self.redis.hgetall, self.prefix + "v")
        found = []
        for visitor_id, raw in everyone.items():
            data = orjson.loads(raw)
            found.append((visitor_id.decode(), data["r"], data["e"] or None))
        return found

    def say(self, room: str, message: dict[str, Any]) -> None:
        """Append a chat message to the history of `room`."""
        key = self._chat_key(room)
        pipe = self.redis.pipeline()
        pipe.rpush(key, orjson.dumps(message))
        pipe.ltrim(key, -self.history_size, -1)
        self._call(pipe.execute)

    def history(self, room: str) -> list[dict[str, Any]]:
        """Return the last chat messages of `room`, oldest first."""
        raws = self._call(self.redis.lrange, self._chat_key(room), 0, -1)
        return [orjson.loads(raw) for raw in raws]

    def drain(self) -> list[RoomChange]:
        """Return the changes every server made since the last drain, and start afresh.

        Nothing while Redis is unreachable: the heartbeat notices when it is back.
        """
        if not self.available:
            return []
        with self._lock:
            try:
                entries = self.stream.read()
            except StoreUnavailable:
                return []
        return self.stream.changes(entries)

    # The shared chat history of `qa.ChatJournal`

    def chat_load(self, room: str, loader: Callable[[], list[dict[str, Any]]]) -> None:
        """Fill the room's history from `loader` (the database) unless it was filled already.

        Once this process saw it filled, it asks Redis no more (until `recover`): a round
        trip per `enter` saved.
        """
        if room in self._chat_loaded:
            return
        if not self._call(self.redis.exists, f"{self.prefix}chatok:{room}"):
            messages = [orjson.dumps(m) for m in loader()]
            self._call(
                self._scripts["chat_load"],
                args=[self.prefix, room, self.history_size, *messages],
            )
        self._chat_loaded.add(room)

    def chat_drop(self, room: str, message_id: int) -> None:
        """Drop a hidden message from the room's history."""
        self._call(self._scripts["chat_drop"], args=[self.prefix, room, message_id])
