"""Opening the database: SQLite tuned for durable small writes, or any SQLAlchemy URL.

The app runs on gevent and SQLite calls do not yield: each one holds the event loop for its
duration. Transactions are therefore kept to a few statements, and commits do not wait for
the disk (see `SYNCHRONOUS`), so a vote holds the loop for a fraction of a millisecond.
The PostgreSQL driver (psycopg 3) sees gevent's patches and lets other greenlets run while
it waits for the server.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

# WAL with synchronous=NORMAL: a commit is written to the WAL file before it returns,
# so it survives the process being killed (kill -9, a crash, a restart) — the operating
# system holds the data. Only a power loss or a kernel crash can lose the commits made
# since the last checkpoint; FULL would rule that out with an fsync per commit, which
# costs far more than the write itself and holds the gevent loop while the disk works.
SYNCHRONOUS = "NORMAL"
# How long a writer waits for another process's write (e.g. `gallery export-questions`).
BUSY_TIMEOUT_MS = 5000


def make_engine(url: str) -> Engine:
    """Return an engine for `url`; for SQLite, create the folder and set the pragmas."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    """Set WAL, the sync level and the busy timeout; let SQLAlchemy own transactions."""
    # pysqlite's own implicit BEGIN is turned off so that `_sqlite_begin` decides.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA synchronous={SYNCHRONOUS}")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    """Begin writes with BEGIN IMMEDIATE, reads with a plain BEGIN.

    A transaction that reads and then writes would otherwise take the write lock late,
    and fail at once (busy_timeout does not apply) if another process wrote meanwhile.
    """
    if connection.get_execution_options().get("write"):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.exec_driver_sql("BEGIN")


def display_url(url: str) -> str:
    """Return `url` with its password masked, for logs and messages."""
    return make_url(url).render_as_string(hide_password=True)
