"""Collecting diagnostics while reading room files, each tied to a file and a line."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace

from yaml.error import Mark

try:  # libyaml's parser gives marks of its own class, with the same line and column
    from yaml._yaml import Mark as CMark

    MARKS: tuple[type, ...] = (Mark, CMark)
except ImportError:
    MARKS = (Mark,)
from yaml.nodes import Node, ScalarNode

from .diagnostics import Diagnostic, Severity

Where = Node | Mark | int | tuple[int, int] | None  # a tuple: a file line and column
MAX_PER_FILE = 100
COMMENT_HINT = "a # starts a comment in YAML: put the value in quotes"


class Report:
    """Gathers every diagnostic of one load, for files named under a display root."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.items: list[Diagnostic] = []
        self.total = 0  # every diagnostic asked for, kept or not
        self._per_file: dict[str, int] = {}
        self._lines: dict[str, list[str]] = {}  # displayed path -> the file's lines

    def _path(self, rel: str) -> str:
        """Return the displayed path of the file `rel`."""
        return os.path.join(self.display, rel) if rel else self.display

    def remember(self, rel: str, text: str) -> None:
        """Keep the text of the file `rel`, to show the line each diagnostic points at."""
        self._lines[self._path(rel)] = text.splitlines()

    def line(self, rel: str, number: int) -> str:
        """Return line `number` (1-based) of the file `rel` as read, or ""."""
        lines = self._lines.get(self._path(rel), [])
        return lines[number - 1] if 0 < number <= len(lines) else ""

    def add(
        self,
        rel: str,
        line: int,
        column: int | None,
        severity: Severity,
        message: str,
        hint: str = "",
    ) -> None:
        """Record one diagnostic for the file `rel` (relative to the exhibition root)."""
        self.total += 1
        path = self._path(rel)
        count = self._per_file.get(path, 0) + 1
        self._per_file[path] = count
        if count > MAX_PER_FILE:
            if count == MAX_PER_FILE + 1:  # once, then silence: a broken file can hold thousands
                message = "too many problems in this file; the rest are not reported"
                self.items.append(Diagnostic(path, max(line, 1), None, "error", message))
            return
        self.items.append(Diagnostic(path, max(line, 1), column, severity, message, hint))

    def merge(self, other: Report) -> None:
        """Take in what `other` gathered on other files, as if it had been recorded here."""
        self.items += other.items
        self.total += other.total
        for path, count in other._per_file.items():
            self._per_file[path] = self._per_file.get(path, 0) + count
        self._lines.update(other._lines)

    def has_errors(self) -> bool:
        """Tell whether any error was recorded."""
        return any(d.severity == "error" for d in self.items)

    def sorted(self) -> tuple[Diagnostic, ...]:
        """Return the diagnostics ordered by path, then line and column, with their lines."""
        ordered = sorted(self.items, key=lambda d: (d.path, d.line, d.column or 0))
        return tuple(self._with_source(d) for d in ordered)

    def _with_source(self, diagnostic: Diagnostic) -> Diagnostic:
        """Give a diagnostic the line of its file it points at."""
        lines = self._lines.get(diagnostic.path, [])
        if not 0 < diagnostic.line <= len(lines):
            return diagnostic
        return replace(diagnostic, source=lines[diagnostic.line - 1])


@dataclass
class Doc:
    """One room file being read: where its YAML starts, and where to report problems."""

    report: Report
    rel: str  # path relative to the exhibition root, POSIX separators
    offset: int = 0  # lines of the file before the YAML text (1 for front matter)
    # (map, key) suggested for a misspelt key: its absence from that map is not reported again.
    suggested: set[tuple[int, str]] = field(default_factory=set)

    def position(self, where: Where) -> tuple[int, int | None]:
        """Return the 1-based file line and column of a YAML node, a mark or a file line."""
        if isinstance(where, Node):
            where = where.start_mark
        if isinstance(where, MARKS):
            return where.line + 1 + self.offset, where.column + 1
        if isinstance(where, int):
            return where, None
        if isinstance(where, tuple):
            return where
        return 1, None

    def _hint(self, where: Where, line: int, column: int | None) -> str:
        """Explain a value YAML read as nothing because an unquoted # made it a comment."""
        if not (isinstance(where, ScalarNode) and where.value == "" and not where.style):
            return ""
        if column is None:
            return ""
        rest = self.report.line(self.rel, line)[column - 1 :]
        return COMMENT_HINT if rest.lstrip(" ").startswith("#") else ""

    def find(self, line: int, text: str) -> Where:
        """Return where `text` starts on file line `line`, or the line alone if not there."""
        column = self.report.line(self.rel, line).find(text)
        return (line, column + 1) if text and column >= 0 else line

    def error(self, where: Where, message: str, hint: str = "") -> None:
        """Record an error at `where`, with a hint of what to do."""
        line, column = self.position(where)
        hint = hint or self._hint(where, line, column)
        self.report.add(self.rel, line, column, "error", message, hint)

    def warning(self, where: Where, message: str, hint: str = "") -> None:
        """Record a warning at `where`, with a hint of what to do."""
        line, column = self.position(where)
        hint = hint or self._hint(where, line, column)
        self.report.add(self.rel, line, column, "warning", message, hint)
