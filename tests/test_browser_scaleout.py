"""In a browser, live parts on a server sharing Redis: degraded while Redis is away, whole after."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.request import urlopen

import pytest

from .conftest import BASIC
from .redisserver import RedisServer
from .servers import GalleryServer

pytestmark = pytest.mark.browser


def test_a_page_says_live_parts_are_degraded_while_redis_is_away(browser, tmp_path: Path) -> None:
    """Redis stopped: the page loads, says live updates paused; Redis back: the visitor enters."""
    redis = RedisServer()
    redis.start()
    server = GalleryServer(
        BASIC,
        env={
            "GALLERY_REDIS_URL": redis.url,
            "GALLERY_DATA_DIR": str(tmp_path / "data"),
            "GALLERY_HEARTBEAT_INTERVAL": "0.5",
        },
        log=tmp_path / "server.log",
    )
    server.start()
    context = browser.new_context(locale="en-GB")
    try:
        context.add_init_script(
            "localStorage.setItem('gallery.live.identity',"
            " JSON.stringify({name: 'Ada', number: 7, invisible: false}))"
        )
        tab = context.new_page()
        redis.stop()
        response = tab.goto(server.url + "/en/rooms/lab/")
        assert response is not None and response.status == 200
        tab.wait_for_selector("html[data-live-state=degraded]")
        notice = tab.locator("#live-connection .live-degraded")
        assert notice.inner_text() == "Live updates paused — resuming shortly…"
        redis.start()
        tab.wait_for_selector("html[data-live-state=entered]", timeout=20000)
        tab.locator("#live-connection .live-online").wait_for()
        own = tab.locator("#live-visitors .live-visitor-own")
        own.locator(".live-name", has_text="Ada").wait_for()
        with urlopen(server.url + "/api/presence.json") as answer:
            assert json.load(answer)["rooms"]["lab"] == 1
    finally:
        context.close()
        server.kill()
        redis.close()
