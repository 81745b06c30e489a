"""Drawing diagnostics for people at a terminal: the message, the place, the line, a hint.

The content package gives data (`Diagnostic`); this edge turns it into text, rustc style:

    error: unknown key 'titel' in exhibit
      --> rooms/02-lab/01-lanterns.md:3:1
       |
     3 | titel: Lanterns
       | ^
       = hint: did you mean 'title'?

Colours are added here and dropped by click when the output is not a terminal.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Sequence

import click

from .content import Diagnostic

TAB = "    "
WIDTH = 100  # longer lines are cut around the column
COLOURS = {"error": "red", "warning": "yellow"}


def _printable(text: str) -> list[str]:
    """Return a line as display cells: tabs as spaces, control characters as one mark.

    A room file must not be able to move the cursor or recolour the organiser's terminal.
    """
    cells = []
    for char in text:
        if char == "\t":
            cells.append(TAB)
        elif unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            cells.append("\N{REPLACEMENT CHARACTER}")
        else:
            cells.append(char)
    return cells


def excerpt(source: str, column: int | None) -> tuple[str, str]:
    """Return the line to show and the marker line under it (a caret, or the whole text)."""
    cells = _printable(source.rstrip("\r\n"))
    if column is None:
        start = len(source) - len(source.lstrip())
        before = "".join(cells[:start])
        return "".join(cells), " " * len(before) + "^" * max(len("".join(cells[start:])), 1)
    index = min(column - 1, len(cells))
    first = 0
    if len(cells) > WIDTH:  # keep the column in view
        first = max(0, min(index - WIDTH // 2, len(cells) - WIDTH))
    shown = cells[first : first + WIDTH]
    lead = "…" if first else ""
    tail = "…" if first + WIDTH < len(cells) else ""
    before = lead + "".join(cells[first:index])
    return lead + "".join(shown) + tail, " " * len(before) + "^"


def render(diagnostic: Diagnostic) -> str:
    """Return one diagnostic as a block of lines, coloured for a terminal."""
    colour = COLOURS[diagnostic.severity]
    head = click.style(f"{diagnostic.severity}:", fg=colour, bold=True)
    where = f"{diagnostic.path}:{diagnostic.line}"
    if diagnostic.column is not None:
        where += f":{diagnostic.column}"
    number = str(diagnostic.line)
    gutter = " " * len(number)
    bar = click.style("|", fg="blue")
    lines = [f"{head} {click.style(diagnostic.message, bold=True)}"]
    lines.append(f"{gutter}{click.style('-->', fg='blue')} {where}")
    if diagnostic.source.strip():
        text, marker = excerpt(diagnostic.source, diagnostic.column)
        lines += [
            f"{gutter} {bar}",
            f"{click.style(number, fg='blue')} {bar} {text}",
            f"{gutter} {bar} {click.style(marker, fg=colour, bold=True)}",
        ]
    if diagnostic.hint:
        lines.append(f"{gutter} {click.style('=', fg='blue')} hint: {diagnostic.hint}")
    return "\n".join(lines)


def render_all(diagnostics: Iterable[Diagnostic]) -> str:
    """Return every diagnostic, a blank line after each (empty text when there is none)."""
    return "".join(f"{render(d)}\n\n" for d in diagnostics)


def as_json(diagnostics: Sequence[Diagnostic]) -> str:
    """Return the diagnostics as a JSON list, one object per problem."""
    return json.dumps([d.as_dict() for d in diagnostics], ensure_ascii=False, indent=2)
