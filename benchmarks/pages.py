"""Room-page throughput: the gallery on gevent against nginx and bare gevent, same HTML.

Not a test. Run from the repository root:

    python benchmarks/pages.py [--rooms DIR] [--path /fr/rooms/eclairer/] [--runs 5]

It starts the app on the server `gallery serve` runs (gevent, one process,
TCP_NODELAY), renders the room page once to a file, serves that file with nginx
(one worker, throwaway config in a temporary folder), and measures both with
`wrk -t2 -c50 -d10s`, printing the median requests per second of each and their ratio.
A third server, the same gevent server with a WSGI app that only returns the page's bytes,
shows how much of gevent's own ceiling the gallery reaches on the machine of the day.
"""

from __future__ import annotations

import argparse
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

NGINX_CONF = """
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    types {{ text/html html; }}
    default_type text/html;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    server {{
        listen 127.0.0.1:{port};
        root {tmp}/site;
        location / {{ try_files $uri $uri/index.html =404; }}
    }}
}}
"""

SERVE_APP = """
from gevent import monkey
monkey.patch_all()
import socket, sys
from gallery import create_app
from gallery.serve import make_server
app = create_app({"ROOMS": sys.argv[1], "SECRET_KEY": "benchmark"})
server = make_server(app, "127.0.0.1", int(sys.argv[2]))
if sys.argv[3] != "nodelay":
    # To show what TCP_NODELAY buys: Nagle's algorithm back on, as gevent's default.
    server.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 0)
server.serve_forever()
"""

# The ceiling of the server `gallery serve` runs: the same gevent server, no application work.
BARE_APP = """
from gevent import monkey
monkey.patch_all()
import sys
from pathlib import Path
from gallery.serve import make_server
body = Path(sys.argv[1]).read_bytes()
headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))]
class Bare:
    extensions = {"gallery.origins": lambda origin, environ: True}
    def __call__(self, environ, start_response):
        start_response("200 OK", headers)
        return [body]
make_server(Bare(), "127.0.0.1", int(sys.argv[2])).serve_forever()
"""


def free_port() -> int:
    """Return a TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 15.0) -> bytes:
    """Fetch `url` once the server answers, and return the body."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def wrk(
    url: str, duration: int, connections: int, threads: int, headers: tuple[str, ...] = ()
) -> float:
    """Run wrk against `url`, sending `headers` ("Name: value"), and return its requests per
    second; a non-2xx/3xx answer is an error."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s"]
    for header in headers:
        command += ["-H", header]
    command.append(url)
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if not match:
        raise RuntimeError(f"unexpected wrk output:\n{output}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} error responses")
    return float(match.group(1))


def main() -> int:
    """Run the benchmark and print the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rooms", default=str(REPO / "rooms"))
    parser.add_argument("--path", default="/fr/rooms/eclairer/")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--no-nodelay",
        dest="nodelay",
        action="store_false",
        help="leave Nagle's algorithm on for the gallery's sockets (gevent's default)",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="gallery-bench-") as tmp_name:
        tmp = Path(tmp_name)
        # nginx workers drop privileges: they must be able to read the page.
        tmp.chmod(0o755)
        app_port, nginx_port, bare_port = free_port(), free_port(), free_port()
        app = subprocess.Popen(
            [
                sys.executable,
                "-c",
                SERVE_APP,
                args.rooms,
                str(app_port),
                "nodelay" if args.nodelay else "default",
            ],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
        )
        nginx = bare = None
        try:
            app_url = f"http://127.0.0.1:{app_port}{args.path}"
            html = wait_for(app_url)
            page = tmp / "site" / args.path.strip("/") / "index.html"
            page.parent.mkdir(parents=True)
            page.write_bytes(html)
            conf = tmp / "nginx.conf"
            conf.write_text(NGINX_CONF.format(tmp=tmp, port=nginx_port))
            nginx = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(tmp)])
            nginx_url = f"http://127.0.0.1:{nginx_port}{args.path}"
            assert wait_for(nginx_url) == html
            bare = subprocess.Popen(
                [sys.executable, "-c", BARE_APP, str(page), str(bare_port)],
                cwd=REPO,
                stdout=subprocess.DEVNULL,
            )
            bare_url = f"http://127.0.0.1:{bare_port}{args.path}"
            assert wait_for(bare_url) == html

            # One short warm-up each, then alternate runs so drift hits both alike.
            wrk(app_url, 2, args.connections, args.threads)
            wrk(nginx_url, 2, args.connections, args.threads)
            wrk(bare_url, 2, args.connections, args.threads)
            app_runs, nginx_runs, bare_runs = [], [], []
            for run in range(1, args.runs + 1):
                app_runs.append(wrk(app_url, args.duration, args.connections, args.threads))
                nginx_runs.append(wrk(nginx_url, args.duration, args.connections, args.threads))
                bare_runs.append(wrk(bare_url, args.duration, args.connections, args.threads))
                print(
                    f"run {run}: gallery {app_runs[-1]:9.0f} req/s"
                    f"   nginx {nginx_runs[-1]:9.0f} req/s"
                    f"   bare gevent {bare_runs[-1]:9.0f} req/s"
                )
        finally:
            servers = [server for server in (app, nginx, bare) if server is not None]
            for server in servers:
                server.terminate()
            for server in servers:
                server.wait()

    app_median = statistics.median(app_runs)
    nginx_median = statistics.median(nginx_runs)
    print(f"page: {args.path} ({len(html)} bytes)")
    nodelay = "TCP_NODELAY" if args.nodelay else "Nagle on"
    print(f"gallery (gevent, 1 process, {nodelay}): median {app_median:.0f} req/s")
    print(f"nginx (static file, 1 worker): median {nginx_median:.0f} req/s")
    bare_median = statistics.median(bare_runs)
    print(f"bare gevent (same server, no app work): median {bare_median:.0f} req/s")
    print(f"ratio gallery/nginx: {app_median / nginx_median:.3f}")
    print(f"ratio gallery/bare gevent: {app_median / bare_median:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
