"""The repository's nginx configuration in front of two gunicorn processes, over TLS: pages,
interface files and media as files, WebSockets and long-polling handed to the gallery."""

from __future__ import annotations

import gzip
import http.client
import json
import re
import shutil
import socket
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import brotli
import pytest

from gallery.security import BASE_HEADERS, MEDIA_CSP

from .conftest import BASIC
from .deploy_helpers import GunicornServer, assert_presence_flows
from .nginx_helpers import Nginx


@dataclass
class Stack:
    """nginx in front of two gallery processes, the first keeping the pages as files."""

    nginx: Nginx
    publisher: GunicornServer
    other: GunicornServer
    rooms: Path
    pages: Path
    tls: ssl.SSLContext


def wait_for(check, timeout: float = 30) -> None:
    """Poll `check` until it holds: the servers publish on their own schedule, with no event."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("never happened")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    base = tmp_path_factory.mktemp("deploy")
    rooms = base / "rooms"
    shutil.copytree(BASIC, rooms)
    pages = base / "pages"
    common = {
        "GALLERY_TRUSTED_PROXIES": "1",
        "GALLERY_WATCH_INTERVAL": "0.2",
        "GALLERY_ATTENDANCE_INTERVAL": "0",
    }
    publisher = GunicornServer(
        rooms,
        env={
            **common,
            "GALLERY_DATA_DIR": str(base / "data-1"),
            "GALLERY_PAGES_DIR": str(pages),
            "GALLERY_PAGES_INTERVAL": "0.2",
        },
        log=base / "gunicorn-1.log",
    )
    other = GunicornServer(
        rooms, env={**common, "GALLERY_DATA_DIR": str(base / "data-2")}, log=base / "gunicorn-2.log"
    )
    nginx = None
    try:
        publisher.start()
        other.start()
        wait_for(lambda: (pages / "current" / "fr" / "index.html").is_file())
        nginx = Nginx(base / "nginx", [publisher.port, other.port], pages)
        nginx.start()
        tls = ssl.create_default_context(cafile=str(nginx.cert))
        yield Stack(nginx, publisher, other, rooms, pages, tls)
    finally:
        if nginx is not None:
            nginx.stop()
        publisher.stop()
        other.stop()


def get(stack: Stack, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    """GET `path` through nginx over TLS; an error status is returned, not raised."""
    request = urllib.request.Request(stack.nginx.url + path, headers=headers or {})
    try:
        return urllib.request.urlopen(request, context=stack.tls, timeout=10)
    except urllib.error.HTTPError as error:
        return error  # type: ignore[return-value]


def body(response: http.client.HTTPResponse) -> bytes:
    """Return the response's body, decoded from its content coding."""
    data = response.read()
    coding = response.headers.get("Content-Encoding")
    if coding == "br":
        return brotli.decompress(data)
    if coding == "gzip":
        return gzip.decompress(data)
    return data


def directives(policy: str) -> dict[str, str]:
    """Return a CSP as {directive: sources}."""
    found = {}
    for part in policy.split(";"):
        name, _, sources = part.strip().partition(" ")
        if name:
            found[name] = " ".join(sources.split())
    return found


META_POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')


def test_a_room_page_is_the_published_file_in_brotli(stack: Stack) -> None:
    response = get(stack, "/fr/rooms/lab/", {"Accept-Encoding": "br, gzip"})
    assert response.status == 200
    assert response.headers["Content-Encoding"] == "br"
    assert response.headers["Cache-Control"] == "no-cache"
    html = body(response)
    assert html == (stack.pages / "current" / "fr" / "rooms" / "lab" / "index.html").read_bytes()
    # Live parts on, as the running gallery serves them.
    assert b"data-live-root" in html and b"js/live.js" in html


def test_a_page_in_gzip_and_plain(stack: Stack) -> None:
    zipped = get(stack, "/en/rooms/lab/", {"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    plain = get(stack, "/en/rooms/lab/")
    assert plain.headers.get("Content-Encoding") is None
    assert body(zipped) == body(plain)


def test_a_file_page_has_the_gallerys_headers_and_policy(stack: Stack) -> None:
    """nginx's headers and the page's <meta> policy together say what the gallery says."""
    from_file = get(stack, "/fr/rooms/lab/")
    html = body(from_file).decode()
    direct = urllib.request.urlopen(stack.publisher.url + "/fr/rooms/lab/", timeout=10)
    for name, value in BASE_HEADERS.items():
        assert from_file.headers[name] == value == direct.headers[name]
    assert from_file.headers["Strict-Transport-Security"] == "max-age=31536000"
    served = directives(from_file.headers["Content-Security-Policy"])
    expected = directives(direct.headers["Content-Security-Policy"])
    meta = directives(META_POLICY.search(html).group(1))
    host = f"127.0.0.1:{stack.nginx.https}"
    assert served.pop("connect-src") == f"'self' ws://{host} wss://{host}"
    assert served.pop("frame-src") == "https:"
    assert served.pop("media-src") == "'self' blob:"
    expected.pop("connect-src")
    assert meta == {"frame-src": expected.pop("frame-src"), "media-src": expected.pop("media-src")}
    assert served == expected


def test_requests_the_files_cannot_answer_go_to_the_gallery(stack: Stack) -> None:
    """A query (stage.js's refresh), a host's cookie, a page that is not a file, the API."""
    for path, headers in [
        ("/fr/rooms/lab/?live", {}),
        ("/fr/rooms/lab/", {"Cookie": "gallery_host=x"}),
        ("/fr/sessions/opening/questions/", {}),
    ]:
        response = get(stack, path, headers)
        assert response.status == 200, path
        assert not META_POLICY.search(body(response).decode()), path
    api = get(stack, "/api/gallery.json")
    assert api.status == 200
    assert json.loads(body(api))["rooms"]
    assert get(stack, "/fr/rooms/nowhere/").status == 404


def test_the_root_redirects_by_language_through_the_gallery(stack: Stack) -> None:
    connection = http.client.HTTPSConnection("127.0.0.1", stack.nginx.https, context=stack.tls)
    connection.request("GET", "/", headers={"Accept-Language": "en"})
    response = connection.getresponse()
    assert response.status == 302
    assert response.headers["Location"] == "/en/"


def test_interface_files_are_files_kept_for_good_when_versioned(stack: Stack) -> None:
    page = body(get(stack, "/fr/rooms/lab/")).decode()
    stylesheet = re.search(r'href="(/static/css/site\.css\?v=[0-9a-f]+)"', page).group(1)
    response = get(stack, stylesheet, {"Accept-Encoding": "br"})
    assert response.status == 200
    assert response.headers["Content-Encoding"] == "br"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Content-Type"].startswith("text/css")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert get(stack, "/static/css/site.css").headers["Cache-Control"] == "no-cache"
    # Modules the pages do not name are files too: live.js imports them.
    module = get(stack, "/static/js/live-urls.js")
    assert module.status == 200
    assert "javascript" in module.headers["Content-Type"]


def test_media_are_files_with_their_sandbox(stack: Stack) -> None:
    page = body(get(stack, "/fr/rooms/lab/lanterns/")).decode()
    image = re.search(r'poster="(/media/02-lab/lantern\.png\?v=[^"]+)"', page).group(1)
    response = get(stack, image.replace("&amp;", "&"))
    assert response.status == 200
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Content-Security-Policy"] == MEDIA_CSP
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert body(response) == (stack.rooms / "02-lab" / "lantern.png").read_bytes()
    captions = get(stack, "/media/02-lab/lanterns.fr.vtt")
    assert captions.headers["Content-Type"].startswith("text/vtt")
    assert captions.headers["Cache-Control"] == "public, max-age=3600"
    # Only what the room files name: the gallery answers the rest, with a 404.
    assert get(stack, "/media/02-lab/room.md").status == 404
    assert get(stack, "/media/../gallery.yaml").status in (400, 404)


def test_a_websocket_through_nginx_and_tls(stack: Stack) -> None:
    assert_presence_flows(stack.nginx.https, stack.tls)


def test_long_polling_stays_on_one_process(stack: Stack) -> None:
    """A polling session's requests all reach the process that holds it (sticky upstream):
    taken in turns, every other request would reach a process that does not know it."""
    opened = body(get(stack, "/socket.io/?EIO=4&transport=polling")).decode()
    sid = json.loads(opened[1:])["sid"]
    url = f"{stack.nginx.url}/socket.io/?EIO=4&transport=polling&sid={sid}"
    request = urllib.request.Request(url, data=b"40", method="POST")
    with urllib.request.urlopen(request, context=stack.tls, timeout=10) as response:
        assert response.read() == b"OK"
    assert body(get(stack, url[len(stack.nginx.url) :])).decode().startswith("40")
    for _ in range(3):
        request = urllib.request.Request(url, data=b"3probe", method="POST")
        with urllib.request.urlopen(request, context=stack.tls, timeout=10) as response:
            assert response.read() == b"OK"


def test_plain_http_redirects_to_https(stack: Stack) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", stack.nginx.http, timeout=10)
    connection.request("GET", "/fr/rooms/lab/", headers={"Host": "localhost"})
    response = connection.getresponse()
    assert response.status == 301
    assert response.headers["Location"] == "https://localhost/fr/rooms/lab/"


def test_another_host_name_gets_no_answer(stack: Stack) -> None:
    with socket.create_connection(("127.0.0.1", stack.nginx.http), timeout=10) as sock:
        sock.sendall(b"GET /fr/ HTTP/1.1\r\nHost: elsewhere.example\r\n\r\n")
        assert sock.recv(100) == b""


def test_the_pages_follow_the_room_files(stack: Stack) -> None:
    """A saved room file reaches the page nginx serves, swapped in whole."""
    room = stack.rooms / "02-lab" / "room.md"
    before = (stack.pages / "current").resolve()
    room.write_text(room.read_text(encoding="utf-8") + "\nUn mot ajouté.\n", encoding="utf-8")
    wait_for(lambda: b"Un mot ajout" in body(get(stack, "/fr/rooms/lab/")))
    assert (stack.pages / "current").resolve() != before
    # The previous version stays a while for answers being sent; older ones go.
    assert len(list((stack.pages / ".versions").iterdir())) <= 2


@pytest.mark.browser
def test_a_browser_walks_in_live_through_nginx(stack: Stack, browser) -> None:
    """Chromium opens a room page from its file, under nginx's CSP and the page's own, and its
    live part connects through nginx: nothing refused, the visitor entered."""
    context = browser.new_context(locale="fr-FR", ignore_https_errors=True)
    refused: list[str] = []
    try:
        tab = context.new_page()
        tab.on(
            "console",
            lambda message: (
                refused.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        tab.goto(stack.nginx.url + "/fr/rooms/lab/lanterns/")
        tab.wait_for_selector("html[data-live-state=entered]", state="attached", timeout=20000)
        assert tab.locator("#live").is_visible()
        assert refused == []
    finally:
        context.close()


def test_a_hosts_requests_reach_the_process_keeping_the_pages(stack: Stack) -> None:
    """With the host's cookie, the live connection opens on the publishing process, whose
    view of the host's decisions the pages as files show."""
    for _ in range(4):
        request = urllib.request.Request(
            stack.nginx.url + "/socket.io/?EIO=4&transport=polling",
            headers={"Cookie": "gallery_host=signed"},
        )
        with urllib.request.urlopen(request, context=stack.tls, timeout=10) as response:
            sid = json.loads(response.read().decode()[1:])["sid"]
        # Asked directly, only the process holding the session knows it.
        direct = urllib.request.Request(
            f"{stack.publisher.url}/socket.io/?EIO=4&transport=polling&sid={sid}",
            data=b"40",
            method="POST",
        )
        with urllib.request.urlopen(direct, timeout=10) as response:
            assert response.read() == b"OK"
