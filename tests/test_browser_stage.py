"""Browser tests of the Demo Day stage under a rehearsal clock: countdown, live swap, axe."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from .browser import axe_violations
from .conftest import SAMPLE
from .servers import GalleryServer

pytestmark = pytest.mark.browser

STAGE = "/fr/rooms/demo-day/"


def rehearsal(moment: str, data_dir: str) -> GalleryServer:
    """A server on the sample exhibition whose clock starts at `moment`."""
    return GalleryServer(SAMPLE, env={"GALLERY_CLOCK": moment, "GALLERY_DATA_DIR": data_dir})


@pytest.fixture(
    scope="module",
    params=["13:30", "14:05", "14:35", "17:00"],
    ids=["before", "live", "live-unstreamed", "after"],
)
def stage_server(request, tmp_path_factory) -> Iterator[tuple[str, str]]:
    """The sample served at one moment of Demo Day: before, during and after the opening, and
    during the round table, which has no stream."""
    server = rehearsal(f"2021-06-17T{request.param}+02:00", str(tmp_path_factory.mktemp("data")))
    server.start()
    try:
        yield request.node.callspec.id if hasattr(request.node, "callspec") else "", server.url
    finally:
        server.kill()


def test_axe_finds_no_violation_on_the_stage(audit_page, stage_server) -> None:
    """The stage page passes axe-core before, during and after a session."""
    _state, url = stage_server
    audit_page.goto(url + STAGE)
    audit_page.wait_for_load_state("networkidle")
    assert axe_violations(audit_page) == []


def test_axe_finds_no_violation_on_the_agenda_with_marks(audit_page, stage_server) -> None:
    """The agenda with its past, live and next marks passes axe-core."""
    _state, url = stage_server
    audit_page.goto(url + "/en/agenda/")
    audit_page.wait_for_load_state("networkidle")
    assert axe_violations(audit_page) == []


def test_the_countdown_runs_on_the_rehearsal_clock_then_the_stage_goes_live(
    page,
    tmp_path,
) -> None:
    """Twenty seconds before the opening: a countdown, then the live stage and the banner."""
    server = rehearsal("2021-06-17T13:59:40+02:00", str(tmp_path))
    server.start()
    try:
        page.goto(server.url + STAGE)
        countdown = page.locator("#stage-now .countdown")
        clock = countdown.locator(".countdown-clock")
        clock.wait_for(state="visible")
        first = int(countdown.get_attribute("data-seconds-left"))
        assert 0 < first <= 20
        assert clock.inner_text().startswith("00:")
        # The digits are for the eyes; one sentence, not a ticking live region, for the ears.
        assert clock.get_attribute("aria-hidden") == "true"
        assert countdown.locator(".countdown-text").text_content() == "Commence dans 1 minute"
        assert page.locator(".countdown[aria-live], [aria-live] .countdown").count() == 0
        assert page.locator("[role=status] .countdown").count() == 0
        expect(countdown).not_to_have_attribute("data-seconds-left", str(first))
        assert int(countdown.get_attribute("data-seconds-left")) < first
        assert page.locator(".live-banner").count() == 0
        # At 14:00 the stage swaps to the live session without a reload.
        page.locator("#stage-now .on-air").wait_for(timeout=40000)
        page.locator("#stage-banner .live-banner").wait_for()
        assert page.locator("#stage-banner").get_attribute("role") == "status"
        assert "Ouverture du Demo Day" in page.locator("#stage-banner").inner_text()
        assert page.locator("#stage-programme .is-live .status-chip").inner_text() == "EN DIRECT"
    finally:
        server.kill()
