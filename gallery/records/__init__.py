"""Durable records of the Demo Day: questions and votes, chat, and the hosts' decisions.

Pure Python over SQLAlchemy (no Flask): `SqlRecords` keeps them in SQLite under the data
folder or in PostgreSQL, with the schema brought up to date by the Alembic migrations
shipped in `migrations/`. The app keeps its store in `app.extensions[EXTENSION]`.
"""

from __future__ import annotations

from typing import Any

from .engine import display_url
from .export import EXPORT_FIELDS, FORMATS, export_rows, render, to_csv, to_json
from .model import (
    SESSION_STATES,
    STATUSES,
    ChatMessage,
    HiddenQuestion,
    ModerationEntry,
    Question,
    Records,
    RecordsError,
    SessionState,
    Status,
    StorageUnavailable,
    UnknownMessage,
    UnknownQuestion,
)
from .sql import SqlRecords

EXTENSION = "gallery.records"


def records_of(app: Any) -> Records:
    """Return the store of a gallery app (anything with Flask's `extensions` mapping)."""
    return app.extensions[EXTENSION]


__all__ = [
    "EXPORT_FIELDS",
    "EXTENSION",
    "FORMATS",
    "SESSION_STATES",
    "STATUSES",
    "ChatMessage",
    "HiddenQuestion",
    "ModerationEntry",
    "Question",
    "Records",
    "RecordsError",
    "SessionState",
    "SqlRecords",
    "Status",
    "StorageUnavailable",
    "UnknownMessage",
    "UnknownQuestion",
    "display_url",
    "export_rows",
    "records_of",
    "render",
    "to_csv",
    "to_json",
]
