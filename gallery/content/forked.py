"""Reading room folders in forked processes, with the same result as reading them in order.

A large exhibition's thousands of room files take a second or more to read, most of it
parsing YAML and Markdown, and each room folder reads apart from the others. Workers forked
once gallery.yaml is read (they inherit its languages) each read whole folders into a
context of their own; the parent takes their results in folder order, so the diagnostics,
the names known, the aliases and the links collected come out as a serial load's.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .context import Context
from .report import Report
from .workers import Workers, batches, can_fork

if TYPE_CHECKING:
    from .rooms import RoomDraft

Reader = Callable[[Context, Path, str], "RoomDraft | None"]
# Folders each worker must have to pay for its start and for sending its drafts back.
FOLDERS_PER_WORKER = 8
HANDOVERS = 4
_REPORT = "report"


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
    if workers < 2 or not can_fork():
        return [read(ctx, path, slug) for path, slug in folders]
    # A few batches per worker: each costs a hand-over, fewer leave a worker idle at the end.
    jobs = batches(folders, workers * HANDOVERS)
    # Stopped on an error or Ctrl-C: the folders left are of no use.
    with Workers(workers, partial(_read_forked, ctx, read)) as pool:
        return [_merge(ctx, result) for results in pool.map(jobs) for result in results]


def _read_forked(
    ctx: Context, read: Reader, batch: Sequence[tuple[Path, str]]
) -> list[tuple[bytes, bytes]]:
    """Read folders in a worker; return for each its report, then its draft and what it added."""
    return [_read_one(ctx, read, path, slug) for path, slug in batch]


def _read_one(ctx: Context, read: Reader, path: Path, slug: str) -> tuple[bytes, bytes]:
    """Read one folder into a context of its own; return its report, then the rest."""
    own = Context(ctx.root, Report(ctx.report.display), ctx.media, ctx.languages, ctx.default)
    failure = None
    try:
        draft = read(own, path, slug)
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
