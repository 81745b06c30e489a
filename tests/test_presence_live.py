"""The `/api/presence.json` endpoint: live counts of every room, never cached."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient


def test_presence_json_lists_every_room_with_zeros(client: FlaskClient) -> None:
    """`/api/presence.json` lists every room, empty ones included, never cached."""
    response = client.get("/api/presence.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.get_json() == {
        "rooms": {"hall": 0, "lab": 0, "stage": 0},
        "lobby": 0,
        "total": 0,
    }


def test_presence_json_counts_visitors_invisible_ones_included(
    app: Flask, client: FlaskClient, socket_factory: Any
) -> None:
    """Presence JSON counts visitors invisible ones included."""
    a, b, c = socket_factory(), socket_factory(), socket_factory()
    a.emit("enter", {"room": "lab"})
    b.emit("enter", {"room": "lab", "invisible": True})
    c.emit("enter", {"room": "stage"})
    c.emit("enter", {"room": "hall"})
    assert client.get("/api/presence.json").get_json() == {
        "rooms": {"hall": 1, "lab": 2, "stage": 0},
        "lobby": 0,
        "total": 3,
    }
    a.disconnect()
    assert client.get("/api/presence.json").get_json()["rooms"]["lab"] == 1
