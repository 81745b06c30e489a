"""Room-page throughput through nginx with deploy/nginx/gallery.conf, against nginx serving
the same HTML as a plain file, in the same nginx and the same run.

Not a test. Run from the repository root (needs nginx, its Brotli module and wrk):

    python benchmarks/nginx_pages.py [--rooms DIR] [--path /fr/rooms/eclairer/] [--runs 5]

It starts one gunicorn process on the exhibition as deployed (deploy/gunicorn.conf.py,
keeping the pages as files), and one nginx, one worker, on the repository's configuration
(as the tests run it: tests/nginx_helpers.py) with one more server block that serves a copy
of the room page as a plain file, over the same TLS, the same certificate. Then, with
`wrk -t2 -c50 -d10s` over HTTPS with keep-alive, runs after runs in turn:

- gallery.conf: the room page as a visitor gets it, served from the published file;
- plain file: the same bytes from a bare `root` + `try_files` server block;
- proxied: the same page asked with a host's cookie, which nginx hands to the gallery, whose
  front cache answers it (what every page cost before the pages were files).

Each in plain bytes and in Brotli (the plain-file server then has the same .br beside its
file and `brotli_static on`). It prints the median requests per second of each and the
ratios (of the medians, and the median of each run's ratio). The machine's cores are shared by
wrk, nginx and gunicorn.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from tests.deploy_helpers import GunicornServer  # noqa: E402
from tests.nginx_helpers import Nginx  # noqa: E402
from tests.servers import free_port  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pages  # noqa: E402

PLAIN_SERVER = """
    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate {tls}/fullchain.pem;
        ssl_certificate_key {tls}/privkey.pem;
        access_log off;
        root {root};
        brotli_static on;
        location / {{ try_files $uri $uri/index.html =404; }}
    }}
"""

# Marks the URL asked as a host (a cookie nginx hands to the gallery); not sent.
PROXIED = "#as-host"


def wrk(url: str, duration: int, connections: int, threads: int, coding: str | None) -> float:
    """Run wrk against `url` in the content `coding` and return its requests per second."""
    headers = (f"Accept-Encoding: {coding}",) if coding else ()
    if url.endswith(PROXIED):
        # nginx hands a signed-in host's requests to the gallery (deploy/nginx/gallery.conf).
        url = url.removesuffix(PROXIED)
        headers += ("Cookie: gallery_host=benchmark",)
    return pages.wrk(url, duration, connections, threads, headers)


def main() -> int:
    """Run the benchmark and print the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rooms", default=str(REPO / "rooms"))
    parser.add_argument("--path", default="/fr/rooms/eclairer/")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="gallery-bench-") as tmp_name:
        tmp = Path(tmp_name)
        pages, plain = tmp / "pages", tmp / "plain"
        gallery = GunicornServer(
            Path(args.rooms),
            env={
                "GALLERY_DATA_DIR": str(tmp / "data"),
                "GALLERY_PAGES_DIR": str(pages),
                "GALLERY_TRUSTED_PROXIES": "1",
                "GALLERY_SECRET_KEY": "benchmark",
            },
        )
        gallery.start()
        nginx = None
        try:
            published = pages / "current" / args.path.strip("/") / "index.html"
            deadline = time.monotonic() + 60
            while not published.is_file():
                if time.monotonic() > deadline:
                    raise TimeoutError("the pages were not published")
                time.sleep(0.1)
            copy = plain / args.path.strip("/") / "index.html"
            copy.parent.mkdir(parents=True)
            for suffix in ("", ".br"):
                shutil.copyfile(str(published) + suffix, str(copy) + suffix)
            sizes = (copy.stat().st_size, Path(str(copy) + ".br").stat().st_size)
            plain_port = free_port()
            tls = tmp / "nginx" / "tls"
            extra = PLAIN_SERVER.format(port=plain_port, tls=tls, root=plain)
            (tmp / "nginx").mkdir()
            nginx = Nginx(tmp / "nginx", [gallery.port], pages, extra_http=extra)
            nginx.start()
            urls = {
                "gallery.conf": f"https://127.0.0.1:{nginx.https}{args.path}",
                "plain file": f"https://127.0.0.1:{plain_port}{args.path}",
                "proxied": f"https://127.0.0.1:{nginx.https}{args.path}{PROXIED}",
            }
            results: dict[tuple[str, str], list[float]] = {}
            connections, threads = args.connections, args.threads
            for coding in (None, "br"):
                label = coding or "identity"
                for url in urls.values():  # warm-up
                    wrk(url, 2, args.connections, args.threads, coding)
                names = list(urls)
                for run in range(1, args.runs + 1):
                    # In turn, each first: no target always follows the one that loads Python.
                    shift = (run - 1) % len(names)
                    for name in names[shift:] + names[:shift]:
                        rate = wrk(urls[name], args.duration, connections, threads, coding)
                        results.setdefault((label, name), []).append(rate)
                        # Let the gallery finish what the proxied run left it.
                        time.sleep(1)
                    line = "   ".join(f"{name} {results[(label, name)][-1]:8.0f}" for name in names)
                    print(f"{label:8} run {run}: {line}  req/s", flush=True)
        finally:
            if nginx is not None:
                nginx.stop()
            gallery.stop()

    print(f"page: {args.path} ({sizes[0]} bytes, {sizes[1]} in Brotli)")
    for label in ("identity", "br"):
        medians = {name: statistics.median(results[(label, name)]) for name in urls}
        plain_rate = medians["plain file"]
        print(
            f"{label:8} medians: "
            + "   ".join(f"{name} {rate:.0f}" for name, rate in medians.items())
            + f"   gallery.conf/plain {medians['gallery.conf'] / plain_rate:.2f}x"
            + f"   proxied/plain {medians['proxied'] / plain_rate:.2f}x"
        )
        # Each run's two figures were measured one after the other: their ratio drifts less
        # with the machine's other work than two medians taken over minutes do.
        pairs = zip(results[(label, "gallery.conf")], results[(label, "plain file")], strict=True)
        ratios = sorted(ours / plain for ours, plain in pairs)
        print(
            f"{label:8} gallery.conf/plain per run: "
            + ", ".join(f"{ratio:.2f}" for ratio in ratios)
            + f"; median {statistics.median(ratios):.2f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
