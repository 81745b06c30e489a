"""The message queue between gallery servers: python-socketio's Redis manager, and a sender
that hands each event to this process's sockets and to every other server's.

Flask-SocketIO's `message_queue` makes a `socketio.RedisManager` the server's client
manager, so that an `emit` reaches clients on every server. The gallery sends its own
events through `wire.Delivery`, which writes to this process's sockets only, so the
manager here (`GalleryQueue`) also carries them: `SharedSender` delivers an event locally
at once and publishes it on the same channel; every other server's listener hands it to
its own `Delivery`. Each socket is held by one server, so each gets the event exactly once.

Only what one server decides goes through the queue (chat, Demo Day events, host
commands). `presence`, `occupancy` and `plan` do not: every server drains the shared
store and tells its own sockets (`Broadcaster.local`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

import orjson
import socketio

from .broadcast import Sender

log = logging.getLogger("gallery.presence")

# Published messages of ours start with this, so that the listener picks them out before
# python-socketio decodes the message (its own start with `{"method":"emit"...`).
_MARK = b'{"method":"gallery"'
# Longest wait between two attempts to subscribe again after Redis went away: the manager
# of python-socketio doubles its wait up to a minute, too long for live presence.
RETRY_MAX = 2.0


class GalleryQueue(socketio.RedisManager):
    """python-socketio's Redis manager, also carrying the gallery's own events.

    `local` is this process's `Sender` (`wire.Delivery`), set once it exists.
    """

    local: Sender | None = None
    # Per event, what this server learns from another server's event before its own sockets
    # get it, so that a visitor who heard it and then asks this server is told the same.
    followers: dict[str, list[Callable[[Any], None]]] | None = None

    def follow(self, event: str, learn: Callable[[Any], None]) -> None:
        """Call `learn(data)` whenever another server's event `event` arrives, first."""
        if self.followers is None:
            self.followers = {}
        self.followers.setdefault(event, []).append(learn)

    def publish_event(self, target: str, slug: str | None, event: str, data: Any) -> None:
        """Publish an event for the other servers' sockets: `target` room, everyone, watchers."""
        self._publish(
            {
                "method": "gallery",
                "host_id": self.host_id,
                "target": target,
                "slug": slug,
                "event": event,
                "data": data,
            }
        )

    def receive(self, raw: bytes) -> None:
        """Deliver an event another server published to this process's sockets."""
        message = orjson.loads(raw)
        local = self.local
        if local is None or message.get("host_id") == self.host_id:
            return  # delivered here when it was sent
        target, event, data = message["target"], message["event"], message["data"]
        for learn in (self.followers or {}).get(event, ()):
            try:
                learn(data)
            except Exception:  # Redis away, say: this server's sockets still get the event
                log.exception("learning from another server's %s failed", event)
        if target == "room":
            local.room(message["slug"], event, data)
        elif target == "everyone":
            local.everyone(event, data)
        elif target == "watchers":
            local.watchers(event, data)

    def _listen(self) -> Iterator[Any]:
        """Yield python-socketio's messages; deliver the gallery's own on the way."""
        for message in super()._listen():
            if isinstance(message, bytes) and message.startswith(_MARK):
                try:
                    self.receive(message)
                except Exception:
                    log.exception("delivering an event from another server failed")
                continue
            yield message

    def _redis_listen_with_retries(self) -> Iterator[Any]:
        """Listen on the channel, subscribing again every few seconds while Redis is away."""
        wait = 0.25
        subscribed = False
        while True:
            try:
                if not subscribed:
                    self._redis_connect()
                    self.pubsub.subscribe(self.channel)
                    subscribed = True
                    if wait > 0.25:
                        log.warning("Message queue: receiving from Redis again")
                    wait = 0.25
                yield from self.pubsub.listen()
            except Exception as error:
                if wait == 0.25:  # once per outage
                    log.warning("Message queue: cannot receive from Redis (%s); retrying", error)
                subscribed = False
                time.sleep(wait)
                wait = min(wait * 2, RETRY_MAX)


class SharedSender:
    """A `Sender` for events every server's sockets must get: delivered here, published too."""

    def __init__(self, local: Sender, queue: GalleryQueue) -> None:
        self.local = local
        self.queue = queue

    def room(self, slug: str, event: str, data: Any) -> None:
        """Send event `event` with `data` to every socket in room `slug`, on every server."""
        self.local.room(slug, event, data)
        self.queue.publish_event("room", slug, event, data)

    def everyone(self, event: str, data: Any) -> None:
        """Send event `event` with `data` to every connected socket, on every server."""
        self.local.everyone(event, data)
        self.queue.publish_event("everyone", None, event, data)

    def watchers(self, event: str, data: Any) -> None:
        """Send event `event` with `data` to every socket watching the plan, on every server."""
        self.local.watchers(event, data)
        self.queue.publish_event("watchers", None, event, data)
