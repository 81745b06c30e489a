"""The organiser's preview in Chromium: a saved change shows without a keystroke, only on the
page it changes, and errors show over every open page until the file is fixed."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import BASIC
from .pagecheck import copy_exhibition
from .servers import GalleryServer

pytestmark = pytest.mark.browser

# Awaited events, not sleeps: each wait ends as soon as the page shows what it should.
WAIT = 15_000
LAB = "02-lab/room.md"
BROKEN = "---\ntitle:\n  fr: Laboratoire\n  en: Laboratory\ncolour: blu\n---\nUne salle.\n"


def _touch_later(path: Path) -> None:
    """Give `path` a newer mtime than any it had, whatever the clock's resolution."""
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))


def _write(root: Path, rel: str, text: str) -> None:
    """Save a room file as an editor would."""
    path = root / rel
    path.write_text(text)
    _touch_later(path)


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[GalleryServer, Path]]:
    """`gallery serve --reload` on a copy of the fixture, looking at its files every 0.1 s."""
    root = copy_exhibition(BASIC, tmp_path)
    env = {"GALLERY_RELOAD_INTERVAL": "0.1", "GALLERY_DATA_DIR": str(tmp_path / "data")}
    server = GalleryServer(root, env=env, log=tmp_path / "server.log", reload=True)
    server.start()
    try:
        yield server, root
    finally:
        server.kill()


def _context(browser, **options):
    """A browser context whose pages let Playwright poll them (`wait_for_function` evaluates
    its predicate with eval, which the pages' CSP forbids); the preview script needs no such
    leave: the screenshots script runs it under the CSP."""
    return browser.new_context(locale="fr-FR", bypass_csp=True, **options)


def _ready(page) -> None:
    """Wait until the page's preview script has made its first check with the server."""
    page.wait_for_function("document.documentElement.dataset.previewChecked", timeout=WAIT)


def test_a_saved_change_shows_on_its_page_only_keeping_the_scroll(browser, preview) -> None:
    server, root = preview
    context = _context(browser, viewport={"width": 1000, "height": 500})
    try:
        lab, hall = context.new_page(), context.new_page()
        lab.goto(server.url + "/fr/rooms/lab/")
        hall.goto(server.url + "/fr/rooms/hall/")
        _ready(lab)
        _ready(hall)
        lab.evaluate("window.scrollTo(0, 300)")
        lab.wait_for_function("window.scrollY === 300")
        # Marks that a reload would wipe out.
        lab.evaluate("window.notReloaded = true")
        hall.evaluate("window.notReloaded = true")
        checks = hall.evaluate("Number(document.documentElement.dataset.previewChecked)")

        # The room's own text: the hall shows the lab's title on its door, not this.
        text = (root / LAB).read_text().replace("Une salle d’expériences.", "Un atelier.")
        _write(root, LAB, text)

        lab.wait_for_function(
            "document.querySelector('main').textContent.includes('Un atelier.')", timeout=WAIT
        )
        assert lab.evaluate("window.notReloaded") is None
        lab.wait_for_function("window.scrollY === 300", timeout=WAIT)
        # The hall asked too, found itself unchanged, and stayed as it was.
        hall.wait_for_function(
            f"Number(document.documentElement.dataset.previewChecked) > {checks}", timeout=WAIT
        )
        assert hall.evaluate("window.notReloaded") is True
    finally:
        context.close()


def test_errors_show_over_every_page_until_fixed(browser, preview) -> None:
    server, root = preview
    context = _context(browser)
    try:
        page = context.new_page()
        page.goto(server.url + "/fr/rooms/hall/")
        _ready(page)
        overlay = page.locator("#preview-problems")
        assert overlay.is_hidden()
        good = (root / LAB).read_text()

        _write(root, LAB, BROKEN)
        overlay.wait_for(state="visible", timeout=WAIT)
        assert overlay.get_attribute("role") == "dialog"
        problem = overlay.locator(".preview-problem")
        assert problem.locator(".preview-where").inner_text() == "02-lab/room.md:5:9"
        assert problem.locator(".preview-message").inner_text() == (
            "invalid colour 'blu' (expected #rgb, #rrggbb or a CSS colour name)"
        )
        assert "colour: blu" in problem.locator(".preview-source").inner_text()
        assert overlay.locator("h2").inner_text() == "1 erreur dans les fichiers des salles"
        assert page.locator("#preview-alert").inner_text() == overlay.locator("h2").inner_text()

        # A page opened meanwhile shows the errors at once.
        other = context.new_page()
        other.goto(server.url + "/en/rooms/lab/")
        other.locator("#preview-problems .preview-problem").wait_for(timeout=WAIT)
        # Visitors keep the last good version of the room.
        assert other.locator("h1").inner_text() == "Laboratory"

        # The close button is reachable by keyboard and hides the overlay.
        close = overlay.get_by_role("button")
        close.focus()
        page.keyboard.press("Enter")
        assert overlay.is_hidden()

        _write(root, LAB, good)
        other.locator("#preview-problems").wait_for(state="hidden", timeout=WAIT)
        assert other.locator("#preview-problems .preview-problem").count() == 0
    finally:
        context.close()


def test_a_page_with_no_live_part_shows_the_errors_too(browser, preview) -> None:
    """The agenda loads no live script; its preview opens a connection of its own."""
    server, root = preview
    context = _context(browser)
    try:
        page = context.new_page()
        page.goto(server.url + "/fr/agenda/")
        _ready(page)
        assert page.evaluate("window.galleryLive") is None
        good = (root / LAB).read_text()
        _write(root, LAB, BROKEN)
        page.locator("#preview-problems .preview-problem").wait_for(timeout=WAIT)
        _write(root, LAB, good)
        page.locator("#preview-problems").wait_for(state="hidden", timeout=WAIT)
    finally:
        context.close()


def test_a_production_server_has_no_preview(browser, tmp_path: Path) -> None:
    root = copy_exhibition(BASIC, tmp_path)
    env = {"GALLERY_DATA_DIR": str(tmp_path / "data")}
    server = GalleryServer(root, env=env)
    server.start()
    context = _context(browser)
    try:
        page = context.new_page()
        page.goto(server.url + "/fr/rooms/lab/")
        page.wait_for_function("document.documentElement.dataset.liveState === 'entered'")
        assert page.locator('meta[name="gallery-page"]').count() == 0
        answer = page.evaluate(
            "new Promise((done) => window.galleryLive.socket.emit('preview', null, done))"
        )
        assert answer == {"ok": False, "error": "unknown event"}
    finally:
        context.close()
        server.kill()
