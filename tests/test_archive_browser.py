"""The archive in a browser: served under a sub-path by a plain static server, and opened from
the file system, every page and file it asks for is there, and nothing asks for a socket."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from gallery.archive import build_archive

from .conftest import SAMPLE
from .servers import free_port, wait_for_http

pytestmark = pytest.mark.browser

SUB_PATH = "/exhibitions/eig-4/"


@pytest.fixture(scope="module")
def served_archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The sample's archive under a sub-path of Python's plain static server."""
    docroot = tmp_path_factory.mktemp("docroot")
    out = docroot / SUB_PATH.strip("/")
    out.parent.mkdir(parents=True)
    build_archive(SAMPLE, out, data=str(tmp_path_factory.mktemp("data")))
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "-b", "127.0.0.1", "-d", str(docroot)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}{SUB_PATH}"
        wait_for_http(base, server)
        yield base, out
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_crawl_under_a_sub_path_finds_every_page_and_file(page, served_archive) -> None:
    base, out = served_archive
    failed: list[str] = []
    requested: list[str] = []
    # Leaving a page cancels the loads still running (a video's): not a missing file.
    page.on(
        "requestfailed",
        lambda request: (
            None
            if request.failure == "net::ERR_ABORTED"
            else failed.append(f"{request.failure} {request.url}")
        ),
    )
    page.on("request", lambda request: requested.append(request.url))
    page.on(
        "response",
        lambda response: (
            failed.append(f"{response.status} {response.url}") if response.status >= 400 else None
        ),
    )
    # The root sends visitors to the lobby in the default language, without JavaScript.
    page.goto(base)
    page.wait_for_url(f"{base}fr/index.html")
    todo, seen = [page.url], {page.url}
    while todo:
        url = todo.pop()
        response = page.goto(url)
        assert response is not None and response.ok, url
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            target = urljoin(url, href).split("#")[0]
            if not target.startswith(base) or target in seen:
                continue
            seen.add(target)
            if target.endswith(".html"):
                todo.append(target)
            else:  # a document or a video: fetched, not opened in a viewer
                assert page.request.get(target).ok, target
    assert failed == []
    assert [u for u in requested if u.startswith("http") and not u.startswith(base)] == []
    assert not [u for u in requested if "socket.io" in u]
    pages = {p for p in out.rglob("index.html") if p.parent != out}
    reached = {u for u in seen if u.endswith(".html")}
    assert len(reached) >= len(pages), "the crawl reached every page the build wrote"
    assert all(urlsplit(u).path.startswith(SUB_PATH) for u in seen)


def test_a_page_opened_from_the_file_system_is_styled_and_walks(page, served_archive) -> None:
    _, out = served_archive
    page.goto((out / "fr" / "rooms" / "donnees" / "index.html").as_uri())
    font = page.eval_on_selector("h1", "h1 => getComputedStyle(h1).fontFamily")
    assert font and "serif" in font.lower()
    assert page.locator(".state-notice").is_visible()
    page.locator("main a[href$='adex/index.html']").first.click()
    assert page.url.endswith("/fr/rooms/donnees/adex/index.html")
    assert page.locator("h1").inner_text() == "ADEX"
