"""The order visitors walk the exhibition in: lobby, then room by room along the doors.

A walk is a line of stops: the lobby, then each room followed by its exhibits. The rooms come
in the order that crosses the fewest walls: from the entrance, each next room is behind a door
of the one before whenever the building allows it, preferring doors in room order; a room that
no door of the walk so far leads to is entered last, as a jump. The arrow keys and the pagers
of the pages follow this line, so → past a room's last exhibit enters the next room.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .content.model import Exhibition

# How many partial walks the search may try before keeping the best one found: enough for
# any real building, bounded so a pathological one cannot stall a reload.
SEARCH_BUDGET = 20_000


@dataclass(frozen=True)
class Stop:
    """One place of the walk: the lobby (no room), a room, or an exhibit of a room."""

    room: str | None = None
    exhibit: str | None = None

    @property
    def kind(self) -> str:
        """Return "lobby", "room" or "exhibit"."""
        if self.room is None:
            return "lobby"
        return "room" if self.exhibit is None else "exhibit"


LOBBY = Stop()


@dataclass(frozen=True)
class Walk:
    """The stops of an exhibition in walking order, with the way up from each."""

    stops: tuple[Stop, ...]

    @cached_property
    def _places(self) -> dict[Stop, int]:
        """Where each stop is on the walk: every page looks its own up, in a walk of thousands."""
        places: dict[Stop, int] = {}
        for index, stop in enumerate(self.stops):
            places.setdefault(stop, index)
        return places

    @cached_property
    def room_numbers(self) -> dict[str, int]:
        """Return each room's number: its place among the rooms of the walk, from 1."""
        rooms = [stop.room for stop in self.stops if stop.room and stop.exhibit is None]
        return {slug: number for number, slug in enumerate(rooms, start=1)}

    def _index(self, stop: Stop) -> int | None:
        """Return where `stop` is on the walk, or None."""
        return self._places.get(stop)

    def previous(self, stop: Stop) -> Stop | None:
        """Return the stop before `stop`, or None at the lobby."""
        index = self._index(stop)
        return self.stops[index - 1] if index else None

    def next(self, stop: Stop) -> Stop | None:
        """Return the stop after `stop`, or None at the end of the walk."""
        index = self._index(stop)
        if index is None or index + 1 >= len(self.stops):
            return None
        return self.stops[index + 1]

    @staticmethod
    def up(stop: Stop) -> Stop | None:
        """Return where ↑ leads: an exhibit's room, a room's lobby; None from the lobby."""
        if stop.kind == "exhibit":
            return Stop(stop.room)
        return LOBBY if stop.kind == "room" else None


def walk(exhibition: Exhibition) -> Walk:
    """Return the walk of an exhibition: the lobby, then every room and its exhibits."""
    stops = [LOBBY]
    rooms = {room.slug: room for room in exhibition.rooms}
    for slug in room_order(exhibition):
        stops.append(Stop(slug))
        stops.extend(Stop(slug, exhibit.slug) for exhibit in rooms[slug].exhibits)
    return Walk(tuple(stops))


def room_order(exhibition: Exhibition) -> tuple[str, ...]:
    """Return every room slug once, from the entrance, with as few jumps between rooms as can be.

    A depth-first search over door orders (each room's doors in room order, so the result is
    the same on every run) keeps the first walk with the fewest jumps; when stuck, a walk jumps
    to the first unvisited room next to a visited one, else to the first unvisited room.
    """
    rooms = exhibition.rooms
    if not rooms:
        return ()
    order = [room.slug for room in rooms]
    known = set(order)
    doors = {room.slug: [d for d in room.doors if d in known and d != room.slug] for room in rooms}
    start = exhibition.entrance if exhibition.entrance in known else order[0]
    floor = _components(order, doors) - 1  # each further part of the building needs one jump
    best: list[str] = []
    best_jumps = len(order)
    budget = SEARCH_BUDGET

    def extend(path: list[str], visited: set[str], jumps: int) -> None:
        nonlocal best, best_jumps, budget
        if jumps >= best_jumps or budget <= 0:
            return
        budget -= 1
        if len(path) == len(order):
            best, best_jumps = list(path), jumps
            return
        ahead = [d for d in doors[path[-1]] if d not in visited]
        if not ahead:
            ahead, jumps = [_jump(order, doors, visited)], jumps + 1
            if jumps >= best_jumps:
                return
        for slug in ahead:
            path.append(slug)
            visited.add(slug)
            extend(path, visited, jumps)
            visited.discard(slug)
            path.pop()
            if best_jumps <= floor:
                return

    extend([start], {start}, 0)
    return tuple(best)


def _jump(order: list[str], doors: dict[str, list[str]], visited: set[str]) -> str:
    """Return the room a stuck walk goes on to: next to a visited room if any, in room order."""
    unvisited = [slug for slug in order if slug not in visited]
    for slug in unvisited:
        if any(other in visited for other in doors[slug]):
            return slug
    return unvisited[0]


def _components(order: list[str], doors: dict[str, list[str]]) -> int:
    """Return how many parts of the building no door joins to each other."""
    seen: set[str] = set()
    count = 0
    for slug in order:
        if slug in seen:
            continue
        count += 1
        todo = [slug]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(doors[current])
    return count
