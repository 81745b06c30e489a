"""What the Q&A, the chat and the host console keep: records, refusals and the store interface.

The socket handlers and the host console only speak to a `Records` store; `SqlRecords`
keeps everything in an SQL database (SQLite by default, PostgreSQL by URL). Every method
that writes commits before it returns, so an ack sent after it is never for lost data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

Status = Literal["open", "answered", "hidden"]
STATUSES: tuple[Status, ...] = ("open", "answered", "hidden")

SessionState = Literal["scheduled", "live", "ended"]
SESSION_STATES: tuple[SessionState, ...] = ("scheduled", "live", "ended")

# What set_status writes to the moderation log for each new status.
STATUS_ACTIONS: dict[str, str] = {
    "open": "reopen-question",
    "answered": "answer-question",
    "hidden": "hide-question",
}


class RecordsError(Exception):
    """A request the store refuses; `error` is the short text an ack carries."""

    error = "storage error"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail or self.error)


class UnknownQuestion(RecordsError):
    """No question has this id."""

    error = "unknown question"


class HiddenQuestion(RecordsError):
    """The question was hidden by a host: nobody may vote for it any more."""

    error = "hidden question"


class UnknownMessage(RecordsError):
    """No chat message has this id."""

    error = "unknown message"


class StorageUnavailable(RecordsError):
    """The database cannot be opened or brought up to date."""

    error = "storage unavailable"


@dataclass(frozen=True, slots=True)
class Question:
    """A question asked during one session of the agenda, with its vote count."""

    id: int
    session: str
    text: str
    visitor: str
    name: str
    status: Status
    votes: int
    created_at: datetime  # UTC
    updated_at: datetime  # UTC

    def public(self) -> dict[str, Any]:
        """Return what visitors see of the question: {id, text, name, votes, status}."""
        return {
            "id": self.id,
            "text": self.text,
            "name": self.name,
            "votes": self.votes,
            "status": self.status,
        }


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """One chat message said in one room; hidden ones are kept for the record."""

    id: int
    room: str
    visitor: str
    name: str
    text: str
    at: datetime  # UTC
    hidden: bool


@dataclass(frozen=True, slots=True)
class ModerationEntry:
    """One decision of a host: who did what to which question, message or visitor, and when."""

    id: int
    at: datetime  # UTC
    actor: str
    action: str  # a value of STATUS_ACTIONS, "hide-chat", "mute" or "session-" + a state
    target: str  # question id, message id or visitor id
    detail: str  # e.g. the end of a mute, ISO 8601


class Records(Protocol):
    """Durable questions, votes, chat and moderation decisions of the whole exhibition."""

    def upgrade(self) -> None:
        """Bring the database schema up to date (it also happens before the first use)."""
        ...

    def add_question(self, session: str, visitor: str, name: str, text: str) -> Question:
        """Store an open question asked by `visitor` during `session` and return it."""
        ...

    def question(self, question_id: int) -> Question | None:
        """Return the question with this id, or None."""
        ...

    def vote(self, question_id: int, voter: str) -> int:
        """Count `voter`'s vote for the question once, however often they vote; return its votes.

        Raises UnknownQuestion or HiddenQuestion.
        """
        ...

    def set_status(self, question_id: int, status: Status, by: str) -> Question:
        """Mark a question open, answered or hidden, log who did it, and return it."""
        ...

    def questions(self, session: str, include_hidden: bool = False) -> list[Question]:
        """Return the session's questions, most votes first, then oldest first."""
        ...

    def add_chat(self, room: str, visitor: str, name: str, text: str) -> ChatMessage:
        """Store a chat message said in `room` and return it."""
        ...

    def hide_chat(self, message_id: int, by: str) -> ChatMessage:
        """Hide a chat message from visitors, log who did it, and return it."""
        ...

    def recent_chat(self, room: str, n: int, include_hidden: bool = False) -> list[ChatMessage]:
        """Return the last `n` chat messages of `room`, oldest first."""
        ...

    def mute(self, visitor: str, until: datetime, by: str) -> None:
        """Keep `visitor` from asking and chatting until `until` (a past time lifts a mute)."""
        ...

    def muted_until(self, visitor: str) -> datetime | None:
        """Return when the visitor's mute ends, or None if they are not muted now."""
        ...

    def set_session_state(self, session: str, state: SessionState, by: str) -> None:
        """Mark an agenda session scheduled, live or ended, and log who did it."""
        ...

    def session_states(self) -> dict[str, SessionState]:
        """Return the state of every session a host marked, oldest decision first."""
        ...

    def moderation_log(self, limit: int = 100) -> list[ModerationEntry]:
        """Return the last `limit` decisions of the hosts, newest first."""
        ...

    def export(self, session: str) -> list[dict[str, Any]]:
        """Return every question of the session, hidden ones included, oldest first, as rows."""
        ...

    def close(self) -> None:
        """Close the database connections; the store opens them again if used."""
        ...
