"""Reading one room (room.md and its translations) before doors are resolved."""

from __future__ import annotations

from dataclasses import dataclass, field

from yaml.nodes import Node, ScalarNode, SequenceNode

from .aliases import read_aliases
from .context import Context
from .model import Exhibit, Room
from .report import Doc
from .schema import SLUG, choice, colour, keys_belong_in, require, strings
from .sources import Draft, Source, alt_warnings, read_texts
from .yamlsrc import INT, kind_of

ROOM_KEYS = (
    "title", "summary", "doors", "kind", "colour", "image", "image_alt", "position", "aliases",
)  # fmt: skip
ROOM_TEXTS = ("title", "summary", "image_alt")
KINDS = ("gallery", "stage")
keys_belong_in("room", "a room's room.md", ROOM_KEYS)


@dataclass
class RoomDraft:
    """A room read from its files; doors still name rooms that may not exist."""

    room: Room
    doc: Doc
    doors: list[tuple[str, Node | None]] = field(default_factory=list)
    position_node: Node | None = None
    # A room kept in its last good version while its files hold errors: its doors to rooms
    # that are gone are dropped without a word (its files were not read this time).
    kept: bool = False


def _position(doc: Doc, node: Node) -> tuple[int, int] | None:
    """Read a floor-plan position [column, row] of two whole numbers >= 0."""
    if (
        isinstance(node, SequenceNode)
        and len(node.value) == 2
        and all(isinstance(n, ScalarNode) and n.tag == INT for n in node.value)
    ):
        try:
            column, row = (int(n.value) for n in node.value)
        except ValueError:
            column, row = -1, -1
        if column >= 0 and row >= 0:
            return column, row
    got = "" if isinstance(node, SequenceNode) else f", got {kind_of(node)}"
    doc.error(node, f"expected [column, row] (two whole numbers >= 0) for 'position'{got}")
    return None


def read_room(
    ctx: Context,
    slug: str,
    source: Source,
    translations: list[tuple[str, Source]],
    exhibits: tuple[Exhibit, ...],
) -> RoomDraft | None:
    """Build a room from room.md and its translations; None if it cannot be built."""
    doc, fields = source.doc, source.fields
    ok = require(doc, fields, source.node, ("title",), "room")
    draft: Draft = read_texts(ctx, source, ROOM_TEXTS)

    def node(key: str) -> Node:
        return fields[key][1]

    doors: list[tuple[str, Node | None]] = []
    if "doors" in fields:
        seen: set[str] = set()
        for value, item in strings(doc, "doors", node("doors")):
            if value in seen:
                doc.warning(item, f"door to '{value}' is listed twice")
                continue
            seen.add(value)
            if value == slug:
                doc.error(item, "a room cannot have a door to itself")
            else:
                doors.append((value, item))
    kind = choice(doc, "kind", node("kind"), KINDS) if "kind" in fields else "gallery"
    room_colour = colour(doc, "colour", node("colour")) if "colour" in fields else None
    image = ctx.image(doc, "image", node("image")) if "image" in fields else None
    if "image" in fields and "image_alt" not in fields:
        doc.warning(fields["image"][1], "image has no alt text (add 'image_alt')")
    position = _position(doc, node("position")) if "position" in fields else None
    aliases = (
        read_aliases(doc, node("aliases"), slug, None, ctx.aliases) if "aliases" in fields else ()
    )

    for lang, translation in translations:
        draft.translate(ctx, translation, lang, "room.md")
    alt_warnings(ctx, draft, fields["image"][1] if image else None)
    if not ok or "title" not in draft.texts or kind is None:
        return None
    room = Room(
        slug=slug,
        title=ctx.ltext(draft.texts["title"]),
        summary=ctx.ltext(draft.texts.get("summary")),
        kind=kind,
        colour=room_colour,
        image=image,
        image_alt=ctx.ltext(draft.texts.get("image_alt")),
        position=position,
        exhibits=exhibits,
        body=ctx.ltext(draft.body),
        source=doc.rel,
        aliases=aliases,
    )
    return RoomDraft(room, doc, doors, fields["position"][1] if "position" in fields else None)


def valid_slug(value: str) -> bool:
    """Tell whether a slug is lowercase letters and digits joined by single hyphens."""
    return bool(SLUG.fullmatch(value))
