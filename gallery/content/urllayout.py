"""The URL layout of an exhibition's pages and media files: the one place it is written.

Rules use Flask's syntax so the web layer can route them as they are: `<name>` is one path
segment, `<path:name>` may span several. Room files' links, the templates and the browser
scripts (through `TEMPLATES`, rendered into each page) all build URLs from here.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote, urlsplit

LOBBY = "/<lang>/"
ROOM = "/<lang>/rooms/<room>/"
EXHIBIT = "/<lang>/rooms/<room>/<exhibit>/"
AGENDA = "/<lang>/agenda/"
QUESTIONS = "/<lang>/sessions/<session>/questions/"
MEDIA = "/media/<path:path>"

RULES = {
    "lobby": LOBBY,
    "room": ROOM,
    "exhibit": EXHIBIT,
    "agenda": AGENDA,
    "questions": QUESTIONS,
    "media": MEDIA,
}
MEDIA_PREFIX = MEDIA.split("<", 1)[0]
# The query parameter that carries a media file's version.
MEDIA_VERSION = "v"

_PART = re.compile(r"<(?:(\w+):)?(\w+)>")

# The same rules as "{name}" templates, for scripts: e.g. "/{lang}/rooms/{room}/".
TEMPLATES = {name: _PART.sub(r"{\2}", rule) for name, rule in RULES.items()}


def fill(rule: str, **values: str) -> str:
    """Return the URL of `rule` with `values` in place, each quoted for its part of the path."""

    def part(found: re.Match[str]) -> str:
        converter, name = found.groups()
        return quote(values[name], safe="/" if converter == "path" else "")

    return _PART.sub(part, rule)


def lobby_url(lang: str) -> str:
    """Return the URL of the lobby in `lang`."""
    return fill(LOBBY, lang=lang)


def room_url(lang: str, room: str) -> str:
    """Return the URL of a room's page in `lang`."""
    return fill(ROOM, lang=lang, room=room)


def exhibit_url(lang: str, room: str, exhibit: str) -> str:
    """Return the URL of an exhibit's page in `lang`."""
    return fill(EXHIBIT, lang=lang, room=room, exhibit=exhibit)


def agenda_url(lang: str) -> str:
    """Return the URL of the agenda in `lang`."""
    return fill(AGENDA, lang=lang)


def questions_url(lang: str, session: str) -> str:
    """Return the URL of the page listing a session's questions in `lang`."""
    return fill(QUESTIONS, lang=lang, session=session)


def media_url(path: str, version: str | None = None) -> str:
    """Return the URL of a media file given relative to the exhibition root.

    With the file's `version` (`paths.file_version`) the URL changes whenever the file does,
    so browsers may keep it for good and see a replaced file at once.
    """
    url = fill(MEDIA, path=path)
    return f"{url}?{MEDIA_VERSION}={quote(version, safe='')}" if version else url


def _pattern(rule: str) -> re.Pattern[str]:
    """Return a regular expression matching the paths of `rule`, one group per part."""
    out, last = [], 0
    for found in _PART.finditer(rule):
        out.append(re.escape(rule[last : found.start()]))
        out.append(f"(?P<{found.group(2)}>[^/]+)")
        last = found.end()
    out.append(re.escape(rule[last:]))
    return re.compile("".join(out))


_PAGES = (("exhibit", _pattern(EXHIBIT)), ("room", _pattern(ROOM)))


def page_of(url: str) -> tuple[str, str, str | None] | None:
    """Return (lang, room, exhibit or None) of a room or exhibit page URL, else None."""
    path = urlsplit(url).path
    for name, pattern in _PAGES:
        found = pattern.fullmatch(path)
        if found:
            values = {key: unquote(value) for key, value in found.groupdict().items()}
            exhibit = values["exhibit"] if name == "exhibit" else None
            return values["lang"], values["room"], exhibit
    return None
