"""The floor plan's feed: who stands where, capped per room, to the pages watching the plan."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from gallery.presence import Broadcaster, MemoryStore
from gallery.presence.colours import PALETTE
from gallery.presence.connections import Connection, Connections
from gallery.presence.limits import TokenBucket
from gallery.presence.plan import PlanFeed

FIRST = PALETTE[0]  # the colour the first visitor of a room gets


class Recorder:
    """A sender that keeps what would go out, checking each event can be sent as JSON."""

    def __init__(self) -> None:
        self.sent: list[tuple[str | None, str, Any]] = []

    def _keep(self, to: str | None, event: str, data: Any) -> None:
        self.sent.append((to, event, orjson.loads(orjson.dumps(data))))

    def room(self, slug: str, event: str, data: Any) -> None:
        self._keep(slug, event, data)

    def everyone(self, event: str, data: Any) -> None:
        self._keep(None, event, data)

    def watchers(self, event: str, data: Any) -> None:
        self._keep("@watchers", event, data)

    def plans(self) -> list[Any]:
        """Return the `plan` events sent, oldest first."""
        return [data for to, event, data in self.sent if event == "plan" and to == "@watchers"]


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def connection(connections: Connections, n: int) -> Connection:
    """Register a connection and return it."""
    made = Connection(f"c{n}", TokenBucket(10, 20), f"address-{n}")
    connections.add(f"sid-{n}", made)
    return made


def make(listed: int = 3):
    """Return a store, connections, a recorder, a clock and a broadcaster with the plan feed."""
    store, connections, recorder, clock = MemoryStore(), Connections(), Recorder(), Clock()
    broadcaster = Broadcaster(store, recorder, lambda: ("hall", "lab"))
    feed = PlanFeed(
        store, connections, lambda: ("hall", "lab"), listed=listed, interval=0.5, clock=clock
    )
    broadcaster.add_source(feed)
    return store, connections, recorder, clock, broadcaster, feed


def test_nothing_is_sent_while_nobody_watches_the_plan() -> None:
    store, connections, recorder, _clock, broadcaster, _feed = make()
    connection(connections, 1)
    store.enter("a", "hall", None, "Ada", False)
    broadcaster.flush(now=0.0)
    assert recorder.plans() == []


def test_watchers_get_one_plan_per_interval_when_it_changed() -> None:
    store, connections, recorder, clock, broadcaster, _feed = make()
    connections.watch(connection(connections, 1), True)
    store.enter("a", "hall", None, "Ada", False)
    store.enter("b", "lab", "maps", "Bob", False)
    broadcaster.flush(now=0.0)
    assert recorder.plans() == [
        {
            "rooms": {
                "hall": {
                    "count": 1,
                    "visitors": [{"id": "a", "name": "Ada", "exhibit": None, "colour": FIRST}],
                },
                "lab": {
                    "count": 1,
                    "visitors": [{"id": "b", "name": "Bob", "exhibit": "maps", "colour": FIRST}],
                },
            },
            "total": 2,
        }
    ]
    # Within the interval, moves wait; then one event carries them all.
    store.enter("a", "lab", "maps", "Ada", False)
    clock.now = 0.2
    broadcaster.flush(now=0.2)
    assert len(recorder.plans()) == 1
    clock.now = 0.6
    broadcaster.flush(now=0.6)
    assert len(recorder.plans()) == 2
    assert recorder.plans()[-1]["rooms"]["lab"]["count"] == 2
    # Nothing changed: nothing sent.
    clock.now = 2.0
    broadcaster.flush(now=2.0)
    assert len(recorder.plans()) == 2


def test_rooms_list_their_first_visitors_and_count_the_rest_and_the_invisible() -> None:
    store, connections, recorder, _clock, broadcaster, _feed = make(listed=3)
    connections.watch(connection(connections, 1), True)
    for n in range(2000):
        store.enter(f"v{n}", "hall", None, f"V {n}", n % 2 == 1)
    store.enter("ghost", "lab", None, "Ghost", True)
    broadcaster.flush(now=0.0)
    (plan,) = recorder.plans()
    hall = plan["rooms"]["hall"]
    assert hall["count"] == 2000
    assert [v["id"] for v in hall["visitors"]] == ["v0", "v2", "v4"]
    assert plan["rooms"]["lab"] == {"count": 1, "visitors": []}  # invisible: counted, never listed
    assert "Ghost" not in orjson.dumps(plan).decode()
    assert plan["total"] == 2001


def test_the_lobby_is_on_the_plan_once_someone_stands_in_it() -> None:
    store, connections, recorder, _clock, broadcaster, feed = make()
    assert "@lobby" not in feed.snapshot()["rooms"]
    store.enter("a", "@lobby", None, "Ada", False)
    connections.watch(connection(connections, 1), True)
    broadcaster.flush(now=0.0)
    (plan,) = recorder.plans()
    assert plan["rooms"]["@lobby"]["visitors"] == [
        {"id": "a", "name": "Ada", "exhibit": None, "colour": FIRST}
    ]


def test_a_watcher_that_leaves_or_stops_watching_gets_nothing_more() -> None:
    _store, connections, _recorder, _clock, _broadcaster, _feed = make()
    first = connection(connections, 1)
    second = connection(connections, 2)
    connections.watch(first, True)
    connections.watch(second, True)
    assert sorted(connections.watching()) == ["address-1", "address-2"]
    connections.watch(second, False)
    connections.remove("sid-1")
    assert connections.watching() == []


def test_watch_acks_the_plan_and_plan_events_follow_on_the_tick(app, socket_factory) -> None:
    """A page watching the plan gets it in the ack, then `plan` when someone moves."""
    watcher, walker = socket_factory(), socket_factory()
    ack = watcher.emit("watch", {"plan": True}, callback=True)
    assert ack["ok"] is True
    assert ack["plan"]["total"] == 0
    assert set(ack["plan"]["rooms"]) == {"hall", "lab", "stage"}
    walker.emit("enter", {"room": "lab", "exhibit": "lanterns", "name": "Ada"}, callback=True)
    app.extensions["gallery.presence"].broadcaster.flush(1000.0)
    plans = [e["args"][0] for e in watcher.get_received() if e["name"] == "plan"]
    (plan,) = plans
    (ada,) = plan["rooms"]["lab"]["visitors"]
    assert (ada["name"], ada["exhibit"]) == ("Ada", "lanterns")
    # The walker does not watch: it gets no `plan`.
    assert not [e for e in walker.get_received() if e["name"] == "plan"]
    # Stopping: nothing more.
    assert watcher.emit("watch", {"plan": False}, callback=True) == {"ok": True}
    walker.emit("enter", {"room": "hall"}, callback=True)
    app.extensions["gallery.presence"].broadcaster.flush(2000.0)
    assert not [e for e in watcher.get_received() if e["name"] == "plan"]


@pytest.mark.parametrize("payload", [None, "yes", {}, {"plan": 1}, {"plan": "true"}, [True]])
def test_watch_refuses_a_bad_payload(socket_factory, payload) -> None:
    """`watch` needs `{plan: boolean}`."""
    client = socket_factory()
    assert client.emit("watch", payload, callback=True) == {"ok": False, "error": "bad payload"}
