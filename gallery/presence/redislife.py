"""The servers sharing presence on Redis: heartbeats, reaping the silent ones, recovery.

`ServerLife` is the part of `RedisStore` (redisstore.py) that deals with the servers
rather than the visitors: each says it is alive on its heartbeat, which reaps the
visitors of servers silent for too long; a server Redis forgot (it restarted empty, or
took the server for dead) enters its own visitors again; a clean stop takes them out;
roles one server does for all (`lead`) and shared counters (`incr`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import redis
from redis.commands.core import Script

from .redisstream import STREAM_MAX, ChangeStream
from .store import StoreUnavailable, Visitor

log = logging.getLogger("gallery.presence")


class ServerLife:
    """Heartbeats, reaping, recovery and roles of the server a `RedisStore` belongs to."""

    # Set by `RedisStore.__init__`.
    redis: redis.Redis
    server: str
    prefix: str
    local: dict[str, Visitor]
    available: bool
    stream: ChangeStream
    _scripts: dict[str, Script]
    _ticking: redis.Redis
    _chat_loaded: set[str]
    _lock: threading.Lock
    _run: Callable[..., Any]
    _call: Callable[..., Any]

    def beat(self, timeout: float) -> list[str]:
        """Say this server is alive and reap the servers silent for `timeout` seconds.

        Returns the servers reaped. If Redis had forgotten this server (it restarted empty,
        or took the server for dead), the server's own visitors are entered again.
        """
        try:
            with self._lock:
                self.stream.start()  # from now on, drains read every change
            unknown, *reaped = self._run(
                "beat", self.server, int(timeout * 1000), client=self._ticking
            )
        except StoreUnavailable as error:
            if self.available:
                self.available = False
                log.error("Redis is unreachable (%s): live presence is degraded", error)
            raise
        if not self.available:
            self.available = True
            log.warning("Redis is back: live presence recovers")
            unknown = True
        if unknown:
            self._chat_loaded.clear()  # Redis may have lost the histories too
            if self.local:
                self.recover()
        return [server.decode() for server in reaped]

    def recover(self) -> None:
        """Enter this server's visitors again, as they stand in this process.

        Every room's history is read from Redis again too: Redis may have lost it.
        """
        self._chat_loaded.clear()
        self._run("reap", self.server)
        self._run("beat", self.server, 2**31)  # back among the servers, reaping no other
        # One pipeline: thousands of visitors are thousands of scripts, not round trips.
        pipe = self.redis.pipeline(transaction=False)
        enter = self._scripts["enter"]
        for visitor in list(self.local.values()):
            exhibit, invisible = visitor.exhibit or "", int(visitor.invisible)
            visitor_args = (visitor.id, visitor.room, exhibit, visitor.name, invisible)
            enter(
                args=[self.prefix, STREAM_MAX, *visitor_args, visitor.colour, self.server],
                client=pipe,
            )
        self._call(pipe.execute)

    def incr(self, name: str) -> int:
        """Add one to the counter `name` every server shares; return its new value."""
        return int(self._call(self.redis.incr, f"{self.prefix}count:{name}"))

    def lead(self, role: str, lease: float) -> bool:
        """Tell whether this server does `role` for all of them now: it keeps the role while
        it asks again within `lease` seconds; another takes it over once it stops asking."""
        held = self._call(
            self._scripts["lead"], args=[self.prefix, role, self.server, int(lease * 1000)]
        )
        return bool(held)

    def stop(self) -> None:
        """Take this server's visitors out of presence everywhere (a clean stop)."""
        self.local.clear()
        self._run("reap", self.server)
