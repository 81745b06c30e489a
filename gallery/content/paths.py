"""Resolving media paths written in room files to files inside the exhibition."""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass, field
from glob import escape
from pathlib import Path
from typing import NamedTuple

import imagesize

from .mediatypes import is_image
from .model import MediaFile
from .schema import did_you_mean

SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
ROOT_HINT = "paths in gallery.yaml start from the exhibition folder"
CASE_HINT = "capitals count in file names"


class Problem(NamedTuple):
    """Why a path cannot be used, and what to do about it."""

    message: str
    hint: str = ""


def file_version(path: Path) -> str | None:
    """Return a short version of a file that changes when the file does, or None if missing.

    From its size and modification time, as web servers make ETags: reading every video
    on each reload to hash it would cost seconds.
    """
    try:
        info = path.stat()
    except OSError:
        return None
    stamp = f"{info.st_size}:{info.st_mtime_ns}".encode()
    return hashlib.blake2b(stamp, digest_size=6).hexdigest()


def describe(path: Path) -> MediaFile:
    """Return the version of a media file and, for an image, its size read from its header."""
    width = height = None
    if is_image(path):
        try:
            found = imagesize.get(str(path))
        except (OSError, ValueError):
            found = (-1, -1)
        # imagesize answers -1 for a format or a header it cannot read (an SVG in ems, say).
        if found[0] > 0 and found[1] > 0:
            width, height = int(found[0]), int(found[1])
    return MediaFile(file_version(path), width, height)


@dataclass
class Media:
    """The exhibition root, to resolve paths against and keep them inside."""

    root: Path
    resolved_root: Path
    # One load asks about the same paths many times (and hostile files ask a lot).
    _found: dict[tuple[str, str], tuple[str | None, Problem | None]] = field(default_factory=dict)

    @classmethod
    def at(cls, root: Path) -> Media:
        """Return the media resolver of an exhibition folder."""
        return cls(root, root.resolve())

    def locate(self, base: str, value: str) -> tuple[str | None, Problem | None]:
        """Resolve `value` from the folder `base` (relative to the root).

        Returns (path relative to the root, None) or (None, the problem).
        """
        key = (base, value)
        if key not in self._found:
            self._found[key] = self._locate(base, value)
        return self._found[key]

    def version(self, rel: str) -> str | None:
        """Return the version of the file `rel` (relative to the root) names, for its URL."""
        return file_version(self.root / rel)

    def describe(self, rels: frozenset[str]) -> dict[str, MediaFile]:
        """Return the version and size of each file in `rels` (relative to the root)."""
        return {rel: describe(self.root / rel) for rel in sorted(rels)}

    def _locate(self, base: str, value: str) -> tuple[str | None, Problem | None]:
        """Resolve a path without the cache."""
        if not value.strip():
            return None, Problem("empty file path")
        if value.startswith(("/", "\\")) or SCHEME.match(value):
            return None, Problem(f"'{value}' must be a path relative to this file")
        joined = posixpath.normpath(posixpath.join(base, value))
        outside = Problem(f"path '{value}' leads outside the exhibition folder")
        if joined == ".." or joined.startswith("../"):
            return None, outside
        path = self.root / joined
        try:
            if not path.resolve().is_relative_to(self.resolved_root):
                return None, outside
            if path.is_dir():
                return None, Problem(f"'{value}' is a folder, not a file")
            names = self._names(path.parent)
            if not path.is_file() or path.name not in names:  # a case-blind disk finds 'A.png'
                hint = self._hint(path, value, names) or self._elsewhere(base, path.name)
                return None, Problem(f"file '{value}' not found", hint)
        except (OSError, ValueError, RuntimeError):
            return None, Problem(f"file '{value}' not found")
        return joined, None

    @staticmethod
    def _names(folder: Path) -> list[str]:
        """Return the visible names of a folder, none if it cannot be read."""
        try:
            return [p.name for p in folder.iterdir() if not p.name.startswith(".")]
        except OSError:
            return []

    def _elsewhere(self, base: str, name: str) -> str:
        """Suggest a file of that name in another room folder, as a path from `base`."""
        try:
            found = sorted(
                p.relative_to(self.root).as_posix()
                for p in self.root.glob(f"*/{escape(name)}")
                if not p.parent.name.startswith(".") and p.is_file()
            )
        except (OSError, ValueError):
            return ""
        if not found:
            return ""
        shown = posixpath.relpath(found[0], base or ".")
        if base:
            return f"did you mean '{shown}'?"
        return f"did you mean '{shown}'? {ROOT_HINT}"

    @staticmethod
    def _hint(path: Path, value: str, names: list[str]) -> str:
        """Suggest a file of the same folder: the same name in other case or extension, or close."""
        wanted = path.name.lower()
        stem = posixpath.splitext(wanted)[0]
        same = [n for n in names if n.lower() == wanted]
        other = [n for n in names if posixpath.splitext(n.lower())[0] == stem]
        close = same or other
        if not close:
            hint = did_you_mean(path.name, names, cutoff=0.8)
            close = [hint[len("did you mean '") : -len("'?")]] if hint else []
        if not close:
            return ""
        shown = posixpath.join(posixpath.dirname(value), close[0])
        return f"did you mean '{shown}'? {CASE_HINT}" if same else f"did you mean '{shown}'?"
