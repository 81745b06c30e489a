"""The stable key behind a visitor id, known to every server sharing Redis: `SharedKeys`.

A host mutes a visitor by the id the others see, and the mute is kept under the visitor's
stable key (`identity`). A server alone finds the key on the visitor's connection; with
several servers the visitor's socket may be held by another, so each server writes the key
of every connection that gave a token when it connects (`{prefix}key:ID`, for a day: ids
are never reused, and a server killed outright leaves its own to expire). A connection
without a token has the key its id makes, which needs no writing.
"""

from __future__ import annotations

import contextlib
from typing import Any

from ..presence import Connection, StoreUnavailable
from ..presence.redisclient import call_redis

KEPT = 24 * 3600  # seconds a visitor id's key is kept: longer than any visit


def default_key(visitor_id: str) -> str:
    """Return the key of a connection that gave no token (see `presence.Connection`)."""
    return "c:" + visitor_id


class SharedKeys:
    """Visitor id -> stable key, in Redis for every server."""

    def __init__(self, client: Any, prefix: str = "gallery:") -> None:
        self.redis = client
        self.prefix = prefix + "key:"

    def remember(self, connection: Connection) -> None:
        """Keep the key of `connection` for the other servers; Redis away, it goes unkept."""
        if connection.key == default_key(connection.id):
            return
        # Redis away (the heartbeat says so): this visitor can be muted on its server only.
        with contextlib.suppress(StoreUnavailable):
            call_redis(self.redis.set, self.prefix + connection.id, connection.key, ex=KEPT)

    def key_of(self, visitor_id: str) -> str:
        """Return the key behind `visitor_id`, whichever server holds its socket."""
        found = call_redis(self.redis.get, self.prefix + visitor_id)
        return found.decode() if found is not None else default_key(visitor_id)
