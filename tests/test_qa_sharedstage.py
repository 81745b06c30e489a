"""The host's decisions in Redis (`SharedStage`): one order and one version for every
server, filled from the records when Redis holds none, and kept here while Redis is away."""

from __future__ import annotations

import pytest

from gallery.presence import StoreUnavailable
from gallery.presence.redisclient import connect
from gallery.qa.sharedstage import SharedStage

RECORDED = {"opening": "ended", "talk": "live"}


def make(url: str, recorded: dict[str, str] | None = None) -> SharedStage:
    """Return a server's stage on the Redis at `url`, its records holding `recorded`."""
    return SharedStage(connect(url), lambda: dict(recorded or {}))


def test_two_servers_share_one_order_of_decisions_and_one_version(redis_url: str) -> None:
    one, two = make(redis_url), make(redis_url)
    one.restore({})
    two.restore({})
    assert one.live("a", "live") is True
    assert one.live("a", "live") is False  # the same again, nothing in between
    assert two.live("b", "live") is True
    assert one.live("a", "live") is True  # "b" came since, on the other: "a" takes its room back
    assert two.spotlight("lab/maps") is True
    one.refresh()
    two.refresh()
    assert one.view() == two.view()
    assert one.snapshot()["sessions"] == {"a": "live", "b": "live"}
    assert one.view().overrides["a"][1] > one.view().overrides["b"][1]
    assert one.snapshot()["spotlight"] == "lab/maps"


def test_the_first_server_fills_redis_from_the_records_and_the_next_reads_it(
    redis_url: str,
) -> None:
    first = make(redis_url)
    first.restore(RECORDED)
    assert first.snapshot()["sessions"] == RECORDED
    first.spotlight("lab/maps")
    later = make(redis_url)
    later.restore({"opening": "live"})  # its records are older than Redis: Redis wins
    assert later.snapshot() == first.snapshot()


def test_redis_emptied_is_filled_again_without_the_version_going_back(redis_url: str) -> None:
    stage = make(redis_url, RECORDED)
    stage.restore(RECORDED)
    for _ in range(5):
        stage.spotlight("lab/maps")
        stage.spotlight(None)
    before = stage.version
    stage.redis.flushall()
    stage.refresh()
    assert stage.snapshot()["sessions"] == RECORDED
    assert stage.version > before


def test_redis_away_at_start_the_recorded_decisions_hold_and_decisions_are_refused() -> None:
    stage = make("redis://127.0.0.1:1/0")
    stage.restore(RECORDED)
    assert stage.snapshot()["sessions"] == RECORDED
    with pytest.raises(StoreUnavailable):
        stage.live("opening", "live")
    with pytest.raises(StoreUnavailable):
        stage.refresh()
    assert stage.snapshot()["sessions"] == RECORDED
