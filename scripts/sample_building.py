"""Pictures of the sample gallery's building: the lobby's view, the route, each room's wall.

Drawn from the exhibition itself (where the floor plan puts each room, its colour, its doors
and its exhibits) so that they follow the room files; same flat style as sample_art.
"""

from __future__ import annotations

from itertools import pairwise

from sample_art import HEIGHT as ART_HEIGHT
from sample_art import PICTURES
from sample_art import WIDTH as ART_WIDTH
from sample_svg import (
    INK,
    OCHRE,
    PAPER,
    WHITE,
    Palette,
    Point,
    card,
    circle,
    line,
    mix,
    person,
    polygon,
    polyline,
    rect,
)

from gallery.content.model import Exhibition, Room
from gallery.floorplan import Plan, layout

WALL = 0.34  # wall height, in room widths
NEUTRAL = "#8a7f70"


def palette(room: Room) -> Palette:
    """The shades a room is painted in."""
    return Palette(room.colour or NEUTRAL)


class Iso:
    """An isometric projection of plan units (x east, y south, z up) onto the picture."""

    def __init__(self, scale: float, x: float, y: float) -> None:
        self.scale, self.x, self.y = scale, x, y

    def __call__(self, x: float, y: float, z: float = 0) -> Point:
        """Return the picture point of a point of the building."""
        return (
            self.x + (x - y) * self.scale * 0.866,
            self.y + ((x + y) * 0.5 - z) * self.scale,
        )

    def quad(self, a: Point, b: Point, z0: float, z1: float) -> list[Point]:
        """The corners of an upright wall from plan point `a` to `b`, between two heights."""
        return [self(*a, z0), self(*b, z0), self(*b, z1), self(*a, z1)]


def _doors(plan: Plan) -> set[frozenset[str]]:
    """The doors as unordered pairs of room slugs."""
    return {frozenset(pair) for pair in plan.doors}


def _wall(iso: Iso, a: Point, b: Point, gap: bool, colour: str, top: str) -> list[str]:
    """A wall from `a` to `b`, with a doorway in its middle when `gap`, and its top edge."""
    pieces = [(0.0, 0.38), (0.62, 1.0)] if gap else [(0.0, 1.0)]
    out = []
    for t0, t1 in pieces:
        p0 = (a[0] + (b[0] - a[0]) * t0, a[1] + (b[1] - a[1]) * t0)
        p1 = (a[0] + (b[0] - a[0]) * t1, a[1] + (b[1] - a[1]) * t1)
        out.append(polygon(iso.quad(p0, p1, 0, WALL), colour))
        out.append(polyline([iso(*p0, WALL), iso(*p1, WALL)], top, 3))
    if gap:  # the lintel over the doorway
        m0 = (a[0] + (b[0] - a[0]) * 0.38, a[1] + (b[1] - a[1]) * 0.38)
        m1 = (a[0] + (b[0] - a[0]) * 0.62, a[1] + (b[1] - a[1]) * 0.62)
        out.append(polygon(iso.quad(m0, m1, WALL * 0.78, WALL), colour))
        out.append(polyline([iso(*m0, WALL), iso(*m1, WALL)], top, 3))
    return out


def _hung(iso: Iso, x0: float, x1: float, y: float, count: int, p: Palette) -> list[str]:
    """`count` framed panels hung on the north wall at `y`, between `x0` and `x1`."""
    out = []
    for i in range(count):
        left = x0 + (x1 - x0) * (i + 0.5) / count - 0.11
        frame = iso.quad((left, y + 0.01), (left + 0.22, y + 0.01), 0.09, 0.25)
        inner = iso.quad((left + 0.03, y + 0.01), (left + 0.19, y + 0.01), 0.12, 0.22)
        out += [polygon(frame, WHITE), polygon(inner, p.mid if i % 2 else p.base)]
    return out


def isometric(exhibition: Exhibition) -> tuple[int, int, str]:
    """The whole gallery seen from above at an angle: rooms, doors, hung panels, the stage."""
    plan = layout(exhibition)
    doors = _doors(plan)
    scale = 250
    width = round((plan.columns + plan.rows) * 0.866 * scale) + 80
    height = round(((plan.columns + plan.rows) * 0.5 + WALL) * scale) + 70
    iso = Iso(scale, 40 + plan.rows * 0.866 * scale, 30 + WALL * scale)
    at = {cell: exhibition.room(slug) for slug, cell in plan.cells.items()}
    out = [rect(0, 0, width, height, PAPER)]
    # Back rooms first, so that nearer walls cover them.
    for (col, row), room in sorted(at.items(), key=lambda item: sum(item[0])):
        if room is None:
            continue
        p = palette(room)
        x, y = col - 1, row - 1
        floor = [iso(x, y), iso(x + 1, y), iso(x + 1, y + 1), iso(x, y + 1)]
        out.append(polygon(floor, p.wash))
        west = at.get((col - 1, row))
        north = at.get((col, row - 1))
        west_door = west is not None and frozenset((room.slug, west.slug)) in doors
        north_door = north is not None and frozenset((room.slug, north.slug)) in doors
        out += _wall(iso, (x, y + 1), (x, y), west_door, p.light, p.dark)
        out += _wall(iso, (x, y), (x + 1, y), north_door, p.mid, p.dark)
        if room.kind == "stage":
            out += _stage(iso, x, y, p)
        else:
            out += _hung(iso, x + 0.1, x + 0.9, y, len(room.exhibits), p)
    # The outer walls in front, low, so that the rooms stay in view.
    south = [iso(0, plan.rows), iso(plan.columns, plan.rows), iso(plan.columns, 0)]
    out.append(polyline(south, INK, 4, opacity=".5"))
    out += _visitors(iso, at)
    return width, height, "".join(out)


def _stage(iso: Iso, x: float, y: float, p: Palette) -> list[str]:
    """A raised stage with its screen, and rows of seats facing it."""
    platform = [iso(x + 0.1, y + 0.05, 0.05), iso(x + 0.9, y + 0.05, 0.05)]
    platform += [iso(x + 0.9, y + 0.35, 0.05), iso(x + 0.1, y + 0.35, 0.05)]
    front = iso.quad((x + 0.1, y + 0.35), (x + 0.9, y + 0.35), 0, 0.05)
    screen = iso.quad((x + 0.2, y + 0.01), (x + 0.8, y + 0.01), 0.1, 0.3)
    out = [polygon(front, p.dark), polygon(platform, p.mid), polygon(screen, INK)]
    out.append(polygon(iso.quad((x + 0.25, y + 0.01), (x + 0.5, y + 0.01), 0.15, 0.25), OCHRE))
    for row in range(3):
        for seat in range(5):
            cx, cy = iso(x + 0.2 + seat * 0.15, y + 0.5 + row * 0.14)
            out.append(circle(cx, cy - 4, 6, p.base))
    return out


def _visitors(iso: Iso, at: dict[tuple[int, int], Room | None]) -> list[str]:
    """A few visitors standing in the rooms, for scale and life."""
    spots = [(0.3, 0.45), (0.62, 0.7), (0.45, 0.3)]
    out = []
    for i, ((col, row), room) in enumerate(sorted(at.items())):
        if room is None or room.kind == "stage":
            continue
        fx, fy = spots[i % len(spots)]
        x, y = iso(col - 1 + fx, row - 1 + fy)
        colour = OCHRE if i % 3 == 0 else palette(room).dark
        out.append(rect(x - 5, y - 26, 10, 24, colour, 5) + circle(x, y - 32, 6, colour))
    return out


def route(exhibition: Exhibition) -> tuple[int, int, str]:
    """The plan from above with the way through the rooms, room after room, dotted."""
    plan = layout(exhibition)
    cell = min((ART_WIDTH - 100) / plan.columns, (ART_HEIGHT - 80) / plan.rows)
    left = (ART_WIDTH - cell * plan.columns) / 2
    top = (ART_HEIGHT - cell * plan.rows) / 2
    out = [rect(0, 0, ART_WIDTH, ART_HEIGHT, PAPER)]
    centres: dict[str, Point] = {}
    for room in exhibition.rooms:
        col, row = plan.cells[room.slug]
        x, y = left + (col - 1) * cell, top + (row - 1) * cell
        p = palette(room)
        out.append(rect(x, y, cell, cell, p.wash, stroke=p.dark, stroke_width=6))
        for i in range(len(room.exhibits)):
            slot = cell * (i + 1) / (len(room.exhibits) + 1)
            out.append(rect(x + slot - 22, y + 34, 44, 10, p.base, 2))
        if room.kind == "stage":
            out.append(rect(x + 24, y + 24, cell - 48, 40, p.mid, 3))
        centres[room.slug] = (x + cell / 2, y + cell / 2 + 14)
    # Doorways cut in the walls between neighbours.
    for a, b in plan.doors:
        (ca, ra), (cb, rb) = plan.cells[a], plan.cells[b]
        if abs(ca - cb) + abs(ra - rb) != 1:
            continue
        mx, my = left + (ca + cb - 1) * cell / 2, top + (ra + rb - 1) * cell / 2
        w, h = (12, 56) if ca != cb else (56, 12)
        out.append(rect(mx - w / 2, my - h / 2, w, h, PAPER))
    # The visit in room order, each leg through doorways between neighbours.
    order = [room.slug for room in exhibition.rooms]
    if exhibition.entrance in order:
        order.remove(exhibition.entrance)
        order.insert(0, exhibition.entrance)
    legs: list[tuple[str, str]] = []
    for a, b in pairwise(order):
        for leg in pairwise(_walk(plan, a, b) or [a, b]):
            if leg not in legs and leg[::-1] not in legs:  # a way walked back is drawn once
                legs.append(leg)
    for here, there in legs:
        out.append(line(centres[here], centres[there], OCHRE, 6, stroke_dasharray="0.1 14"))
    for i, slug in enumerate(order):
        x, y = centres[slug]
        out.append(circle(x, y, 14 if i == 0 else 9, OCHRE, stroke=WHITE, stroke_width=3))
    return ART_WIDTH, ART_HEIGHT, "".join(out)


def _walk(plan: Plan, start: str, goal: str) -> list[str]:
    """The shortest way from room to room through doorways in shared walls (breadth-first)."""
    doors = _doors(plan)
    came: dict[str, str | None] = {start: None}
    queue = [start]
    for here in queue:
        if here == goal:
            break
        col, row = plan.cells[here]
        for pair in doors:
            if here not in pair:
                continue
            (there,) = pair - {here}
            other = plan.cells.get(there)
            if other and abs(other[0] - col) + abs(other[1] - row) == 1 and there not in came:
                came[there] = here
                queue.append(there)
    if goal not in came:
        return []
    walk = [goal]
    while (step := came[walk[-1]]) is not None:
        walk.append(step)
    return walk[::-1]


HEADER_WIDTH, HEADER_HEIGHT = 1600, 400


def header(exhibition: Exhibition, room: Room) -> str:
    """A room's wall seen from the front: its panels hung, doorways to its neighbours."""
    p = palette(room)
    floor = 330
    out = [rect(0, 0, HEADER_WIDTH, floor, p.wash), rect(0, floor, HEADER_WIDTH, 70, p.light)]
    out.append(rect(0, floor - 14, HEADER_WIDTH, 14, p.light))  # the skirting
    neighbours = [other for slug in room.doors if (other := exhibition.room(slug))]
    if exhibition.entrance == room.slug:  # the hall: a doorway to every room
        step = HEADER_WIDTH / (len(neighbours) + 1)
        for i, other in enumerate(neighbours):
            out += _doorway(step * (i + 1) - 75, floor, p, palette(other))
    else:
        for i, other in enumerate(neighbours[:2]):  # a doorway at each end
            out += _doorway(60 if i == 0 else HEADER_WIDTH - 210, floor, p, palette(other))
        if room.kind == "stage":
            out += _header_stage(p, floor)
        else:
            out += _header_panels(room, p, floor)
    out.append(person(520, floor + 10, 120, mix(p.dark, PAPER, 0.15)))
    out.append(person(1130, floor + 16, 104, mix(OCHRE, INK, 0.1)))
    return "".join(out)


def _doorway(x: float, floor: float, p: Palette, beyond: Palette) -> list[str]:
    """A doorway in the wall at `x`, the next room's colour seen through it."""
    return [
        rect(x - 14, 60, 178, floor - 60, p.light),
        rect(x, 74, 150, floor - 74, beyond.mid),
        rect(x, floor - 40, 150, 40, beyond.light),
    ]


def _header_panels(room: Room, p: Palette, floor: float) -> list[str]:
    """The room's exhibits hung in a row, each its own picture in a white frame."""
    count = max(1, len(room.exhibits))
    w = 300 if count > 1 else 360
    h = w * ART_HEIGHT / ART_WIDTH
    gap = 70
    x = (HEADER_WIDTH - count * w - (count - 1) * gap) / 2
    out = []
    for exhibit in room.exhibits or ():
        out.append(card(x - 14, 64, w + 28, h + 28, p, 4))
        draw = PICTURES.get(exhibit.slug)
        art = "".join(draw(p)) if draw else rect(0, 0, ART_WIDTH, ART_HEIGHT, p.mid)
        out.append(
            f'<svg x="{x:.0f}" y="78" width="{w}" height="{h:.0f}" '
            f'viewBox="0 0 {ART_WIDTH} {ART_HEIGHT}">{art}</svg>'
        )
        x += w + gap
    return out


def _header_stage(p: Palette, floor: float) -> list[str]:
    """The stage: a platform, a screen lit in ochre, spotlights."""
    out = [rect(300, floor - 60, 1000, 60, p.dark), rect(300, floor - 66, 1000, 10, p.mid)]
    out.append(rect(520, 50, 560, 210, INK, 6) + rect(540, 70, 520, 170, mix(INK, OCHRE, 0.25), 3))
    out.append(rect(580, 110, 200, 14, OCHRE, 7) + rect(580, 140, 300, 10, WHITE, 5))
    for x in (420, 800, 1180):
        out.append(
            polygon(
                [(x - 12, 0), (x + 12, 0), (x + 90, floor - 66), (x - 90, floor - 66)],
                WHITE,
                opacity=".18",
            )
        )
    return out
