"""A large catalogue laid out in parts, each in a forked worker, then merged into one PDF.

WeasyPrint lays a document out on one core and holds all its pages until it is written. The
parent loads the exhibition and makes the QR codes, then forks workers that each lay out
and write one part (`parts.py` says which, and from which page number), and the parts are
merged (`merge.py`): one document again, with one contents, outline and structure tree.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..content.model import Room
from ..content.workers import Workers, can_fork
from .links import links_elsewhere
from .parts import Laid, Part, numbering, room_pages, split, stale, stylesheet

# Below this many pages one document is quicker: each part pays about half a second for its
# start (a fresh WeasyPrint, its fonts), and the first round leaves cores idle when the
# parts are small; 200 pages take 10 to 20 s on one core.
PARALLEL_FROM = 200
# Pages a room part should have at least, and at most this many parts per worker after the
# first round: more parts even the workers' loads out at the end and hold less memory each,
# fewer pay less for their start (and for the fonts each embeds).
PART_PAGES = 150
PARTS_PER_WORKER = 3
# Room parts laid out beside the front per other worker, before the front's length is known
# (the others start as soon as it is: its contents, 50 pages at 100 x 20, take a few seconds).
BESIDE_FRONT = 1
# Each round lays out every part laid out from a wrong number; the second always has every
# part's real page count, so a third is rare (the front's length changed with its numbers).
ROUNDS = 5

Progress = Callable[[str, int | None], None]
_FORKED: tuple[Any, Any] | None = None


def workers() -> int:
    """Return how many parts may be laid out at once here: one per core, where `fork` is."""
    if not can_fork():
        return 1
    return os.cpu_count() or 1


def part_count(rooms: Sequence[Room], asked: int | None) -> int:
    """Return the number of room parts to lay out (below 2: one document)."""
    if asked is not None:
        return asked
    cores = workers()
    pages = sum(room_pages(room) for room in rooms)
    if cores < 2 or pages < PARALLEL_FROM:
        return 1
    # Parts beside the front, then rounds of one part per worker, the last round in a stair
    # of smaller parts as large as half a round (`parts.run_weights`).
    rounds = max(1, min(PARTS_PER_WORKER, pages // (cores * PART_PAGES)))
    return min(len(rooms), (cores - 1) * BESIDE_FRONT + cores * rounds + cores // 2)


def held_exhibits(rooms: Sequence[Room], count: int) -> int:
    """Return the most exhibits laid out at once: all of them, or those of the largest
    parts the workers hold together (each holds its own part only)."""
    if count < 2:
        return sum(len(room.exhibits) for room in rooms)
    sizes = sorted(
        sum(len(r.exhibits) for r in p.rooms) for p in split(rooms, count, False, workers())
    )
    return sum(sizes[-min(workers(), count) :])


def write_in_parts(
    source: Any, rooms: Sequence[Room], count: int, out: Path, progress: Progress | None
) -> int:
    """Lay the catalogue out in `count` room parts and a front, merge them into `out`;
    return its page count."""
    from .merge import merge

    exhibition = source.exhibition
    introduction = bool(exhibition.introduction)
    parts = split(rooms, count, bool(source.context["days"]), workers())
    folder = Path(tempfile.mkdtemp(prefix=f".{out.name}.parts-", dir=out.parent))
    files = [folder / f"{index}.pdf" for index in range(len(parts))]
    laid: dict[int, Laid] = {}
    try:
        with _pool(source, min(workers(), len(parts))) as (pool, counter):

            def tick() -> None:
                if progress and counter is not None:
                    progress("Laying out the parts", counter.value)

            def lay_out(indexes: Sequence[int]) -> list[int]:
                starts, contents = numbering(parts, laid, introduction)
                numbers = [contents if part.front else {} for part in parts]
                jobs = [(i, (i, parts[i], starts[i], numbers[i], files[i])) for i in indexes]
                return pool.start(jobs)

            # The front first: every room part's first page number follows it. Beside it, a
            # room part for each other worker, from its predicted length; once it is laid
            # out, all the others, each as a worker comes free.
            first = lay_out(range(min(1 + BESIDE_FRONT * (workers() - 1), len(parts))))
            laid.update(pool.finish(first[:1], tick))
            rest = lay_out(range(len(first), len(parts)))
            laid.update(pool.finish(first[1:] + rest, tick))
            # Then again every part laid out from a wrong number, until none is.
            for _ in range(ROUNDS):
                starts, contents = numbering(parts, laid, introduction)
                todo = stale(parts, laid, starts, contents)
                if not todo:
                    break
                laid.update(pool.finish(lay_out(todo), tick))
            else:
                raise RuntimeError("the catalogue's page numbers did not settle")
        if progress:
            progress("Merging the parts", None)
        partial = out.with_name(f".{out.name}.partial")
        try:
            merge(files, [laid[index] for index in range(len(parts))], partial)
            partial.replace(out)
        finally:
            partial.unlink(missing_ok=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return sum(part.pages for part in laid.values())


Job = tuple[int, Part, int, dict[str, int], Path]


@contextmanager
def _pool(source: Any, size: int) -> Iterator[tuple[Workers[Job, Laid], Any]]:
    """Yield workers that lay parts out, each in a process of its own, and the count of pages
    laid out; on failure or Ctrl-C, stop them."""
    global _FORKED
    # Counted without a lock (a stopped worker could hold it): a count for a progress bar.
    counter = multiprocessing.RawValue("l", 0) if size > 1 and can_fork() else None
    _FORKED = (source, counter)
    try:
        # A process per part, the cycle collector off: it lays out one part and exits, so a
        # collection would only walk its pages.
        with Workers(size, _laid, per_process=1, setup=gc.disable) as pool:
            yield pool, counter
    finally:
        _FORKED = None


def _laid(job: Job) -> Laid:
    """Lay one part out; return what it gave."""
    return _lay_out_part(job)[1]


class _Counted(logging.Handler):
    """Count the pages WeasyPrint lays out, for the parent's progress."""

    def __init__(self, counter: Any) -> None:
        super().__init__()
        self.counter = counter

    def emit(self, record: logging.LogRecord) -> None:
        """Add one to the shared count for each page laid out."""
        if record.getMessage().startswith("Creating layout - Page"):
            self.counter.value += 1


def _lay_out_part(job: Job) -> tuple[int, Laid]:
    """Lay one part out from its first page number, write it as a PDF; say what it gave."""
    from .build import _no_cycle_collection, lay_out, write

    assert _FORKED is not None
    source, counter = _FORKED
    index, part, start, contents, path = job
    logger = logging.getLogger("weasyprint.progress")
    if counter is not None:
        logger.addHandler(_Counted(counter))
        logger.setLevel(logging.INFO)
    css = stylesheet(start, None if part.front else source.title)
    with _no_cycle_collection():
        document = lay_out(source.html(part, contents or None), source.fetch, css)
        anchors: dict[str, int] = {}
        for number, page in enumerate(document.pages):
            for name in page.anchors:
                anchors.setdefault(name, number)
        with links_elsewhere(set(contents)):
            write(document, path)
    marks = [(page.height, list(page.bookmarks)) for page in document.pages]
    return index, Laid(len(document.pages), anchors, marks, start, contents)
