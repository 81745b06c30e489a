"""The live counts of visitors per room, for pages and clients that don't hold a socket."""

from __future__ import annotations

import orjson
from flask import Blueprint, Response, current_app

from ..presence import occupancy_of
from ..site import current_presence, current_site

bp = Blueprint("live", __name__)


@bp.get("/api/presence.json")
def presence_json() -> Response:
    """Return `{rooms: {slug: count}, total}` for every room of the exhibition, never cached."""
    rooms = [room.slug for room in current_site().exhibition.rooms]
    data = occupancy_of(current_presence().store, rooms)
    response = current_app.response_class(orjson.dumps(data), mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response
