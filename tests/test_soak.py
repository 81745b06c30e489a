"""The soak test: a crowd of visitors walks, chats, asks and votes on a real server for
minutes, and nothing is lost: no failed connection, no acknowledged message missing, memory
flat. `--soak-seconds` and `--soak-visitors` make it longer or larger (tests/soak.py)."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from .servers import GalleryServer

ROOMS = 20
SESSION = "pitches"
# Memory is flat when the second half of the run peaks no higher than the first half's peak
# by more than this share, plus a few pages the allocator may keep.
GROWTH = 1.10
SLACK = 16 * 1024 * 1024


def make_exhibition(folder: Path) -> list[str]:
    """Write an exhibition of ROOMS rooms and a stage with one agenda session; return the
    slugs of the places visitors walk."""
    (folder / "gallery.yaml").write_text(
        "title: Soak\nlanguages: [en]\nagenda:\n"
        f"  - id: {SESSION}\n    title: Pitches\n"
        "    starts: 2021-06-17T14:00:00+02:00\n    ends: 2021-06-17T15:00:00+02:00\n"
    )
    slugs = [f"r{i}" for i in range(ROOMS)]
    for i, slug in enumerate(slugs):
        room = folder / f"{i + 1:02d}-{slug}"
        room.mkdir()
        (room / "room.md").write_text(f"---\ntitle: Room {i}\n---\n")
    stage = folder / f"{ROOMS + 1:02d}-stage"
    stage.mkdir()
    (stage / "room.md").write_text("---\ntitle: Stage\nkind: stage\n---\n")
    return [*slugs, "stage"]


def rss(pid: int) -> int:
    """Return the resident memory of process `pid`, in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


def test_a_crowd_acts_for_minutes_and_nothing_is_lost(
    tmp_path: Path, pytestconfig: pytest.Config
) -> None:
    seconds = pytestconfig.getoption("--soak-seconds")
    visitors = pytestconfig.getoption("--soak-visitors")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    # Both ends of every connection live on this machine, server and crowd in children of
    # this process, which inherit the limit.
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 4 * visitors + 1024)), hard))
    root = tmp_path / "expo"
    root.mkdir()
    places = make_exhibition(root)
    server = GalleryServer(
        root, env={"GALLERY_DATA_DIR": str(tmp_path / "data")}, log=tmp_path / "server.log"
    )
    server.start()
    samples: list[tuple[float, int]] = []
    done = threading.Event()

    def sample() -> None:
        while not done.wait(1.0):
            samples.append((time.monotonic(), rss(server.process.pid)))

    sampler = threading.Thread(target=sample, daemon=True)
    try:
        sampler.start()
        crowd = subprocess.Popen(
            [
                *(sys.executable, "-m", "tests.soak", "--ports", str(server.port)),
                *("--rooms", ",".join(places), "--session", SESSION),
                *("--visitors", str(visitors), "--seconds", str(seconds)),
            ],
            cwd=Path(__file__).resolve().parent.parent,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert crowd.stdout is not None
        ramped_at = None
        lines = []
        for line in crowd.stdout:
            lines.append(line)
            if ramped_at is None and '"ramped"' in line:
                ramped_at = time.monotonic()
        assert crowd.wait(timeout=60) == 0, lines
        report = json.loads(lines[-1])
    finally:
        done.set()
        sampler.join()
        server.kill()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))

    assert report["visitors"] == visitors and report["failed"] == 0, report
    assert report["cut_off"] == 0, report
    assert set(report["acks"]) == {"ok"}, report  # no error, no ack missing
    assert report["chats"] > 0 and report["chats_lost"] == 0, report
    assert report["questions"] > 0 and report["questions_missing"] == 0, report
    assert report["votes"] > 0 and report["votes_wrong"] == 0, report
    # Memory, once everyone is in: the crowd keeps acting, memory must not keep growing.
    steady = [value for at, value in samples if ramped_at is not None and at > ramped_at + 5]
    assert len(steady) >= 10, samples
    half = len(steady) // 2
    first, second = max(steady[:half]), max(steady[half:])
    print(f"soak: {report}; resident memory peaks {first >> 20} then {second >> 20} MiB")
    assert second <= first * GROWTH + SLACK, (first, second, steady)
