"""Live Q&A under load: how long a vote takes to reach every visitor of the stage room.

Not a test. Run from the repository root:

    python benchmarks/qa.py [--visitors 2000] [--questions 20] [--votes 300] [--seconds 30]
                            [--procs 4] [--observers 200]

It starts `gallery serve` (gevent, one process) on a generated exhibition with a stage room
holding one agenda session, its SQLite database in a temporary data folder. `--questions`
are asked, then `--procs` worker processes (gevent) connect `--visitors` raw WebSocket
clients, each with its own token, all entering the stage. Then `--votes` votes a second are
sent for `--seconds`, each by a visitor who has not voted for that question yet. Every
client reads every frame; `--observers` of them also decode each `questions` event and note
when they first saw each count of each question.

Printed: one JSON line, then a summary.
- vote → everyone: for each acknowledged vote (count N of question Q, acked at t), the time
  from t until the last observer saw Q with N votes or more; p50/p99/max over the votes;
- database writes a second: acknowledged votes (each one commit);
- presence alongside: a visitor in another room moves between two exhibits every 0.5 s and
  another one there measures how long each `presence` event takes to arrive (p50/p99);
- lost votes: acknowledged votes missing from /api/sessions/<id>/questions.json afterwards.
Times come from CLOCK_MONOTONIC, shared by every process of the machine.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import resource
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SESSION = "talk"


def make_exhibition(folder: Path) -> None:
    """Write an exhibition with a hall of two exhibits and a stage holding one session."""
    (folder / "gallery.yaml").write_text(
        "title: Q&A benchmark\nlanguages: [en]\nagenda:\n"
        f"  - id: {SESSION}\n    title: Talk\n    starts: 2030-01-01T10:00:00+00:00\n"
        "    ends: 2030-01-01T11:00:00+00:00\n    room: stage\n"
    )
    hall = folder / "01-hall"
    hall.mkdir()
    (hall / "room.md").write_text("---\ntitle: Hall\n---\n")
    for number, slug in enumerate(("a", "b"), start=1):
        (hall / f"0{number}-{slug}.md").write_text(f"---\ntitle: Exhibit {slug}\n---\n")
    stage = folder / "02-stage"
    stage.mkdir()
    (stage / "room.md").write_text("---\ntitle: Stage\nkind: stage\n---\n")


def free_port() -> int:
    """Return a TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, timeout: float = 30.0) -> None:
    """Return once `url` answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(url)


def percentile(values: list[float], p: float) -> float | None:
    """Return the p-th percentile (0-100) of `values` by nearest rank, in ms; None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
    return round(ordered[rank] * 1000, 1)


def worker(
    index: int,
    args: argparse.Namespace,
    port: int,
    numbers: list[int],
    questions: list[int],
    start: Any,
    folder: str,
) -> None:
    """Run one share of the visitors; write its acked votes and observations to `folder`.

    Files, not queues: a multiprocessing queue's feeder thread deadlocks under gevent.
    """
    from gevent import monkey

    monkey.patch_all()
    import gevent
    import orjson
    from gevent.event import AsyncResult

    sys.path.insert(0, str(ROOT))
    from tests.wsclient import RawClient

    class Visitor(RawClient):
        """A raw client reading in its own greenlet; observers note the counts they see."""

        def __init__(self, number: int, observer: bool, auth: dict[str, str]) -> None:
            self.observer = observer
            self.steps: dict[int, list[tuple[int, float]]] = {}
            self.waiting: dict[int, AsyncResult] = {}
            self.presence: list[float] = []
            super().__init__(port, auth=auth)

        def read(self) -> None:
            while True:
                try:
                    text = self.text()
                except (ConnectionError, OSError):
                    return
                now = time.monotonic()
                if text.startswith("43"):
                    end = text.index("[")
                    waiting = self.waiting.pop(int(text[2:end]), None)
                    if waiting is not None:
                        waiting.set((now, orjson.loads(text[end:])[0]))
                elif self.observer and text.startswith('42["questions"'):
                    for item in orjson.loads(text[2:])[1]["items"]:
                        steps = self.steps.setdefault(item["id"], [])
                        if not steps or item["votes"] > steps[-1][0]:
                            steps.append((item["votes"], now))
                elif text.startswith('42["presence"'):
                    self.presence.append(now)

        def call(self, event: str, data: Any) -> tuple[float, Any]:
            waiting = AsyncResult()
            self.waiting[self.next_ack + 1] = waiting
            self.emit(event, data)
            return waiting.get(timeout=30)

    per_worker = max(1, args.observers // args.procs)
    step = max(1, len(numbers) // per_worker)
    visitors = [
        Visitor(n, i % step == 0, {"token": f"benchmark-visitor-{n:06d}"})
        for i, n in enumerate(numbers)
    ]
    for visitor in visitors:
        visitor.sock.settimeout(None)
        gevent.spawn(visitor.read)
    gevent.joinall([gevent.spawn(v.call, "enter", {"room": "stage"}) for v in visitors])
    mover = watcher = None
    if index == 0:
        mover = Visitor(-1, False, {"token": "benchmark-mover-000000"})
        watcher = Visitor(-2, False, {"token": "benchmark-watcher-0000"})
        for probe in (mover, watcher):
            probe.sock.settimeout(None)
            gevent.spawn(probe.read)
        watcher.call("enter", {"room": "hall"})
        mover.call("enter", {"room": "hall", "exhibit": "a"})
    (Path(folder) / f"ready-{index}").write_text(str(len(visitors)))
    while start.value == 0:
        gevent.sleep(0.05)
    begin, end = start.value, start.value + args.seconds

    unused = [(v, q) for v in range(len(visitors)) for q in questions]
    random.Random(index).shuffle(unused)
    acked: list[tuple[int, int, float]] = []
    rate = args.votes / args.procs

    def vote(visitor: Visitor, question: int) -> None:
        at, ack = visitor.call("vote", {"question": question})
        if ack.get("ok"):
            acked.append((question, ack["votes"], at))

    def voter() -> None:
        sent = 0
        while unused:
            due = begin + sent / rate
            now = time.monotonic()
            if now >= end:
                return
            if due > now:
                gevent.sleep(due - now)
            v, q = unused.pop()
            gevent.spawn(vote, visitors[v], q)
            sent += 1

    moves: list[tuple[float, int]] = []

    def move() -> None:
        exhibit = "a"
        while time.monotonic() < end:
            gevent.sleep(0.5)
            exhibit = "b" if exhibit == "a" else "a"
            watcher.presence.clear()
            sent = time.monotonic()
            mover.call("enter", {"room": "hall", "exhibit": exhibit})
            deadline = sent + 5
            while not watcher.presence and time.monotonic() < deadline:
                gevent.sleep(0.001)
            if watcher.presence:
                moves.append((watcher.presence[0] - sent, 1))

    tasks = [gevent.spawn(voter)] + ([gevent.spawn(move)] if mover else [])
    gevent.joinall(tasks)
    gevent.sleep(2)  # the last votes' broadcasts
    # For each question and count n: when the last of this worker's observers saw >= n.
    last_seen: dict[int, list[float]] = {}
    for visitor in visitors:
        if not visitor.observer:
            continue
        for question, steps in visitor.steps.items():
            seen = last_seen.setdefault(question, [])
            previous = 0
            for count, at in steps:
                while len(seen) <= count:
                    seen.append(0.0)
                for n in range(previous + 1, count + 1):
                    seen[n] = max(seen[n], at)
                previous = count
    report = json.dumps(
        {
            "acked": acked,
            "last_seen": last_seen,
            "observers": sum(v.observer for v in visitors),
            "presence": [latency for latency, _ in moves],
        }
    )
    (Path(folder) / f"result-{index}.part").write_text(report)
    (Path(folder) / f"result-{index}.part").rename(Path(folder) / f"result-{index}.json")
    for visitor in visitors:
        visitor.close()


def collect(folder: Path, pattern: str, count: int, timeout: float) -> list[str]:
    """Wait until `count` files match `pattern` in `folder`; return their contents."""
    deadline = time.monotonic() + timeout
    while True:
        found = sorted(folder.glob(pattern))
        if len(found) >= count:
            return [path.read_text() for path in found]
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(found)} of {count} workers reported")
        time.sleep(0.1)


def main() -> None:
    """Run the benchmark once and print its measurements."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--visitors", type=int, default=2000)
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--votes", type=float, default=300)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--procs", type=int, default=4)
    parser.add_argument("--observers", type=int, default=200)
    args = parser.parse_args()
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    sys.path.insert(0, str(ROOT))
    from tests.wsclient import RawClient

    with tempfile.TemporaryDirectory() as tmp:
        rooms = Path(tmp) / "rooms"
        rooms.mkdir()
        make_exhibition(rooms)
        port = free_port()
        env = {"GALLERY_DATA_DIR": str(Path(tmp) / "data"), "GALLERY_SECRET_KEY": "benchmark"}
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gallery",
                "serve",
                str(rooms),
                "--port",
                str(port),
                "--no-reload",
            ],
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
        )
        try:
            wait_for(f"http://127.0.0.1:{port}/healthz")
            asker = RawClient(port)
            questions = []
            for n in range(args.questions):
                ack = asker.ack(asker.emit("ask", {"session": SESSION, "text": f"Question {n}?"}))
                questions.append(ack["id"])
            asker.close()
            # Spawned, not forked: gevent patches each worker from a clean interpreter.
            context = multiprocessing.get_context("spawn")
            start = context.Value("d", 0.0)
            reports_dir = Path(tmp) / "reports"
            reports_dir.mkdir()
            shares = [list(range(i, args.visitors, args.procs)) for i in range(args.procs)]
            workers = [
                context.Process(
                    target=worker,
                    args=(i, args, port, share, questions, start, str(reports_dir)),
                )
                for i, share in enumerate(shares)
            ]
            for process in workers:
                process.start()
            connected = sum(map(int, collect(reports_dir, "ready-*", len(workers), 300)))
            print(f"{connected} visitors in the stage; voting", file=sys.stderr)
            start.value = time.monotonic() + 0.5
            reports = [
                json.loads(text)
                for text in collect(reports_dir, "result-*.json", len(workers), args.seconds + 300)
            ]
            for process in workers:
                process.join(timeout=30)
            url = f"http://127.0.0.1:{port}/api/sessions/{SESSION}/questions.json"
            with urllib.request.urlopen(url, timeout=30) as response:
                stored = {q["id"]: q["votes"] for q in json.load(response)["items"]}
        finally:
            server.terminate()
            server.wait(timeout=30)

    last_seen: dict[int, list[float]] = {}
    for report in reports:
        for question, seen in report["last_seen"].items():
            merged = last_seen.setdefault(int(question), [])
            merged.extend([0.0] * (len(seen) - len(merged)))
            for n, at in enumerate(seen):
                merged[n] = max(merged[n], at)
    acked = [vote for report in reports for vote in report["acked"]]
    latencies, unseen = [], 0
    for question, count, at in acked:
        seen = last_seen.get(question, [])
        if count < len(seen) and seen[count]:
            latencies.append(max(0.0, seen[count] - at))
        else:
            unseen += 1
    per_question: dict[int, int] = {}
    for question, _count, _at in acked:
        per_question[question] = per_question.get(question, 0) + 1
    lost = sum(max(0, n - stored.get(q, 0)) for q, n in per_question.items())
    presence = [latency for report in reports for latency in report["presence"]]
    result = {
        "visitors": connected,
        "observers": sum(report["observers"] for report in reports),
        "questions": args.questions,
        "votes_per_second_asked": args.votes,
        "seconds": args.seconds,
        "votes_acked": len(acked),
        "db_writes_per_second": round(len(acked) / args.seconds, 1),
        "vote_to_everyone_ms": {
            "p50": percentile(latencies, 50),
            "p99": percentile(latencies, 99),
            "max": percentile(latencies, 100),
        },
        "votes_never_seen_by_all_observers": unseen,
        "acked_votes_lost": lost,
        "presence_ms": {
            "p50": percentile(presence, 50),
            "p99": percentile(presence, 99),
            "samples": len(presence),
        },
    }
    print(json.dumps(result))
    print(
        f"{connected} visitors, {len(acked)} votes acked ({result['db_writes_per_second']}/s): "
        f"vote→everyone p50 {result['vote_to_everyone_ms']['p50']} ms, "
        f"p99 {result['vote_to_everyone_ms']['p99']} ms; presence p50 "
        f"{result['presence_ms']['p50']} ms, p99 {result['presence_ms']['p99']} ms; "
        f"lost {lost}"
    )


if __name__ == "__main__":
    main()
