"""The preview of `gallery serve --reload`: pages stamped with their version, the `preview`
event and its errors; a production app has none of it."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from flask import Flask

from gallery.app import create_app
from gallery.extensions import socketio
from gallery.preview import EXTENSION

from .conftest import BASIC
from .pagecheck import copy_exhibition

VERSION = re.compile(r'<meta name="gallery-page" content="([0-9a-f]+)">')


def _app(root: Path, tmp_path: Path, reload: bool) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "ROOMS": str(root),
            "SECRET_KEY": "test",
            "DATA_DIR": str(tmp_path / "data"),
            "RELOAD": reload,
        }
    )


def _touch_later(path: Path) -> None:
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))


def _version(app: Flask, path: str) -> str:
    response = app.test_client().get(path)
    found = VERSION.search(response.get_data(as_text=True))
    assert found, path
    return found.group(1)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_exhibition(BASIC, tmp_path)


def test_preview_pages_carry_their_version_and_the_script(root: Path, tmp_path: Path) -> None:
    app = _app(root, tmp_path, reload=True)
    html = app.test_client().get("/fr/rooms/lab/").get_data(as_text=True)
    assert VERSION.search(html)
    assert "/static/js/preview.js?v=" in html
    assert "/static/css/preview.css?v=" in html
    # Not the hosts' preview before the opening, a different thing of the same name.
    assert "state-preview" not in html


@pytest.mark.parametrize("path", ["/fr/", "/fr/rooms/lab/", "/en/rooms/lab/maps/", "/fr/nowhere"])
def test_production_pages_have_no_preview(client, path: str) -> None:
    html = client.get(path).get_data(as_text=True)
    assert "gallery-page" not in html
    assert "preview.js" not in html
    assert "preview.css" not in html


def test_a_page_version_changes_with_what_the_page_shows(root: Path, tmp_path: Path) -> None:
    app = _app(root, tmp_path, reload=True)
    site = app.extensions["gallery.site"]
    lab, hall = _version(app, "/fr/rooms/lab/"), _version(app, "/fr/rooms/hall/")
    # The same page, asked again, has the same version.
    assert _version(app, "/fr/rooms/lab/") == lab
    room = root / "02-lab" / "room.md"
    room.write_text(room.read_text().replace("Une salle d’expériences.", "Une autre salle."))
    _touch_later(room)
    assert site.reload_if_changed() == ()
    assert _version(app, "/fr/rooms/lab/") != lab
    # The hall shows the lab's title on its door, not its text: it keeps its version.
    assert _version(app, "/fr/rooms/hall/") == hall


def test_the_preview_event_tells_the_version_and_the_errors(root: Path, tmp_path: Path) -> None:
    app = _app(root, tmp_path, reload=True)
    site = app.extensions["gallery.site"]
    client = socketio.test_client(app, flask_test_client=app.test_client())
    try:
        ack = client.emit("preview", None, callback=True)
        assert ack == {"ok": True, "version": 1, "problems": [], "more": 0, "kept": []}

        room = root / "02-lab" / "room.md"
        room.write_text(room.read_text().replace('colour: "#2e6b30"', "colour: blu"))
        _touch_later(room)
        site.reload_if_changed()
        client.get_received()
        app.extensions[EXTENSION].announce()
        received = client.get_received()
        assert [event["name"] for event in received] == ["preview"]
        assert received[0]["args"][0] == {
            "version": 1,
            "problems": [
                {
                    "file": "02-lab/room.md",
                    "line": 8,
                    "column": 9,
                    "message": "invalid colour 'blu' (expected #rgb, #rrggbb or a CSS colour name)",
                    "hint": None,
                    "source": "colour: blu",
                }
            ],
            "more": 0,
            "kept": ["lab"],
        }
    finally:
        client.disconnect()


def test_the_preview_event_gives_each_error_its_hint(root: Path, tmp_path: Path) -> None:
    app = _app(root, tmp_path, reload=True)
    site = app.extensions["gallery.site"]
    exhibit = root / "02-lab" / "02-maps.md"
    exhibit.write_text(exhibit.read_text().replace("title:", "titel:", 1))
    _touch_later(exhibit)
    site.reload_if_changed()
    (found,) = app.extensions[EXTENSION].state()["problems"]
    assert found["file"] == "02-lab/02-maps.md"
    assert found["message"] == "unknown key 'titel' in exhibit"
    assert found["hint"] == "did you mean 'title'?"
    assert found["source"].startswith("titel:")


def test_a_production_server_refuses_the_preview_event(app: Flask) -> None:
    client = socketio.test_client(app, flask_test_client=app.test_client())
    try:
        assert client.emit("preview", None, callback=True) == {
            "ok": False,
            "error": "unknown event",
        }
        assert EXTENSION not in app.extensions
    finally:
        client.disconnect()


def test_an_archive_has_no_preview(root: Path, tmp_path: Path) -> None:
    """Even with GALLERY_RELOAD set in the environment, `gallery build` pages have none of it."""
    app = create_app(
        {"ROOMS": str(root), "ARCHIVE": True, "RELOAD": True, "DATA_DIR": str(tmp_path / "d")}
    )
    html = app.test_client().get("/fr/rooms/lab/").get_data(as_text=True)
    assert "gallery-page" not in html and "preview.js" not in html
    assert EXTENSION not in app.extensions
