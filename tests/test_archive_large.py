"""A large exhibition (2,000 exhibits) as bad input: checked with a plain summary, and a build
or a catalogue stopped with Ctrl-C says so, with no traceback and nothing half-written left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from gallery.cli import cli

from .conftest import BASIC

ROOMS, EXHIBITS = 100, 20


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An exhibition of 100 rooms of 20 exhibits each, in one language, each a title only."""
    root = tmp_path_factory.mktemp("large") / "rooms"
    root.mkdir()
    (root / "gallery.yaml").write_text("title: Large\nlanguages: [fr]\n", encoding="utf-8")
    for r in range(1, ROOMS + 1):
        folder = root / f"{r:03d}-room-{r:03d}"
        folder.mkdir()
        doors = ", ".join(f"room-{d:03d}" for d in (r - 1, r + 1) if 1 <= d <= ROOMS)
        (folder / "room.md").write_text(
            f"---\ntitle: Salle {r}\ndoors: [{doors}]\n---\n", encoding="utf-8"
        )
        for e in range(1, EXHIBITS + 1):
            (folder / f"{e:02d}-exhibit-{r:03d}-{e:02d}.md").write_text(
                f"---\ntitle: Projet {r}.{e}\n---\n", encoding="utf-8"
            )
    return root


def test_two_thousand_exhibits_are_checked_with_a_summary(large: Path, runner) -> None:
    result = runner.invoke(cli, ["check", str(large)])
    assert result.exit_code == 0, result.output
    files = 1 + ROOMS * (1 + EXHIBITS)
    assert f"0 errors, 0 warnings in {files} files" in result.output


def _interrupt_build(
    large: Path, tmp_path: Path, ready: Callable[[int], bool], awaited: str
) -> tuple[int, str]:
    """Run `gallery build` of `large`, press Ctrl-C once `ready(pid)` holds; return its exit
    code and what it wrote to stderr."""
    command = ["build", str(large), "--out", str(tmp_path / "site")]
    build = subprocess.Popen(
        [sys.executable, "-m", "gallery", *command, "--data", str(tmp_path / "data")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # Ctrl-C reaches the whole group: the build and its workers
        # A shell may start its background jobs with Ctrl-C ignored; a terminal does not.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        deadline = time.monotonic() + 120
        while not ready(build.pid):
            assert build.poll() is None, build.communicate()
            assert time.monotonic() < deadline, f"no {awaited}"
            time.sleep(0.01)
        os.killpg(build.pid, signal.SIGINT)
        _, errors = build.communicate(timeout=60)
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
            build.wait()
    return build.returncode, errors


def test_an_interrupted_build_stops_its_workers_and_leaves_nothing(
    large: Path, tmp_path: Path
) -> None:
    # Interrupted once the workers are writing pages, long before the last of 2,100.
    code, errors = _interrupt_build(
        large,
        tmp_path,
        lambda _pid: any(tmp_path.glob(".site.building-*/fr/rooms/*/*/index.html")),
        "page written",
    )
    assert code == 130
    assert "Interrupted: nothing was written." in errors
    assert "Traceback" not in errors
    # No archive, and no staging folder left: at most the data folder the build opened.
    assert {p.name for p in tmp_path.iterdir()} <= {"data"}


def _children(pid: int) -> set[int]:
    """Return the processes whose parent is `pid` (running or not yet reaped)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    """Tell whether `pid` still runs (a zombie does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the rooms are read in one process")
def test_a_build_interrupted_while_reading_the_rooms_stops_its_readers(
    large: Path, tmp_path: Path
) -> None:
    readers: set[int] = set()

    def reading(pid: int) -> bool:
        # The processes reading the room folders: children before any page has a folder.
        readers.clear()
        readers.update(_children(pid))
        return bool(readers) and not any(tmp_path.glob(".site.building-*"))

    code, errors = _interrupt_build(large, tmp_path, reading, "process read the rooms")
    assert code == 130, errors
    assert "Interrupted: nothing was written." in errors
    assert "Traceback" not in errors
    assert not any(_alive(pid) for pid in readers)
    assert not (tmp_path / "site").exists() and not any(tmp_path.glob(".site.*"))


def test_an_interrupted_catalogue_leaves_no_file(
    tmp_path: Path, runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import weasyprint

    def interrupted(self, target, **options) -> None:
        Path(target).write_bytes(b"%PDF-1.7\n")  # a start of the file, then Ctrl-C
        raise KeyboardInterrupt

    monkeypatch.setattr(weasyprint.Document, "write_pdf", interrupted)
    out = tmp_path / "catalogue.pdf"
    result = runner.invoke(cli, ["catalogue", str(BASIC), "--out", str(out)])
    assert result.exit_code == 130
    assert "Interrupted: no catalogue was written." in result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []
