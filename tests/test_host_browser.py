"""The host console in Chromium: axe finds nothing, the keyboard reaches every control, and
forms post in the background with their outcome in the status region."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from .browser import axe_violations
from .conftest import SAMPLE
from .host_helpers import PASSWORD, host_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def host_url(tmp_path_factory) -> Iterator[str]:
    yield from host_server(SAMPLE, tmp_path_factory.mktemp("data"))


def _log_in(tab, url: str, password: str = PASSWORD) -> None:
    tab.goto(url + "/host/login")
    tab.fill("#password", password)
    tab.click("button[type=submit]")


def test_axe_finds_no_violation_on_the_login_form(audit_page, host_url: str) -> None:
    audit_page.goto(host_url + "/host/login")
    assert axe_violations(audit_page) == []
    _log_in(audit_page, host_url, "wrong")
    assert audit_page.locator("#password-error").is_visible()
    assert axe_violations(audit_page) == []


def test_axe_finds_no_violation_on_the_console(audit_page, host_url: str) -> None:
    _log_in(audit_page, host_url)
    audit_page.wait_for_url(host_url + "/host/")
    audit_page.wait_for_load_state("networkidle")
    assert axe_violations(audit_page) == []


def test_the_password_field_takes_focus_after_an_error(page, host_url: str) -> None:
    _log_in(page, host_url, "wrong")
    # The answer is a new page: wait for it rather than read the old page's focus.
    page.locator("#password-error").wait_for()
    assert page.evaluate("document.activeElement.id") == "password"
    assert page.title().startswith("Error:")


def test_a_form_posts_in_the_background_and_says_what_happened(polled_page, host_url: str) -> None:
    page = polled_page
    _log_in(page, host_url)
    page.wait_for_url(host_url + "/host/")
    page.wait_for_function("window.galleryHost !== undefined")
    page.fill("#announce-text", "Pitches start in five minutes")
    page.click("text=Send announcement")
    # The login's message is there already: wait for the answer to this form.
    message = page.locator(
        "#host-status .host-message", has_text=re.compile("Announcement sent|not running")
    )
    message.wait_for()
    assert page.url == host_url + "/host/"  # no navigation: the script posted the form
    text = message.inner_text()
    assert text == "Announcement sent." or "not running" in text
