"""nginx for the tests: the repository's deploy/nginx/gallery.conf, with only its ports,
paths and names replaced, run by the current user under its own prefix and temp folders."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import time
from pathlib import Path

from .deploy_helpers import DEPLOY
from .servers import free_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
BROTLI_STATIC = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")

MAIN = """\
daemon off;
{user}worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
load_module {brotli};
events {{ worker_connections 1024; }}
http {{
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    sendfile on;
    include {prefix}/gallery.conf;
{extra}}}
"""


def self_signed(folder: Path) -> tuple[Path, Path]:
    """Make a certificate for localhost and 127.0.0.1 with openssl; return (cert, key)."""
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost"),
            *("-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def render(conf: str, replacements: dict[str, str]) -> str:
    """Replace each key of `replacements` in `conf`, every key being there to replace."""
    for old, new in replacements.items():
        if old not in conf:
            raise AssertionError(f"deploy/nginx/gallery.conf no longer holds {old!r}")
        conf = conf.replace(old, new)
    return conf


class Nginx:
    """nginx on free loopback ports in front of gallery processes on `upstreams` (ports)."""

    def __init__(
        self, prefix: Path, upstreams: list[int], pages: Path, extra_http: str = ""
    ) -> None:
        self.prefix = prefix
        self.http = free_port()
        self.https = free_port()
        self.url = f"https://127.0.0.1:{self.https}"
        self.cert, _key = self_signed(prefix / "tls")
        (prefix / "acme").mkdir(exist_ok=True)
        servers = "".join(f"    server 127.0.0.1:{port};\n" for port in upstreams)
        conf = (DEPLOY / "nginx" / "gallery.conf").read_text(encoding="utf-8")
        # The processes of `upstream gallery`; the first keeps the pages and hosts' requests.
        conf = render(
            conf,
            {
                "    server 127.0.0.1:8001;\n    server 127.0.0.1:8002;\n": servers,
                "upstream gallery_console {\n    server 127.0.0.1:8001;": (
                    f"upstream gallery_console {{\n    server 127.0.0.1:{upstreams[0]};"
                ),
            },
        )
        conf = render(
            conf,
            {
                "listen 80 default_server;": f"listen 127.0.0.1:{self.http} default_server;",
                "listen 443 ssl default_server;": (
                    f"listen 127.0.0.1:{self.https} ssl default_server;"
                ),
                "listen 80;": f"listen 127.0.0.1:{self.http};",
                "listen 443 ssl http2;": f"listen 127.0.0.1:{self.https} ssl http2;",
                # Loopback only, IPv4 only: no other test machine shares these ports.
                "listen [::]:80 default_server;": "",
                "listen [::]:443 ssl default_server;": "",
                "listen [::]:80;": "",
                "listen [::]:443 ssl http2;": "",
                "gallery.example.org": "localhost 127.0.0.1",
                "/etc/ssl/gallery/": f"{prefix}/tls/",
                "/srv/gallery/pages/": f"{pages}/",
                "/etc/nginx/snippets/gallery-headers.conf": str(
                    DEPLOY / "nginx" / "gallery-headers.conf"
                ),
                "/var/www/html": f"{prefix}/acme",
            },
        )
        (prefix / "gallery.conf").write_text(conf, encoding="utf-8")
        (prefix / "nginx.conf").write_text(
            MAIN.format(prefix=prefix, brotli=BROTLI_STATIC, user=_user(), extra=extra_http),
            encoding="utf-8",
        )
        self.process: subprocess.Popen | None = None

    def command(self, *extra: str) -> list[str]:
        """Return the nginx command line on this prefix and configuration."""
        conf = str(self.prefix / "nginx.conf")
        return [
            NGINX,
            "-p",
            str(self.prefix),
            "-e",
            str(self.prefix / "error.log"),
            "-c",
            conf,
            *extra,
        ]

    def start(self) -> None:
        """Check the configuration, start nginx and return once it answers."""
        checked = subprocess.run(self.command("-t"), capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        self.process = subprocess.Popen(self.command(), stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError((self.prefix / "error.log").read_text())
            try:
                socket.create_connection(("127.0.0.1", self.https), timeout=2).close()
            except OSError:
                # Readiness polling: nginx gives no event to await before it listens.
                time.sleep(0.05)
            else:
                return
        raise TimeoutError("nginx did not answer")

    def stop(self) -> None:
        """Stop nginx and reap it."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _user() -> str:
    """Return the `user` line for nginx: started by root, its workers would run as nobody and
    could not read the test's private folders; started by anyone else, it needs none."""
    if os.geteuid() != 0:
        return ""
    return f"user {pwd.getpwuid(os.geteuid()).pw_name};\n"
