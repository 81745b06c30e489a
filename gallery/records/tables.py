"""The SQL tables behind `SqlRecords`; the migrations in `migrations/` must build exactly these."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    false,
)
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so that migrations can name what they alter or drop.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID = 128  # length of visitor ids, session and room slugs, host names


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime, stored naive in UTC so SQLite and PostgreSQL agree."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        """Store aware datetimes as naive UTC; refuse naive ones, whose zone is unknown."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a naive datetime cannot be stored: give it a time zone")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        """Read naive UTC back as aware UTC."""
        return None if value is None else value.replace(tzinfo=UTC)


questions = Table(
    "questions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("session", String(ID), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("visitor", String(ID), nullable=False),
    Column("name", Text, nullable=False),
    Column("status", String(16), nullable=False, server_default="open"),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    CheckConstraint("status IN ('open', 'answered', 'hidden')", name="status"),
)

votes = Table(
    "votes",
    metadata,
    Column(
        "question_id",
        Integer,
        ForeignKey("questions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    # One row per voter and question: the primary key makes a second vote a no-op.
    Column("voter", String(ID), primary_key=True),
    Column("at", UTCDateTime, nullable=False),
)

chat_messages = Table(
    "chat_messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("room", String(ID), nullable=False),
    Column("visitor", String(ID), nullable=False),
    Column("name", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("hidden", Boolean, nullable=False, server_default=false()),
    # recent_chat reads the last ids of one room.
    Index(None, "room", "id"),
)

moderation_log = Table(
    "moderation_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(ID), nullable=False),
    Column("action", String(32), nullable=False),
    Column("target", String(ID), nullable=False),
    Column("detail", Text, nullable=False),
)

mutes = Table(
    "mutes",
    metadata,
    Column("visitor", String(ID), primary_key=True),
    Column("until", UTCDateTime, nullable=False),
)

session_states = Table(
    "session_states",
    metadata,
    Column("session", String(ID), primary_key=True),
    Column("state", String(16), nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    CheckConstraint("state IN ('scheduled', 'live', 'ended')", name="state"),
)

# Attendance, sampled while the gallery runs (gallery/attendance): counts only. No visitor id,
# name or address is ever written here.
occupancy_samples = Table(
    "occupancy_samples",
    metadata,
    Column("at", UTCDateTime, primary_key=True),
    Column("room", String(ID), primary_key=True),
    Column("visitors", Integer, nullable=False),
)

attendance_totals = Table(
    "attendance_totals",
    metadata,
    Column("at", UTCDateTime, primary_key=True),
    # Visitors in the gallery at `at`, and the most at once since the previous row.
    Column("visitors", Integer, nullable=False),
    Column("peak", Integer, nullable=False),
)

exhibit_visits = Table(
    "exhibit_visits",
    metadata,
    Column("hour", UTCDateTime, primary_key=True),
    Column("room", String(ID), primary_key=True),
    Column("exhibit", String(ID), primary_key=True),
    Column("visits", Integer, nullable=False),
    Column("seconds", Integer, nullable=False),
)
