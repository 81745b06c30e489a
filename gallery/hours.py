"""Opening hours: whether the gallery is before its opening, open, or closed, at a moment.

`opens` and `closes` in gallery.yaml bound the live event. Before the opening the rooms are
a preview for signed-in hosts; after the closing the exhibition stays readable as an archive
with its live parts off. An exhibition without them is always open. `gallery build` renders
the archive as the gallery reads once closed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from .content.model import Exhibition

State = Literal["before", "open", "closed"]


def state_at(exhibition: Exhibition, now: datetime) -> State:
    """Return the gallery's state at `now`: "before" its opening, "open", or "closed"."""
    if exhibition.opens is not None and now < exhibition.opens:
        return "before"
    if exhibition.closes is not None and now >= exhibition.closes:
        return "closed"
    return "open"


def moments(exhibition: Exhibition) -> tuple[datetime, ...]:
    """Return the moments the state changes, sorted: pages showing it are cached between them."""
    return tuple(sorted(m for m in (exhibition.opens, exhibition.closes) if m is not None))
