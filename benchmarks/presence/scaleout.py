"""Benchmark presence on two servers sharing Redis against one server alone, same load.

Usage: python benchmarks/presence/scaleout.py BENCH_DIR [--clients 2000,4000] [--seconds 30]
       [--ramp 250] [--period 10] [--runs 3]

BENCH_DIR holds loadgen.js with its node_modules (npm install there). For every client
count and run, two load generators of CLIENTS/2 visitors each run at once: against one
`gallery serve` alone, then against two `gallery serve --redis` sharing a fresh
`redis-server` (one load generator per server). CPU time and resident memory of every
server process (and of Redis) are sampled while they measure. A latency sample is the
time from a visitor's `enter` until another visitor of the same load generator in that
room hears of it; on Redis every such `presence` goes through Redis (the change is
written there, and each server reads every server's changes from it on its tick).
Prints one JSON line per measurement, then a table of medians.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# The sibling script, not a package.
from run import (
    ROOT,
    Sampler,
    free_port,
    make_exhibition,
    raise_open_files,
    wait_for_port,
)


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
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port(port)
    return proc, port


def measure(setup: str, args: argparse.Namespace, folder: Path, slugs: list[str], n: int):
    """Run two load generators at once against `setup`; return the combined figures."""
    procs: list[subprocess.Popen] = []
    ports: list[int] = []
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        try:
            if setup == "one server":
                proc, port = start_gallery(folder, data, None)
                procs.append(proc)
                ports = [port, port]
            else:
                redis, url = start_redis(data)
                procs.append(redis)
                for _ in range(2):
                    proc, port = start_gallery(folder, data, url)
                    procs.append(proc)
                    ports.append(port)
            time.sleep(1.0)
            samplers = [Sampler(proc.pid) for proc in procs]
            for sampler in samplers:
                sampler.start()
            loads = [
                subprocess.Popen(
                    [
                        *("node", "loadgen.js", f"http://127.0.0.1:{port}", str(n // 2)),
                        *(",".join(slugs), str(args.seconds), str(args.period), str(args.ramp)),
                    ],
                    cwd=args.bench,
                    stdout=subprocess.PIPE,
                    text=True,
                )
                for port in ports
            ]
            outs = [json.loads(load.communicate()[0].strip().splitlines()[-1]) for load in loads]
            end = time.monotonic()
            cpu = rss = 0.0
            for sampler in samplers:
                sampler.stop.set()
                sampler.join()
                used, peak = sampler.window(end - args.seconds, end)
                cpu, rss = cpu + used, rss + peak
        finally:
            for proc in procs:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
    return {
        "setup": setup,
        "clients": n,
        "connected": sum(o["connected"] for o in outs),
        "failed": sum(o["failed"] for o in outs),
        "disconnects": sum(o.get("disconnects", 0) for o in outs),
        # None when a load generator took no sample (nobody heard of anyone).
        "p50_ms": statistics.mean(o["p50_ms"] or float("nan") for o in outs),
        "p99_ms": max(o["p99_ms"] or float("nan") for o in outs),
        "max_ms": max(o["max_ms"] or float("nan") for o in outs),
        "cpu": round(cpu, 3),
        "rss_mb": round(rss / 2**20, 1),
        "loads": outs,
    }


def median(rows: list[dict], key: str) -> float:
    """Return the median of `key` over `rows`."""
    return statistics.median(r[key] for r in rows)


def main() -> None:
    """Run every measurement and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bench", type=Path, help="folder holding loadgen.js")
    parser.add_argument("--clients", default="2000,4000")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--ramp", type=int, default=250)
    parser.add_argument("--period", type=float, default=10)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--rooms", type=int, default=10)
    args = parser.parse_args()
    args.bench = args.bench.resolve()
    print(f"open files limit: {raise_open_files()}", file=sys.stderr)
    setups = ("one server", "two servers on Redis")
    results: dict[int, dict[str, list[dict]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        slugs = make_exhibition(folder, args.rooms)
        for n in [int(c) for c in args.clients.split(",")]:
            results[n] = {setup: [] for setup in setups}
            for run in range(args.runs):
                # Alternate which goes first: the machine may warm up or get busier.
                for setup in setups if run % 2 == 0 else setups[::-1]:
                    result = measure(setup, args, folder, slugs, n)
                    results[n][setup].append(result)
                    print(json.dumps(result), flush=True)
    print(f"\nmedians of {args.runs} run(s), {args.seconds} s measured, {args.rooms} rooms\n")
    print("| visitors | setup | failed | p50 ms | p99 ms | max ms | p99 / one | CPU % | RSS MB |")
    print("|---" * 9 + "|")
    for n, by_setup in results.items():
        alone = median(by_setup["one server"], "p99_ms")
        for setup, rows in by_setup.items():
            p99 = median(rows, "p99_ms")
            print(
                f"| {n} | {setup} | {median(rows, 'failed'):.0f} | {median(rows, 'p50_ms'):.0f} "
                f"| {p99:.0f} | {median(rows, 'max_ms'):.0f} | {p99 / alone:.2f} "
                f"| {100 * median(rows, 'cpu'):.0f} | {median(rows, 'rss_mb'):.0f} |"
            )


if __name__ == "__main__":
    main()
