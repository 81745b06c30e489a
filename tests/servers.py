"""Helpers to run real servers for the tests: free ports and readiness checks."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request


def free_port() -> int:
    """Return a TCP port on the loopback interface that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, process: subprocess.Popen | None = None, timeout: float = 60) -> None:
    """Poll `url` until it answers 200, failing early if `process` exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before serving {url}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        # Readiness polling: the server gives no event to await before it listens.
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


class GalleryServer:
    """A `gallery serve` subprocess on a fixed port that can be stopped and started again."""

    def __init__(
        self, directory, env: dict[str, str] | None = None, log=None, reload: bool = False
    ) -> None:
        import os

        self.directory = directory
        self.log = log  # a path to write the server's output to; discarded when None
        self.reload = reload  # watch the room files and reload them when they change
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, **(env or {})}
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start the server and return once it answers."""
        import sys

        output = open(self.log, "a") if self.log is not None else subprocess.DEVNULL  # noqa: SIM115
        try:
            self.process = subprocess.Popen(
                [
                    *(sys.executable, "-m", "gallery", "serve", str(self.directory)),
                    *("--port", str(self.port), "--reload" if self.reload else "--no-reload"),
                ],
                stdout=output,
                stderr=subprocess.STDOUT,
                env=self.env,
            )
        finally:
            if self.log is not None:
                output.close()  # the server holds its own copy
        try:
            wait_for_http(self.url + "/healthz", self.process)
        except BaseException:
            self.kill()  # a server too slow to start must not outlive the test
            raise

    def open_fds(self) -> int:
        """Return how many file descriptors the server process holds open now."""
        import os

        assert self.process is not None
        return len(os.listdir(f"/proc/{self.process.pid}/fd"))

    def kill(self) -> None:
        """Kill the server at once, as a crash would, and reap it."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
