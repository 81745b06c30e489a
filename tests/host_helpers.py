"""Helpers for the host console tests: an app with a password, CSRF tokens, logging in."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from gallery import create_app

from .conftest import BASIC
from .servers import GalleryServer

PASSWORD = "correct horse battery staple"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def host_app(**config: Any) -> Flask:
    """Return the test app with the host password set (override with `config`)."""
    settings: dict[str, Any] = {
        "TESTING": True,
        "ROOMS": str(BASIC),
        "SECRET_KEY": "test",
        "HOST_PASSWORD": PASSWORD,
    }
    settings.update(config)
    return create_app(settings)


def csrf(client: FlaskClient, url: str = "/host/login", **kwargs: Any) -> str:
    """Return the CSRF token of the form on page `url`."""
    response = client.get(url, **kwargs)
    found = TOKEN.search(response.get_data(as_text=True))
    assert found, f"no CSRF field on {url} ({response.status_code})"
    return found.group(1)


def log_in(client: FlaskClient, password: str = PASSWORD, **kwargs: Any) -> Any:
    """Post the login form with a fresh token; return the response."""
    token = csrf(client, **kwargs)
    return client.post("/host/login", data={"csrf_token": token, "password": password}, **kwargs)


def host_cookie(client: FlaskClient, app: Flask) -> str | None:
    """Return the value of the client's host session cookie, if any."""
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    return cookie.value if cookie else None


def host_server(rooms: Path, data: Path) -> Iterator[str]:
    """Run a real server on `rooms` with the host password, its own secret key and `data` for
    data folder; yield its URL, and stop it when resumed (for module-scoped fixtures)."""
    env = {
        "GALLERY_HOST_PASSWORD": PASSWORD,
        "GALLERY_DATA_DIR": str(data),
        "GALLERY_SECRET_KEY": os.urandom(16).hex(),
    }
    server = GalleryServer(rooms, env=env)
    server.start()
    try:
        yield server.url
    finally:
        server.kill()
