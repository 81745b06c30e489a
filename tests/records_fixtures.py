"""Fixtures of the records tests: a store on SQLite and on PostgreSQL, and a clock to move."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from gallery.records import SqlRecords

from .postgres import PostgresServer

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
