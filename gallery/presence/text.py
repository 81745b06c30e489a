"""Cleaning the free text visitors send: pseudonyms and chat messages."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from babel.messages.pofile import read_po

# C0/C1 controls and the bidirectional overrides, which can make a name read backwards.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"\s+")
# Letters and symbols that show nothing: Hangul fillers, the braille blank, the combining
# grapheme joiner. Format characters (category Cf) are found by their category.
_BLANKS = frozenset("\u034f\u115f\u1160\u2800\u3164\uffa0")
# Joiners that some scripts (Persian, Indic) and emoji sequences need between their characters.
_JOINERS = frozenset("\u200c\u200d")
# Categories of characters that cannot make a name visible on their own.
_UNSEEN = frozenset({"Cc", "Cf", "Mn", "Me", "Zs", "Zl", "Zp"})

# The default name ("Visitor {n}") in each interface language, from the gettext catalogues
# of interface strings (gallery/locale/LANG.po), which the pages and their live scripts show
# too. Read here, not through gallery.i18n: presence imports nothing from outside itself.
_LOCALE = Path(__file__).resolve().parent.parent / "locale"


def _default_names() -> dict[str, str]:
    """Return the default name pattern of each shipped interface language."""
    names = {}
    for path in sorted(_LOCALE.glob("*.po")):
        with path.open("rb") as handle:
            message = read_po(handle).get("defaultName", context="live")
        if message is not None and message.string:
            names[path.stem] = message.string
    return names


DEFAULT_NAMES: dict[str, str] = _default_names()


def clean_text(text: str) -> str:
    """Return `text` without control characters, runs of spaces collapsed, trimmed."""
    return _SPACES.sub(" ", _INVISIBLE.sub(" ", text)).strip()


def clean_name(name: str | None, limit: int) -> str:
    """Return a pseudonym cleaned and cut to `limit` characters; empty when nothing is left.

    Besides what `clean_text` does, format characters (zero-width spaces, soft hyphens,
    tags) go, so `Ev\\u200be` is `Eve`, not a look-alike; a name nothing of which shows,
    or one that reads like a default name ("Visitor 42"), is empty: the visitor gets a
    default name of the server's own.
    """
    if not name:
        return ""
    if name.isascii():
        # ASCII holds no format character, joiner or blank: what `clean_text` leaves shows,
        # if anything is left. Most names are ASCII, and each `enter` cleans one.
        text = clean_text(name)[:limit].rstrip()
        return "" if not text or claims_default_name(text) else text
    return _clean_any_name(name, limit)


def _clean_any_name(name: str, limit: int) -> str:
    """Return `clean_name(name, limit)` for a name in any script, character by character."""
    text = _INVISIBLE.sub(" ", name)
    kept = []
    last = len(text) - 1
    for i, char in enumerate(text):
        if char in _JOINERS:
            if 0 < i < last and _joins(text[i - 1], text[i + 1]):
                kept.append(char)
        elif char not in _BLANKS and unicodedata.category(char) != "Cf":
            kept.append(char)
    text = _SPACES.sub(" ", "".join(kept)).strip()[:limit].rstrip()
    if not any(_shows(char) for char in text) or claims_default_name(text):
        return ""
    return text


def _joins(before: str, after: str) -> bool:
    """Tell whether a joiner between `before` and `after` may stay: both visible, not ASCII."""
    return before > "\x7f" and after > "\x7f" and _shows(before) and _shows(after)


def _shows(char: str) -> bool:
    """Tell whether `char` can make a name visible."""
    return char not in _BLANKS and unicodedata.category(char) not in _UNSEEN


def default_name(number: int, lang: str = "en") -> str:
    """Return the pseudonym of a visitor who gave none, like "Visitor 42"."""
    return DEFAULT_NAMES.get(lang, DEFAULT_NAMES["en"]).format(n=number)


def _default_name_pattern() -> re.Pattern[str]:
    """Return the pattern of every language's default name, the number left open."""
    words = {pattern.partition("{n}")[0].strip().casefold() for pattern in DEFAULT_NAMES.values()}
    return re.compile("(?:" + "|".join(map(re.escape, sorted(words))) + r")[\W_]*\d+")


# Built once: each `enter` checks its name against it.
_DEFAULT_NAME = _default_name_pattern()


def claims_default_name(name: str) -> bool:
    """Tell whether `name` reads like a default name ("Visiteur 42") in any language."""
    return _DEFAULT_NAME.fullmatch(unicodedata.normalize("NFKC", name).casefold()) is not None
