"""The Demo Day's tick sources: questions, applause and the tour, one event per tick."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gallery.presence import Broadcaster, Connection, Connections, MemoryStore
from gallery.presence.limits import TokenBucket
from gallery.qa import Applause, QuestionBoard, Tour
from gallery.records import SqlRecords


class Recorder:
    """A sender that keeps what it is given."""

    def __init__(self) -> None:
        self.sent: list[tuple[str | None, str, Any]] = []

    def room(self, slug: str, event: str, data: Any) -> None:
        self.sent.append((slug, event, data))

    def everyone(self, event: str, data: Any) -> None:
        self.sent.append((None, event, data))


@pytest.fixture
def records(tmp_path: Path) -> SqlRecords:
    return SqlRecords(f"sqlite:///{tmp_path / 'gallery.sqlite3'}")


def test_many_votes_make_one_questions_event_per_session(records: SqlRecords) -> None:
    board = QuestionBoard(records, lambda session: {"a": "stage", "b": "hall"}.get(session))
    sender = Recorder()
    first = records.add_question("a", "v1", "Ada", "First")
    second = records.add_question("a", "v1", "Ada", "Second")
    for n in range(300):
        records.vote(second.id, f"voter{n}")
        board.touch("a")
    board.touch("b")
    board.drain(sender)
    assert sender.sent == [
        (
            "stage",
            "questions",
            {
                "session": "a",
                "items": [
                    {**second.public(), "votes": 300},
                    first.public(),
                ],
            },
        ),
        ("hall", "questions", {"session": "b", "items": []}),
    ]
    board.drain(sender)
    assert len(sender.sent) == 2


def test_questions_of_a_session_gone_from_the_agenda_go_nowhere(records: SqlRecords) -> None:
    board = QuestionBoard(records, lambda _session: None)
    sender = Recorder()
    board.touch("gone")
    board.drain(sender)
    assert sender.sent == []


def test_a_store_failure_is_retried_on_the_next_tick(records: SqlRecords, monkeypatch) -> None:
    board = QuestionBoard(records, lambda _session: "stage")
    sender = Recorder()
    board.touch("a")
    monkeypatch.setattr(records, "questions", lambda *_a: 1 / 0)
    board.drain(sender)
    monkeypatch.undo()
    board.drain(sender)
    assert sender.sent == [("stage", "questions", {"session": "a", "items": []})]


def test_applause_sends_totals() -> None:
    applause = Applause(lambda _session: "stage")
    sender = Recorder()
    for _ in range(5):
        applause.add("a")
    applause.drain(sender)
    applause.drain(sender)
    applause.add("a")
    applause.drain(sender)
    assert sender.sent == [
        ("stage", "applause", {"session": "a", "count": 5}),
        ("stage", "applause", {"session": "a", "count": 6}),
    ]


def test_the_tour_follows_the_guide_and_ends_when_they_leave() -> None:
    connections = Connections()
    guide = Connection("guide", TokenBucket(10, 20), "addr")
    connections.add("sid", guide)
    connections.place(guide, "hall")
    tour, sender = Tour(grace=0), Recorder()
    assert tour.start(guide) == {"touring": True, "room": "hall"}
    tour.drain(sender)
    connections.place(guide, "lab")
    connections.place(guide, "stage")
    tour.drain(sender)
    connections.place(guide, "hall")
    connections.place(guide, "stage")  # and back within a tick: nothing to say
    tour.drain(sender)
    connections.remove("sid")
    tour.drain(sender)
    tour.drain(sender)
    assert sender.sent == [
        (None, "tour", {"touring": True, "room": "stage"}),
        (None, "tour", {"touring": False, "room": None}),
    ]


def test_the_tour_follows_the_host_onto_their_next_page_and_waits_for_it() -> None:
    """Walking on closes the guide's page and opens another: the tour goes with the host."""
    connections = Connections()
    moment = [0.0]
    first = Connection("first", TokenBucket(10, 20), "a1")
    first.host = "marie"
    connections.add("s1", first)
    connections.place(first, "hall")
    tour = Tour(connections.find_host, grace=10, now=lambda: moment[0])
    sender = Recorder()
    tour.start(first)
    connections.remove("s1")  # the hall's page closes...
    moment[0] = 5.0
    tour.drain(sender)  # ...and within the grace nothing is said
    assert sender.sent == []
    visitor = Connection("visitor", TokenBucket(10, 20), "a2")
    connections.add("s2", visitor)
    connections.place(visitor, "stage")  # another person's page is not the guide's
    tour.drain(sender)
    assert sender.sent == []
    second = Connection("second", TokenBucket(10, 20), "a3")
    second.host = "marie"
    connections.add("s3", second)
    connections.place(second, "lab")  # the lab's page enters its room
    tour.drain(sender)
    assert sender.sent == [(None, "tour", {"touring": True, "room": "lab"})]
    connections.remove("s3")  # the host goes away for good
    moment[0] = 20.0
    tour.drain(sender)
    moment[0] = 29.0
    tour.drain(sender)
    assert sender.sent[-1] == (None, "tour", {"touring": True, "room": "lab"})
    moment[0] = 30.0
    tour.drain(sender)
    assert sender.sent[-1] == (None, "tour", {"touring": False, "room": None})


def test_the_broadcaster_drains_its_sources_and_survives_a_failing_one() -> None:
    sender = Recorder()
    broadcaster = Broadcaster(MemoryStore(), sender, lambda: [])

    class Failing:
        def drain(self, _sender: Any) -> None:
            raise RuntimeError("boom")

    applause = Applause(lambda _session: "stage")
    broadcaster.add_source(Failing())
    broadcaster.add_source(applause)
    applause.add("a")
    broadcaster.flush()
    assert sender.sent[-1] == ("stage", "applause", {"session": "a", "count": 1})
