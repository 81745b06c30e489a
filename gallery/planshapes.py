"""The shapes of the floor plan drawn as a building, in the units of the SVG's viewBox.

What `plandrawing.draw` makes and the plan's views and templates read: rooms as boxes with
walls and doorways, passages between doorways, stands, a stage; and the sizes they are
drawn at, which the labels (`planlabels`) are cut to fit.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

ROOM_W = 260  # a room's width and height
ROOM_H = 146
GAP = 36  # between two rooms: the corridors passages run in
MARGIN = 38  # around the building
DOOR = 24  # a doorway's width
WALL = 4  # a wall's thickness
STAND_W = 46
STAND_H = 8
STAND_ROWS = 3  # rows of stands a room holds below its labels

Point = tuple[float, float]


@dataclass(frozen=True)
class Box:
    """A rectangle of the drawing."""

    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        """The horizontal centre."""
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        """The vertical centre."""
        return self.y + self.h / 2


@dataclass(frozen=True)
class Doorway:
    """A gap in a room's wall, on `side`, centred on (x, y), leading to room `to`."""

    to: str
    side: str
    x: float
    y: float


@dataclass(frozen=True)
class Passage:
    """The way between two doorways: a polyline from one wall to the other, in corridors."""

    rooms: tuple[str, str]
    points: tuple[Point, ...]

    @property
    def path(self) -> str:
        """The polyline as SVG path data."""
        first, *rest = self.points
        return f"M{first[0]:g} {first[1]:g}" + "".join(f"L{x:g} {y:g}" for x, y in rest)

    @cached_property
    def bounds(self) -> tuple[float, float, float, float]:
        """The corners of the box around the polyline: left, top, right, bottom."""
        xs = [x for x, _ in self.points]
        ys = [y for _, y in self.points]
        return min(xs), min(ys), max(xs), max(ys)


@dataclass(frozen=True)
class Stand:
    """An exhibit's stand: a panel on its plinth, and where its visitors gather."""

    exhibit: str
    box: Box


@dataclass(frozen=True)
class RoomDrawing:
    """One room: its floor, its walls (with the doorways left out), doorways and stands."""

    slug: str
    box: Box
    walls: tuple[tuple[float, float, float, float], ...]
    doorways: tuple[Doorway, ...]
    stands: tuple[Stand, ...]
    stage: Box | None  # the platform of a stage room
    seats: tuple[Point, ...]  # the audience of a stage room


@dataclass(frozen=True)
class Drawing:
    """The whole plan: its size, its rooms in exhibition order, passages and the way in."""

    width: float
    height: float
    rooms: tuple[RoomDrawing, ...]
    passages: tuple[Passage, ...]
    entrance: Doorway | None  # the doorway to the outside, in the entrance room

    def room(self, slug: str) -> RoomDrawing | None:
        """Return the drawing of room `slug`, or None."""
        return next((room for room in self.rooms if room.slug == slug), None)

    def within(
        self, view: Box, margin: float = 40
    ) -> tuple[tuple[RoomDrawing, ...], tuple[Passage, ...]]:
        """Return the rooms and passages that show in `view`, in drawing order.

        The others would be clipped away: drawn anyway, every stand of a building of a hundred
        rooms would weigh down every page. `margin` keeps what a wide stroke brings into view.
        """
        left, top = view.x - margin, view.y - margin
        right, bottom = view.x + view.w + margin, view.y + view.h + margin

        def shows(x1: float, y1: float, x2: float, y2: float) -> bool:
            return x1 <= right and x2 >= left and y1 <= bottom and y2 >= top

        rooms = tuple(
            room
            for room in self.rooms
            if shows(room.box.x, room.box.y, room.box.x + room.box.w, room.box.y + room.box.h)
        )
        passages = tuple(passage for passage in self.passages if shows(*passage.bounds))
        return rooms, passages

    def around(self, slug: str, pad: float = 12) -> Box:
        """Return the part of the plan showing room `slug` and the rooms its doors lead to."""
        room = self.room(slug)
        if room is None:
            return Box(0, 0, self.width, self.height)
        boxes = [room.box]
        for doorway in room.doorways:
            other = self.room(doorway.to)
            if other is not None:
                boxes.append(other.box)
        x1 = min(box.x for box in boxes) - pad
        y1 = min(box.y for box in boxes) - pad
        x2 = max(box.x + box.w for box in boxes) + pad
        y2 = max(box.y + box.h for box in boxes) + pad
        return Box(
            max(x1, 0),
            max(y1, 0),
            min(x2, self.width) - max(x1, 0),
            min(y2, self.height) - max(y1, 0),
        )
