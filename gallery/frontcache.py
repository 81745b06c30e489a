"""Cached pages answered in front of Flask, byte for byte as Flask answered them.

Why it exists: a page rendered once per content version still cost ~90 µs of Flask
per request (request context, session, routing, response object, header hooks), about
two thirds of the server's time under load, for a response that is the same for every
visitor. This WSGI layer keeps the first response Flask produced for such a page (status
line, header list, body) in the snapshot's memo and replays it for the next GET or HEAD
of the same path, so a reload of the room files drops it with the snapshot.

What a replayed response may depend on is in its key or its checks:
- the path (`PATH_INFO`); requests with a query string always go to Flask;
- the content coding the request's Accept-Encoding picks (`gallery.compression.negotiate`,
  the very call `render_page` makes): Brotli, gzip and plain answers are kept apart, each
  with its own ETag, and Flask's `Vary: Accept-Encoding` goes along;
- the programme phase the page was rendered in (`gallery.site.programme_phase`): in
  another phase (a session started or ended, the host changed something) Flask renders
  the page again, so a page never keeps saying "next" once the session is live;
- the Host header and URL scheme, because the CSP names the socket's host;
- If-None-Match / If-Modified-Since, decided with the same call `render_page` makes,
  replaying Flask's own 304 for that page and host once it has answered one.
Only responses that `render_page` offered (`offer`: a 200 page with no per-visitor slot)
are kept, and only when Flask's final answer is a 200 or 304 with no Set-Cookie and no
Vary header but Accept-Encoding (which the key covers), and only when Flask picked the
coding of the key. An `after_request` hook that adds a per-request header must set Vary or
stop pages from being offered. Entries are bounded: a few hosts, a fixed total.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from datetime import datetime
from typing import Any

from werkzeug.http import is_resource_modified

from .compression import negotiate
from .site import Site

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
Captured = tuple[str, tuple[tuple[str, str], ...], bytes]

# The Host header is the client's to choose: only this many get entries per snapshot.
MAX_HOSTS = 8
MAX_ENTRIES = 1024

MARK = "gallery.frontcache"
STORE = ("frontcache",)
UNSHAREABLE = frozenset({"set-cookie", "vary"})
# The one Vary a kept answer may carry: the key holds the coding it varies by.
KEYED_VARY = frozenset({"accept-encoding"})
Key = tuple[str, str, str, str | None]


class Entry:
    """The replayable responses of one cached page for one path, host and scheme."""

    __slots__ = ("etag", "modified", "not_modified", "ok", "page", "page_key", "phase")

    def __init__(
        self, page_key: Hashable, page: object, etag: str, modified: datetime, phase: Hashable
    ) -> None:
        self.page_key = page_key
        self.page = page
        self.etag = etag
        self.modified = modified
        self.phase = phase
        self.ok: Captured | None = None
        self.not_modified: Captured | None = None


class Store:
    """The entries of one snapshot and the hosts they were made for."""

    __slots__ = ("entries", "hosts")

    def __init__(self) -> None:
        self.entries: dict[Key, Entry] = {}
        self.hosts: set[str] = set()


def offer(
    environ: dict[str, Any],
    page_key: Hashable,
    page: object,
    etag: str,
    modified: datetime,
    phase: Hashable = None,
    coding: str | None = None,
) -> None:
    """Tell the front layer this request's page is the same for every visitor of this host
    whose request picks `coding`, as long as the programme stays in `phase`."""
    # A list shared by reference: Socket.IO's middleware hands Flask a copy of the environ.
    holder = environ.get(MARK)
    if holder is not None:
        holder[:] = [page_key, page, etag, modified, phase, coding]


class FrontCache:
    """WSGI middleware replaying cached page responses; everything else goes to `app`."""

    def __init__(
        self, app: WSGIApp, site: Site, phase: Callable[[], Hashable] = lambda: None
    ) -> None:
        self.app = app
        self.site = site
        self.phase = phase

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        """Answer from the cache when possible, else call the app and maybe keep its answer."""
        method = environ["REQUEST_METHOD"]
        host = environ.get("HTTP_HOST")
        if method not in ("GET", "HEAD") or host is None or environ.get("QUERY_STRING"):
            return self.app(environ, start_response)
        coding = negotiate(environ.get("HTTP_ACCEPT_ENCODING"))
        key = (environ.get("PATH_INFO", ""), host, environ["wsgi.url_scheme"], coding)
        snapshot = self.site.snapshot
        store = snapshot.peek(STORE)
        entry = store.entries.get(key) if store is not None else None
        # The page may have been forgotten and rendered again since: then its entry is stale.
        if (
            entry is not None
            and snapshot.peek(entry.page_key) is entry.page
            and entry.phase == self.phase()
        ):
            captured = entry.ok
            if ("HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ) and (
                not is_resource_modified(environ, entry.etag, last_modified=entry.modified)
            ):
                captured = entry.not_modified
            if captured is not None:
                status, headers, body = captured
                start_response(status, list(headers))
                return [body] if method == "GET" and body else []
        return self._capture(environ, start_response, key)

    def _capture(
        self, environ: dict[str, Any], start_response: Callable[..., Any], key: Key
    ) -> Any:
        """Call the app; keep its response when it is a shareable page answer to a GET."""
        seen: list[Any] = []
        mark: list[Any] = []
        environ[MARK] = mark

        def capturing_start_response(status: str, headers: list, exc_info: Any = None) -> Any:
            seen[:] = [status, tuple(headers)]
            return start_response(status, headers, exc_info)

        iterable = self.app(environ, capturing_start_response)
        if not mark or environ["REQUEST_METHOD"] != "GET" or not seen:
            return iterable
        status, headers = seen
        if status[:3] not in ("200", "304") or not _shareable(headers) or mark[5] != key[3]:
            return iterable
        try:
            body = b"".join(iterable)
        finally:
            close = getattr(iterable, "close", None)
            if close is not None:
                close()
        self._keep(key, mark, (status, headers, body))
        return [body]

    def _keep(self, key: Key, mark: list[Any], captured: Captured) -> None:
        """Store a captured response, unless its page left the cache or the bounds are reached."""
        page_key, page, etag, modified, phase, _coding = mark
        snapshot = self.site.snapshot
        if snapshot.peek(page_key) is not page:  # reloaded while this request ran
            return
        store = snapshot.memo(STORE, Store)
        entry = store.entries.get(key)
        if entry is None or entry.page is not page:
            host = key[1]
            full = len(store.entries) >= MAX_ENTRIES and entry is None
            if full or (host not in store.hosts and len(store.hosts) >= MAX_HOSTS):
                return
            store.hosts.add(host)
            entry = store.entries[key] = Entry(page_key, page, etag, modified, phase)
        if captured[0].startswith("304"):
            entry.not_modified = captured
        else:
            entry.ok = captured


def _shareable(headers: tuple[tuple[str, str], ...]) -> bool:
    """Tell whether an answer with these headers is the same for everyone its key covers."""
    for name, value in headers:
        lowered = name.lower()
        if lowered == "vary":
            if {part.strip().lower() for part in value.split(",")} - KEYED_VARY:
                return False
        elif lowered in UNSHAREABLE:
            return False
    return True


def install(app: Any) -> None:
    """Put the front cache in front of `app`'s WSGI callable (and any middleware already there)."""
    from .site import programme_phase

    site = app.extensions["gallery.site"]
    stage = app.extensions["gallery.stage"]
    clock = app.extensions["gallery.clock"]
    app.wsgi_app = FrontCache(app.wsgi_app, site, lambda: programme_phase(site, stage, clock))
