"""Immutable objects describing a loaded exhibition.

Everything here is built once by the loader and then only read, so the web app
can swap a whole new `Exhibition` in atomically when the room files change.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from operator import itemgetter
from pathlib import Path
from zoneinfo import ZoneInfo

from .urllayout import media_url

_TEXT = itemgetter(1)  # of a (language, text) pair


@dataclass(frozen=True)
class LText:
    """A text in one or more languages; `get` falls back to the default language."""

    values: tuple[tuple[str, str], ...] = ()
    default: str = ""

    def get(self, lang: str) -> str:
        """Return the text in `lang`, else in the default language, else any."""
        # A scan, not a dict of a few languages: a page asks for dozens of texts. From the
        # end: the last text of a language is the one that counts, as in a dict.
        fallback = None
        for code, text in reversed(self.values):
            if code == lang:
                return text
            if fallback is None and code == self.default:
                fallback = text
        if fallback is not None:
            return fallback
        return self.values[0][1] if self.values else ""

    def has(self, lang: str) -> bool:
        """Tell whether the text exists in exactly `lang`."""
        return any(code == lang for code, _ in self.values)

    def __bool__(self) -> bool:
        return any(map(_TEXT, self.values))  # no generator: asked dozens of times a page

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages this text is written in."""
        return tuple(code for code, _ in self.values)


@dataclass(frozen=True)
class Person:
    """A team member, mentor or speaker."""

    name: str
    role: LText = field(default_factory=LText)


@dataclass(frozen=True)
class Caption:
    """A WebVTT caption track for a video, by language."""

    lang: str
    file: str  # path relative to the exhibition root, POSIX separators


@dataclass(frozen=True)
class Video:
    """A video: a file inside the exhibition, or a third-party embed."""

    file: str | None = None  # path relative to the exhibition root
    url: str | None = None  # the page URL an organiser gave
    provider: str | None = None  # "peertube", "youtube", "vimeo", "dailymotion"
    embed_url: str | None = None  # the iframe URL, loaded only after a click
    poster: str | None = None  # path relative to the exhibition root
    captions: tuple[Caption, ...] = ()


@dataclass(frozen=True)
class Document:
    """A downloadable document attached to an exhibit."""

    title: LText
    file: str  # path relative to the exhibition root
    size: int = 0  # bytes, read once at load time
    type: str = ""  # media type, e.g. "application/pdf"


@dataclass(frozen=True)
class Link:
    """An outbound link attached to an exhibit."""

    title: LText
    url: str


@dataclass(frozen=True)
class Exhibit:
    """One exhibit panel, from one Markdown file in a room folder."""

    slug: str
    room: str  # slug of the room it stands in
    title: LText
    summary: LText = field(default_factory=LText)
    organisation: LText = field(default_factory=LText)
    team: tuple[Person, ...] = ()
    mentors: tuple[Person, ...] = ()
    image: str | None = None
    image_alt: LText = field(default_factory=LText)
    video: Video | None = None
    documents: tuple[Document, ...] = ()
    links: tuple[Link, ...] = ()
    tags: tuple[str, ...] = ()
    body: LText = field(default_factory=LText)  # sanitised HTML, per language
    source: str = ""  # path of the Markdown file, relative to the exhibition root
    # Old slugs, whose pages lead here: "slug" in this room, "room/slug" in another one.
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Room:
    """A themed room: a folder holding room.md and its exhibits."""

    slug: str
    title: LText
    summary: LText = field(default_factory=LText)
    kind: str = "gallery"  # "gallery" or "stage"
    colour: str | None = None  # validated CSS colour (#rgb, #rrggbb or a name)
    image: str | None = None
    image_alt: LText = field(default_factory=LText)
    doors: tuple[str, ...] = ()  # neighbouring room slugs, both ways, in room order
    position: tuple[int, int] | None = None  # (column, row) on the floor plan
    exhibits: tuple[Exhibit, ...] = ()
    body: LText = field(default_factory=LText)  # sanitised HTML, per language
    source: str = ""  # path of room.md, relative to the exhibition root
    aliases: tuple[str, ...] = ()  # old slugs, whose pages lead here

    def exhibit(self, slug: str) -> Exhibit | None:
        """Return the exhibit with this slug, or None."""
        for exhibit in self.exhibits:
            if exhibit.slug == slug:
                return exhibit
        return None


@dataclass(frozen=True)
class Session:
    """One session of the Demo Day agenda."""

    id: str
    title: LText
    starts: datetime  # timezone-aware
    ends: datetime  # timezone-aware
    room: str | None = None  # slug of a stage room
    speakers: tuple[Person, ...] = ()
    exhibit: str | None = None  # "room/exhibit"
    description: LText = field(default_factory=LText)  # plain text
    # The stream: a file, an HLS playlist on this site (provider "hls"), or a video page.
    stream_video: Video | None = None
    replay_video: Video | None = None  # the recording once it is over, read like the stream

    @property
    def stream(self) -> str | None:
        """The stream as the organiser gave it: a file path or a video page URL."""
        video = self.stream_video
        return (video.file or video.url) if video else None

    @property
    def replay(self) -> str | None:
        """The replay as the organiser gave it: a file path or a video page URL."""
        video = self.replay_video
        return (video.file or video.url) if video else None


@dataclass(frozen=True, eq=False)
class Catalogue:
    """The translated interface strings of one language, from a gettext .po file.

    A message is named by (context, key): context "" for pages, "live" for the live
    scripts, "error" for the server's error codes. Compared by identity: it is built once
    per file read and is a cache key for the merged interface.
    """

    lang: str
    plural: str  # the gettext expression choosing a plural form from n, e.g. "(n != 1)"
    messages: Mapping[tuple[str, str], tuple[str, ...]]  # one text, or one per plural form
    lines: Mapping[tuple[str, str], int] = field(default_factory=dict)  # line of each msgid
    # Messages given some plural forms but not all: left out of `messages`.
    incomplete: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True)
class MediaFile:
    """What pages need of one media file: its version (for its URL), an image's size."""

    version: str | None = None
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class Exhibition:
    """A whole exhibition: gallery.yaml, its rooms in order, and the agenda."""

    root: Path
    title: LText
    languages: tuple[str, ...]  # the first is the default
    rooms: tuple[Room, ...] = ()
    subtitle: LText = field(default_factory=LText)
    introduction: LText = field(default_factory=LText)  # sanitised HTML
    entrance: str | None = None  # slug of the room visitors start in
    opens: datetime | None = None
    closes: datetime | None = None
    timezone: str = "UTC"  # IANA name ("Europe/Paris") or a fixed offset ("+02:00")
    contact: str | None = None  # a checked email address, or http, https or mailto URL
    agenda: tuple[Session, ...] = ()
    # Every media path the room files reference, relative to the root: set by the loader.
    media: frozenset[str] = frozenset()
    # The exhibition's own interface strings (locale/LANG.po), over the shipped ones.
    interface: tuple[Catalogue, ...] = ()
    # The media paths with their version and size, when the loader could read them.
    media_files: Mapping[str, MediaFile] = field(default_factory=dict, compare=False)

    def media_url(self, path: str) -> str:
        """Return the URL of a media file, carrying its version when it is known."""
        found = self.media_files.get(path)
        return media_url(path, found.version if found else None)

    def image_size(self, path: str) -> tuple[int, int] | None:
        """Return the width and height of an image file in pixels, when known."""
        found = self.media_files.get(path)
        if found is None or not found.width or not found.height:
            return None
        return found.width, found.height

    @property
    def contact_url(self) -> str | None:
        """The link to the contact: its URL, or a mailto URL for a plain address."""
        contact = self.contact
        if not contact:
            return None
        if ":" not in contact:  # the loader allows no ':' in a plain address
            return f"mailto:{contact}"
        scheme = contact.split(":", 1)[0].lower()
        return contact if scheme in ("http", "https", "mailto") else None

    @property
    def default_language(self) -> str:
        """The exhibition's default language."""
        return self.languages[0]

    def tz(self) -> tzinfo:
        """The time zone in which the exhibition shows times."""
        name = self.timezone
        if name[:1] in "+-" and len(name) == 6:
            sign = -1 if name[0] == "-" else 1
            hours, minutes = int(name[1:3]), int(name[4:6])
            return timezone(sign * timedelta(hours=hours, minutes=minutes))
        return ZoneInfo(name)

    def room(self, slug: str) -> Room | None:
        """Return the room with this slug, or None."""
        for room in self.rooms:
            if room.slug == slug:
                return room
        return None

    def exhibit(self, room: str, slug: str) -> Exhibit | None:
        """Return the exhibit `slug` of room `room`, or None."""
        found = self.room(room)
        return found.exhibit(slug) if found else None

    def exhibits(self) -> Iterator[Exhibit]:
        """Yield every exhibit, room by room, in order."""
        for room in self.rooms:
            yield from room.exhibits
