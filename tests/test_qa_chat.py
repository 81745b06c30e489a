"""The chat journal: durable messages, mutes, hiding, and a history that stays warm."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from gallery.presence import Connection, Refused
from gallery.presence.limits import TokenBucket
from gallery.qa import ChatJournal
from gallery.records import SqlRecords


@pytest.fixture
def records(tmp_path: Path) -> SqlRecords:
    return SqlRecords(f"sqlite:///{tmp_path / 'gallery.sqlite3'}")


def connection(key: str = "v:ada") -> Connection:
    made = Connection("pub1", TokenBucket(10, 20), "addr")
    made.key = key
    return made


def test_messages_are_stored_and_kept_in_the_history(records: SqlRecords) -> None:
    journal = ChatJournal(records, history=2)
    for text in ("one", "two", "three"):
        message = journal.record(connection(), "hall", "Ada", text)
    assert message["id"] == "pub1" and message["text"] == "three"
    assert [m["text"] for m in journal.history("hall")] == ["two", "three"]
    [stored] = records.recent_chat("hall", 1)
    assert (stored.id, stored.visitor) == (message["message"], "v:ada")


def test_the_history_is_read_from_the_store_after_a_restart(records: SqlRecords) -> None:
    ChatJournal(records).record(connection(), "hall", "Ada", "before")
    fresh = ChatJournal(records)
    [message] = fresh.history("hall")
    assert (message["text"], message["id"]) == ("before", "")
    fresh.record(connection(), "hall", "Ada", "after")
    assert [m["text"] for m in fresh.history("hall")] == ["before", "after"]


def test_hidden_messages_leave_the_history(records: SqlRecords) -> None:
    journal = ChatJournal(records)
    spam = journal.record(connection(), "hall", "Ada", "spam")
    journal.record(connection(), "hall", "Ada", "fine")
    assert journal.hide(spam["message"], "alice").room == "hall"
    assert [m["text"] for m in journal.history("hall")] == ["fine"]


def test_muted_visitors_are_refused_and_nothing_is_stored(records: SqlRecords) -> None:
    journal = ChatJournal(records)
    records.mute("v:ada", datetime.now(UTC) + timedelta(minutes=1), "alice")
    with pytest.raises(Refused) as caught:
        journal.record(connection(), "hall", "Ada", "hello")
    assert caught.value.error == "muted"
    assert records.recent_chat("hall", 5) == []
    journal.record(connection("v:bob"), "hall", "Bob", "hello")
