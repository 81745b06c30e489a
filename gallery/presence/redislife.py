"""The servers sharing presence on Redis: heartbeats, reaping the silent ones, recovery.

`ServerLife` is the part of `RedisStore` (redisstore.py) that deals with the servers
rather than the visitors: each says it is alive on its heartbeat, which reaps the
visitors of servers silent for too long; a server Redis forgot (it restarted empty, or
took the server for dead) enters its own visitors again; a clean stop takes them out;
roles one server does for all (`lead`) and shared counters (`incr`); the keys an older
version kept are removed once no server of it is alive (`tidy`).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from contextlib import suppress
from typing import Any

import redis
from redis.commands.core import Script

from .redisscripts import OLD_KEYS
from .redisstream import STREAM_MAX, ChangeStream
from .store import StoreUnavailable, Visitor

log = logging.getLogger("gallery.presence")

# Keys a SCAN step looks at, and at most how many old ones one script removes.
SCAN_COUNT = 1000


class ServerLife:
    """Heartbeats, reaping, recovery and roles of the server a `RedisStore` belongs to."""

    # Set by `RedisStore.__init__`.
    redis: redis.Redis
    server: str
    prefix: str
    local: dict[str, Visitor]
    available: bool
    tidied: bool
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
        if not self.tidied:
            with suppress(StoreUnavailable):  # tried again at the next beat
                self.tidied = self.tidy()
        return [server.decode() for server in reaped]

    def tidy(self) -> bool:
        """Remove the keys that servers of an older version kept and this one does not
        (`redisscripts.OLD_KEYS`), unless one of them is alive: it still uses them.

        Returns whether none is left. Each server does it once, on a heartbeat: the first,
        or the first after the last server of the older version stopped or was reaped.
        """
        tidy = self._scripts["tidy"]
        if self._call(tidy, args=[self.prefix], client=self._ticking) < 0:
            return False
        prefix = re.sub(r"([\\*?\[\]])", r"\\\1", self.prefix)  # as SCAN's patterns read it
        removed = 0
        for pattern in OLD_KEYS:
            cursor = 0
            while True:
                cursor, keys = self._call(
                    self._ticking.scan, cursor, match=prefix + pattern, count=SCAN_COUNT
                )
                if keys:
                    done = self._call(tidy, args=[self.prefix, *keys], client=self._ticking)
                    if done < 0:  # one started meanwhile
                        return False
                    removed += done
                if not cursor:
                    break
        if removed:
            log.info("Removed %d keys an older version of the gallery kept in Redis", removed)
        return True

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
