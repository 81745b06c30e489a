"""Socket.IO event handlers for live presence and chat: check the payload, call the domain, emit.

Every handler answers through its return value, which Flask-SocketIO sends as the ack
when the client asked for one. A handler never raises: refusals become
`{ok: false, error}` and unexpected errors `{ok: false, error: "internal error"}`.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, request

from .extensions import socketio
from .presence import Presence, make_presence, parse_chat, parse_enter
from .presence.payloads import INTERNAL_ERROR, RATE_LIMITED, Refused
from .presence.wire import Delivery, install

log = logging.getLogger("gallery.presence")

Ack = dict[str, Any]


def current_presence() -> Presence:
    """Return the presence of the current app."""
    return current_app.extensions["gallery.presence"]


def _guarded(handler: Callable[..., Ack]) -> Callable[..., Ack]:
    """Wrap a handler: rate-limit it, turn refusals and crashes into `{ok: false}` acks."""

    @functools.wraps(handler)
    def wrapper(*args: Any) -> Ack:
        try:
            presence = current_presence()
            connection = presence.connection(request.sid)
            if not connection.bucket.allow():
                return {"ok": False, "error": RATE_LIMITED}
            return handler(presence, connection, args[0] if args else None)
        except Refused as refused:
            return {"ok": False, "error": refused.error}
        except Exception:
            log.exception("%s handler failed", handler.__name__)
            return {"ok": False, "error": INTERNAL_ERROR}

    return wrapper


def on_connect(*_args: Any) -> None:
    """A client connects: it gets a visitor id but stands in no room until it sends `enter`."""
    presence = current_presence()
    _address(presence.connection(request.sid))
    if not presence.broadcaster.running and not current_app.testing:
        # Started by the first visitor, in the server's own async mode (a greenlet under gevent).
        presence.broadcaster.running = True
        socketio.start_background_task(presence.broadcaster.run, socketio.sleep)


def on_disconnect(*_args: Any) -> None:
    """A client goes away: its visitor leaves its room; the room's next `presence` says so."""
    try:
        connection = current_presence().disconnect(request.sid)
        if connection is not None and connection.address is not None:
            current_app.extensions["gallery.delivery"].forget(connection.address)
    except Exception:
        log.exception("disconnect handler failed")


def _address(connection: Any) -> str:
    """Return the Engine.IO session id the connection's events are sent to."""
    if connection.address is None:
        connection.address = socketio.server.manager.eio_sid_from_sid(request.sid, "/")
    return connection.address


@_guarded
def on_enter(presence: Presence, connection: Any, payload: Any) -> Ack:
    """A client enters a room or moves to an exhibit; the next `presence` tells the room."""
    from .site import current_site

    entered = parse_enter(payload, presence.name_max)
    ack, left = presence.enter(connection, entered, current_site().exhibition)
    delivery = current_app.extensions["gallery.delivery"]
    address = _address(connection)
    if left is not None:
        delivery.leave(left, address)
    delivery.join(ack["room"], address)
    return ack


@_guarded
def on_chat(presence: Presence, connection: Any, payload: Any) -> Ack:
    """A client says something; `chat` goes at once to everyone in its room, itself included."""
    presence.chat(connection, parse_chat(payload, presence.chat_max))
    return {"ok": True}


def init_app(app: Flask) -> None:
    """Give `app` its presence and register the Socket.IO handlers and the presence API."""
    from .views import live

    site = app.extensions["gallery.site"]

    def room_slugs() -> list[str]:
        """Return the slugs of the rooms of the exhibition being served now."""
        return [room.slug for room in site.exhibition.rooms]

    install(socketio.server)
    delivery = app.extensions["gallery.delivery"] = Delivery(socketio.server)
    app.extensions["gallery.presence"] = make_presence(app.config, delivery, room_slugs)
    socketio.on_event("connect", on_connect)
    socketio.on_event("disconnect", on_disconnect)
    socketio.on_event("enter", on_enter)
    socketio.on_event("chat", on_chat)
    app.register_blueprint(live.bp)
