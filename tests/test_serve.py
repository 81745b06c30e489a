"""`gallery serve`'s start-up: the database migrated in a child, so the server stays lean; a
Ctrl-C meanwhile is raised, the child ended and waited for."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from contextlib import suppress
from pathlib import Path

import pytest

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


# As `gallery serve` starts: Python's Ctrl-C (whatever the suite inherited: a suite started
# in the background ignores SIGINT), gevent's patches, and records whose migration runs
# `HOW`, after `BEFORE`; it says whether the Ctrl-C came through and which children are left.
INTERRUPTED = """
import os, signal, sys
signal.signal(signal.SIGINT, signal.default_int_handler)
from gevent import monkey
monkey.patch_all()
import gevent
gevent.sleep(0)
from gallery.serve import upgrade_apart

class Records:
    def upgrade(self):
        HOW

def left():
    try:
        return os.waitpid(-1, os.WNOHANG)[0] or "running"
    except ChildProcessError:
        return "none"

BEFORE
try:
    upgrade_apart(Records())
except KeyboardInterrupt:
    print("interrupted; children left:", left(), flush=True)
else:
    print("not interrupted; children left:", left(), flush=True)
"""


def interrupted(before: str, how: str) -> subprocess.Popen[str]:
    """Start `INTERRUPTED` with `before` and `how`, in a process group of its own."""
    script = INTERRUPTED.replace("BEFORE", before).replace("HOW", how)
    return subprocess.Popen(
        [sys.executable, "-c", script],
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def said(probe: subprocess.Popen[str]) -> str:
    """Return the next line `probe` writes, waiting up to a minute for it."""
    assert probe.stdout is not None
    ready, _, _ = select.select([probe.stdout], [], [], 60)
    assert ready, "the probe said nothing"
    return probe.stdout.readline().strip()


def ended(probe: subprocess.Popen[str]) -> None:
    """Kill what is left of `probe`'s process group (nothing, when the test passes)."""
    with suppress(ProcessLookupError):
        os.killpg(probe.pid, signal.SIGKILL)
    probe.wait()


def test_a_ctrl_c_while_forking_the_migration_is_raised_once_the_child_is_ended() -> None:
    """One that Python handles in the fork's own handlers is neither dropped nor leaves the
    child unknown: it is raised once the child is waited for."""
    now = "os.register_at_fork(after_in_parent=lambda: os.kill(os.getpid(), signal.SIGINT))"
    probe = interrupted(now, "pass")
    try:
        assert said(probe) == "interrupted; children left: none"
        assert probe.wait(timeout=60) == 0
    finally:
        ended(probe)


def test_a_ctrl_c_during_the_migration_ends_the_child_too() -> None:
    """A Ctrl-C reaching the server alone (`kill -INT`) leaves no migration running."""
    probe = interrupted("", 'print("migrating", os.getpid(), flush=True)\n        signal.pause()')
    try:
        word, pid = said(probe).split()
        assert word == "migrating"
        os.kill(probe.pid, signal.SIGINT)
        assert said(probe) == "interrupted; children left: none"
        assert probe.wait(timeout=60) == 0
        with pytest.raises(ProcessLookupError):
            os.kill(int(pid), 0)
    finally:
        ended(probe)
