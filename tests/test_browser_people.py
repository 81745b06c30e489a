"""Browser tests of the people in the place: the lobby as a place, colours, arrivals, names."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .browser import axe_violations, serve, visitor
from .conftest import BASIC

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def basic_url() -> Iterator[str]:
    """A real server on the small fixture exhibition."""
    yield from serve(BASIC)


def test_the_lobby_counts_lists_and_chats_with_its_visitors(browser, basic_url: str) -> None:
    """In the lobby, a visitor is counted in the gallery, sees who else is there, and chats."""
    first_context, first = visitor(browser, basic_url + "/en/", "Ada")
    second_context, second = visitor(browser, basic_url + "/en/", "Grace")
    try:
        first.locator("#live-total[data-count='2']").wait_for(timeout=3000)
        first.locator("#live-visitors .live-name", has_text="Grace").wait_for(timeout=1000)
        assert first.locator("#live-here-count").inner_text() == "(2)"
        second.locator("#live-chat-input").fill("Hello from the lobby")
        second.locator("#live-chat-form button").click()
        first.locator("#live-chat-log .live-message-text", has_text="from the lobby").wait_for(
            timeout=1000
        )
    finally:
        second_context.close()
        first_context.close()


def test_the_lobby_lists_who_is_in_which_room(browser, basic_url: str) -> None:
    """The plan's dots as a list: each room with visitors, their names, gone when they leave."""
    lobby_context, lobby = visitor(browser, basic_url + "/en/", "Ada")
    walker_context, _walker = visitor(browser, basic_url + "/en/rooms/lab/", "Grace")
    try:
        assert lobby.locator("#live-whereabouts-title").inner_text() == "In the rooms"
        lab = lobby.locator("#live-whereabouts li[data-whereabouts-room=lab]")
        lab.wait_for(state="visible", timeout=3000)
        assert lab.locator("a").inner_text() == "Laboratory"
        assert lab.locator("a").get_attribute("href") == "/en/rooms/lab/"
        assert lab.locator(".live-whereabouts-count").inner_text() == "· 1 visitor"
        assert lab.locator(".live-whereabouts-names").inner_text() == "Grace"
        assert lobby.locator("#live-whereabouts-empty").is_hidden()
        # Rooms nobody stands in are not listed.
        assert lobby.locator("#live-whereabouts li:visible").count() == 1
        walker_context.close()
        lab.wait_for(state="hidden", timeout=3000)
        assert lobby.locator("#live-whereabouts-empty").inner_text() == "Nobody in the rooms yet."
    finally:
        lobby_context.close()


def _avatar_colour(tab, selector: str) -> str:
    """Return the computed background colour of the avatar in `selector`."""
    return tab.locator(selector).first.evaluate("el => getComputedStyle(el).backgroundColor")


def test_two_visitors_get_different_colours(browser, basic_url: str) -> None:
    """Two visitors of a room, both wishing the same colour, wear different ones."""
    url = basic_url + "/en/rooms/lab/"
    contexts = []
    try:
        for name in ("Ada", "Grace"):
            context, tab = visitor(browser, url, name)
            tab.evaluate(
                "localStorage.setItem('gallery.live.identity', JSON.stringify({...JSON.parse("
                "localStorage.getItem('gallery.live.identity')), colour: '#1f5f8b'}))"
            )
            tab.reload()
            tab.wait_for_selector("html[data-live-state=entered]")
            contexts.append((context, tab))
        (_, ada), (_, grace) = contexts
        ada.locator("#live-visitors .live-name", has_text="Grace").wait_for(timeout=2000)
        own = _avatar_colour(ada, ".live-visitor-own .live-avatar")
        seen = _avatar_colour(ada, ".live-visitor:not(.live-visitor-own) .live-avatar")
        assert own != seen
        assert own == _avatar_colour(grace, ".live-visitor:not(.live-visitor-own) .live-avatar")
        assert "rgb(89, 89, 89)" not in (own, seen)  # the grey of an unknown colour
    finally:
        for context, _tab in contexts:
            context.close()


def test_an_arrival_is_said_in_a_polite_live_region_and_glows(browser, basic_url: str) -> None:
    """Someone arriving is announced politely ("Grace arrives…") and their row highlighted."""
    watcher_context, watcher = visitor(browser, basic_url + "/en/rooms/lab/", "Ada")
    arriving_context = None
    try:
        arriving_context, _tab = visitor(browser, basic_url + "/en/rooms/lab/lanterns/", "Grace")
        region = watcher.locator("#live-arrivals")
        region.locator("p", has_text="Grace arrives at Lanterns").wait_for(
            state="attached", timeout=3000
        )
        assert region.get_attribute("aria-live") == "polite"
        row = watcher.locator(".live-visitor", has_text="Grace")
        assert "live-visitor-arrived" in (row.get_attribute("class") or "")
        arriving_context.close()
        arriving_context = None
        region.locator("p", has_text="Grace leaves").wait_for(state="attached", timeout=6000)
    finally:
        if arriving_context is not None:
            arriving_context.close()
        watcher_context.close()


def test_a_crowd_is_summed_up_not_read_out(browser, basic_url: str) -> None:
    """Many arrivals within a few seconds make one short sentence."""
    watcher_context, watcher = visitor(browser, basic_url + "/en/rooms/lab/", "Ada")
    try:
        watcher.evaluate(
            """() => {
              const p = window.galleryLive.presence;
              p.apply({room: "lab", count: 6, left: [], moved: [], joined: [1, 2, 3, 4, 5].map(
                (i) => ({id: "x" + i, name: "Guest " + i, exhibit: null, colour: "#1f5f8b"}))});
            }"""
        )
        region = watcher.locator("#live-arrivals")
        region.locator("p", has_text="5 people arrived").wait_for(state="attached", timeout=6000)
        assert "Guest" not in region.inner_text()
    finally:
        watcher_context.close()


def test_the_first_entry_offers_a_pseudonym_once(browser, basic_url: str) -> None:
    """A first visit offers a pseudonym without taking the focus; the choice is remembered."""
    context = browser.new_context(locale="en-GB")
    try:
        tab = context.new_page()
        tab.goto(basic_url + "/en/rooms/lab/")
        welcome = tab.locator("dialog#live-welcome[open]")
        welcome.wait_for(timeout=5000)
        # A colour worn in the room is not given twice: wait until a visitor of an earlier
        # test on this server has left "lab", so that purple is free to take.
        tab.locator("#live-here-count", has_text="(1)").wait_for(timeout=10000)
        assert tab.evaluate("document.activeElement === document.body")
        tab.keyboard.press("Tab")  # the skip link first, the welcome next
        tab.keyboard.press("Tab")
        assert tab.evaluate(
            "document.getElementById('live-welcome').contains(document.activeElement)"
        )
        tab.locator("#live-welcome-name").fill("Hedy")
        tab.locator("#live-welcome label[title=purple]").click()
        tab.locator("#live-welcome button[type=submit]").click()
        welcome.wait_for(state="detached")
        assert tab.evaluate("document.activeElement.id") == "main"
        own = tab.locator(".live-visitor-own .live-name")
        own.filter(has_text="Hedy").wait_for(timeout=2000)
        assert _avatar_colour(tab, ".live-visitor-own .live-avatar") == "rgb(107, 63, 160)"
        tab.reload()
        tab.wait_for_selector("html[data-live-state=entered]")
        assert tab.locator("#live-welcome").count() == 0
    finally:
        context.close()


def test_skipping_the_welcome_is_remembered_and_nothing_shows_without_js(
    browser, basic_url: str
) -> None:
    """ "Not now" keeps the default name and is not asked again; without JS there is no welcome."""
    context = browser.new_context(locale="fr-FR")
    try:
        tab = context.new_page()
        tab.goto(basic_url + "/fr/")
        tab.locator("#live-welcome-skip").click()
        tab.locator("#live-welcome").wait_for(state="detached")
        tab.goto(basic_url + "/fr/rooms/lab/")
        tab.wait_for_selector("html[data-live-state=entered]")
        assert tab.locator("#live-welcome").count() == 0
    finally:
        context.close()
    static = browser.new_context(java_script_enabled=False)
    try:
        tab = static.new_page()
        tab.goto(basic_url + "/fr/rooms/lab/")
        assert tab.locator("#live-welcome, dialog").count() == 0
    finally:
        static.close()


INITIALS = {
    "Ada Lovelace": "AL",
    "Ada": "A",
    "ada king lovelace": "AL",
    "Visiteur 828": "828",
    "Visitor 42": "42",
    "Ada 2": "A2",
    "Émile Zola": "ÉZ",
    "  jean-pierre   dupont ": "JD",
    "🦊 Renard": "🦊",
    "👩🏽‍💻 Grace": "👩🏽‍💻",
    "山田太郎": "山",
    "김 민준": "김",
    "Ada 山田": "A",
    "...": "?",
    "": "?",
}


def test_initials_read_well(page, basic_url: str) -> None:
    """Avatars show initials of the first and last words, a default name's number, an emoji."""
    page.goto(basic_url + "/en/agenda/")
    found = page.evaluate(
        """async (names) => {
          const { initials } = await import("/static/js/live-identity.js");
          return Object.fromEntries(names.map((n) => [n, initials(n)]));
        }""",
        list(INITIALS),
    )
    assert found == INITIALS


@pytest.mark.parametrize("size", [(1440, 900), (390, 844)], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", ["/fr/", "/en/rooms/lab/"], ids=["lobby", "room"])
def test_people_pass_axe_with_the_welcome_open(browser, basic_url: str, path: str, size) -> None:
    """With someone else here, an arrival said and the welcome open, axe finds nothing."""
    width, height = size
    other_context, _other = visitor(browser, basic_url + path, "Grace Hopper")
    context = browser.new_context(
        locale="fr-FR", bypass_csp=True, viewport={"width": width, "height": height}
    )
    try:
        tab = context.new_page()
        tab.goto(basic_url + path)
        tab.locator("dialog#live-welcome[open]").wait_for(timeout=5000)
        tab.locator("#live-visitors .live-name", has_text="Grace Hopper").wait_for(timeout=2000)
        assert axe_violations(tab) == []
    finally:
        context.close()
        other_context.close()


def test_on_a_phone_a_link_leads_to_who_is_here_and_the_chat(browser, basic_url: str) -> None:
    """On a phone, a link fixed at the foot of the window leads to the list and the chat."""
    context, tab = visitor(
        browser, basic_url + "/en/rooms/lab/", "Ada", viewport={"width": 390, "height": 844}
    )
    try:
        jump = tab.locator("#live-jump")
        jump.wait_for(state="visible", timeout=2000)
        assert "(1)" in jump.inner_text()
        jump.click()
        tab.locator("#live-chat-input").wait_for(state="visible")
        assert tab.locator("#live-chat-input").is_visible()
        jump.wait_for(state="hidden", timeout=2000)  # the list is in view: no need for it
        tab.set_viewport_size({"width": 1440, "height": 900})
        tab.evaluate("window.scrollTo(0, 0)")
        assert not jump.is_visible()  # beside the room on a wide screen: never shown
    finally:
        context.close()
