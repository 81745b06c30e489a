"""Reading gallery.yaml: the exhibition's settings, languages and agenda."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from yaml.nodes import MappingNode, Node, ScalarNode

from .context import Context
from .exhibits import _captions, video_source
from .markdown import render
from .model import Video
from .report import Doc
from .schema import (
    LANGUAGE,
    Fields,
    keys_belong_in,
    mapping,
    moment,
    require,
    sequence,
    string,
    text,
)
from .sources import Person, people
from .urls import contact_problem, shown
from .yamlsrc import is_null, parse_yaml, read_text

GALLERY_FILE = "gallery.yaml"
GALLERY_KEYS = (
    "title", "subtitle", "languages", "entrance", "opens", "closes", "contact", "agenda",
    "introduction", "timezone",
)  # fmt: skip
SESSION_KEYS = (
    "id", "title", "starts", "ends", "room", "speakers", "stream", "replay", "captions",
    "exhibit", "description",
)  # fmt: skip
keys_belong_in("gallery.yaml", "gallery.yaml", GALLERY_KEYS)
keys_belong_in("agenda session", "an agenda session of gallery.yaml", SESSION_KEYS)
SESSION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
FIXED_OFFSET = re.compile(r"[+-](?:[01][0-9]|2[0-3]):[0-5][0-9]")
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


@dataclass
class GalleryDraft:
    """gallery.yaml read; rooms named in it are checked once every room is known."""

    doc: Doc
    ok: bool = False  # the file could be read, with a title and languages
    title: dict[str, str] = field(default_factory=dict)
    subtitle: dict[str, str] = field(default_factory=dict)
    introduction: dict[str, str] = field(default_factory=dict)
    entrance: tuple[str, Node] | None = None
    opens: datetime | None = None
    closes: datetime | None = None
    timezone: str = "UTC"
    contact: str | None = None
    sessions: list[SessionDraft] = field(default_factory=list)
    # Stage rooms and "room/exhibit" the agenda names, checked even in broken sessions.
    stage_refs: list[tuple[str, Node]] = field(default_factory=list)
    exhibit_refs: list[tuple[str, Node]] = field(default_factory=list)
    # Where each declared language is written, for messages about it.
    language_nodes: dict[str, Node] = field(default_factory=dict)


def _languages(
    ctx: Context, doc: Doc, node: Node, nodes: dict[str, Node] | None = None
) -> tuple[str, ...]:
    """Read the declared languages, the first being the default; note each one's node.

    Returns none when one cannot be read: texts are then not checked against a wrong list.
    """
    found: list[str] = []
    unreadable = False
    items = sequence(doc, "languages", node)
    for item in items or ():
        code = string(doc, "languages", item)
        if code is None:
            unreadable = True
            continue
        if not LANGUAGE.fullmatch(code):
            unreadable = True
            hint = "use codes like fr, en, pt-BR"
            if LANGUAGE.fullmatch(code.lower()):
                hint = f"did you mean '{code.lower()}'?"
            doc.error(item, f"invalid language code '{code}'", hint)
        elif code in found:
            doc.error(item, f"duplicate language '{code}'")
        else:
            found.append(code)
            if nodes is not None:
                nodes[code] = item
    if items == []:
        doc.error(node, "'languages' must list at least one language")
    return () if unreadable else tuple(found)


def _markdown(ctx: Context, doc: Doc, key: str, node: Node) -> dict[str, str]:
    """Read a Markdown text value and render each language to sanitised HTML."""
    values = text(doc, key, node, ctx.languages, ctx.default) or {}
    nodes = {ctx.default: node}
    if isinstance(node, MappingNode):
        nodes = {k.value: v for k, v in node.value if isinstance(k, ScalarNode)}
    out = {}
    for lang, source in values.items():
        where = nodes.get(lang, node)
        block = isinstance(where, ScalarNode) and where.style in ("|", ">")
        offset = where.start_mark.line + doc.offset + (1 if block else 0)
        out[lang] = render(source, doc, ctx.media, offset, lang)
    return out


def _timezone(doc: Doc, node: Node) -> str | None:
    """Read an IANA time zone name or a fixed offset like +02:00."""
    name = string(doc, "timezone", node)
    if name is None:
        return None
    if FIXED_OFFSET.fullmatch(name):
        return name
    try:
        ZoneInfo(name)
    except Exception:  # zoneinfo raises several kinds for odd names; all mean "unknown"
        doc.error(node, f"unknown time zone '{name}' (expected a name like Europe/Paris)")
        return None
    return name


def _offset(moment_: datetime) -> str:
    """Format the UTC offset of an aware datetime as +HH:MM."""
    delta = moment_.utcoffset()
    minutes = int(delta.total_seconds() // 60) if delta is not None else 0
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


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


def _session(
    ctx: Context, draft: GalleryDraft, item: Node, seen: dict[str, Node]
) -> SessionDraft | None:
    """Read one agenda session."""
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


def read_gallery(ctx: Context) -> GalleryDraft:
    """Read gallery.yaml, setting the exhibition's languages on `ctx` first."""
    doc = Doc(ctx.report, GALLERY_FILE)
    draft = GalleryDraft(doc)
    if not (ctx.root / GALLERY_FILE).is_file():
        doc.error(1, "missing gallery.yaml (the exhibition's settings file)")
        return draft
    ctx.files += 1
    content = read_text(ctx.root, GALLERY_FILE, ctx.report, ctx.media.resolved_root)
    if content is None:
        return draft
    parsed, node = parse_yaml(content, doc)
    if not parsed:
        return draft
    fields: Fields | None = mapping(doc, node, GALLERY_KEYS, "gallery.yaml")
    if fields is None:
        return draft
    ok = require(doc, fields, node, ("title", "languages"), "gallery.yaml")
    if "languages" in fields:
        languages = _languages(ctx, doc, fields["languages"][1], draft.language_nodes)
        if languages:
            ctx.languages, ctx.default = languages, languages[0]
        else:
            ok = False

    def value(key: str) -> Node:
        return fields[key][1]

    for key in ("title", "subtitle"):
        if key in fields:
            found = text(doc, key, value(key), ctx.languages, ctx.default, key == "title")
            setattr(draft, key, found or {})
    if "introduction" in fields:
        draft.introduction = _markdown(ctx, doc, "introduction", value("introduction"))
    if "entrance" in fields:
        entrance = string(doc, "entrance", value("entrance"))
        draft.entrance = (entrance, value("entrance")) if entrance else None
    if "contact" in fields:
        contact = string(doc, "contact", value("contact"))
        problem = contact_problem(contact) if contact is not None else None
        if problem:
            doc.error(value("contact"), f"invalid contact '{shown(contact)}' ({problem})")
        else:
            draft.contact = contact
    moments: list[tuple[int, datetime]] = []
    for key in ("opens", "closes"):
        if key in fields:
            found = moment(doc, key, value(key))
            setattr(draft, key, found)
            if found:
                moments.append((value(key).start_mark.line, found))
    if draft.opens and draft.closes and draft.closes <= draft.opens:
        doc.error(value("closes"), "'closes' must be after 'opens'")
    if "agenda" in fields:
        seen: dict[str, Node] = {}
        for item in sequence(doc, "agenda", value("agenda")) or ():
            session = _session(ctx, draft, item, seen)
            if session is not None:
                draft.sessions.append(session)
                moments.append((item.start_mark.line, session.starts))
    if "timezone" in fields:
        draft.timezone = _timezone(doc, value("timezone")) or "UTC"
    elif moments:
        draft.timezone = _offset(min(moments, key=lambda m: m[0])[1])
    draft.ok = ok and bool(draft.title) and not is_null(node)
    return draft
