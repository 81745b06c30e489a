"""What an idle visitor holds in a real server: no greenlet, with pings still flowing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import BASIC

VISITORS = 40
# The server's own tasks (presence ticker, Engine.IO's service task, the pinger...).
SHARED = 6


def test_an_idle_connection_holds_no_greenlet_and_is_pinged(tmp_path: Path) -> None:
    """Idle sockets hold no greenlet (the event loop reads them); writers and handlers end
    after a burst; every socket is pinged."""
    command = [sys.executable, "-m", "tests.footprint", str(BASIC), str(tmp_path)]
    out = subprocess.run(
        [*command, "--visitors", str(VISITORS)],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["waited"] is True, report
    assert report["closed"] == 0, report
    assert report["fewest_pings"] >= 3  # every socket pinged, and each pong rescheduled it
    base = report["greenlets_before"]
    assert report["greenlets_idle"] - base <= SHARED, report
    assert report["greenlets_after_burst"] - base <= SHARED, report
