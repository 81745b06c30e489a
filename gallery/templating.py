"""Jinja filters for the model, and page rendering cached per content version."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Hashable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from flask import Flask, Response, current_app, request, url_for
from jinja2 import TemplateNotFound, meta, nodes, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape
from werkzeug.http import http_date, is_resource_modified, quote_etag

from . import frontcache, i18n
from .site import current_site

# Includes that may hold per-visitor data: rendered on every request, outside the cached HTML,
# unless they use none of PER_REQUEST_NAMES (then they are cached with the page).
SLOT = re.compile(r"<!--slot:([a-z0-9_/.-]+)-->")
PER_REQUEST_NAMES = frozenset({"request", "session", "g", "csrf_token", "get_flashed_messages"})


@pass_context
def _gettext(ctx: Context, key: str, **values: object) -> str:
    """Jinja `_()`: an interface string in the page language."""
    return i18n.gettext(ctx.get("lang") or i18n.FALLBACK, key, **values)


@pass_context
def _lt(ctx: Context, text: Any) -> Markup:
    """Filter: a model text, escaped, marked with `lang` when it falls back."""
    return i18n.ltext_markup(text, ctx["lang"])


@pass_context
def _lt_block(ctx: Context, text: Any) -> Markup:
    """Filter: like `lt` but wraps a fallback in a block element."""
    return i18n.ltext_markup(text, ctx["lang"], block=True)


@pass_context
def _ltext(ctx: Context, text: Any) -> str:
    """Filter: a model text as a plain string, for attributes."""
    return i18n.ltext(text, ctx["lang"])


@pass_context
def _lhtml(ctx: Context, text: Any) -> Markup:
    """Filter: sanitised HTML from the model."""
    return i18n.lhtml(text, ctx["lang"])


@pass_context
def _ltlang(ctx: Context, text: Any) -> str:
    """Filter: the language a model text is shown in on this page."""
    return i18n.text_language(text, ctx["lang"]) if text else ctx["lang"]


def media_url(path: str | None) -> str:
    """Return the URL of a media file given relative to the exhibition root."""
    return "/media/" + quote(path or "", safe="/")


@pass_context
def _human_size(ctx: Context, size: int) -> str:
    """Filter: a file size for humans, in the page language."""
    lang = ctx["lang"]
    units = (("size_gb", 1 << 30), ("size_mb", 1 << 20), ("size_kb", 1 << 10))
    for key, factor in units:
        if size >= factor:
            value = round(size / factor, 1)
            number = _format_number(value, lang)
            return i18n.gettext(lang, key, n=number)
    return i18n.gettext(lang, "size_b", n=size)


def _format_number(value: float, lang: str) -> str:
    """Format a decimal number for the locale of `lang`."""
    from babel.numbers import format_decimal

    try:
        return format_decimal(value, format="#,##0.#", locale=lang)
    except Exception:  # unknown locale code
        return format_decimal(value, format="#,##0.#", locale="en")


def _asset(filename: str) -> str:
    """Return a static file URL carrying a hash of its content, so it can be cached long."""
    versions: dict[str, str] = current_app.extensions.setdefault("gallery.assets", {})
    version = versions.get(filename)
    if version is None:
        path = current_app.static_folder and (current_app.static_folder + "/" + filename)
        try:
            with open(path or "", "rb") as handle:
                version = hashlib.blake2b(handle.read(), digest_size=6).hexdigest()
        except OSError:
            version = "0"
        versions[filename] = version
    return url_for("static", filename=filename, v=version)


def language_name(code: str) -> str:
    """Return a language's name written in that language, e.g. "Français"."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(code.replace("-", "_"))
    except (ValueError, LookupError, UnknownLocaleError):
        return code
    return (name[:1].upper() + name[1:]) if name else code


def _hostname(url: str | None) -> str:
    """Filter: the host part of a URL, for naming a video's site."""
    host = urlsplit(url or "").hostname or ""
    return host.removeprefix("www.")


def _cache_versioned_assets(response: Response) -> Response:
    """Let browsers keep static files whose URL names their content hash."""
    if request.endpoint == "static" and request.args.get("v") and response.status_code == 200:
        response.cache_control.public = True
        response.cache_control.max_age = 31536000
        response.cache_control.immutable = True
        response.cache_control.no_cache = None
    return response


def _slot(name: str) -> Markup:
    """Leave a marker that `render_page` replaces, per request, with template `name`."""
    return Markup(f"<!--slot:{escape(name)}-->")


def init_app(app: Flask) -> None:
    """Register the filters and globals the templates use."""
    app.after_request(_cache_versioned_assets)
    env = app.jinja_env
    env.trim_blocks = True
    env.lstrip_blocks = True
    from .views.media import media_type

    env.globals.update(
        _=_gettext,
        media_url=media_url,
        media_type=lambda path: media_type(Path(path)),
        asset=_asset,
        slot=_slot,
        language_name=language_name,
    )
    env.filters.update(
        lt=_lt,
        lt_block=_lt_block,
        ltext=_ltext,
        lhtml=_lhtml,
        ltlang=_ltlang,
        human_size=_human_size,
        hostname=_hostname,
    )


# --- cached rendering -----------------------------------------------------------------


class CachedPage:
    """Rendered HTML for one page and content version, with what is needed to finish it."""

    __slots__ = ("context", "etag", "html", "slots", "template")

    def __init__(self, html: str, template: str, context: dict[str, Any]) -> None:
        self.html = html
        self.template = template
        self.context = context
        self.slots = tuple(dict.fromkeys(SLOT.findall(html)))
        self.etag = hashlib.blake2b(html.encode(), digest_size=10).hexdigest()


def _last_modified() -> datetime:
    """Return when the room files last changed, computed once per content version."""
    snapshot = current_site().snapshot
    stamp = snapshot.cache.get(("last-modified",))
    if stamp is None:
        newest = 0.0
        for path in snapshot.exhibition.root.rglob("*"):
            try:
                newest = max(newest, path.stat().st_mtime)
            except OSError:
                continue
        stamp = datetime.fromtimestamp(int(newest), UTC)
        snapshot.cache[("last-modified",)] = stamp
    return stamp


def _slot_template(name: str) -> Any:
    """Return the slot's template, or None when nobody provides it."""
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


def _fill_slots(page: CachedPage) -> tuple[str, str]:
    """Render the per-request includes into the page; return the HTML and its ETag."""
    if not page.slots:
        return page.html, page.etag
    html = _render_slots(page.html, page.context, page.slots)
    # The ETag must change when a per-request part does.
    digest = hashlib.blake2b(html.encode(), digest_size=10).hexdigest()
    return html, digest


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
    snapshot = current_site().snapshot
    cache_key = ("page", template, key)
    page = snapshot.cache.get(cache_key)
    if page is None:
        context = build()
        context.setdefault("exhibition", snapshot.exhibition)
        context.setdefault("theme_version", theme_version())
        html = current_app.jinja_env.get_template(template).render(_base_context(context))
        static = tuple(n for n in dict.fromkeys(SLOT.findall(html)) if slot_is_static(n))
        html = _render_slots(html, context, static)
        page = CachedPage(html, template, context)
        snapshot.cache[cache_key] = page
    body, etag = _fill_slots(page)
    headers = [("Content-Language", page.context["lang"])] if page.context.get("lang") else []
    if status == 200:
        modified = _last_modified()
        if not page.slots:
            frontcache.offer(request.environ, cache_key, page, etag, modified)
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
    if vary_language:
        headers.append(("Vary", "Accept-Language"))
    return Response(body, status=status, headers=headers, mimetype="text/html")


def _base_context(context: dict[str, Any]) -> dict[str, Any]:
    """Return the context with Flask's defaults added, without touching the stored copy."""
    full = dict(context)
    current_app.update_template_context(full)
    return full


def theme_version() -> str:
    """Return a short hash of the generated stylesheet, to cache-bust its URL."""
    from .views.theme import theme_css

    return hashlib.blake2b(theme_css().encode(), digest_size=6).hexdigest()
