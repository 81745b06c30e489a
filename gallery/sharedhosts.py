"""The hosts' state several servers share through Redis: logouts and the login throttle.

Behind a load balancer, each of a host's requests may reach another server, so what one
server decides about hosts must hold on all: a logged-out host id counts on none
(`SharedRevoked`), and a password guesser locked out on one is locked out on every one
(`SharedThrottle`).
"""

from __future__ import annotations

import contextlib
import math
import secrets
import time
from collections.abc import Callable
from typing import Any

from .hosts import Throttle
from .presence import StoreUnavailable
from .presence.redisclient import call_redis


class SharedRevoked:
    """The host ids logged out on any of the servers sharing a Redis (`{prefix}revoked:ID`).

    Asked on each host request and socket (hosts are few). Redis away, every host id counts
    as revoked: a copied cookie must not work for lack of a check; live host actions are
    refused then anyway.
    """

    def __init__(self, client: Any, prefix: str = "gallery:") -> None:
        self.redis = client
        self.prefix = prefix + "revoked:"

    def add(self, host: str, lifetime: float) -> None:
        """Say to every server that `host` logged out, for as long as its login would last."""
        self.redis.set(self.prefix + host, 1, ex=max(1, int(lifetime)))

    def __contains__(self, host: object) -> bool:
        """Tell whether `host` logged out on any server (or Redis cannot say)."""
        try:
            return bool(self.redis.exists(self.prefix + str(host)))
        except Exception:
            return True


class SharedThrottle:
    """Login failures of a client counted on every server sharing a Redis (`{prefix}login:KEY`).

    Each failure is an entry of a sorted set scored with the wall-clock time (the servers'
    clocks agree, through NTP); the last `limit` are kept, for `window` seconds, so a client
    is locked out on every server once it failed `limit` times within `window` on any of
    them. Redis away, this server's own count decides, as for a server alone: a guesser
    gains nothing from Redis being down.
    """

    def __init__(
        self,
        local: Throttle,
        client: Any,
        prefix: str = "gallery:",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.local = local
        self.redis = client
        self.prefix = prefix + "login:"
        self.clock = clock

    def retry_after(self, key: str, now: float | None = None) -> int:
        """Return the seconds `key` must wait before trying again, 0 when it may try now."""
        wait = self.local.retry_after(key)
        now = self.clock() if now is None else now
        window = self.local.window
        pipe = self.redis.pipeline(transaction=False)
        pipe.zremrangebyscore(self.prefix + key, "-inf", now - window)
        pipe.zrange(self.prefix + key, 0, 0, withscores=True)
        pipe.zcard(self.prefix + key)
        try:
            _, oldest, count = call_redis(pipe.execute)
        except StoreUnavailable:
            return wait
        if count < self.local.limit or not oldest:
            return wait
        shared = oldest[0][1] + window - now
        return max(wait, math.ceil(shared) if shared > 0 else 0)

    def failed(self, key: str, now: float | None = None) -> None:
        """Record one failure of `key`, here and for every server."""
        self.local.failed(key)
        now = self.clock() if now is None else now
        pipe = self.redis.pipeline(transaction=False)
        # A random suffix keeps two failures of the same instant apart.
        pipe.zadd(self.prefix + key, {f"{now!r}:{secrets.token_hex(4)}": now})
        pipe.zremrangebyrank(self.prefix + key, 0, -(self.local.limit + 1))
        pipe.expire(self.prefix + key, math.ceil(self.local.window) + 1)
        # Redis away: counted here; the other servers count their own until it is back.
        with contextlib.suppress(StoreUnavailable):
            call_redis(pipe.execute)

    def succeeded(self, key: str) -> None:
        """Forget the failures of `key` after it logged in, here and for every server."""
        self.local.succeeded(key)
        with contextlib.suppress(StoreUnavailable):  # else they lapse with their window
            call_redis(self.redis.delete, self.prefix + key)

    def __len__(self) -> int:
        """Return how many clients this server remembers."""
        return len(self.local)
