"""Vote writes per second into the records store, at each SQLite sync level and on PostgreSQL.

Not a test. Run from the repository root:

    python benchmarks/records.py [--votes 5000] [--synchronous NORMAL FULL] [--postgres URL]

Each vote is one call of `SqlRecords.vote`, as the `vote` socket handler makes it: one
committed transaction that checks the question, inserts the vote and counts the votes.
The SQLite file lives in a temporary folder on the disk the temporary files are on.
Prints votes per second and the median and 99th percentile time of one call.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from gallery.records import SqlRecords, engine


def measure(url: str, votes: int, questions: int = 20) -> tuple[float, float, float]:
    """Vote `votes` times by distinct voters over `questions` questions; return rate and times."""
    store = SqlRecords(url)
    ids = [
        store.add_question("bench", "host", "Host", f"Question {n}").id for n in range(questions)
    ]
    times = []
    started = time.perf_counter()
    for n in range(votes):
        before = time.perf_counter()
        store.vote(ids[n % questions], f"voter-{n}")
        times.append(time.perf_counter() - before)
    elapsed = time.perf_counter() - started
    store.close()
    times.sort()
    p99 = times[int(len(times) * 0.99)]
    return votes / elapsed, statistics.median(times) * 1e3, p99 * 1e3


def report(what: str, rate: float, median: float, p99: float) -> None:
    """Print one measurement."""
    print(f"{what:<30} {rate:8.0f} votes/s  median {median:.3f} ms  p99 {p99:.3f} ms")


def main() -> None:
    """Run the measurements and print one line each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=5000)
    parser.add_argument("--synchronous", nargs="*", default=["NORMAL", "FULL"])
    parser.add_argument("--postgres", help="a postgresql+psycopg:// URL of an empty database")
    args = parser.parse_args()
    for level in args.synchronous:
        engine.SYNCHRONOUS = level
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            rate, median, p99 = measure(url, args.votes)
        report(f"SQLite WAL synchronous={level}", rate, median, p99)
    if args.postgres:
        rate, median, p99 = measure(args.postgres, args.votes)
        report("PostgreSQL", rate, median, p99)


if __name__ == "__main__":
    main()
