"""Alembic migrations shipped inside the package, run on a connection the store gives."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, Engine, text

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any constant shared by every gallery process: the key of PostgreSQL's advisory lock.
_PG_LOCK_KEY = 7_301_920_417


def alembic_config(connection: Connection | None = None):
    """Return an Alembic configuration for the shipped migrations, bound to `connection`."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    """Return the newest revision the shipped migrations know."""
    from alembic.script import ScriptDirectory

    found = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert found is not None, "the migrations folder holds no revision"
    return found


def current(engine: Engine) -> str | None:
    """Return the revision the database is at, or None if it was never migrated."""
    from alembic.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply every migration the database lacks, in one transaction, one process at a time."""
    from alembic import command

    # SQLite: BEGIN IMMEDIATE serialises concurrent upgrades; PostgreSQL: an advisory lock.
    with engine.connect().execution_options(write=True) as connection, connection.begin():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        command.upgrade(alembic_config(connection), revision)
