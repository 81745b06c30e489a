"""Reading one exhibit (NN-slug.md and its translations) into an `Exhibit`."""

from __future__ import annotations

import posixpath
from dataclasses import replace
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode

from .aliases import read_aliases
from .context import Context
from .mediatypes import is_video, media_type
from .model import Caption, Document, Exhibit, Link, Person, Video
from .paths import SCHEME
from .report import Doc
from .schema import check_language, keys_belong_in, require, strings
from .sources import Draft, Source, alt_warnings, people, read_texts, titled
from .urls import shown, url_problem
from .video import video_from_url
from .yamlsrc import is_null, kind_of

EXHIBIT_KEYS = (
    "title", "summary", "organisation", "team", "mentors", "image", "image_alt", "video",
    "poster", "captions", "documents", "links", "tags", "aliases",
)  # fmt: skip
EXHIBIT_TEXTS = ("title", "summary", "organisation", "image_alt")
keys_belong_in("exhibit", "an exhibit's file", EXHIBIT_KEYS)
LINK_SCHEMES = ("http", "https", "mailto")
VIDEO_URL_HELP = "expected a file, or a PeerTube, YouTube, Vimeo or Dailymotion page"


def video_source(
    ctx: Context, doc: Doc, key: str, node: Node, url_help: str = VIDEO_URL_HELP
) -> Video | None:
    """Read a video: a file of the exhibition or a known video page URL."""
    if not isinstance(node, ScalarNode) or is_null(node):
        doc.error(node, f"expected a text for '{key}', got {kind_of(node)}")
        return None
    value = node.value.strip()
    if SCHEME.match(value) or value.startswith("//"):
        problem = url_problem(value, ("http", "https"))
        if problem:
            doc.error(node, f"invalid video url '{shown(value)}' ({problem})")
            return None
        found = video_from_url(value)
        if found is None:
            doc.error(node, f"unsupported video url '{shown(value)}' ({url_help})")
        return found
    rel = ctx.file(doc, key, node)
    if rel is None:
        return None
    if not is_video(rel):
        doc.error(node, f"'{value}' is not a video file")
        return None
    return Video(file=rel)


def _link(doc: Doc, node: Node, url: str) -> str | None:
    """Accept an http(s) or mailto URL."""
    problem = url_problem(url, LINK_SCHEMES)
    if problem is None:
        return url
    doc.error(node, f"invalid link url '{shown(url)}' ({problem})")
    return None


def _captions(ctx: Context, doc: Doc, node: Node) -> list[Caption]:
    """Read captions: a map of language -> WebVTT file."""
    if not isinstance(node, MappingNode):
        doc.error(
            node, f"expected a map of language to .vtt file for 'captions', got {kind_of(node)}"
        )
        return []
    out: list[Caption] = []
    seen: set[str] = set()
    for lang_node, file_node in node.value:
        if not isinstance(lang_node, ScalarNode) or is_null(lang_node):
            doc.error(
                lang_node, f"expected a language code in 'captions', got {kind_of(lang_node)}"
            )
            continue
        lang = lang_node.value
        if lang in seen:
            doc.error(lang_node, f"duplicate language '{lang}' in 'captions'")
            continue
        seen.add(lang)
        if not check_language(doc, lang_node, lang, ctx.languages):
            continue
        rel = ctx.file(doc, f"captions.{lang}", file_node)
        if rel is None:
            continue
        if not rel.lower().endswith(".vtt"):
            doc.error(file_node, f"captions file '{file_node.value}' is not a .vtt file")
            continue
        try:
            with (ctx.root / rel).open("rb") as handle:
                head = handle.read(10).removeprefix(b"\xef\xbb\xbf")
        except OSError:
            head = b""
        if not (head.startswith(b"WEBVTT") and head[6:7] in (b"", b" ", b"\t", b"\r", b"\n")):
            doc.error(file_node, f"captions file '{file_node.value}' does not start with WEBVTT")
            continue
        out.append(Caption(lang, rel))
    return out


def read_exhibit(
    ctx: Context, room: str, slug: str, source: Source, translations: list[tuple[str, Source]]
) -> Exhibit | None:
    """Build an exhibit from its main file and translations; None if it cannot be built."""
    doc, fields = source.doc, source.fields
    name = posixpath.basename(doc.rel)
    ok = require(doc, fields, source.node, ("title",), "exhibit")
    draft: Draft = read_texts(ctx, source, EXHIBIT_TEXTS)

    def node(key: str) -> Node | None:
        return fields[key][1] if key in fields else None

    team = people(ctx, doc, "team", node("team")) if "team" in fields else []
    mentors = people(ctx, doc, "mentors", node("mentors")) if "mentors" in fields else []
    documents = (
        titled(
            ctx,
            doc,
            "documents",
            node("documents"),
            "file",
            "document",
            lambda d, n, _v: ctx.file(d, "file", n),
        )
        if "documents" in fields
        else []
    )
    links = (
        titled(ctx, doc, "links", node("links"), "url", "link", _link) if "links" in fields else []
    )
    draft.lists = {
        "team": (team, "name"),
        "mentors": (mentors, "name"),
        "documents": (documents, "file"),
        "links": (links, "url"),
    }
    image = ctx.image(doc, "image", node("image")) if "image" in fields else None
    if "image" in fields and "image_alt" not in fields:
        doc.error(fields["image"][0], "'image_alt' is required with 'image'")
    video = video_source(ctx, doc, "video", node("video")) if "video" in fields else None
    poster = ctx.image(doc, "poster", node("poster")) if "poster" in fields else None
    captions = _captions(ctx, doc, node("captions")) if "captions" in fields else []
    tags = (
        tuple(value for value, _ in strings(doc, "tags", node("tags"))) if "tags" in fields else ()
    )
    aliases = (
        read_aliases(doc, fields["aliases"][1], room, slug, ctx.aliases)
        if "aliases" in fields
        else ()
    )
    for key in ("poster", "captions"):
        if key in fields and "video" not in fields:
            doc.warning(fields[key][0], f"'{key}' is only used with a 'video'")
    if video is not None and video.file is None and captions:
        doc.warning(fields["captions"][0], "captions are only used with a video file")
    if video is not None and video.file is not None and "captions" not in fields:
        doc.warning(node("video"), "video has no captions")

    for lang, translation in translations:
        draft.translate(ctx, translation, lang, name)
    alt_warnings(ctx, draft, fields["image"][1] if image else None)
    if not ok or "title" not in draft.texts:
        return None
    if video is not None:
        video = replace(video, poster=poster, captions=tuple(captions) if video.file else ())
    return Exhibit(
        slug=slug,
        room=room,
        title=ctx.ltext(draft.texts["title"]),
        summary=ctx.ltext(draft.texts.get("summary")),
        organisation=ctx.ltext(draft.texts.get("organisation")),
        team=tuple(Person(p.name, ctx.ltext(p.role)) for p in team),
        mentors=tuple(Person(p.name, ctx.ltext(p.role)) for p in mentors),
        image=image,
        image_alt=ctx.ltext(draft.texts.get("image_alt")),
        video=video,
        documents=tuple(
            Document(ctx.ltext(d.title), d.resolved, *_file_info(ctx.root, d.resolved))
            for d in documents
            if d.resolved
        ),
        links=tuple(Link(ctx.ltext(link.title), link.target) for link in links if link.resolved),
        tags=tags,
        body=ctx.ltext(draft.body),
        source=doc.rel,
        aliases=aliases,
    )


def _file_info(root: Path, rel: str) -> tuple[int, str]:
    """Return the size and media type of a document."""
    try:
        size = (root / rel).stat().st_size
    except OSError:
        size = 0
    return size, media_type(rel)
