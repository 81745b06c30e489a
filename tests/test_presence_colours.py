"""Avatar colours: the palette's contrast, choosing per room, wishes, and the wire."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from gallery import i18n
from gallery.presence import MemoryStore
from gallery.presence.colours import PALETTE, ColourCounts, palette_index
from gallery.presence.payloads import Refused, parse_enter

from .records_fixtures import Maker
from .test_sockets import enter, events, flush


def _luminance(colour: str) -> float:
    """Return the relative luminance of "#rrggbb" (WCAG 2.1)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    """Return the WCAG contrast ratio of two colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("colour", PALETTE)
def test_white_initials_read_well_on_every_colour(colour: str) -> None:
    """White initials hold AA contrast on every colour, and the disc stands out of the paper."""
    assert _contrast(colour, "#ffffff") >= 4.5
    assert _contrast(colour, "#f6f4ef") >= 3.0


def test_every_colour_is_named_in_every_language() -> None:
    """The pickers name each colour of the palette (`colour` + its digits) in every language."""
    assert len(set(PALETTE)) == len(PALETTE) >= 10
    for lang in i18n.shipped():
        strings = i18n.live_strings(lang)["strings"]
        names = [strings.get(f"colour{colour[1:]}") for colour in PALETTE]
        assert all(names) and len(set(names)) == len(names), lang


def test_counts_hand_out_free_colours_then_the_least_worn() -> None:
    """Colours go out in palette order while free, then to the least worn."""
    counts = ColourCounts()
    given = []
    for _ in range(len(PALETTE) + 2):
        chosen = counts.choose()
        counts.add(chosen)
        given.append(chosen)
    assert given[: len(PALETTE)] == list(range(len(PALETTE)))
    assert given[len(PALETTE) :] == [0, 1]
    counts.remove(5)
    assert counts.choose() == 5


def test_a_wish_is_granted_when_free_else_the_first_free_colour() -> None:
    """A free wish is granted; a worn one gives the colour worn so far, else the first free."""
    counts = ColourCounts()
    assert counts.choose(7) == 7
    counts.add(7)
    counts.add(0)
    assert counts.choose(7) == 1
    assert counts.choose(7, 3) == 3  # the colour worn so far comes next


@pytest.mark.parametrize(
    ("value", "index"),
    [("#1F5F8B", 0), (PALETTE[3], 3), ("#ffffff", None), ("blue", None), (None, None), (3, None)],
)
def test_palette_index_accepts_palette_colours_only(value: Any, index: int | None) -> None:
    """Only palette colours, in any case, are wishes."""
    assert palette_index(value) == index


def test_enter_payload_colour_is_checked_at_the_edge() -> None:
    """`colour`: a palette colour is a wish, another string none, another type refused."""
    assert parse_enter({"room": "hall", "colour": PALETTE[2]}, 40).colour == 2
    assert parse_enter({"room": "hall", "colour": "#123456"}, 40).colour is None
    assert parse_enter({"room": "hall"}, 40).colour is None
    for bad in (1, ["#1f5f8b"], {"c": 1}, True):
        with pytest.raises(Refused, match="bad payload"):
            parse_enter({"room": "hall", "colour": bad}, 40)


def test_two_visitors_of_a_room_never_share_a_colour_while_some_are_free(new_store: Maker) -> None:
    """Everyone listed in a room wears their own colour, whatever they wished."""
    store = new_store()
    for i in range(len(PALETTE)):
        store.enter(f"v{i}", "hall", None, f"V{i}", False, colour=0)
    worn = [v["colour"] for v in store.snapshot("hall", 100)]
    assert sorted(worn) == sorted(PALETTE)


def test_leaving_frees_a_colour_and_invisible_visitors_wear_none(new_store: Maker) -> None:
    """A colour is free again once its wearer left; invisible visitors hold no colour."""
    store = new_store()
    store.enter("a", "hall", None, "Ada", False)
    store.enter("ghost", "hall", None, "Ghost", True, colour=1)
    store.enter("b", "hall", None, "Bob", False, colour=1)
    assert store.visitor("b").colour == 1  # the invisible visitor did not take it
    store.enter("a", "lab", None, "Ada", False)
    store.enter("c", "hall", None, "Cy", False)
    assert store.visitor("c").colour == 0  # Ada's, free again once she left


def test_a_visitor_keeps_their_colour_and_can_change_to_a_free_one(new_store: Maker) -> None:
    """Moving keeps one's colour; asking for a free one changes it, and is `joined` again."""
    store = new_store()
    store.enter("a", "hall", None, "Ada", False)
    store.enter("b", "hall", None, "Bob", False)
    store.drain()
    store.enter("a", "hall", "x", "Ada", False)
    assert store.visitor("a").colour == 0
    store.enter("a", "hall", "x", "Ada", False, colour=1)  # Bob's: Ada keeps hers
    assert store.visitor("a").colour == 0
    store.enter("a", "hall", "x", "Ada", False, colour=4)
    [change] = store.drain()
    assert change.joined == [{"id": "a", "name": "Ada", "exhibit": "x", "colour": PALETTE[4]}]
    assert change.moved == []


def test_choosing_a_colour_does_not_walk_the_room() -> None:
    """Choosing a colour reads the room's counts, not its visitors: the cost stays flat."""
    store = MemoryStore()
    for i in range(3000):
        store.enter(f"v{i}", "hall", None, "V", False)
    state = store._rooms["hall"]
    assert sum(state.colours.counts) == 3000
    assert max(state.colours.counts) - min(state.colours.counts) <= 1
    state.members = _NoWalk(state.members)
    state.listed = _NoWalk(state.listed)
    store.enter("new", "hall", None, "New", False, colour=3)
    store.enter("new", "hall", "x", "New", False)
    store.leave("new")


class _NoWalk(dict):
    """A dict that refuses to be iterated: a walk through the room fails the test."""

    def __iter__(self):  # type: ignore[override]
        raise AssertionError("the room's visitors were walked through")

    def values(self):  # type: ignore[override]
        raise AssertionError("the room's visitors were walked through")


def test_two_visitors_get_different_colours_over_the_socket(app: Flask, socket_factory) -> None:
    """The ack says the colour given; others see it in `joined`; a worn wish gives another."""
    a, b = socket_factory(), socket_factory()
    first = enter(a, room="hall", name="Ada", colour=PALETTE[2])
    assert first["colour"] == PALETTE[2]
    flush(app)
    a.get_received()
    second = enter(b, room="hall", name="Bob", colour=PALETTE[2])
    assert second["colour"] not in (None, PALETTE[2])
    assert {v["colour"] for v in second["visitors"]} == {PALETTE[2], second["colour"]}
    flush(app)
    [presence] = events(a, "presence")
    assert presence["joined"][0]["colour"] == second["colour"]
    assert enter(b, room="hall", colour=7)["error"] == "bad payload"
