"""Resolving media paths written in room files to files inside the exhibition."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from .schema import did_you_mean

SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass
class Media:
    """The exhibition root, to resolve paths against and keep them inside."""

    root: Path
    resolved_root: Path
    # One load asks about the same paths many times (and hostile files ask a lot).
    _found: dict[tuple[str, str], tuple[str | None, str | None]] = field(default_factory=dict)

    @classmethod
    def at(cls, root: Path) -> Media:
        """Return the media resolver of an exhibition folder."""
        return cls(root, root.resolve())

    def locate(self, base: str, value: str) -> tuple[str | None, str | None]:
        """Resolve `value` from the folder `base` (relative to the root).

        Returns (path relative to the root, None) or (None, problem message).
        """
        key = (base, value)
        if key not in self._found:
            self._found[key] = self._locate(base, value)
        return self._found[key]

    def _locate(self, base: str, value: str) -> tuple[str | None, str | None]:
        """Resolve a path without the cache."""
        if not value.strip():
            return None, "empty file path"
        if value.startswith(("/", "\\")) or SCHEME.match(value):
            return None, f"'{value}' must be a path relative to this file"
        joined = posixpath.normpath(posixpath.join(base, value))
        if joined == ".." or joined.startswith("../"):
            return None, f"path '{value}' leads outside the exhibition folder"
        path = self.root / joined
        try:
            if not path.resolve().is_relative_to(self.resolved_root):
                return None, f"path '{value}' leads outside the exhibition folder"
            if path.is_dir():
                return None, f"'{value}' is a folder, not a file"
            if not path.is_file():
                return None, f"file '{value}' not found{self._hint(path, value)}"
        except (OSError, ValueError, RuntimeError):
            return None, f"file '{value}' not found"
        return joined, None

    @staticmethod
    def _hint(path: Path, value: str) -> str:
        """Suggest a file of the same folder with a close name."""
        try:
            names = [p.name for p in path.parent.iterdir() if not p.name.startswith(".")]
        except OSError:
            return ""
        hint = did_you_mean(path.name, names, cutoff=0.8)
        if not hint:
            return ""
        close = hint[len(" (did you mean '") : -len("'?)")]
        return f" (did you mean '{posixpath.join(posixpath.dirname(value), close)}'?)"
