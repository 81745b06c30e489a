"""What the app holds for its views and handlers: the loaded exhibition, swapped whole when
room files change, and the live presence."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import current_app

from .content import ContentError, Diagnostic, Exhibition, load_exhibition

if TYPE_CHECKING:
    from .presence import Presence


@dataclass
class Snapshot:
    """One loaded exhibition with its own render cache; replaced, never mutated."""

    exhibition: Exhibition
    version: int
    cache: dict[Any, Any] = field(default_factory=dict)


class Site:
    """Holds the current exhibition snapshot and reloads it atomically."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._stamp: tuple[tuple[str, int, int], ...] = ()
        result = load_exhibition(root)
        if not result.ok:
            raise ContentError(result.diagnostics)
        self.diagnostics: tuple[Diagnostic, ...] = result.diagnostics
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

    def reload_if_changed(self) -> tuple[Diagnostic, ...] | None:
        """Reload when any file changed; return the diagnostics, or None if unchanged."""
        stamp = self._files_stamp()
        if stamp == self._stamp:
            return None
        self._stamp = stamp
        return self.reload()

    def reload(self) -> tuple[Diagnostic, ...]:
        """Load the room files again and swap them in if they hold no error."""
        result = load_exhibition(self.root)
        with self._lock:
            self.diagnostics = result.diagnostics
            if result.ok:
                # One assignment: requests see the old or the new snapshot, never a mix.
                self.snapshot = Snapshot(result.exhibition, self.snapshot.version + 1)
        return result.diagnostics


def current_site() -> Site:
    """Return the Site of the current app."""
    return current_app.extensions["gallery.site"]


def current_presence() -> Presence:
    """Return the live presence of the current app (set up by `gallery.sockets.init_app`)."""
    return current_app.extensions["gallery.presence"]
