"""Media files: types, Range requests, caching, and nothing from outside the exhibition."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient

from gallery.content import load_exhibition

from .conftest import BASIC
from .pagecheck import app_for, copy_exhibition

MP4 = BASIC / "02-lab" / "lanterns.mp4"


@pytest.mark.parametrize(
    ("path", "mimetype"),
    [
        ("02-lab/lanterns.mp4", "video/mp4"),
        ("02-lab/lanterns.fr.vtt", "text/vtt"),
        ("02-lab/lantern.png", "image/png"),
        ("02-lab/charts.pdf", "application/pdf"),
    ],
)
def test_media_are_served_with_their_type(client: FlaskClient, path: str, mimetype: str) -> None:
    response = client.get(f"/media/{path}")
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert response.data == (BASIC / path).read_bytes()
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "max-age=3600" in response.headers["Cache-Control"]
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.headers["Accept-Ranges"] == "bytes"


def test_range_request_gives_partial_content(client: FlaskClient) -> None:
    size = MP4.stat().st_size
    response = client.get("/media/02-lab/lanterns.mp4", headers={"Range": "bytes=100-199"})
    assert response.status_code == 206
    assert response.headers["Content-Range"] == f"bytes 100-199/{size}"
    assert response.data == MP4.read_bytes()[100:200]


def test_open_and_suffix_ranges(client: FlaskClient) -> None:
    size = MP4.stat().st_size
    tail = client.get("/media/02-lab/lanterns.mp4", headers={"Range": "bytes=-10"})
    assert tail.status_code == 206
    assert tail.headers["Content-Range"] == f"bytes {size - 10}-{size - 1}/{size}"
    assert tail.data == MP4.read_bytes()[-10:]
    rest = client.get("/media/02-lab/lanterns.mp4", headers={"Range": f"bytes={size - 5}-"})
    assert rest.status_code == 206
    assert rest.data == MP4.read_bytes()[-5:]


@pytest.mark.parametrize("header", ["bytes=999999-", "bytes=999999-1000000"])
def test_unsatisfiable_range_is_416(client: FlaskClient, header: str) -> None:
    response = client.get("/media/02-lab/lanterns.mp4", headers={"Range": header})
    assert response.status_code == 416
    assert response.headers["Content-Range"] == f"bytes */{MP4.stat().st_size}"


def test_conditional_request_is_304(client: FlaskClient) -> None:
    first = client.get("/media/02-lab/lantern.png")
    again = client.get(
        "/media/02-lab/lantern.png", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304


@pytest.mark.parametrize(
    "path",
    [
        "../gallery.yaml",
        "02-lab/../gallery.yaml",
        "02-lab/../../pyproject.toml",
        "%2e%2e/gallery.yaml",
        "%2E%2E/%2E%2E/pyproject.toml",
        "02-lab/%2e%2e/%2e%2e/pyproject.toml",
        "..%2fgallery.yaml",
        "..%2F..%2Fpyproject.toml",
        "02-lab%2f..%2f..%2fpyproject.toml",
        "%252e%252e/gallery.yaml",
        "..%5cgallery.yaml",
        "02-lab\\..\\gallery.yaml",
        "02-lab%5c..%5c..%5cpyproject.toml",
        "/etc/passwd",
        "%2fetc%2fpasswd",
        "C:/Windows/win.ini",
        "02-lab/./lantern.png",
        "02-lab//lantern.png",
        "02-lab/lantern.png%00.txt",
        ".%2e/gallery.yaml",
        "%c0%ae%c0%ae/gallery.yaml",
    ],
)
def test_path_traversal_is_refused(client: FlaskClient, path: str) -> None:
    response = client.get(f"/media/{path}")
    # A redirect would be followed to another refusal; never a file from outside.
    assert response.status_code in (404, 308), path
    if response.status_code == 308:
        assert client.get(response.headers["Location"]).status_code == 404
    assert b"[build-system]" not in response.data
    assert b"languages:" not in response.data


@pytest.mark.parametrize(
    "path",
    [
        "gallery.yaml",
        "01-hall/room.md",
        "01-hall/room.en.md",
        "02-lab/01-lanterns.md",
        "02-lab/lanterns.en.md",
        "02-lab/ROOM.MD",
        "02-lab/nothing.png",
        "02-lab",
        "02-lab/",
    ],
)
def test_sources_and_missing_files_are_not_served(client: FlaskClient, path: str) -> None:
    assert client.get(f"/media/{path}").status_code == 404


LEFTOVERS = [
    "gallery.yaml.bak",
    "02-lab/01-lanterns.md~",
    "02-lab/room.md.orig",
    "02-lab/room.md.rej",
    "02-lab/.room.md.swp",
    "02-lab/room.md.swp",
    "02-lab/#room.md#",
    "02-lab/lantern.png~",
    "02-lab/lantern.png.bak",
    "02-lab/lantern.png.orig",
    "02-lab/charts.pdf.swp",
    "02-lab/unlisted.png",
]


@pytest.mark.parametrize("leftover", LEFTOVERS)
def test_files_the_exhibition_does_not_reference_are_not_served(
    tmp_path: Path, leftover: str
) -> None:
    root = copy_exhibition(BASIC, tmp_path)
    (root / leftover).write_bytes(b"draft: an earlier version of the room file")
    client = app_for(root).test_client()
    response = client.get(f"/media/{quote(leftover)}")
    assert response.status_code == 404
    assert b"draft" not in response.data
    # The file it was left beside is still served when the room files name it.
    assert client.get("/media/02-lab/lantern.png").status_code == 200


def test_a_referenced_leftover_is_still_refused(tmp_path: Path) -> None:
    root = copy_exhibition(BASIC, tmp_path)
    (root / "02-lab" / "charts.pdf~").write_bytes(b"%PDF old")
    _reference(root, "charts.pdf~")
    client = app_for(root).test_client()
    assert client.get("/media/02-lab/charts.pdf~").status_code == 404
    assert "02-lab/charts.pdf~" not in load_exhibition(root).exhibition.media


def _reference(root: Path, *names: str) -> None:
    """Link `names` (files of 02-lab) from the lanterns exhibit's text."""
    exhibit = root / "02-lab" / "01-lanterns.md"
    links = " ".join(f"[{name}]({name})" for name in names)
    exhibit.write_text(exhibit.read_text() + f"\n{links}\n")


def test_hidden_files_and_escaping_symlinks_are_refused(tmp_path: Path) -> None:
    root = copy_exhibition(BASIC, tmp_path)
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    (root / "02-lab" / ".secret.png").write_bytes(b"hidden")
    os.symlink(root / "02-lab" / "lantern.png", root / "02-lab" / "alias.png")
    _reference(root, "alias.png")
    client = app_for(root).test_client()
    # Links are checked again when served: they may have changed since the load.
    os.symlink(outside, root / "02-lab" / "escape.png")
    os.symlink(tmp_path, root / "02-lab" / "up")
    (root / "02-lab" / "alias.png").unlink()
    os.symlink(outside, root / "02-lab" / "alias.png")
    assert client.get("/media/02-lab/.secret.png").status_code == 404
    assert client.get("/media/02-lab/escape.png").status_code == 404
    assert client.get("/media/02-lab/up/secret.txt").status_code == 404
    assert client.get("/media/02-lab/alias.png").status_code == 404


def test_a_link_inside_the_exhibition_is_an_ordinary_file(tmp_path: Path) -> None:
    root = copy_exhibition(BASIC, tmp_path)
    os.symlink(root / "02-lab" / "lantern.png", root / "02-lab" / "alias.png")
    _reference(root, "alias.png")
    client = app_for(root).test_client()
    assert client.get("/media/02-lab/alias.png").data == (root / "02-lab/lantern.png").read_bytes()


def test_svg_and_html_media_cannot_run_script(tmp_path: Path) -> None:
    root = copy_exhibition(BASIC, tmp_path)
    (root / "02-lab" / "drawing.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    )
    (root / "02-lab" / "page.html").write_text("<script>alert(1)</script>")
    _reference(root, "drawing.svg", "page.html")
    client = app_for(root).test_client()
    svg = client.get("/media/02-lab/drawing.svg")
    assert svg.status_code == 200
    assert svg.mimetype == "image/svg+xml"
    assert "sandbox" in svg.headers["Content-Security-Policy"]
    assert "script-src" not in svg.headers["Content-Security-Policy"]
    assert svg.headers["Content-Security-Policy"].startswith("default-src 'none'")
    html = client.get("/media/02-lab/page.html")
    assert html.headers["Content-Disposition"].startswith("attachment")
    assert "sandbox" in html.headers["Content-Security-Policy"]
