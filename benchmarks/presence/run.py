"""Benchmark live presence: the Node reference, one gallery server, two on Redis, same load.

Usage: python benchmarks/presence/run.py BENCH_DIR [--clients 1000,2000,5000,10000]
       [--setups reference,one server,two servers on Redis] [--loadgens 2]
       [--seconds 30] [--ramp 250] [--period 10] [--runs 3]

BENCH_DIR holds loadgen.js and ref-server.js with their node_modules (npm install
there). For every visitor count and run, each setup is started fresh on a generated
10-room exhibition (rooms r0..r9): the reference server; one `gallery serve`; two
`gallery serve --redis` sharing a fresh `redis-server`. LOADGENS load generators (two
by default) then open the visitors at once, each its share, on one server (the
servers taken in turn), while the setup's processes (Redis included) are sampled for
CPU time and resident memory. Load generators and servers share the machine's cores,
unpinned. A latency sample is the time from a visitor's `enter` until another visitor
of the same load generator in that room hears of it. Prints one JSON line per
measurement, then a table of medians with the ratios to the reference and to one
server alone.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REFERENCE, ONE, REDIS = "reference", "one server", "two servers on Redis"
SETUPS = (REFERENCE, ONE, REDIS)
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


def start_redis(folder: Path) -> tuple[subprocess.Popen, str]:
    """Start a redis-server keeping nothing on disk; return it and its URL."""
    port = free_port()
    program = shutil.which("redis-server") or "/usr/bin/redis-server"
    proc = subprocess.Popen(
        [
            *(program, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder)),
            *("--save", "", "--appendonly", "no"),
        ],
        stdout=subprocess.DEVNULL,
    )
    wait_for_port(port)
    return proc, f"redis://127.0.0.1:{port}/0"


def start_gallery(folder: Path, data: Path, redis: str | None) -> tuple[subprocess.Popen, int]:
    """Start `gallery serve` on a free port, on Redis when `redis` is given."""
    port = free_port()
    cmd = [sys.executable, "-m", "gallery", "serve", str(folder), "--port", str(port)]
    cmd += ["--no-reload", "--data", str(data)]
    if redis:
        cmd += ["--redis", redis]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_for_port(port)
    return proc, port


def start_reference(bench: Path, slugs: list[str]) -> tuple[subprocess.Popen, int]:
    """Start the Node reference server on a free port."""
    port = free_port()
    cmd = ["node", "ref-server.js", str(port), ",".join(slugs)]
    proc = subprocess.Popen(cmd, cwd=bench, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_for_port(port)
    return proc, port


def start_setup(setup: str, bench: Path, folder: Path, data: Path, slugs: list[str]):
    """Start what `setup` names; return the processes to sample and the ports to load."""
    if setup == REFERENCE:
        proc, port = start_reference(bench, slugs)
        return [proc], [port]
    if setup == ONE:
        proc, port = start_gallery(folder, data, None)
        return [proc], [port]
    redis, url = start_redis(data)
    procs, ports = [redis], []
    try:
        for _ in range(2):
            proc, port = start_gallery(folder, data, url)
            procs.append(proc)
            ports.append(port)
    except BaseException:
        for proc in procs:  # a server that never listened leaves nothing running
            proc.kill()
            proc.wait()
        raise
    return procs, ports


def measure(setup: str, args: argparse.Namespace, folder: Path, slugs: list[str], n: int):
    """Load a fresh `setup` with `args.loadgens` load generators at once; return its figures.

    Each load generator opens its share of the `n` visitors on one server, taking the
    servers in turn; every setup gets the same load generators, so only the server differs.
    """
    procs: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            procs, ports = start_setup(setup, args.bench, folder, Path(tmp), slugs)
            time.sleep(1.0)
            samplers = [Sampler(proc.pid) for proc in procs]
            for sampler in samplers:
                sampler.start()
            shares = [n // args.loadgens + (i < n % args.loadgens) for i in range(args.loadgens)]
            loads = [
                [
                    *("node", "loadgen.js", f"http://127.0.0.1:{ports[i % len(ports)]}"),
                    *(str(share), ",".join(slugs), str(args.seconds), str(args.period)),
                    str(max(1, args.ramp // args.loadgens)),
                ]
                for i, share in enumerate(shares)
            ]
            running = [
                subprocess.Popen(load, cwd=args.bench, stdout=subprocess.PIPE, text=True)
                for load in loads
            ]
            outs = [json.loads(run.communicate()[0].strip().splitlines()[-1]) for run in running]
            end = time.monotonic()
            cpu = rss = 0.0
            each: list[float] = []  # per process of the setup, in its order (Redis first)
            for sampler in samplers:
                sampler.stop.set()
                sampler.join()
                used, peak = sampler.window(end - args.seconds, end)
                cpu, rss = cpu + used, rss + peak
                each.append(used)
            crashed = [p.args for p in procs if p.poll() is not None]
        finally:
            for proc in procs:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
    moves = sum(o.get("moves_per_s", 0) for o in outs)
    result = {
        "setup": setup,
        "clients": n,
        "connected": sum(o["connected"] for o in outs),
        "failed": sum(o["failed"] for o in outs),
        "disconnects": sum(o.get("disconnects", 0) for o in outs),
        "acks_bad": sum(o.get("acksBad", 0) for o in outs),
        # None when a load generator took no sample (nobody heard of anyone).
        "p50_ms": statistics.mean(o["p50_ms"] or float("nan") for o in outs),
        "p99_ms": max(o["p99_ms"] or float("nan") for o in outs),
        "max_ms": max(o["max_ms"] or float("nan") for o in outs),
        "cpu": round(cpu, 3),
        # CPU time of each process (on Redis: Redis, then the servers) per move sent, in µs.
        "cpu_us_per_move": [round(1e6 * used / moves) if moves else None for used in each],
        "rss_mb": round(rss / 2**20, 1),
        "load_cmds": [" ".join(load) for load in loads],
        "loads": outs,
    }
    if crashed:
        result["crashed"] = crashed
    return result


def median(rows: list[dict], key: str) -> float:
    """Return the median of `key` over `rows`, ignoring missing values."""
    values = [r[key] for r in rows if isinstance(r.get(key), (int, float))]
    return statistics.median(values) if values else float("nan")


def main() -> None:
    """Run every measurement and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bench", type=Path, help="folder holding loadgen.js and ref-server.js")
    parser.add_argument("--clients", default="1000,2000,5000,10000")
    parser.add_argument("--setups", default=",".join(SETUPS), help="which of: " + ", ".join(SETUPS))
    parser.add_argument("--loadgens", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--ramp", type=int, default=250)
    parser.add_argument("--period", type=float, default=10)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--rooms", type=int, default=10)
    args = parser.parse_args()
    args.bench = args.bench.resolve()
    setups = [setup for setup in SETUPS if setup in args.setups.split(",")]
    print(f"open files limit: {raise_open_files()}", file=sys.stderr)
    results: dict[int, dict[str, list[dict]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        slugs = make_exhibition(folder, args.rooms)
        for n in [int(c) for c in args.clients.split(",")]:
            results[n] = {setup: [] for setup in setups}
            for run in range(args.runs):
                # Turn the order each run: the machine may warm up or get busier.
                shift = run % len(setups)
                for setup in setups[shift:] + setups[:shift]:
                    result = measure(setup, args, folder, slugs, n)
                    results[n][setup].append(result)
                    print(json.dumps(result), flush=True)
    print_table(results, args)


def print_table(results: dict[int, dict[str, list[dict]]], args: argparse.Namespace) -> None:
    """Print the medians per visitor count and setup, with ratios to the reference and to one
    gallery server alone."""
    print(
        f"\nmedians of {args.runs} run(s), {args.seconds} s measured, {args.loadgens} load "
        f"generators, a move every {args.period} s on average, {args.rooms} rooms\n"
    )
    print(
        "| visitors | setup | connected | failed | p50 ms | p99 ms | max ms | p99 / ref "
        "| p99 / one | CPU % | RSS MB | RSS / ref |"
    )
    print("|---" * 12 + "|")
    for n, by_setup in results.items():
        ref_p99 = median(by_setup.get(REFERENCE, []), "p99_ms")
        ref_rss = median(by_setup.get(REFERENCE, []), "rss_mb")
        one_p99 = median(by_setup.get(ONE, []), "p99_ms")
        for setup, rows in by_setup.items():
            p99, rss = median(rows, "p99_ms"), median(rows, "rss_mb")
            print(
                f"| {n} | {setup} | {median(rows, 'connected'):.0f} "
                f"| {median(rows, 'failed'):.0f} | {median(rows, 'p50_ms'):.0f} | {p99:.0f} "
                f"| {median(rows, 'max_ms'):.0f} | {p99 / ref_p99:.2f} | {p99 / one_p99:.2f} "
                f"| {100 * median(rows, 'cpu'):.0f} | {rss:.0f} | {rss / ref_rss:.2f} |"
            )


if __name__ == "__main__":
    main()
