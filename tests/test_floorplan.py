"""Placing rooms on the lobby's floor plan."""

from __future__ import annotations

from pathlib import Path

from gallery.content.model import Exhibition, LText, Room
from gallery.floorplan import layout


def exhibition(*rooms: Room, entrance: str | None = None) -> Exhibition:
    """Build a small exhibition from rooms."""
    return Exhibition(Path("."), LText((("en", "E"),), "en"), ("en",), rooms, entrance=entrance)


def room(slug: str, doors: tuple[str, ...] = (), position: tuple[int, int] | None = None) -> Room:
    """Build a room."""
    return Room(slug, LText((("en", slug),), "en"), doors=doors, position=position)


def test_rooms_without_positions_are_placed_by_distance_from_the_entrance() -> None:
    plan = layout(
        exhibition(
            room("a", ("hall",)),
            room("hall", ("a", "b")),
            room("b", ("hall", "c")),
            room("c", ("b",)),
            room("lonely"),
            entrance="hall",
        )
    )
    assert plan.cells == {"hall": (1, 1), "a": (2, 1), "b": (2, 2), "c": (3, 1), "lonely": (4, 1)}
    assert (plan.columns, plan.rows) == (4, 2)
    assert plan.doors == (("a", "hall"), ("hall", "b"), ("b", "c"))


def test_given_positions_are_kept_whether_counted_from_zero_or_one() -> None:
    zero = layout(exhibition(room("x", ("y",), (0, 0)), room("y", ("x",), (1, 1))))
    one = layout(exhibition(room("x", ("y",), (1, 1)), room("y", ("x",), (2, 2))))
    assert zero.cells == one.cells == {"x": (1, 1), "y": (2, 2)}
    assert zero.doors == (("x", "y"),)


def test_mixed_and_clashing_positions_never_share_a_cell() -> None:
    plan = layout(
        exhibition(
            room("hall", ("b",), (0, 0)),
            room("a", (), (0, 0)),
            room("b", ("hall",)),
            entrance="hall",
        )
    )
    cells = list(plan.cells.values())
    assert len(set(cells)) == len(cells) == 3
    assert plan.cells["hall"] == (1, 1)
