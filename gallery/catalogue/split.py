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
import signal
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..content.model import Room
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
# Room parts laid out beside the front per other worker, before the front's length is known:
# at 100 x 20 the front (50 pages, a long contents) takes about as much CPU as two parts.
BESIDE_FRONT = 2
# Each round lays out every part laid out from a wrong number; the second always has every
# part's real page count, so a third is rare (the front's length changed with its numbers).
ROUNDS = 5

Progress = Callable[[str, int | None], None]
_FORKED: tuple[Any, Any] | None = None


def workers() -> int:
    """Return how many parts may be laid out at once here: one per core, where `fork` is."""
    if "fork" not in multiprocessing.get_all_start_methods():
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
    # Parts beside the front, then rounds of one part per worker.
    rounds = max(1, min(PARTS_PER_WORKER, pages // (cores * PART_PAGES)))
    return min(len(rooms), (cores - 1) * BESIDE_FRONT + cores * rounds)


def held_exhibits(rooms: Sequence[Room], count: int) -> int:
    """Return the most exhibits laid out at once: all of them, or those of the largest
    parts the workers hold together (each holds its own part only)."""
    if count < 2:
        return sum(len(room.exhibits) for room in rooms)
    sizes = sorted(sum(len(r.exhibits) for r in p.rooms) for p in split(rooms, count, False))
    return sum(sizes[-min(workers(), count) :])


def write_in_parts(
    source: Any, rooms: Sequence[Room], count: int, out: Path, progress: Progress | None
) -> int:
    """Lay the catalogue out in `count` room parts and a front, merge them into `out`;
    return its page count."""
    from .merge import merge

    exhibition = source.exhibition
    introduction = bool(exhibition.introduction)
    parts = split(rooms, count, bool(source.context["days"]))
    folder = Path(tempfile.mkdtemp(prefix=f".{out.name}.parts-", dir=out.parent))
    files = [folder / f"{index}.pdf" for index in range(len(parts))]
    laid: dict[int, Laid] = {}
    try:
        with _pool(source, min(workers(), len(parts))) as (start, finish):

            def lay_out(indexes: Sequence[int]) -> list[Any]:
                starts, contents = numbering(parts, laid, introduction)
                numbers = [contents if part.front else {} for part in parts]
                return start([(i, parts[i], starts[i], numbers[i], files[i]) for i in indexes])

            # The front first: every room part's first page number follows it. Beside it, two
            # room parts for each other worker, from its predicted length (the front costs
            # about as much as two parts); once it is laid out, all the others.
            first = lay_out(range(min(1 + BESIDE_FRONT * (workers() - 1), len(parts))))
            laid.update(finish(first[:1], progress))
            rest = lay_out(range(len(first), len(parts)))
            laid.update(finish(first[1:] + rest, progress))
            # Then again every part laid out from a wrong number, until none is.
            for _ in range(ROUNDS):
                starts, contents = numbering(parts, laid, introduction)
                todo = stale(parts, laid, starts, contents)
                if not todo:
                    break
                laid.update(finish(lay_out(todo), progress))
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


class _Finished:
    """A part laid out in the parent itself (where there is no `fork`), as a pool's result."""

    def __init__(self, value: tuple[int, Laid]) -> None:
        self.value = value

    def ready(self) -> bool:
        """Say that it is done."""
        return True

    def get(self) -> tuple[int, Laid]:
        """Return what laying the part out gave."""
        return self.value


@contextmanager
def _pool(source: Any, size: int) -> Iterator[tuple[Callable, Callable]]:
    """Yield two functions: one starts laying jobs out in forked workers, the other waits
    for some started jobs and returns what each gave."""
    global _FORKED
    context = multiprocessing.get_context("fork") if size > 1 else None
    counter = context.Value("l", 0) if context else None
    _FORKED = (source, counter)
    pool = None

    def start(jobs: list[Job]) -> list[Any]:
        if pool is None:
            return [_Finished(_lay_out_part(job)) for job in jobs]
        return [pool.apply_async(_lay_out_part, (job,)) for job in jobs]

    def finish(started: list[Any], progress: Progress | None) -> dict[int, Laid]:
        for result in started:
            while not result.ready():
                result.wait(0.5)
                if progress:
                    progress("Laying out the parts", counter.value)
        return dict(result.get() for result in started)

    try:
        if context is not None:
            # Ctrl-C held back while the pool starts: arriving while the parent forks, it
            # would be lost in the fork's handlers. The pool's threads keep it blocked, so
            # the workers they fork later start with it blocked too, until they ignore it.
            held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
            try:
                pool = context.Pool(size, _quiet_worker, maxtasksperchild=1)
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, held)
        yield start, finish
    except BaseException:
        # Stopped or failed: the parts left are of no use (and Ctrl-C reaches the parent
        # alone, the workers ignore it).
        if pool is not None:
            pool.terminate()
            pool.join()
        raise
    else:
        if pool is not None:
            pool.close()
            pool.join()
    finally:
        _FORKED = None


def _quiet_worker() -> None:
    """Leave Ctrl-C to the parent, and the cycle collector off: a worker lays out one part
    and exits, so a collection would only walk its pages."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    gc.disable()


class _Counted(logging.Handler):
    """Count the pages WeasyPrint lays out, for the parent's progress."""

    def __init__(self, counter: Any) -> None:
        super().__init__()
        self.counter = counter

    def emit(self, record: logging.LogRecord) -> None:
        """Add one to the shared count for each page laid out."""
        if record.getMessage().startswith("Creating layout - Page"):
            with self.counter.get_lock():
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
        with _links_elsewhere(set(contents)):
            write(document, path)
    marks = [(page.height, list(page.bookmarks)) for page in document.pages]
    return index, Laid(len(document.pages), anchors, marks, start, contents)


@contextmanager
def _links_elsewhere(names: set[str]) -> Iterator[None]:
    """Keep the links to `names` that WeasyPrint would drop as leading nowhere: they lead
    to other parts, by name, and the merged PDF names them all."""
    import weasyprint.pdf as pdf

    if not names:
        yield
        return
    resolve = pdf.resolve_links

    def resolve_links(pages: list[Any]) -> Iterator[tuple[list, list]]:
        here = {name for page in pages for name in page.anchors}
        for page, (links, anchors) in zip(pages, resolve(pages), strict=True):
            elsewhere = [
                link
                for link in page.links
                if link[0] == "internal" and link[1] in names and link[1] not in here
            ]
            yield links + elsewhere, anchors

    pdf.resolve_links = resolve_links
    logger = logging.getLogger("weasyprint")
    quiet = _NotMissing(names)
    logger.addFilter(quiet)
    try:
        yield
    finally:
        pdf.resolve_links = resolve
        logger.removeFilter(quiet)


class _NotMissing(logging.Filter):
    """Hide WeasyPrint's error about links to anchors that are in other parts."""

    def __init__(self, names: set[str]) -> None:
        super().__init__()
        self.names = names

    def filter(self, record: logging.LogRecord) -> bool:
        """Let every record through but those about the anchors named."""
        missing = record.msg == "No anchor #%s for internal URI reference"
        return not (missing and record.args[0] in self.names)
