"""The floor plan drawn as a building: rooms with walls, doorways, passages, stands, a stage.

A pure function of the exhibition (`draw`), in the units of the SVG's viewBox, so that the
plan is the same at every reload and for every visitor. Rooms sit in the grid cells of
`floorplan.layout`, a corridor's width apart; each door is a doorway in both rooms' walls
joined by a passage that runs in those corridors and never through another room.
"""

from __future__ import annotations

from .content.model import Exhibition
from .floorplan import Plan, layout
from .planlabels import crowded, stands_per_row
from .planshapes import (
    DOOR,
    GAP,
    MARGIN,
    ROOM_H,
    ROOM_W,
    STAND_H,
    STAND_W,
    WALL,
    Box,
    Doorway,
    Drawing,
    Passage,
    Point,
    RoomDrawing,
    Stand,
)

SIDES = ("n", "e", "s", "w")


def draw(exhibition: Exhibition, plan: Plan | None = None) -> Drawing:
    """Draw the exhibition's building from its grid layout."""
    plan = plan or layout(exhibition)
    boxes = {slug: _cell_box(col, row) for slug, (col, row) in plan.cells.items()}
    cells = {cell: slug for slug, cell in plan.cells.items()}
    requests: dict[tuple[str, str], list[tuple[float, bool, str, int]]] = {}
    routes = []
    for index, (a, b) in enumerate(plan.doors):
        side_a, side_b, straight = _sides(plan.cells[a], plan.cells[b])
        routes.append((a, b, side_a, side_b, straight))
        for here, there, side in ((a, b, side_a), (b, a, side_b)):
            target = boxes[there].cx if side in ("n", "s") else boxes[there].cy
            requests.setdefault((here, side), []).append((target, straight, there, index))
    spots = {key: _spread(boxes[key[0]], key[1], wanted) for key, wanted in requests.items()}
    passages = []
    doorways: dict[str, list[Doorway]] = {slug: [] for slug in boxes}
    for index, (a, b, side_a, side_b, straight) in enumerate(routes):
        start = spots[(a, side_a)][index]
        end = spots[(b, side_b)][index]
        doorways[a].append(Doorway(b, side_a, *start))
        doorways[b].append(Doorway(a, side_b, *end))
        passages.append(Passage((a, b), _route(start, side_a, end, side_b, straight)))
    entrance = _entrance(exhibition, plan, cells, boxes, spots)
    rooms = []
    for room in exhibition.rooms:
        box = boxes[room.slug]
        gaps = list(doorways[room.slug])
        if entrance is not None and entrance.to == room.slug:
            gaps.append(entrance)
        stage = _stage(box) if room.kind == "stage" else None
        rooms.append(
            RoomDrawing(
                room.slug,
                box,
                _walls(box, gaps),
                tuple(sorted(doorways[room.slug], key=lambda d: _order(room.doors, d.to))),
                () if stage else _stands(box, [e.slug for e in room.exhibits]),
                stage,
                _seats(box, stage) if stage else (),
            )
        )
    width = 2 * MARGIN + plan.columns * ROOM_W + (plan.columns - 1) * GAP
    height = 2 * MARGIN + plan.rows * ROOM_H + (plan.rows - 1) * GAP
    return Drawing(width, height, tuple(rooms), tuple(passages), entrance)


def _order(doors: tuple[str, ...], slug: str) -> int:
    """Return where `slug` stands among a room's doors (the room files' order)."""
    return doors.index(slug) if slug in doors else len(doors)


def _cell_box(col: int, row: int) -> Box:
    """Return the rectangle of the room in grid cell (col, row), 1-based."""
    return Box(
        MARGIN + (col - 1) * (ROOM_W + GAP), MARGIN + (row - 1) * (ROOM_H + GAP), ROOM_W, ROOM_H
    )


def _sides(a: tuple[int, int], b: tuple[int, int]) -> tuple[str, str, bool]:
    """Return the walls a door between cells `a` and `b` opens in, and whether it is straight.

    Neighbours side by side share a straight passage; any other door leaves by the north or
    south wall towards the other room (north when both are on one row) and runs in corridors.
    """
    (ca, ra), (cb, rb) = a, b
    if ra == rb and abs(ca - cb) == 1:
        return ("e", "w", True) if cb > ca else ("w", "e", True)
    if ca == cb and abs(ra - rb) == 1:
        return ("s", "n", True) if rb > ra else ("n", "s", True)
    if ra == rb:
        return "n", "n", False
    return ("s", "n", False) if rb > ra else ("n", "s", False)


def _spread(box: Box, side: str, wanted: list[tuple[float, bool, str, int]]) -> dict[int, Point]:
    """Place a wall's doorways: a straight one in the middle, the others towards their room."""
    horizontal = side in ("n", "s")
    start, length = (box.x, box.w) if horizontal else (box.y, box.h)
    middle = start + length / 2
    places: dict[int, float] = {}
    straight = [w for w in wanted if w[1]]
    others = sorted((w for w in wanted if not w[1]), key=lambda w: (w[0], w[2]))
    if straight:
        for i, w in enumerate(straight):
            places[w[3]] = middle + (i - (len(straight) - 1) / 2) * (DOOR + 10)
        low = [w for w in others if w[0] < middle]
        high = [w for w in others if w[0] >= middle]
        for group, a, b in ((low, start, middle - DOOR), (high, middle + DOOR, start + length)):
            for i, w in enumerate(group):
                places[w[3]] = a + (b - a) * (i + 1) / (len(group) + 1)
    else:
        for i, w in enumerate(others):
            places[w[3]] = start + length * (i + 1) / (len(others) + 1)
    edge = {"n": box.y, "s": box.y + box.h, "w": box.x, "e": box.x + box.w}[side]
    return {i: ((p, edge) if horizontal else (edge, p)) for i, p in places.items()}


def _corridor_y(row: int, below: bool) -> float:
    """Return the middle of the corridor above (or below) grid row `row`."""
    top = MARGIN + (row - 1) * (ROOM_H + GAP)
    return top + ROOM_H + GAP / 2 if below else top - GAP / 2


def _corridor_x(col: int, right: bool) -> float:
    """Return the middle of the corridor left (or right) of grid column `col`."""
    left = MARGIN + (col - 1) * (ROOM_W + GAP)
    return left + ROOM_W + GAP / 2 if right else left - GAP / 2


def _route(start: Point, side_a: str, end: Point, side_b: str, straight: bool) -> tuple[Point, ...]:
    """Return the polyline of a passage from doorway `start` to doorway `end`, through corridors."""
    (x1, y1), (x2, y2) = start, end
    if straight:
        return (start, end)
    row_a = _row_of(y1, side_a)
    row_b = _row_of(y2, side_b)
    ya = _corridor_y(row_a, side_a == "s")
    yb = _corridor_y(row_b, side_b == "s")
    if ya == yb:
        return (start, (x1, ya), (x2, yb), end)
    # Rows apart: down the corridor between the two rooms' columns, then along to the other.
    col = _col_of(x1)
    xc = _corridor_x(col, x2 > x1)
    return (start, (x1, ya), (xc, ya), (xc, yb), (x2, yb), end)


def _row_of(y: float, side: str) -> int:
    """Return the grid row whose north or south wall is at `y`."""
    top = y - ROOM_H if side == "s" else y
    return round((top - MARGIN) / (ROOM_H + GAP)) + 1


def _col_of(x: float) -> int:
    """Return the grid column that holds `x`."""
    return int((x - MARGIN) // (ROOM_W + GAP)) + 1


def _entrance(
    exhibition: Exhibition,
    plan: Plan,
    cells: dict[tuple[int, int], str],
    boxes: dict[str, Box],
    spots: dict[tuple[str, str], dict[int, Point]],
) -> Doorway | None:
    """Return the way in from outside: a doorway in an outer wall of the entrance room."""
    slug = exhibition.entrance if exhibition.room(exhibition.entrance or "") else None
    if slug is None and exhibition.rooms:
        slug = exhibition.rooms[0].slug
    if slug is None:
        return None
    col, row = plan.cells[slug]
    box = boxes[slug]
    outside = {
        "s": (row == plan.rows, (box.cx, box.y + box.h)),
        "w": (col == 1, (box.x, box.cy)),
        "n": (row == 1, (box.cx, box.y)),
        "e": (col == plan.columns, (box.x + box.w, box.cy)),
    }
    for side, (free, point) in outside.items():
        if free and (slug, side) not in spots:
            return Doorway(slug, side, *point)
    return None


def _walls(box: Box, gaps: list[Doorway]) -> tuple[tuple[float, float, float, float], ...]:
    """Return the wall segments of a room, its doorways left open."""
    walls = []
    corners = {
        "n": ((box.x, box.y), (box.x + box.w, box.y)),
        "e": ((box.x + box.w, box.y), (box.x + box.w, box.y + box.h)),
        "s": ((box.x, box.y + box.h), (box.x + box.w, box.y + box.h)),
        "w": ((box.x, box.y), (box.x, box.y + box.h)),
    }
    for side in SIDES:
        (x1, y1), (x2, y2) = corners[side]
        horizontal = side in ("n", "s")
        # Walls overlap at the corners by half their thickness, so corners close.
        a, b = (x1 - WALL / 2, x2 + WALL / 2) if horizontal else (y1 - WALL / 2, y2 + WALL / 2)
        cuts = sorted((d.x if horizontal else d.y) for d in gaps if d.side == side)
        for cut in cuts:
            if cut - DOOR / 2 > a:
                walls.append(_segment(horizontal, a, cut - DOOR / 2, y1 if horizontal else x1))
            a = cut + DOOR / 2
        walls.append(_segment(horizontal, a, b, y1 if horizontal else x1))
    return tuple(walls)


def _segment(horizontal: bool, a: float, b: float, at: float) -> tuple[float, float, float, float]:
    """Return a wall from `a` to `b` along a side at `at`."""
    return (a, at, b, at) if horizontal else (at, a, at, b)


def _stands(box: Box, exhibits: list[str]) -> tuple[Stand, ...]:
    """Return the stands of a room's exhibits, in a row along the lower part of the room."""
    if not exhibits:
        return ()
    n = len(exhibits)
    per_row = stands_per_row(n)
    rows = (n + per_row - 1) // per_row
    # Narrower stands in a crowded row, so that neighbours never touch.
    width = min(STAND_W, box.w / per_row * 0.8)
    # A row's pitch: a stand and its label of one line (crowded) or two.
    bottom, pitch = (32, 26) if crowded(n) else (46, 36)
    stands = []
    for i, slug in enumerate(exhibits):
        row, col = divmod(i, per_row)
        in_row = min(per_row, n - row * per_row)
        step = box.w / in_row
        x = box.x + step * (col + 0.5) - width / 2
        y = box.y + box.h - bottom - (rows - 1 - row) * pitch
        stands.append(Stand(slug, Box(x, y, width, STAND_H)))
    return tuple(stands)


def _stage(box: Box) -> Box:
    """Return the platform of a stage room, along its lower wall."""
    return Box(box.x + box.w * 0.15, box.y + box.h - 36, box.w * 0.7, 26)


def _seats(box: Box, stage: Box) -> tuple[Point, ...]:
    """Return the audience's seats of a stage room: rows facing the platform."""
    seats = []
    for row in range(2):
        y = stage.y - 14 - row * 11
        for i in range(9):
            seats.append((stage.x + 12 + i * (stage.w - 24) / 8, y))
    return tuple(seats)
