"""The self-hosted typefaces: shipped with their licence, preloaded, fetched once, no shift."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gallery.templating import _asset

from .browser import serve
from .conftest import SAMPLE

STATIC = Path(__file__).resolve().parent.parent / "static"
STYLESHEET = STATIC / "css" / "site.css"
FONT_URL = re.compile(r"""url\(["']?(/static/fonts/[^"')]+)["']?\)""")
PRELOAD = re.compile(r'<link rel="preload" href="([^"]+)" as="font" type="font/woff2" crossorigin>')


def _stylesheet_fonts() -> list[str]:
    """The font URLs site.css names, resolved as the browser does."""
    found = FONT_URL.findall(STYLESHEET.read_text())
    return [urljoin("/static/css/site.css", url) for url in found]


def test_every_font_file_ships_with_the_licence() -> None:
    fonts = sorted(path.name for path in (STATIC / "fonts").glob("*.woff2"))
    assert fonts, "no font in static/fonts"
    assert "SIL OPEN FONT LICENSE Version 1.1" in (STATIC / "fonts" / "OFL.txt").read_text()
    named = {url.split("/")[-1].split("?")[0] for url in _stylesheet_fonts()}
    assert named == set(fonts)


def test_the_stylesheet_asks_for_each_font_by_its_versioned_url(app: Flask) -> None:
    """site.css names each file with the hash asset() gives it, so it can be cached for a year."""
    with app.test_request_context():
        for url in _stylesheet_fonts():
            name = url.removeprefix("/static/").split("?")[0]
            assert url == _asset(name)


def test_pages_preload_the_fonts_the_stylesheet_uses(client: FlaskClient) -> None:
    preloads = PRELOAD.findall(client.get("/fr/").get_data(as_text=True))
    assert len(preloads) == 2
    assert set(preloads) <= set(_stylesheet_fonts())


@pytest.fixture(scope="module")
def sample_url() -> Iterator[str]:
    """A real server on the bundled sample exhibition."""
    yield from serve(SAMPLE)


# Sums the layout shifts a visitor did not cause, from the very start of the page.
MEASURE_SHIFTS = """
window.layoutShift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.layoutShift += entry.value;
  }
}).observe({type: "layout-shift", buffered: true});
"""


@pytest.mark.browser
def test_the_lobby_shows_in_its_typefaces_from_first_paint_without_shift(
    browser, sample_url: str
) -> None:
    context = browser.new_context(locale="fr-FR", viewport={"width": 1440, "height": 900})
    try:
        page = context.new_page()
        page.add_init_script(MEASURE_SHIFTS)
        fetched: list[str] = []
        page.on("request", lambda request: fetched.append(request.url))
        page.goto(sample_url + "/fr/")
        page.wait_for_load_state("networkidle")
        page.evaluate("document.fonts.ready.then(() => true)")
        heading = page.locator("h1").evaluate("e => getComputedStyle(e).fontFamily")
        text = page.locator("main p").first.evaluate("e => getComputedStyle(e).fontFamily")
        assert heading.startswith('"Source Serif 4"') and text.startswith('"Source Sans 3"')
        # The preloaded files were the ones the page used: each fetched once, and in use.
        fonts = [url for url in fetched if url.endswith(".woff2") or ".woff2?" in url]
        assert len(fonts) == len(set(fonts)) >= 2
        loaded = page.evaluate(
            "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
        )
        assert {"Source Serif 4", "Source Sans 3"} <= {family.strip('"') for family in loaded}
        assert page.evaluate("window.layoutShift") == 0
    finally:
        context.close()
