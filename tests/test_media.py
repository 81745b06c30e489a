"""Media files: types, Range requests, caching, and nothing from outside the exhibition."""

from __future__ import annotations

import os
import time
from pathlib import Path
from urllib.parse import quote

import brotli
import imagesize
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


def _image_url(client: FlaskClient) -> str:
    """Return the URL the room page gives the lanterns' image, in its frame on the wall."""
    html = client.get("/en/rooms/lab/").get_data(as_text=True)
    frame = html.index('class="work-frame"')
    start = html.index('src="', frame) + len('src="')
    return html[start : html.index('"', start)]


def test_a_versioned_media_url_is_kept_for_a_year(client: FlaskClient) -> None:
    url = _image_url(client)
    assert url.startswith("/media/02-lab/lantern.png?v=")
    response = client.get(url)
    assert response.status_code == 200
    assert response.data == (BASIC / "02-lab" / "lantern.png").read_bytes()
    control = response.headers["Cache-Control"]
    assert "max-age=31536000" in control and "immutable" in control and "public" in control
    # An unversioned URL, or one naming another version, keeps revalidating.
    for other in ("/media/02-lab/lantern.png", "/media/02-lab/lantern.png?v=0123456789ab"):
        plain = client.get(other)
        assert plain.status_code == 200
        assert "immutable" not in plain.headers["Cache-Control"]
        assert "max-age=3600" in plain.headers["Cache-Control"]


def test_a_replaced_file_gets_a_new_url_everywhere(tmp_path: Path) -> None:
    """Templates and room-file Markdown name a file by the same versioned URL, and both
    change when the file does; the old URL is no longer kept for good."""
    root = copy_exhibition(BASIC, tmp_path)
    intro = root / "02-lab" / "room.md"
    intro.write_text(intro.read_text() + "\n![A lantern](lantern.png)\n")
    app = app_for(root)
    client = app.test_client()
    before = _image_url(client)
    room = client.get("/en/rooms/lab/").get_data(as_text=True)
    assert f'<img src="{before}" alt="A lantern">' in room
    image = root / "02-lab" / "lantern.png"
    image.write_bytes(image.read_bytes() + b"\0")
    later = time.time() + 2
    os.utime(image, (later, later))
    assert app.extensions["gallery.site"].reload_if_changed() is not None
    after = _image_url(client)
    assert after != before
    assert f'<img src="{after}" alt="A lantern">' in client.get("/en/rooms/lab/").get_data(
        as_text=True
    )
    assert "immutable" in client.get(after).headers["Cache-Control"]
    assert "immutable" not in client.get(before).headers["Cache-Control"]


def test_images_keep_their_box_before_they_load(client: FlaskClient) -> None:
    html = client.get("/en/rooms/lab/").get_data(as_text=True)
    width, height = imagesize.get(str(BASIC / "02-lab" / "lantern.png"))
    assert f'{_image_url(client)}" width="{width}" height="{height}"' in html


def test_caption_files_go_out_compressed(tmp_path: Path) -> None:
    root = copy_exhibition(BASIC, tmp_path)
    captions = root / "02-lab" / "lanterns.fr.vtt"
    cue = "\n00:00:01.000 --> 00:00:02.000\nUne lanterne éclaire la salle.\n"
    captions.write_text(captions.read_text() + cue * 40)
    client = app_for(root).test_client()
    url = "/media/02-lab/lanterns.fr.vtt"
    plain = client.get(url)
    packed = client.get(url, headers={"Accept-Encoding": "br"})
    assert packed.headers["Content-Encoding"] == "br"
    assert brotli.decompress(packed.data) == plain.data == captions.read_bytes()
    assert packed.headers["Vary"] == "Accept-Encoding"
    assert packed.headers["ETag"] != plain.headers["ETag"]
    assert "sandbox" in packed.headers["Content-Security-Policy"]
    again = client.get(
        url, headers={"Accept-Encoding": "br", "If-None-Match": packed.headers["ETag"]}
    )
    assert again.status_code == 304
    # A Range request gets the plain bytes it counts in.
    part = client.get(url, headers={"Accept-Encoding": "br", "Range": "bytes=0-9"})
    assert part.status_code == 206 and "Content-Encoding" not in part.headers
