"""The room chat written through the records: durable, moderated, its history kept warm.

Presence hands every accepted chat message to its `chat_log`; this one refuses muted
visitors, commits the message before it is acknowledged or sent, and keeps each room's
last messages in memory (loaded from the store on first use) so that an `enter` ack
never waits for the database.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from ..presence import Connection, Refused
from ..records import ChatMessage, Records
from .payloads import MUTED


def stamp(at: datetime) -> str:
    """Return a UTC time as ISO 8601 to the second, like `2026-06-17T14:02:11Z`."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class SharedHistory(Protocol):
    """The rooms' recent chat kept where every server reads it (`RedisStore`)."""

    def chat_load(self, room: str, loader: Callable[[], list[dict[str, Any]]]) -> None:
        """Fill the room's history from `loader` unless it was filled already."""
        ...

    def say(self, room: str, message: dict[str, Any]) -> None:
        """Append a message to the room's history."""
        ...

    def history(self, room: str) -> list[dict[str, Any]]:
        """Return the room's history, oldest first."""
        ...

    def chat_drop(self, room: str, message_id: int) -> None:
        """Drop a hidden message from the room's history."""
        ...


class ChatJournal:
    """The `ChatLog` of presence over a `Records` store, with a per-room history cache.

    With `shared`, the cache is kept there, so that every server lists the messages said
    on the others.
    """

    def __init__(
        self, records: Records, history: int = 50, shared: SharedHistory | None = None
    ) -> None:
        self.records = records
        self.size = history
        self.shared = shared
        self._rooms: dict[str, deque[dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def record(self, connection: Connection, room: str, name: str, text: str) -> dict[str, Any]:
        """Store a message said in `room` and return the `chat` event; refuse a muted visitor."""
        records = self.records
        if records.muted_until(connection.key) is not None:
            raise Refused(MUTED)
        shared = self.shared
        # Loaded before the write, so that the new message is not read back and added twice.
        if shared is not None:
            shared.chat_load(room, lambda: self._stored(room))
        else:
            history = self._history(room)
        stored = records.add_chat(room, connection.key, name, text)
        message = {"id": connection.id, "name": name, "text": text, "at": stamp(stored.at)}
        message["message"] = stored.id
        if shared is not None:
            shared.say(room, message)
            return message
        with self._lock:
            history.append(message)
        return message

    def history(self, room: str) -> list[dict[str, Any]]:
        """Return the room's last messages that are not hidden, oldest first."""
        shared = self.shared
        if shared is not None:
            shared.chat_load(room, lambda: self._stored(room))
            return shared.history(room)
        history = self._history(room)
        with self._lock:
            return list(history)

    def kept_in(self, store: object, room: str) -> bool:
        """Tell whether the room's history is `store`'s own (the shared one), filling it there
        from the database first if need be."""
        shared = self.shared
        if shared is None or shared is not store:
            return False
        shared.chat_load(room, lambda: self._stored(room))
        return True

    def hide(self, message_id: int, by: str) -> ChatMessage:
        """Hide a message in the store and drop it from its room's history; return it."""
        hidden = self.records.hide_chat(message_id, by)
        if self.shared is not None:
            self.shared.chat_drop(hidden.room, message_id)
            return hidden
        history = self._rooms.get(hidden.room)
        if history is not None:
            with self._lock:
                kept = [m for m in history if m.get("message") != message_id]
                history.clear()
                history.extend(kept)
        return hidden

    def _history(self, room: str) -> deque[dict[str, Any]]:
        """Return the room's history, read from the store the first time."""
        history = self._rooms.get(room)
        if history is None:
            loaded = self._stored(room)
            with self._lock:
                history = self._rooms.setdefault(room, deque(loaded, maxlen=self.size))
        return history

    def _stored(self, room: str) -> list[dict[str, Any]]:
        """Return the room's last messages as the database holds them."""
        stored = self.records.recent_chat(room, self.size)
        # Visitor ids name connections, gone since: stored messages carry none.
        return [
            {"id": "", "name": m.name, "text": m.text, "at": stamp(m.at), "message": m.id}
            for m in stored
        ]
