"""Real production processes for the deployment tests: gunicorn with the gallery's worker,
configured by the repository's deploy/gunicorn.conf.py."""

from __future__ import annotations

import os
import ssl
import subprocess
import sys
from pathlib import Path

from .servers import free_port, wait_for_http
from .wsclient import RawClient

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"


class GunicornServer:
    """One gunicorn process (one gevent worker) serving an exhibition on a free port."""

    def __init__(self, directory: Path, env: dict[str, str] | None = None, log=None) -> None:
        self.directory = directory
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "GALLERY_ROOMS": str(directory), **(env or {})}
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start gunicorn and return once the app answers."""
        output = open(self.log, "a") if self.log is not None else subprocess.DEVNULL  # noqa: SIM115
        try:
            self.process = subprocess.Popen(
                [
                    *(sys.executable, "-m", "gunicorn"),
                    *("--config", str(DEPLOY / "gunicorn.conf.py")),
                    *("--bind", f"127.0.0.1:{self.port}"),
                    "gallery.wsgi:application",
                ],
                stdout=output,
                stderr=subprocess.STDOUT,
                env=self.env,
                cwd=REPO,
            )
        finally:
            if self.log is not None:
                output.close()
        try:
            wait_for_http(self.url + "/healthz", self.process)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop gunicorn (its arbiter stops the worker) and reap it."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def assert_presence_flows(port: int, tls: ssl.SSLContext | None = None) -> None:
    """Two visitors on `port` enter a room; the first hears that the second came."""
    watcher, mover = RawClient(port, tls=tls), RawClient(port, tls=tls)
    try:
        assert watcher.ack(watcher.emit("enter", {"room": "lab"}))["ok"]
        mover_id = mover.ack(mover.emit("enter", {"room": "lab", "exhibit": "maps"}))["id"]
        name, _data = watcher.event(
            lambda name, data: name == "presence" and mover_id in str(data), timeout=10
        )
        assert name == "presence"
    finally:
        watcher.close()
        mover.close()
