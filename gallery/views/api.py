"""The exhibition as JSON, and the health check."""

from __future__ import annotations

from typing import Any

import orjson
from flask import Blueprint, Response, request

from ..content.model import Exhibition, LText, Person
from ..site import current_site, current_state

bp = Blueprint("api", __name__)


def _text(text: LText) -> dict[str, str]:
    """Return a text as a map of language to string."""
    return dict(text.values)


def _person(person: Person) -> dict[str, Any]:
    """Return a speaker as data."""
    return {"name": person.name, "role": _text(person.role)}


def exhibition_data(exhibition: Exhibition) -> dict[str, Any]:
    """Return the exhibition as plain data: rooms in order, their doors and exhibits, agenda."""
    return {
        "title": _text(exhibition.title),
        "subtitle": _text(exhibition.subtitle),
        "languages": list(exhibition.languages),
        "entrance": exhibition.entrance,
        "timezone": exhibition.timezone,
        "opens": exhibition.opens.isoformat() if exhibition.opens else None,
        "closes": exhibition.closes.isoformat() if exhibition.closes else None,
        "rooms": [
            {
                "slug": room.slug,
                "title": _text(room.title),
                "kind": room.kind,
                "doors": list(room.doors),
                "exhibits": [
                    {"slug": exhibit.slug, "title": _text(exhibit.title)}
                    for exhibit in room.exhibits
                ],
            }
            for room in exhibition.rooms
        ],
        "agenda": [
            {
                "id": session.id,
                "title": _text(session.title),
                "starts": session.starts.isoformat(),
                "ends": session.ends.isoformat(),
                "room": session.room,
                "exhibit": session.exhibit,
                "speakers": [_person(person) for person in session.speakers],
            }
            for session in exhibition.agenda
        ],
    }


@bp.get("/api/gallery.json")
def gallery_json() -> Response:
    """The exhibition as data with its opening state, serialised once per version and state."""
    snapshot = current_site().snapshot
    state = current_state()
    body = snapshot.memo(
        ("gallery.json", state),
        lambda: orjson.dumps({**exhibition_data(snapshot.exhibition), "state": state}),
    )
    response = Response(body, mimetype="application/json")
    response.add_etag()
    response.cache_control.no_cache = True
    return response.make_conditional(request)


@bp.get("/healthz")
def healthz() -> Response:
    """Answer 200 while the app is serving."""
    response = Response("ok", mimetype="text/plain")
    response.cache_control.no_store = True
    return response
