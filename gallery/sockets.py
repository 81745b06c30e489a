"""Socket.IO event handlers for live presence and chat: check the payload, call the domain.

The domain sends what the others should hear through its sender (`Delivery`), to the
connections it has placed in rooms; handlers keep no membership of their own and enter
no python-socketio room.

Every handler answers through its return value, which is sent as the ack when the
client asked for one. A handler never raises: refusals become `{ok: false, error}` and
unexpected errors `{ok: false, error: "internal error"}`, logged.

The handlers are registered on the python-socketio server itself rather than through
Flask-SocketIO's decorators: they need no Flask request context, and pushing one for
each of hundreds of events a second was a tenth of the server's time under load.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask import Flask

from .extensions import socketio
from .hosts import host_from_environ, hosts_of
from .presence import (
    Connection,
    Connections,
    PlanFeed,
    Presence,
    StoreUnavailable,
    make_presence,
    parse_chat,
    parse_enter,
    parse_watch,
)
from .presence.frames import NAMESPACE
from .presence.payloads import (
    CLOSED,
    INTERNAL_ERROR,
    RATE_LIMITED,
    UNAVAILABLE,
    UNKNOWN_EVENT,
    Refused,
)
from .presence.wire import Delivery, install
from .qa import ChatJournal, visitor_key
from .records import records_of
from .site import gallery_state

if TYPE_CHECKING:
    from .qa.keys import SharedKeys

log = logging.getLogger("gallery.presence")

Ack = dict[str, Any]


class Handlers:
    """The presence event handlers of one app, bound to its presence, rooms and sockets."""

    def __init__(self, app: Flask, server: Any, presence: Presence, delivery: Delivery) -> None:
        self.app = app
        self.site = app.extensions["gallery.site"]
        self.secret = app.config["SECRET_KEY"]
        self.server = server
        self.presence = presence
        self.delivery = delivery
        self.ticker = not app.testing  # tests call `flush()` themselves
        self.plan: PlanFeed | None = None  # the floor plan's feed, set by `init_app`
        # With servers sharing Redis, where each connection's stable key is kept for the others.
        self.keys: SharedKeys | None = None

    def connection(self, sid: str) -> Connection:
        """Return the connection of socket `sid`, registering it if its connect went unseen."""
        connection = self.presence.connection(sid)
        if connection is None:
            # Events go to the Engine.IO session, which the Socket.IO id names on the server.
            address = self.server.manager.eio_sid_from_sid(sid, NAMESPACE)
            connection = self.presence.connect(sid, address)
        return connection

    def connect(self, sid: str, environ: Any, auth: Any = None) -> None:
        """A client connects: it gets a visitor id but stands in no room until it sends `enter`.

        Its `auth` {token} gives it its stable visitor key, and the session cookie of its
        handshake tells whether a host is signed in: neither is ever sent to others.
        """
        connection = self.connection(sid)
        try:
            key = visitor_key(self.secret, auth)
            if key is not None:
                connection.key = key
            connection.host = host_from_environ(self.app, environ)
            if self.keys is not None:
                self.keys.remember(connection)
        except Exception:
            # A visitor, then: refusing the connection would take presence away too.
            log.exception("identifying a connection failed")
        broadcaster = self.presence.broadcaster
        if self.ticker and not broadcaster.running:
            # Started by the first visitor, in the server's async mode (a greenlet under gevent).
            broadcaster.running = True
            self.server.start_background_task(broadcaster.run, self.server.sleep)

    def disconnect(self, sid: str, *_reason: Any) -> None:
        """A client goes away: its visitor leaves its room; the room's next `presence` says so."""
        try:
            self.presence.disconnect(sid)
        except StoreUnavailable:
            pass  # the server enters its visitors afresh once the store is back
        except Exception:
            log.exception("disconnect handler failed")

    def require_open(self, connection: Connection) -> None:
        """Refuse with `closed` outside opening hours; hosts may rehearse before the opening."""
        state = gallery_state(self.app, self.app.extensions["gallery.clock"].now())
        if state == "closed" or (state == "before" and not connection.host):
            raise Refused(CLOSED)

    def enter(self, connection: Connection, payload: Any) -> Ack:
        """A client enters a room or moves to an exhibit; the next `presence` tells the room."""
        self.require_open(connection)
        presence = self.presence
        entered = parse_enter(payload, presence.name_max)
        return presence.enter(connection, entered, self.site.exhibition)

    def chat(self, connection: Connection, payload: Any) -> Ack:
        """A client says something; `chat` goes at once to everyone in its room, itself included."""
        self.presence.chat(connection, parse_chat(payload, self.presence.chat_max))
        return {"ok": True}

    def watch(self, connection: Connection, payload: Any) -> Ack:
        """A page showing the floor plan asks for its feed; `plan` events follow on the tick."""
        on = parse_watch(payload)
        self.presence.connections.watch(connection, on)
        if on and self.plan is not None:
            return {"ok": True, "plan": self.plan.snapshot()}
        return {"ok": True}

    def unknown(self, _connection: Connection, _payload: Any) -> Ack:
        """A client sends an event the protocol lacks (reserved names too); nothing is sent."""
        raise Refused(UNKNOWN_EVENT)

    def guarded(self, handler: Callable[[Connection, Any], Ack]) -> Callable[..., Ack]:
        """Wrap an event handler: rate-limit it, turn refusals and crashes into error acks."""
        delivery = self.delivery

        @functools.wraps(handler)
        def on_event(sid: str, *args: Any) -> Ack:
            try:
                connection = self.connection(sid)
                if delivery.backlogged(connection.address):
                    # The client asks but stopped reading: its acks would pile up unread.
                    return {"ok": False, "error": INTERNAL_ERROR}
                if not connection.bucket.allow():
                    return {"ok": False, "error": RATE_LIMITED}
                return handler(connection, args[0] if args else None)
            except Refused as refused:
                return {"ok": False, "error": refused.error}
            except StoreUnavailable:
                # Said once in the log by the store; the page shows live parts degraded.
                return {"ok": False, "error": UNAVAILABLE}
            except Exception:
                log.exception("%s handler failed", handler.__name__)
                return {"ok": False, "error": INTERNAL_ERROR}

        return on_event

    def register(self) -> None:
        """Register the handlers on the Socket.IO server's default namespace."""
        server = self.server
        server.on("connect", self.connect, namespace=NAMESPACE)
        server.on("disconnect", self.disconnect, namespace=NAMESPACE)
        server.on("enter", self.guarded(self.enter), namespace=NAMESPACE)
        server.on("chat", self.guarded(self.chat), namespace=NAMESPACE)
        server.on("watch", self.guarded(self.watch), namespace=NAMESPACE)
        unknown = self.guarded(self.unknown)
        # The catch-all is called with the event's name first.
        server.on("*", lambda _event, sid, *args: unknown(sid, *args), namespace=NAMESPACE)


def _shared(app: Flask, server: Any, delivery: Delivery) -> tuple[Any, Any]:
    """Return the presence store and sender shared with other servers on Redis, if any.

    (None, `delivery`) for a server alone: an in-memory store, events to its own sockets.
    """
    url = app.config["REDIS_URL"]
    if not url:
        return None, delivery
    from .presence.queue import GalleryQueue, SharedSender
    from .presence.redisclient import connect
    from .presence.redisstore import RedisStore

    queue = server.manager
    if not isinstance(queue, GalleryQueue):
        raise RuntimeError("REDIS_URL is set but the Socket.IO server has no message queue")
    queue.local = delivery
    # The queue's id names this server among the others, in presence too.
    store = RedisStore(connect(url), queue.host_id, history=app.config["CHAT_HISTORY"])
    # Changes lost to a lagging server: its clients' lists are wrong until they enter again.
    store.stream.behind = lambda: server.start_background_task(delivery.drop_all)
    app.extensions["gallery.redis"] = store
    from .sharedhosts import SharedRevoked, SharedThrottle

    hosts = hosts_of(app)
    hosts.shared = SharedRevoked(store.redis, store.prefix)
    hosts.throttle = SharedThrottle(hosts.throttle, store.redis, store.prefix)
    return store, SharedSender(delivery, queue)


def init_app(app: Flask) -> None:
    """Give `app` its presence and register the Socket.IO handlers."""
    site = app.extensions["gallery.site"]

    def room_slugs() -> list[str]:
        """Return the slugs of the rooms of the exhibition being served now."""
        return [room.slug for room in site.exhibition.rooms]

    server = socketio.server
    app.extensions["gallery.direct_writes"] = install(server)
    # One registry of this process's connections: presence places them, delivery reads it.
    connections = Connections()
    delivery = Delivery(server, connections, app.config["SEND_QUEUE_MAX"])
    clock = app.extensions["gallery.clock"]
    store, sender = _shared(app, server, delivery)
    presence = make_presence(
        app.config, connections, sender, room_slugs, store=store, now=clock.now, local=delivery
    )
    # Chat is kept with the questions, so that it survives restarts and hosts can moderate it.
    presence.chat_log = ChatJournal(records_of(app), app.config["CHAT_HISTORY"], shared=store)
    app.extensions["gallery.presence"] = presence
    handlers = Handlers(app, server, presence, delivery)
    if store is not None:
        from .qa.keys import SharedKeys

        handlers.keys = SharedKeys(store.redis, store.prefix)
    handlers.plan = PlanFeed(
        presence.store,
        connections,
        room_slugs,
        listed=app.config["PLAN_LISTED"],
        interval=app.config["PLAN_INTERVAL"],
    )
    # Every server reads the plan from the shared store and tells its own watchers.
    presence.broadcaster.add_source(handlers.plan, local=True)
    handlers.register()

    from . import demoday, preview

    demoday.init_app(app, handlers)
    preview.init_app(app, handlers)
