"""Reads an exhibition folder into an `Exhibition`, collecting every problem."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic
from .model import Exhibition


@dataclass(frozen=True)
class LoadResult:
    """What loading produced: the exhibition (None on errors) and all diagnostics."""

    exhibition: Exhibition | None
    diagnostics: tuple[Diagnostic, ...]
    files: int  # how many room files (YAML and Markdown) were read

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        """The diagnostics of severity error."""
        return tuple(d for d in self.diagnostics if d.severity == "error")

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        """The diagnostics of severity warning."""
        return tuple(d for d in self.diagnostics if d.severity == "warning")

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return self.exhibition is not None and not self.errors


def load_exhibition(root: Path | str, display: str | None = None) -> LoadResult:
    """Load the exhibition in `root`; diagnostics name files under `display` (default: root)."""
    raise NotImplementedError  # TODO(content): implement
