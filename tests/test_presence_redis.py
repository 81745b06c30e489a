"""The Redis presence store as several servers share it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
import redis

from gallery.presence import Broadcaster, Connections, Presence, StoreUnavailable
from gallery.presence.colours import PALETTE
from gallery.presence.payloads import Enter
from gallery.presence.redisclient import POOL_SIZE, connect
from gallery.presence.redisstore import RedisStore
from gallery.presence.store import LOBBY
from gallery.qa import ChatJournal
from gallery.records import SqlRecords

from .redisserver import RedisServer
from .test_presence_queue import Recorder


@pytest.fixture
def client(redis_url: str) -> Iterator[redis.Redis]:
    """A client of the session's Redis, emptied for the test."""
    made = connect(redis_url)
    yield made
    made.close()


def server(client: redis.Redis, name: str) -> RedisStore:
    """Return the store of one server, reading changes from now on."""
    store = RedisStore(client, name)
    store.beat(8.0)
    return store


def test_each_server_drains_every_servers_changes(client: redis.Redis) -> None:
    one, two = server(client, "one"), server(client, "two")
    one.enter("a", "hall", None, "Ada", False)
    two.enter("b", "hall", None, "Bob", False)
    for store in (one, two):
        [change] = store.drain()
        assert [v["name"] for v in change.joined] == ["Ada", "Bob"]
        assert change.count == 2
        assert store.drain() == []
    two.enter("b", "hall", "x", "Bob", False)
    one.leave("a")
    for store in (one, two):
        [change] = store.drain()
        assert (change.left, change.count) == (["a"], 1)
        assert change.moved == [{"id": "b", "exhibit": "x", "colour": change.moved[0]["colour"]}]


def test_a_server_whose_unread_changes_were_trimmed_says_it_is_behind(
    client: redis.Redis,
) -> None:
    one, two = server(client, "one"), server(client, "two")
    calls: list[str] = []
    one.stream.behind = lambda: calls.append("one")
    two.stream.behind = lambda: calls.append("two")
    one.enter("a", "hall", None, "Ada", False)
    one.drain()  # one read it; two did not
    one.enter("b", "hall", None, "Bob", False)
    # The stream trimmed past both entries, as past STREAM_MAX of them under load.
    client.xtrim("gallery:x", maxlen=0)
    assert one.drain() == []
    assert two.drain() == []
    assert calls == ["one", "two"]
    # Entries trimmed once read are no loss.
    one.enter("c", "hall", None, "Cy", False)
    assert one.drain() and two.drain()
    client.xtrim("gallery:x", maxlen=0)
    one.enter("d", "hall", None, "Di", False)
    assert one.drain() and two.drain()
    assert calls == ["one", "two"]


def test_a_stream_lost_with_redis_is_no_lag(client: redis.Redis) -> None:
    one = server(client, "one")
    calls: list[str] = []
    one.stream.behind = lambda: calls.append("one")
    one.enter("a", "hall", None, "Ada", False)
    one.drain()
    client.flushall()  # Redis restarted empty: the heartbeat enters everyone again
    one.beat(8.0)
    one.drain()
    assert calls == []


def test_a_silent_server_is_reaped_by_a_live_one(client: redis.Redis) -> None:
    one, two = server(client, "one"), server(client, "two")
    two.enter("b", "hall", None, "Bob", False)
    two.enter("c", "lab", None, "Cy", True)
    one.enter("a", "hall", None, "Ada", False)
    one.drain()
    assert one.beat(8.0) == []  # everyone beat just now
    client.zadd("gallery:servers", {"two": 0})  # two fell silent long ago
    assert one.beat(8.0) == ["two"]
    [*changes] = one.drain()
    found = {change.room: change for change in changes}
    assert (found["hall"].left, found["hall"].count) == (["b"], 1)
    assert found["lab"].count == 0
    assert one.occupancy() == {"hall": 1, "lab": 0}
    assert one.positions() == [("a", "hall", None)]


def test_a_server_taken_for_dead_enters_its_visitors_again(client: redis.Redis) -> None:
    one, two = server(client, "one"), server(client, "two")
    two.enter("b", "hall", "x", "Bob", False, colour=5)
    client.zadd("gallery:servers", {"two": 0})
    one.beat(8.0)
    assert one.count("hall") == 0
    two.beat(8.0)  # two was alive after all: it finds itself gone and comes back
    assert one.snapshot("hall", 10) == [
        {"id": "b", "name": "Bob", "exhibit": "x", "colour": "#00676b"}
    ]


def test_the_chat_history_is_shared_and_filled_once(client: redis.Redis) -> None:
    one, two = server(client, "one"), server(client, "two")
    one.chat_load("hall", lambda: [{"text": "old", "message": 1}])
    two.chat_load("hall", lambda: pytest.fail("loaded twice"))
    two.say("hall", {"text": "new", "message": 2})
    assert [m["text"] for m in one.history("hall")] == ["old", "new"]
    one.chat_drop("hall", 1)
    assert [m["text"] for m in two.history("hall")] == ["new"]


def test_a_history_seen_filled_is_filled_again_once_redis_forgot_it(
    client: redis.Redis,
) -> None:
    store = server(client, "one")
    store.chat_load("hall", lambda: [{"text": "old"}])
    client.flushdb()  # Redis restarted empty
    store.chat_load("hall", lambda: pytest.fail("asked before the heartbeat noticed"))
    store.beat(8.0)  # this server is unknown now: the histories may be gone too
    store.chat_load("hall", lambda: [{"text": "old"}])
    assert store.history("hall") == [{"text": "old"}]


def test_an_enter_asks_redis_once(
    client: redis.Redis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Moving, the visitor's room is read with the move: one round trip, chat included."""
    store = server(client, "one")
    presence = Presence(store, Broadcaster(store, Recorder(), list), Connections())
    records = SqlRecords(f"sqlite:///{tmp_path / 'gallery.sqlite3'}")
    presence.chat_log = ChatJournal(records, shared=store)
    ada, bob = presence.connect("sid-a", "a"), presence.connect("sid-b", "b")
    presence.enter(ada, Enter(LOBBY, None, "Ada", False), None)
    presence.chat(ada, "hello")
    presence.enter(bob, Enter(LOBBY, None, "Bob", False), None)
    pool, asked = client.connection_pool, []
    take = pool.get_connection
    monkeypatch.setattr(pool, "get_connection", lambda: asked.append(1) or take())
    ack = presence.enter(bob, Enter(LOBBY, None, "Bob", False, colour=4), None)
    assert len(asked) == 1
    assert (ack["count"], ack["colour"]) == (2, PALETTE[4])
    assert ack["visitors"] == [
        {"id": ada.id, "name": "Ada", "exhibit": None, "colour": PALETTE[0]},
        {"id": bob.id, "name": "Bob", "exhibit": None, "colour": PALETTE[4]},
    ]
    assert [m["text"] for m in ack["chat"]] == ["hello"]


def test_the_ticker_does_not_wait_behind_the_visitors(client: redis.Redis, redis_url: str) -> None:
    """Every connection of the visitors' pool taken (a burst): the drain, occupancy and the
    heartbeat still go through at once, on connections of their own."""
    one = server(client, "one")
    other = connect(redis_url)
    held = [client.connection_pool.get_connection() for _ in range(POOL_SIZE)]
    try:
        server(other, "two").enter("b", "hall", None, "Bob", False)
        [change] = one.drain()
        assert (change.room, change.count) == ("hall", 1)
        assert one.occupancy() == {"hall": 1}
        assert one.beat(8.0) == []
        assert one.available
    finally:
        for connection in held:
            client.connection_pool.release(connection)
        other.close()


def test_redis_away_is_unavailable_and_back_recovers() -> None:
    redis_server = RedisServer()
    redis_server.start()
    client = connect(redis_server.url)
    try:
        store = server(client, "one")
        store.enter("a", "hall", None, "Ada", False)
        store.drain()
        redis_server.stop()
        with pytest.raises(StoreUnavailable):
            store.enter("b", "hall", None, "Bob", False)
        assert store.drain() == []  # the ticker stays quiet
        with pytest.raises(StoreUnavailable):
            store.beat(8.0)
        assert store.available is False  # the heartbeat says so
        redis_server.start()  # empty
        store.beat(8.0)
        assert store.available is True
        assert store.snapshot("hall", 10)[0]["name"] == "Ada"
        assert store.count("hall") == 1
    finally:
        client.close()
        redis_server.close()


def test_one_server_leads_a_role_until_it_stops_asking(client: redis.Redis) -> None:
    one, two = server(client, "one"), server(client, "two")
    assert one.lead("attendance", 5.0) is True
    assert two.lead("attendance", 5.0) is False
    assert one.lead("attendance", 5.0) is True  # renewed
    client.delete("gallery:lead:attendance")  # the lease lapsed: one stopped asking
    assert two.lead("attendance", 5.0) is True
    assert one.lead("attendance", 5.0) is False


def test_redis_lists_a_room_as_the_memory_store_does_through_every_change(
    client: redis.Redis,
) -> None:
    """Comings, goings, moves, renames, colour wishes and invisibility on two servers: each
    room's count and listed visitors, in order of arrival, are the memory store's."""
    import random

    from gallery.presence.memorystore import MemoryStore

    pick = random.Random(11)
    one, two, alone = server(client, "one"), server(client, "two"), MemoryStore()
    for step in range(400):
        visitor = f"v{pick.randrange(15)}"
        if pick.random() < 0.15:
            left = alone.leave(visitor)
            assert (one if pick.random() < 0.5 else two).leave(visitor) == left
        else:
            room = pick.choice(["hall", "lab"])
            exhibit = pick.choice([None, "a", "b/c"])
            name = pick.choice(["Ada", "Bruno", 'Chloé "</script>'])
            invisible, colour = pick.random() < 0.15, pick.choice([None, 0, 3])
            move = (visitor, room, exhibit, name, invisible, colour)
            left = alone.enter(*move)
            limit = pick.choice([0, 2, 50])
            visitor, count, listed, _ = (one if pick.random() < 0.5 else two).arrive(*move, limit)
            assert (visitor.colour, count) == (alone.visitor(visitor.id).colour, alone.count(room))
            assert listed == alone.snapshot(room, limit), step
            assert orjson.loads(listed.json) == listed, step
        for room in ("hall", "lab"):
            limit = pick.choice([1, 3, 50])
            count, listed, _ = alone.look(room, limit)
            shared_count, shared, _ = one.look(room, limit)
            assert (shared_count, shared) == (count, listed), step
            assert orjson.loads(shared.json) == listed, step
