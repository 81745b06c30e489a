"""`SqlRecords`: the `Records` store in an SQL database reached through SQLAlchemy Core."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Insert, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from . import migrate
from .engine import display_url, make_engine
from .export import export_rows
from .model import (
    SESSION_STATES,
    STATUS_ACTIONS,
    STATUSES,
    ChatMessage,
    HiddenQuestion,
    ModerationEntry,
    Question,
    SessionState,
    Status,
    StorageUnavailable,
    UnknownMessage,
    UnknownQuestion,
)
from .queries import (
    ADD_CHAT,
    ADD_QUESTION,
    COUNT_VOTES,
    QUESTION_COLUMNS,
    STATUS_OF,
    VOTE_COUNT,
    chat_from,
    question_from,
)
from .tables import chat_messages, moderation_log, mutes, questions, session_states, votes

# The dialects whose upserts the store writes; only the one in use is imported (PostgreSQL's
# is 2 MB a SQLite server would keep for nothing).
_DIALECTS = ("sqlite", "postgresql")


def utcnow() -> datetime:
    """Return the current time, aware, in UTC."""
    return datetime.now(UTC)


class SqlRecords:
    """A `Records` store in the database at `url`; connects and migrates on first use."""

    def __init__(self, url: str, clock: Callable[[], datetime] = utcnow) -> None:
        self.url = url
        self._clock = clock
        self._engine: Engine | None = None
        self._dialect: Any = None  # sqlalchemy.dialects.sqlite or .postgresql, for upserts
        self._add_vote: Any = None
        # Handlers may run in threads (tests, development server): one opening at a time.
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"SqlRecords({display_url(self.url)!r})"

    @property
    def engine(self) -> Engine:
        """The engine, opened and migrated to the newest schema on first use."""
        engine = self._engine
        if engine is None:
            with self._lock:
                if self._engine is None:
                    self._engine = self._open()
                engine = self._engine
        return engine

    def _open(self) -> Engine:
        """Open the database and apply the migrations it lacks."""
        try:
            engine = make_engine(self.url)
            if engine.dialect.name not in _DIALECTS:
                raise StorageUnavailable(f"unsupported database: {engine.dialect.name}")
            dialect = importlib.import_module(f"sqlalchemy.dialects.{engine.dialect.name}")
            self._dialect = dialect
            self._add_vote = dialect.insert(votes).on_conflict_do_nothing()
            migrate.upgrade(engine)
        except (SQLAlchemyError, OSError) as exc:
            raise StorageUnavailable(f"{display_url(self.url)}: {exc}") from exc
        return engine

    def upgrade(self) -> None:
        """Bring the database schema up to date (it also happens before the first use)."""
        if self._engine is None:
            self.engine  # noqa: B018 - opening migrates
            return
        try:
            migrate.upgrade(self._engine)
        except SQLAlchemyError as exc:
            raise StorageUnavailable(f"{display_url(self.url)}: {exc}") from exc

    def close(self) -> None:
        """Close the database connections; the store opens them again if used."""
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """Yield a connection in a write transaction, committed when the block ends."""
        with self.engine.connect().execution_options(write=True) as conn, conn.begin():
            yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        """Yield a connection in a read transaction."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    def _add(self, statement: Insert, **values: Any) -> int:
        """Insert one row with `statement`, which returns the id, in a transaction of its own."""
        with self._write() as conn:
            return conn.execute(statement, values).scalar_one()

    # Questions and votes

    def add_question(self, session: str, visitor: str, name: str, text: str) -> Question:
        """Store an open question asked by `visitor` during `session` and return it."""
        now = self._clock()
        new_id = self._add(
            ADD_QUESTION,
            session=session,
            text=text,
            visitor=visitor,
            name=name,
            status="open",
            created_at=now,
            updated_at=now,
        )
        return Question(new_id, session, text, visitor, name, "open", 0, now, now)

    def question(self, question_id: int) -> Question | None:
        """Return the question with this id, or None."""
        with self._read() as conn:
            row = conn.execute(
                select(*QUESTION_COLUMNS).where(questions.c.id == question_id)
            ).first()
        return question_from(row) if row else None

    def vote(self, question_id: int, voter: str) -> int:
        """Count `voter`'s vote for the question once, however often they vote; return its votes.

        Raises UnknownQuestion or HiddenQuestion.
        """
        key = {"question_id": question_id}
        with self._write() as conn:
            status = conn.execute(STATUS_OF, key).scalar_one_or_none()
            if status is None:
                raise UnknownQuestion()
            if status == "hidden":
                raise HiddenQuestion()
            conn.execute(self._add_vote, {**key, "voter": voter, "at": self._clock()})
            return conn.execute(COUNT_VOTES, key).scalar_one()

    def set_status(self, question_id: int, status: Status, by: str) -> Question:
        """Mark a question open, answered or hidden, log who did it, and return it."""
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
        now = self._clock()
        with self._write() as conn:
            found = conn.execute(
                update(questions)
                .where(questions.c.id == question_id)
                .values(status=status, updated_at=now)
            ).rowcount
            if not found:
                raise UnknownQuestion()
            self._log(conn, now, by, STATUS_ACTIONS[status], str(question_id))
            row = conn.execute(select(*QUESTION_COLUMNS).where(questions.c.id == question_id)).one()
        return question_from(row)

    def questions(self, session: str, include_hidden: bool = False) -> list[Question]:
        """Return the session's questions, most votes first, then oldest first."""
        query = select(*QUESTION_COLUMNS).where(questions.c.session == session)
        if not include_hidden:
            query = query.where(questions.c.status != "hidden")
        query = query.order_by(VOTE_COUNT.desc(), questions.c.id)
        with self._read() as conn:
            return [question_from(row) for row in conn.execute(query)]

    def export(self, session: str) -> list[dict[str, Any]]:
        """Return every question of the session, hidden ones included, oldest first, as rows."""
        query = (
            select(*QUESTION_COLUMNS).where(questions.c.session == session).order_by(questions.c.id)
        )
        with self._read() as conn:
            return export_rows([question_from(row) for row in conn.execute(query)])

    # Chat

    def add_chat(self, room: str, visitor: str, name: str, text: str) -> ChatMessage:
        """Store a chat message said in `room` and return it."""
        now = self._clock()
        new_id = self._add(
            ADD_CHAT, room=room, visitor=visitor, name=name, text=text, at=now, hidden=False
        )
        return ChatMessage(new_id, room, visitor, name, text, now, False)

    def hide_chat(self, message_id: int, by: str) -> ChatMessage:
        """Hide a chat message from visitors, log who did it, and return it."""
        with self._write() as conn:
            found = conn.execute(
                update(chat_messages).where(chat_messages.c.id == message_id).values(hidden=True)
            ).rowcount
            if not found:
                raise UnknownMessage()
            self._log(conn, self._clock(), by, "hide-chat", str(message_id))
            row = conn.execute(select(chat_messages).where(chat_messages.c.id == message_id)).one()
        return chat_from(row)

    def recent_chat(self, room: str, n: int, include_hidden: bool = False) -> list[ChatMessage]:
        """Return the last `n` chat messages of `room`, oldest first."""
        query = select(chat_messages).where(chat_messages.c.room == room)
        if not include_hidden:
            query = query.where(chat_messages.c.hidden == False)  # noqa: E712 - SQL
        query = query.order_by(chat_messages.c.id.desc()).limit(max(n, 0))
        with self._read() as conn:
            rows = conn.execute(query).all()
        return [chat_from(row) for row in reversed(rows)]

    # Moderation

    def mute(self, visitor: str, until: datetime, by: str) -> None:
        """Keep `visitor` from asking and chatting until `until` (a past time lifts a mute)."""
        if until.tzinfo is None:
            raise ValueError("until must be timezone-aware")
        now = self._clock()
        with self._write() as conn:
            conn.execute(
                self._dialect.insert(mutes)
                .values(visitor=visitor, until=until)
                .on_conflict_do_update(index_elements=[mutes.c.visitor], set_={"until": until})
            )
            self._log(conn, now, by, "mute", visitor, until.astimezone(UTC).isoformat())

    def muted_until(self, visitor: str) -> datetime | None:
        """Return when the visitor's mute ends, or None if they are not muted now."""
        with self._read() as conn:
            until = conn.execute(
                select(mutes.c.until).where(mutes.c.visitor == visitor)
            ).scalar_one_or_none()
        return until if until is not None and until > self._clock() else None

    def set_session_state(self, session: str, state: SessionState, by: str) -> None:
        """Mark an agenda session scheduled, live or ended, and log who did it."""
        if state not in SESSION_STATES:
            raise ValueError(f"state must be one of {', '.join(SESSION_STATES)}, not {state!r}")
        now = self._clock()
        values = {"state": state, "updated_at": now}
        with self._write() as conn:
            conn.execute(
                self._dialect.insert(session_states)
                .values(session=session, **values)
                .on_conflict_do_update(index_elements=[session_states.c.session], set_=values)
            )
            self._log(conn, now, by, f"session-{state}", session)

    def session_states(self) -> dict[str, SessionState]:
        """Return the state of every session a host marked, oldest decision first."""
        # The order matters: a session set live later takes its room from an earlier one.
        query = select(session_states.c.session, session_states.c.state).order_by(
            session_states.c.updated_at, session_states.c.session
        )
        with self._read() as conn:
            return {session: state for session, state in conn.execute(query)}

    def moderation_log(self, limit: int = 100) -> list[ModerationEntry]:
        """Return the last `limit` decisions of the hosts, newest first."""
        query = select(moderation_log).order_by(moderation_log.c.id.desc()).limit(max(limit, 0))
        with self._read() as conn:
            return [ModerationEntry(*row) for row in conn.execute(query)]

    def _log(
        self, conn: Connection, at: datetime, actor: str, action: str, target: str, detail: str = ""
    ) -> None:
        """Write one host decision to the moderation log, in the caller's transaction."""
        conn.execute(
            insert(moderation_log).values(
                at=at, actor=actor, action=action, target=target, detail=detail
            )
        )
