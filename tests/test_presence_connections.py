"""The registry of this process's connections: which socket is in which room."""

from __future__ import annotations

from gallery.presence import Connection, Connections
from gallery.presence.limits import TokenBucket


def connect(connections: Connections, sid: str) -> Connection:
    """Register a connection for socket `sid`, sent to at address `eio-<sid>`."""
    connection = Connection(f"id-{sid}", TokenBucket(1.0, 1.0), f"eio-{sid}")
    connections.add(sid, connection)
    return connection


def test_a_new_connection_is_in_no_room_but_hears_what_goes_to_everyone() -> None:
    """A new connection is in no room and is listed among everyone."""
    connections = Connections()
    a = connect(connections, "a")
    assert connections.get("a") is a and connections.get("b") is None
    assert a.room is None and len(connections) == 1
    assert connections.everyone() == ["eio-a"]
    assert connections.members("hall") == []


def test_placing_moves_a_connection_from_its_room_to_the_next() -> None:
    """A connection is a member of one room at a time, the last it was placed in."""
    connections = Connections()
    a, b = connect(connections, "a"), connect(connections, "b")
    connections.place(a, "hall")
    connections.place(b, "hall")
    connections.place(b, "hall")  # again: still once
    assert connections.members("hall") == ["eio-a", "eio-b"]
    connections.place(a, "lab")
    assert (a.room, connections.members("hall"), connections.members("lab")) == (
        "lab",
        ["eio-b"],
        ["eio-a"],
    )
    connections.place(b, None)
    assert b.room is None and connections.members("hall") == []
    assert connections.everyone() == ["eio-a", "eio-b"]


def test_removing_takes_a_connection_out_of_its_room_and_of_everyone() -> None:
    """A removed connection is in no room and not among everyone; removing twice is harmless."""
    connections = Connections()
    a, b = connect(connections, "a"), connect(connections, "b")
    connections.place(a, "hall")
    connections.place(b, "hall")
    assert connections.remove("a") is a
    assert connections.remove("a") is None
    assert connections.members("hall") == ["eio-b"] and connections.everyone() == ["eio-b"]
    assert connections.get("a") is None and len(connections) == 1


def test_a_connection_removed_meanwhile_joins_no_room() -> None:
    """Placing a connection that was removed (its socket went away mid-event) adds no member."""
    connections = Connections()
    a = connect(connections, "a")
    connections.remove("a")
    connections.place(a, "hall")
    assert a.room is None and connections.members("hall") == []


def test_the_lists_handed_out_are_copies() -> None:
    """Delivery may drop sockets while it walks a list: the registry's own sets are not it."""
    connections = Connections()
    a = connect(connections, "a")
    connections.place(a, "hall")
    members, everyone = connections.members("hall"), connections.everyone()
    connections.remove("a")
    assert members == ["eio-a"] and everyone == ["eio-a"]
