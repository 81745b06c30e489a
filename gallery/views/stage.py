"""The Demo Day stage: the stage room's page, the "now live" banner and the programme as JSON.

Pages showing the programme are cached per programme phase (see gallery/pagecache.py):
what they print must not change within a phase, so they show start times, never "in N
minutes"; the countdown is a script's work (static/js/stage.js), from /api/stage.json.
"""

from __future__ import annotations

from typing import Any

import orjson
from flask import Blueprint, Flask, Response

from ..content.model import Exhibit, Exhibition, Room
from ..site import (
    current_clock,
    current_programme,
    current_site,
    current_stage,
    programme_moments,
)
from ..stage import LIVE, NEXT, PAST, Programme, Status, next_boundary
from .agenda import Slot, agenda_days, zone_label

bp = Blueprint("stage", __name__)


def _exhibit_of(exhibition: Exhibition, ref: str | None) -> tuple[Room, Exhibit] | None:
    """Return the room and exhibit a "room/exhibit" reference names, or None."""
    if not ref or "/" not in ref:
        return None
    room_slug, slug = ref.split("/", 1)
    room = exhibition.room(room_slug)
    found = room.exhibit(slug) if room else None
    return (room, found) if room and found else None


def _slots(exhibition: Exhibition, lang: str) -> dict[str, Slot]:
    """Return every session's printable times, by session id."""
    return {slot.session.id: slot for day in agenda_days(exhibition, lang) for slot in day.slots}


def stage_context(lang: str, room: Room) -> dict[str, Any]:
    """Build what the stage template shows: on now, next, the last replay, the day's programme."""
    exhibition = current_site().exhibition
    programme = current_programme()
    mine = programme.in_room(room.slug)
    on_air = next((s for s in mine if s.phase == LIVE), None)
    upcoming = next((s for s in mine if s.phase == NEXT), None)
    past = [s for s in mine if s.phase == PAST]
    replay = next((s for s in reversed(past) if s.session.replay_video), None)
    days = [
        (day, [slot for slot in day.slots if slot.session.room == room.slug])
        for day in agenda_days(exhibition, lang)
    ]
    return dict(
        on_air=on_air,
        pitched=_exhibit_of(exhibition, programme.pitched(on_air)) if on_air else None,
        upcoming=upcoming,
        replay=replay if on_air is None else None,
        over=bool(mine) and all(s.phase == PAST for s in mine),
        stage_days=[(day, slots) for day, slots in days if slots],
        statuses={s.id: s for s in mine},
        slots=_slots(exhibition, lang),
        zone=zone_label(exhibition, lang),
        exhibit_of=lambda ref: _exhibit_of(exhibition, ref),
    )


def agenda_marks() -> dict[str, Status]:
    """Return every session's status now, by id, for the agenda page."""
    return {s.id: s for s in current_programme().statuses}


def live_now() -> list[dict[str, Any]]:
    """Return the sessions on now with their stage room, for the "now live" banner."""
    exhibition = current_site().exhibition
    return [
        {"session": s.session, "room": exhibition.room(s.session.room or "")}
        for s in current_programme().live
    ]


def programme_until() -> str:
    """Return when the programme next changes by its times (ISO 8601), or "" if never."""
    moments = programme_moments(current_site())
    found = next_boundary(moments, current_clock().now())
    return found.isoformat() if found else ""


def programme_data(programme: Programme, version: int) -> dict[str, Any]:
    """Return the programme now as JSON-ready data."""
    return {
        "now": programme.now.isoformat(),
        "version": version,
        "spotlight": programme.spotlight,
        "sessions": [
            {
                "id": s.id,
                "phase": s.phase,
                "by_host": s.by_host,
                "room": s.session.room,
                "starts": s.session.starts.isoformat(),
                "ends": s.session.ends.isoformat(),
                "seconds": s.seconds,
            }
            for s in programme.statuses
        ],
    }


@bp.get("/api/stage.json")
def stage_json() -> Response:
    """The programme now: each session's phase, the host's spotlight and the server's clock."""
    data = programme_data(current_programme(), current_stage().version)
    data["until"] = programme_until() or None
    response = Response(orjson.dumps(data), mimetype="application/json")
    # It says what time it is: never from a cache.
    response.cache_control.no_store = True
    return response


def init_app(app: Flask) -> None:
    """Give templates the banner's and the programme's functions; register the JSON route."""
    app.jinja_env.globals.update(live_now=live_now, programme_until=programme_until)
    app.register_blueprint(bp)
