"""The queue carrying events between servers: each event reaches each server's sockets once."""

from __future__ import annotations

from typing import Any

import orjson

from gallery.presence.queue import GalleryQueue, SharedSender


class Recorder:
    """A Sender that keeps what it was asked to send."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, Any, str, Any]] = []

    def room(self, slug: str, event: str, data: Any) -> None:
        self.sent.append(("room", slug, event, data))

    def everyone(self, event: str, data: Any) -> None:
        self.sent.append(("everyone", None, event, data))

    def watchers(self, event: str, data: Any) -> None:
        self.sent.append(("watchers", None, event, data))


class Published(GalleryQueue):
    """A queue that keeps what it publishes instead of sending it to Redis."""

    def __init__(self) -> None:
        super().__init__("redis://127.0.0.1:1/0")
        self.published: list[bytes] = []

    def _publish(self, data: Any) -> None:
        self.published.append(orjson.dumps(data))


def test_a_shared_event_is_delivered_here_once_and_there_once() -> None:
    """An event sent through the queue reaches this server's sockets and the other's, once each."""
    here, there = Recorder(), Recorder()
    sending, receiving = Published(), Published()
    receiving.local = there
    sending.local = here
    sender = SharedSender(here, sending)
    sender.room("hall", "chat", {"text": "hi"})
    sender.everyone("announcement", {"text": "doors"})
    assert here.sent == [
        ("room", "hall", "chat", {"text": "hi"}),
        ("everyone", None, "announcement", {"text": "doors"}),
    ]
    for message in sending.published:
        receiving.receive(message)
        sending.receive(message)  # its own message comes back: delivered already
    assert there.sent == here.sent
    assert len(here.sent) == 2
