"""A room's colour washes its header and wall: text on the wash stays AA whatever the colour."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parent.parent / "static" / "css" / "site.css").read_text()


def variable(name: str) -> str:
    """Return the value the stylesheet gives a custom property the first time."""
    found = re.search(rf"--{name}:\s*([^;]+);", CSS)
    assert found, f"--{name} is not set in site.css"
    return found.group(1).strip()


def rgb(hex_colour: str) -> tuple[float, float, float]:
    """Return the sRGB channels (0-1) of #rrggbb."""
    value = hex_colour.lstrip("#")
    return tuple(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def luminance(colour: tuple[float, float, float]) -> float:
    """Return the WCAG relative luminance of an sRGB colour."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: tuple[float, float, float], other: tuple[float, float, float]) -> float:
    """Return the WCAG contrast ratio of two colours."""
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def wash(name: str, room: tuple[float, float, float]) -> tuple[float, float, float]:
    """Return the wash `name` of the stylesheet for a room colour (color-mix in srgb)."""
    found = re.fullmatch(
        r"color-mix\(in srgb, var\(--room-colour\) (\d+)%, var\(--paper\)\)", variable(name)
    )
    assert found, f"--{name} is not a tint of the room colour over the paper"
    share = int(found.group(1)) / 100
    paper = rgb(variable("paper"))
    return tuple(share * r + (1 - share) * p for r, p in zip(room, paper, strict=True))  # type: ignore[return-value]


# Every corner of the colour cube and a middle grey: the darkest wash is black's.
ROOM_COLOURS = [*itertools.product((0.0, 1.0), repeat=3), (0.5, 0.5, 0.5)]


@pytest.mark.parametrize("surface", ["wash", "wall-wash"])
@pytest.mark.parametrize("text", ["ink", "ink-soft", "accent"])
def test_text_on_any_room_wash_passes_aa(surface: str, text: str) -> None:
    ink = rgb(variable(text))
    worst = min(contrast(ink, wash(surface, room)) for room in ROOM_COLOURS)
    assert worst >= 4.5, f"--{text} on --{surface}: {worst:.2f}:1"
