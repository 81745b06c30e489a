"""The URL layout has one source: the Flask routes, room-file links and scripts all follow it."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from flask import Flask, url_for

from gallery.content import urllayout
from gallery.content.markdown import page_url

ENDPOINTS = {
    "lobby": "pages.lobby",
    "room": "pages.room",
    "exhibit": "pages.exhibit",
    "agenda": "pages.agenda",
    "questions": "qa.questions_page",
    "media": "media.media",
}

VALUES = {
    "lobby": {"lang": "pt-BR"},
    "room": {"lang": "fr", "room": "lab"},
    "exhibit": {"lang": "en", "room": "lab", "exhibit": "old-maps-2"},
    "agenda": {"lang": "fr"},
    "questions": {"lang": "en", "session": "round-table"},
    "media": {"path": "02-lab/Carte ancienne é.png"},
}

BUILDERS = {
    "lobby": urllayout.lobby_url,
    "room": urllayout.room_url,
    "exhibit": urllayout.exhibit_url,
    "agenda": urllayout.agenda_url,
    "questions": urllayout.questions_url,
    "media": urllayout.media_url,
}


def test_every_layout_rule_is_named() -> None:
    assert set(urllayout.RULES) == set(ENDPOINTS) == set(VALUES) == set(BUILDERS)


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_the_flask_route_is_the_layout_rule(app: Flask, name: str) -> None:
    rules = [rule.rule for rule in app.url_map.iter_rules(ENDPOINTS[name])]
    assert rules == [urllayout.RULES[name]]


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_flask_and_the_layout_build_the_same_url(app: Flask, name: str) -> None:
    values = VALUES[name]
    with app.test_request_context():
        expected = url_for(ENDPOINTS[name], **values)
    assert BUILDERS[name](**values) == expected
    # Routing sees the path decoded, as the WSGI server hands it over.
    endpoint, matched = app.url_map.bind("localhost").match(unquote(expected))
    assert (endpoint, matched) == (ENDPOINTS[name], values)


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_the_script_template_filled_gives_the_same_url(name: str) -> None:
    values = VALUES[name]
    filled = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], urllayout.TEMPLATES[name])
    assert filled == unquote(BUILDERS[name](**values))


@pytest.mark.parametrize(
    ("rel", "endpoint", "values"),
    [
        ("02-lab/room.md", "pages.room", {"room": "lab"}),
        ("02-lab/01-maps.md", "pages.exhibit", {"room": "lab", "exhibit": "maps"}),
    ],
)
def test_links_between_room_files_lead_to_the_routed_pages(
    app: Flask, rel: str, endpoint: str, values: dict[str, str]
) -> None:
    with app.test_request_context():
        assert page_url(rel, "fr") == url_for(endpoint, lang="fr", **values)


def test_pages_carry_the_exhibit_url_template_for_scripts(client) -> None:
    html = client.get("/fr/rooms/lab/").get_data(as_text=True)
    assert f'data-url-exhibit="{urllayout.TEMPLATES["exhibit"]}"' in html
