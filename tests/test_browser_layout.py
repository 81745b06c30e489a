"""Nothing moves on a page while it loads and while its live parts run (CLS 0), and the live
scripts load only on pages with a live part."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .browser import LOCALES, VIEWPORTS, serve
from .conftest import SAMPLE

pytestmark = pytest.mark.browser

PAGES = {
    "lobby": "/fr/",
    "room": "/fr/rooms/eclairer/",
    "exhibit": "/fr/rooms/eclairer/atlas-culture/",
    "stage": "/fr/rooms/demo-day/",
    "agenda": "/fr/agenda/",
}
# Where another visitor walks in while the page is watched (then says hello in the room's
# chat), and what the page then shows: their dot on the plan, a count, their avatar at an
# exhibit's panel.
COMPANY = {
    "lobby": ("/fr/rooms/eclairer/", ".plan-dot[data-place=eclairer]"),
    "room": ("/fr/rooms/eclairer/atlas-culture/", "[data-live-exhibit=atlas-culture] li"),
    "exhibit": ("/fr/rooms/eclairer/", "#live-here-count:text('(2)')"),
    "stage": ("/fr/rooms/demo-day/", "#presence-count[data-count='2']"),
}
LIVE_STATE = {"lobby": "entered", "room": "entered", "exhibit": "entered", "stage": "entered"}

# Installed before the page's own scripts: every layout shift, with what moved.
OBSERVE_SHIFTS = """
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    window.__shifts.push({
      value: entry.value,
      at: Math.round(entry.startTime),
      moved: (entry.sources || []).map((source) => {
        const node = source.node;
        const element = node && node.nodeType === 1 ? node : node && node.parentElement;
        return element ? element.outerHTML.slice(0, 120) : String(node);
      }),
    });
  }
}).observe({type: "layout-shift", buffered: true});
"""


@pytest.fixture(scope="module")
def sample_url() -> Iterator[str]:
    """A real server on the sample exhibition."""
    yield from serve(SAMPLE)


def settle(tab) -> None:
    """Wait until the network is quiet and two more frames have been drawn."""
    tab.wait_for_load_state("networkidle")
    tab.evaluate(
        "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )


@pytest.mark.parametrize("size", VIEWPORTS.keys())
@pytest.mark.parametrize("kind", PAGES.keys())
def test_nothing_moves_while_the_page_loads_and_lives(
    browser, sample_url: str, kind: str, size: str
) -> None:
    """Cumulative layout shift is 0: images, the video, the head count and the badges keep
    their place from the first paint, also when another visitor arrives and chats."""
    context = browser.new_context(locale=LOCALES["fr"], **VIEWPORTS[size])
    context.add_init_script(OBSERVE_SHIFTS)
    other = browser.new_context(locale=LOCALES["en"])
    try:
        tab = context.new_page()
        tab.goto(sample_url + PAGES[kind])
        if kind in LIVE_STATE:
            tab.wait_for_selector(f"html[data-live-state={LIVE_STATE[kind]}]", state="attached")
        settle(tab)
        if kind in COMPANY:
            path, shown = COMPANY[kind]
            visitor = other.new_page()
            visitor.goto(sample_url + path)
            visitor.wait_for_selector("html[data-live-state=entered]", state="attached")
            tab.locator(shown).wait_for(state="attached")
            if kind != "lobby":  # in the same room: its chat
                visitor.fill("#live-chat-input", "Bonjour à tous")
                visitor.press("#live-chat-input", "Enter")
                tab.locator("#live-chat-log", has_text="Bonjour à tous").wait_for()
            settle(tab)
        shifts = tab.evaluate("window.__shifts")
        assert shifts == []
    finally:
        other.close()
        context.close()


@pytest.mark.parametrize(
    ("path", "live"),
    [
        ("/fr/", True),
        ("/fr/rooms/eclairer/", True),
        ("/fr/rooms/eclairer/atlas-culture/", True),
        ("/fr/rooms/demo-day/", True),
        ("/fr/agenda/", False),
        ("/fr/sessions/round-table/questions/", False),
        ("/fr/rooms/nowhere/", False),
    ],
)
def test_live_scripts_load_only_where_something_is_live(
    browser, sample_url: str, path: str, live: bool
) -> None:
    """The agenda, the questions page and a 404 fetch no live script and open no socket."""
    context = browser.new_context(locale=LOCALES["fr"])
    try:
        tab = context.new_page()
        fetched: list[str] = []
        sockets: list[str] = []
        tab.on("request", lambda request: fetched.append(request.url))
        tab.on("websocket", lambda socket: sockets.append(socket.url))
        tab.goto(sample_url + path)
        if live:
            tab.wait_for_selector("html[data-live-state]", state="attached")
        settle(tab)
        live_files = [url for url in fetched if "/js/live" in url or "socket.io" in url]
        assert bool(live_files) is live
        assert bool(sockets) is live
        if path.endswith("nowhere/"):
            assert not [url for url in fetched if url.endswith(".js") or ".js?" in url]
    finally:
        context.close()
