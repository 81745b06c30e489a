"""The floor plan's labels: titles cut into balanced lines that fit under their stands."""

from __future__ import annotations

import pytest

from gallery.planlabels import label_line_counts, label_lines, shorten, stand_chars


@pytest.mark.parametrize(
    ("text", "width", "lines", "first", "expected"),
    [
        ("Hall", 20, 2, None, ["Hall"]),
        (
            "Faire parler les données publiques",
            24,
            3,
            22,
            ["Faire parler les", "données publiques"],
        ),
        ("Open Collectivités", 12, 2, None, ["Open", "Collectivités"]),
        ("one two three four five six seven", 10, 2, None, ["one two", "three fou…"]),
        ("", 10, 2, None, [""]),
    ],
)
def test_labels_are_cut_into_balanced_lines(text, width, lines, first, expected) -> None:
    assert label_lines(text, width, lines, first) == expected


def test_shorten_ellipses_long_texts() -> None:
    assert shorten("MonitorFish", 20) == "MonitorFish"
    assert shorten("A very long title", 8) == "A very…"


@pytest.mark.parametrize(("count", "lines"), [(0, (3, 2)), (8, (3, 2)), (9, (1, 1)), (40, (1, 1))])
def test_only_a_crowded_room_cuts_its_labels_to_one_line(count: int, lines: tuple) -> None:
    """A room's title takes up to three lines and its stands' labels two, unless its stands
    fill three rows: then one line each, so that the rows fit below the title."""
    assert label_line_counts(count) == lines


def test_stands_in_a_fuller_row_take_shorter_labels() -> None:
    """The more stands share a row, the fewer characters each label holds, never below four."""
    counts = [stand_chars(n) for n in (1, 2, 4, 8, 12, 40)]
    assert counts == sorted(counts, reverse=True)
    assert counts[-1] >= 4 and counts[0] > counts[-1]
