"""Reading the agenda of gallery.yaml: its sessions, their speakers, streams and replays."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Protocol

from yaml.nodes import Node, ScalarNode

from .context import Context
from .exhibits import _captions, video_source
from .model import Video
from .report import Doc
from .schema import Fields, mapping, moment, require, string, text
from .sources import Person, people
from .yamlsrc import is_null

SESSION_KEYS = (
    "id", "title", "starts", "ends", "room", "speakers", "stream", "replay", "captions",
    "exhibit", "description",
)  # fmt: skip
SESSION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
# An HLS playlist served on the gallery's own origin, e.g. /live/stage.m3u8?token=1
HLS_PATH = re.compile(r"/[A-Za-z0-9._~%/-]*\.m3u8(?:\?[A-Za-z0-9._~%=&-]*)?", re.IGNORECASE)
STREAM_URL_HELP = (
    "expected a file, an HLS playlist on this site like /live/stage.m3u8, "
    "or a PeerTube, YouTube, Vimeo or Dailymotion page"
)


@dataclass
class SessionDraft:
    """An agenda session read from gallery.yaml; its room and exhibit not yet checked."""

    id: str
    title: dict[str, str]
    starts: datetime
    ends: datetime
    room: str | None = None
    speakers: list[Person] = field(default_factory=list)
    stream_video: Video | None = None
    replay_video: Video | None = None
    exhibit: str | None = None
    description: dict[str, str] = field(default_factory=dict)


class Referring(Protocol):
    """Where a session notes the stage rooms and exhibits it names, checked once all are read."""

    doc: Doc
    stage_refs: list[tuple[str, Node]]
    exhibit_refs: list[tuple[str, Node]]


def stream_source(ctx: Context, doc: Doc, key: str, node: Node) -> Video | None:
    """Read a session's `stream` or `replay`: an HLS playlist on this site, else a video."""
    if isinstance(node, ScalarNode) and not is_null(node):
        value = node.value.strip()
        if value.startswith("/") and not value.startswith("//"):
            if HLS_PATH.fullmatch(value):
                return Video(url=value, provider="hls")
            doc.error(node, f"'{value}' is not an HLS playlist path ({STREAM_URL_HELP})")
            return None
    return video_source(ctx, doc, key, node, STREAM_URL_HELP)


def _with_captions(
    ctx: Context, doc: Doc, fields: Fields, videos: dict[str, Video | None]
) -> dict[str, Video | None]:
    """Give the session's video files their `captions`, warning where none or unused."""
    files = [key for key, video in videos.items() if video is not None and video.file]
    failed = any(key in fields and video is None for key, video in videos.items())
    captions = _captions(ctx, doc, fields["captions"][1]) if "captions" in fields else []
    if "captions" in fields and not files and not failed:  # a failed one has its own error
        doc.warning(fields["captions"][0], "captions are only used with a stream or replay file")
    out = dict(videos)
    for key in files:
        if "captions" not in fields:
            doc.warning(fields[key][1], f"{key} has no captions")
        out[key] = replace(videos[key], captions=tuple(captions))  # type: ignore[arg-type]
    return out


def read_session(
    ctx: Context, draft: Referring, item: Node, seen: dict[str, Node]
) -> SessionDraft | None:
    """Read one agenda session, noting the stage room and exhibit it names in `draft`."""
    doc = draft.doc
    fields = mapping(doc, item, SESSION_KEYS, "agenda session")
    if fields is None:
        return None
    ok = require(doc, fields, item, ("id", "title", "starts", "ends"), "agenda session")

    def node(key: str) -> Node:
        return fields[key][1]

    session_id = string(doc, "id", node("id")) if "id" in fields else None
    if session_id is not None:
        if not SESSION_ID.fullmatch(session_id):
            doc.error(
                node("id"), f"invalid session id '{session_id}' (use letters, digits, - and _)"
            )
        elif session_id in seen:
            doc.error(node("id"), f"duplicate session id '{session_id}'")
        seen.setdefault(session_id, node("id"))
    title = (
        text(doc, "title", node("title"), ctx.languages, ctx.default, True)
        if "title" in fields
        else None
    )
    starts = moment(doc, "starts", node("starts")) if "starts" in fields else None
    ends = moment(doc, "ends", node("ends")) if "ends" in fields else None
    if starts and ends and ends <= starts:
        doc.error(node("ends"), "'ends' must be after 'starts'")
    speakers = people(ctx, doc, "speakers", node("speakers")) if "speakers" in fields else []
    description = (
        text(doc, "description", node("description"), ctx.languages, ctx.default)
        if "description" in fields
        else {}
    )
    videos = {
        key: stream_source(ctx, doc, key, node(key)) if key in fields else None
        for key in ("stream", "replay")
    }
    videos = _with_captions(ctx, doc, fields, videos)
    room = string(doc, "room", node("room")) if "room" in fields else None
    exhibit = string(doc, "exhibit", node("exhibit")) if "exhibit" in fields else None
    if room is not None:
        draft.stage_refs.append((room, node("room")))
    if exhibit is not None:
        draft.exhibit_refs.append((exhibit, node("exhibit")))
    if not ok or session_id is None or title is None or starts is None or ends is None:
        return None
    return SessionDraft(
        id=session_id,
        title=title,
        starts=starts,
        ends=ends,
        room=room,
        speakers=speakers,
        stream_video=videos["stream"],
        replay_video=videos["replay"],
        exhibit=exhibit,
        description=description or {},
    )
