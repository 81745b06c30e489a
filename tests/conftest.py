"""Shared fixtures: the app on a fixture exhibition, its clients and the CLI runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from gallery import create_app
from gallery.extensions import socketio

HERE = Path(__file__).resolve().parent
EXHIBITIONS = HERE / "exhibitions"
BASIC = EXHIBITIONS / "basic"
SAMPLE = HERE.parent / "rooms"


@pytest.fixture
def app() -> Flask:
    """The gallery app serving the small bilingual fixture exhibition."""
    return create_app({"TESTING": True, "ROOMS": str(BASIC), "SECRET_KEY": "test"})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """An HTTP test client for the app."""
    return app.test_client()


@pytest.fixture
def runner() -> CliRunner:
    """A runner for the `gallery` command line."""
    return CliRunner()


@pytest.fixture
def socket_client(app: Flask, client: FlaskClient) -> Iterator:
    """A Socket.IO test client sharing the HTTP client's cookies."""
    sio = socketio.test_client(app, flask_test_client=client)
    yield sio
    if sio.is_connected():
        sio.disconnect()


@pytest.fixture
def socket_factory(app: Flask) -> Iterator:
    """Make more Socket.IO test clients, each its own visitor; all disconnect at the end."""
    made = []

    def make():
        sio = socketio.test_client(app, flask_test_client=app.test_client())
        made.append(sio)
        return sio

    yield make
    for sio in made:
        if sio.is_connected():
            sio.disconnect()
