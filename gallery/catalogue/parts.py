"""How a large catalogue is cut into parts laid out apart, and the page numbers they share.

The front (cover, contents, introduction) is a part of its own; the rooms follow in runs of
about the same number of pages but for the last ones, smaller and smaller, the last run with
the programme. Rooms start on a new page
and no page's style depends on its number, so a part's pages do not depend on where it
starts: only its running numbers and the contents' numbers do. Those are predicted (a room
takes a page for its head and one per exhibit), then checked against the laid-out parts,
and a part laid out with a wrong number is laid out again until every number is right.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from ..content.model import Room

# Contents lines on a page (a room's entry adds a little space), to predict the front's
# length before it is laid out: the parts laid out beside it start after it.
CONTENTS_LINES = 44


@dataclass(frozen=True)
class Part:
    """A run of the catalogue laid out as a document of its own: the front, or consecutive
    rooms (the last run with the programme)."""

    rooms: tuple[Room, ...] = ()
    front: bool = False
    programme: bool = False


@dataclass(frozen=True)
class Laid:
    """What laying a part out gave: its page count, the page (from 0) of each anchor, each
    page's height and bookmarks, and the numbers it was laid out with."""

    pages: int
    anchors: dict[str, int]
    bookmarks: list[tuple[float, list[Any]]]
    start: int
    contents: dict[str, int] = field(default_factory=dict)


def room_pages(room: Room) -> int:
    """Return the pages a room is expected to take: its head, then a page per exhibit."""
    return 1 + len(room.exhibits)


def split(rooms: Sequence[Room], count: int, programme: bool, tapered: int = 0) -> list[Part]:
    """Return the front and `count` runs of `rooms` (fewer when rooms are fewer), in order, of
    about the same number of pages each but for the last `tapered`, smaller and smaller."""
    weights = run_weights(count, tapered)
    ends = list(accumulate(weights))
    total = sum(room_pages(room) for room in rooms) or 1
    runs: list[list[Room]] = [[] for _ in weights]
    before = 0
    for room in rooms:
        middle = (before + room_pages(room) / 2) * ends[-1] / total
        runs[min(len(runs) - 1, bisect_right(ends, middle))].append(room)
        before += room_pages(room)
    parts = [Part(front=True)] + [Part(rooms=tuple(run)) for run in runs if run]
    if len(parts) == 1:
        parts.append(Part())
    parts[-1] = Part(rooms=parts[-1].rooms, programme=programme)
    return parts


def run_weights(count: int, tapered: int) -> list[float]:
    """Return the share of pages of each of `count` runs: the last `tapered` (one per worker)
    make a descending stair (2/3 and 1/3 of a run for two workers).

    Each worker takes the next run as it comes free, so the last runs decide how far apart
    the workers end: with runs of one size, one worker can wait a whole run for the other.
    """
    count = max(1, count)
    tapered = min(tapered, count - 1)
    stair = [(tapered - step) / (tapered + 1) for step in range(tapered)]
    return [1.0] * (count - tapered) + stair


def contents_anchors(parts: Sequence[Part], introduction: bool) -> list[str]:
    """Return the anchors the contents give a page number for, in their order."""
    names = ["introduction"] if introduction else []
    for part in parts:
        for room in part.rooms:
            names.append(f"room-{room.slug}")
            names += [f"exhibit-{room.slug}-{exhibit.slug}" for exhibit in room.exhibits]
        if part.programme:
            names.append("programme")
    return names


def predicted(part: Part, introduction: bool, contents: int) -> tuple[int, dict[str, int]]:
    """Return a part's expected page count and the page (from 0) of each of its anchors;
    `contents` is the number of lines of the contents."""
    if part.front:
        toc = -(-(contents + 2) // CONTENTS_LINES)  # and the heading
        return 1 + toc + introduction, {"introduction": 1 + toc} if introduction else {}
    anchors, page = {}, 0
    for room in part.rooms:
        anchors[f"room-{room.slug}"] = page
        for number, exhibit in enumerate(room.exhibits, start=1):
            anchors[f"exhibit-{room.slug}-{exhibit.slug}"] = page + number
        page += room_pages(room)
    if part.programme:
        anchors["programme"] = page
        page += 1
    return page, anchors


def numbering(
    parts: Sequence[Part], laid: Mapping[int, Laid], introduction: bool
) -> tuple[list[int], dict[str, int]]:
    """Return each part's first page number and the page number of each contents anchor,
    from the parts laid out so far and the predictions for the others."""
    wanted = contents_anchors(parts, introduction)
    starts, numbers, page = [], {}, 1
    for index, part in enumerate(parts):
        starts.append(page)
        done = laid.get(index)
        pages, anchors = (
            (done.pages, done.anchors) if done else predicted(part, introduction, len(wanted))
        )
        for name, at in anchors.items():
            numbers.setdefault(name, page + at)
        page += pages
    return starts, {name: numbers[name] for name in wanted if name in numbers}


def stale(
    parts: Sequence[Part], laid: Mapping[int, Laid], starts: Sequence[int], contents: dict
) -> list[int]:
    """Return the parts to lay out (again): not yet laid out, laid out from a wrong first
    page, or (the front) with wrong numbers in its contents."""
    return [
        index
        for index, part in enumerate(parts)
        if index not in laid
        or laid[index].start != starts[index]
        or (part.front and laid[index].contents != contents)
    ]


def stylesheet(start: int, title: str | None) -> str:
    """Return the CSS that makes a part go on from page `start` under the running `title`
    (which the cover's heading sets in the front)."""
    css = f"@page :first {{ counter-set: page {start}; }}\n" if start != 1 else ""
    if title is not None:
        quoted = title.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ")
        css += f'html {{ string-set: exhibition "{quoted}"; }}\n'
    return css
