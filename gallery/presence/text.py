"""Cleaning the free text visitors send: pseudonyms and chat messages."""

from __future__ import annotations

import re

# C0/C1 controls and the bidirectional overrides, which can make a name read backwards.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"\s+")

DEFAULT_NAMES = {"fr": "Visiteur", "de": "Besucher", "es": "Visitante", "it": "Visitatore"}


def clean_text(text: str) -> str:
    """Return `text` without control characters, runs of spaces collapsed, trimmed."""
    return _SPACES.sub(" ", _INVISIBLE.sub(" ", text)).strip()


def clean_name(name: str | None, limit: int) -> str:
    """Return a pseudonym cleaned and cut to `limit` characters; empty when nothing is left."""
    if not name:
        return ""
    return clean_text(name)[:limit].rstrip()


def default_name(number: int, lang: str = "en") -> str:
    """Return the pseudonym of a visitor who gave none, like "Visitor 42"."""
    return f"{DEFAULT_NAMES.get(lang, 'Visitor')} {number}"
