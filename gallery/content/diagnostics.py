"""Problems found in room files, reported compiler-style."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one file, at a line and optionally a column (both 1-based)."""

    path: str  # as given to the loader, joined with the file's relative path
    line: int
    column: int | None
    severity: Severity
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}"
        if self.column is not None:
            where += f":{self.column}"
        return f"{where}: {self.severity}: {self.message}"


class ContentError(Exception):
    """Raised when an exhibition cannot be loaded because its files hold errors."""

    def __init__(self, diagnostics: tuple[Diagnostic, ...]) -> None:
        self.diagnostics = diagnostics
        errors = [d for d in diagnostics if d.severity == "error"]
        super().__init__("\n".join(str(d) for d in errors) or "invalid exhibition")


def summary(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic], files: int) -> str:
    """Return the closing line of a check, e.g. "2 errors, 1 warning in 7 files"."""
    errors = sum(1 for d in diagnostics if d.severity == "error")
    warnings = len(diagnostics) - errors

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')} in {plural(files, 'file')}"
