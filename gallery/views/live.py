"""The live counts of visitors per room, for pages and clients that don't hold a socket."""

from __future__ import annotations

import orjson
from flask import Blueprint, Response, current_app

from ..presence import StoreUnavailable, occupancy_of
from ..presence.payloads import UNAVAILABLE
from ..site import current_presence, current_site

bp = Blueprint("live", __name__)


@bp.get("/api/presence.json")
def presence_json() -> Response:
    """Return `{rooms: {slug: count}, total}` for every room of the exhibition, never cached."""
    rooms = [room.slug for room in current_site().exhibition.rooms]
    try:
        data = occupancy_of(current_presence().store, rooms)
        status = 200
    except StoreUnavailable:
        data, status = {"error": UNAVAILABLE}, 503
    response = current_app.response_class(
        orjson.dumps(data), status=status, mimetype="application/json"
    )
    response.headers["Cache-Control"] = "no-store"
    return response
