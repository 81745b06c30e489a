"""Checking what room files name across files: doors and the agenda."""

from __future__ import annotations

from dataclasses import replace

from .context import Context
from .gallery_file import GalleryDraft
from .model import Person, Session
from .rooms import RoomDraft
from .schema import did_you_mean


def connect(ctx: Context, drafts: list[RoomDraft]) -> list[RoomDraft]:
    """Resolve doors both ways; report doors to rooms that do not exist."""
    order = {d.room.slug: i for i, d in enumerate(drafts)}
    doors: dict[str, set[str]] = {slug: set() for slug in order}
    for draft in drafts:
        for target, node in draft.doors:
            if target not in order:
                # A known room's own errors say enough; a kept room's doors just lead nowhere.
                if not draft.kept and target not in ctx.known:
                    draft.doc.error(node, f"unknown room '{target}'", did_you_mean(target, order))
                continue
            doors[draft.room.slug].add(target)
            doors[target].add(draft.room.slug)
    places: dict[tuple[int, int], str] = {}
    for draft in drafts:
        position = draft.room.position
        if position is not None:
            if position in places:
                draft.doc.warning(
                    draft.position_node,
                    f"room '{draft.room.slug}' has the same position as '{places[position]}'",
                )
            places.setdefault(position, draft.room.slug)
    return [
        replace(d, room=replace(d.room, doors=tuple(sorted(doors[d.room.slug], key=order.get))))
        for d in drafts
    ]


def agenda(ctx: Context, gallery: GalleryDraft, drafts: list[RoomDraft]) -> tuple[Session, ...]:
    """Check the rooms and exhibits the agenda names; build the sessions."""
    rooms = {d.room.slug: d.room for d in drafts}
    doc = gallery.doc
    for slug, node in gallery.stage_refs:
        if slug not in rooms:
            if slug not in ctx.known:
                doc.error(node, f"unknown room '{slug}'", did_you_mean(slug, rooms))
        elif rooms[slug].kind != "stage":
            doc.error(node, f"room '{slug}' is not a stage (add 'kind: stage' to its room.md)")
    for ref, node in gallery.exhibit_refs:
        room_slug, _, exhibit_slug = ref.partition("/")
        room = rooms.get(room_slug)
        if not exhibit_slug or "/" in exhibit_slug:
            doc.error(node, f"invalid exhibit reference '{ref}' (expected room/exhibit)")
        elif (
            (room is None or room.exhibit(exhibit_slug) is None)
            and ref not in ctx.known
            and f"{room_slug}/*" not in ctx.known  # its room folder could not be read
        ):
            known = [f"{r.slug}/{e.slug}" for r in rooms.values() for e in r.exhibits]
            doc.error(node, f"unknown exhibit '{ref}'", did_you_mean(ref, known))
    sessions = []
    for s in gallery.sessions:
        sessions.append(
            Session(
                id=s.id,
                title=ctx.ltext(s.title),
                starts=s.starts,
                ends=s.ends,
                room=s.room,
                speakers=tuple(Person(p.name, ctx.ltext(p.role)) for p in s.speakers),
                exhibit=s.exhibit,
                description=ctx.ltext(s.description),
                stream_video=s.stream_video,
                replay_video=s.replay_video,
            )
        )
    return tuple(sessions)
