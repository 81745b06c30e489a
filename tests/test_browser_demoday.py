"""A live Demo Day end to end, in Chromium: a host at the console and two visitors on the stage.

The host sets the opening live, announces, marks a question answered and ends the session;
the visitors see the banner, hear the announcement in the polite live region, ask and vote,
see the question answered, then the replay. Every step is awaited, none slept.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from .conftest import SAMPLE
from .host_helpers import PASSWORD
from .servers import GalleryServer

pytestmark = pytest.mark.browser

STAGE = "/fr/rooms/demo-day/"
SESSION = "opening"
TITLE = "Ouverture du Demo Day"
# Ten minutes before the opening: long enough for the whole test to run before its times
# would put it live, so that only the host's decisions move the stage.
MOMENT = "2021-06-17T13:50+02:00"


@pytest.fixture
def server(tmp_path) -> Iterator[GalleryServer]:
    """The sample under a rehearsal clock, with a host password and its data in tmp_path."""
    env = {
        "GALLERY_CLOCK": MOMENT,
        "GALLERY_HOST_PASSWORD": PASSWORD,
        "GALLERY_SECRET_KEY": os.urandom(16).hex(),
        "GALLERY_DATA_DIR": str(tmp_path),
    }
    server = GalleryServer(SAMPLE, env=env)
    server.start()
    try:
        yield server
    finally:
        server.kill()


def _tab(browser, locale: str = "fr-FR"):
    """A page in a context of its own: its own cookies and storage, so its own visitor.

    bypass_csp lets Playwright poll `wait_for_function`, which it does with eval."""
    return browser.new_context(locale=locale, bypass_csp=True).new_page()


def _session_form(host, state: str):
    """The console's button that sets the opening `state` ("live" or "ended")."""
    form = host.locator(f"form[action='/host/sessions/{SESSION}/state']")
    return form.locator(f"button[value={state}]")


def test_a_host_and_two_visitors_go_through_a_live_session(browser, server) -> None:
    url = server.url
    host, alice, bob = _tab(browser, "en-GB"), _tab(browser), _tab(browser)
    try:
        host.goto(url + "/host/login")
        host.fill("#password", PASSWORD)
        host.click("button[type=submit]")
        host.wait_for_url(url + "/host/")
        host.wait_for_function("window.galleryHost !== undefined")

        for visitor in (alice, bob):
            visitor.goto(url + STAGE)
            # Before the session: what comes next, no banner, the Q&A of the opening.
            expect(visitor.locator("#stage-now .up-next-title")).to_have_text(TITLE)
            expect(visitor.locator(".live-banner")).to_have_count(0)
            expect(visitor.locator("#live-qa-form")).to_be_visible()
            visitor.wait_for_function("window.galleryLive?.socket?.connected === true")

        # The host sets the session live: both stages swap to it, the banner appears.
        _session_form(host, "live").click()
        expect(host.locator("#host-status")).to_contain_text("“Demo Day opening” is live.")
        for visitor in (alice, bob):
            banner = visitor.locator("#stage-banner")
            expect(banner.locator(".live-banner")).to_be_visible()
            expect(banner).to_contain_text(TITLE)
            expect(banner).to_have_attribute("role", "status")
            expect(visitor.locator("#stage-now .on-air #on-air-title")).to_have_text(TITLE)

        # An announcement reaches both visitors in a polite live region.
        announcement = "Les questions sont ouvertes : posez-les sous la scène."
        host.fill("#announce-text", announcement)
        host.get_by_role("button", name="Send announcement").click()
        expect(host.locator("#host-status")).to_contain_text("Announcement sent.")
        for visitor in (alice, bob):
            region = visitor.locator("#live-announcement")
            expect(region).to_have_attribute("aria-live", "polite")
            expect(region.locator(".live-announcement-text")).to_have_text(announcement)

        # Alice asks; Bob sees the question and votes; Alice sees the vote counted.
        question = "Comment les EIG ont-ils gardé le lien avec les agents ?"
        alice.fill("#live-qa-input", question)
        alice.locator("#live-qa-form button[type=submit]").click()
        expect(alice.locator("#live-qa-status")).to_have_text("Question envoyée.")
        bobs = bob.locator("#live-qa-list li.live-qa-item", has_text=question)
        expect(bobs).to_have_count(1)
        expect(bobs.locator(".live-qa-votes")).to_contain_text("0")
        bobs.locator("button.live-qa-vote").click()
        expect(bobs.locator("button.live-qa-vote")).to_have_attribute("aria-pressed", "true")
        alices = alice.locator("#live-qa-list li.live-qa-item", has_text=question)
        expect(alices.locator(".live-qa-votes")).to_have_text(re.compile(r"\b1 vote\b"))

        # The host finds it in the console, most votes first, and marks it answered.
        host.goto(url + "/host/")
        row = host.locator("#questions-list tr.host-question", has_text=question)
        expect(row.locator(".host-votes")).to_have_text("1")
        row.locator("button[value=answered]").click()
        expect(host.locator("#host-status")).to_contain_text("Question marked answered.")
        for visitor in (alice, bob):
            item = visitor.locator("#live-qa-list li.live-qa-item", has_text=question)
            expect(item).to_have_class(re.compile(r"\blive-qa-answered\b"))
            expect(item.locator(".live-qa-meta")).to_contain_text("répondue")

        # The host ends the session: the banner goes, the stage plays its replay.
        _session_form(host, "ended").click()
        expect(host.locator("#host-status")).to_contain_text("“Demo Day opening” has ended.")
        for visitor in (alice, bob):
            expect(visitor.locator("#stage-now .on-air-replay #on-air-title")).to_have_text(TITLE)
            expect(visitor.locator("#stage-now .on-air-replay video source")).to_have_attribute(
                "src", re.compile(r"atlas-culture\.mp4(\?v=[0-9a-f]+)?$")
            )
            expect(visitor.locator(".live-banner")).to_have_count(0)
    finally:
        for tab in (host, alice, bob):
            tab.context.close()
