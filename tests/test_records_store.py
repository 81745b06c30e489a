"""The records store, on SQLite and on PostgreSQL: every method, refusals, order, durability."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import timedelta

import pytest
from flask import Flask

from gallery.records import (
    HiddenQuestion,
    Records,
    RecordsError,
    SqlRecords,
    StorageUnavailable,
    UnknownMessage,
    UnknownQuestion,
    records_of,
)

from .records_fixtures import Clock


def test_sql_records_implements_the_interface() -> None:
    """SqlRecords provides every method of the Records interface, and no more is asked."""
    methods = {name for name, value in vars(Records).items() if callable(value)}
    methods = {name for name in methods if not name.startswith("_")}
    assert methods == {
        "upgrade",
        "add_question",
        "question",
        "vote",
        "set_status",
        "questions",
        "add_chat",
        "hide_chat",
        "recent_chat",
        "mute",
        "muted_until",
        "set_session_state",
        "session_states",
        "moderation_log",
        "export",
        "close",
    }
    assert all(callable(getattr(SqlRecords, name)) for name in methods)


def test_add_question_returns_it_open_with_no_vote(store: SqlRecords, clock: Clock) -> None:
    """A new question is open, has no vote, and reads back the same."""
    asked = store.add_question("keynote", "v1", "Ada", "Why gevent?")
    assert asked.id > 0
    assert (asked.session, asked.visitor, asked.name, asked.text) == (
        "keynote",
        "v1",
        "Ada",
        "Why gevent?",
    )
    assert (asked.status, asked.votes) == ("open", 0)
    assert asked.created_at == asked.updated_at == clock.now
    assert store.question(asked.id) == asked
    assert asked.public() == {
        "id": asked.id,
        "text": "Why gevent?",
        "name": "Ada",
        "votes": 0,
        "status": "open",
    }


def test_question_of_an_unknown_id_is_none(store: SqlRecords) -> None:
    assert store.question(12345) is None


def test_a_visitor_votes_once_however_often_they_vote(store: SqlRecords) -> None:
    """Voting again returns the same count; another voter adds one."""
    asked = store.add_question("keynote", "v1", "Ada", "Q")
    assert store.vote(asked.id, "v2") == 1
    assert store.vote(asked.id, "v2") == 1
    assert store.vote(asked.id, "v3") == 2
    assert store.vote(asked.id, "v2") == 2
    assert store.question(asked.id).votes == 2


def test_votes_for_one_question_do_not_count_for_another(store: SqlRecords) -> None:
    first = store.add_question("keynote", "v1", "Ada", "First")
    second = store.add_question("keynote", "v1", "Ada", "Second")
    store.vote(first.id, "v2")
    assert store.vote(second.id, "v2") == 1
    assert store.question(first.id).votes == 1


def test_voting_for_an_unknown_question_is_refused(store: SqlRecords) -> None:
    with pytest.raises(UnknownQuestion) as refused:
        store.vote(999, "v2")
    assert refused.value.error == "unknown question"


def test_voting_for_a_hidden_question_is_refused_and_not_counted(store: SqlRecords) -> None:
    asked = store.add_question("keynote", "v1", "Ada", "Spam")
    store.vote(asked.id, "v2")
    store.set_status(asked.id, "hidden", by="host")
    with pytest.raises(HiddenQuestion) as refused:
        store.vote(asked.id, "v3")
    assert refused.value.error == "hidden question"
    assert isinstance(refused.value, RecordsError)
    assert store.question(asked.id).votes == 1


def test_an_answered_question_can_still_be_voted_for(store: SqlRecords) -> None:
    asked = store.add_question("keynote", "v1", "Ada", "Q")
    store.set_status(asked.id, "answered", by="host")
    assert store.vote(asked.id, "v2") == 1


def test_set_status_changes_the_question_and_logs_who_did_it(
    store: SqlRecords, clock: Clock
) -> None:
    asked = store.add_question("keynote", "v1", "Ada", "Q")
    store.vote(asked.id, "v2")
    clock.advance(60)
    answered = store.set_status(asked.id, "answered", by="marie")
    assert (answered.status, answered.votes) == ("answered", 1)
    assert answered.updated_at == clock.now
    assert answered.created_at == asked.created_at
    clock.advance(1)
    store.set_status(asked.id, "hidden", by="paul")
    store.set_status(asked.id, "open", by="marie")
    log = store.moderation_log()
    assert [(e.actor, e.action, e.target) for e in log] == [
        ("marie", "reopen-question", str(asked.id)),
        ("paul", "hide-question", str(asked.id)),
        ("marie", "answer-question", str(asked.id)),
    ]
    assert log[-1].at == answered.updated_at


def test_set_status_refuses_an_unknown_question_and_logs_nothing(store: SqlRecords) -> None:
    with pytest.raises(UnknownQuestion):
        store.set_status(42, "answered", by="host")
    assert store.moderation_log() == []


def test_set_status_refuses_an_unknown_status(store: SqlRecords) -> None:
    asked = store.add_question("keynote", "v1", "Ada", "Q")
    with pytest.raises(ValueError, match="status must be one of open, answered, hidden"):
        store.set_status(asked.id, "deleted", by="host")  # type: ignore[arg-type]
    assert store.question(asked.id).status == "open"


def test_questions_come_most_voted_first_then_oldest_first(store: SqlRecords) -> None:
    a = store.add_question("keynote", "v1", "Ada", "A")
    b = store.add_question("keynote", "v1", "Ada", "B")
    c = store.add_question("keynote", "v1", "Ada", "C")
    d = store.add_question("keynote", "v1", "Ada", "D")
    for voter in ("x", "y"):
        store.vote(c.id, voter)
    store.vote(b.id, "x")
    store.vote(d.id, "x")
    assert [(q.text, q.votes) for q in store.questions("keynote")] == [
        ("C", 2),
        ("B", 1),
        ("D", 1),
        ("A", 0),
    ]
    assert a.id < b.id < c.id < d.id


def test_questions_leave_hidden_ones_out_unless_asked(store: SqlRecords) -> None:
    shown = store.add_question("keynote", "v1", "Ada", "Shown")
    hidden = store.add_question("keynote", "v1", "Ada", "Hidden")
    store.set_status(hidden.id, "hidden", by="host")
    assert [q.id for q in store.questions("keynote")] == [shown.id]
    assert [q.id for q in store.questions("keynote", include_hidden=True)] == [shown.id, hidden.id]


def test_questions_belong_to_their_session(store: SqlRecords) -> None:
    store.add_question("keynote", "v1", "Ada", "K")
    store.add_question("closing", "v1", "Ada", "C")
    assert [q.text for q in store.questions("keynote")] == ["K"]
    assert store.questions("nobody-asked-here") == []


def test_add_chat_and_recent_chat_oldest_first(store: SqlRecords, clock: Clock) -> None:
    said = [store.add_chat("hall", "v1", "Ada", f"m{n}") for n in range(5)]
    store.add_chat("lab", "v2", "Bob", "elsewhere")
    assert said[0].at == clock.now
    assert (said[0].room, said[0].visitor, said[0].name, said[0].hidden) == (
        "hall",
        "v1",
        "Ada",
        False,
    )
    assert [m.text for m in store.recent_chat("hall", 3)] == ["m2", "m3", "m4"]
    assert [m.text for m in store.recent_chat("hall", 50)] == [f"m{n}" for n in range(5)]
    assert store.recent_chat("hall", 0) == []
    assert store.recent_chat("empty", 10) == []


def test_hide_chat_takes_a_message_out_of_recent_chat_and_logs_it(store: SqlRecords) -> None:
    kept = store.add_chat("hall", "v1", "Ada", "hello")
    rude = store.add_chat("hall", "v2", "Bob", "rude")
    hidden = store.hide_chat(rude.id, by="marie")
    assert hidden.hidden and hidden.text == "rude"
    assert store.recent_chat("hall", 10) == [kept]
    assert [m.id for m in store.recent_chat("hall", 10, include_hidden=True)] == [kept.id, rude.id]
    (entry,) = store.moderation_log()
    assert (entry.actor, entry.action, entry.target) == ("marie", "hide-chat", str(rude.id))


def test_hide_chat_refuses_an_unknown_message(store: SqlRecords) -> None:
    with pytest.raises(UnknownMessage) as refused:
        store.hide_chat(77, by="host")
    assert refused.value.error == "unknown message"
    assert store.moderation_log() == []


def test_a_mute_lasts_until_its_end(store: SqlRecords, clock: Clock) -> None:
    assert store.muted_until("v1") is None
    until = clock.now + timedelta(minutes=10)
    store.mute("v1", until, by="marie")
    assert store.muted_until("v1") == until
    assert store.muted_until("v2") is None
    clock.advance(10 * 60 - 1)
    assert store.muted_until("v1") == until
    clock.advance(1)
    assert store.muted_until("v1") is None


def test_muting_again_replaces_the_end_and_a_past_end_lifts_it(
    store: SqlRecords, clock: Clock
) -> None:
    store.mute("v1", clock.now + timedelta(minutes=10), by="marie")
    longer = clock.now + timedelta(hours=1)
    store.mute("v1", longer, by="paul")
    assert store.muted_until("v1") == longer
    store.mute("v1", clock.now - timedelta(seconds=1), by="paul")
    assert store.muted_until("v1") is None
    log = store.moderation_log()
    assert [(e.actor, e.action, e.target) for e in log] == [
        ("paul", "mute", "v1"),
        ("paul", "mute", "v1"),
        ("marie", "mute", "v1"),
    ]
    assert log[1].detail == longer.isoformat()


def test_mute_refuses_a_time_without_zone(store: SqlRecords, clock: Clock) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        store.mute("v1", clock.now.replace(tzinfo=None), by="host")


def test_session_states_are_kept_and_logged(store: SqlRecords, clock: Clock) -> None:
    """Sessions no host marked are absent (scheduled); marking again replaces the state."""
    assert store.session_states() == {}
    store.set_session_state("opening", "live", by="marie")
    store.set_session_state("closing", "live", by="marie")
    clock.advance(1800)
    store.set_session_state("opening", "ended", by="paul")
    assert store.session_states() == {"opening": "ended", "closing": "live"}
    assert [(e.actor, e.action, e.target) for e in store.moderation_log()] == [
        ("paul", "session-ended", "opening"),
        ("marie", "session-live", "closing"),
        ("marie", "session-live", "opening"),
    ]


def test_session_states_come_oldest_decision_first(store: SqlRecords, clock: Clock) -> None:
    """The order of the decisions is kept: replaying them gives the same stage."""
    store.set_session_state("round-table", "live", by="marie")
    clock.advance(60)
    store.set_session_state("opening", "live", by="marie")
    clock.advance(60)
    store.set_session_state("panel", "ended", by="paul")
    assert list(store.session_states().items()) == [
        ("round-table", "live"),
        ("opening", "live"),
        ("panel", "ended"),
    ]


def test_set_session_state_refuses_an_unknown_state(store: SqlRecords) -> None:
    with pytest.raises(ValueError, match="state must be one of scheduled, live, ended"):
        store.set_session_state("opening", "paused", by="host")  # type: ignore[arg-type]
    assert store.session_states() == {}


def test_moderation_log_is_newest_first_and_limited(store: SqlRecords) -> None:
    said = [store.add_chat("hall", "v1", "Ada", str(n)) for n in range(4)]
    for message in said:
        store.hide_chat(message.id, by="host")
    assert [e.target for e in store.moderation_log(limit=2)] == [str(said[3].id), str(said[2].id)]


def test_export_lists_every_question_oldest_first_hidden_included(
    store: SqlRecords, clock: Clock
) -> None:
    first = store.add_question("keynote", "v1", "Ada", "First")
    clock.advance(5)
    second = store.add_question("keynote", "v2", "Bob", "Second")
    store.add_question("closing", "v2", "Bob", "Elsewhere")
    store.vote(second.id, "v3")
    store.set_status(first.id, "hidden", by="host")
    rows = store.export("keynote")
    assert [row["id"] for row in rows] == [first.id, second.id]
    assert rows[1] == {
        "id": second.id,
        "session": "keynote",
        "status": "open",
        "votes": 1,
        "name": "Bob",
        "text": "Second",
        "created_at": "2026-05-20T10:00:05+00:00",
        "updated_at": "2026-05-20T10:00:05+00:00",
    }
    assert rows[0]["status"] == "hidden"
    assert store.export("nobody-asked-here") == []


def test_text_is_kept_exactly(store: SqlRecords) -> None:
    """Quotes, newlines, markup and non-Latin text are stored as given; the edge cleans them."""
    text = "It's \"quoted\";\n<b>bold</b> — 質問? 🙂 ' OR 1=1 --"
    asked = store.add_question("keynote", "v1", "Zoë", text)
    assert store.question(asked.id).text == text
    said = store.add_chat("hall", "v1", "Zoë", text)
    assert store.recent_chat("hall", 1)[0].text == said.text == text


def test_questions_survive_a_restart(records_url: str, clock: Clock) -> None:
    """Written, engine dropped, database reopened by a new store: everything is there."""
    first = SqlRecords(records_url, clock=clock)
    asked = first.add_question("keynote", "v1", "Ada", "Still there?")
    first.vote(asked.id, "v2")
    first.set_status(asked.id, "answered", by="host")
    said = first.add_chat("hall", "v1", "Ada", "hello")
    first.mute("v3", clock.now + timedelta(hours=1), by="host")
    first.set_session_state("keynote", "live", by="host")
    first.close()
    again = SqlRecords(records_url, clock=clock)
    try:
        found = again.question(asked.id)
        assert (found.text, found.votes, found.status) == ("Still there?", 1, "answered")
        assert again.recent_chat("hall", 5) == [said]
        assert again.muted_until("v3") == clock.now + timedelta(hours=1)
        assert again.session_states() == {"keynote": "live"}
        assert len(again.moderation_log()) == 3
    finally:
        again.close()


WRITER = textwrap.dedent(
    """
    import sys
    from gallery.records import SqlRecords

    store = SqlRecords(sys.argv[1])
    n = 0
    while True:
        asked = store.add_question("keynote", "v%d" % n, "Ada", "Question %d" % n)
        votes = store.vote(asked.id, "voter")
        # The ack: sent only once the store has returned, as the socket handler does.
        print(asked.id, votes, flush=True)
        n += 1
    """
)


def test_acknowledged_questions_survive_kill_9(records_url: str) -> None:
    """A writer is SIGKILLed right after acknowledging questions; every acked one is stored."""
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, records_url],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        acked = []
        for line in writer.stdout:
            acked.append(int(line.split()[0]))
            if len(acked) == 30:
                break
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(timeout=10)
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait(timeout=10)
    assert writer.returncode == -signal.SIGKILL
    assert len(acked) == 30
    store = SqlRecords(records_url)
    try:
        for question_id in acked:
            found = store.question(question_id)
            assert found is not None, f"acknowledged question {question_id} was lost"
            assert found.votes == 1
    finally:
        store.close()


def test_the_app_holds_a_store_that_writes_in_its_data_dir(app: Flask, tmp_path) -> None:
    """create_app touches no file; the first use creates the database in DATA_DIR."""
    assert not (tmp_path / "gallery.sqlite3").exists()
    records = records_of(app)
    asked = records.add_question("keynote", "v1", "Ada", "Q")
    assert (tmp_path / "gallery.sqlite3").exists()
    assert records.question(asked.id) == asked
    records.close()


def test_an_unreachable_database_is_reported(tmp_path) -> None:
    """A database that cannot be opened raises StorageUnavailable, naming it without password."""
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    records = SqlRecords(f"sqlite:///{blocker / 'gallery.sqlite3'}")
    with pytest.raises(StorageUnavailable, match=r"gallery\.sqlite3"):
        records.add_question("keynote", "v1", "Ada", "Q")
    hidden = SqlRecords("postgresql+psycopg://gallery:s3cret@127.0.0.1:1/none")
    with pytest.raises(StorageUnavailable) as refused:
        hidden.upgrade()
    assert "s3cret" not in str(refused.value)
