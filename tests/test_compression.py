"""Pages and text assets go out in Brotli or gzip, compressed once per version, with their
own ETags; tiny bodies and compressed media go out as they are."""

from __future__ import annotations

import gzip
import os
import time
from pathlib import Path

import brotli
import pytest
from flask import Flask
from flask.testing import FlaskClient

from gallery import compression
from gallery.compression import FileForms, negotiate

from .conftest import BASIC
from .pagecheck import app_for, copy_exhibition

BROWSER = "gzip, deflate, br, zstd"


def decoded(response) -> bytes:
    """Return the body of a response as the browser reads it, decompressed."""
    coding = response.headers.get("Content-Encoding")
    if coding == "br":
        return brotli.decompress(response.data)
    if coding == "gzip":
        return gzip.decompress(response.data)
    assert coding is None
    return response.data


def count_encodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the coding of every compression made from now on."""
    calls: list[str] = []
    real = compression.encode

    def spy(body: bytes, coding: str, quality: int = compression.QUALITY) -> bytes:
        calls.append(coding)
        return real(body, coding, quality)

    monkeypatch.setattr(compression, "encode", spy)
    return calls


@pytest.mark.parametrize(
    ("header", "coding"),
    [
        (None, None),
        ("", None),
        ("identity", None),
        ("gzip", "gzip"),
        ("br", "br"),
        (BROWSER, "br"),
        ("gzip, deflate", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("gzip;q=0.8, br;q=0.5", "gzip"),
        ("*", "br"),
        ("br;q=0, gzip;q=0", None),
    ],
)
def test_the_coding_follows_accept_encoding(header: str | None, coding: str | None) -> None:
    assert negotiate(header) == coding


@pytest.mark.parametrize("url", ["/fr/", "/fr/rooms/lab/", "/en/rooms/lab/lanterns/"])
@pytest.mark.parametrize("accept", ["br", "gzip"])
def test_a_page_is_sent_compressed_with_its_own_etag(
    client: FlaskClient, url: str, accept: str
) -> None:
    plain = client.get(url)
    packed = client.get(url, headers={"Accept-Encoding": accept})
    assert plain.headers.get("Content-Encoding") is None
    assert packed.headers["Content-Encoding"] == accept
    assert decoded(packed) == plain.data
    assert len(packed.data) < len(plain.data) / 2
    assert packed.headers["ETag"] == plain.headers["ETag"][:-1] + f'-{accept}"'
    for response in (plain, packed):
        assert response.headers["Vary"] == "Accept-Encoding"
    again = client.get(
        url, headers={"Accept-Encoding": accept, "If-None-Match": packed.headers["ETag"]}
    )
    assert again.status_code == 304
    assert "Content-Encoding" not in again.headers
    # The plain body's ETag does not validate the compressed one, nor the other way round.
    other = client.get(
        url, headers={"Accept-Encoding": accept, "If-None-Match": plain.headers["ETag"]}
    )
    assert other.status_code == 200 and decoded(other) == plain.data


@pytest.mark.parametrize("front", [True, False], ids=["front-cache", "page-cache"])
def test_a_page_is_compressed_once_per_coding(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, front: bool
) -> None:
    app = app_for(copy_exhibition(BASIC, tmp_path), FRONT_CACHE=front)
    client = app.test_client()
    calls = count_encodes(monkeypatch)
    for _ in range(3):
        for accept in ("br", "gzip", BROWSER, ""):
            client.get("/en/rooms/lab/", headers={"Accept-Encoding": accept})
    assert sorted(calls) == ["br", "gzip"]


def test_a_reload_compresses_the_new_page(tmp_path: Path) -> None:
    root = copy_exhibition(BASIC, tmp_path)
    app = app_for(root)
    client = app.test_client()
    before = client.get("/en/rooms/lab/", headers={"Accept-Encoding": "br"})
    room = root / "02-lab" / "room.md"
    room.write_text(room.read_text().replace("Lanterns and maps.", "Lamps and charts."))
    later = time.time() + 2
    os.utime(room, (later, later))
    assert app.extensions["gallery.site"].reload_if_changed() is not None
    after = client.get("/en/rooms/lab/", headers={"Accept-Encoding": "br"})
    assert b"Lamps and charts." in decoded(after)
    assert after.headers["ETag"] != before.headers["ETag"]


def test_a_page_made_per_request_is_compressed_too(client: FlaskClient) -> None:
    """The questions page is rendered for each request: compressed on the fly."""
    url = "/en/sessions/opening/questions/"
    plain = client.get(url)
    packed = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert plain.status_code == 200
    assert packed.headers["Content-Encoding"] == "gzip"
    assert decoded(packed) == plain.data
    assert "Accept-Encoding" in packed.headers["Vary"]


def test_static_text_is_compressed_once_per_file_version(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = app.test_client()
    html = client.get("/fr/").get_data(as_text=True)
    start = html.index("/static/css/site.css?v=")
    url = html[start : html.index('"', start)]
    calls = count_encodes(monkeypatch)
    plain = client.get(url)
    for accept in ("br", "gzip", "br", "gzip"):
        packed = client.get(url, headers={"Accept-Encoding": accept})
        assert packed.headers["Content-Encoding"] == accept
        assert decoded(packed) == plain.data
        assert packed.headers["Vary"] == "Accept-Encoding"
        assert "immutable" in packed.headers["Cache-Control"]
        assert "max-age=31536000" in packed.headers["Cache-Control"]
    assert calls == ["br", "gzip"]
    assert "Accept-Encoding" in plain.headers["Vary"]
    revalidated = client.get(
        "/static/css/site.css",
        headers={
            "Accept-Encoding": "br",
            "If-None-Match": packed.headers["ETag"].replace("gzip", "br"),
        },
    )
    assert revalidated.status_code == 304
    unversioned = client.get("/static/css/site.css", headers={"Accept-Encoding": "br"})
    assert "no-cache" in unversioned.headers["Cache-Control"]
    assert "immutable" not in unversioned.headers["Cache-Control"]


@pytest.mark.parametrize(
    "url",
    ["/static/favicon.svg", "/media/02-lab/lantern.png", "/media/02-lab/charts.pdf"],
    ids=["tiny", "image", "pdf"],
)
def test_tiny_bodies_and_compressed_media_go_as_they_are(client: FlaskClient, url: str) -> None:
    response = client.get(url, headers={"Accept-Encoding": BROWSER})
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers


def test_a_file_changed_in_place_is_compressed_again(tmp_path: Path) -> None:
    path = tmp_path / "style.css"
    path.write_text("body { color: black; }\n" * 100)
    forms = FileForms()
    first = forms.get(path, "br")
    assert first is not None and forms.get(path, "br") is first
    path.write_text("body { color: navy; }\n" * 100)
    later = time.time() + 2
    os.utime(path, (later, later))
    second = forms.get(path, "br")
    assert second is not None and brotli.decompress(second) == path.read_bytes()


def test_the_kept_forms_stay_within_their_budget(tmp_path: Path) -> None:
    forms = FileForms(budget=3000)
    for n in range(10):
        path = tmp_path / f"f{n}.js"
        path.write_bytes(os.urandom(1500).hex().encode())  # poorly compressible text
        assert forms.get(path, "gzip") is not None
    assert forms.size <= 3000
