"""Where each room sits on the lobby's floor plan, and which doors to draw."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from .content.model import Exhibition


@dataclass(frozen=True)
class Plan:
    """Grid cells (column, row, 1-based) per room slug, the grid size and the doors."""

    cells: dict[str, tuple[int, int]]
    columns: int
    rows: int
    doors: tuple[tuple[str, str], ...]


def layout(exhibition: Exhibition) -> Plan:
    """Place every room: its `position` when given, else by distance from the entrance."""
    cells: dict[str, tuple[int, int]] = {}
    taken: set[tuple[int, int]] = set()
    placed = [room for room in exhibition.rooms if room.position]
    # Organisers may count from 0 or 1: the plan starts at its top-left room either way.
    min_col = min((room.position[0] for room in placed), default=0)  # type: ignore[index]
    min_row = min((room.position[1] for room in placed), default=0)  # type: ignore[index]
    for room in placed:
        col, row = room.position  # type: ignore[misc]
        cell = (int(col) - min_col + 1, int(row) - min_row + 1)
        if cell not in taken:
            cells[room.slug] = cell
            taken.add(cell)
    depth = _depths(exhibition)
    unreachable = max(depth.values(), default=-1) + 1
    for room in exhibition.rooms:
        if room.slug in cells:
            continue
        col = depth.get(room.slug, unreachable) + 1
        row = 1
        while (col, row) in taken:
            row += 1
        cells[room.slug] = (col, row)
        taken.add((col, row))
    doors = []
    seen: set[frozenset[str]] = set()
    for room in exhibition.rooms:
        for other in room.doors:
            pair = frozenset((room.slug, other))
            if other in cells and pair not in seen and other != room.slug:
                seen.add(pair)
                doors.append((room.slug, other))
    columns = max((c for c, _ in cells.values()), default=1)
    rows = max((r for _, r in cells.values()), default=1)
    return Plan(cells, columns, rows, tuple(doors))


def _depths(exhibition: Exhibition) -> dict[str, int]:
    """Return each room's number of doors from the entrance (breadth-first)."""
    rooms = {room.slug: room for room in exhibition.rooms}
    start = exhibition.entrance if exhibition.entrance in rooms else None
    if start is None and exhibition.rooms:
        start = exhibition.rooms[0].slug
    if start is None:
        return {}
    depth = {start: 0}
    queue = deque([start])
    while queue:
        slug = queue.popleft()
        for other in rooms[slug].doors:
            if other in rooms and other not in depth:
                depth[other] = depth[slug] + 1
                queue.append(other)
    return depth
