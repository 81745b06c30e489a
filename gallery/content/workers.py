"""Jobs run in processes forked by the calling thread, at most a few at once, each job's
result sent back through the pipe of the process that ran it; an error or Ctrl-C stops them all.

Every command that works on several cores forks here (`gallery build`'s readers of the room
folders and renderers of pages, `gallery catalogue`'s parts and QR codes; `gallery serve`
forks its migration child with `interrupts_held`). Not through multiprocessing's pools: their
threads fork replacement workers and hand tasks over a shared queue. A process forked while
another thread holds a lock can wait for it forever, a worker stopped while reading its next
task leaves the queue's lock taken, and a Ctrl-C reaching the whole process group while a
pool's thread forked a worker left that worker unknown to the parent, waiting forever with the
command's output open. Here only the caller's thread forks, with Ctrl-C held back meanwhile,
and it knows every process it forked: `stop` kills them all.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")

# prctl(2): the signal a process gets when the thread that forked it ends.
PR_SET_PDEATHSIG = 1


def batches(items: Sequence[Job], count: int) -> list[Sequence[Job]]:
    """Split `items` into at most `count` runs of one size (the last may be shorter), in order:
    jobs of a few items each, since every job costs a hand-over through a pipe."""
    size = max(1, -(-len(items) // count))
    return [items[start : start + size] for start in range(0, len(items), size)]


def can_fork() -> bool:
    """Tell whether this system forks processes (where it does not, jobs run in this one)."""
    return "fork" in multiprocessing.get_all_start_methods()


class Workers(Generic[Job, Result]):
    """`work` run on jobs in processes forked by this thread, at most `size` at once, each
    running up to `per_process` jobs (None: as many as come), `setup` first; with a `size`
    below 2 or without `fork`, in this process. Use it in a `with`: leaving it on an error or
    Ctrl-C stops every process at once, leaving it normally ends them once idle.
    """

    def __init__(
        self,
        size: int,
        work: Callable[[Job], Result],
        *,
        per_process: int | None = None,
        setup: Callable[[], object] | None = None,
    ) -> None:
        self.size = size
        self.work = work
        self.per_process = per_process
        self.setup = setup
        self.fork = multiprocessing.get_context("fork") if size > 1 and can_fork() else None
        self.queued: deque[tuple[Hashable, Job]] = deque()
        self.processes: dict[Connection, Any] = {}
        self.jobs_run: dict[Connection, int] = {}
        self.idle: list[Connection] = []
        self.busy: dict[Connection, Hashable] = {}
        self.done: dict[Hashable, Result] = {}

    def __enter__(self) -> Workers[Job, Result]:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if kind is not None:
            self.stop()
            return
        try:
            self.close()
        except BaseException:  # a Ctrl-C while they end stops them all the same
            self.stop()
            raise

    def start(self, jobs: Iterable[tuple[Hashable, Job]]) -> list[Hashable]:
        """Queue jobs, each under a key of its own; return their keys."""
        keys = []
        for key, job in jobs:
            keys.append(key)
            self.done.pop(key, None)
            if self.fork is None:
                self.done[key] = self.work(job)
            else:
                self.queued.append((key, job))
        self._fill()
        return keys

    def finish(
        self, keys: Iterable[Hashable], tick: Callable[[], object] | None = None
    ) -> dict[Hashable, Result]:
        """Wait for the jobs `keys` to be done and return their results (each once), calling
        `tick` at least every half second meanwhile; raise the error a job raised."""
        wanted = list(keys)
        while not self.done.keys() >= set(wanted):
            self._receive(0.5)
            if tick is not None:
                tick()
        return {key: self.done.pop(key) for key in wanted}

    def map(self, jobs: Iterable[Job]) -> Iterator[Result]:
        """Yield the result of each job, in their order, as soon as it and those before are done."""
        if self.fork is None:
            yield from map(self.work, jobs)
            return
        keys = self.start((object(), job) for job in jobs)
        for key in keys:
            while key not in self.done:
                self._receive(None)
            yield self.done.pop(key)

    def close(self) -> None:
        """Wait for the queued jobs to be done, then end every process."""
        self.finish([key for key, _ in self.queued] + list(self.busy.values()))
        for connection in list(self.processes):
            self._end(connection)

    def stop(self) -> None:
        """Kill every process now, whatever it does: the jobs left are of no use."""
        # Not cut short by another Ctrl-C: it comes once they are all gone.
        with interrupts_held():
            self.queued.clear()
            for process in self.processes.values():
                process.kill()
            for connection in list(self.processes):
                self._end(connection)

    def _fill(self) -> None:
        """Hand queued jobs to idle processes, forking new ones while fewer than `size` run."""
        while self.queued and (self.idle or len(self.processes) < self.size):
            connection = self.idle.pop() if self.idle else self._fork()
            key, job = self.queued.popleft()
            self.busy[connection] = key
            connection.send(job)

    def _fork(self) -> Connection:
        """Fork one process that runs the jobs sent through its pipe; return the pipe."""
        assert self.fork is not None
        mine, theirs = self.fork.Pipe()
        # Ctrl-C held back while this thread forks: it would be lost in the fork's handlers,
        # or reach a process not yet known here. The process starts with it blocked, until it
        # ignores it; one that came meanwhile is raised here once the process is known.
        try:
            with interrupts_held():
                process = self.fork.Process(
                    target=_serve, args=(self, theirs, [mine, *self.processes], os.getpid())
                )
                process.daemon = True
                process.start()
                self.processes[mine] = process
                self.jobs_run[mine] = 0
        except BaseException:
            if mine not in self.processes:
                mine.close()
            raise
        finally:
            theirs.close()
        return mine

    def _receive(self, timeout: float | None) -> None:
        """Take the results of the jobs done within `timeout` seconds, handing out the next."""
        for connection in wait(list(self.busy), timeout):
            key = self.busy.pop(connection)
            try:
                ok, outcome = connection.recv()
            except EOFError:
                process = self.processes[connection]
                self._end(connection)
                raise RuntimeError(f"a worker died (exit code {process.exitcode})") from None
            self.jobs_run[connection] += 1
            if self.jobs_run[connection] == self.per_process:
                self._end(connection)
            else:
                self.idle.append(connection)
            if not ok:
                raise outcome
            self.done[key] = outcome
        self._fill()

    def _end(self, connection: Connection) -> None:
        """Close a process's pipe (it ends when it reads no more jobs) and wait for it."""
        connection.close()
        # Forgotten once ended only: a Ctrl-C meanwhile leaves it to `stop`.
        self.processes[connection].join()
        del self.processes[connection]
        self.jobs_run.pop(connection, None)
        self.busy.pop(connection, None)
        if connection in self.idle:
            self.idle.remove(connection)


@contextmanager
def interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C back in the block, and raise it once the block is done.

    Blocked, SIGINT waits in the system. One it delivered just before still runs Python's
    handler at the next instruction, possibly in the handlers `os.fork` runs after forking,
    which print its KeyboardInterrupt and drop it (the build then went on to the end): in the
    block, the handler only notes it.
    """
    previous = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or previous is None:
        yield  # handlers are the main thread's, and one set outside Python stays
        return
    noted: list[int] = []
    signal.signal(signal.SIGINT, lambda number, _frame: noted.append(number))
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        signal.signal(signal.SIGINT, previous)
    if noted and callable(previous):
        previous(signal.SIGINT, None)


def leave_interrupts_to_parent() -> None:
    """In a process forked with Ctrl-C held (`interrupts_held`), ignore Ctrl-C from now on:
    it is the parent's to handle, by stopping its processes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _serve(
    workers: Workers[Any, Any], connection: Connection, inherited: list[Connection], parent: int
) -> None:
    """Run the jobs read from `connection` in a forked process, sending back each one's
    result or the error it raised, until the parent closes the pipe."""
    # The parent's ends of the pipes, this one's and its siblings': held open here, they
    # would keep a process from seeing its parent close its pipe.
    for end in inherited:
        end.close()
    leave_interrupts_to_parent()
    # Should the parent be killed, the system ends its workers too.
    with suppress(OSError, AttributeError):  # not Linux: the parent's stop is all there is
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent ended before the line above
        os._exit(1)
    if workers.setup is not None:
        workers.setup()
    work, per_process, run = workers.work, workers.per_process, 0
    while per_process is None or run < per_process:
        try:
            job = connection.recv()
        except EOFError:
            break
        try:
            reply = (True, work(job))
        except BaseException as error:  # sent to the parent, which raises it
            reply = (False, error)
        try:
            connection.send(reply)
        except Exception:  # an error that cannot be pickled
            connection.send((False, RuntimeError(repr(reply[1]))))
        run += 1
    connection.close()
