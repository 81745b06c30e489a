"""`gallery serve`'s start-up: the database migrated in a child, so the server stays lean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# Run in a process of its own: forking the test runner, with its threads, is not safe.
# As in `gallery serve`: gevent patches the standard library, and its hub runs.
PROBE = """
from gevent import monkey
monkey.patch_all()
import gevent
gevent.sleep(0)
import sys
from gallery.records import SqlRecords, StorageUnavailable, migrate
from gallery.serve import upgrade_apart
store = SqlRecords(sys.argv[1])
try:
    upgrade_apart(store)
except StorageUnavailable as refusal:
    print("refused:", refusal)
    raise SystemExit(0)
with store.engine.connect() as connection:
    print("up to date:", migrate.up_to_date(connection))
print("loaded:", sorted({m.split(".")[0] for m in sys.modules} & {"alembic", "mako"}))
"""


def probe(url: str) -> list[str]:
    """Run `upgrade_apart` on the database at `url` in a fresh process; return what it said."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, url], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_a_fresh_database_is_migrated_by_a_child(tmp_path: Path) -> None:
    """The database ends up at the newest revision, and the server never loaded Alembic."""
    said = probe(f"sqlite:///{tmp_path / 'gallery.sqlite3'}")
    assert said == ["up to date: True", "loaded: []"]


def test_the_childs_refusal_is_raised_in_the_server(tmp_path: Path) -> None:
    """A database the child cannot open stops the start-up with the child's reason."""
    (tmp_path / "file").write_text("not a folder")
    url = f"sqlite:///{tmp_path / 'file' / 'gallery.sqlite3'}"
    (said,) = probe(url)
    assert said.startswith(f"refused: {url}: ")
    assert str(tmp_path / "file") in said
