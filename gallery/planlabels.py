"""The floor plan's labels: room titles and exhibit names cut to fit under their stands."""

from __future__ import annotations

from .planshapes import ROOM_W, STAND_ROWS


def label_lines(text: str, width: int, lines: int, first: int | None = None) -> list[str]:
    """Cut a label into at most `lines` lines of about `width` characters, the last one ellipsed.

    The first line may be shorter (`first`), beside something drawn in the corner. Words are
    never broken: a longer word stands on a line of its own. Lines are balanced: the
    narrowest width that needs no more lines is used.
    """
    cut = _greedy(text.split(), width, lines, first)
    narrower = width
    while narrower > width // 2:
        tried = _greedy(text.split(), narrower - 1, lines, first)
        if len(tried) > len(cut) or tried[-1].endswith("…"):
            break
        narrower -= 1
        cut = tried
    return cut


def _greedy(words: list[str], width: int, lines: int, first: int | None) -> list[str]:
    """Fill lines with words, each as full as `width` allows (`first` for the first line)."""
    first = min(first, width) if first is not None else None
    cut: list[str] = []
    line = ""
    for word in words:
        room = first if first is not None and not cut else width
        if line and len(line) + 1 + len(word) > room:
            cut.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    cut.append(line)
    if len(cut) > lines:
        cut = cut[:lines]
        cut[-1] = cut[-1][: width - 1].rstrip() + "…"
    return cut


def shorten(text: str, chars: int) -> str:
    """Return `text` on one line of at most `chars` characters, ellipsed when cut."""
    text = " ".join(text.split())
    return text if len(text) <= chars else text[: max(chars - 1, 1)].rstrip() + "…"


def stands_per_row(stands: int) -> int:
    """Return how many of a room's `stands` stand side by side: four a row, and more once
    three rows are full, since a fourth row would reach the room's labels and upper wall."""
    return max(min(stands, 4), -(-stands // STAND_ROWS))


def crowded(stands: int) -> bool:
    """Tell whether a room's `stands` fill three rows: its labels then take one line each
    (the room's title too), so that the rows fit below the title."""
    return stands > 2 * stands_per_row(stands)


def label_line_counts(stands: int) -> tuple[int, int]:
    """Return how many lines a room's title and each of its `stands`' labels may take."""
    return (1, 1) if crowded(stands) else (3, 2)


def stand_chars(stands: int) -> int:
    """Return how many characters of a title fit under one of a room's `stands` stands."""
    return max(int(ROOM_W / stands_per_row(max(stands, 1)) / 6.4) - 1, 4)
