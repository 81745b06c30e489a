"""The shipped interface catalogues: every string in every language, placeholders kept."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.plurals import get_plural
from flask.testing import FlaskClient

from gallery import create_app, i18n
from gallery.content.locale import LIVE, PAGE, Catalogue, parse_catalogue

from .content_helpers import exhibition

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ("de", "en", "es", "fr", "it", "nl")


def placeholders(text: str) -> set[str]:
    """Return the {names} a text is formatted with."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def problems(english: Catalogue, other: Catalogue) -> list[str]:
    """Return what `other` lacks or gets wrong compared with the English catalogue."""
    found = []
    count = get_plural(other.lang)[0]
    for key, source in sorted(english.messages.items()):
        name = f"{key[0]}:{key[1]}" if key[0] else key[1]
        forms = other.messages.get(key)
        if forms is None:
            found.append(f"{other.lang}: {name} is missing")
            continue
        if len(forms) != (count if len(source) > 1 else 1):
            found.append(f"{other.lang}: {name} has {len(forms)} forms")
        expected = set().union(*map(placeholders, source))
        for form in forms:
            if placeholders(form) != expected:
                found.append(f"{other.lang}: {name} has {sorted(placeholders(form))} in {form!r}")
    for key in sorted(set(other.messages) - set(english.messages)):
        found.append(f"{other.lang}: {key[1]} is not an English string")
    return found


def test_the_six_languages_are_shipped() -> None:
    assert tuple(sorted(i18n.shipped())) == SHIPPED


@pytest.mark.parametrize("lang", SHIPPED)
def test_every_interface_string_is_in_every_language(lang: str) -> None:
    """Each language has every English string, the right plural forms and placeholders."""
    catalogues = i18n.shipped()
    assert problems(catalogues["en"], catalogues[lang]) == []
    assert all(text.strip() for forms in catalogues[lang].messages.values() for text in forms)


def test_a_missing_or_mistranslated_string_is_found() -> None:
    english = i18n.shipped()["en"]
    german = dict(i18n.shipped()["de"].messages)
    del german[(PAGE, "next_room")]
    german[(LIVE, "qaBy")] = ("gestellt von {nom}",)
    german[(PAGE, "exhibits_count")] = ("{n} Projekte",)
    doctored = Catalogue("de", "(n != 1)", german, {})
    assert problems(english, doctored) == [
        "de: exhibits_count has 1 forms",
        "de: next_room is missing",
        "de: live:qaBy has ['nom'] in 'gestellt von {nom}'",
    ]


def test_untranslated_and_fuzzy_messages_are_left_out() -> None:
    data = b"""msgid ""
msgstr ""
"Language: de\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "lobby"
msgstr ""

#, fuzzy
msgid "agenda"
msgstr "Programm"

msgctxt "live"
msgid "qaVotes"
msgid_plural "qaVotes"
msgstr[0] "{n} Stimme"
msgstr[1] "{n} Stimmen"
"""
    catalogue = parse_catalogue(data, "de")
    assert dict(catalogue.messages) == {("live", "qaVotes"): ("{n} Stimme", "{n} Stimmen")}
    assert catalogue.lines[("live", "qaVotes")] == 14


# _('key', ...) and plural_forms("key") in templates; gettext(lang, "key") in the code.
USES = re.compile(r"""\b_\(\s*['"](\w+)['"]\s*[,)]|plural_forms\(\s*['"](\w+)['"]""")
CODE_USES = re.compile(r"""\bgettext\(\s*\w+,\s*['"](\w+)['"]""")


def test_every_page_string_the_templates_and_code_use_exists() -> None:
    used: set[str] = set()
    for path in (ROOT / "templates").rglob("*.html"):
        for groups in USES.findall(path.read_text(encoding="utf-8")):
            used.update(g for g in groups if g)
    for path in (ROOT / "gallery").rglob("*.py"):
        used.update(CODE_USES.findall(path.read_text(encoding="utf-8")))
    assert {"skip", "exhibits_count", "countdown", "opens"} <= used  # the scan works
    english = {key for context, key in i18n.shipped()["en"].messages if context == PAGE}
    assert sorted(used - english) == []


@pytest.fixture
def german(tmp_path: Path) -> FlaskClient:
    """A client of the basic exhibition with German declared as a third language."""
    root = exhibition(tmp_path, {})
    yaml = (root / "gallery.yaml").read_text(encoding="utf-8")
    (root / "gallery.yaml").write_text(yaml.replace("[fr, en]", "[fr, en, de]"), encoding="utf-8")
    config = {"TESTING": True, "ROOMS": str(root), "DATA_DIR": str(tmp_path / "data")}
    return create_app({**config, "SECRET_KEY": "test"}).test_client()


def test_german_pages_show_german_buttons(german: FlaskClient) -> None:
    lobby = german.get("/de/").get_data(as_text=True)
    room = german.get("/de/rooms/lab/").get_data(as_text=True)
    assert "Rundgang beginnen" in lobby and "Start the visit" not in lobby
    assert "Zum Inhalt springen" in room and "Vorheriger Saal" in room
    assert "Previous room" not in room and "Skip to content" not in room
    assert '"lang": "de"' in room and "Chat im Saal" in room  # the live scripts' strings
