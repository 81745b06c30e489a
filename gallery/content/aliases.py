"""Old slugs of renamed rooms and exhibits (`aliases`): read, checked against the slugs in
use, and resolved to the new addresses; links in the texts to pages that moved or are gone.

A room's alias is a slug it had (`old-lab`): /LANG/rooms/old-lab/ and every exhibit address
under it lead to the room now. An exhibit's alias is a slug it had in its room (`lanterns`),
or `room/slug` when it stood in another room then.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from yaml.nodes import Node

from .model import Room
from .report import Doc, Where
from .schema import SLUG, did_you_mean, strings
from .urllayout import exhibit_url, room_url
from .urls import shown

Address = tuple[str, str | None]  # (room, exhibit or None for the room itself)
ALIAS_HELP = "use lowercase letters, digits and single hyphens"
EXHIBIT_ALIAS_HELP = "an old slug, or room/slug for an exhibit that stood in another room"


@dataclass(frozen=True)
class AliasRef:
    """One alias as written: where, the old address it names and the address it leads to."""

    doc: Doc
    node: Node
    written: str
    old: Address
    new: Address


@dataclass(frozen=True)
class PageLink:
    """A link in a text to a room or exhibit page of this site, e.g. /fr/rooms/lab/."""

    doc: Doc
    where: Where
    url: str
    lang: str
    address: Address


def read_aliases(
    doc: Doc, node: Node, room: str, exhibit: str | None, refs: list[AliasRef]
) -> tuple[str, ...]:
    """Read the `aliases` of a room (exhibit None) or an exhibit; add them to `refs`."""
    out: list[str] = []
    for value, item in strings(doc, "aliases", node):
        if value in out:
            doc.warning(item, f"alias '{shown(value)}' is listed twice")
            continue
        parts = value.split("/")
        if exhibit is None and not SLUG.fullmatch(value):
            doc.error(item, f"invalid alias '{shown(value)}'", ALIAS_HELP)
            continue
        if exhibit is not None and (len(parts) > 2 or not all(SLUG.fullmatch(p) for p in parts)):
            doc.error(item, f"invalid alias '{shown(value)}'", EXHIBIT_ALIAS_HELP)
            continue
        old: Address = (value, None) if exhibit is None else (room, value)
        if len(parts) == 2:
            old = (parts[0], parts[1])
        if old == (room, exhibit):
            own = "room" if exhibit is None else "exhibit"
            doc.error(item, f"alias '{value}' is the {own}'s own slug")
            continue
        out.append(value)
        refs.append(AliasRef(doc, item, value, old, (room, exhibit)))
    return tuple(out)


def _name(address: Address) -> str:
    """Return "room 'lab'" or "exhibit 'lab/maps'"."""
    room, exhibit = address
    return f"room '{room}'" if exhibit is None else f"exhibit '{room}/{exhibit}'"


def check_aliases(refs: list[AliasRef], known: set[str]) -> None:
    """Report aliases that name a room or exhibit in use (`known`), or that two claim."""
    claimed: dict[Address, AliasRef] = {}
    for ref in refs:
        room, exhibit = ref.old
        if exhibit is None and room in known:
            ref.doc.error(ref.node, f"alias '{ref.written}' is the slug of a room")
            continue
        if exhibit is not None and f"{room}/{exhibit}" in known:
            what = "another exhibit of this room" if "/" not in ref.written else "an exhibit"
            ref.doc.error(ref.node, f"alias '{ref.written}' is the slug of {what}")
            continue
        other = claimed.setdefault(ref.old, ref)
        if other is not ref:
            ref.doc.error(ref.node, f"alias '{ref.written}' is also an alias of {_name(other.new)}")


@dataclass(frozen=True)
class Aliases:
    """Where the old addresses of an exhibition lead now."""

    rooms: dict[str, str] = field(default_factory=dict)  # old room slug -> room slug
    exhibits: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    live: frozenset[Address] = frozenset()

    @classmethod
    def of(cls, rooms: Iterable[Room]) -> Aliases:
        """Gather the aliases of `rooms` and their exhibits."""
        found = cls()
        live: set[Address] = set()
        for room in rooms:
            live.add((room.slug, None))
            for alias in room.aliases:
                found.rooms.setdefault(alias, room.slug)
            for exhibit in room.exhibits:
                live.add((room.slug, exhibit.slug))
                for alias in exhibit.aliases:
                    old_room, _, old = alias.rpartition("/")
                    new = (room.slug, exhibit.slug)
                    found.exhibits.setdefault((old_room or room.slug, old), new)
        return cls(found.rooms, found.exhibits, frozenset(live))

    def resolve(self, room: str, exhibit: str | None = None) -> Address | None:
        """Return where an old address leads now, or None when it names nothing."""
        if exhibit is None:
            new_room = self.rooms.get(room)
            return (new_room, None) if new_room else None
        moved = self.exhibits.get((room, exhibit))
        if moved:
            return moved
        new_room = self.rooms.get(room)
        if new_room is None:
            return None
        if (new_room, exhibit) in self.live:
            return (new_room, exhibit)
        return self.exhibits.get((new_room, exhibit))


def page_address_url(lang: str, address: Address) -> str:
    """Return the URL of a room or exhibit page in `lang`."""
    room, exhibit = address
    return room_url(lang, room) if exhibit is None else exhibit_url(lang, room, exhibit)


def check_links(links: list[PageLink], rooms: list[Room], known: set[str]) -> None:
    """Warn about links to pages whose slug is gone: renamed (with the new address) or not."""
    aliases = Aliases.of(rooms)
    for link in links:
        room, exhibit = link.address
        target = room if exhibit is None else f"{room}/{exhibit}"
        if link.address in aliases.live or target in known:
            continue  # a page that exists, or a file whose own errors say enough
        moved = aliases.resolve(room, exhibit)
        if moved is not None:
            new = page_address_url(link.lang, moved)
            message = f"link to '{shown(link.url)}' uses an old slug"
            link.doc.warning(link.where, message, f"write '{new}'")
        elif exhibit is None:
            hint = did_you_mean(room, [r.slug for r in rooms])
            link.doc.warning(link.where, f"link to '{shown(link.url)}': no room '{room}'", hint)
        else:
            choices = [f"{r.slug}/{e.slug}" for r in rooms for e in r.exhibits]
            hint = did_you_mean(target, choices)
            message = f"link to '{shown(link.url)}': no exhibit '{target}'"
            link.doc.warning(link.where, message, hint)
