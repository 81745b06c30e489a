"""Problems found in room files, reported compiler-style."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one file, at a line and optionally a column (both 1-based).

    A data structure, not a rendering: the command line draws it with the offending line and
    a caret, the preview draws it in a browser, editors read it as JSON.
    """

    path: str  # as given to the loader, joined with the file's relative path
    line: int
    column: int | None
    severity: Severity
    message: str  # what is wrong, in the organiser's words
    hint: str = field(default="", compare=False)  # what to do about it, "" when obvious
    source: str = field(default="", compare=False)  # the file's line `line` as written

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}"
        if self.column is not None:
            where += f":{self.column}"
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}: {self.severity}: {self.message}{hint}"

    def as_dict(self) -> dict[str, object]:
        """Return the diagnostic as JSON-ready data: file, line, column, severity, message, hint."""
        return {
            "file": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint or None,
            "source": self.source,
        }


class ContentError(Exception):
    """Raised when an exhibition cannot be loaded because its files hold errors."""

    def __init__(self, diagnostics: tuple[Diagnostic, ...]) -> None:
        self.diagnostics = diagnostics
        errors = [d for d in diagnostics if d.severity == "error"]
        super().__init__("\n".join(str(d) for d in errors) or "invalid exhibition")

    def refusal(self, outcome: str) -> str:
        """Return every diagnostic, one a line, then how many errors led to `outcome`."""
        errors = sum(1 for d in self.diagnostics if d.severity == "error")
        lines = [str(d) for d in self.diagnostics]
        lines.append(f"{errors} error{'s' if errors != 1 else ''}: {outcome}")
        return "\n".join(lines)


def summary(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic], files: int) -> str:
    """Return the closing line of a check, e.g. "2 errors, 1 warning in 7 files"."""
    errors = sum(1 for d in diagnostics if d.severity == "error")
    warnings = len(diagnostics) - errors

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')} in {plural(files, 'file')}"
