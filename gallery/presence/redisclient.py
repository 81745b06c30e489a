"""The Redis client every user of the shared Redis goes through, and its one error.

Presence, the shared stage, the tour, visitor keys and the hosts' shared state all talk to
the same Redis; here is how a server connects to it (bounded pools that give up within
seconds) and how an unreachable Redis is told to callers (`StoreUnavailable`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import redis

from .store import StoreUnavailable

# Connections to Redis one server opens at most. Every visitor's events run in a greenlet of
# their own, so hundreds may ask at once: they wait their turn for a connection (up to
# POOL_WAIT seconds) rather than open hundreds, or fail when the pool is full.
POOL_SIZE = 32
POOL_WAIT = 5.0
# Connections of the ticker and the heartbeat, apart from the visitors' pool: under a burst
# of events, the drain that tells everyone of them must not wait in line behind them, nor
# the heartbeat be late enough for Redis to be taken for away.
TICK_POOL_SIZE = 2


def call_redis(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call Redis; an unreachable (or swamped) Redis raises `StoreUnavailable`, the one error
    every user of the shared Redis (presence, the stage, the tour, visitor keys) handles."""
    try:
        return function(*args, **kwargs)
    except (redis.ConnectionError, redis.TimeoutError) as error:
        raise StoreUnavailable(str(error)) from None


def connect(url: str) -> redis.Redis:
    """Return a Redis client for `url` that gives up within seconds when Redis does not answer."""
    pool = redis.BlockingConnectionPool.from_url(
        url,
        max_connections=POOL_SIZE,
        timeout=POOL_WAIT,
        socket_timeout=5.0,
        socket_connect_timeout=1.0,
    )
    return redis.Redis(connection_pool=pool)


def apart(client: redis.Redis, size: int) -> redis.Redis:
    """Return a client of the same Redis as `client` with a pool of `size` of its own."""
    pool = client.connection_pool
    own = redis.BlockingConnectionPool(
        connection_class=pool.connection_class,
        max_connections=size,
        timeout=POOL_WAIT,
        **pool.connection_kwargs,
    )
    return redis.Redis(connection_pool=own)
