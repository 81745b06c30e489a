"""What the app holds for its views and handlers: the loaded exhibition, swapped whole when
room files change, the live presence, the clock and the stage's programme."""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from flask import current_app

from .clock import Clock
from .content import ContentError, Diagnostic, Exhibition, load_exhibition
from .content.lastgood import reload_exhibition
from .hours import State, moments, state_at
from .stage import Programme, StageState, boundaries, phase_key, programme

if TYPE_CHECKING:
    from .presence import Presence
    from .qa import DemoDay

T = TypeVar("T")

# Runs a piece of work and returns its result: inline, or elsewhere while the caller waits.
Offload = Callable[[Callable[[], Any]], Any]


def inline(work: Callable[[], T]) -> T:
    """Run `work` here and now."""
    return work()


@dataclass
class Snapshot:
    """One loaded exhibition with what was computed from it; replaced whole, never reloaded."""

    exhibition: Exhibition
    version: int
    _memo: dict[Hashable, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """Return the value kept under `key`, computing and keeping it the first time.

        Two requests may compute it at once: both get the first value kept.
        """
        try:
            return self._memo[key]
        except KeyError:
            return self._memo.setdefault(key, compute())

    def peek(self, key: Hashable) -> Any | None:
        """Return the value kept under `key`, or None, without computing it."""
        return self._memo.get(key)

    def forget(self, key: Hashable) -> None:
        """Drop the value kept under `key`, so the next `memo` computes it again."""
        self._memo.pop(key, None)

    def kept(self) -> tuple[Hashable, ...]:
        """Return the keys of the values kept so far."""
        return tuple(self._memo)


class Site:
    """Holds the current exhibition snapshot and reloads it atomically."""

    def __init__(self, root: Path, workers: int = 1) -> None:
        """Load the exhibition in `root`, its room folders read by up to `workers` processes."""
        self.root = root
        self._lock = threading.Lock()
        self._stamp: tuple[tuple[str, int, int], ...] = ()
        result = load_exhibition(root, workers=workers)
        if not result.ok:
            raise ContentError(result.diagnostics)
        self.diagnostics: tuple[Diagnostic, ...] = result.diagnostics
        # Slugs of the rooms served in their last good version while their files hold errors.
        self.kept: tuple[str, ...] = ()
        self.snapshot = Snapshot(result.exhibition, 1)
        self._stamp = self._files_stamp()

    @property
    def exhibition(self) -> Exhibition:
        """The exhibition being served."""
        return self.snapshot.exhibition

    def _files_stamp(self) -> tuple[tuple[str, int, int], ...]:
        """Return the path, size and mtime of every file under the root."""
        stamp = []
        for path in sorted(self.root.rglob("*")):
            try:
                info = path.stat()
            except OSError:
                continue
            stamp.append((str(path), info.st_size, info.st_mtime_ns))
        return tuple(stamp)

    def reload_if_changed(self, offload: Offload = inline) -> tuple[Diagnostic, ...] | None:
        """Reload when any file changed; return the diagnostics, or None if unchanged.

        `offload` runs the walk over the files and the loading, e.g. off the event loop.
        """
        stamp = offload(self._files_stamp)
        if stamp == self._stamp:
            return None
        self._stamp = stamp
        return self.reload(offload)

    def reload(self, offload: Offload = inline) -> tuple[Diagnostic, ...]:
        """Load the room files again and swap in what holds: a room whose files hold errors
        keeps its last good version (`content.lastgood`), or the whole exhibition does."""
        previous = self.snapshot.exhibition
        reloaded = offload(lambda: reload_exhibition(self.root, previous))
        with self._lock:
            self.diagnostics = reloaded.diagnostics
            if reloaded.exhibition is not None or reloaded.kept:
                self.kept = reloaded.kept
            if reloaded.exhibition is not None:
                # One assignment: requests see the old or the new snapshot, never a mix.
                self.snapshot = Snapshot(reloaded.exhibition, self.snapshot.version + 1)
        return reloaded.diagnostics


def current_site() -> Site:
    """Return the Site of the current app."""
    return current_app.extensions["gallery.site"]


def current_presence() -> Presence:
    """Return the live presence of the current app (set up by `gallery.sockets.init_app`)."""
    return current_app.extensions["gallery.presence"]


def current_clock() -> Clock:
    """Return the clock of the current app: the one source of "now" (gallery/clock.py)."""
    return current_app.extensions["gallery.clock"]


def current_stage() -> StageState:
    """Return the host's decisions about the programme (sessions live or ended, spotlight)."""
    return current_app.extensions["gallery.stage"]


def current_programme() -> Programme:
    """Return the agenda's sessions past, live and next, now."""
    view = current_stage().view()
    return programme(current_site().exhibition.agenda, view, current_clock().now())


def programme_moments(site: Site) -> tuple[datetime, ...]:
    """Return the agenda's session boundaries and the opening hours, once per content version."""
    snapshot = site.snapshot
    exhibition = snapshot.exhibition
    return snapshot.memo(
        ("stage-boundaries",),
        lambda: tuple(sorted(set(boundaries(exhibition.agenda)) | set(moments(exhibition)))),
    )


def gallery_state(app: Any, now: datetime) -> State:
    """Return the gallery's opening state for `app` at `now`; an archive build reads closed."""
    if app.config.get("ARCHIVE"):
        return "closed"
    return state_at(app.extensions["gallery.site"].exhibition, now)


def current_state() -> State:
    """Return the gallery's opening state now: "before", "open" or "closed"."""
    return gallery_state(current_app, current_clock().now())


def programme_phase(site: Site, stage: StageState, clock: Clock) -> Hashable:
    """Return the key of the programme's current phase: it changes at session boundaries and
    on host decisions only, so pages showing the programme are cached per phase."""
    return phase_key(programme_moments(site), stage.view(), clock.now())


def programme_since(site: Site, stage: StageState, clock: Clock) -> datetime | None:
    """Return when, in real time, the programme's current phase began, or None before any."""
    now = clock.now()
    index = bisect_right(programme_moments(site), now)
    found = [stage.view().changed_at]
    if index:
        # The boundary passed last, on the real clock (a rehearsal clock runs ahead or behind).
        found.append(datetime.now(UTC) - (now - programme_moments(site)[index - 1]))
    moments = [moment.replace(microsecond=0) for moment in found if moment is not None]
    return max(moments) if moments else None


def current_demoday() -> DemoDay:
    """Return the live Demo Day of the current app (set up by `gallery.demoday.init_app`)."""
    return current_app.extensions["gallery.demoday"]
