"""The live Q&A in Chromium: a question asked on the stage reaches another visitor, who
votes for it (the button says it is pressed); a host's announcement is heard on every page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from .conftest import BASIC
from .host_helpers import PASSWORD, host_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def qa_url(tmp_path_factory) -> Iterator[str]:
    """A real server on the fixture exhibition, with a host password and its own data."""
    yield from host_server(BASIC, tmp_path_factory.mktemp("data"))


def logged_in_host(context, url: str):
    """Open a page in `context` and log it in to the host console."""
    page = context.new_page()
    page.goto(url + "/host/login")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/host/**")
    return page


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
        host = logged_in_host(host_context, qa_url)
        host.fill("#announce-text", "Panel in five minutes")
        host.click("#announce button[type=submit]")
        announcement = voter.wait_for_selector("#live-announcement .live-announcement-text")
        assert announcement.text_content() == "Panel in five minutes"
        assert voter.get_attribute("#live-announcement", "aria-live") == "polite"
    finally:
        for context in (asker_context, voter_context, host_context):
            context.close()


def test_a_host_starts_a_tour_from_a_room_and_a_visitor_follows(browser, qa_url: str) -> None:
    host_context = browser.new_context(locale="en-GB")
    visitor_context = browser.new_context(locale="en-GB")
    try:
        visitor = visitor_context.new_page()
        visitor.goto(qa_url + "/en/rooms/lab/")
        visitor.wait_for_selector("html[data-live-state=entered]")
        host = logged_in_host(host_context, qa_url)
        host.goto(qa_url + "/en/rooms/hall/")
        host.wait_for_selector("html[data-live-state=entered]")
        lead = host.locator("#live-tour-lead")
        expect(lead).to_have_text("Start a guided tour")
        expect(lead).to_have_attribute("aria-pressed", "false")
        # The visitor entered too (the state above): their page has no such button.
        expect(visitor.locator("#live-tour-lead")).to_have_count(0)

        lead.click()
        expect(lead).to_have_attribute("aria-pressed", "true")
        expect(lead).to_have_text("End the guided tour")
        expect(visitor.locator("#live-tour .live-tour-text")).to_have_text(
            "A host is giving a guided tour, now in Entrance hall."
        )
        visitor.check("#live-tour-follow")
        visitor.wait_for_url("**/en/rooms/hall/")
        visitor.wait_for_selector("html[data-live-state=entered]")
        expect(visitor.locator("#live-tour-lead")).to_have_count(0)

        lead.click()
        expect(lead).to_have_attribute("aria-pressed", "false")
        expect(lead).to_have_text("Start a guided tour")
    finally:
        for context in (host_context, visitor_context):
            context.close()
