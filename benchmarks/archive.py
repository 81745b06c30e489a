"""The archive and the catalogue of a large exhibition: time, peak memory, and nginx serving it.

Not a test. Run from the repository root:

    python benchmarks/archive.py [--rooms 100] [--exhibits 20] [--runs 3] [--no-catalogue]
                                 [--no-build]

It writes a generated exhibition (ROOMS rooms of EXHIBITS exhibits each, in French and
English, each exhibit with a summary, a text, a team, two links and its room's image), then
times `gallery build` and `gallery catalogue` on it, each in a fresh process, and reports
the median wall time, CPU time (user + system, workers included) and peak resident memory
of each (`--no-build` times the catalogue alone). A build that replaces the previous one
leaves its deletion to a process of its own: the script waits for it before the next
command, and says how long it took. Last, nginx (one worker) serves
the archive's room page and the same bytes as a plain file outside it; `wrk -t2 -c50` measures
both, and the ratio says whether the archive is served like any plain file.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import free_port, wait_for, wrk

REPO = Path(__file__).resolve().parent.parent

# A 1x1 PNG: the catalogue lays out an image per exhibit, the archive copies it once per room.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082"
)

TIMED = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
elapsed = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(done.returncode, elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime)
"""

# In the foreground: the script stops the nginx it started once the measurement is done.
NGINX_CONF = """
daemon off;
worker_processes 1;
error_log {tmp}/error.log;
pid {tmp}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    include /etc/nginx/mime.types;
    gzip_static on;
    server {{
        listen 127.0.0.1:{port};
        root {tmp}/www;
    }}
}}
"""


def generate(root: Path, rooms: int, exhibits: int) -> None:
    """Write an exhibition of `rooms` rooms of `exhibits` exhibits, in French and English."""
    root.mkdir(parents=True)
    (root / "gallery.yaml").write_text(
        "title:\n  fr: Grande galerie\n  en: Great gallery\nlanguages: [fr, en]\n"
        "timezone: Europe/Paris\nintroduction:\n  fr: Une exposition générée.\n"
        "  en: A generated exhibition.\nagenda:\n"
        + "".join(
            f"  - id: talk-{n}\n    title: Talk {n}\n"
            f"    starts: 2030-06-17T{10 + n}:00:00+02:00\n"
            f"    ends: 2030-06-17T{10 + n}:45:00+02:00\n"
            for n in range(3)
        ),
        encoding="utf-8",
    )
    for r in range(1, rooms + 1):
        folder = root / f"{r:03d}-room-{r:03d}"
        folder.mkdir()
        doors = [f"room-{d:03d}" for d in (r - 1, r + 1) if 1 <= d <= rooms]
        (folder / "room.md").write_text(
            f"---\ntitle:\n  fr: Salle {r}\n  en: Room {r}\ndoors: [{', '.join(doors)}]\n"
            f"---\nLa salle {r} présente {exhibits} projets.\n",
            encoding="utf-8",
        )
        (folder / "room.en.md").write_text(
            f"---\ntitle: Room {r}\n---\nRoom {r} shows {exhibits} projects.\n", encoding="utf-8"
        )
        (folder / "image.png").write_bytes(PNG)
        for e in range(1, exhibits + 1):
            slug = f"exhibit-{r:03d}-{e:02d}"
            (folder / f"{e:02d}-{slug}.md").write_text(
                f"---\ntitle: Projet {r}.{e}\nsummary: Un projet de la salle {r}.\n"
                "image: image.png\nimage_alt: Un carré\n"
                "team:\n  - name: Ada Lovelace\n  - name: Alan Turing\n  - name: Grace Hopper\n"
                "links:\n"
                f"  - title: Site\n    url: https://example.org/{slug}\n"
                f"  - title: Code\n    url: https://code.example.org/{slug}\n"
                "---\n" + "Un paragraphe qui décrit le projet en quelques phrases. " * 6 + "\n",
                encoding="utf-8",
            )
            (folder / f"{slug}.en.md").write_text(
                f"---\ntitle: Project {r}.{e}\nsummary: A project of room {r}.\n"
                "image_alt: A square\n---\n"
                + "A paragraph describing the project in a few sentences. " * 6
                + "\n",
                encoding="utf-8",
            )


def timed(command: list[str]) -> tuple[float, int, float]:
    """Run `command` in a fresh process; return its wall time (s), peak memory (KiB) and CPU
    time (s, its workers included)."""
    output = subprocess.run(
        [sys.executable, "-c", TIMED, *command], capture_output=True, text=True, check=True
    ).stdout.split()
    code, elapsed, peak, cpu = int(output[0]), float(output[1]), int(output[2]), float(output[3])
    if code != 0:
        raise RuntimeError(f"{' '.join(command)} failed with exit code {code}")
    return elapsed, peak, cpu


def wait_for_sweep(out: Path, limit: float = 300.0) -> float:
    """Wait until the previous build's deletion, left to a process of its own, is done (it
    would compete with the next command for the disk); return the seconds waited."""
    start = time.perf_counter()
    while any(out.parent.glob(f".{out.name}.old-*")) and time.perf_counter() - start < limit:
        time.sleep(0.05)
    return time.perf_counter() - start


def summary(run: tuple[float, int, float]) -> str:
    """Return one timed run as the script prints it: wall time, CPU time, peak memory."""
    return f"{run[0]:6.1f} s (CPU {run[2]:6.1f} s), {run[1] / 1024:6.0f} MiB"


def main() -> int:
    """Run the benchmark and print the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rooms", type=int, default=100)
    parser.add_argument("--exhibits", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-catalogue", dest="catalogue", action="store_false")
    # Only the catalogue: no build, so no nginx measurement either.
    parser.add_argument("--no-build", dest="build", action="store_false")
    parser.add_argument("--duration", type=int, default=10)
    args = parser.parse_args()
    gallery = [sys.executable, "-m", "gallery"]

    with tempfile.TemporaryDirectory(prefix="gallery-archive-bench-") as tmp_name:
        tmp = Path(tmp_name)
        tmp.chmod(0o755)  # nginx workers drop privileges
        rooms = tmp / "rooms"
        generate(rooms, args.rooms, args.exhibits)
        data = tmp / "data"
        out = tmp / "www" / "archive"
        out.parent.mkdir()
        builds, catalogues = [], []
        for run in range(1, args.runs + 1):
            line = f"run {run}:"
            if args.build:
                command = [*gallery, "build", str(rooms), "--out", str(out), "--data", str(data)]
                builds.append(timed(command))
                line += f" build {summary(builds[-1])}"
            # Each command is timed alone: the previous build's deletion goes on after it.
            swept = wait_for_sweep(out)
            if swept >= 0.1:
                line += f" (then {swept:.1f} s deleting the previous build)"
            if args.catalogue:
                pdf = tmp / "catalogue.pdf"
                catalogues.append(timed([*gallery, "catalogue", str(rooms), "--out", str(pdf)]))
                line += f"   catalogue {summary(catalogues[-1])}"
            print(line, flush=True)
        print(f"exhibition: {args.rooms} rooms x {args.exhibits} exhibits, 2 languages")
        for name, runs in (("build", builds), ("catalogue", catalogues)):
            if runs:
                print(
                    f"{name}: median {statistics.median(r[0] for r in runs):.1f} s, "
                    f"CPU {statistics.median(r[2] for r in runs):.1f} s, "
                    f"peak {max(r[1] for r in runs) / 1024:.0f} MiB"
                )
        if not args.build:
            return 0
        print(f"archive: {sum(1 for _ in out.rglob('*.html'))} pages")

        # The same bytes as the archive's room page, as a plain file outside it.
        page = out / "fr" / "rooms" / f"room-{args.rooms // 2:03d}" / "index.html"
        (tmp / "www" / "plain.html").write_bytes(page.read_bytes())
        port = free_port()
        (tmp / "nginx.conf").write_text(NGINX_CONF.format(tmp=tmp, port=port))
        nginx = subprocess.Popen(["nginx", "-c", str(tmp / "nginx.conf"), "-p", str(tmp)])
        try:
            archived = f"http://127.0.0.1:{port}/archive/{page.relative_to(out)}"
            plain = f"http://127.0.0.1:{port}/plain.html"
            assert wait_for(archived) == wait_for(plain)
            wrk(archived, 2, 50, 2)
            wrk(plain, 2, 50, 2)
            served, plains = [], []
            for run in range(1, args.runs + 1):
                served.append(wrk(archived, args.duration, 50, 2))
                plains.append(wrk(plain, args.duration, 50, 2))
                print(
                    f"run {run}: archive page {served[-1]:9.0f} req/s"
                    f"   plain file {plains[-1]:9.0f} req/s"
                )
                time.sleep(0.5)
        finally:
            nginx.terminate()
            nginx.wait()
        ratio = statistics.median(served) / statistics.median(plains)
        print(
            f"nginx: archive page {statistics.median(served):.0f} req/s, plain file "
            f"{statistics.median(plains):.0f} req/s, ratio {ratio:.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
