"""Interface strings in French and English (from strings/LANG.json), and choosing a language."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from .content.model import LText

FALLBACK = "en"

# Every interface string, of the pages and of the live scripts, one file per language.
STRINGS = Path(__file__).resolve().parent / "strings"


def _read(lang: str) -> dict[str, Any]:
    """Return the strings of `lang` from its file."""
    return json.loads((STRINGS / f"{lang}.json").read_text(encoding="utf-8"))


_FILES = {path.stem: _read(path.stem) for path in sorted(STRINGS.glob("*.json"))}
# Page strings, flat: key -> text with {placeholders}.
CATALOGUE: dict[str, dict[str, str]] = {lang: data["page"] for lang, data in _FILES.items()}
# Strings of the live scripts, sent into each page: plurals as {"one", "other"}, errors by code.
LIVE: dict[str, dict[str, Any]] = {lang: data["live"] for lang, data in _FILES.items()}


def ui_language(lang: str) -> str:
    """Return the catalogue language used for page language `lang`."""
    return lang if lang in CATALOGUE else FALLBACK


def live_strings(lang: str) -> dict[str, Any]:
    """Return the live scripts' strings for a page in `lang`, with the language they are in."""
    shown = ui_language(lang)
    return {"lang": shown, "strings": LIVE[shown]}


def gettext(lang: str, key: str, **values: object) -> str:
    """Return the interface string `key` in `lang`, formatted with `values`."""
    table = CATALOGUE[ui_language(lang)]
    text = table.get(key) or CATALOGUE[FALLBACK].get(key, key)
    return text.format(**values) if values else text


def best_language(accept: object, languages: Iterable[str], default: str) -> str:
    """Pick the visitor's language among `languages` from an Accept-Language header.

    `accept` is werkzeug's LanguageAccept; "fr-FR" matches "fr" through its
    fallback to the primary tag.
    """
    match = accept.best_match(list(languages)) if accept is not None else None  # type: ignore[attr-defined]
    return match or default


def text_language(text: LText, lang: str) -> str:
    """Return the language `text` will actually be shown in on a page in `lang`."""
    if text.has(lang):
        return lang
    if text.has(text.default):
        return text.default
    return text.languages[0] if text.languages else lang


def ltext(text: LText | None, lang: str) -> str:
    """Return `text` in `lang` (with fallback) as a plain string."""
    return text.get(lang) if text else ""


def _marked(text: LText, lang: str, value: Markup, tag: str) -> Markup:
    """Return `value`, wrapped in `tag` with a `lang` attribute when `text` falls back."""
    shown = text_language(text, lang)
    if shown == lang:
        return value
    return Markup(f'<{tag} lang="{escape(shown)}">') + value + Markup(f"</{tag}>")


def ltext_markup(text: LText | None, lang: str, block: bool = False) -> Markup:
    """Return `text` escaped, wrapped in an element with `lang` when it falls back."""
    if not text:
        return Markup("")
    return _marked(text, lang, escape(text.get(lang)), "div" if block else "span")


def lhtml(text: LText | None, lang: str) -> Markup:
    """Return sanitised HTML from the model, wrapped with `lang` when it falls back."""
    if not text:
        return Markup("")
    # The loader sanitised this HTML with nh3; it is safe to mark as such.
    return _marked(text, lang, Markup(text.get(lang)), "div")
