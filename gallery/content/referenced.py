"""The media files an exhibition references: the only files the server may send."""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterable, Iterator
from urllib.parse import unquote

from .model import Exhibition, LText, Video
from .urllayout import MEDIA_PREFIX

# The room files themselves are sources, not media, even with a suffix added after.
SOURCE_SUFFIXES = frozenset({".md", ".markdown", ".yaml", ".yml"})
# What editors and merge tools leave beside a file: backups, swap and reject files.
LEFTOVER_ENDINGS = (".bak", ".orig", ".rej", ".swp", ".swo", ".swx", ".tmp", "~")
# The sanitiser writes every attribute in double quotes.
_MEDIA_LINK = re.compile(r'(?:src|href)="' + re.escape(MEDIA_PREFIX) + r'([^"#?]+)')


def servable(rel: str) -> bool:
    """Tell whether a file name could be media: not hidden, not a source, not a leftover."""
    name = posixpath.basename(rel)
    lowered = name.lower()
    if not name or name.startswith((".", "#")) or lowered.endswith(LEFTOVER_ENDINGS):
        return False
    suffixes = {"." + part for part in lowered.split(".")[1:]}
    return not suffixes & SOURCE_SUFFIXES


def referenced_media(exhibition: Exhibition) -> frozenset[str]:
    """Return every servable media path the exhibition references, relative to its root."""
    return frozenset(rel for rel in _references(exhibition) if rel and servable(rel))


def _references(exhibition: Exhibition) -> Iterator[str | None]:
    """Yield the paths named by the room files and the Markdown they hold."""
    yield from _embedded(exhibition.introduction)
    for room in exhibition.rooms:
        yield room.image
        yield from _embedded(room.body)
        for exhibit in room.exhibits:
            yield exhibit.image
            yield from _video(exhibit.video)
            yield from (document.file for document in exhibit.documents)
            yield from _embedded(exhibit.body)
    for session in exhibition.agenda:
        yield from _video(session.stream_video)
        yield from _video(session.replay_video)


def _video(video: Video | None) -> Iterable[str | None]:
    """Return the files of a video: itself, its poster and its caption tracks."""
    if video is None:
        return ()
    return (video.file, video.poster, *(caption.file for caption in video.captions))


def _embedded(text: LText) -> Iterator[str]:
    """Yield the media paths that sanitised HTML links to or shows, in every language."""
    for _lang, markup in text.values:
        for found in _MEDIA_LINK.finditer(markup):
            yield unquote(html.unescape(found.group(1)))
