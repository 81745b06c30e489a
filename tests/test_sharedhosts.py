"""The hosts' state on several servers sharing Redis (`gallery.sharedhosts`): a logout on
one server makes a copy of the cookie count on none, and Redis away, no cookie counts; a
client locked out of the login on one server is locked out on all."""

from __future__ import annotations

import time
from collections import OrderedDict

from gallery.hosts import HOST_KEY, SINCE_KEY, Hosts, Throttle
from gallery.presence.redisclient import connect
from gallery.sharedhosts import SharedRevoked, SharedThrottle


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
    away = hosts(AWAY)
    session = {HOST_KEY: "marie", SINCE_KEY: int(time.time())}
    assert away.host_of(session) is None
    away.revoke("marie")  # said in the log, not raised
    assert "marie" in away.revoked


AWAY = "redis://127.0.0.1:1/0"


def throttles(url: str, limit: int = 3, window: float = 60.0) -> list[SharedThrottle]:
    """Return two servers' login throttles sharing the Redis at `url`."""
    return [SharedThrottle(Throttle(limit, window), connect(url)) for _ in range(2)]


def test_failures_on_two_servers_add_up_to_a_lockout_on_both(redis_url: str) -> None:
    one, two = throttles(redis_url, limit=3)
    one.failed("10.0.0.7", now=100.0)
    two.failed("10.0.0.7", now=101.0)
    assert one.retry_after("10.0.0.7", now=102.0) == 0
    one.failed("10.0.0.7", now=102.0)
    # Three failures within the window, on any servers: locked out on each.
    assert one.retry_after("10.0.0.7", now=103.0) == 57
    assert two.retry_after("10.0.0.7", now=103.0) == 57
    assert two.retry_after("10.0.0.8", now=103.0) == 0  # another client is not


def test_the_shared_window_slides_like_a_servers_own(redis_url: str) -> None:
    one, two = throttles(redis_url, limit=2)
    one.failed("a", now=0.0)
    assert two.retry_after("a", now=1.0) == 0
    two.failed("a", now=10.0)
    assert one.retry_after("a", now=11.0) == 49
    assert one.retry_after("a", now=59.5) == 1
    assert one.retry_after("a", now=60.0) == 0  # the first failure slid out of the window
    one.failed("a", now=61.0)
    assert two.retry_after("a", now=62.0) == 8


def test_a_login_on_one_server_forgets_the_failures_on_all(redis_url: str) -> None:
    one, two = throttles(redis_url, limit=2)
    one.failed("a", now=0.0)
    two.failed("a", now=1.0)
    assert one.retry_after("a", now=2.0) == 58
    two.succeeded("a")
    assert one.retry_after("a", now=2.0) == 0


def test_redis_away_each_server_still_counts_its_own_failures() -> None:
    throttle = SharedThrottle(Throttle(2, 60.0), connect(AWAY))
    throttle.failed("a")
    assert throttle.retry_after("a") == 0
    throttle.failed("a")  # said nowhere else, counted here
    assert throttle.retry_after("a") == 60
    throttle.succeeded("a")
    assert throttle.retry_after("a") == 0
