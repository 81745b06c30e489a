"""What the catalogue template shows: rooms, exhibits and their printed URLs with QR codes."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from ..content import urllayout
from ..content.model import Exhibit, Exhibition, Room
from .qr import qr_codes


@dataclass(frozen=True)
class Printed:
    """A URL as the catalogue prints it: its title, the address, and its QR code."""

    title: Any
    url: str
    qr: str


def _absolute(base: str | None, path: str) -> str | None:
    """Return `path` on the public gallery at `base`, or None without one."""
    return base.rstrip("/") + path if base else None


def _printed(title: Any, url: str, codes: dict[str, str]) -> Printed:
    """Return a URL ready to print, with its code from `codes`."""
    return Printed(title, url, codes[url])


def _page_url(exhibit: Exhibit, room: Room, lang: str, base: str | None) -> str | None:
    """Return the public address of an exhibit's page, or None without the gallery's."""
    return _absolute(base, urllayout.exhibit_url(lang, room.slug, exhibit.slug))


def exhibit_urls(
    exhibit: Exhibit, room: Room, lang: str, base: str | None, codes: dict[str, str]
) -> dict[str, Any]:
    """Return an exhibit's page, documents and links as printed URLs (page and documents only
    with the gallery's public address)."""
    page = _page_url(exhibit, room, lang, base)
    documents = [
        (document, _absolute(base, urllayout.media_url(document.file)))
        for document in exhibit.documents
    ]
    return {
        "page": _printed(None, page, codes) if page else None,
        "documents": documents,
        "links": [_printed(link.title, link.url, codes) for link in exhibit.links],
    }


def printed_rooms(exhibition: Exhibition) -> list[Room]:
    """Return the rooms a catalogue has a section for: all but stages without exhibits."""
    return [room for room in exhibition.rooms if room.kind != "stage" or room.exhibits]


def catalogue_context(
    exhibition: Exhibition, lang: str, base: str | None, only: Collection[str] = ()
) -> dict[str, Any]:
    """Return the template context of the catalogue in `lang`, of the rooms `only` if any."""
    numbered = printed_rooms(exhibition)
    rooms = [room for room in numbered if not only or room.slug in only]
    home = _absolute(base, urllayout.lobby_url(lang))
    urls = [home] if home else []
    for room in rooms:
        for exhibit in room.exhibits:
            page = _page_url(exhibit, room, lang, base)
            urls += ([page] if page else []) + [link.url for link in exhibit.links]
    codes = qr_codes(urls)
    return {
        "lang": lang,
        "exhibition": exhibition,
        "rooms": rooms,
        # A room keeps its number in a catalogue of part of the exhibition.
        "numbers": {room.slug: number for number, room in enumerate(numbered, start=1)},
        "urls": {
            (room.slug, exhibit.slug): exhibit_urls(exhibit, room, lang, base, codes)
            for room in rooms
            for exhibit in room.exhibits
        },
        "home": _printed(None, home, codes) if home else None,
    }
