"""Servers sharing Redis as visitors meet them: in a browser, live parts degraded while Redis
is away and whole after; behind nginx, visitors spread over two servers seeing each other
within a second, and a browser back on the survivor when its server is killed."""

from __future__ import annotations

import json
import ssl
import time
from pathlib import Path
from urllib.request import urlopen

import pytest
import redis

from .browser import visitor
from .conftest import BASIC
from .nginx_helpers import Nginx
from .postgres import PostgresServer
from .redisserver import RedisServer
from .servers import GalleryServer
from .test_scaleout import presence, start_pair
from .test_scaleout import visitor as raw_visitor
from .wsclient import RawClient

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


def test_through_nginx_a_killed_servers_browser_comes_back_on_the_survivor(
    browser, tmp_path: Path, redis_url: str, postgres: PostgresServer
) -> None:
    """nginx in front of two servers on Redis and PostgreSQL: kill -9 the server a browser
    visitor is on; its visitors vanish from the survivor's presence within 15 s, and the
    browser reconnects through nginx by itself and reappears there."""
    one, two = start_pair(tmp_path, redis_url, postgres.empty_database())
    pages = tmp_path / "pages"
    pages.mkdir()  # no page as a file: every page comes from the servers
    nginx = Nginx(tmp_path / "nginx", [one.port, two.port], pages)
    shared = redis.Redis.from_url(redis_url, decode_responses=True)
    watchers: dict[GalleryServer, RawClient] = {}
    context = None
    try:
        nginx.start()
        for server in (one, two):
            watchers[server] = raw_visitor(server, "lab", f"Watcher {server.port}")[0]
        context, tab = visitor(
            browser, nginx.url + "/en/rooms/lab/", "Bea", ignore_https_errors=True
        )

        def holder(name: str) -> tuple[str, str]:
            """Return the visitor id of `name` and the id of the server holding its socket."""
            for visitor_id, raw in shared.hgetall("gallery:v").items():
                record = json.loads(raw)
                if record["n"] == name:
                    return visitor_id, record["s"]
            raise AssertionError(f"{name} is in no room")

        ids = {server: holder(f"Watcher {server.port}")[1] for server in (one, two)}
        victim = one if holder("Bea")[1] == ids[one] else two
        survivor = two if victim is one else one
        watcher = watchers[survivor]
        lost = holder(f"Watcher {victim.port}")[0]
        presence(watcher, lambda d: d["count"] == 3, timeout=5)
        killed_at = time.monotonic()
        victim.kill()  # SIGKILL: no goodbye from its sockets
        # The victim's own watcher vanishes: only the reaper can tell, within 15 s.
        presence(watcher, lambda d: lost in d["left"], timeout=15)
        assert time.monotonic() - killed_at < 15
        # Bea reconnected through nginx, to the survivor, by herself.
        deadline = killed_at + 15
        while holder("Bea")[1] != ids[survivor]:
            assert time.monotonic() < deadline, "the browser never came back"
            time.sleep(0.1)
        tab.wait_for_selector("html[data-live-state=entered]")
        tab.locator("#live-visitors .live-visitor-own .live-name", has_text="Bea").wait_for()
        with urlopen(survivor.url + "/api/presence.json") as answer:
            assert json.load(answer)["rooms"]["lab"] == 2
    finally:
        if context is not None:
            context.close()
        for client in watchers.values():
            client.close()
        shared.close()
        nginx.stop()
        for server in (one, two):
            server.kill()


def test_through_nginx_visitors_on_both_servers_see_each_other_within_a_second(
    tmp_path: Path, redis_url: str, postgres: PostgresServer
) -> None:
    """nginx spreads visitors over two servers on Redis (by address); one on each sees the
    other come, move and go within a second, all through nginx and TLS."""
    one, two = start_pair(tmp_path, redis_url, postgres.empty_database())
    pages = tmp_path / "pages"
    pages.mkdir()
    nginx = Nginx(tmp_path / "nginx", [one.port, two.port], pages)
    shared = redis.Redis.from_url(redis_url, decode_responses=True)
    clients: list[RawClient] = []
    try:
        nginx.start()
        tls = ssl.create_default_context(cafile=str(nginx.cert))
        # Visitors from many loopback addresses, until the hash has put one on the other server.
        ada = bob = None
        for host in range(2, 40):
            client = RawClient(nginx.https, tls=tls, source=f"127.0.0.{host}")
            clients.append(client)
            ack = client.ack(client.emit("enter", {"room": "lab", "name": f"V{host}"}))
            assert ack["ok"] is True, ack
            holder = json.loads(shared.hget("gallery:v", ack["id"]))["s"]
            if ada is None:
                ada, ada_server = client, holder
            elif holder != ada_server:
                bob, bob_id = client, ack["id"]
                break
        assert bob is not None, "nginx sent every visitor to the same server"
        # Each within a second (`presence` waits that long): the join, the move, the leave.
        presence(ada, lambda d: any(v["id"] == bob_id for v in d["joined"]))
        bob.ack(bob.emit("enter", {"room": "lab", "exhibit": "maps"}))
        moved = presence(ada, lambda d: any(m["id"] == bob_id for m in d["moved"]))
        assert [m["exhibit"] for m in moved["moved"] if m["id"] == bob_id] == ["maps"]
        bob.close()
        clients.remove(bob)
        presence(ada, lambda d: bob_id in d["left"])
    finally:
        for client in clients:
            client.close()
        shared.close()
        nginx.stop()
        for server in (one, two):
            server.kill()
