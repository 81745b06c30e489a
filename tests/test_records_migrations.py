"""Alembic migrations: they build exactly the tables the code declares, on both backends."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import insert, inspect

from gallery.records import SqlRecords, migrate
from gallery.records.engine import make_engine
from gallery.records.tables import metadata, questions

from .records_fixtures import Clock

TABLES = {
    "questions",
    "votes",
    "chat_messages",
    "moderation_log",
    "mutes",
    "session_states",
    "occupancy_samples",
    "attendance_totals",
    "exhibit_visits",
}


def diff(store: SqlRecords) -> list:
    """Return what autogenerate would change to make the database match the tables declared."""
    with store.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True}
        )
        return compare_metadata(context, metadata)


def test_the_migrations_build_the_declared_tables(store: SqlRecords) -> None:
    """A fresh database migrated to head differs in nothing from the tables in tables.py."""
    store.upgrade()
    assert diff(store) == []
    assert set(inspect(store.engine).get_table_names()) >= TABLES


def test_the_first_use_migrates_to_the_newest_revision(store: SqlRecords) -> None:
    store.question(1)
    assert migrate.current(store.engine) == migrate.head()


def test_upgrading_again_changes_nothing(store: SqlRecords) -> None:
    asked = store.add_question("keynote", "v1", "Ada", "Q")
    store.upgrade()
    store.upgrade()
    assert store.question(asked.id) == asked
    assert diff(store) == []


def test_downgrading_to_nothing_and_upgrading_again_works(store: SqlRecords) -> None:
    """Each revision's downgrade undoes its upgrade."""
    store.upgrade()
    with store.engine.begin() as connection:
        command.downgrade(migrate.alembic_config(connection), "base")
    assert not TABLES & set(inspect(store.engine).get_table_names())
    store.upgrade()
    assert diff(store) == []


def test_a_database_of_the_first_revision_is_upgraded_with_its_data(
    records_url: str, clock: Clock
) -> None:
    """A database left at revision 0001 is brought to the newest on first use, data kept."""
    engine = make_engine(records_url)
    migrate.upgrade(engine, "0001")
    assert "session_states" not in inspect(engine).get_table_names()
    with engine.begin() as connection:
        connection.execute(
            insert(questions).values(
                session="keynote",
                text="Kept?",
                visitor="v1",
                name="Ada",
                status="open",
                created_at=clock.now,
                updated_at=clock.now,
            )
        )
    engine.dispose()
    store = SqlRecords(records_url, clock=clock)
    try:
        (kept,) = store.questions("keynote")
        assert (kept.text, kept.created_at) == ("Kept?", clock.now)
        assert migrate.current(store.engine) == migrate.head()
        assert diff(store) == []
    finally:
        store.close()


def test_an_upgrade_failing_midway_leaves_the_database_as_it_was(
    records_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An upgrade that fails partway through its last revision undoes the earlier ones too.

    Every revision runs in the one transaction `migrate.upgrade` holds, so a `gallery db
    upgrade` killed or failing midway leaves the database at the revision it started from.
    """
    engine = make_engine(records_url)
    migrate.upgrade(engine, "0001")
    made: list[str] = []
    create_table = Operations.create_table

    def failing_create_table(self: Operations, name: str, *columns: Any, **kw: Any) -> Any:
        # 0002 makes one table; 0003 fails after the first of its own.
        if len(made) == 2:
            raise RuntimeError("interrupted")
        made.append(name)
        return create_table(self, name, *columns, **kw)

    monkeypatch.setattr(Operations, "create_table", failing_create_table)
    with pytest.raises(RuntimeError, match="interrupted"):
        migrate.upgrade(engine)
    assert made == ["session_states", "occupancy_samples"]
    assert migrate.current(engine) == "0001"
    assert not set(made) & set(inspect(engine).get_table_names())
    monkeypatch.undo()
    migrate.upgrade(engine)
    assert migrate.current(engine) == migrate.head()
    engine.dispose()


def test_the_migrations_start_from_the_first_table() -> None:
    """The history is one line, starting from a revision that revises nothing."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    revisions = list(scripts.walk_revisions())
    assert revisions[-1].down_revision is None
    assert revisions[0].revision == migrate.head()
    assert len(scripts.get_heads()) == 1


def test_the_head_read_from_the_files_is_alembics() -> None:
    """The revision a server checks without Alembic is the one Alembic would migrate to."""
    assert migrate.shipped_head() == migrate.head()


def test_an_up_to_date_database_is_told_apart_without_alembic(records_url: str) -> None:
    """Only a database at the newest revision is up to date: fresh and older ones are not."""
    engine = make_engine(records_url)
    try:
        with engine.connect() as connection:
            assert not migrate.up_to_date(connection)
        migrate.upgrade(engine, "0001")
        with engine.connect() as connection:
            assert not migrate.up_to_date(connection)
        migrate.upgrade(engine)
        with engine.connect() as connection:
            assert migrate.up_to_date(connection)
    finally:
        engine.dispose()


def test_opening_an_up_to_date_database_does_not_load_alembic(tmp_path: Path) -> None:
    """A server whose database is migrated keeps Alembic's modules out of its memory."""
    url = f"sqlite:///{tmp_path / 'gallery.sqlite3'}"
    SqlRecords(url).upgrade()
    probe = (
        "import sys\nfrom gallery.records import SqlRecords\n"
        f"store = SqlRecords({url!r})\nstore.questions('keynote')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('alembic', 'mako')))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
