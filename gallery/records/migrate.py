"""Alembic migrations shipped inside the package, run on a connection the store gives."""

from __future__ import annotations

import ast
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text

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


def shipped_head() -> str:
    """Return the newest revision the shipped migrations know, read from their files as text.

    The same answer as `head`, without Alembic: a server whose database is up to date never
    imports it (Alembic, Mako and SQLAlchemy's ORM are about 9 MB a process would keep).
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                name = getattr(node.targets[0], "id", None)
                if name not in ("revision", "down_revision"):
                    continue
                value = ast.literal_eval(node.value)
                named = value if isinstance(value, (tuple, list)) else (value,)
                (revisions if name == "revision" else parents).update(v for v in named if v)
    heads = revisions - parents
    assert len(heads) == 1, f"the migrations have {len(heads)} heads"
    return heads.pop()


def up_to_date(connection: Connection) -> bool:
    """Tell whether the database is at the shipped head, without Alembic."""
    if not inspect(connection).has_table("alembic_version"):
        return False
    found = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return found == [shipped_head()]


def current(engine: Engine) -> str | None:
    """Return the revision the database is at, or None if it was never migrated."""
    from alembic.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply every migration the database lacks, in one transaction, one process at a time."""
    if revision == "head":
        with engine.connect() as connection:
            if up_to_date(connection):
                return
    from alembic import command

    # SQLite: BEGIN IMMEDIATE serialises concurrent upgrades; PostgreSQL: an advisory lock.
    with engine.connect().execution_options(write=True) as connection, connection.begin():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        command.upgrade(alembic_config(connection), revision)
