"""Two real `gallery serve` processes on one Redis and one PostgreSQL, started by the tests.

Visitors on either server see each other come, move and go within a second; a question
asked on one is listed by the other; a server killed with SIGKILL loses its visitors from
the survivor's presence within 15 s; Redis stopped and started again leaves the pages
served all along and presence whole again.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import BASIC
from .postgres import PostgresServer
from .redisserver import RedisServer
from .servers import GalleryServer
from .wsclient import RawClient

SECOND = 1.0  # how soon a visitor on one server sees a change made on the other


def start_pair(
    tmp_path: Path,
    redis_url: str,
    database: str,
    env: dict[str, str] | None = None,
    names: tuple[str, ...] = ("one", "two"),
) -> list[GalleryServer]:
    """Start servers (two by default) sharing `redis_url` and `database`, each logging to
    tmp_path, with `env` added to their environment."""
    servers = []
    for name in names:
        server = GalleryServer(
            BASIC,
            env={
                "GALLERY_REDIS_URL": redis_url,
                "GALLERY_DATABASE_URL": database,
                "GALLERY_DATA_DIR": str(tmp_path / name),
                # Quicker than in production, so that the tests wait less for a death.
                "GALLERY_HEARTBEAT_INTERVAL": "0.5",
                "GALLERY_HEARTBEAT_TIMEOUT": "3",
                **(env or {}),
            },
            log=tmp_path / f"{name}.log",
        )
        servers.append(server)
        server.start()
    return servers


@pytest.fixture
def pair(tmp_path: Path, redis_url: str, postgres: PostgresServer) -> Iterator[list[GalleryServer]]:
    """Two servers on the session's Redis (emptied) and an empty PostgreSQL database."""
    servers = start_pair(tmp_path, redis_url, postgres.empty_database())
    yield servers
    for server in servers:
        server.kill()


def visitor(server: GalleryServer, room: str, name: str, **extra: Any) -> tuple[RawClient, dict]:
    """Connect to `server`, enter `room` as `name`; return the client and its ack."""
    client = RawClient(server.port)
    ack = client.ack(client.emit("enter", {"room": room, "name": name, **extra}))
    assert ack["ok"] is True, ack
    return client, ack


def presence(client: RawClient, test, timeout: float = SECOND) -> dict:
    """Return the first `presence` event `test` accepts within `timeout` seconds."""
    _name, data = client.event(lambda name, data: name == "presence" and test(data), timeout)
    return data


def get_json(url: str) -> Any:
    """Return the JSON `url` answers with."""
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def test_visitors_on_two_servers_see_each_other_come_move_and_go(
    pair: list[GalleryServer],
) -> None:
    one, two = pair
    ada, _ = visitor(one, "lab", "Ada")
    bob, ack = visitor(two, "lab", "Bob")
    assert [v["name"] for v in ack["visitors"]] == ["Ada", "Bob"]
    assert ack["count"] == 2
    assert ack["colour"] != ack["visitors"][0]["colour"]  # one palette for the room, everywhere
    bob_id = ack["id"]
    joined = presence(ada, lambda d: any(v["id"] == bob_id for v in d["joined"]))
    assert joined["count"] == 2
    bob.ack(bob.emit("enter", {"room": "lab", "exhibit": "maps"}))
    moved = presence(ada, lambda d: d["moved"])
    assert moved["moved"] == [{"id": bob_id, "exhibit": "maps", "colour": ack["colour"]}]
    bob.close()
    left = presence(ada, lambda d: d["left"])
    assert (left["left"], left["count"]) == ([bob_id], 1)
    for server in pair:
        counts = get_json(server.url + "/api/presence.json")
        assert (counts["rooms"]["lab"], counts["total"]) == (1, 1)
    ada.close()


def test_chat_reaches_the_room_on_every_server_and_its_history_is_shared(
    pair: list[GalleryServer],
) -> None:
    one, two = pair
    ada, _ = visitor(one, "hall", "Ada")
    dee, _ = visitor(one, "hall", "Dee")
    bob, _ = visitor(two, "hall", "Bob")
    assert ada.ack(ada.emit("chat", {"text": "Hello from one"})) == {"ok": True}
    assert ada.ack(ada.emit("chat", {"text": "Second"})) == {"ok": True}
    # Exactly once on each server: at once on the sender's, through Redis on the other.
    for client in (dee, bob):
        texts = []
        for _ in range(2):
            _name, data = client.event(lambda name, data: name == "chat", SECOND)
            texts.append((data["name"], data["text"]))
        assert texts == [("Ada", "Hello from one"), ("Ada", "Second")]
        with pytest.raises(TimeoutError):
            client.event(lambda name, data: name == "chat", 0.5)
    cy, ack = visitor(two, "hall", "Cy")
    assert [m["text"] for m in ack["chat"]] == ["Hello from one", "Second"]
    for client in (ada, bob, cy, dee):
        client.close()


def test_a_question_asked_on_one_server_is_listed_by_the_other_and_claps_add_up(
    pair: list[GalleryServer],
) -> None:
    one, two = pair
    listener, _ = visitor(two, "stage", "Lin")
    asker, _ = visitor(one, "stage", "Ada")
    ack = asker.ack(asker.emit("ask", {"session": "opening", "text": "Across servers?"}))
    assert ack["ok"] is True, ack
    _name, event = listener.event(lambda name, data: name == "questions", SECOND)
    assert [q["text"] for q in event["items"]] == ["Across servers?"]
    listed = get_json(two.url + "/api/sessions/opening/questions.json")["items"]
    assert [q["id"] for q in listed] == [ack["id"]]
    # Claps are counted by both servers together.
    assert asker.ack(asker.emit("applaud", {"session": "opening"})) == {"ok": True, "count": 1}
    assert listener.ack(listener.emit("applaud", {"session": "opening"})) == {
        "ok": True,
        "count": 2,
    }
    listener.close()
    asker.close()


def test_a_killed_servers_visitors_vanish_from_the_survivors_presence(
    pair: list[GalleryServer],
) -> None:
    one, two = pair
    ada, _ = visitor(one, "hall", "Ada")
    gone = [visitor(two, "hall", f"Gone {i}")[0] for i in range(3)]
    presence(ada, lambda d: d["count"] == 4, timeout=5)
    killed_at = time.monotonic()
    two.kill()  # SIGKILL: no goodbye from its sockets
    left = presence(ada, lambda d: d["count"] == 1, timeout=15)
    assert len(left["left"]) == 3
    assert time.monotonic() - killed_at < 15
    assert get_json(one.url + "/api/presence.json")["total"] == 1
    for client in [ada, *gone]:
        client.close()


def test_redis_stopped_then_started_again_pages_stay_and_presence_recovers(
    tmp_path: Path, postgres: PostgresServer
) -> None:
    redis = RedisServer()
    redis.start()
    servers = start_pair(tmp_path, redis.url, postgres.empty_database())
    clients: list[RawClient] = []
    try:
        one, two = servers
        ada, _ = visitor(one, "hall", "Ada")
        bob, _ = visitor(two, "hall", "Bob")
        clients += [ada, bob]
        presence(ada, lambda d: d["count"] == 2, timeout=5)
        redis.stop()
        for server in servers:
            for path in ("/", "/en/", "/en/rooms/lab/", "/en/rooms/lab/maps/"):
                with urllib.request.urlopen(server.url + path, timeout=10) as response:
                    assert response.status == 200
        # The live parts say they are degraded.
        cy = RawClient(one.port)
        clients.append(cy)
        assert cy.ack(cy.emit("enter", {"room": "hall", "name": "Cy"})) == {
            "ok": False,
            "error": "unavailable",
        }
        with pytest.raises(urllib.error.HTTPError) as refused:
            get_json(one.url + "/api/presence.json")
        assert refused.value.code == 503
        redis.start()  # empty: Redis kept nothing
        deadline = time.monotonic() + 15
        while True:
            # The heartbeats find Redis back and enter each server's visitors again.
            ack = cy.ack(cy.emit("enter", {"room": "hall", "name": "Cy"}))
            if ack["ok"] and ack["count"] == 3:
                break
            assert time.monotonic() < deadline, ack
            time.sleep(0.5)  # polling: the recovery sends no event to the newcomer
        assert sorted(v["name"] for v in ack["visitors"]) == ["Ada", "Bob", "Cy"]
        # Bob's page hears of Cy, and counts three once both servers have recovered.
        seen: set[str] = set()

        def cy_among_three(data: dict) -> bool:
            seen.update(v["name"] for v in data["joined"])
            return "Cy" in seen and data["count"] == 3

        presence(bob, cy_among_three, 5)
    finally:
        for client in clients:
            client.close()
        for server in servers:
            server.kill()
        redis.close()
