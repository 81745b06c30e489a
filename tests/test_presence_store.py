"""The presence stores, in memory and in Redis, against one interface: membership, snapshots,
chat history and collapsed changes."""

from __future__ import annotations

from gallery.presence import MemoryStore, PresenceStore, RoomChange
from gallery.presence.colours import PALETTE

from .records_fixtures import Maker

FIRST = PALETTE[0]  # the colour the first visitor of a room gets


def changes(store: PresenceStore) -> dict[str, RoomChange]:
    """Drain the store and index its changes by room."""
    return {change.room: change for change in store.drain()}


def test_stores_implement_the_interface(new_store: Maker) -> None:
    """Both stores provide every method of the PresenceStore interface, and no more is asked."""
    methods = {name for name, value in vars(PresenceStore).items() if callable(value)}
    methods = {name for name in methods if not name.startswith("_")}
    assert methods == {
        "enter",
        "leave",
        "visitor",
        "count",
        "snapshot",
        "look",
        "arrive",
        "occupancy",
        "say",
        "history",
        "drain",
        "positions",
    }
    for store in (MemoryStore(), new_store()):
        assert all(callable(getattr(store, name)) for name in methods)


def test_enter_lists_the_visitor_and_counts_them(new_store: Maker) -> None:
    """Enter lists the visitor and counts them."""
    store = new_store()
    assert store.enter("a", "hall", None, "Ada", False) is None
    assert store.count("hall") == 1
    assert store.snapshot("hall", 10) == [
        {"id": "a", "name": "Ada", "exhibit": None, "colour": FIRST}
    ]
    change = changes(store)["hall"]
    assert change.joined == [{"id": "a", "name": "Ada", "exhibit": None, "colour": FIRST}]
    assert (change.count, change.left, change.moved) == (1, [], [])


def test_entering_another_room_leaves_the_first(new_store: Maker) -> None:
    """Entering another room leaves the first."""
    store = new_store()
    store.enter("a", "hall", None, "Ada", False)
    store.drain()
    assert store.enter("a", "lab", "maps", "Ada", False) == "hall"
    assert (store.count("hall"), store.count("lab")) == (0, 1)
    found = changes(store)
    assert found["hall"].left == ["a"] and found["hall"].count == 0
    assert found["lab"].joined == [{"id": "a", "name": "Ada", "exhibit": "maps", "colour": FIRST}]
    assert store.visitor("a").room == "lab"


def test_same_room_other_exhibit_is_a_move(new_store: Maker) -> None:
    """Same room other exhibit is a move."""
    store = new_store()
    store.enter("a", "lab", None, "Ada", False)
    store.drain()
    assert store.enter("a", "lab", "maps", "Ada", False) is None
    change = changes(store)["lab"]
    assert change.moved == [{"id": "a", "exhibit": "maps", "colour": FIRST}]
    assert change.joined == [] and change.left == []


def test_join_then_leave_within_a_tick_is_not_mentioned(new_store: Maker) -> None:
    """Join then leave within a tick is not mentioned."""
    store = new_store()
    store.enter("b", "hall", None, "Bob", False)
    store.drain()
    store.enter("a", "hall", None, "Ada", False)
    store.leave("a")
    assert changes(store) == {}


def test_leave_then_come_back_within_a_tick_is_a_move_or_nothing(new_store: Maker) -> None:
    """Leave then come back within a tick is a move or nothing."""
    store = new_store()
    store.enter("a", "hall", "x", "Ada", False)
    store.drain()
    store.enter("a", "lab", None, "Ada", False)
    store.enter("a", "hall", "y", "Ada", False)
    found = changes(store)
    assert found["hall"].moved == [{"id": "a", "exhibit": "y", "colour": FIRST}]
    assert found["hall"].joined == [] and found["hall"].left == []
    assert "lab" not in found  # came and went: count back to 0, nobody to tell
    store.enter("a", "lab", None, "Ada", False)
    store.enter("a", "hall", "y", "Ada", False)
    assert changes(store) == {}


def test_a_renamed_visitor_is_joined_again(new_store: Maker) -> None:
    """A renamed visitor is joined again."""
    store = new_store()
    store.enter("a", "hall", None, "Ada", False)
    store.drain()
    store.enter("a", "hall", None, "Ada L.", False)
    assert changes(store)["hall"].joined == [
        {"id": "a", "name": "Ada L.", "exhibit": None, "colour": FIRST}
    ]


def test_invisible_visitors_are_counted_but_never_listed(new_store: Maker) -> None:
    """Invisible visitors are counted but never listed."""
    store = new_store()
    store.enter("a", "hall", None, "Ada", False)
    store.drain()
    store.enter("i", "hall", "x", "Ghost", True)
    change = changes(store)["hall"]
    assert change.count == 2
    assert (change.joined, change.left, change.moved) == ([], [], [])
    assert store.snapshot("hall", 10) == [
        {"id": "a", "name": "Ada", "exhibit": None, "colour": FIRST}
    ]
    store.enter("i", "hall", "y", "Ghost", True)
    assert changes(store) == {}  # an invisible move changes nothing others see
    store.leave("i")
    change = changes(store)["hall"]
    assert (change.count, change.left) == (1, [])


def test_becoming_invisible_reads_as_leaving(new_store: Maker) -> None:
    """Becoming invisible reads as leaving."""
    store = new_store()
    store.enter("a", "hall", None, "Ada", False)
    store.drain()
    store.enter("a", "hall", None, "Ada", True)
    change = changes(store)["hall"]
    assert change.left == ["a"] and change.count == 1


def test_snapshot_is_capped_and_in_order_of_arrival(new_store: Maker) -> None:
    """Snapshot is capped and in order of arrival."""
    store = new_store()
    for i in range(10):
        store.enter(f"v{i}", "hall", None, f"V{i}", False)
    assert [v["id"] for v in store.snapshot("hall", 3)] == ["v0", "v1", "v2"]
    assert store.count("hall") == 10
    assert store.snapshot("nowhere", 3) == []


def test_a_snapshot_is_not_changed_by_later_moves(new_store: Maker) -> None:
    """A snapshot is not changed by later moves."""
    store = new_store()
    store.enter("a", "hall", None, "Ada", False)
    taken = store.snapshot("hall", 10)
    store.enter("a", "hall", "x", "Ada", False)
    assert taken == [{"id": "a", "name": "Ada", "exhibit": None, "colour": FIRST}]


def test_a_look_is_the_count_the_snapshot_and_the_history_at_once(new_store: Maker) -> None:
    """`look` answers what `count`, `snapshot` and `history` answer, in one call."""
    store = new_store()
    for i in range(4):
        store.enter(f"v{i}", "hall", None, f"V{i}", i == 3)
    store.say("hall", {"text": "hello"})
    expected = (store.count("hall"), store.snapshot("hall", 2), store.history("hall"))
    assert store.look("hall", 2, chat=True) == expected
    assert expected[0] == 4 and len(expected[1]) == 2 and len(expected[2]) == 1
    assert store.look("hall", 0) == (4, [], [])
    assert store.look("nowhere", 5, chat=True) == (0, [], [])


def test_arriving_is_entering_then_looking(new_store: Maker) -> None:
    """`arrive` enters the visitor and answers what `look` then answers, in one call."""
    store = new_store()
    store.enter("a", "hall", None, "Ada", False)
    store.enter("b", "hall", "x", "Bob", True)
    store.enter("c", "lab", None, "Cy", False)
    store.say("hall", {"text": "hello"})
    visitor, *looked = store.arrive("c", "hall", "y", "Cy", False, 0, 5, chat=True)
    assert (visitor.id, visitor.room, visitor.exhibit, visitor.name) == ("c", "hall", "y", "Cy")
    assert visitor.colour != 0  # Ada wears the first colour: Cy gets another
    assert store.visitor("c").colour == visitor.colour
    assert looked == list(store.look("hall", 5, chat=True))
    count, listed, history = looked
    assert count == 3 and [v["name"] for v in listed] == ["Ada", "Cy"]
    assert listed[1] == {"id": "c", "name": "Cy", "exhibit": "y", "colour": PALETTE[visitor.colour]}
    assert history == [{"text": "hello"}]
    assert store.count("lab") == 0
    assert store.arrive("d", "lab", None, "Di", False, None, 0) == (store.visitor("d"), 1, [], [])
    [change] = [c for c in store.drain() if c.room == "hall"]
    assert [v["name"] for v in change.joined] == ["Ada", "Cy"]


def test_leave_of_an_unknown_visitor_is_harmless(new_store: Maker) -> None:
    """Leave of an unknown visitor is harmless."""
    store = new_store()
    assert store.leave("nobody") is None
    assert store.drain() == []


def test_occupancy_counts_every_room_seen(new_store: Maker) -> None:
    """Occupancy counts every room seen."""
    store = new_store()
    store.enter("a", "hall", None, "Ada", False)
    store.enter("b", "lab", None, "Bob", True)
    store.enter("c", "lab", None, "Cy", False)
    store.leave("a")
    assert store.occupancy() == {"hall": 0, "lab": 2}


def test_chat_history_keeps_the_last_messages(new_store: Maker) -> None:
    """Chat history keeps the last messages."""
    store = new_store(history=3)
    for i in range(5):
        store.say("hall", {"text": str(i)})
    assert [m["text"] for m in store.history("hall")] == ["2", "3", "4"]
    assert store.history("lab") == []


def test_a_count_change_alone_is_sent_once(new_store: Maker) -> None:
    """A count change alone is sent once."""
    store = new_store()
    store.enter("i", "hall", None, "Ghost", True)
    assert changes(store)["hall"].count == 1
    assert store.drain() == []


def test_a_snapshot_carries_its_own_list_as_json_through_every_change(new_store: Maker) -> None:
    """Comings, goings, moves, renames and invisibility: the JSON always says the same list."""
    import random

    import orjson

    pick = random.Random(7)
    store = new_store()
    for step in range(300):
        visitor = f"v{pick.randrange(12)}"
        if pick.random() < 0.2:
            store.leave(visitor)
        else:
            room = pick.choice(["hall", "lab"])
            exhibit = pick.choice([None, "a", "b"])
            name = pick.choice(["Ada", "Bruno", "Chloé </script>"])
            store.enter(visitor, room, exhibit, name, pick.random() < 0.15)
        for room in ("hall", "lab"):
            limit = pick.choice([0, 3, 50])
            listed = store.look(room, limit)[1]
            assert orjson.loads(listed.json) == list(listed), step
            if isinstance(store, MemoryStore):
                assert listed.json == orjson.dumps(list(listed))


def test_an_acknowledgement_writes_the_listed_json_and_everything_else_as_before() -> None:
    """`Listed` is written from its JSON; other subclasses of plain types encode as plain."""
    import enum

    import orjson
    from markupsafe import Markup

    from gallery.presence.frames import FastPacket
    from gallery.presence.store import Listed

    class Level(enum.IntEnum):
        HIGH = 3

    listed = Listed([{"id": "a"}], b'[{"id":"written as made"}]')
    extras = {"html": Markup("<b>hi</b>"), "level": Level.HIGH, "ok": True, "n": 1.5}
    packet = FastPacket(3, [{"visitors": listed, **extras}], id=4)
    assert packet.encode() == '34[{"visitors":[{"id":"written as made"}],' + (
        orjson.dumps(extras).decode()[1:] + "]"
    )


def test_a_list_made_from_json_is_decoded_only_when_read() -> None:
    """The acknowledgement writes a `ListedJSON` as its JSON without decoding it; read in
    Python, it is the list its JSON says."""
    from gallery.presence.frames import FastPacket
    from gallery.presence.store import ListedJSON

    json = b'[{"id":"a","name":"Ada"},{"id":"b","name":"Bob"}]'
    written = ListedJSON(json)
    packet = FastPacket(3, [{"visitors": written}], id=4)
    assert packet.encode() == '34[{"visitors":' + json.decode() + "}]"
    assert list.__len__(written) == 0  # never decoded
    read = ListedJSON(json)
    assert read == [{"id": "a", "name": "Ada"}, {"id": "b", "name": "Bob"}]
    assert (len(read), read[1]["name"], [v["id"] for v in read]) == (2, "Bob", ["a", "b"])
    assert ListedJSON(b"[]") == [] and not ListedJSON(b"[]")
    assert {"id": "a", "name": "Ada"} in ListedJSON(json)


def test_a_kept_snapshot_always_says_what_the_room_lists_now() -> None:
    """A snapshot kept between acknowledgements is the room's first listed visitors after
    any comings, goings, moves, renames and invisibility, whichever limits are asked."""
    import random
    from itertools import islice

    pick = random.Random(11)
    store = MemoryStore()
    for step in range(2000):
        visitor = f"v{pick.randrange(30)}"
        if pick.random() < 0.2:
            store.leave(visitor)
        else:
            room = pick.choice(["hall", "lab"])
            store.enter(
                *(visitor, room, pick.choice([None, "a"]), pick.choice(["Ada", "Bruno"])),
                pick.random() < 0.1,
                pick.choice([None, 0, 1]),
            )
        for room in ("hall", "lab"):
            limit = pick.choice([3, 8, 50])
            state = store._rooms.get(room)
            listed = [] if state is None else list(islice(state.listed.values(), limit))
            assert store.snapshot(room, limit) == [public for public, _ in listed], step


def test_a_snapshot_is_made_again_only_when_its_first_visitors_change() -> None:
    """Comings after the cut and goings of others leave the snapshot as it was made."""
    store = MemoryStore()
    for i in range(5):
        store.enter(f"v{i}", "hall", None, f"V{i}", False)
    taken = store.snapshot("hall", 3)
    store.enter("v5", "hall", None, "V5", False)  # listed after the cut
    store.leave("v4")  # not among the first three
    assert store.snapshot("hall", 3) is taken
    store.enter("v1", "hall", "x", "V1", False)  # moves to an exhibit: others see it
    again = store.snapshot("hall", 3)
    assert again is not taken and again[1]["exhibit"] == "x"
    store.leave("v0")
    assert [v["id"] for v in store.snapshot("hall", 3)] == ["v1", "v2", "v3"]
    assert [v["id"] for v in taken] == ["v0", "v1", "v2"]  # handed out: never changed
