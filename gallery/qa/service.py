"""The Demo Day use cases: what visitors and hosts do, each returning the ack to send.

The socket handlers (`gallery.demoday`) and the host console's forms call the very same
methods, with checked arguments: visitors by their stable key, hosts by their name (the
`actor` the moderation log keeps). Every write goes to the `Records` store and is committed
before the method returns; what others should hear goes through the `Sender` at once
(announcements, stage changes) or through a tick source (questions, applause, tour).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from ..content.model import Exhibition, Session
from ..presence import Connection, Refused, Sender
from ..presence.payloads import UNKNOWN_EXHIBIT, UNKNOWN_ROOM
from ..records import HiddenQuestion, Records, UnknownMessage, UnknownQuestion
from .chat import ChatJournal, stamp
from .coalesce import Applause, QuestionBoard, Tour
from .payloads import MUTED, QUESTION_HIDDEN, UNKNOWN_MESSAGE, UNKNOWN_QUESTION, UNKNOWN_SESSION

if TYPE_CHECKING:
    from .sharedtour import TourRecord

Ack = dict[str, Any]


class Stage(Protocol):
    """What the hosts steer on the stage: which sessions are live or over, and the spotlight."""

    def live(self, session_id: str, state: str) -> None:
        """Mark the session "live" or "ended"."""
        ...

    def spotlight(self, exhibit: str | None) -> None:
        """Put "room/exhibit" in the spotlight, or nothing (None)."""
        ...


def stage_room(exhibition: Exhibition, session: Session) -> str | None:
    """Return the slug of the room a session takes place in: its own, or the first stage."""
    if session.room is not None:
        return session.room
    return next((room.slug for room in exhibition.rooms if room.kind == "stage"), None)


def utcnow() -> datetime:
    """Return the current time, aware, in UTC."""
    return datetime.now(UTC)


class DemoDay:
    """The live Demo Day of one app: its records, sender, stage and coalesced broadcasts."""

    def __init__(
        self,
        records: Records,
        sender: Sender,
        exhibition: Callable[[], Exhibition],
        stage: Callable[[], Stage],
        chat: ChatJournal,
        *,
        text_max: int = 500,
        clock: Callable[[], datetime] = utcnow,
        find_host: Callable[[str], Connection | None] = lambda _host: None,
        clap: Callable[[str], int] | None = None,
        tour: TourRecord | None = None,
    ) -> None:
        self.records = records
        self.sender = sender
        self.exhibition = exhibition
        self.stage = stage
        self.chat = chat
        self.text_max = text_max
        self.clock = clock
        self.board = QuestionBoard(records, self.room_of)
        # `clap`: a session's count after one more clap, counted by every server alike.
        self.applause = Applause(self.room_of, clap)
        # The guide's next page is another connection of the same host; `tour`, the record
        # of the tour every server shares (`sharedtour.TourRecord`), lets it be on another.
        self.tour = Tour(find_host, record=tour)
        # A question never changes session: remembered, a vote needs no second query.
        self._session_of: dict[int, str] = {}

    def sources(self) -> list[Any]:
        """Return the tick sources the presence broadcaster must drain."""
        return [self.board, self.applause, self.tour]

    def session(self, session_id: str) -> Session:
        """Return the agenda session with this id, or refuse with `unknown session`."""
        for session in self.exhibition().agenda:
            if session.id == session_id:
                return session
        raise Refused(UNKNOWN_SESSION)

    def room_of(self, session_id: str) -> str | None:
        """Return the stage room of a session, None if it is gone from the agenda."""
        try:
            return stage_room(self.exhibition(), self.session(session_id))
        except Refused:
            return None

    def questions(self, session_id: str) -> list[dict[str, Any]]:
        """Return the visible questions of a session, most votes first, then oldest first."""
        self.session(session_id)
        return self.board.items(session_id)

    # Visitors

    def ask(self, visitor: str, name: str, session_id: str, text: str) -> Ack:
        """Store a visitor's question, open, and show it to the stage room on the next tick."""
        self.session(session_id)
        if self.records.muted_until(visitor) is not None:
            raise Refused(MUTED)
        question = self.records.add_question(session_id, visitor, name, text)
        self._session_of[question.id] = session_id
        self.board.touch(session_id)
        return {"ok": True, "id": question.id}

    def vote(self, visitor: str, question_id: int) -> Ack:
        """Count the visitor's vote for a question once; the stage room sees it next tick."""
        try:
            votes = self.records.vote(question_id, visitor)
        except UnknownQuestion:
            raise Refused(UNKNOWN_QUESTION) from None
        except HiddenQuestion:
            raise Refused(QUESTION_HIDDEN) from None
        session = self._session_of.get(question_id)
        if session is None:
            question = self.records.question(question_id)
            if question is None:  # deleted meanwhile, by hand
                return {"ok": True, "votes": votes}
            session = self._session_of[question_id] = question.session
        self.board.touch(session)
        return {"ok": True, "votes": votes}

    def applaud(self, session_id: str) -> Ack:
        """Count a clap for the session; the stage room hears the total on the next tick."""
        self.session(session_id)
        return {"ok": True, "count": self.applause.add(session_id)}

    # Hosts

    def live(self, actor: str, session_id: str, state: str) -> Ack:
        """Mark a session live or ended (kept, with who did it); everyone gets `live`."""
        self.session(session_id)
        self.records.set_session_state(session_id, state, actor)  # type: ignore[arg-type]
        self.stage().live(session_id, state)
        self.sender.everyone("live", {"session": session_id, "state": state})
        return {"ok": True}

    def spotlight(self, actor: str, exhibit: str | None) -> Ack:
        """Spotlight "room/exhibit" (or nothing) and tell everyone: `spotlight` {exhibit}."""
        if exhibit is not None:
            room, _, slug = exhibit.partition("/")
            found = self.exhibition().room(room)
            if found is None:
                raise Refused(UNKNOWN_ROOM)
            if found.exhibit(slug) is None:
                raise Refused(UNKNOWN_EXHIBIT)
        self.stage().spotlight(exhibit)
        self.sender.everyone("spotlight", {"exhibit": exhibit})
        return {"ok": True}

    def announce(self, actor: str, text: str) -> Ack:
        """Send everyone an announcement: `announcement` {text, at}."""
        at = stamp(self.clock())
        self.sender.everyone("announcement", {"text": text, "at": at})
        return {"ok": True, "at": at}

    def gather(self, actor: str, room: str) -> Ack:
        """Invite everyone to a room: `gather` {room}; pages offer to go, never take them."""
        if self.exhibition().room(room) is None:
            raise Refused(UNKNOWN_ROOM)
        self.sender.everyone("gather", {"room": room})
        return {"ok": True}

    def start_tour(self, guide: Connection) -> Ack:
        """Make the host behind `guide` lead a tour: `tour` {touring, room} to everyone now
        and each time they enter another room."""
        event = self.tour.start(guide)
        self.sender.everyone("tour", event)
        return {"ok": True, "room": event["room"]}

    def stop_tour(self) -> Ack:
        """End the tour: `tour` {touring: false, room: null} to everyone."""
        self.sender.everyone("tour", self.tour.stop())
        return {"ok": True}

    def moderate(self, actor: str, question_id: int, status: str) -> Ack:
        """Mark a question open, answered or hidden; the stage room sees the list next tick."""
        try:
            question = self.records.set_status(question_id, status, actor)  # type: ignore[arg-type]
        except UnknownQuestion:
            raise Refused(UNKNOWN_QUESTION) from None
        self.board.touch(question.session)
        return {"ok": True, "status": question.status}

    def hide_chat(self, actor: str, message_id: int) -> Ack:
        """Hide a chat message for good; its room gets `chat_hidden` {id}."""
        try:
            message = self.chat.hide(message_id, actor)
        except UnknownMessage:
            raise Refused(UNKNOWN_MESSAGE) from None
        self.sender.room(message.room, "chat_hidden", {"id": message_id})
        return {"ok": True}

    def mute(self, actor: str, visitor: str, minutes: int) -> Ack:
        """Refuse the visitor's chat and questions for `minutes` (0 lifts a mute)."""
        until = self.clock() + timedelta(minutes=minutes)
        self.records.mute(visitor, until, actor)
        return {"ok": True, "until": stamp(until)}
