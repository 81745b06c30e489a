"""Rendered pages are cached per content version and invalidated by a reload."""

from __future__ import annotations

import os
import time
from pathlib import Path

from flask import Flask
from jinja2 import ChoiceLoader, DictLoader

from gallery.pagecache import CachedPage
from gallery.site import Site

from .conftest import BASIC
from .pagecheck import app_for, copy_exhibition


def site_of(app: Flask) -> Site:
    """Return the app's Site."""
    return app.extensions["gallery.site"]


def test_second_request_is_served_from_the_cache(app: Flask) -> None:
    client = app.test_client()
    first = client.get("/fr/rooms/lab/")
    snapshot = site_of(app).snapshot
    key = ("page", "room.html", ("room", "fr", "lab"))
    page = snapshot.peek(key)
    assert isinstance(page, CachedPage)
    # Replace the stored HTML: if the next answer shows it, no rendering happened.
    snapshot.forget(key)
    snapshot.memo(
        key, lambda: CachedPage("<p>from the cache</p>", "room.html", page.context, page.phase)
    )
    second = client.get("/fr/rooms/lab/")
    assert second.get_data(as_text=True) == "<p>from the cache</p>"
    assert first.get_data(as_text=True) != second.get_data(as_text=True)


def test_each_language_and_page_has_its_own_entry(app: Flask) -> None:
    client = app.test_client()
    for url in ("/fr/", "/en/", "/fr/rooms/lab/lanterns/", "/en/agenda/"):
        client.get(url)
    keys = {key[2] for key in site_of(app).snapshot.kept() if key[0] == "page"}
    assert {("lobby", "fr"), ("lobby", "en"), ("agenda", "en")} <= keys
    assert ("exhibit", "fr", "lab", "lanterns") in keys


def test_reloading_changed_room_files_invalidates_the_cache(tmp_path: Path) -> None:
    root = copy_exhibition(BASIC, tmp_path)
    app = app_for(root)
    client = app.test_client()
    before = client.get("/en/rooms/lab/")
    assert "Lanterns and maps." in before.get_data(as_text=True)
    room = root / "02-lab" / "room.md"
    room.write_text(room.read_text().replace("Lanterns and maps.", "Lamps and charts."))
    later = time.time() + 2
    os.utime(room, (later, later))
    site = site_of(app)
    old = site.snapshot
    assert site.reload_if_changed() is not None
    assert site.snapshot is not old and site.snapshot.kept() == ()
    after = client.get("/en/rooms/lab/")
    assert "Lamps and charts." in after.get_data(as_text=True)
    assert after.headers["ETag"] != before.headers["ETag"]
    assert after.last_modified > before.last_modified


def test_pages_revalidate_with_etag_and_last_modified(client) -> None:
    first = client.get("/fr/rooms/lab/lanterns/")
    assert first.headers["ETag"]
    assert first.headers["Last-Modified"]
    assert "no-cache" in first.headers["Cache-Control"]
    again = client.get("/fr/rooms/lab/lanterns/", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    since = client.get(
        "/fr/rooms/lab/lanterns/", headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert since.status_code == 304


def test_theme_stylesheet_follows_the_content(app: Flask) -> None:
    client = app.test_client()
    css = client.get("/theme.css").get_data(as_text=True)
    assert ".room-colour-1 { --room-colour: #1d4e89; }" in css
    html = client.get("/fr/").get_data(as_text=True)
    assert "/theme.css?v=" in html
    versioned = client.get("/theme.css?v=1")
    assert "immutable" in versioned.headers["Cache-Control"]


def with_templates(app: Flask, templates: dict[str, str]) -> None:
    """Let `templates` shadow the app's own templates."""
    app.jinja_env.loader = ChoiceLoader([DictLoader(templates), app.jinja_env.loader])


def test_a_live_include_using_no_visitor_data_is_cached_with_the_page(app: Flask) -> None:
    with_templates(app, {"live/count.html": '<b id="probe">{{ room.slug }}-{{ lang }}</b>'})
    client = app.test_client()
    assert '<b id="probe">lab-fr</b>' in client.get("/fr/rooms/lab/").get_data(as_text=True)
    page = site_of(app).snapshot.peek(("page", "room.html", ("room", "fr", "lab")))
    assert "live/count.html" not in page.slots
    assert '<b id="probe">lab-fr</b>' in page.html


def test_a_live_include_using_the_request_is_rendered_per_request(app: Flask) -> None:
    with_templates(
        app,
        {
            "live/room.html": '{% include "live/part.html" %}',
            "live/part.html": '<b id="probe">{{ request.args.get("who", "") }}</b>',
        },
    )
    client = app.test_client()
    first = client.get("/fr/rooms/lab/?who=ada")
    second = client.get("/fr/rooms/lab/?who=grace")
    assert '<b id="probe">ada</b>' in first.get_data(as_text=True)
    assert '<b id="probe">grace</b>' in second.get_data(as_text=True)
    assert first.headers["ETag"] != second.headers["ETag"]
    page = site_of(app).snapshot.peek(("page", "room.html", ("room", "fr", "lab")))
    assert page.slots == ("live/room.html",)
    assert "ada" not in page.html


def test_versioned_static_files_are_kept_for_good(client) -> None:
    html = client.get("/fr/").get_data(as_text=True)
    start = html.index("/static/css/site.css?v=")
    url = html[start : html.index('"', start)]
    versioned = client.get(url)
    assert versioned.status_code == 200
    assert "immutable" in versioned.headers["Cache-Control"]
    assert "max-age=31536000" in versioned.headers["Cache-Control"]
    plain = client.get("/static/css/site.css")
    assert "immutable" not in plain.headers.get("Cache-Control", "")
