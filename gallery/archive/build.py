"""`gallery build`: render every page of an exhibition, with its media, into a folder of files.

The pages are rendered by the app itself, as the gallery reads once closed (`ARCHIVE`: live
parts off) at a moment after its last session, so the programme shows replays; `crawl` follows
their links from each language's pages.

The output is deterministic (the same files give the same bytes) and appears whole or not
at all: it is built in a temporary folder beside the target, then swapped in; the previous
build, renamed aside, is deleted last (by `gallery build`, in the background: `sweep`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ..content import ContentError, Exhibition
from .crawl import BuildError, Built, Crawl, Progress
from .sweep import remove_now

MARKER = ".gallery-archive"
MARKER_TEXT = "A static archive written by `gallery build`; it may be replaced by the next.\n"
# Built after everything: the agenda shows replays, and the gallery reads closed.
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def archive_moment(exhibition: Exhibition) -> datetime:
    """Return the moment an archive is rendered at: after the closing and every session."""
    moments = [m for m in (exhibition.opens, exhibition.closes) if m is not None]
    moments += [session.ends for session in exhibition.agenda]
    return max(moments, default=EPOCH) + timedelta(seconds=1)


def check_output(root: Path, out: Path, force: bool) -> None:
    """Refuse an output folder that is not a previous build (without `force`), or that holds
    the exhibition itself (ever: replacing it would delete the room files)."""
    root, target = root.resolve(), out.resolve()
    if target == root or target in root.parents:
        raise BuildError(f"{out}: the output folder may not hold the exhibition itself")
    if not force and not replaceable(out, MARKER):
        raise BuildError(
            f"{out}: exists and is not a previous build; choose another folder, "
            "or use --force to replace it"
        )


def replaceable(out: Path, marker: str) -> bool:
    """Tell whether a build may write `out`: absent (in a folder that exists), empty, or a
    previous build's (it holds `marker`); refuse a path that is no folder at all."""
    if not out.exists():
        if not out.parent.is_dir():
            raise BuildError(f"{out.parent}: no such directory")
        return True
    if not out.is_dir():
        raise BuildError(f"{out}: exists and is not a directory")
    return (out / marker).is_file() or not any(out.iterdir())


def build_archive(
    root: Path,
    out: Path,
    *,
    force: bool = False,
    data: str | None = None,
    progress: Progress | None = None,
    discard: Callable[[Path], object] = remove_now,
) -> Built:
    """Build the static archive of the exhibition in `root` into `out`, replacing it whole;
    `discard` deletes the previous build once the new one is in its place."""
    check_output(root, out, force)
    app = archive_app(root, data)
    with _staging(out, discard) as staging:
        built = Crawl(app, staging, progress).run()
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    return built


def archive_app(root: Path, data: str | None):
    """Return the app that renders the archive; refuse room files holding errors, as `check`
    reports them (the app's own loading is the only one: large exhibitions take seconds)."""
    from ..app import create_app
    from ..clock import FrozenClock

    clock = FrozenClock(EPOCH)
    config: dict[str, Any] = {
        "ROOMS": str(root),
        "ARCHIVE": True,
        "CLOCK": clock,
        "FRONT_CACHE": False,
        "SECRET_KEY": "archive",
        # Nothing else runs yet: the room folders are read on every core.
        "LOAD_WORKERS": os.cpu_count() or 1,
    }
    if data:
        config["DATA_DIR"] = data
    try:
        app = create_app(config)
    except ContentError as error:
        raise BuildError(error.refusal("nothing was built")) from None
    # Rendered after the last session and the closing: the programme shows its replays.
    clock.set(archive_moment(app.extensions["gallery.site"].exhibition))
    return app


@contextmanager
def _staging(out: Path, discard: Callable[[Path], object]) -> Iterator[Path]:
    """Yield a fresh folder beside `out`; on success it replaces `out` (the previous build,
    renamed aside, goes to `discard`), on failure it goes."""
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        yield staging
        os.chmod(staging, 0o755)  # mkdtemp's 0700 would hide the archive from a web server
        old = None
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            out.rename(old / "previous")
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if old is not None:
        discard(old)
