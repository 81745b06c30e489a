"""Browser tests: keyboard walking, no-JS pages, same-origin loads, axe-core audits, presence."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urlsplit
from urllib.request import urlopen

import pytest

from .browser import LOCALES, VIEWPORTS, audit_context, axe_violations, serve, visitor
from .conftest import BASIC, SAMPLE
from .host_helpers import host_server
from .servers import GalleryServer

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def basic_url() -> Iterator[str]:
    """A real server on the small fixture exhibition."""
    yield from serve(BASIC)


# One page of every type of the sample, by language: what the audits and no-JS checks walk.
PAGE_TYPES = {
    "lobby": "/{lang}/",
    "room": "/{lang}/rooms/eclairer/",
    "exhibit": "/{lang}/rooms/eclairer/atlas-culture/",
    "stage": "/{lang}/rooms/demo-day/",
    "agenda": "/{lang}/agenda/",
    "questions": "/{lang}/sessions/round-table/questions/",
    "not-found": "/{lang}/rooms/nowhere/",
    "host-login": "/host/login",
}
LANGUAGES = ("fr", "en")
# Pages that hold a live part, and the state of their socket once the live parts are shown.
LIVE_PAGES = {"lobby": "entered", "room": "entered", "exhibit": "entered", "stage": "entered"}


@pytest.fixture(scope="module")
def sample_host_url(tmp_path_factory) -> Iterator[str]:
    """A real server on the sample exhibition with a host password, so /host/login is open."""
    yield from host_server(SAMPLE, tmp_path_factory.mktemp("data"))


@pytest.mark.parametrize("size", VIEWPORTS.keys())
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", PAGE_TYPES.keys())
def test_axe_finds_no_violation(
    browser, sample_host_url: str, kind: str, lang: str, size: str
) -> None:
    """Every page type of the sample passes axe-core's WCAG 2.1 AA rules, in both languages,
    on a desktop screen and on a phone, with its live parts running."""
    context = audit_context(browser, size, lang)
    try:
        tab = context.new_page()
        tab.goto(sample_host_url + PAGE_TYPES[kind].format(lang=lang))
        if kind in LIVE_PAGES:
            tab.wait_for_selector(f"html[data-live-state={LIVE_PAGES[kind]}]", state="attached")
        tab.wait_for_load_state("networkidle")
        assert axe_violations(tab) == []
    finally:
        context.close()


# Rooms whose wall hangs one and three exhibits: the hangs PAGE_TYPES does not cover.
ROOM_HANGS = {
    "room-one-exhibit": "/{lang}/rooms/hall/",
    "room-three-exhibits": "/{lang}/rooms/donnees/",
}


@pytest.mark.parametrize("size", VIEWPORTS.keys())
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("hang", ROOM_HANGS.keys())
def test_axe_on_every_hang_of_a_room_wall(
    browser, sample_host_url: str, hang: str, lang: str, size: str
) -> None:
    """Rooms with their wash and a wall of one or of three exhibits pass axe-core everywhere."""
    context = audit_context(browser, size, lang)
    try:
        tab = context.new_page()
        tab.goto(sample_host_url + ROOM_HANGS[hang].format(lang=lang))
        tab.wait_for_selector("html[data-live-state=entered]", state="attached")
        tab.wait_for_load_state("networkidle")
        assert axe_violations(tab) == []
    finally:
        context.close()


def test_axe_on_a_third_party_video_placeholder(audit_page, basic_url: str) -> None:
    """The click-to-load video placeholder is accessible too."""
    audit_page.goto(basic_url + "/en/rooms/lab/maps/")
    audit_page.wait_for_load_state("networkidle")
    assert axe_violations(audit_page) == []


def test_skip_link_is_the_first_stop_and_lands_on_main(page, basic_url: str) -> None:
    """The first Tab reaches the skip link, and following it moves focus into main."""
    page.goto(basic_url + "/fr/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    inside = page.evaluate(
        "document.getElementById('main').contains(document.activeElement)"
        " || document.activeElement.id === 'main'"
    )
    assert inside


def test_walk_the_rooms_with_arrow_keys(page, basic_url: str) -> None:
    """ArrowRight and ArrowLeft walk to the next and previous room."""
    page.goto(basic_url + "/fr/rooms/hall/")
    with page.expect_navigation():
        page.keyboard.press("ArrowRight")
    assert urlsplit(page.url).path == "/fr/rooms/lab/"
    with page.expect_navigation():
        page.keyboard.press("ArrowLeft")
    assert urlsplit(page.url).path == "/fr/rooms/hall/"


def test_arrow_right_past_the_last_exhibit_enters_the_next_room(page, basic_url: str) -> None:
    """→ on a room's last exhibit goes on through the door to the next room."""
    page.goto(basic_url + "/fr/rooms/lab/maps/")
    with page.expect_navigation():
        page.keyboard.press("ArrowRight")
    assert urlsplit(page.url).path == "/fr/rooms/stage/"


def test_walk_the_whole_building_with_the_keyboard_alone(page, basic_url: str) -> None:
    """From the lobby, → walks every room and exhibit in turn; ↑ climbs back to the lobby."""
    page.goto(basic_url + "/en/")
    assert page.locator(".walk-hint").is_visible()
    walked = []
    for _ in range(5):
        with page.expect_navigation():
            page.keyboard.press("ArrowRight")
        walked.append(urlsplit(page.url).path)
    assert walked == [
        "/en/rooms/hall/",
        "/en/rooms/lab/",
        "/en/rooms/lab/lanterns/",
        "/en/rooms/lab/maps/",
        "/en/rooms/stage/",
    ]
    assert (
        "at the top of the page to go back to the lobby" in page.locator(".walk-hint").inner_text()
    )
    page.keyboard.press("ArrowRight")  # the end of the walk: nowhere further
    assert urlsplit(page.url).path == "/en/rooms/stage/"
    page.goto(basic_url + "/en/rooms/lab/maps/")
    for target in ("/en/rooms/lab/", "/en/"):
        with page.expect_navigation():
            page.keyboard.press("ArrowUp")
        assert urlsplit(page.url).path == target


def test_arrow_up_scrolls_before_it_leaves_the_page(browser, basic_url: str) -> None:
    """Below the top of a page ↑ scrolls it as usual; only at the top does it lead up."""
    # bypass_csp: Playwright polls `wait_for_function` with eval, which the page's CSP forbids.
    context = browser.new_context(viewport={"width": 800, "height": 400}, bypass_csp=True)
    tab = context.new_page()
    try:
        tab.goto(basic_url + "/en/rooms/lab/lanterns/")
        tab.evaluate("window.scrollTo(0, 120)")
        tab.keyboard.press("ArrowUp")
        tab.wait_for_function("window.scrollY < 120")
        assert urlsplit(tab.url).path == "/en/rooms/lab/lanterns/"
        tab.evaluate("window.scrollTo(0, 0)")
        with tab.expect_navigation():
            tab.keyboard.press("ArrowUp")
        assert urlsplit(tab.url).path == "/en/rooms/lab/"
    finally:
        context.close()


def test_arrow_keys_do_nothing_while_typing(page, basic_url: str) -> None:
    """Arrow keys in a text field move the caret, not the visitor."""
    page.goto(basic_url + "/fr/rooms/hall/")
    field = page.locator("#live-chat-input")
    field.wait_for(state="visible")
    field.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    assert urlsplit(page.url).path == "/fr/rooms/hall/"


def test_walk_by_keyboard_alone_from_lobby_to_an_exhibit(page, basic_url: str) -> None:
    """Tabbing to links and pressing Enter reaches an exhibit with a visible focus ring."""
    page.goto(basic_url + "/en/")
    for target in ("/en/rooms/lab/", "/en/rooms/lab/lanterns/"):
        for _ in range(80):
            page.keyboard.press("Tab")
            href = page.evaluate("document.activeElement.getAttribute('href') || ''")
            if href.endswith(target):
                break
        else:
            pytest.fail(f"no link to {target} reached by Tab")
        outline = page.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement);"
            " return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0"
            " || s.boxShadow !== 'none'; })()"
        )
        assert outline, "the focused link shows no focus indicator"
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert urlsplit(page.url).path == target
    assert page.locator("h1").inner_text() == "Lanterns"


def test_pages_work_without_javascript(browser, basic_url: str) -> None:
    """With JavaScript off, every page shows its content and links, and no live part."""
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto(basic_url + "/fr/")
        tab.get_by_role("link", name="Laboratoire").first.click()
        assert urlsplit(tab.url).path == "/fr/rooms/lab/"
        tab.get_by_role("link", name="Lanternes").first.click()
        assert tab.locator("video track[kind=captions]").count() == 2
        assert tab.locator("#live").is_hidden()
        # The arrow keys need JavaScript, so does the hint about them; the links stay.
        assert tab.locator(".walk-hint").is_hidden()
        assert tab.locator(".pager a[rel~=next]").is_visible()
        tab.goto(basic_url + "/fr/agenda/")
        assert "Ouverture" in tab.locator("main").inner_text()
    finally:
        context.close()


# Shown only once a script has run; without one they must stay hidden.
NEEDS_SCRIPT = "[data-live-root], .live-qa-live, #live-connection, .countdown-clock"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", PAGE_TYPES.keys())
def test_every_page_type_works_without_javascript(
    browser, sample_host_url: str, kind: str, lang: str
) -> None:
    """With JavaScript off, each page type shows its heading and content, its links lead
    somewhere that answers, and nothing that needs a script is shown."""
    context = browser.new_context(java_script_enabled=False, locale=LOCALES[lang])
    try:
        tab = context.new_page()
        response = tab.goto(sample_host_url + PAGE_TYPES[kind].format(lang=lang))
        assert response is not None
        assert response.status == (404 if kind == "not-found" else 200)
        heading = tab.locator("main h1")
        assert heading.count() == 1 and heading.is_visible()
        assert heading.inner_text().strip()
        assert len(tab.locator("main").inner_text().split()) >= 5
        shown = [
            element.evaluate("e => e.outerHTML.slice(0, 80)")
            for element in tab.locator(NEEDS_SCRIPT).all()
            if element.is_visible()
        ]
        assert shown == []
        # Buttons that are not part of a form only work through a script.
        idle = tab.locator("button:not(form button):visible")
        assert idle.count() == 0, idle.first.evaluate("e => e.outerHTML")
        # SVG links (the plan) give no string `href`: resolve the attribute as a browser does.
        hrefs = tab.locator("a[href]").evaluate_all(
            "links => links.map(a => new URL(a.getAttribute('href'), document.baseURI).href)"
        )
        assert hrefs, "no link on the page"
        origin = urlsplit(sample_host_url).netloc
        here = tab.url.split("#")[0]
        local = sorted({h.split("#")[0] for h in hrefs if urlsplit(h).netloc == origin} - {here})
        broken = []
        for href in local:
            try:
                with urlopen(href, timeout=10) as answer:
                    answer.read(0)
            except OSError as error:
                broken.append(f"{href}: {error}")
        assert broken == []
    finally:
        context.close()


def test_no_request_leaves_the_origin(page, basic_url: str) -> None:
    """Pages, including one with a YouTube video, load only same-origin resources."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    for path in (
        "/fr/",
        "/fr/rooms/lab/",
        "/fr/rooms/lab/lanterns/",
        "/fr/rooms/lab/maps/",
        "/fr/agenda/",
    ):
        page.goto(basic_url + path)
        page.wait_for_load_state("networkidle")
    origin = urlsplit(basic_url).netloc
    foreign = [url for url in requests if urlsplit(url).netloc not in (origin, "")]
    assert requests and foreign == []


def test_video_embed_loads_only_after_a_click(page, basic_url: str) -> None:
    """The YouTube placeholder becomes a privacy-friendly iframe on click, not before."""
    page.goto(basic_url + "/en/rooms/lab/maps/")
    assert page.locator("iframe").count() == 0
    page.route("**/*youtube-nocookie.com/**", lambda route: route.fulfill(body="video"))
    page.locator("main button").first.click()
    frame = page.locator("iframe")
    frame.wait_for(state="attached")
    assert "youtube-nocookie.com/embed/dQw4w9WgXcQ" in frame.get_attribute("src")


def test_two_visitors_see_each_other_and_a_departure(browser, basic_url: str) -> None:
    """Two browsers in one room list each other within a second; one leaving is seen."""
    url = basic_url + "/en/rooms/lab/"
    first_context, first = visitor(browser, url, "Ada")
    second_context, second = visitor(browser, url, "Grace")
    try:
        first.locator("#live-visitors .live-name", has_text="Grace").wait_for(timeout=1000)
        second.locator("#live-visitors .live-name", has_text="Ada").wait_for(timeout=1000)
        first.locator("#presence-count[data-count='2']").wait_for(timeout=4000)
        second_context.close()
        first.locator("#live-visitors .live-name", has_text="Grace").wait_for(
            state="detached", timeout=1000
        )
        assert first.locator("#live-visitors .live-name").all_inner_texts() == ["Ada"]
    finally:
        first_context.close()


def test_a_visitor_without_pseudonym_sees_the_name_the_others_see(browser, basic_url: str) -> None:
    """The default name comes from the server: one word, one number, in the list and the form."""
    anonymous_context, anonymous = visitor(browser, basic_url + "/en/rooms/lab/", "")
    watcher_context, watcher = visitor(browser, basic_url + "/en/rooms/lab/", "Ada")
    try:
        own = anonymous.locator("#live-visitors .live-visitor-own .live-name").inner_text()
        assert own != "Visitor 7"  # the stored number is only a stand-in until the server answers
        watcher.locator("#live-visitors .live-name", has_text=own).wait_for(timeout=1000)
        assert anonymous.locator("#live-name").get_attribute("placeholder") == own
        assert own in (anonymous.locator("#live-name-hint").text_content() or "")
    finally:
        watcher_context.close()
        anonymous_context.close()


def test_opening_an_exhibit_moves_the_avatar(browser, basic_url: str) -> None:
    """A visitor opening an exhibit shows, to the others, at that exhibit's panel."""
    watcher_context, watcher = visitor(browser, basic_url + "/en/rooms/lab/", "Ada")
    mover_context, _mover = visitor(browser, basic_url + "/en/rooms/lab/lanterns/", "Grace")
    try:
        panel = watcher.locator(".live-at-exhibit[data-live-exhibit=lanterns]")
        panel.locator("[title*=Grace]").wait_for(timeout=1000)
        assert panel.locator("[title*=Grace]").count() == 1
        # The "Here now" row links to the exhibit, built from the page's URL layout.
        place = watcher.locator("#live-visitors .live-place a").first
        assert place.get_attribute("href") == "/en/rooms/lab/lanterns/"
    finally:
        mover_context.close()
        watcher_context.close()


def test_pages_load_every_resource_they_ask_for(page, basic_url: str) -> None:
    """No stylesheet, script, image or icon a page asks for answers with an error."""
    failures: list[str] = []
    page.on(
        "response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None
    )
    for path in ("/fr/", "/en/rooms/lab/", "/en/rooms/lab/lanterns/", "/en/agenda/"):
        page.goto(basic_url + path)
        page.wait_for_load_state("networkidle")
    assert failures == []


def test_a_room_page_comes_back_after_a_server_restart(browser) -> None:
    """A page says it is offline while the server is down and re-enters its room once back."""
    server = GalleryServer(BASIC)
    server.start()
    context = None
    try:
        context, tab = visitor(browser, server.url + "/en/rooms/lab/", "Ada")
        own = tab.locator("#live-visitors .live-visitor-own")
        own.locator(".live-name", has_text="Ada").wait_for()
        before = own.get_attribute("data-visitor-id")
        server.kill()
        tab.locator("#live-connection .live-offline").wait_for()
        tab.wait_for_selector("html[data-live-state=offline]")
        server.start()  # the same port, a fresh process that knows nobody
        tab.wait_for_selector("html[data-live-state=entered]", timeout=20000)
        tab.locator("#live-connection .live-offline").wait_for(state="detached")
        again = tab.locator(f"#live-visitors .live-visitor-own:not([data-visitor-id='{before}'])")
        again.locator(".live-name", has_text="Ada").wait_for()
        assert tab.locator("#live-visitors .live-visitor-own").count() == 1
        with urlopen(server.url + "/api/presence.json") as response:
            assert json.load(response)["rooms"]["lab"] == 1
    finally:
        if context is not None:
            context.close()
        server.kill()
