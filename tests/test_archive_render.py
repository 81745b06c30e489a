"""The build's rendering without an HTTP client gives every page as the test client does."""

from __future__ import annotations

import shutil
from collections import deque
from pathlib import Path

import pytest
from flask import Flask, url_for

from gallery.archive.build import archive_app
from gallery.archive.crawl import start_pages
from gallery.archive.relink import relink_html, url_to_file
from gallery.archive.render import Renderer

from .conftest import BASIC, SAMPLE


def _crawl(app: Flask) -> list[str]:
    """Return every page and file the exhibition's pages lead to, found over HTTP."""
    client = app.test_client()
    exhibition = app.extensions["gallery.site"].exhibition
    queue, found = deque(start_pages(exhibition)), []
    queued = set(queue)

    def seen(url: str) -> None:
        path = url.split("#", 1)[0].split("?", 1)[0]
        if path.startswith("/") and path not in queued:
            queued.add(path)
            queue.append(path)

    while queue:
        path = queue.popleft()
        found.append(path)
        if path.endswith("/"):
            relink_html(client.get(path).get_data(as_text=True), url_to_file(path), seen)
    return found


@pytest.fixture(scope="module")
def accented(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The basic exhibition with an image whose name needs quoting in a URL."""
    rooms = tmp_path_factory.mktemp("accented") / "rooms"
    shutil.copytree(BASIC, rooms)
    shutil.copy(rooms / "02-lab" / "lantern.png", rooms / "02-lab" / "carte été.png")
    maps = rooms / "02-lab" / "02-maps.md"
    maps.write_text(
        maps.read_text(encoding="utf-8").replace(
            "---\n", "---\nimage: carte été.png\nimage_alt: Une carte\n", 1
        ),
        encoding="utf-8",
    )
    return rooms


@pytest.fixture(scope="module", params=["basic", "sample", "accented"])
def app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, accented: Path
) -> Flask:
    root = {"basic": BASIC, "sample": SAMPLE, "accented": accented}[request.param]
    return archive_app(root, str(tmp_path_factory.mktemp("data")))


def test_every_page_and_file_is_the_same_as_over_http(app: Flask) -> None:
    renderer, client = Renderer(app), app.test_client()
    paths = _crawl(app)
    kinds = {path.split("/")[2] if path.count("/") > 2 else path for path in paths}
    # Each kind of page and file the archive holds: lobbies, rooms and their exhibits,
    # the agenda, the questions of a session, interface files, media, the theme.
    assert {"rooms", "agenda", "sessions", "static", "theme.css"} <= kinds | {
        path.split("/")[1] for path in paths
    }
    for path in paths:
        answer, response = renderer.get(path), client.get(path)
        assert answer.status == response.status_code, path
        assert answer.body == response.get_data(), path
        assert answer.headers.get("Content-Type") == response.headers.get("Content-Type")


def test_a_missing_page_or_a_redirect_is_answered_as_over_http(app: Flask) -> None:
    renderer, client = Renderer(app), app.test_client()
    for path, status in (("/fr/rooms/nowhere/", 404), ("/en/.archive-404/", 404), ("/fr", 308)):
        answer, response = renderer.get(path), client.get(path)
        assert answer.status == response.status_code == status
        assert answer.body == response.get_data()
        assert answer.headers.get("Location") == response.headers.get("Location")


def test_a_quoted_path_reaches_its_file(accented: Path, tmp_path: Path) -> None:
    app = archive_app(accented, str(tmp_path / "data"))
    renderer, client = Renderer(app), app.test_client()
    image = "/media/02-lab/carte%20%C3%A9t%C3%A9.png"
    assert image in _crawl(app)
    for path in (image, "/media/02-lab/carte été.png"):
        answer, response = renderer.get(path), client.get(path)
        assert answer.status == response.status_code == 200
        assert (
            answer.body == response.get_data() == (accented / "02-lab/carte été.png").read_bytes()
        )


def test_template_addresses_are_flasks_and_follow_the_mount_point(tmp_path: Path) -> None:
    app = archive_app(BASIC, str(tmp_path / "data"))
    address = app.jinja_env.globals["url_for"]
    calls = [
        ("pages.room", {"lang": "fr", "room": "lab"}),
        ("pages.exhibit", {"lang": "en", "room": "lab", "exhibit": "lanterns"}),
        ("static", {"filename": "css/site.css", "v": "abc"}),
        ("pages.lobby", {"lang": "fr", "_anchor": "plan"}),
    ]
    for root in ("", "/expo", ""):
        with app.test_request_context("/fr/", base_url=f"http://localhost{root}/"):
            for endpoint, values in calls:
                assert address(endpoint, **values) == url_for(endpoint, **values)
                assert address(endpoint, **values).startswith(f"{root}/")
