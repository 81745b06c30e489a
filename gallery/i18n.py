"""Interface strings in every shipped language, and choosing a language.

The interface strings live in gettext catalogues, gallery/locale/LANG.po (French, English,
German, Spanish, Italian, Dutch), read with Babel at start-up: one source for the pages
(`_('key', name=...)` in templates, `gettext` here) and for the live scripts, which get their
strings as a JSON block in each page (`live_strings`). A message is named by a key (its
msgid) in a context: pages (none), the live scripts (msgctxt "live"), the server's error codes
(msgctxt "error"). A message that counts has gettext plural forms, chosen by `n`.

To add a string, add it to every LANG.po (English is the fallback and must have it), e.g.
`python scripts/strings.py add KEY --en "Text" --fr "Texte" --de ... --es ... --it ... --nl ...`
(repeat `--LANG` once per plural form for a count); tests/test_i18n.py fails while a
language lacks a string or a placeholder. An exhibition may add or override strings in
its own locale/LANG.po (gallery.content.locale reads them): `interface(...)` merges them.
"""

from __future__ import annotations

import functools
import gettext as _gettext
from collections.abc import Iterable, Mapping
from typing import Any

from babel import Locale
from markupsafe import Markup, escape

from .content.locale import ERROR, LIVE, PAGE, read_shipped
from .content.model import Catalogue, Exhibition, LText

FALLBACK = "en"
# Counts tried to find which plural form each CLDR category (the browser's
# Intl.PluralRules) takes in a language: "one", "few", "many" (1000000 in French), "other".
_SAMPLES = (*range(0, 200), 1000, 1000000)


class Interface:
    """The interface strings of every language a site shows: shipped, then its own."""

    def __init__(self, catalogues: Mapping[str, Catalogue]) -> None:
        self.catalogues = dict(catalogues)
        self._live: dict[str, dict[str, Any]] = {}

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages that have interface strings."""
        return tuple(sorted(self.catalogues))

    def language(self, lang: str) -> str:
        """Return the catalogue language used for page language `lang` (de-AT: de)."""
        if lang in self.catalogues:
            return lang
        primary = lang.split("-")[0].lower()
        return primary if primary in self.catalogues else FALLBACK

    def forms(self, lang: str, key: str, context: str = PAGE) -> tuple[str, tuple[str, ...]]:
        """Return the language a message is found in for `lang`, and its text or plural forms."""
        shown = self.language(lang)
        found = self.catalogues[shown].messages.get((context, key))
        if found is None:
            shown = FALLBACK
            found = self.catalogues[FALLBACK].messages.get((context, key), (key,))
        return shown, found

    def gettext(self, lang: str, key: str, **values: object) -> str:
        """Return the page string `key` in `lang`, its plural form chosen by `n`, formatted."""
        shown, forms = self.forms(lang, key)
        text = forms[0]
        if len(forms) > 1:
            text = forms[self._plural_index(shown, values.get("n"), len(forms))]
        return text.format(**values) if values else text

    def plural_forms(self, lang: str, key: str, context: str = PAGE) -> dict[str, str]:
        """Return a plural message as {CLDR category: text}, for Intl.PluralRules in a script."""
        shown, forms = self.forms(lang, key, context)
        return self._by_category(shown, forms)

    def live(self, lang: str) -> dict[str, Any]:
        """Return the live scripts' strings for a page in `lang`, with the language they are in.

        Plural messages become {"one": ..., "other": ...} (CLDR categories); error codes
        go under "errors".
        """
        shown = self.language(lang)
        cached = self._live.get(shown)
        if cached is None:
            strings: dict[str, Any] = {}
            errors: dict[str, str] = {}
            # English first, so a string the language lacks still reaches the scripts.
            for source in dict.fromkeys((FALLBACK, shown)):
                for (context, key), forms in self.catalogues[source].messages.items():
                    if context == LIVE:
                        plural = len(forms) > 1
                        strings[key] = self._by_category(source, forms) if plural else forms[0]
                    elif context == ERROR:
                        errors[key] = forms[0]
            strings["errors"] = errors
            cached = self._live[shown] = {"lang": shown, "strings": strings}
        return cached

    def _plural_index(self, lang: str, n: object, count: int) -> int:
        """Return which of `count` plural forms `n` takes in `lang`."""
        number = n if isinstance(n, int) else 0
        return min(max(_chooser(self.catalogues[lang].plural)(number), 0), count - 1)

    def _by_category(self, lang: str, forms: tuple[str, ...]) -> dict[str, str]:
        """Return plural `forms` of `lang` keyed by the CLDR category each serves."""
        if len(forms) == 1:
            return {"other": forms[0]}
        choose = _chooser(self.catalogues[lang].plural)
        return {
            category: forms[min(choose(n), len(forms) - 1)]
            for category, n in _category_samples(lang).items()
        }


@functools.cache
def _chooser(expression: str) -> Any:
    """Return a function of n evaluating a gettext plural expression."""
    return _gettext.c2py(expression)


@functools.cache
def _category_samples(lang: str) -> dict[str, int]:
    """Return a count for each CLDR plural category of `lang` ("other" always)."""
    try:
        rule = Locale.parse(lang.replace("-", "_")).plural_form
    except (ValueError, LookupError):
        rule = Locale.parse(FALLBACK).plural_form
    samples: dict[str, int] = {}
    for n in _SAMPLES:
        samples.setdefault(rule(n), n)
    samples.setdefault("other", 2)
    return samples


@functools.cache
def shipped() -> dict[str, Catalogue]:
    """Return the catalogues shipped with the gallery, read once."""
    return read_shipped()


@functools.lru_cache(maxsize=8)
def interface(own: tuple[Catalogue, ...] = ()) -> Interface:
    """Return the shipped strings merged with an exhibition's `own` catalogues."""
    catalogues = dict(shipped())
    for extra in own:
        base = catalogues.get(extra.lang)
        if base is None:
            catalogues[extra.lang] = extra
            continue
        # The shipped plural rule stays: an override translates the same forms.
        merged = {**base.messages, **extra.messages}
        catalogues[extra.lang] = Catalogue(extra.lang, base.plural, merged)
    return Interface(catalogues)


def for_exhibition(exhibition: Exhibition | None) -> Interface:
    """Return the interface strings of an exhibition's pages (shipped ones without one)."""
    return interface(exhibition.interface if exhibition is not None else ())


def ui_language(lang: str) -> str:
    """Return the shipped catalogue language used for page language `lang`."""
    return interface().language(lang)


def live_strings(lang: str) -> dict[str, Any]:
    """Return the live scripts' strings for a page in `lang` (shipped catalogues)."""
    return interface().live(lang)


def gettext(lang: str, key: str, **values: object) -> str:
    """Return the interface string `key` in `lang` (shipped catalogues), formatted with `values`."""
    return interface().gettext(lang, key, **values)


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
