"""`gallery serve --reload`: visitors are answered while changed room files load."""

from __future__ import annotations

import time
import urllib.request
from pathlib import Path

from .conftest import BASIC
from .pagecheck import copy_exhibition
from .servers import GalleryServer

# What the watcher logs once it has loaded room files that hold errors.
KEPT = "Room files hold errors; these rooms keep their last good version: lab."


def _slow_room_file(kib: int) -> str:
    """Return an exhibit file of about `kib` KiB naming thousands of missing images."""
    lines = ["---", "title: Lent", "---"]
    lines += [f"![Plan {i}](plan-{i:05d}.png)" for i in range(kib * 1024 // 26)]
    return "\n".join(lines) + "\n"


def _get(url: str) -> tuple[float, int, bytes]:
    """Fetch `url`; return the seconds it took, the status and the body."""
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        body = response.read()
        return time.perf_counter() - started, response.status, body


def test_visitors_are_answered_while_room_files_reload(tmp_path: Path) -> None:
    root = copy_exhibition(BASIC, tmp_path)
    log = tmp_path / "server.log"
    server = GalleryServer(root, env={"GALLERY_RELOAD_INTERVAL": "0.05"}, log=log, reload=True)
    server.start()
    try:
        # A cached page and one that goes through Flask (a query string is never cached).
        urls = [server.url + "/fr/rooms/lab/", server.url + "/fr/rooms/lab/?from=plan"]
        for url in urls:
            _get(url)
        (root / "02-lab" / "03-slow.md").write_text(_slow_room_file(40))
        written = time.perf_counter()
        latencies = []
        while KEPT not in log.read_text():
            latency, status, body = _get(urls[len(latencies) % 2])
            assert status == 200
            assert "Lanternes" in body.decode()  # the last good version
            latencies.append(latency)
        reloaded = time.perf_counter()
    finally:
        server.kill()
    reload_time = reloaded - written
    # The file must take long enough to load for a stalled loop to show.
    assert reload_time > 0.5, f"the slow room file loaded in {reload_time:.2f} s"
    assert len(latencies) >= 3
    # Blocked, one request would wait for (nearly) the whole reload.
    assert max(latencies) < reload_time / 3, (max(latencies), reload_time, len(latencies))
