"""What the plan templates show: the building's drawing and its labels in the page language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from markupsafe import Markup

from .. import i18n
from ..content.model import Exhibition
from ..plandrawing import draw
from ..planlabels import label_line_counts, label_lines, stand_chars
from ..planshapes import Box, Drawing, RoomDrawing, Stand
from ..site import current_site
from .steps import current_walk

# How templates/_plan_nearby_rooms.html begins a stand, and the stand of the page's exhibit.
STAND = '<rect class="plan-nearby-stand"'
STAND_HERE = '<rect class="plan-nearby-stand is-here"'
TITLE_CHARS = 24  # what fits on a line of a room, at the title's size
FIRST_CHARS = 22  # on the first line, beside the room's number


def drawing() -> Drawing:
    """Return the building of the exhibition being served, drawn once per content version."""
    snapshot = current_site().snapshot
    return snapshot.memo(("plan-drawing",), lambda: draw(snapshot.exhibition))


def room_numbers() -> dict[str, int]:
    """Return each room's number: its place on the walk, as its page says ("Room 2")."""
    return current_walk().room_numbers


def room_positions(exhibition: Exhibition) -> dict[str, int]:
    """Return each room's place in the exhibition, from 1: the colour its pages wear."""
    return {room.slug: index for index, room in enumerate(exhibition.rooms, start=1)}


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
        title_lines, lines = label_line_counts(n)
        labels[room.slug] = {
            "number": numbers.get(room.slug, ""),
            "lines": label_lines(room.title.get(lang), TITLE_CHARS, title_lines, FIRST_CHARS),
            "meta": f"{kind} · {count}" if kind else count,
            "stands": {e.slug: label_lines(e.title.get(lang), width, lines) for e in room.exhibits},
        }
    return labels


def entrance_slug(exhibition: Exhibition) -> str | None:
    """Return the slug of the room visitors start in: the entrance, else the first room."""
    if exhibition.room(exhibition.entrance or ""):
        return exhibition.entrance
    return exhibition.rooms[0].slug if exhibition.rooms else None


@dataclass(frozen=True)
class Nearby:
    """The plan around a room: the room, the part of the plan shown, the rooms its doors lead
    to, the scale of its numbers, and the SVG drawn before and after the room itself."""

    here: RoomDrawing
    view: Box
    near: tuple[str, ...]
    scale: float
    before: Markup
    after: Markup
    # The room itself cut before each of its stands: a page joins the pieces, marking its
    # exhibit's stand, rather than drawing the room again (None: drawn on each page).
    pieces: tuple[str, ...] | None = None

    def room(self, exhibit: str | None) -> Markup | None:
        """Return the room itself with `exhibit`'s stand marked (None: draw it on the page)."""
        if self.pieces is None:
            return None
        parts = [self.pieces[0]]
        for stand, piece in zip(self.here.stands, self.pieces[1:], strict=True):
            parts += [STAND_HERE if exhibit and stand.exhibit == exhibit else STAND, piece]
        return Markup("".join(parts))

    def stand(self, exhibit: str) -> Stand | None:
        """Return the room's stand of `exhibit`, or None (where the page marks "you are here")."""
        return next((stand for stand in self.here.stands if stand.exhibit == exhibit), None)


def nearby_plan(slug: str, positions: dict[str, int], numbers: dict[str, int]) -> Nearby | None:
    """Return the plan around room `slug`, or None when it is not drawn.

    Only what shows in the view is drawn (a building drawn whole would weigh every page), and
    all but the room itself once per content version: it is the same on the room's page and
    on each of its exhibits'. `positions` and `numbers` are the pages' own.
    """
    snapshot = current_site().snapshot
    return snapshot.memo(("plan-nearby", slug), lambda: _nearby(slug, positions, numbers))


def _nearby(slug: str, positions: dict[str, int], numbers: dict[str, int]) -> Nearby | None:
    """Draw the plan around room `slug` but the room itself (templates/_plan_nearby_rooms.html)."""
    plan = drawing()
    here = plan.room(slug)
    if here is None:
        return None
    view = plan.around(slug)
    near = tuple(doorway.to for doorway in here.doorways)
    # Numbers and the marker keep their size on the page however much of the plan shows.
    scale = max(view.w / 560, 1)
    rooms, passages = plan.within(view)
    template = current_app.jinja_env.get_template("_plan_nearby_rooms.html")
    place = next(i for i, drawn in enumerate(rooms) if drawn.slug == slug)
    context = {
        "room": here,
        "exhibit": None,
        "near": near,
        "scale": scale,
        "positions": positions,
        "plan_numbers": numbers,
    }
    before = template.render(context, rooms=rooms[:place], passages=passages)
    after = template.render(context, rooms=rooms[place + 1 :], passages=())
    pieces = tuple(template.render(context, rooms=[here], passages=()).split(STAND))
    kept = pieces if len(pieces) == len(here.stands) + 1 else None
    return Nearby(here, view, near, scale, Markup(before), Markup(after), kept)
