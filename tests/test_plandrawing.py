"""The floor plan drawn as a building: walls, doorways, passages, stands and the stage."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from gallery.content.loader import load_exhibition
from gallery.content.model import Exhibit, Exhibition, LText, Room
from gallery.plandrawing import draw
from gallery.planshapes import DOOR, Box, Drawing

SAMPLE = Path(__file__).resolve().parent.parent / "rooms"


def exhibition(*rooms: Room, entrance: str | None = None) -> Exhibition:
    """Build a small exhibition from rooms."""
    return Exhibition(Path("."), LText((("en", "E"),), "en"), ("en",), rooms, entrance=entrance)


def room(
    slug: str,
    doors: tuple[str, ...] = (),
    position: tuple[int, int] | None = None,
    exhibits: int = 0,
    kind: str = "gallery",
) -> Room:
    """Build a room with `exhibits` exhibits."""
    title = LText((("en", slug),), "en")
    stands = tuple(Exhibit(f"{slug}-{i}", slug, title) for i in range(exhibits))
    return Room(slug, title, doors=doors, position=position, exhibits=stands, kind=kind)


def symmetric(*rooms: Room) -> tuple[Room, ...]:
    """Give every door both ways, as the loader does."""
    doors = {r.slug: set(r.doors) for r in rooms}
    for r in rooms:
        for other in r.doors:
            doors[other].add(r.slug)
    order = [r.slug for r in rooms]
    return tuple(
        Room(
            r.slug,
            r.title,
            doors=tuple(s for s in order if s in doors[r.slug]),
            position=r.position,
            exhibits=r.exhibits,
            kind=r.kind,
        )
        for r in rooms
    )


@pytest.fixture(scope="module")
def sample() -> Exhibition:
    """The sample exhibition shipped with the project."""
    result = load_exhibition(SAMPLE)
    assert result.exhibition is not None
    return result.exhibition


def inside(point: tuple[float, float], box: Box, margin: float = 0.5) -> bool:
    """Tell whether `point` lies strictly inside `box` (its walls excluded)."""
    x, y = point
    return (
        box.x + margin < x < box.x + box.w - margin and box.y + margin < y < box.y + box.h - margin
    )


def on_wall(doorway, box: Box) -> bool:
    """Tell whether a doorway's centre lies on the wall of `box` it says it is on."""
    x, y = doorway.x, doorway.y
    return {
        "n": y == box.y and box.x < x < box.x + box.w,
        "s": y == box.y + box.h and box.x < x < box.x + box.w,
        "w": x == box.x and box.y < y < box.y + box.h,
        "e": x == box.x + box.w and box.y < y < box.y + box.h,
    }[doorway.side]


def covered(doorway, walls) -> bool:
    """Tell whether a wall segment runs across the doorway's centre."""
    for x1, y1, x2, y2 in walls:
        if y1 == y2 == doorway.y and min(x1, x2) < doorway.x < max(x1, x2):
            return True
        if x1 == x2 == doorway.x and min(y1, y2) < doorway.y < max(y1, y2):
            return True
    return False


def along(points, step: float = 2.0):
    """Yield points every `step` units along a polyline."""
    for (x1, y1), (x2, y2) in pairwise(points):
        length = abs(x2 - x1) + abs(y2 - y1)
        n = max(int(length / step), 1)
        for i in range(n + 1):
            yield (x1 + (x2 - x1) * i / n, y1 + (y2 - y1) * i / n)


def check_building(exhibition: Exhibition, drawing: Drawing) -> None:
    """Each door: a doorway open in both rooms' walls, joined by a passage outside every room."""
    assert [r.slug for r in drawing.rooms] == [r.slug for r in exhibition.rooms]
    boxes = {r.slug: r.box for r in drawing.rooms}
    for drawn, model in zip(drawing.rooms, exhibition.rooms, strict=True):
        assert sorted(d.to for d in drawn.doorways) == sorted(model.doors)
        for doorway in drawn.doorways:
            assert on_wall(doorway, drawn.box)
            assert not covered(doorway, drawn.walls)
        # Doorways of one wall never overlap.
        for side in "nesw":
            spots = sorted((d.x if side in "ns" else d.y) for d in drawn.doorways if d.side == side)
            assert all(b - a >= DOOR for a, b in pairwise(spots))
        for stand in drawn.stands:
            assert inside((stand.box.x, stand.box.y), drawn.box)
            assert inside((stand.box.x + stand.box.w, stand.box.y + stand.box.h), drawn.box)
    for passage in drawing.passages:
        a, b = passage.rooms
        assert passage.points[0] in [(d.x, d.y) for d in drawing.room(a).doorways if d.to == b]
        assert passage.points[-1] in [(d.x, d.y) for d in drawing.room(b).doorways if d.to == a]
        # Corridors go around rooms, never through one; only horizontal and vertical runs.
        for point in along(passage.points):
            assert not any(inside(point, box, margin=1) for box in boxes.values()), point
        for (x1, y1), (x2, y2) in pairwise(passage.points):
            assert x1 == x2 or y1 == y2
    for box in boxes.values():
        assert box.x >= 0 and box.x + box.w <= drawing.width
        assert box.y >= 0 and box.y + box.h <= drawing.height


def test_the_sample_is_a_building_with_a_doorway_per_door(sample: Exhibition) -> None:
    drawing = draw(sample)
    check_building(sample, drawing)
    assert len(drawing.passages) == sum(len(r.doors) for r in sample.rooms) // 2
    stage = drawing.room("demo-day")
    assert stage.stage is not None and stage.seats and not stage.stands
    hall = drawing.room("hall")
    assert [s.exhibit for s in hall.stands] == [e.slug for e in sample.room("hall").exhibits]


def test_the_drawing_is_the_same_at_every_reload(sample: Exhibition) -> None:
    again = load_exhibition(SAMPLE).exhibition
    assert draw(sample) == draw(again)


def test_rooms_without_positions_are_laid_out_from_their_doors() -> None:
    rooms = symmetric(
        room("hall", ("a", "b"), exhibits=2),
        room("a", ("c",), exhibits=5),
        room("b", ("c",), exhibits=1),
        room("c", ("far",), kind="stage"),
        room("far", exhibits=9),
        room("lonely"),
    )
    drawn = exhibition(*rooms, entrance="hall")
    drawing = draw(drawn)
    check_building(drawn, drawing)
    assert drawing.room("hall").box.x < drawing.room("a").box.x < drawing.room("c").box.x


def test_doors_between_distant_rooms_run_in_corridors_around_the_others() -> None:
    # A 3 x 3 building whose corner rooms have doors across it and along its rows.
    cells = [(c, r) for r in range(3) for c in range(3)]
    names = [f"r{c}{r}" for c, r in cells]
    doors = {"r00": ("r22", "r20", "r11"), "r02": ("r20", "r12"), "r10": ("r12",)}
    rooms = symmetric(
        *(room(n, doors.get(n, ()), cell, exhibits=1) for n, cell in zip(names, cells, strict=True))
    )
    drawn = exhibition(*rooms, entrance="r11")
    check_building(drawn, draw(drawn))


def test_the_way_in_opens_in_an_outer_wall_of_the_entrance() -> None:
    rooms = symmetric(
        room("a", ("hall",), (0, 0)), room("hall", (), (1, 0)), room("b", ("hall",), (1, 1))
    )
    drawing = draw(exhibition(*rooms, entrance="hall"))
    way = drawing.entrance
    hall = drawing.room("hall")
    assert way is not None and way.to == "hall" and way.side == "n"
    assert on_wall(way, hall.box) and not covered(way, hall.walls)


def test_the_plan_around_a_room_leaves_out_what_it_cannot_show() -> None:
    # A row of six rooms, each with a door to the next: around the first, the far end is out.
    names = [f"r{c}" for c in range(6)]
    rooms = symmetric(
        *(
            room(n, (names[c + 1],) if c < 5 else (), (c, 0), exhibits=3)
            for c, n in enumerate(names)
        )
    )
    drawing = draw(exhibition(*rooms, entrance="r0"))
    shown, passages = drawing.within(drawing.around("r0"))
    assert [r.slug for r in shown] == ["r0", "r1", "r2"][: len(shown)]
    assert {"r0", "r1"} <= {r.slug for r in shown}
    assert "r5" not in {r.slug for r in shown}
    assert {p.rooms for p in passages} >= {("r0", "r1")}
    assert ("r4", "r5") not in {p.rooms for p in passages}
    # The whole plan shows everything.
    everything = drawing.within(Box(0, 0, drawing.width, drawing.height))
    assert everything == (drawing.rooms, drawing.passages)


@pytest.mark.parametrize("count", [1, 4, 12, 13, 20, 40])
def test_a_crowded_room_keeps_its_stands_apart_within_three_rows(count: int) -> None:
    """However many exhibits a room holds, its stands stay inside it, in at most three rows
    along its lower part, and no two of them touch."""
    drawn = exhibition(room("big", exhibits=count))
    (big,) = draw(drawn).rooms
    assert len(big.stands) == count
    rows = sorted({stand.box.y for stand in big.stands})
    assert len(rows) <= 3
    assert rows[0] >= big.box.y + 56  # below the room's title and count
    for stand in big.stands:
        assert inside((stand.box.x, stand.box.y), big.box)
        assert inside((stand.box.x + stand.box.w, stand.box.y + stand.box.h), big.box)
    for a, b in pairwise(sorted(big.stands, key=lambda s: (s.box.y, s.box.x))):
        if a.box.y == b.box.y:
            assert a.box.x + a.box.w < b.box.x
