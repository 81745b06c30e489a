"""The organiser's preview (`gallery serve --reload`): open pages learn when the room files
change and what errors they hold, over the Socket.IO connection every page already has.

Socket.IO rather than Server-Sent Events: an EventSource would hold one of the browser's
six HTTP/1.1 connections to the gallery for as long as its tab is open, so a seventh preview
tab would wait forever for its page; the pages' WebSocket counts against no such limit, and
reconnects by itself after a restart of the server.

A production server (`--no-reload`) registers none of this: its pages load no preview script
and a `preview` event gets the `unknown event` refusal like any other unknown name.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from flask import Flask

from .presence import Connection
from .presence.frames import NAMESPACE

if TYPE_CHECKING:
    from .content import Diagnostic
    from .presence.wire import Delivery
    from .site import Site
    from .sockets import Handlers

EXTENSION = "gallery.preview"
# Problems sent to the pages at most: the server's output holds them all.
SHOWN = 50
# Longest offending line sent; the rest is cut.
LINE_MAX = 300


def _cut(line: str) -> str | None:
    """Return a source line fit to send, or None when there is none."""
    if not line:
        return None
    return line if len(line) <= LINE_MAX else line[:LINE_MAX] + "…"


def problem(diagnostic: Diagnostic, root: str) -> dict[str, Any]:
    """Return an error as the pages show it: file under the exhibition, line, column, message,
    hint and the offending line of the file."""
    return {
        "file": os.path.relpath(diagnostic.path, root),
        "line": diagnostic.line,
        "column": diagnostic.column,
        "message": diagnostic.message,
        "hint": diagnostic.hint or None,
        "source": _cut(diagnostic.source),
    }


class Preview:
    """What preview pages are told: the content version served and the errors of the files."""

    def __init__(self, site: Site, delivery: Delivery) -> None:
        self.site = site
        self.delivery = delivery

    def state(self) -> dict[str, Any]:
        """Return {version, problems, more, kept}: the snapshot served, the errors (at most
        SHOWN, `more` counting the rest) and the rooms kept in their last good version."""
        site = self.site
        errors = [d for d in site.diagnostics if d.severity == "error"]
        root = str(site.root)
        return {
            "version": site.snapshot.version,
            "problems": [problem(d, root) for d in errors[:SHOWN]],
            "more": max(0, len(errors) - SHOWN),
            "kept": list(site.kept),
        }

    def announce(self) -> None:
        """Tell every open page, after a reload of the room files, what is served now."""
        self.delivery.everyone("preview", self.state())

    def ask(self, _connection: Connection, _payload: Any) -> dict[str, Any]:
        """A preview page (re)connects and asks where things stand; ack {ok, version, problems,
        more, kept}. Nothing is broadcast; after each reload everyone gets `preview` alike."""
        return {"ok": True, **self.state()}


def init_app(app: Flask, handlers: Handlers) -> None:
    """Register the `preview` event when the app reloads its room files (never in an archive),
    and nothing otherwise."""
    if not app.config["RELOAD"] or app.config["ARCHIVE"]:
        return
    preview = app.extensions[EXTENSION] = Preview(handlers.site, handlers.delivery)
    handlers.server.on("preview", handlers.guarded(preview.ask), namespace=NAMESPACE)
