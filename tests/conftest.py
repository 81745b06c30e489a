"""Shared fixtures: the app on a fixture exhibition, its clients and the CLI runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from gallery import create_app
from gallery.extensions import socketio

# One Chromium for the whole session, whichever browser test modules run.
from .browser import audit_page, browser, page, polled_page  # noqa: F401

HERE = Path(__file__).resolve().parent
EXHIBITIONS = HERE / "exhibitions"
BASIC = EXHIBITIONS / "basic"
SAMPLE = HERE.parent / "rooms"

pytest_plugins = ["tests.records_fixtures"]


def pytest_addoption(parser: pytest.Parser) -> None:
    """The soak test's length and crowd: bounded in CI, longer on demand."""
    group = parser.getgroup("soak", "the soak test (tests/test_soak.py)")
    group.addoption("--soak-seconds", type=float, default=90.0, help="how long the crowd acts")
    group.addoption("--soak-visitors", type=int, default=2000, help="how many visitors come")


@pytest.fixture(scope="session", autouse=True)
def _data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Keep every app, server and command the tests start out of the user's data folder."""
    folder = tmp_path_factory.mktemp("data")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GALLERY_DATA_DIR", str(folder))
        patch.delenv("GALLERY_DATABASE_URL", raising=False)
        yield folder


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    """The gallery app serving the small bilingual fixture exhibition, its data in tmp_path."""
    return create_app(
        {"TESTING": True, "ROOMS": str(BASIC), "SECRET_KEY": "test", "DATA_DIR": str(tmp_path)}
    )


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
    """Make more Socket.IO test clients, each its own visitor; all disconnect at the end.

    Options (such as `auth`) go to `test_client`.
    """
    made = []

    def make(**options: Any):
        sio = socketio.test_client(app, flask_test_client=app.test_client(), **options)
        made.append(sio)
        return sio

    yield make
    for sio in made:
        if sio.is_connected():
            sio.disconnect()
