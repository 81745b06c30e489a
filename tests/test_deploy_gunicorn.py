"""gunicorn with the gallery's worker (deploy/gunicorn.conf.py, gallery.wsgi:application)
serves pages and WebSockets, and starts what `gallery serve` starts."""

from __future__ import annotations

import socket
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from gallery.records import SqlRecords

from .conftest import BASIC
from .deploy_helpers import GunicornServer, assert_presence_flows
from .wsclient import RawClient


@pytest.fixture
def gunicorn(tmp_path: Path):
    server = GunicornServer(
        BASIC,
        env={
            "GALLERY_DATA_DIR": str(tmp_path),
            "GALLERY_ATTENDANCE_INTERVAL": "0.2",
            "GALLERY_ATTENDANCE_FLUSH": "0.5",
        },
        log=tmp_path / "gunicorn.log",
    )
    server.start()
    yield server
    server.stop()


def test_gunicorn_serves_pages_and_live_presence(gunicorn: GunicornServer) -> None:
    """A page answers, and two visitors on WebSockets see each other: the ticker runs."""
    import urllib.request

    with urllib.request.urlopen(gunicorn.url + "/fr/rooms/lab/") as response:
        assert response.status == 200
        assert b"data-live-root" in response.read()
    assert_presence_flows(gunicorn.port)


def test_gunicorn_samples_attendance_and_migrates(gunicorn: GunicornServer, tmp_path) -> None:
    """The worker migrated the database and samples attendance, as `gallery serve` does."""
    from gallery.records.tables import exhibit_visits

    visitor = RawClient(gunicorn.port)
    try:
        assert visitor.ack(visitor.emit("enter", {"room": "lab", "exhibit": "lanterns"}))["ok"]
        records = SqlRecords(f"sqlite:///{tmp_path / 'gallery.sqlite3'}")
        deadline = datetime.now(UTC) + timedelta(seconds=20)
        seen: list = []
        # Polling the database: the server writes on its own schedule, with no event to await.
        while datetime.now(UTC) < deadline and not seen:
            with records.engine.connect() as connection:
                seen = list(connection.execute(select(exhibit_visits)))
            time.sleep(0.1)
        assert seen and seen[0].exhibit == "lanterns"
    finally:
        visitor.close()


def test_gunicorn_refuses_another_sites_websocket_before_upgrading(
    gunicorn: GunicornServer,
) -> None:
    """The worker uses the gallery's handler: a foreign Origin gets a 400, never a 101."""
    with socket.create_connection(("127.0.0.1", gunicorn.port), timeout=10) as sock:
        sock.sendall(
            (
                "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
                f"Host: 127.0.0.1:{gunicorn.port}\r\nOrigin: https://elsewhere.example\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        head = sock.recv(4096)
    assert head.startswith(b"HTTP/1.1 400"), head


def test_open_websockets_hold_no_slot_of_the_workers_connections(tmp_path: Path) -> None:
    """Open WebSockets are read by the event loop, not by a handler of gunicorn's pool: a
    worker allowed 4 connections at once holds 12 visitors and still serves pages."""
    import urllib.request

    server = GunicornServer(
        BASIC,
        env={"GALLERY_DATA_DIR": str(tmp_path), "GUNICORN_CMD_ARGS": "--worker-connections 4"},
        log=tmp_path / "gunicorn.log",
    )
    server.start()
    visitors: list[RawClient] = []
    try:
        for n in range(12):
            visitor = RawClient(server.port)
            visitors.append(visitor)
            assert visitor.ack(visitor.emit("enter", {"room": "lab", "name": f"V{n}"}))["ok"]
        with urllib.request.urlopen(server.url + "/fr/rooms/lab/", timeout=10) as response:
            assert response.status == 200
    finally:
        for visitor in visitors:
            visitor.close()
        server.stop()
