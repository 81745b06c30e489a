"""Browser tests of the floor plan: a building in SVG, read as a list, walked by its rooms."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from .browser import axe_violations, serve, visitor
from .conftest import BASIC, SAMPLE

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def basic_url() -> Iterator[str]:
    """A real server on the small fixture exhibition."""
    yield from serve(BASIC)


@pytest.fixture(scope="module")
def sample_url() -> Iterator[str]:
    """A real server on the bundled sample exhibition."""
    yield from serve(SAMPLE)


def test_the_plan_is_an_svg_list_of_rooms_with_their_exhibits_and_doors(
    page, basic_url: str
) -> None:
    """The accessibility tree reads the plan as a list: per room its link, exhibits, doors."""
    page.goto(basic_url + "/fr/")
    plan = page.locator("svg.plan")
    assert plan.locator("a.plan-room-link").count() == 3
    assert plan.locator("[data-plan-room=hall] [data-plan-door]").count() == 2
    assert plan.locator("[data-plan-room=lab] [data-plan-door]").count() == 1
    snapshot = plan.aria_snapshot()
    assert snapshot.startswith('- list "Plan de l’exposition":')
    assert '- link "Laboratoire 2 projets":' in snapshot
    assert "- listitem: Porte vers Laboratoire" in snapshot
    assert "- listitem: Lanternes" in snapshot
    rooms = page.get_by_role("list", name="Plan de l’exposition").get_by_role("link")
    assert rooms.count() == 3


def test_a_click_anywhere_in_a_room_enters_it(page, basic_url: str) -> None:
    """The room's whole shape is the link: a click in its empty corner enters it."""
    # A returning visitor: the first entry's welcome card would take the click.
    page.add_init_script("localStorage.setItem('gallery.live.identity', '{\"welcomed\": true}')")
    page.goto(basic_url + "/en/")
    floor = page.locator("[data-plan-room=lab] .plan-floor")
    box = floor.bounding_box()
    assert box is not None
    with page.expect_navigation():
        page.mouse.click(box["x"] + box["width"] - 8, box["y"] + box["height"] - 8)
    assert urlsplit(page.url).path == "/en/rooms/lab/"


def test_a_room_of_the_plan_shows_a_focus_ring(page, basic_url: str) -> None:
    """Tabbing onto a room draws a ring around it in the focus colour."""
    page.goto(basic_url + "/en/")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('plan-room-link')"):
            break
    else:
        pytest.fail("no room of the plan reached by Tab")
    ring = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineColor]; })()"
    )
    assert ring == ["solid", "rgb(11, 87, 208)"]
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == "/en/rooms/hall/"


def test_the_plan_works_without_javascript(browser, basic_url: str) -> None:
    """Without JavaScript the plan's rooms are plain links."""
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto(basic_url + "/fr/")
        tab.locator("[data-plan-room=stage] .plan-floor").click()
        assert urlsplit(tab.url).path == "/fr/rooms/stage/"
    finally:
        context.close()


@pytest.mark.parametrize("size", [(1440, 900), (390, 844)], ids=["desktop", "phone"])
def test_the_lobby_plan_is_above_the_fold_and_axe_clean(browser, sample_url: str, size) -> None:
    """At desktop size the whole plan shows without scrolling; at both sizes axe finds nothing."""
    width, height = size
    context = browser.new_context(
        locale="fr-FR", bypass_csp=True, viewport={"width": width, "height": height}
    )
    tab = context.new_page()
    try:
        tab.goto(sample_url + "/fr/")
        tab.wait_for_load_state("networkidle")
        box = tab.locator("svg.plan").bounding_box()
        assert box is not None
        if width > 1000:
            assert box["y"] + box["height"] <= height
        else:
            # A map on a phone too: drawn wider than the screen, panned in its frame.
            assert box["width"] > width
            assert tab.evaluate("document.documentElement.scrollWidth") <= width
        assert axe_violations(tab) == []
    finally:
        context.close()


def test_visitors_walk_on_the_lobby_plan_as_dots(browser, basic_url: str) -> None:
    """Two watchers of the plan see a visitor's dot enter a room, move to a stand, then leave."""
    first_context, first = visitor(browser, basic_url + "/en/", "Ada")
    second_context, second = visitor(browser, basic_url + "/en/", "Bob")
    walker_context, walker = visitor(browser, basic_url + "/en/rooms/lab/", "Grace")
    try:
        # The two in the lobby see each other there, each their own dot marked "you".
        for watcher, other in ((first, "Bob"), (second, "Ada")):
            watcher.locator(
                ".plan-dot[data-place='@lobby']", has=watcher.locator("title", has_text=other)
            ).wait_for(state="attached", timeout=3000)
            assert (
                watcher.locator(".plan-dot-own[data-place='@lobby'] text").text_content() == "you"
            )
        for watcher in (first, second):
            dot = watcher.locator(
                ".plan-dots .plan-dot", has=watcher.locator("title", has_text="Grace")
            )
            dot.wait_for(state="attached", timeout=3000)
            watcher.locator(".plan-dot[data-place='lab']").wait_for(state="attached", timeout=3000)
            count = watcher.locator("[data-plan-room=lab] .plan-count")
            assert "1 visitor" in (count.text_content() or "")
        before = first.locator(".plan-dot[data-place='lab']").evaluate("el => el.style.transform")
        walker.goto(basic_url + "/en/rooms/lab/lanterns/")
        for watcher in (first, second):
            watcher.locator(".plan-dot[data-place='lab/lanterns']").wait_for(
                state="attached", timeout=3000
            )
        after = first.locator(".plan-dot[data-place='lab/lanterns']").evaluate(
            "el => el.style.transform"
        )
        assert after != before  # the dot walked to the stand
        walker_context.close()
        for watcher in (first, second):
            # The watchers stand in the lobby themselves: only Grace's dot goes.
            watcher.locator(
                ".plan-dots .plan-dot", has=watcher.locator("title", has_text="Grace")
            ).wait_for(state="detached", timeout=3000)
    finally:
        for context in (first_context, second_context):
            context.close()
