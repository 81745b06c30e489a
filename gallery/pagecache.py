"""Pages rendered once per content version and programme phase, with per-visitor includes
filled per request.

A page's HTML is kept in the snapshot's cache; includes that may vary per visitor are left
as slot markers (`slot("live/room.html")` in a template) and rendered on every request.

Every page may show the programme (the "now live" banner, the stage, the agenda), so a
cached page also belongs to one programme phase (`gallery.site.programme_phase`: the host's
state version and which session boundary was passed last). A request in another phase
renders the page again and replaces it; the front cache checks the phase the same way.

A cached page also keeps its Brotli and gzip forms (`gallery.compression.Forms`), each
compressed on the first request that accepts it, with its own ETag.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Hashable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, request
from jinja2 import TemplateNotFound, meta, nodes
from markupsafe import Markup, escape
from werkzeug.http import http_date, is_resource_modified, quote_etag

from . import frontcache
from .compression import Forms, requested_coding
from .site import (
    Snapshot,
    current_clock,
    current_site,
    current_stage,
    current_state,
    programme_phase,
    programme_since,
)
from .templating import PAGE_VERSION
from .theme import theme_version

# Includes that may hold per-visitor data: rendered on every request, outside the cached HTML,
# unless they use none of PER_REQUEST_NAMES (then they are cached with the page).
SLOT = re.compile(r"<!--slot:([a-z0-9_/.-]+)-->")
PER_REQUEST_NAMES = frozenset({"request", "session", "g", "csrf_token", "get_flashed_messages"})


def _slot(name: str) -> Markup:
    """Leave a marker that `render_page` replaces, per request, with template `name`."""
    return Markup(f"<!--slot:{escape(name)}-->")


def init_app(app: Flask) -> None:
    """Give templates the `slot()` global."""
    app.jinja_env.globals["slot"] = _slot


class CachedPage:
    """Rendered HTML for one page and content version, with what is needed to finish it."""

    __slots__ = ("_forms", "context", "html", "phase", "since", "slots", "template")

    def __init__(
        self,
        html: str,
        template: str,
        context: dict[str, Any],
        phase: Hashable = None,
        since: datetime | None = None,
    ) -> None:
        self.html = html
        self.template = template
        self.context = context
        self.phase = phase
        # When the phase began, in real time: the page changes with it, the files unchanged.
        self.since = since
        self.slots = tuple(dict.fromkeys(SLOT.findall(html)))
        self._forms: Forms | None = None

    @property
    def forms(self) -> Forms:
        """The bytes sent with their ETag, and their compressed forms, made once per page
        and coding, on first use (an archive's pages are written without them)."""
        if self._forms is None:
            body = self.html.encode()
            self._forms = Forms(body, hashlib.blake2b(body, digest_size=10).hexdigest())
        return self._forms

    @property
    def etag(self) -> str:
        """The ETag of the page as sent without its per-request slots."""
        return self.forms.etag


def _last_modified(snapshot: Snapshot) -> datetime:
    """Return when the room files last changed, computed once per content version."""
    return snapshot.memo(("last-modified",), lambda: _newest_file(snapshot.exhibition.root))


def _newest_file(root: Path) -> datetime:
    """Return the modification time of the newest file under `root`, to the second."""
    newest = 0.0
    for path in root.rglob("*"):
        try:
            newest = max(newest, path.stat().st_mtime)
        except OSError:
            continue
    return datetime.fromtimestamp(int(newest), UTC)


def _slot_template(name: str) -> Any:
    """Return the slot's template, or None when nobody provides it or it is live and the
    gallery is not open (pages are cached per phase, and opening hours are phase bounds)."""
    if name.startswith("live/") and current_state() != "open":
        return None
    env = current_app.jinja_env
    try:
        return env.get_template(name)
    except TemplateNotFound:
        return None


def slot_is_static(name: str) -> bool:
    """Tell whether a slot template uses no per-visitor name, so it can be cached with the page."""
    memo: dict[str, bool] = current_app.extensions.setdefault("gallery.static-slots", {})
    if name not in memo:
        memo[name] = _only_page_data(name, {name})
    return memo[name]


def _only_page_data(name: str, seen: set[str]) -> bool:
    """Check a template and the templates it includes for names that vary per visitor."""
    env = current_app.jinja_env
    try:
        source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
    except TemplateNotFound:
        return True
    tree = env.parse(source)
    # Every name the template reads (meta.find_undeclared_variables hides Flask's globals).
    names = {node.name for node in tree.find_all(nodes.Name) if node.ctx == "load"}
    if names & PER_REQUEST_NAMES:
        return False
    for child in meta.find_referenced_templates(tree):
        if child is None:  # a computed name: cannot tell, so render per request
            return False
        if child not in seen:
            seen.add(child)
            if not _only_page_data(child, seen):
                return False
    return True


def _render_slots(html: str, context: dict[str, Any], names: tuple[str, ...]) -> str:
    """Replace the markers of `names` in `html` with those templates rendered in `context`."""
    for name in names:
        template = _slot_template(name)
        rendered = ""
        if template is not None:
            full = dict(context)
            current_app.update_template_context(full)
            rendered = template.render(full)
        html = html.replace(f"<!--slot:{name}-->", rendered)
    return html


def stamp_version(html: str, version: str | None = None) -> str:
    """Write into a preview page the hash of what it shows (default: of its HTML), for the
    preview script to compare with the page the server would send now."""
    if PAGE_VERSION not in html:
        return html
    if version is None:
        version = hashlib.blake2b(html.encode(), digest_size=10).hexdigest()
    return html.replace(PAGE_VERSION, version)


def render_fresh(template: str, context: dict[str, Any], status: int = 200) -> Response:
    """Render a page whose data changes by the minute on every request; never cached."""
    snapshot = current_site().snapshot
    base = {"exhibition": snapshot.exhibition, "theme_version": theme_version(snapshot)}
    context = base | context
    html = current_app.jinja_env.get_template(template).render(_base_context(context))
    html = _render_slots(html, context, tuple(dict.fromkeys(SLOT.findall(html))))
    # Its data changes by the minute: the preview reloads it for new room files only.
    version = hashlib.blake2b(f"{template}:{snapshot.version}".encode(), digest_size=10)
    html = stamp_version(html, version.hexdigest())
    headers = [("Cache-Control", "no-store")]
    if context.get("lang"):
        headers.append(("Content-Language", context["lang"]))
    return Response(html, status=status, headers=headers, mimetype="text/html")


def _fill_slots(page: CachedPage) -> Forms:
    """Render the per-request includes into the page; return its bytes with their ETag."""
    if not page.slots:
        return page.forms
    body = _render_slots(page.html, page.context, page.slots).encode()
    # The ETag must change when a per-request part does.
    return Forms(body, hashlib.blake2b(body, digest_size=10).hexdigest())


def render_page(
    template: str,
    key: Hashable,
    build: Callable[[], dict[str, Any]],
    status: int = 200,
    vary_language: bool = False,
) -> Response:
    """Render `template` with `build()` once per content version, then serve it from the cache.

    The cached HTML must not depend on the visitor: per-visitor parts go in slots.
    """
    site, stage, clock = current_site(), current_stage(), current_clock()
    snapshot = site.snapshot
    if current_app.config["ARCHIVE"]:
        # An archive build asks for each page once: kept, thousands of pages would fill
        # memory; written to files, they need no ETag, dates or compression here, nor the
        # programme's phase, which only keys the cache.
        page = _render(template, build, snapshot, None, None)
        html = _render_slots(page.html, page.context, page.slots) if page.slots else page.html
        lang = page.context.get("lang")
        headers = [("Content-Language", lang)] if lang else []
        # Its form is chosen (as it is): the compressing hook leaves it alone at once.
        headers.append(("Vary", "Accept-Encoding"))
        return Response(html, status=status, headers=headers, mimetype="text/html")
    phase = programme_phase(site, stage, clock)
    cache_key = ("page", template, key)
    page = snapshot.peek(cache_key)
    if page is not None and page.phase != phase:
        snapshot.forget(cache_key)

    def fresh() -> CachedPage:
        return _render(template, build, snapshot, phase, programme_since(site, stage, clock))

    page = snapshot.memo(cache_key, fresh)
    coding = requested_coding()
    body, etag, used = _fill_slots(page).get(coding)
    headers = [("Content-Language", page.context["lang"])] if page.context.get("lang") else []
    vary = ["Accept-Encoding", "Accept-Language"] if vary_language else ["Accept-Encoding"]
    headers.append(("Vary", ", ".join(vary)))
    if status == 200:
        modified = _last_modified(snapshot)
        if page.since is not None:
            modified = max(modified, page.since)
        if not page.slots:
            frontcache.offer(request.environ, cache_key, page, etag, modified, page.phase, coding)
        # Revalidate every time: room files may change at any moment.
        headers += [
            ("ETag", quote_etag(etag)),
            ("Last-Modified", http_date(modified)),
            ("Cache-Control", "no-cache"),
        ]
        environ = request.environ
        conditional = "HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ
        if conditional and not is_resource_modified(environ, etag, last_modified=modified):
            return Response(status=304, headers=headers)
    if used:
        headers.append(("Content-Encoding", used))
    return Response(body, status=status, headers=headers, mimetype="text/html")


def _render(
    template: str,
    build: Callable[[], dict[str, Any]],
    snapshot: Snapshot,
    phase: Hashable,
    since: datetime | None,
) -> CachedPage:
    """Render a page with everything but its per-visitor slots, for one programme phase."""
    context = build()
    context.setdefault("exhibition", snapshot.exhibition)
    context.setdefault("theme_version", theme_version(snapshot))
    html = current_app.jinja_env.get_template(template).render(_base_context(context))
    static = tuple(n for n in dict.fromkeys(SLOT.findall(html)) if slot_is_static(n))
    html = stamp_version(_render_slots(html, context, static))
    return CachedPage(html, template, context, phase, since)


def _base_context(context: dict[str, Any]) -> dict[str, Any]:
    """Return the context with Flask's defaults added, without touching the stored copy."""
    full = dict(context)
    current_app.update_template_context(full)
    return full
