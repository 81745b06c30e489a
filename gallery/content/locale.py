"""Interface strings read from gettext .po files: the shipped catalogues and an exhibition's.

A message is named by a key (its msgid) in one of three contexts: pages (no msgctxt), the
live scripts (msgctxt "live") and the server's error codes (msgctxt "error"). A message with
a msgid_plural has one text per plural form of its language, chosen by the count `n`.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import PoFileError, read_po

# The catalogues shipped with the gallery: LANG.po, one per interface language.
SHIPPED = Path(__file__).resolve().parent.parent / "locale"

PAGE, LIVE, ERROR = "", "live", "error"
CONTEXTS = (PAGE, LIVE, ERROR)

Key = tuple[str, str]  # (context, msgid)


@dataclass(frozen=True, eq=False)
class Catalogue:
    """The translated interface strings of one language."""

    lang: str
    plural: str  # the gettext expression choosing a plural form from n, e.g. "(n != 1)"
    messages: Mapping[Key, tuple[str, ...]]  # one text, or one per plural form
    lines: Mapping[Key, int]  # the line of each message's msgid in its file


class CatalogueError(ValueError):
    """Raised when a .po file cannot be parsed; says where."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


def parse_catalogue(data: bytes, lang: str) -> Catalogue:
    """Return the translated messages of .po `data` (untranslated and fuzzy ones left out)."""
    try:
        catalog = read_po(io.BytesIO(data), locale=None, abort_invalid=True)
    except PoFileError as exc:
        raise CatalogueError(exc.lineno + 1, str(exc.args[0]).rsplit(" on ", 1)[0]) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise CatalogueError(1, str(exc)) from exc
    messages: dict[Key, tuple[str, ...]] = {}
    lines: dict[Key, int] = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
        forms = message.string if isinstance(message.string, tuple | list) else (message.string,)
        key = (message.context or PAGE, msgid)
        lines[key] = message.lineno or 1
        if all(forms):
            messages[key] = tuple(forms)
    plural = catalog.plural_expr if catalog.plural_forms else "(n != 1)"
    return Catalogue(lang, plural, messages, lines)


def read_shipped() -> dict[str, Catalogue]:
    """Return the catalogues shipped with the gallery, by language."""
    return {
        path.stem: parse_catalogue(path.read_bytes(), path.stem)
        for path in sorted(SHIPPED.glob("*.po"))
    }
