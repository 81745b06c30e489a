"""The presence ticker: one event per changed room, occupancy at most once a second."""

from __future__ import annotations

from typing import Any

import orjson

from gallery.presence import Broadcaster, MemoryStore
from gallery.presence.colours import PALETTE


class Recorder:
    """A sender that keeps what would go out, checking each event can be sent as JSON."""

    def __init__(self) -> None:
        self.sent: list[tuple[str | None, str, Any]] = []

    def _keep(self, room: str | None, event: str, data: Any) -> None:
        assert isinstance(event, str)
        self.sent.append((room, event, orjson.loads(orjson.dumps(data))))

    def room(self, slug: str, event: str, data: Any) -> None:
        self._keep(slug, event, data)

    def everyone(self, event: str, data: Any) -> None:
        self._keep(None, event, data)


def make(rooms: tuple[str, ...] = ("hall", "lab")) -> tuple[MemoryStore, Recorder, Broadcaster]:
    """Return a store, a recorder and a broadcaster joining them."""
    store, recorder = MemoryStore(), Recorder()
    return store, recorder, Broadcaster(store, recorder, lambda: rooms, occupancy_interval=1.0)


def test_one_presence_event_per_changed_room_per_flush() -> None:
    """One presence event per changed room per flush."""
    store, recorder, broadcaster = make()
    store.enter("a", "hall", None, "Ada", False)
    store.enter("b", "hall", "x", "Bob", False)
    store.enter("b", "hall", "y", "Bob", False)
    broadcaster.flush(now=0.0)
    presence = [(room, data) for room, event, data in recorder.sent if event == "presence"]
    assert presence == [
        (
            "hall",
            {
                "room": "hall",
                "count": 2,
                "joined": [
                    {"id": "a", "name": "Ada", "exhibit": None, "colour": PALETTE[0]},
                    {"id": "b", "name": "Bob", "exhibit": "y", "colour": PALETTE[1]},
                ],
                "left": [],
                "moved": [],
            },
        )
    ]


def test_nothing_changed_nothing_sent() -> None:
    """A flush with nothing changed sends nothing."""
    store, recorder, broadcaster = make()
    store.enter("a", "hall", None, "Ada", False)
    broadcaster.flush(now=0.0)
    recorder.sent.clear()
    broadcaster.flush(now=5.0)
    assert recorder.sent == []


def test_occupancy_lists_every_room_at_most_once_per_interval() -> None:
    """Occupancy lists every room at most once per interval."""
    store, recorder, broadcaster = make()
    store.enter("a", "hall", None, "Ada", False)
    broadcaster.flush(now=10.0)
    assert (
        None,
        "occupancy",
        {"rooms": {"hall": 1, "lab": 0}, "lobby": 0, "total": 1},
    ) in recorder.sent
    recorder.sent.clear()
    store.enter("b", "lab", None, "Bob", False)
    broadcaster.flush(now=10.5)
    assert [event for _, event, _ in recorder.sent] == ["presence"]
    recorder.sent.clear()
    broadcaster.flush(now=11.0)
    assert recorder.sent == [
        (None, "occupancy", {"rooms": {"hall": 1, "lab": 1}, "lobby": 0, "total": 2})
    ]


def test_each_changed_room_is_one_call_to_the_sender() -> None:
    """A room's changes are handed to the sender in one call per flush, to be encoded once."""
    store, recorder, broadcaster = make()
    for i in range(5):
        store.enter(f"v{i}", "hall", None, f"V{i}", False)
    store.enter("w", "lab", None, "W", False)
    broadcaster.flush(now=0.0)
    rooms = [room for room, event, _data in recorder.sent if event == "presence"]
    assert sorted(rooms) == ["hall", "lab"]


def test_the_ticker_survives_an_error() -> None:
    """The ticker survives an error."""
    store, _recorder, broadcaster = make()
    calls = []

    def failing_drain() -> list:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("boom")
        broadcaster.running = False
        return []

    store.drain = failing_drain  # type: ignore[method-assign]
    broadcaster.run(sleep=lambda _s: None)
    assert len(calls) == 2


def test_a_room_failing_to_send_does_not_keep_others_from_their_presence() -> None:
    """An error sending one room's presence is logged; the other rooms still get theirs."""

    class Failing(Recorder):
        def room(self, slug: str, event: str, data: Any) -> None:
            if slug == "hall":
                raise OSError("broken")
            super().room(slug, event, data)

    store, recorder = MemoryStore(), Failing()
    broadcaster = Broadcaster(store, recorder, lambda: ("hall", "lab"))
    store.enter("a", "hall", None, "Ada", False)
    store.enter("b", "lab", None, "Bob", False)
    broadcaster.flush(now=0.0)
    rooms = [room for room, event, _data in recorder.sent if event == "presence"]
    assert rooms == ["lab"]
    assert recorder.sent[-1][1] == "occupancy"


class TogetherRecorder(Recorder):
    """A sender that can write a tick's presence and occupancy together."""

    def __init__(self) -> None:
        super().__init__()
        self.together: list[tuple[list, str, Any]] = []

    def rooms_then_everyone(self, rooms: list, event: str, data: Any) -> None:
        self.together.append((rooms, event, data))


def test_a_sender_that_can_gets_presence_and_occupancy_in_one_call() -> None:
    """When occupancy is due, a sender able to join them gets both at once, in order."""
    store, recorder = MemoryStore(), TogetherRecorder()
    broadcaster = Broadcaster(store, recorder, lambda: ("hall", "lab"), occupancy_interval=1.0)
    store.enter("v", "hall", None, "V", False)
    broadcaster.flush(now=0.0)
    [(rooms, event, occupancy)] = recorder.together
    assert [(slug, name) for slug, name, _ in rooms] == [("hall", "presence")]
    assert event == "occupancy" and occupancy["rooms"] == {"hall": 1, "lab": 0}
    assert recorder.sent == []
    store.enter("w", "lab", None, "W", False)
    broadcaster.flush(now=0.5)  # occupancy not due: presence alone, room by room
    assert [(room, event) for room, event, _ in recorder.sent] == [("lab", "presence")]
    assert len(recorder.together) == 1
