"""A throwaway Redis server for the tests: its own folder, a free loopback port.

Debian's `redis-server` package provides the program. The tests never skip Redis: without it
they fail and say what to install. The server keeps nothing on disk, so a restart (`stop`
then `start`) brings it back empty, as a Redis without persistence comes back after a crash.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from .servers import free_port

MISSING = (
    "redis-server is needed by the scale-out tests: apt-get install redis-server "
    "(scripts/test installs it), or name the program in GALLERY_TEST_REDIS_SERVER"
)


class RedisServer:
    """A redis-server process of its own on a loopback port, stopped and started at will."""

    def __init__(self) -> None:
        program = os.environ.get("GALLERY_TEST_REDIS_SERVER") or shutil.which("redis-server")
        if program is None and Path("/usr/bin/redis-server").exists():
            program = "/usr/bin/redis-server"
        if program is None:
            raise RuntimeError(MISSING)
        self.program = program
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="gallery-redis-"))
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """Return the URL the gallery is given (`--redis`)."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start the server; return once it accepts connections."""
        self.process = subprocess.Popen(
            [
                self.program,
                *("--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder)),
                *("--save", "", "--appendonly", "no", "--protected-mode", "no"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.process.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            # Readiness polling: the server gives no event to await before it listens.
            time.sleep(0.05)
        self.stop()
        raise TimeoutError("redis-server did not start within 20 s")

    def stop(self) -> None:
        """Stop the server at once (SIGKILL: nothing is saved, as after a crash)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def close(self) -> None:
        """Stop the server and delete its folder."""
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
