"""Who is in which room: the presence state's small interface, and what its stores share.

The socket handlers and the broadcaster only speak to a `PresenceStore`. `MemoryStore`
(presence/memorystore.py) keeps everything in this process; a store shared between
processes (Redis, for the scale-out) implements the same methods, publishing its changes
so that every process's `drain` sees the changes made by the others. A store holds
visitors, not sockets: which of this process's sockets are in which room, for delivery,
is kept by `Connections`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import orjson

from .colours import PALETTE

Public = dict[str, Any]  # what other visitors see of one: {"id", "name", "exhibit", "colour"}

# The place of the lobby, as `enter` names it and the store keeps it, beside the rooms. Room
# slugs are lowercase letters, digits and hyphens, so no room of any exhibition is called this.
LOBBY = "@lobby"


class StoreUnavailable(Exception):
    """The shared store cannot be reached now: live presence is degraded until it is back."""


class Visitor:
    """One visitor standing in one room; `public` is the dict shown to others.

    `colour` is the index in the palette of the avatar colour the room gave them.
    """

    __slots__ = ("colour", "exhibit", "id", "invisible", "name", "public", "room")

    def __init__(
        self, id: str, room: str, exhibit: str | None, name: str, invisible: bool, colour: int
    ) -> None:
        self.id = id
        self.room = room
        self.exhibit = exhibit
        self.name = name
        self.invisible = invisible
        self.colour = colour
        self.public: Public = public_of(self)


def public_of(visitor: Visitor) -> Public:
    """Return a new dict of what others see of `visitor`."""
    return {
        "id": visitor.id,
        "name": visitor.name,
        "exhibit": visitor.exhibit,
        "colour": PALETTE[visitor.colour],
    }


class Listed(list):
    """Visitors' public dicts as a store lists them, with the same list as JSON (`json`), made
    as the store keeps them; the acknowledgement's encoder writes it as it is."""

    __slots__ = ("json",)

    def __init__(self, visitors: Any, json: bytes) -> None:
        super().__init__(visitors)
        self.json = json


class ListedJSON(Listed):
    """A `Listed` made from its JSON alone, decoded into the list on its first use: the
    acknowledgement's encoder (`presence.frames`) writes the JSON and never reads the list.

    Only for what goes to that encoder: other encoders read a list's items directly, and
    would find it empty.
    """

    __slots__ = ("_filled",)

    def __init__(self, json: bytes) -> None:
        super().__init__((), json)
        self._filled = False

    def _fill(self) -> None:
        """Decode the JSON into the list, once."""
        if not self._filled:
            self._filled = True
            self.extend(orjson.loads(self.json))

    def __iter__(self) -> Any:
        self._fill()
        return super().__iter__()

    def __len__(self) -> int:
        self._fill()
        return super().__len__()

    def __getitem__(self, index: Any) -> Any:
        self._fill()
        return super().__getitem__(index)

    def __contains__(self, value: object) -> bool:
        self._fill()
        return super().__contains__(value)

    def __eq__(self, other: object) -> bool:
        self._fill()
        return super().__eq__(other)

    def __ne__(self, other: object) -> bool:
        self._fill()
        return super().__ne__(other)

    def __repr__(self) -> str:
        self._fill()
        return super().__repr__()


@dataclass(frozen=True, slots=True)
class RoomChange:
    """What changed in one room since the last drain, collapsed per visitor."""

    room: str
    count: int
    joined: list[Public]
    left: list[str]
    moved: list[dict[str, Any]]


class PresenceStore(Protocol):
    """The presence state of the whole exhibition: visitors, rooms and recent chat."""

    def enter(
        self,
        visitor_id: str,
        room: str,
        exhibit: str | None,
        name: str,
        invisible: bool,
        colour: int | None = None,
    ) -> str | None:
        """Put the visitor in `room` at `exhibit`, leaving any other room; return the room left.

        The visitor gets the palette colour `colour` if no one listed in the room wears it,
        else keeps theirs if still free, else the room's least worn colour.
        """
        ...

    def leave(self, visitor_id: str) -> str | None:
        """Take the visitor out of their room; return that room, or None if they were in none."""
        ...

    def visitor(self, visitor_id: str) -> Visitor | None:
        """Return the visitor's current state, or None if they are in no room."""
        ...

    def count(self, room: str) -> int:
        """Return how many visitors (invisible ones included) are in `room`."""
        ...

    def snapshot(self, room: str, limit: int) -> list[Public]:
        """Return up to `limit` listed (not invisible) visitors of `room`, longest present first."""
        ...

    def look(
        self, room: str, limit: int, chat: bool = False
    ) -> tuple[int, list[Public], list[dict[str, Any]]]:
        """Return what a visitor entering `room` is told, in one call: `count`, `snapshot`
        (up to `limit`) and, if `chat`, its `history` (else an empty list)."""
        ...

    def arrive(
        self,
        visitor_id: str,
        room: str,
        exhibit: str | None,
        name: str,
        invisible: bool,
        colour: int | None,
        limit: int,
        chat: bool = False,
    ) -> tuple[Visitor, int, list[Public], list[dict[str, Any]]]:
        """`enter`, then `look` at the room entered, in one call: return the visitor as the
        room now has them, and the room's `count`, `snapshot` and, if `chat`, `history`."""
        ...

    def occupancy(self) -> dict[str, int]:
        """Return the number of visitors of every room that has or had any."""
        ...

    def say(self, room: str, message: dict[str, Any]) -> None:
        """Append a chat message to the history of `room`."""
        ...

    def history(self, room: str) -> list[dict[str, Any]]:
        """Return the last chat messages of `room`, oldest first."""
        ...

    def drain(self) -> list[RoomChange]:
        """Return the changes of every room since the last drain, and start afresh."""
        ...

    def positions(self) -> list[tuple[str, str, str | None]]:
        """Return (visitor id, room, exhibit) for everyone in a room, invisible ones included."""
        ...


def collapse(
    slug: str,
    touched: dict[str, Public | None],
    now_seen: Callable[[str], Public | None],
    count: int,
    sent_count: int,
) -> RoomChange | None:
    """Return one room's change from how each touched visitor was seen at the last drain
    (`touched`, None: absent) and now (`now_seen`, None: absent); None when others would
    see nothing new.

    Each visitor appears at most once: someone who came and went within one tick is not
    mentioned, someone who left and came back is `moved` (or `joined` again if renamed or
    given another colour).
    """
    joined: list[Public] = []
    left: list[str] = []
    moved: list[dict[str, Any]] = []
    for visitor_id, before in touched.items():
        now = now_seen(visitor_id)
        if now is None:
            if before is not None:
                left.append(visitor_id)
        elif before is None or before["name"] != now["name"] or before["colour"] != now["colour"]:
            joined.append(now)
        elif before["exhibit"] != now["exhibit"]:
            moved.append({"id": visitor_id, "exhibit": now["exhibit"], "colour": now["colour"]})
    if not (joined or left or moved) and count == sent_count:
        return None
    return RoomChange(slug, count, joined, left, moved)
