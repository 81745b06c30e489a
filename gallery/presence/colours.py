"""Avatar colours: a palette white initials read well on, handed out so that a room's differ.

Each room keeps how many of its listed visitors wear each colour (`ColourCounts`), so
that choosing one for a visitor costs the same with two visitors or two thousand: a look
at the palette's few counts, never a walk through the room.
"""

from __future__ import annotations

from typing import Any

# Every colour holds white text above 6:1 (WCAG AA asks 4.5:1) and stands above 3:1 on the
# page's paper, so the disc shows as well as its initials. Their names are interface
# strings (`colour1f5f8b`... in the live context of gallery/locale/LANG.po), for the
# visitors who pick one.
PALETTE: tuple[str, ...] = (
    "#1f5f8b",  # blue
    "#8b1e3f",  # burgundy
    "#2e6b30",  # green
    "#6b3fa0",  # purple
    "#9a4a00",  # orange
    "#00676b",  # teal
    "#5c5c12",  # olive
    "#a0286e",  # magenta
    "#3949ab",  # indigo
    "#b3261e",  # red
    "#455a64",  # slate
    "#6d4c41",  # brown
)
_INDEX = {colour: i for i, colour in enumerate(PALETTE)}


def palette_index(value: Any) -> int | None:
    """Return the palette index of a colour a client asked for, None when it is not one."""
    if not isinstance(value, str) or len(value) != 7:
        return None
    return _INDEX.get(value.lower())


class ColourCounts:
    """How many listed visitors of one room wear each colour of the palette."""

    __slots__ = ("counts",)

    def __init__(self) -> None:
        self.counts = [0] * len(PALETTE)

    def choose(self, wish: int | None = None, worn: int | None = None) -> int:
        """Return `wish` if nobody wears it, else `worn` (the colour worn so far) if nobody
        else does, else the least worn colour, the first of the palette among equals."""
        counts = self.counts
        if wish is not None and counts[wish] == 0:
            return wish
        if worn is not None and counts[worn] == 0:
            return worn
        # Two passes in C over a dozen counts: cheaper than one in Python.
        return counts.index(min(counts))

    def add(self, index: int) -> None:
        """Count one more visitor wearing colour `index`."""
        self.counts[index] += 1

    def remove(self, index: int) -> None:
        """Count one visitor fewer wearing colour `index`."""
        self.counts[index] -= 1
