"""Choosing the visitor's language, the interface catalogue and texts in other languages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from gallery import i18n
from gallery.content.model import LText
from gallery.presence import payloads
from gallery.presence.text import default_name


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("fr-FR,fr;q=0.9", "/fr/"),
        ("fr-FR", "/fr/"),
        ("fr-CA", "/fr/"),
        ("en-US,en;q=0.9", "/en/"),
        ("en", "/en/"),
        ("de-DE,de;q=0.9,en;q=0.5", "/en/"),
        ("de, it", "/fr/"),  # none known: the exhibition's default
        ("en;q=0.2, fr;q=0.8", "/fr/"),
        ("*", "/fr/"),
        ("", "/fr/"),
    ],
)
def test_root_redirects_by_accept_language(client: FlaskClient, header: str, expected: str) -> None:
    headers = {"Accept-Language": header} if header else {}
    response = client.get("/", headers=headers)
    assert response.status_code == 302
    assert response.headers["Location"] == expected
    assert "Accept-Language" in response.headers["Vary"]


def accept(header: str) -> LanguageAccept:
    """Parse an Accept-Language header as werkzeug does."""
    return parse_accept_header(header, LanguageAccept)


def test_best_language_falls_back_to_the_default() -> None:
    assert i18n.best_language(accept("pt-BR"), ("fr", "en"), "fr") == "fr"
    assert i18n.best_language(accept("en-GB"), ("fr", "en"), "fr") == "en"
    assert i18n.best_language(None, ("de", "en"), "de") == "de"


def test_gettext_formats_picks_plural_forms_and_falls_back_to_english() -> None:
    assert i18n.gettext("fr", "exhibits_count", n=3) == "3 projets"
    assert i18n.gettext("fr", "exhibits_count", n=1) == "1 projet"
    assert i18n.gettext("fr", "exhibits_count", n=1000000) == "1000000 de projets"
    assert i18n.gettext("en", "exhibits_count", n=1) == "1 exhibit"
    assert i18n.gettext("de", "exhibits_count", n=2) == "2 Projekte"
    assert i18n.gettext("nl", "size_b", n=1) == "1 byte"
    # A regional variant gets the language's interface; one without a catalogue, English.
    assert i18n.gettext("de-AT", "lobby") == "Foyer"
    assert i18n.gettext("pt", "lobby") == "Lobby"
    assert i18n.ui_language("pt-BR") == "en"


def test_text_in_another_language_is_marked_with_lang() -> None:
    both = LText((("fr", "Bonjour"), ("en", "Hello")), "fr")
    only_fr = LText((("fr", "Bonjour <b>"),), "fr")
    assert i18n.ltext_markup(both, "en") == "Hello"
    assert i18n.ltext_markup(only_fr, "en") == '<span lang="fr">Bonjour &lt;b&gt;</span>'
    assert i18n.ltext_markup(only_fr, "en", block=True).startswith('<div lang="fr">')
    assert i18n.ltext_markup(only_fr, "fr") == "Bonjour &lt;b&gt;"
    assert i18n.ltext_markup(LText(), "fr") == ""


def test_model_html_is_kept_and_marked_when_it_falls_back() -> None:
    body = LText((("fr", "<p>Une <strong>salle</strong></p>"),), "fr")
    assert i18n.lhtml(body, "fr") == "<p>Une <strong>salle</strong></p>"
    assert i18n.lhtml(body, "en") == '<div lang="fr"><p>Une <strong>salle</strong></p></div>'


def test_interface_strings_follow_the_page_language(client: FlaskClient) -> None:
    fr = client.get("/fr/rooms/lab/").get_data(as_text=True)
    en = client.get("/en/rooms/lab/").get_data(as_text=True)
    assert "Projet suivant" in fr and "Next exhibit" not in fr
    assert "Next exhibit" in en and "Projet suivant" not in en
    assert "Aller au contenu" in fr and "Skip to content" in en


def test_pages_say_their_language_in_a_header(client: FlaskClient) -> None:
    assert client.get("/fr/rooms/lab/").headers["Content-Language"] == "fr"
    assert client.get("/en/agenda/").headers["Content-Language"] == "en"
    missing = client.get("/nowhere/", headers={"Accept-Language": "en"})
    assert missing.headers["Content-Language"] == "en"


# --- the live scripts' strings: one catalogue, sent into the pages ---

ROOT = Path(__file__).resolve().parent.parent
# t("key"), this.t("key"), errorText(lang, "code") and data-i18n="key" in the live parts.
USES = re.compile(r'\bt\("(\w+)"|errorText\(\w+, "([^"]+)"\)|data-i18n="(\w+)"')


def _live_keys() -> tuple[set[str], set[str]]:
    """Return the string keys and the error codes the live scripts and templates name."""
    keys: set[str] = set()
    codes: set[str] = set()
    sources = [*(ROOT / "static" / "js").glob("*.js"), *(ROOT / "templates").rglob("*.html")]
    for path in sources:
        for key, code, attribute in USES.findall(path.read_text(encoding="utf-8")):
            keys.update(k for k in (key, attribute) if k)
            codes.update(c for c in (code,) if c)
    return keys, codes


@pytest.mark.parametrize("lang", sorted(i18n.shipped()))
def test_every_string_the_live_scripts_use_exists(lang: str) -> None:
    keys, codes = _live_keys()
    assert {"defaultName", "presenceCount", "chatRefused", "hereNow"} <= keys  # the scan works
    table = i18n.live_strings(lang)["strings"]
    assert i18n.live_strings(lang)["lang"] == lang
    assert sorted(keys - set(table)) == []
    # Every code the server may refuse with has a sentence, not only those the scripts name.
    server_codes = {
        value for name, value in vars(payloads).items() if name.isupper() and isinstance(value, str)
    }
    assert payloads.UNKNOWN_EVENT in server_codes
    assert sorted((codes | server_codes) - set(table["errors"])) == []


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", {"one": "{n} vote", "other": "{n} votes"}),
        ("fr", {"one": "{n} vote", "many": "{n} de votes", "other": "{n} votes"}),
        ("de", {"one": "{n} Stimme", "other": "{n} Stimmen"}),
        ("it", {"one": "{n} voto", "many": "{n} di voti", "other": "{n} voti"}),
    ],
)
def test_live_plurals_go_to_the_scripts_by_plural_category(lang: str, expected: dict) -> None:
    """The scripts pick with Intl.PluralRules: gettext's forms arrive keyed by its categories."""
    assert i18n.live_strings(lang)["strings"]["qaVotes"] == expected


@pytest.mark.parametrize(("url", "lang"), [("/fr/rooms/lab/", "fr"), ("/en/", "en")])
def test_pages_carry_the_live_strings_of_their_language(
    client: FlaskClient, url: str, lang: str
) -> None:
    html = client.get(url).get_data(as_text=True)
    found = re.search(r'<script type="application/json" id="live-strings">(.*?)</script>', html)
    assert found is not None
    assert json.loads(found.group(1)) == i18n.live_strings(lang)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "Visitor 7"), ("fr", "Visiteur 7"), ("de", "Besucher 7"), ("nl", "Bezoeker 7")],
)
def test_default_names_come_from_the_catalogue(lang: str, expected: str) -> None:
    assert default_name(7, lang) == expected
    assert i18n.live_strings(lang)["strings"]["defaultName"].format(n=7) == expected


def test_a_language_without_catalogue_gets_english_default_names() -> None:
    assert default_name(7, "pt") == "Visitor 7"
