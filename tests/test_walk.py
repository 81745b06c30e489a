"""The walking order: from the lobby, room by room along the doors, each room's exhibits in turn."""

from __future__ import annotations

import time
from itertools import pairwise
from pathlib import Path

import pytest

from gallery.content.loader import load_exhibition
from gallery.content.model import Exhibit, Exhibition, LText, Room
from gallery.walk import LOBBY, Stop, room_order, walk

from .conftest import SAMPLE


def text(value: str) -> LText:
    """Build a one-language text."""
    return LText((("en", value),), "en")


def room(slug: str, doors: tuple[str, ...] = (), exhibits: tuple[str, ...] = ()) -> Room:
    """Build a room with doors and exhibits named by their slugs."""
    return Room(
        slug, text(slug), doors=doors, exhibits=tuple(Exhibit(e, slug, text(e)) for e in exhibits)
    )


def exhibition(*rooms: Room, entrance: str | None = None) -> Exhibition:
    """Build an exhibition from rooms; doors are given both ways, as the loader does."""
    return Exhibition(Path("."), text("E"), ("en",), rooms, entrance=entrance)


# The sample's building: the hall opens on every room, the others on their neighbours.
SAMPLE_LIKE = exhibition(
    room("hall", ("eclairer", "donnees", "risques", "process", "stage")),
    room("eclairer", ("hall", "donnees", "process")),
    room("donnees", ("hall", "eclairer", "risques")),
    room("risques", ("hall", "donnees", "stage")),
    room("process", ("hall", "eclairer")),
    room("stage", ("hall", "risques")),
    entrance="hall",
)


@pytest.mark.parametrize(
    ("building", "expected"),
    [
        pytest.param(
            SAMPLE_LIKE,
            ("hall", "process", "eclairer", "donnees", "risques", "stage"),
            id="through-every-door-without-a-jump",
        ),
        pytest.param(
            exhibition(room("a", ("b",)), room("b", ("a", "c")), room("c", ("b",))),
            ("a", "b", "c"),
            id="a-corridor",
        ),
        pytest.param(
            exhibition(room("a", ("b",)), room("b", ("a", "c")), room("c", ("b",)), entrance="b"),
            ("b", "a", "c"),
            id="from-the-middle-of-a-corridor-one-jump",
        ),
        pytest.param(
            exhibition(
                room("hall", ("a", "b", "c")),
                room("a", ("hall",)),
                room("b", ("hall",)),
                room("c", ("hall",)),
            ),
            ("hall", "a", "b", "c"),
            id="a-star-jumps-in-room-order",
        ),
        pytest.param(
            exhibition(room("a"), room("lonely"), room("b", ("c",)), room("c", ("b",))),
            ("a", "lonely", "b", "c"),
            id="rooms-without-doors-come-in-room-order",
        ),
        pytest.param(
            exhibition(room("x", ("y",)), room("y", ("x",)), entrance="nowhere"),
            ("x", "y"),
            id="unknown-entrance-starts-at-the-first-room",
        ),
        pytest.param(exhibition(), (), id="no-rooms"),
    ],
)
def test_room_order(building: Exhibition, expected: tuple[str, ...]) -> None:
    assert room_order(building) == expected


def test_a_stuck_walk_goes_on_next_to_where_it_has_been() -> None:
    # From a, the walk must leave b or d for later; the jump lands next to a visited room.
    building = exhibition(
        room("a", ("b", "c")),
        room("far"),
        room("b", ("a",)),
        room("c", ("a", "d")),
        room("d", ("c",)),
    )
    assert room_order(building) == ("a", "b", "c", "d", "far")


def test_the_walk_is_the_lobby_then_each_room_and_its_exhibits() -> None:
    building = exhibition(
        room("hall", ("lab",), ("guide",)),
        room("lab", ("hall",), ("lanterns", "maps")),
        room("stage", ()),
    )
    walked = walk(building)
    assert walked.stops == (
        LOBBY,
        Stop("hall"),
        Stop("hall", "guide"),
        Stop("lab"),
        Stop("lab", "lanterns"),
        Stop("lab", "maps"),
        Stop("stage"),
    )
    assert walked.next(LOBBY) == Stop("hall")
    assert walked.previous(LOBBY) is None
    assert walked.next(Stop("lab", "maps")) == Stop("stage")
    assert walked.previous(Stop("lab")) == Stop("hall", "guide")
    assert walked.next(Stop("stage")) is None
    assert walked.next(Stop("nowhere")) is None and walked.previous(Stop("nowhere")) is None
    assert walked.up(Stop("lab", "maps")) == Stop("lab")
    assert walked.up(Stop("lab")) == LOBBY
    assert walked.up(LOBBY) is None


def test_every_room_is_walked_once_even_in_a_large_maze() -> None:
    # A 12x12 grid has a path through every room, but finding the best is a search:
    # the budget keeps it short and the answer stays complete and the same every time.
    side = 12
    slugs = [f"r{x}-{y}" for y in range(side) for x in range(side)]

    def neighbours(x: int, y: int) -> tuple[str, ...]:
        cells = ((x, y - 1), (x - 1, y), (x + 1, y), (x, y + 1))
        return tuple(f"r{a}-{b}" for a, b in cells if 0 <= a < side and 0 <= b < side)

    building = exhibition(
        *(room(f"r{x}-{y}", neighbours(x, y)) for y in range(side) for x in range(side)),
        entrance="r5-5",
    )
    started = time.perf_counter()
    order = room_order(building)
    assert time.perf_counter() - started < 5
    assert sorted(order) == sorted(slugs)
    assert order[0] == "r5-5"
    assert room_order(building) == order


def test_the_sample_is_walked_along_its_doors() -> None:
    loaded = load_exhibition(SAMPLE).exhibition
    assert loaded is not None
    order = room_order(loaded)
    assert order[0] == loaded.entrance
    doors = {r.slug: set(r.doors) for r in loaded.rooms}
    assert all(b in doors[a] for a, b in pairwise(order))
