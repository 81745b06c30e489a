"""Jobs run in processes forked by the caller's thread: results in order, errors and Ctrl-C
raised in the parent with every process stopped, nothing left running."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gallery.content import workers as module
from gallery.content.workers import Workers

pytestmark = pytest.mark.skipif(not module.can_fork(), reason="no fork here")


def _pid(job: int) -> tuple[int, int]:
    return job, os.getpid()


def _slow_square(job: int) -> int:
    time.sleep(0.01 * (job % 3))
    return job * job


def _children() -> list[multiprocessing.Process]:
    return [p for p in multiprocessing.active_children() if p.is_alive()]


def test_results_come_in_order_from_at_most_size_processes() -> None:
    with Workers(3, _pid) as workers:
        results = list(workers.map(range(40)))
    assert [job for job, _ in results] == list(range(40))
    pids = {pid for _, pid in results}
    assert os.getpid() not in pids
    assert 1 <= len(pids) <= 3
    assert _children() == []


def test_slow_jobs_do_not_change_the_order() -> None:
    with Workers(2, _slow_square) as workers:
        assert list(workers.map(range(30))) == [n * n for n in range(30)]


def test_a_process_per_job_when_asked() -> None:
    with Workers(2, _pid, per_process=1) as workers:
        keys = workers.start((n, n) for n in range(6))
        done = workers.finish(keys)
    assert sorted(done) == list(range(6))
    assert len({pid for _, pid in done.values()}) == 6
    assert _children() == []


def test_a_size_of_one_runs_in_this_process() -> None:
    with Workers(1, _pid) as workers:
        assert list(workers.map([1, 2])) == [(1, os.getpid()), (2, os.getpid())]
        assert workers.finish(workers.start([("a", 3)])) == {"a": (3, os.getpid())}


def test_setup_runs_in_each_process_first() -> None:
    def work(job: int) -> bool:
        return _SET_UP

    def setup() -> None:
        global _SET_UP
        _SET_UP = True

    with Workers(2, work, setup=setup) as workers:
        assert all(workers.map(range(6)))
    assert not _SET_UP


_SET_UP = False


def _fails_on_five(job: int) -> int:
    if job == 5:
        raise ValueError("five")
    time.sleep(0.05)
    return job


def test_an_error_in_a_job_is_raised_here_and_stops_every_process() -> None:
    with pytest.raises(ValueError, match="five"), Workers(2, _fails_on_five) as workers:
        list(workers.map(range(100)))
    assert _children() == []


def _dies(job: int) -> int:
    os._exit(3)


def test_a_process_that_dies_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="exit code 3"), Workers(2, _dies) as workers:
        list(workers.map(range(4)))
    assert _children() == []


class _Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("not this one")


def _raises_unpicklable(job: int) -> int:
    raise _Unpicklable(f"job {job}")


def test_an_error_that_cannot_be_pickled_is_told_by_its_text() -> None:
    with pytest.raises(RuntimeError, match="job 0"), Workers(2, _raises_unpicklable) as workers:
        list(workers.map([0]))


def _sleeps(job: int) -> int:
    time.sleep(60)
    return job


def test_ctrl_c_in_the_parent_stops_the_processes_at_once() -> None:
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt), Workers(2, _sleeps) as workers:
        keys = workers.start((n, n) for n in range(4))
        assert len(_children()) == 2

        def interrupt() -> None:
            raise KeyboardInterrupt

        workers.finish(keys, interrupt)
    assert _children() == []
    assert time.monotonic() - started < 30


def test_the_processes_ignore_ctrl_c_and_end_with_their_parent(tmp_path: Path) -> None:
    # A Ctrl-C reaches the whole group: the workers leave it to the parent, which stops them.
    pids = tmp_path / "pids"
    script = f"""
import os, signal, sys, time
from gallery.content.workers import Workers

def work(job):
    with open({str(pids)!r}, "a") as file:
        file.write(f"{{os.getpid()}}\\n")
    time.sleep(60)

with Workers(2, work) as workers:
    workers.finish(workers.start((n, n) for n in range(2)))
"""
    child = subprocess.Popen(
        [sys.executable, "-c", script],
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while len(pids.read_text().split() if pids.exists() else []) < 2:
            assert child.poll() is None and time.monotonic() < deadline
            time.sleep(0.01)
        os.killpg(child.pid, signal.SIGINT)
        _, errors = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    assert b"KeyboardInterrupt" in errors
    for pid in map(int, pids.read_text().split()):
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_a_ctrl_c_while_forking_is_raised_once_the_fork_is_done() -> None:
    # One the system delivered just before the block runs Python's handler inside it (in the
    # fork's own handlers, which would drop a KeyboardInterrupt); one that comes in the
    # block waits. Both are raised after it.
    # Python's own handler, whatever the suite inherited: started in the background by a
    # shell, a process ignores SIGINT, and so does what it holds back.
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        reached = False
        with pytest.raises(KeyboardInterrupt), module.interrupts_held():
            signal.getsignal(signal.SIGINT)(signal.SIGINT, None)
            reached = True
        assert reached
        reached = False
        with pytest.raises(KeyboardInterrupt), module.interrupts_held():
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.01)
            reached = True
        assert reached
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, inherited)


def test_a_process_that_ignores_ctrl_c_still_ignores_it_after_a_fork() -> None:
    inherited = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with module.interrupts_held():
            os.kill(os.getpid(), signal.SIGINT)
        assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, inherited)


@pytest.mark.parametrize(("items", "count"), [(10, 3), (9, 3), (2, 5), (1, 1), (0, 4)])
def test_batches_keep_the_order_in_at_most_count_runs_of_one_size(items: int, count: int) -> None:
    runs = module.batches(list(range(items)), count)
    assert [item for run in runs for item in run] == list(range(items))
    assert len(runs) <= count
    assert len({len(run) for run in runs[:-1]}) <= 1
    assert all(0 < len(run) <= len(runs[0]) for run in runs)
