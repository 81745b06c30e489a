"""Fixtures of the records tests (SQLite, PostgreSQL, a clock to move) and of Redis."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from gallery.presence import MemoryStore, PresenceStore
from gallery.presence.redisclient import connect
from gallery.presence.redisstore import RedisStore
from gallery.records import SqlRecords

from .postgres import PostgresServer
from .redisserver import RedisServer

BACKENDS = ["sqlite", "postgresql"]


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 5, 20, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the whole run, started on first use."""
    try:
        server = PostgresServer()
        server.start()
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    yield server
    server.stop()


@pytest.fixture(params=BACKENDS)
def records_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database: an SQLite file in tmp_path, or an emptied PostgreSQL one."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'gallery.sqlite3'}"
    return request.getfixturevalue("postgres").empty_database()


@pytest.fixture
def clock() -> Clock:
    """A clock standing still at 2026-05-20 10:00 UTC until advanced."""
    return Clock()


@pytest.fixture
def store(records_url: str, clock: Clock) -> Iterator[SqlRecords]:
    """A records store on each backend, on the test's clock."""
    records = SqlRecords(records_url, clock=clock)
    yield records
    records.close()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """One Redis server for the whole run, started on first use."""
    try:
        server = RedisServer()
        server.start()
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    yield server
    server.close()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """The URL of the session's Redis server, emptied for this test."""
    import redis

    client = redis.Redis.from_url(redis_server.url)
    client.flushall()
    client.close()
    return redis_server.url


Maker = Callable[..., PresenceStore]


@pytest.fixture(params=["memory", "redis"])
def new_store(request: pytest.FixtureRequest) -> Iterator[Maker]:
    """Make stores of one kind: in memory, or in an emptied Redis (started by the test suite)."""
    if request.param == "memory":
        yield MemoryStore
        return
    client = connect(request.getfixturevalue("redis_url"))

    def make(history: int = 50) -> PresenceStore:
        store = RedisStore(client, "server-a", history=history)
        store.drain()  # a server reads the changes made from its start on
        return store

    yield make
    client.close()
