"""Fixtures for the browser tests: a real gallery server and Debian's Chromium."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .servers import free_port, wait_for_http

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"


def serve(directory: Path) -> Iterator[str]:
    """Run `gallery serve` on `directory` as visitors get it, yielding its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gallery",
            "serve",
            str(directory),
            "--port",
            str(port),
            "--no-reload",
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/healthz", process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """A headless Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Iterator:
    """A fresh browser page in its own context (own storage), French first."""
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def polled_page(browser) -> Iterator:
    """A page `wait_for_function` can poll: Playwright polls with eval, which our CSP forbids."""
    context = browser.new_context(locale="fr-FR", bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def audit_page(browser) -> Iterator:
    """A page whose CSP lets the test inject axe-core; visitors' pages keep theirs."""
    context = browser.new_context(locale="fr-FR", bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


# The screen sizes pages are checked at: a laptop, and a phone held upright.
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1440, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 3,
        "is_mobile": True,
        "has_touch": True,
    },
}
LOCALES = {"fr": "fr-FR", "en": "en-GB"}


def audit_context(browser, size: str = "desktop", lang: str = "fr", **options):
    """A new browser context at one of `VIEWPORTS`, whose CSP lets the test inject axe-core."""
    return browser.new_context(
        locale=LOCALES.get(lang, lang), bypass_csp=True, **VIEWPORTS[size], **options
    )


def visitor(browser, url: str, name: str, **context_options):
    """Open `url` as a new visitor with a stored pseudonym, once its `enter` is acknowledged;
    return its context (close it to make the visitor leave) and its page."""
    context = browser.new_context(locale="en-GB", **context_options)
    context.add_init_script(
        "localStorage.setItem('gallery.live.identity',"
        f" JSON.stringify({{name: {name!r}, number: 7, invisible: false}}))"
    )
    tab = context.new_page()
    tab.goto(url)
    tab.wait_for_selector("html[data-live-state=entered]")
    return context, tab


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page for WCAG 2.1 A/AA and return its violations."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"""
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
    ]
