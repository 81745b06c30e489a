"""Browser tests of the people in the place: the lobby as a place, colours, arrivals, names."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .browser import serve
from .conftest import BASIC

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def basic_url() -> Iterator[str]:
    """A real server on the small fixture exhibition."""
    yield from serve(BASIC)


def visitor(browser, url: str, name: str, **context_options):
    """Open `url` as a new visitor with a stored pseudonym, once its `enter` is acknowledged."""
    context = browser.new_context(locale="en-GB", **context_options)
    context.add_init_script(
        "localStorage.setItem('gallery.live.identity',"
        f" JSON.stringify({{name: {name!r}, number: 7, invisible: false}}))"
    )
    tab = context.new_page()
    tab.goto(url)
    tab.wait_for_selector("html[data-live-state=entered]")
    return context, tab


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
