"""Host logouts on several servers sharing Redis (`hosts.SharedRevoked`): a logout on one
server makes a copy of the cookie count on none, and Redis away, no cookie counts."""

from __future__ import annotations

import time
from collections import OrderedDict

from gallery.hosts import HOST_KEY, SINCE_KEY, Hosts, SharedRevoked, Throttle
from gallery.presence.redisstore import connect


def hosts(url: str) -> Hosts:
    """Return one server's host state, sharing logouts through the Redis at `url`."""
    return Hosts(Throttle(5, 60.0), 3600.0, OrderedDict(), SharedRevoked(connect(url)))


def test_a_logout_on_one_server_counts_on_the_other(redis_url: str) -> None:
    one, two = hosts(redis_url), hosts(redis_url)
    session = {HOST_KEY: "marie", SINCE_KEY: int(time.time())}
    assert two.host_of(session) == "marie"
    one.revoke("marie")
    assert two.host_of(session) is None
    assert two.host_of({HOST_KEY: "paul", SINCE_KEY: int(time.time())}) == "paul"


def test_redis_away_no_host_counts_and_a_logout_still_counts_here() -> None:
    away = hosts("redis://127.0.0.1:1/0")
    session = {HOST_KEY: "marie", SINCE_KEY: int(time.time())}
    assert away.host_of(session) is None
    away.revoke("marie")  # said in the log, not raised
    assert "marie" in away.revoked
