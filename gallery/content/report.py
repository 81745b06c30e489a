"""Collecting diagnostics while reading room files, each tied to a file and a line."""

from __future__ import annotations

import os
from dataclasses import dataclass

from yaml.error import Mark
from yaml.nodes import Node

from .diagnostics import Diagnostic, Severity

Where = Node | Mark | int | None
MAX_PER_FILE = 100


class Report:
    """Gathers every diagnostic of one load, for files named under a display root."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.items: list[Diagnostic] = []
        self.total = 0  # every diagnostic asked for, kept or not
        self._per_file: dict[str, int] = {}

    def add(
        self, rel: str, line: int, column: int | None, severity: Severity, message: str
    ) -> None:
        """Record one diagnostic for the file `rel` (relative to the exhibition root)."""
        self.total += 1
        path = os.path.join(self.display, rel) if rel else self.display
        count = self._per_file.get(path, 0) + 1
        self._per_file[path] = count
        if count > MAX_PER_FILE:
            if count == MAX_PER_FILE + 1:  # once, then silence: a broken file can hold thousands
                message = "too many problems in this file; the rest are not reported"
                self.items.append(Diagnostic(path, max(line, 1), None, "error", message))
            return
        self.items.append(Diagnostic(path, max(line, 1), column, severity, message))

    def has_errors(self) -> bool:
        """Tell whether any error was recorded."""
        return any(d.severity == "error" for d in self.items)

    def sorted(self) -> tuple[Diagnostic, ...]:
        """Return the diagnostics ordered by path, then line and column, stable otherwise."""
        return tuple(sorted(self.items, key=lambda d: (d.path, d.line, d.column or 0)))


@dataclass
class Doc:
    """One room file being read: where its YAML starts, and where to report problems."""

    report: Report
    rel: str  # path relative to the exhibition root, POSIX separators
    offset: int = 0  # lines of the file before the YAML text (1 for front matter)

    def position(self, where: Where) -> tuple[int, int | None]:
        """Return the 1-based file line and column of a YAML node, a mark or a file line."""
        if isinstance(where, Node):
            where = where.start_mark
        if isinstance(where, Mark):
            return where.line + 1 + self.offset, where.column + 1
        if isinstance(where, int):
            return where, None
        return 1, None

    def error(self, where: Where, message: str) -> None:
        """Record an error at `where`."""
        line, column = self.position(where)
        self.report.add(self.rel, line, column, "error", message)

    def warning(self, where: Where, message: str) -> None:
        """Record a warning at `where`."""
        line, column = self.position(where)
        self.report.add(self.rel, line, column, "warning", message)
