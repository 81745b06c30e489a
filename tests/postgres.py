"""A throwaway PostgreSQL server for the tests: initdb in a temporary folder, a loopback port.

Debian's `postgresql` package puts its programs in /usr/lib/postgresql/VERSION/bin.
PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user the
package creates. The tests never skip PostgreSQL: without it they fail and say what to install.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from .servers import free_port

MISSING = (
    "PostgreSQL is needed by the records tests: apt-get install postgresql "
    "(scripts/test installs it), or put its bin folder in GALLERY_TEST_PG_BIN"
)


def find_bin() -> Path:
    """Return the folder of initdb and pg_ctl: GALLERY_TEST_PG_BIN, Debian's newest, or PATH."""
    if os.environ.get("GALLERY_TEST_PG_BIN"):
        return Path(os.environ["GALLERY_TEST_PG_BIN"])
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise RuntimeError(MISSING)


class PostgresServer:
    """A PostgreSQL cluster of its own, trusting local connections, deleted when stopped."""

    def __init__(self) -> None:
        self.bin = find_bin()
        if not (self.bin / "pg_ctl").exists():
            raise RuntimeError(MISSING)
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="gallery-pg-"))
        self.data = self.folder / "data"
        self._as: list[str] = []
        if os.geteuid() == 0:
            try:
                user = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError(f"{MISSING}; as root it runs as the `postgres` user") from None
            os.chown(self.folder, user.pw_uid, user.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]
        self._databases = itertools.count(1)
        self._shared: str | None = None

    def _run(self, *args: str) -> None:
        """Run a PostgreSQL program as the server's user, raising with its output on failure."""
        done = subprocess.run([*self._as, *args], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}")

    def start(self) -> None:
        """Create the cluster and start the server; return once it accepts connections."""
        self._run(
            str(self.bin / "initdb"),
            *("-D", str(self.data), "-U", "gallery", "--auth=trust", "-E", "UTF8", "--no-sync"),
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} "
            f"-c unix_socket_directories={self.folder} -c fsync=off"
        )
        log = str(self.folder / "server.log")
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", log, "-w", "start"
        )

    def url(self, database: str = "postgres") -> str:
        """Return the SQLAlchemy URL of a database of this server."""
        return f"postgresql+psycopg://gallery@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """Create an empty database and return its URL."""
        import psycopg

        name = f"test_{next(self._databases)}"
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=gallery dbname=postgres"
        ) as conn:
            conn.autocommit = True
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def empty_database(self) -> str:
        """Return the URL of a shared database emptied of every table: faster than a new one."""
        import psycopg

        if self._shared is None:
            self._shared = self.create_database()
        name = self._shared.rsplit("/", 1)[1]
        dsn = f"host=127.0.0.1 port={self.port} user=gallery dbname={name}"
        with psycopg.connect(dsn) as conn:
            conn.execute("DROP SCHEMA public CASCADE")
            conn.execute("CREATE SCHEMA public")
        return self._shared

    def stop(self) -> None:
        """Stop the server at once and delete its files."""
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
