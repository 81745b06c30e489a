"""Socket.IO event handlers of the live Demo Day: check the payload, call `DemoDay`.

Registered next to the presence handlers and wrapped the same way (`Handlers.guarded`):
rate-limited, refusals and crashes answered as `{ok: false, error}`. Visitors ask, vote
and applaud under their stable key; host events are refused with `forbidden` unless the
connection's session cookie named a host when it connected, and then change nothing.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask import Flask

from .presence import Connection, Refused, StoreUnavailable
from .presence.frames import NAMESPACE
from .presence.text import default_name
from .qa import DemoDay
from .qa import payloads as p
from .qa.service import Ack, Stage
from .records import records_of

log = logging.getLogger("gallery.demoday")

if TYPE_CHECKING:
    from .qa.sharedtour import TourRecord
    from .sockets import Handlers

EXTENSION = "gallery.demoday"


Handler = Callable[[Any, Connection, Any], Ack]


def host_only(handler: Handler) -> Handler:
    """Refuse the event with `forbidden` before reading it unless a host sent it."""

    @functools.wraps(handler)
    def checked(self: Any, connection: Connection, payload: Any) -> Ack:
        if connection.host is None:
            raise Refused(p.FORBIDDEN)
        return handler(self, connection, payload)

    return checked


class DemoDayHandlers:
    """The Demo Day event handlers of one app, beside its presence handlers."""

    def __init__(self, handlers: Handlers, demoday: DemoDay) -> None:
        self.handlers = handlers
        self.presence = handlers.presence
        self.demoday = demoday
        self.text_max = demoday.text_max

    def name_of(self, connection: Connection) -> str:
        """Return the pseudonym the visitor goes by in their room, or a default one."""
        visitor = self.presence.store.visitor(connection.id)
        if visitor is not None:
            return visitor.name
        exhibition = self.demoday.exhibition()
        return default_name(10 + hash(connection.id) % 990, exhibition.default_language)

    def ask(self, connection: Connection, payload: Any) -> Ack:
        """A visitor asks a question of a session; ack {ok, id}; its stage room gets `questions`."""
        self.handlers.require_open(connection)
        asked = p.parse_ask(payload, self.text_max)
        name = self.name_of(connection)
        return self.demoday.ask(connection.key, name, asked.session, asked.text)

    def vote(self, connection: Connection, payload: Any) -> Ack:
        """A visitor votes for a question, once; ack {ok, votes}; its room gets `questions`."""
        self.handlers.require_open(connection)
        return self.demoday.vote(connection.key, p.parse_vote(payload))

    def applaud(self, connection: Connection, payload: Any) -> Ack:
        """A visitor claps during a session; ack {ok, count}; the stage room gets `applause`."""
        self.handlers.require_open(connection)
        return self.demoday.applaud(p.parse_session(payload))

    @host_only
    def live(self, connection: Connection, payload: Any) -> Ack:
        """A host marks a session live or ended; everyone gets `live` {session, state}."""
        session, state = p.parse_live(payload)
        return self.demoday.live(connection.host or "", session, state)

    @host_only
    def spotlight(self, connection: Connection, payload: Any) -> Ack:
        """A host spotlights an exhibit (or none); everyone gets `spotlight` {exhibit}."""
        return self.demoday.spotlight(connection.host or "", p.parse_spotlight(payload))

    @host_only
    def announce(self, connection: Connection, payload: Any) -> Ack:
        """A host announces something; everyone gets `announcement` {text, at}."""
        text = p.parse_announce(payload, self.text_max)
        return self.demoday.announce(connection.host or "", text)

    @host_only
    def gather(self, connection: Connection, payload: Any) -> Ack:
        """A host invites everyone to a room; everyone gets `gather` {room}."""
        return self.demoday.gather(connection.host or "", p.parse_gather(payload))

    @host_only
    def tour(self, connection: Connection, payload: Any) -> Ack:
        """A host starts or stops a guided tour; everyone gets `tour` {touring, room}, then
        again each time the host enters another room."""
        if p.parse_tour(payload):
            return self.demoday.start_tour(connection)
        return self.demoday.stop_tour()

    @host_only
    def moderate(self, connection: Connection, payload: Any) -> Ack:
        """A host marks a question open, answered or hidden; the stage room gets `questions`."""
        question, status = p.parse_moderate(payload)
        return self.demoday.moderate(connection.host or "", question, status)

    @host_only
    def hide_chat(self, connection: Connection, payload: Any) -> Ack:
        """A host hides a chat message; its room gets `chat_hidden` {id}."""
        return self.demoday.hide_chat(connection.host or "", p.parse_hide_chat(payload))

    @host_only
    def mute(self, connection: Connection, payload: Any) -> Ack:
        """A host mutes a connected visitor (by the id others see, on whichever server) for
        some minutes; nothing is broadcast: their chat and questions are refused `muted`."""
        visitor, minutes = p.parse_mute(payload)
        key = self.key_of(visitor)
        if key is None:
            raise Refused(p.UNKNOWN_VISITOR)
        return self.demoday.mute(connection.host or "", key, minutes)

    def key_of(self, visitor: str) -> str | None:
        """Return the stable key of visitor id `visitor`, connected here or, with servers
        sharing Redis, in a room on another server; None if it is nowhere."""
        found = self.presence.connections.find(visitor)
        if found is not None:
            return found.key
        keys = self.handlers.keys
        if keys is None or self.presence.store.visitor(visitor) is None:
            return None
        return keys.key_of(visitor)

    def register(self) -> None:
        """Register the handlers on the Socket.IO server's default namespace."""
        server, guarded = self.handlers.server, self.handlers.guarded
        for event in (
            "ask",
            "vote",
            "applaud",
            "live",
            "spotlight",
            "announce",
            "gather",
            "tour",
            "moderate",
            "hide_chat",
            "mute",
        ):
            server.on(event, guarded(getattr(self, event)), namespace=NAMESPACE)


def _shared_claps(app: Flask) -> Callable[[str], int] | None:
    """Return the clap counter of servers sharing Redis, or None for a server alone."""
    shared = app.extensions.get("gallery.redis")
    if shared is None:
        return None
    return lambda session: shared.incr("applause:" + session)


def _shared_tour(app: Flask) -> TourRecord | None:
    """Return the record of the tour servers sharing Redis keep, or None for a server alone."""
    shared = app.extensions.get("gallery.redis")
    if shared is None:
        return None
    from .qa.sharedtour import TourRecord

    return TourRecord(shared.redis, shared.server, shared.prefix)


def _share_stage(app: Flask, handlers: Handlers) -> None:
    """Keep the host's decisions in Redis for every server, when servers share one."""
    shared = app.extensions.get("gallery.redis")
    if shared is None:
        return
    from .qa.sharedstage import SharedStage

    stage = SharedStage(shared.redis, records_of(app).session_states, prefix=shared.prefix)
    app.extensions["gallery.stage"] = stage
    for event in ("live", "spotlight"):
        handlers.server.manager.follow(event, lambda _data: stage.refresh())


def init_app(app: Flask, handlers: Handlers) -> DemoDay:
    """Give `app` its Demo Day, drained on the presence tick, and register its handlers."""
    site = app.extensions["gallery.site"]
    _share_stage(app, handlers)

    def stage() -> Stage:
        """Return the app's stage state, which the stage pages read too."""
        return app.extensions["gallery.stage"]

    presence = handlers.presence
    demoday = DemoDay(
        records_of(app),
        presence.broadcaster.sender,
        lambda: site.exhibition,
        stage,
        presence.chat_log,  # type: ignore[arg-type]
        text_max=app.config["QUESTION_MAX"],
        clock=app.extensions["gallery.clock"].now,
        find_host=presence.connections.find_host,
        clap=_shared_claps(app),
        tour=_shared_tour(app),
    )
    for source in demoday.sources():
        presence.broadcaster.add_source(source)
    if demoday.tour.record is not None:
        handlers.server.manager.follow("tour", demoday.tour.learn)
        try:
            demoday.tour.recall()
        except StoreUnavailable:
            log.warning("Redis is away: a tour already on is learnt at its next move")
    app.extensions[EXTENSION] = demoday
    DemoDayHandlers(handlers, demoday).register()
    return demoday
