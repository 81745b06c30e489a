"""Reading gallery.yaml: the exhibition's settings, languages and agenda."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from yaml.nodes import MappingNode, Node, ScalarNode

from .agenda_file import SESSION_KEYS, SessionDraft, read_session
from .context import Context
from .markdown import render
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
from .urls import contact_problem, shown
from .yamlsrc import is_null, parse_yaml, read_text

GALLERY_FILE = "gallery.yaml"
GALLERY_KEYS = (
    "title", "subtitle", "languages", "entrance", "opens", "closes", "contact", "agenda",
    "introduction", "timezone",
)  # fmt: skip
keys_belong_in("gallery.yaml", "gallery.yaml", GALLERY_KEYS)
# Declared here, after gallery.yaml's: the order of the homes a misplaced key is sent to.
keys_belong_in("agenda session", "an agenda session of gallery.yaml", SESSION_KEYS)
FIXED_OFFSET = re.compile(r"[+-](?:[01][0-9]|2[0-3]):[0-5][0-9]")


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
            session = read_session(ctx, draft, item, seen)
            if session is not None:
                draft.sessions.append(session)
                moments.append((item.start_mark.line, session.starts))
    if "timezone" in fields:
        draft.timezone = _timezone(doc, value("timezone")) or "UTC"
    elif moments:
        draft.timezone = _offset(min(moments, key=lambda m: m[0])[1])
    draft.ok = ok and bool(draft.title) and not is_null(node)
    return draft
