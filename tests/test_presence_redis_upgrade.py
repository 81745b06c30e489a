"""Redis after an upgrade without emptying it: the keys an older version kept are removed by
the servers themselves, once no server of that version is alive."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis

from gallery.presence import redislife
from gallery.presence.redisclient import connect
from gallery.presence.redisstore import RedisStore

# What the version that kept listed visitors' ids in `l:ROOM` left, and keys to keep.
OLD = [b"gallery:l:hall", b"gallery:l:lab", b"gallery:l:a:b"]
KEPT = [b"gallery:lp:hall", b"gallery:lead:attendance", b"other:l:hall", b"gallery:m:hall"]


@pytest.fixture
def client(redis_url: str) -> Iterator[redis.Redis]:
    """A client of the session's Redis, emptied for the test, holding old and current keys."""
    made = connect(redis_url)
    for key in OLD + KEPT:
        made.zadd(key, {"someone": 1})
    yield made
    made.close()


def left(client: redis.Redis, keys: list[bytes]) -> list[bytes]:
    """Return which of `keys` Redis holds."""
    return [key for key in keys if client.exists(key)]


def old_server_beats(client: redis.Redis, name: str) -> None:
    """Say a server of the older version is alive, as its heartbeat did (no layout)."""
    seconds, micros = client.time()
    client.zadd("gallery:servers", {name: seconds * 1000 + micros // 1000})


def test_the_first_heartbeat_removes_the_old_keys_when_no_old_server_is_alive(
    client: redis.Redis,
) -> None:
    store = RedisStore(client, "new")
    store.beat(8.0)
    assert left(client, OLD) == []
    assert left(client, KEPT) == KEPT
    assert store.tidied


def test_the_old_keys_stay_while_a_server_of_the_older_version_is_alive(
    client: redis.Redis,
) -> None:
    old_server_beats(client, "old")
    one, two = RedisStore(client, "one"), RedisStore(client, "two")
    for store in (one, two):
        store.beat(8.0)
        assert left(client, OLD) == OLD  # the old server still lists its visitors there
        assert not store.tidied
    old_server_beats(client, "old")
    one.beat(8.0)
    assert left(client, OLD) == OLD
    client.zadd("gallery:servers", {"old": 0})  # it stopped: silent since long ago
    assert one.beat(8.0) == ["old"]  # reaped by one, which then removes its keys
    assert left(client, OLD) == []
    assert left(client, KEPT) == KEPT
    assert one.tidied
    two.beat(8.0)  # nothing left to remove, and the new servers' layouts are kept
    assert two.tidied
    assert sorted(client.hkeys("gallery:layout")) == [b"one", b"two"]


def test_a_clean_stop_forgets_the_servers_layout(client: redis.Redis) -> None:
    one, two = RedisStore(client, "one"), RedisStore(client, "two")
    one.beat(8.0)
    two.beat(8.0)
    two.stop()
    assert client.hkeys("gallery:layout") == [b"one"]


def test_every_old_key_goes_whatever_their_number(
    client: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(redislife, "SCAN_COUNT", 10)  # many SCAN steps and scripts
    many = [f"gallery:l:room-{n}".encode() for n in range(250)]
    with client.pipeline(transaction=False) as pipe:
        for key in many:
            pipe.zadd(key, {"someone": 1})
        pipe.execute()
    RedisStore(client, "new").beat(8.0)
    assert left(client, many + OLD) == []
    assert left(client, KEPT) == KEPT


def test_a_prefix_is_no_pattern(client: redis.Redis) -> None:
    for key in (b"g*:l:hall", b"gx:l:hall"):
        client.zadd(key, {"someone": 1})
    store = RedisStore(client, "new", prefix="g*:")
    store.beat(8.0)
    assert left(client, [b"g*:l:hall", b"gx:l:hall"]) == [b"gx:l:hall"]


def test_an_old_server_starting_meanwhile_keeps_its_keys(
    client: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = RedisStore(client, "new")
    real = store._ticking.scan

    def scan(*args: object, **kwargs: object) -> object:
        old_server_beats(client, "old")  # between the first check and the removal
        return real(*args, **kwargs)

    monkeypatch.setattr(store._ticking, "scan", scan)
    store.beat(8.0)
    assert left(client, OLD) == OLD
    assert not store.tidied
