"""The live Q&A in Chromium: a question asked on the stage reaches another visitor, who
votes for it (the button says it is pressed); a host's announcement is heard on every page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .conftest import BASIC
from .host_helpers import PASSWORD, host_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def qa_url(tmp_path_factory) -> Iterator[str]:
    """A real server on the fixture exhibition, with a host password and its own data."""
    yield from host_server(BASIC, tmp_path_factory.mktemp("data"))


def test_ask_vote_and_hear_an_announcement(browser, qa_url: str) -> None:
    asker_context = browser.new_context(locale="en-GB")
    voter_context = browser.new_context(locale="en-GB")
    host_context = browser.new_context(locale="en-GB")
    try:
        asker, voter = asker_context.new_page(), voter_context.new_page()
        for tab in (asker, voter):
            tab.goto(qa_url + "/en/rooms/stage/")
            tab.wait_for_selector("html[data-live-state=entered]")
        asker.fill("#live-qa-input", "  How did it   go? ")
        asker.click("#live-qa-form button[type=submit]")
        asker.wait_for_selector("#live-qa-status:has-text('Question sent.')")
        item = voter.wait_for_selector("#live-qa-list li.live-qa-item")
        assert item.query_selector(".live-qa-text").text_content() == "How did it go?"
        vote = voter.locator("#live-qa-list button.live-qa-vote").first
        assert vote.get_attribute("aria-pressed") == "false"
        vote.click()
        voter.wait_for_selector("button.live-qa-vote[aria-pressed=true]")
        asker.wait_for_selector("#live-qa-list .live-qa-votes:has-text('1 vote')")
        voter.click("#live-applaud")
        asker.wait_for_selector("#live-applause-count:has-text('1 clap')")
        asker.wait_for_selector("#live-applause-status:has-text('1 clap')", timeout=10000)

        # A host's announcement, sent from the console, reaches a page in another room.
        voter.goto(qa_url + "/en/rooms/lab/")
        voter.wait_for_selector("html[data-live-state=entered]")
        host = host_context.new_page()
        host.goto(qa_url + "/host/login")
        host.fill("#password", PASSWORD)
        host.click("button[type=submit]")
        host.wait_for_url("**/host/**")
        host.fill("#announce-text", "Panel in five minutes")
        host.click("#announce button[type=submit]")
        announcement = voter.wait_for_selector("#live-announcement .live-announcement-text")
        assert announcement.text_content() == "Panel in five minutes"
        assert voter.get_attribute("#live-announcement", "aria-live") == "polite"
    finally:
        for context in (asker_context, voter_context, host_context):
            context.close()
