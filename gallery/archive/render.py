"""Pages asked of the app without an HTTP client: a build renders thousands of them.

A `Renderer` hands Flask's own request handling (routing, hooks, views, error handlers) the
request a test client would send, built once and copied per page, and reads the answer
straight from it. What it skips is the client around it (building the request, wrapping
the answer) and the WSGI middleware outside Flask, which only add headers or answer the
socket's URLs: a page's bytes are the same as over HTTP.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from flask import Flask
from flask.testing import EnvironBuilder
from werkzeug.datastructures import Headers
from werkzeug.urls import iri_to_uri


@dataclass(frozen=True)
class Answer:
    """What the app answered for one path: status code, headers and body."""

    status: int
    headers: Headers
    body: bytes

    def text(self) -> str:
        """Return the body as text (pages are UTF-8)."""
        return self.body.decode("utf-8")


class Renderer:
    """Ask the app for pages by path, as a test client would, at a fraction of the cost."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        # The test client's own request, so that the app sees the same one.
        client = app.test_client()
        builder = EnvironBuilder(app, "/", environ_base=client._copy_environ({}))
        try:
            self.base = builder.get_environ()
        finally:
            builder.close()

    def get(self, path: str) -> Answer:
        """Answer a GET of `path` (no query) through the app's request handling."""
        environ = dict(self.base)
        # As the test client puts a path in the request: non-ASCII quoted, then unquoted
        # again as WSGI's latin-1 string.
        environ["PATH_INFO"] = _wsgi(unquote(iri_to_uri(path)))
        environ["REQUEST_URI"] = environ["RAW_URI"] = _wsgi(path)
        environ["wsgi.input"] = io.BytesIO()
        started: list[Any] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info=None) -> Any:
            started[:] = [int(status.split(" ", 1)[0]), Headers(headers)]
            return lambda data: None

        # Flask's handling without the middleware wrapped around it (`app.wsgi_app`).
        body = Flask.wsgi_app(self.app, environ, start_response)
        try:
            data = b"".join(body)
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()
        status, headers = started
        return Answer(status, headers, data)


def _wsgi(text: str) -> str:
    """Return `text` as a WSGI environ string: its UTF-8 bytes read as latin-1."""
    return text.encode("utf-8").decode("latin-1")
