"""What the plan templates show: the building's drawing and its labels in the page language."""

from __future__ import annotations

from typing import Any

from .. import i18n
from ..content.model import Exhibition
from ..plandrawing import Drawing, draw, label_lines, stand_chars
from ..site import current_site
from .steps import current_walk

TITLE_CHARS = 24  # what fits on a line of a room, at the title's size
FIRST_CHARS = 22  # on the first line, beside the room's number


def drawing() -> Drawing:
    """Return the building of the exhibition being served, drawn once per content version."""
    snapshot = current_site().snapshot
    return snapshot.memo(("plan-drawing",), lambda: draw(snapshot.exhibition))


def room_numbers() -> dict[str, int]:
    """Return each room's number: its place on the walk, as its page says ("Room 2")."""
    return current_walk().room_numbers


def plan_labels(exhibition: Exhibition, lang: str) -> dict[str, dict[str, Any]]:
    """Return, per room, its number, title cut into lines, meta line and stands' short titles."""
    labels = {}
    strings = i18n.for_exhibition(exhibition)
    numbers = room_numbers()
    entrance = entrance_slug(exhibition)
    for room in exhibition.rooms:
        n = len(room.exhibits)
        count = (
            strings.gettext(lang, "exhibits_count", n=n)
            if n
            else strings.gettext(lang, "exhibits_none")
        )
        kind = (
            strings.gettext(lang, "stage")
            if room.kind == "stage"
            else strings.gettext(lang, "entrance")
            if room.slug == entrance
            else ""
        )
        width = stand_chars(n)
        labels[room.slug] = {
            "number": numbers.get(room.slug, ""),
            "lines": label_lines(room.title.get(lang), TITLE_CHARS, 3, FIRST_CHARS),
            "meta": f"{kind} · {count}" if kind else count,
            "stands": {e.slug: label_lines(e.title.get(lang), width, 2) for e in room.exhibits},
        }
    return labels


def entrance_slug(exhibition: Exhibition) -> str | None:
    """Return the slug of the room visitors start in: the entrance, else the first room."""
    if exhibition.room(exhibition.entrance or ""):
        return exhibition.entrance
    return exhibition.rooms[0].slug if exhibition.rooms else None
