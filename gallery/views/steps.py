"""The links of the walk on a page: the stop before, the stop after and the way up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import url_for

from ..content.model import Exhibition, LText
from ..site import current_site
from ..walk import Stop, Walk, walk


@dataclass(frozen=True)
class Step:
    """A stop of the walk as a page links to it: what it is, its URL and its title."""

    kind: str  # "lobby", "room" or "exhibit"
    url: str
    title: LText


def current_walk() -> Walk:
    """Return the walk of the exhibition being served, computed once per content version."""
    snapshot = current_site().snapshot
    return snapshot.memo(("walk",), lambda: walk(snapshot.exhibition))


def step(exhibition: Exhibition, lang: str, stop: Stop | None) -> Step | None:
    """Return the link to `stop` in `lang`, or None when there is no such stop."""
    if stop is None:
        return None
    if stop.room is None:
        return Step("lobby", url_for("pages.lobby", lang=lang), exhibition.title)
    room = exhibition.room(stop.room)
    if room is None:
        return None
    if stop.exhibit is None:
        return Step("room", url_for("pages.room", lang=lang, room=room.slug), room.title)
    exhibit = room.exhibit(stop.exhibit)
    if exhibit is None:
        return None
    url = url_for("pages.exhibit", lang=lang, room=room.slug, exhibit=exhibit.slug)
    return Step("exhibit", url, exhibit.title)


def walk_context(exhibition: Exhibition, lang: str, stop: Stop) -> dict[str, Any]:
    """Return what a page needs to link its neighbours on the walk and its room number."""
    walked = current_walk()
    return dict(
        walk_prev=step(exhibition, lang, walked.previous(stop)),
        walk_next=step(exhibition, lang, walked.next(stop)),
        walk_up=step(exhibition, lang, walked.up(stop)),
        room_number=walked.room_numbers.get(stop.room) if stop.room else None,
    )
