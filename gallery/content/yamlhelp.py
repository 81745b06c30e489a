"""Explaining YAML syntax errors in an organiser's words, never in the parser's alone."""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

# `key: value` at the start of a line (after its indentation and an optional "- ").
KEY_VALUE = re.compile(r"(?P<lead>\s*(?:-\s+)?)(?P<key>[^\s:#'\"][^:#]*?):\s+(?P<value>\S.*)")
BLOCK_TEXT = re.compile(r"(?:^|:|-)\s*[|>][-+0-9]*\s*(?:#.*)?$")
GENERIC_HINT = "check the quotes, brackets, colons and indentation of this line and the one before"


@dataclass(frozen=True)
class Explained:
    """A YAML error as the organiser reads it: where (0-based in the YAML text), what, and how."""

    line: int
    column: int | None
    message: str
    hint: str = ""


def _indent(line: str) -> int:
    """Return how many spaces start a line."""
    return len(line) - len(line.lstrip(" "))


def _content(line: str) -> bool:
    """Tell whether a line holds YAML (not blank, not only a comment)."""
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _quoted(value: str) -> str:
    """Return a value in YAML quotes: double, or single when it holds a double quote."""
    value = value.rstrip()
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


def _block_texts(lines: list[str]) -> set[int]:
    """Return the lines that belong to block texts (after `key: |` or `key: >`)."""
    inside: set[int] = set()
    opener = None  # the indentation of the line that opened the block text
    for index, line in enumerate(lines):
        if opener is not None and (not line.strip() or _indent(line) > opener):
            inside.add(index)
            continue
        opener = _indent(line) if BLOCK_TEXT.search(line) else None
    return inside


def _alignment(lines: list[str], number: int, offset: int) -> Explained | None:
    """Explain a line whose indentation matches no block open above it."""
    if not 0 <= number < len(lines) or not _content(lines[number]):
        return None
    here = _indent(lines[number])
    levels: dict[int, int] = {}  # indentation -> nearest line above that starts a block there
    ceiling = None
    texts = _block_texts(lines[:number])
    for index in range(number - 1, -1, -1):
        line = lines[index]
        if not _content(line) or index in texts:
            continue
        indent = _indent(line)
        if ceiling is not None and indent > ceiling:
            continue  # a block already closed by a shallower line below it
        found = [indent]
        dash = re.match(r"(\s*-\s+)\S", line)
        if dash:
            found.append(len(dash.group(1)))
        for level in found:
            levels.setdefault(level, index)
        ceiling = indent
    if not levels or here in levels:
        return None
    level = min(levels, key=lambda lv: (abs(lv - here), -lv))  # a tie: the deeper block
    target = levels[level]
    word = re.match(r"[^\s:]+", lines[target][level:])
    name = f"'{word.group(0)}'" if word else "the text"
    side = "more" if here > level else "less"
    return Explained(
        number,
        here + 1,
        f"this line is indented {side} than the lines it belongs with",
        f"start it in column {level + 1}, like {name} on line {target + 1 + offset}",
    )


def _unclosed(lines: list[str]) -> tuple[int, int] | None:
    """Return the line and column of the last '[' or '{' left open on its line, if any."""
    found = None
    for row, line in enumerate(lines):
        stack: list[int] = []
        for col, char in enumerate(line):
            if char == "#" and (col == 0 or line[col - 1] == " "):
                break
            if char in "[{":
                stack.append(col)
            elif char in "]}" and stack:
                stack.pop()
        if stack:
            found = (row, stack[0])
    return found


def explain(exc: yaml.MarkedYAMLError, text: str, offset: int) -> Explained:
    """Explain a YAML syntax error; `offset` is the file lines before the YAML text."""
    lines = text.split("\n")
    mark = exc.problem_mark or exc.context_mark
    number = mark.line if mark else 0
    column = mark.column if mark else 0
    line = lines[number] if number < len(lines) else ""
    problem = exc.problem or exc.context or "syntax error"
    context_mark = exc.context_mark

    if "\t" in line[: _indent(line) + 1] or problem.startswith("found character '\\t'"):
        tab = line.find("\t")
        return Explained(
            number,
            (tab if tab >= 0 else column) + 1,
            "YAML indents with spaces, not tabs",
            "replace the tab at the start of this line with spaces",
        )
    if re.match(r"\s*-[^\s-]", line):
        return Explained(
            number,
            _indent(line) + 1,
            "a list item starts with a dash and a space",
            "write '- ' before the item",
        )
    if problem == "mapping values are not allowed here":
        pair = KEY_VALUE.fullmatch(line)
        if pair and column >= pair.end("key") + 1:
            fixed = f"{pair.group('key')}: {_quoted(pair.group('value'))}"
            return Explained(
                number,
                column + 1,
                "a colon followed by a space inside a value makes YAML read a new key",
                f"put the value in quotes: {fixed}",
            )
        aligned = _alignment(lines, number, offset)
        if aligned:
            return aligned
    if problem.startswith("expected <block end>"):
        aligned = _alignment(lines, number, offset)
        if aligned:
            return aligned
        before = line[:column].rstrip()
        if before.endswith(("'", '"')):
            return Explained(
                number,
                column + 1,
                "text follows the closing quote of a value",
                "put the whole value inside the quotes",
            )
    if re.fullmatch(r"expected ',' or '[\]}]', but got .*", problem) and context_mark:
        opened = lines[context_mark.line][context_mark.column]
        closing = "]" if opened == "[" else "}"
        kind = "a list" if opened == "[" else "a map"
        return Explained(
            context_mark.line,
            context_mark.column + 1,
            f"'{opened}' opens {kind} that is not closed with '{closing}'",
            f"add the '{closing}', or put the value in quotes if it is a text",
        )
    if "'<stream end>'" in problem:
        opened = _unclosed(lines)
        if opened:
            row, col = opened
            char = lines[row][col]
            closing = "]" if char == "[" else "}"
            kind = "a list" if char == "[" else "a map"
            return Explained(
                row,
                col + 1,
                f"'{char}' opens {kind} that is not closed with '{closing}'",
                f"add the '{closing}', or put the value in quotes if it is a text",
            )
    if problem == "but found another document":
        return Explained(
            number,
            column + 1,
            "a '---' line starts a second block of YAML here",
            "a file holds one block of YAML: remove this line",
        )
    if problem == "found unexpected end of stream" and context_mark:
        quote = lines[context_mark.line][context_mark.column]
        return Explained(
            context_mark.line,
            context_mark.column + 1,
            f"the quote {quote} that opens this value is never closed",
            f"end the value with {quote}",
        )
    if problem.startswith("found unknown escape character"):
        return Explained(
            number,
            column + 1,
            "a backslash inside double quotes starts an escape YAML does not know",
            "use single quotes around the value, or write the backslash twice",
        )
    start = re.fullmatch(r"found character '(.)' that cannot start any token", problem)
    if start or (
        context_mark and exc.context in ("while scanning an alias", "while scanning an anchor")
    ):
        char = start.group(1) if start else line[context_mark.column]
        return Explained(
            number if start else context_mark.line,
            (column if start else context_mark.column) + 1,
            f"a value cannot start with {char} in YAML",
            "put the value in quotes",
        )
    return Explained(
        number,
        column + 1 if mark else None,
        f"YAML cannot read this line ({problem})",
        GENERIC_HINT,
    )
