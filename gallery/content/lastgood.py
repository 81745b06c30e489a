"""Reloading an exhibition while it is being edited: a room whose files hold errors keeps its
last good version, and the valid changes to every other room are served meanwhile.

The rooms to keep are found from where the errors are: an error in a file of a room folder
(`02-lab/...`) breaks that room only; an error anywhere else (gallery.yaml, a folder that is
not a room) breaks the whole exhibition, which then stays as it was. The exhibition is then
loaded a second time with the broken folders standing in for by their previous rooms (or
left out, for a new room), so that every cross-reference (doors, the agenda's rooms and
exhibits, the entrance) is checked again against what will really be served: when that
second load has errors of its own, the previous exhibition stays whole.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePath

from .diagnostics import Diagnostic
from .loader import NUMBERED, load_exhibition
from .model import Exhibition, Room


@dataclass(frozen=True)
class Reloaded:
    """What a reload gives: what to serve now and what to tell the organiser."""

    # The exhibition to serve from now on, or None to keep serving the previous one as it is.
    exhibition: Exhibition | None
    # Every problem of the files as they are now (the kept rooms' errors included).
    diagnostics: tuple[Diagnostic, ...]
    # Slugs of the rooms served in their previous version because their files hold errors.
    kept: tuple[str, ...] = ()

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        """The diagnostics of severity error."""
        return tuple(d for d in self.diagnostics if d.severity == "error")


def broken_folders(diagnostics: tuple[Diagnostic, ...], display: str) -> set[str] | None:
    """Return the room folders (e.g. "02-lab") holding the errors, or None when an error
    lies outside any room folder; paths are read under `display`, as the loader wrote them."""
    folders: set[str] = set()
    for diagnostic in diagnostics:
        if diagnostic.severity != "error":
            continue
        parts = PurePath(os.path.relpath(diagnostic.path, display or ".")).parts
        if len(parts) < 2 or not NUMBERED.fullmatch(parts[0]):
            return None
        folders.add(parts[0])
    return folders


def reload_exhibition(
    root: Path | str, previous: Exhibition | None, display: str | None = None
) -> Reloaded:
    """Load the exhibition in `root` again; rooms whose files hold errors keep their version
    of `previous`, unless that leaves a reference dangling (then nothing changes)."""
    root = Path(root)
    display = str(root) if display is None else display
    result = load_exhibition(root, display)
    if result.ok:
        return Reloaded(result.exhibition, result.diagnostics)
    folders = broken_folders(result.diagnostics, display)
    if previous is None or not folders:
        return Reloaded(None, result.diagnostics)
    keep: dict[str, Room | None] = {}
    for name in folders:
        found = NUMBERED.fullmatch(name)
        keep[name] = previous.room(found.group(2)) if found else None
    merged = load_exhibition(root, display, keep=keep)
    if not merged.ok:
        return Reloaded(None, result.diagnostics)
    kept = tuple(sorted(room.slug for room in keep.values() if room is not None))
    if merged.exhibition == previous:  # only the broken rooms changed: nothing new to serve
        return Reloaded(None, result.diagnostics, kept)
    return Reloaded(merged.exhibition, result.diagnostics, kept)
