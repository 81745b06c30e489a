"""A stylesheet generated from the model: room colours and floor-plan cells.

It replaces inline style attributes, which the CSP forbids. Pages name it with a hash of its
text (`theme_version`), so browsers may keep each version for good.
"""

from __future__ import annotations

import hashlib
import re

from .content.model import Exhibition
from .floorplan import layout
from .site import Snapshot

# Anything else is dropped rather than escaped: a colour is all a room may set here.
COLOUR = re.compile(r"^(#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|[a-zA-Z]{3,20})$")


def theme_css(snapshot: Snapshot) -> str:
    """Return the generated stylesheet of a content version, built once."""
    return snapshot.memo(("theme.css",), lambda: build_css(snapshot.exhibition))


def theme_version(snapshot: Snapshot) -> str:
    """Return a short hash of the generated stylesheet, to cache-bust its URL."""
    return hashlib.blake2b(theme_css(snapshot).encode(), digest_size=6).hexdigest()


def build_css(exhibition: Exhibition) -> str:
    """Build the stylesheet of an exhibition."""
    plan = layout(exhibition)
    lines = [
        "/* Generated from the room files. */",
        "@media (min-width: 48rem) {",
        f"  .floorplan-rooms {{ grid-template-columns: repeat({plan.columns}, minmax(0, 1fr));"
        f" grid-template-rows: repeat({plan.rows}, minmax(var(--plan-row), 1fr)); }}",
    ]
    for index, room in enumerate(exhibition.rooms, start=1):
        col, row = plan.cells[room.slug]
        lines.append(f"  .plan-room-{index} {{ grid-column: {col}; grid-row: {row}; }}")
    # Cards stay a readable width however few columns the plan has.
    lines.append(f"  .floorplan-map {{ max-width: {plan.columns * 24}rem; }}")
    lines.append("}")
    for index, room in enumerate(exhibition.rooms, start=1):
        if room.colour and COLOUR.match(room.colour):
            lines.append(f".room-colour-{index} {{ --room-colour: {room.colour}; }}")
    return "\n".join(lines) + "\n"
