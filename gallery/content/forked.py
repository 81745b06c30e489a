"""Reading room folders in forked processes, with the same result as reading them in order.

A large exhibition's thousands of room files take a second or more to read, most of it
parsing YAML and Markdown, and each room folder reads apart from the others. Workers forked
once gallery.yaml is read (they inherit its languages) each read whole folders into a
context of their own; the parent takes their results in folder order, so the diagnostics,
the names known, the aliases and the links collected come out as a serial load's.
"""

from __future__ import annotations

import io
import multiprocessing
import pickle
import signal
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .context import Context
from .report import Report

if TYPE_CHECKING:
    from .rooms import RoomDraft

Reader = Callable[[Context, Path, str], "RoomDraft | None"]
# Folders each worker must have to pay for its start and for sending its drafts back.
FOLDERS_PER_WORKER = 8
HANDOVERS = 4
_REPORT = "report"
_SHARED: tuple[Context, Reader] | None = None


class Relayed(Exception):
    """An exception a worker met while reading a folder, told to the parent by name."""

    def __init__(self, name: str, text: str) -> None:
        super().__init__(text)
        self.name = name


class _Pickler(pickle.Pickler):
    """Pickles a worker's drafts with its report left out: they point to the parent's."""

    def __init__(self, file: io.BytesIO, report: Report) -> None:
        super().__init__(file, pickle.HIGHEST_PROTOCOL)
        self.report = report

    def persistent_id(self, obj: Any) -> str | None:
        return _REPORT if obj is self.report else None


class _Unpickler(pickle.Unpickler):
    """Unpickles a worker's drafts, their documents reporting to the parent's report."""

    def __init__(self, data: bytes, report: Report) -> None:
        super().__init__(io.BytesIO(data))
        self.report = report

    def persistent_load(self, pid: Any) -> Report:
        if pid != _REPORT:
            raise pickle.UnpicklingError(f"unknown reference {pid!r}")
        return self.report


def read_folders(
    ctx: Context, folders: list[tuple[Path, str]], read: Reader, workers: int
) -> list[RoomDraft | None]:
    """Return `read(ctx, path, slug)` for each folder, in order, read by up to `workers`
    forked processes when there are enough folders, with `ctx` as a serial read leaves it."""
    workers = min(workers, len(folders) // FOLDERS_PER_WORKER)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [read(ctx, path, slug) for path, slug in folders]
    global _SHARED
    _SHARED = (ctx, read)
    pool = start_pool(multiprocessing.get_context("fork"), workers)
    try:
        # A few handovers per worker: each waits for the parent's threads to pass it on.
        chunk = -(-len(folders) // (workers * HANDOVERS))
        drafts = [_merge(ctx, result) for result in pool.imap(_read_forked, folders, chunk)]
        # Inside the `try`: a Ctrl-C while the workers end must stop them all the same.
        pool.close()
        pool.join()
    except BaseException:
        stop_pool(pool)  # stopped (an error, Ctrl-C): the folders left are of no use
        raise
    finally:
        _SHARED = None
    return drafts


def start_pool(context: Any, size: int, then: Callable[[], Any] | None = None, **options: Any):
    """Start `context`'s pool of `size` workers that ignore Ctrl-C, each running `then` first.

    A Ctrl-C reaches every process of the terminal's group at once. A worker that got it
    before its initializer could ignore it died, and the pool's maintenance thread forked a
    replacement that the parent, stopping the pool at that moment, did not know of: left
    waiting for work forever, it held the parent's output open (`gallery build` interrupted
    as its readers started, about one time in five). So SIGINT is blocked while the pool
    starts: the workers, and the pool's threads (which fork any replacement), start with it
    blocked, and each worker ignores it before unblocking it. A Ctrl-C that came meanwhile
    reaches the parent once the pool is up. Every pool of forked workers starts here.
    """
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pool = context.Pool(size, _ignore_interrupts, (then,), **options)
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        raise
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    except BaseException:  # the Ctrl-C held back while the pool started
        stop_pool(pool)
        raise
    return pool


def stop_pool(pool: Any) -> None:
    """Stop `pool`'s workers now (an error, Ctrl-C), with any it forked and lost track of.

    A worker the pool's maintenance thread forked just as the pool was stopped can be left
    waiting for work forever, holding the command's output open; it is one of this
    process's children still: killed here.
    """
    pool.terminate()
    pool.join()
    for child in multiprocessing.active_children():
        if child.name.startswith("ForkPoolWorker"):
            child.kill()
            child.join(5)


def _ignore_interrupts(then: Callable[[], Any] | None) -> None:
    """Ignore Ctrl-C in a worker (its parent stops it), then run `then`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    if then is not None:
        then()


def _read_forked(task: tuple[Path, str]) -> tuple[bytes, bytes]:
    """Read one folder in a worker; return its report, then its draft and what it added."""
    assert _SHARED is not None
    ctx, read = _SHARED
    own = Context(ctx.root, Report(ctx.report.display), ctx.media, ctx.languages, ctx.default)
    failure = None
    try:
        draft = read(own, *task)
    except Exception as exc:  # told to the parent, which stops where a serial load would
        draft, failure = None, (type(exc).__name__, str(exc))
    rest = io.BytesIO()
    _Pickler(rest, own.report).dump(
        (draft, own.files, own.known, own.aliases, own.page_links, failure)
    )
    return pickle.dumps(own.report, pickle.HIGHEST_PROTOCOL), rest.getvalue()


def _merge(ctx: Context, result: tuple[bytes, bytes]) -> RoomDraft | None:
    """Add what a worker read of one folder to `ctx`; return the folder's draft."""
    ctx.report.merge(pickle.loads(result[0]))
    draft, files, known, aliases, links, failure = _Unpickler(result[1], ctx.report).load()
    ctx.files += files
    ctx.known |= known
    ctx.aliases += aliases
    ctx.page_links += links
    if failure is not None:
        raise Relayed(*failure)
    return draft
