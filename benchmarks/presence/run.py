"""Benchmark live presence against the Node reference server, side by side.

Usage: python benchmarks/presence/run.py BENCH_DIR [--clients 2000,5000] [--seconds 30]
       [--ramp 250] [--period 10] [--runs 3]

BENCH_DIR holds loadgen.js and ref-server.js with their node_modules (npm install
there). For every client count and run, the reference server and the gallery are
each started fresh on a generated 10-room exhibition (rooms r0..r9), loaded with
loadgen.js in turn, and sampled for CPU time and resident memory while the load
generator measures. Prints one JSON line per measurement, then a table of medians.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def raise_open_files() -> int:
    """Raise the open-file limit as far as allowed (65536 wanted); return the new limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 65536 if hard == resource.RLIM_INFINITY else min(65536, hard)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def make_exhibition(folder: Path, rooms: int) -> list[str]:
    """Write an exhibition of `rooms` empty rooms named r0, r1, ... and return their slugs."""
    (folder / "gallery.yaml").write_text("title: Presence benchmark\nlanguages: [en]\n")
    slugs = [f"r{i}" for i in range(rooms)]
    for i, slug in enumerate(slugs):
        room = folder / f"{i + 1:02d}-{slug}"
        room.mkdir()
        (room / "room.md").write_text(f"---\ntitle: Room {i}\n---\n")
    return slugs


def free_port() -> int:
    """Return a TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    """Wait until something listens on localhost:`port`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


def process_tree(pid: int) -> list[int]:
    """Return `pid` and its descendants (a server may run under a wrapper)."""
    found = [pid]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) in found:
                found.append(int(entry.name))
    return found


def cpu_and_rss(pids: list[int]) -> tuple[float, int]:
    """Return the CPU seconds used so far and the resident bytes of `pids` together."""
    cpu, rss = 0.0, 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        cpu += (int(fields[11]) + int(fields[12])) / TICKS
        rss += int(fields[21]) * PAGE
    return cpu, rss


class Sampler(threading.Thread):
    """Samples CPU time and memory of a process tree every half second."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pids = process_tree(pid)
        self.samples: list[tuple[float, float, int]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        """Sample until stopped."""
        while not self.stop.is_set():
            cpu, rss = cpu_and_rss(self.pids)
            self.samples.append((time.monotonic(), cpu, rss))
            self.stop.wait(0.5)

    def window(self, start: float, end: float) -> tuple[float, int]:
        """Return CPU use (1.0 = one core) and peak resident bytes between two instants."""
        inside = [s for s in self.samples if start <= s[0] <= end] or self.samples[-2:]
        (t0, c0, _), (t1, c1, _) = inside[0], inside[-1]
        return (c1 - c0) / max(t1 - t0, 1e-9), max(s[2] for s in inside)


def start_server(kind: str, bench: Path, folder: Path, port: int, slugs: list[str]):
    """Start the reference or the gallery server on `port` and wait for it."""
    if kind == "reference":
        cmd = ["node", "ref-server.js", str(port), ",".join(slugs)]
        cwd = bench
    else:
        cmd = [sys.executable, "-m", "gallery", "serve", str(folder), "--port", str(port)]
        cmd.append("--no-reload")
        cwd = ROOT
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_for_port(port)
    return proc, cmd


def measure(kind: str, args: argparse.Namespace, folder: Path, slugs: list[str], n: int):
    """Run the load generator once against a fresh `kind` server; return its figures."""
    port = free_port()
    proc, cmd = start_server(kind, args.bench, folder, port, slugs)
    try:
        time.sleep(1.0)
        sampler = Sampler(proc.pid)
        sampler.start()
        load = [
            "node",
            "loadgen.js",
            f"http://127.0.0.1:{port}",
            str(n),
            ",".join(slugs),
            str(args.seconds),
            str(args.period),
            str(args.ramp),
        ]
        out = subprocess.run(load, cwd=args.bench, capture_output=True, text=True, check=True)
        end = time.monotonic()
        sampler.stop.set()
        sampler.join()
        result = json.loads(out.stdout.strip().splitlines()[-1])
        cpu, rss = sampler.window(end - args.seconds, end)
        if proc.poll() is not None:
            result["crashed"] = proc.stderr.read().decode()[-2000:] if proc.stderr else True
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    result.update(server=kind, cpu=round(cpu, 3), rss_mb=round(rss / 2**20, 1))
    result["server_cmd"], result["load_cmd"] = " ".join(cmd), " ".join(load)
    return result


def median(rows: list[dict], key: str) -> float:
    """Return the median of `key` over `rows`, ignoring missing values."""
    values = [r[key] for r in rows if isinstance(r.get(key), (int, float))]
    return statistics.median(values) if values else float("nan")


def main() -> None:
    """Run every measurement and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bench", type=Path, help="folder holding loadgen.js and ref-server.js")
    parser.add_argument("--clients", default="2000,5000")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--ramp", type=int, default=250)
    parser.add_argument("--period", type=float, default=10)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--rooms", type=int, default=10)
    args = parser.parse_args()
    args.bench = args.bench.resolve()
    print(f"open files limit: {raise_open_files()}", file=sys.stderr)
    results: dict[int, dict[str, list[dict]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        slugs = make_exhibition(folder, args.rooms)
        for n in [int(c) for c in args.clients.split(",")]:
            results[n] = {"reference": [], "gallery": []}
            for run in range(args.runs):
                # Alternate which goes first: the machine may warm up or get busier.
                order = ["reference", "gallery"] if run % 2 == 0 else ["gallery", "reference"]
                for kind in order:
                    result = measure(kind, args, folder, slugs, n)
                    results[n][kind].append(result)
                    print(json.dumps(result), flush=True)
    print_table(results, args)


def print_table(results: dict[int, dict[str, list[dict]]], args: argparse.Namespace) -> None:
    """Print the medians per client count and server, with the ratio to the reference."""
    print(
        f"\nmedians of {args.runs} run(s), {args.seconds} s measured, "
        f"move every {args.period} s on average, {args.rooms} rooms\n"
    )
    print(
        "| visitors | server | connected | failed | disconnects | p50 ms | p99 ms | max ms "
        "| p99 / ref | CPU % | CPU %/1k | RSS MB | RSS MB/1k |"
    )
    print("|---" * 13 + "|")
    for n, by_kind in results.items():
        ref_p99 = median(by_kind["reference"], "p99_ms")
        for kind in ("reference", "gallery"):
            rows = by_kind[kind]
            p99 = median(rows, "p99_ms")
            cpu = 100 * median(rows, "cpu")
            rss = median(rows, "rss_mb")
            print(
                f"| {n} | {kind} | {median(rows, 'connected'):.0f} | {median(rows, 'failed'):.0f} "
                f"| {median(rows, 'disconnects'):.0f} | {median(rows, 'p50_ms'):.0f} "
                f"| {p99:.0f} | {median(rows, 'max_ms'):.0f} | {p99 / ref_p99:.2f} "
                f"| {cpu:.0f} | {cpu * 1000 / n:.1f} | {rss:.0f} | {rss * 1000 / n:.1f} |"
            )


if __name__ == "__main__":
    main()
