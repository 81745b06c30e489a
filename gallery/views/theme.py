"""A stylesheet generated from the model: room colours and floor-plan cells.

It replaces inline style attributes, which the CSP forbids.
"""

from __future__ import annotations

import re

from ..site import current_site
from .floorplan import layout

# Anything else is dropped rather than escaped: a colour is all a room may set here.
COLOUR = re.compile(r"^(#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|[a-zA-Z]{3,20})$")


def theme_css() -> str:
    """Return the generated stylesheet for the current content version."""
    snapshot = current_site().snapshot
    css = snapshot.cache.get(("theme.css",))
    if css is None:
        css = build_css()
        snapshot.cache[("theme.css",)] = css
    return css


def build_css() -> str:
    """Build the stylesheet from the exhibition being served."""
    exhibition = current_site().exhibition
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
