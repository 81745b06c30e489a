"""The hosts' decisions on several servers: whichever server a host acts on, visitors on
every server hear it, and a page loaded on any server, one started later too, shows it.

Two (or three) real `gallery serve` processes on one Redis and one PostgreSQL, as in
tests/test_scaleout.py, with a host password and one secret key for all.
"""

from __future__ import annotations

import base64
import http.cookiejar
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .host_helpers import PASSWORD
from .postgres import PostgresServer
from .servers import GalleryServer
from .test_scaleout import SECOND, get_json, start_pair, visitor
from .wsclient import RawClient

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class Host:
    """A host signed in on one server's console, acting through its forms."""

    def __init__(self, server: GalleryServer) -> None:
        self.server = server
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.post("/host/login", {"password": PASSWORD}, token_from="/host/login")

    def post(self, path: str, form: dict[str, str], token_from: str = "/host/") -> dict:
        """Post a console form with a fresh CSRF token; return the JSON answer."""
        with self.opener.open(self.server.url + token_from, timeout=10) as response:
            found = TOKEN.search(response.read().decode())
        assert found, f"no CSRF field on {token_from}"
        data = urllib.parse.urlencode({"csrf_token": found.group(1), **form}).encode()
        request = urllib.request.Request(
            self.server.url + path, data=data, headers={"Accept": "application/json"}
        )
        with self.opener.open(request, timeout=10) as response:
            if path in ("/host/login", "/host/logout"):
                return {}  # answered with a page
            return json.load(response)

    def cookie(self) -> str:
        """Return the Cookie header that names this host, for a socket."""
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)

    def socket(self, server: GalleryServer | None = None) -> RawClient:
        """Return a socket of this host to `server` (its own by default)."""
        return RawClient((server or self.server).port, cookie=self.cookie())


@pytest.fixture
def env() -> dict[str, str]:
    """The settings every server of the test shares: the host password and the secret key."""
    return {"GALLERY_HOST_PASSWORD": PASSWORD, "GALLERY_SECRET_KEY": os.urandom(16).hex()}


@pytest.fixture
def database(postgres: PostgresServer) -> str:
    """An empty PostgreSQL database for the test's servers."""
    return postgres.empty_database()


@pytest.fixture
def pair(
    tmp_path: Path, redis_url: str, database: str, env: dict[str, str]
) -> Iterator[list[GalleryServer]]:
    """Two servers on the session's Redis (emptied) and an empty database, hosts welcome."""
    servers = start_pair(tmp_path, redis_url, database, env)
    yield servers
    for server in servers:
        server.kill()


def stage(server: GalleryServer) -> dict[str, Any]:
    """Return the programme as `server` tells it: {spotlight, sessions: {id: (phase, by_host)}}."""
    data = get_json(server.url + "/api/stage.json")
    return {
        "spotlight": data["spotlight"],
        "sessions": {s["id"]: (s["phase"], s["by_host"]) for s in data["sessions"]},
        "version": data["version"],
    }


def live_on_agenda(server: GalleryServer) -> int:
    """Return how many sessions the agenda page `server` serves marks as live now."""
    with urllib.request.urlopen(server.url + "/en/agenda/", timeout=10) as response:
        return response.read().decode().count('class="session is-live"')


def test_a_decision_on_one_server_is_the_stage_of_every_server_and_of_one_started_later(
    tmp_path: Path, pair: list[GalleryServer], redis_url: str, database: str, env: dict
) -> None:
    one, two = pair
    watcher, _ = visitor(two, "hall", "Lin")
    assert live_on_agenda(two) == 0  # read once: cached on that server per programme state
    host = Host(one)
    assert host.post("/host/sessions/opening/state", {"state": "live"})["ok"] is True
    # The visitor on the other server hears it, and that server's pages say it from then on.
    watcher.event(lambda name, data: name == "live" and data["session"] == "opening", SECOND)
    assert stage(two)["sessions"]["opening"] == ("live", True)
    assert live_on_agenda(two) == 1
    assert host.post("/host/spotlight", {"exhibit": "lab/maps"})["ok"] is True
    watcher.event(lambda name, data: name == "spotlight", SECOND)
    assert stage(two)["spotlight"] == "lab/maps"
    # Each server counts versions alike, so that pages cached per version change on both.
    assert stage(one)["version"] == stage(two)["version"]
    # Ended on the other server: the later decision holds on both.
    near, _ = visitor(one, "hall", "Ada")
    other = Host(two)
    assert other.post("/host/sessions/opening/state", {"state": "ended"})["ok"] is True
    assert stage(two)["sessions"]["opening"] == ("past", True)
    near.event(lambda name, data: name == "live" and data["state"] == "ended", SECOND)
    assert stage(one)["sessions"]["opening"] == ("past", True)
    # A server started afterwards knows it all, the spotlight too.
    (three,) = start_pair(tmp_path, redis_url, database, env, names=("three",))
    try:
        assert stage(three)["sessions"]["opening"] == ("past", True)
        assert stage(three)["spotlight"] == "lab/maps"
        assert stage(three)["version"] == stage(one)["version"]
    finally:
        three.kill()
    watcher.close()
    near.close()


def test_a_host_mutes_a_visitor_connected_to_the_other_server(pair: list[GalleryServer]) -> None:
    one, two = pair
    host = Host(one).socket()
    token = {"token": base64.urlsafe_b64encode(os.urandom(16)).decode().rstrip("=")}
    loud = RawClient(two.port, auth=token)
    ack = loud.ack(loud.emit("enter", {"room": "stage", "name": "Loud"}))
    assert ack["ok"] is True, ack
    muted = host.ack(host.emit("mute", {"visitor": ack["id"], "minutes": 5}))
    assert muted["ok"] is True, muted
    # Refused at once on the visitor's server, and on the other one after a reconnect.
    assert loud.ack(loud.emit("chat", {"text": "Hello?"})) == {"ok": False, "error": "muted"}
    asked = loud.ack(loud.emit("ask", {"session": "opening", "text": "Why?"}))
    assert asked == {"ok": False, "error": "muted"}
    loud.close()
    again = RawClient(one.port, auth=token)
    assert again.ack(again.emit("enter", {"room": "stage", "name": "Loud"}))["ok"] is True
    assert again.ack(again.emit("chat", {"text": "Hi"})) == {"ok": False, "error": "muted"}
    # A visitor who is nowhere is refused as before.
    gone = host.ack(host.emit("mute", {"visitor": "nobody", "minutes": 5}))
    assert gone == {"ok": False, "error": "unknown visitor"}
    again.close()
    host.close()


def tour(client: RawClient, test, timeout: float = SECOND) -> dict:
    """Return the first `tour` event `test` accepts within `timeout` seconds."""
    _name, data = client.event(lambda name, data: name == "tour" and test(data), timeout)
    return data


def test_a_tour_led_from_one_server_follows_the_guide_onto_the_other_and_stops_everywhere(
    pair: list[GalleryServer],
) -> None:
    one, two = pair
    host = Host(one)
    near, _ = visitor(one, "stage", "Ada")
    far, _ = visitor(two, "stage", "Bob")
    guide = host.socket()
    assert guide.ack(guide.emit("enter", {"room": "hall", "name": "Guide"}))["ok"] is True
    assert guide.ack(guide.emit("tour", {"state": "start"})) == {"ok": True, "room": "hall"}
    for client in (near, far):
        assert tour(client, lambda d: True) == {"touring": True, "room": "hall"}
    # The guide walks on: the next page's socket lands on the other server.
    guide.close()
    guide = host.socket(two)
    assert guide.ack(guide.emit("enter", {"room": "lab", "name": "Guide"}))["ok"] is True
    for client in (near, far):
        assert tour(client, lambda d: True) == {"touring": True, "room": "lab"}
    # Ended from the first server's console: the tour stops on both and says nothing more.
    assert host.post("/host/tour/stop", {})["ok"] is True
    for client in (near, far):
        assert tour(client, lambda d: True) == {"touring": False, "room": None}
    assert guide.ack(guide.emit("enter", {"room": "hall", "name": "Guide"}))["ok"] is True
    for client in (near, far):
        with pytest.raises(TimeoutError):
            tour(client, lambda d: True, 0.5)
    for client in (near, far, guide):
        client.close()


def test_a_server_started_mid_tour_leads_it_on_when_the_guide_walks_onto_it(
    tmp_path: Path, pair: list[GalleryServer], redis_url: str, database: str, env: dict
) -> None:
    one, _two = pair
    host = Host(one)
    guide = host.socket()
    assert guide.ack(guide.emit("enter", {"room": "hall", "name": "Guide"}))["ok"] is True
    assert guide.ack(guide.emit("tour", {"state": "start"})) == {"ok": True, "room": "hall"}
    (three,) = start_pair(tmp_path, redis_url, database, env, names=("three",))
    try:
        near, _ = visitor(one, "stage", "Ada")
        late, _ = visitor(three, "stage", "Bob")
        # The guide's next page lands on the server that never heard a `tour` event.
        guide.close()
        guide = host.socket(three)
        assert guide.ack(guide.emit("enter", {"room": "lab", "name": "Guide"}))["ok"] is True
        for client in (near, late):
            assert tour(client, lambda d: True) == {"touring": True, "room": "lab"}
        for client in (near, late, guide):
            client.close()
    finally:
        three.kill()


def test_announcements_and_moderation_on_one_server_reach_visitors_and_pages_of_both(
    pair: list[GalleryServer],
) -> None:
    one, two = pair
    host = Host(one)
    near, _ = visitor(one, "stage", "Ada")
    far, _ = visitor(two, "stage", "Bob")
    assert host.post("/host/announce", {"text": "Doors close at six"})["ok"] is True
    for client in (near, far):
        _name, said = client.event(lambda name, data: name == "announcement", SECOND)
        assert said["text"] == "Doors close at six"
    kept = far.ack(far.emit("ask", {"session": "opening", "text": "Kept?"}))
    gone = far.ack(far.emit("ask", {"session": "opening", "text": "Rude"}))
    assert host.post(f"/host/questions/{kept['id']}/status", {"status": "answered"})["ok"]
    assert host.post(f"/host/questions/{gone['id']}/status", {"status": "hidden"})["ok"]

    def moderated(data: dict) -> bool:
        return [(q["text"], q["status"]) for q in data["items"]] == [("Kept?", "answered")]

    for client in (near, far):
        client.event(lambda name, data: name == "questions" and moderated(data), SECOND)
    for server in pair:
        assert moderated(get_json(server.url + "/api/sessions/opening/questions.json"))
        with urllib.request.urlopen(server.url + "/en/sessions/opening/questions/") as page:
            html = page.read().decode()
        assert "Kept?" in html and "Rude" not in html
    assert far.ack(far.emit("chat", {"text": "Spam"})) == {"ok": True}
    _name, chat = near.event(lambda name, data: name == "chat", SECOND)
    assert host.post(f"/host/chat/{chat['message']}/hide", {})["ok"] is True
    for client in (near, far):
        _name, hidden = client.event(lambda name, data: name == "chat_hidden", SECOND)
        assert hidden == {"id": chat["message"]}
    for server in pair:
        _client, ack = visitor(server, "stage", "Cy")
        assert [m["text"] for m in ack["chat"]] == []
        _client.close()
    near.close()
    far.close()


def console_status(server: GalleryServer, cookie: str) -> int:
    """Return the status the console of `server` answers a request with `cookie` with."""

    class Keep(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None  # the redirect itself is the answer

    request = urllib.request.Request(server.url + "/host/", headers={"Cookie": cookie})
    try:
        with urllib.request.build_opener(Keep).open(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_host_logged_out_on_one_server_is_no_host_on_the_other(
    pair: list[GalleryServer],
) -> None:
    one, two = pair
    host = Host(one)
    copied = host.cookie()
    assert console_status(two, copied) == 200
    assert host.post("/host/logout", {}, token_from="/host/") == {}
    # A copy of the cookie counts nowhere: not on the console, not on a socket.
    for server in pair:
        assert console_status(server, copied) == 303
        socket = RawClient(server.port, cookie=copied)
        assert socket.ack(socket.emit("tour", {"state": "start"})) == {
            "ok": False,
            "error": "forbidden",
        }
        socket.close()


def login_status(server: GalleryServer, password: str) -> int:
    """Try to log in on `server`'s console with `password`; return the answer's status."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with opener.open(server.url + "/host/login", timeout=10) as response:
        found = TOKEN.search(response.read().decode())
    assert found, "no CSRF field on the login form"
    data = urllib.parse.urlencode({"csrf_token": found.group(1), "password": password})
    try:
        with opener.open(server.url + "/host/login", data.encode(), timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_failed_logins_on_both_servers_lock_the_client_out_of_both(
    pair: list[GalleryServer],
) -> None:
    one, two = pair
    # Five failures (the default limit), spread over the servers as a load balancer would.
    for server in (one, two, one, two, one):
        assert login_status(server, "guess") == 403
    for server in pair:
        assert login_status(server, PASSWORD) == 429
