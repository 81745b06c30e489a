"""Measure the CPU time a visitor's `enter` costs the servers and Redis, without sockets.

Usage: python benchmarks/presence/events.py [--visitors 2000] [--rooms 10] [--events 4000]
       [--concurrency 50] [--snapshot 200] [--runs 3]

One process plays two servers on one fresh `redis-server` (two `RedisStore`s, each with
its `Presence` and chat journal, as `gallery serve --redis` builds them), then one server
alone (a `MemoryStore`). VISITORS visitors enter rooms r0..r(ROOMS-1), half on each
server; then CONCURRENCY greenlets send EVENTS `enter`s in all to random rooms, while
each server drains the store every 0.1 s as its ticker does. Printed per setup and run:
this process's CPU time and Redis's (`INFO cpu`) per event, in microseconds, and on Redis
the calls and time of its busiest commands (`INFO commandstats`). What the sockets cost
(Socket.IO, the acks, `presence` frames) is left out: it is the same in both setups, and
`run.py` measures it.
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import gevent  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from gallery.presence import Broadcaster, Connections, MemoryStore, Presence  # noqa: E402
from gallery.presence.payloads import Enter  # noqa: E402
from gallery.presence.redisclient import connect  # noqa: E402
from gallery.presence.redisstore import RedisStore  # noqa: E402
from gallery.qa import ChatJournal  # noqa: E402
from gallery.records import SqlRecords  # noqa: E402


class Room:
    """A room of the generated exhibition, with no exhibit."""

    def __init__(self, slug: str) -> None:
        self.slug = slug

    def exhibit(self, _slug: str) -> None:
        """Return no exhibit: the benchmark's visitors stand at none."""
        return None


class Exhibition:
    """The rooms `enter` may name."""

    default_language = "en"

    def __init__(self, rooms: int) -> None:
        self.rooms = {f"r{i}": Room(f"r{i}") for i in range(rooms)}

    def room(self, slug: str) -> Room | None:
        """Return the room `slug`, or None."""
        return self.rooms.get(slug)


class Nowhere:
    """A sender that sends nothing: the sockets are not measured here."""

    def room(self, *_args: Any) -> None:
        """Send nothing."""

    def everyone(self, *_args: Any) -> None:
        """Send nothing."""

    def watchers(self, *_args: Any) -> None:
        """Send nothing."""


def start_redis(folder: str) -> tuple[subprocess.Popen, int]:
    """Start a redis-server keeping nothing on disk; return it and its port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen(
        [
            *("redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", folder),
            *("--save", "", "--appendonly", "no"),
        ],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return proc, port
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("redis-server did not start")


def measure(args: argparse.Namespace, on_redis: bool) -> dict[str, Any]:
    """Run one setup; return its CPU time per event and, on Redis, its busiest commands."""
    folder = tempfile.mkdtemp()
    redis_proc = None
    try:
        presences: list[Presence] = []
        if on_redis:
            redis_proc, port = start_redis(folder)
            url = f"redis://127.0.0.1:{port}/0"
        for name in ("one", "two") if on_redis else ("one",):
            if on_redis:
                store: Any = RedisStore(connect(url), name, history=50)
                store.beat(8.0)
            else:
                store = MemoryStore(history=50)
            presence = Presence(
                store, Broadcaster(store, Nowhere(), list), Connections(), snapshot=args.snapshot
            )
            records = SqlRecords(f"sqlite:///{folder}/{name}.sqlite3")
            presence.chat_log = ChatJournal(records, shared=store if on_redis else None)
            presences.append(presence)
        exhibition, rng = Exhibition(args.rooms), random.Random(1)
        visitors = []
        for i in range(args.visitors):
            presence = presences[i % len(presences)]
            connection = presence.connect(f"sid{i}", f"address{i}")
            enter = Enter(f"r{rng.randrange(args.rooms)}", None, f"Visitor {i}", False)
            presence.enter(connection, enter, exhibition)
            visitors.append((presence, connection))
        for presence in presences:
            presence.store.drain()
        admin = connect(url) if on_redis else None
        if admin is not None:
            admin.config_resetstat()
            info = admin.info("cpu")
            redis_before = info["used_cpu_user"] + info["used_cpu_sys"]

        def visitor_events(seed: int) -> None:
            """Send this greenlet's share of the events."""
            own = random.Random(seed)
            for _ in range(args.events // args.concurrency):
                presence, connection = visitors[own.randrange(len(visitors))]
                room = f"r{own.randrange(args.rooms)}"
                presence.enter(connection, Enter(room, None, "", False), exhibition)

        def ticker() -> None:
            """Drain every server's store every 0.1 s, as `Broadcaster.run` does."""
            while True:
                gevent.sleep(0.1)
                for presence in presences:
                    presence.store.drain()

        events = args.concurrency * (args.events // args.concurrency)
        started = time.process_time()
        ticking = gevent.spawn(ticker)
        gevent.joinall([gevent.spawn(visitor_events, seed) for seed in range(args.concurrency)])
        ticking.kill()
        result = {"server_us": 1e6 * (time.process_time() - started) / events}
        if admin is not None:
            info = admin.info("cpu")
            redis_cpu = info["used_cpu_user"] + info["used_cpu_sys"] - redis_before
            result["redis_us"] = 1e6 * redis_cpu / events
            stats = sorted(admin.info("commandstats").items(), key=lambda kv: -kv[1]["usec"])
            result["commands"] = {
                name.removeprefix("cmdstat_"): (value["calls"], value["usec_per_call"])
                for name, value in stats[:6]
            }
        return result
    finally:
        if redis_proc is not None:
            redis_proc.terminate()
            redis_proc.wait()
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    """Measure both setups `--runs` times, alternating, and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visitors", type=int, default=2000)
    parser.add_argument("--rooms", type=int, default=10)
    parser.add_argument("--events", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--snapshot", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    totals: dict[str, list[float]] = {"one server": [], "two servers on Redis": []}
    for run in range(args.runs):
        for on_redis in (run % 2 == 0, run % 2 == 1):
            result = measure(args, on_redis)
            setup = "two servers on Redis" if on_redis else "one server"
            totals[setup].append(result["server_us"] + result.get("redis_us", 0.0))
            print(setup, {k: v if k == "commands" else round(v) for k, v in result.items()})
    one = statistics.median(totals["one server"])
    shared = statistics.median(totals["two servers on Redis"])
    print(f"median CPU per enter: one server {one:.0f} us, two servers on Redis {shared:.0f} us")


if __name__ == "__main__":
    main()
