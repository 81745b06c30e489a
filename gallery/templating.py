"""Jinja filters and globals the templates use: texts, media URLs, assets, languages."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal
from flask import Flask, Response, current_app, request, url_for
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from . import i18n
from .content import urllayout
from .content.mediatypes import media_type
from .presence.colours import PALETTE
from .site import current_state

# Stands in a preview page for the hash of the page itself (see `pagecache.stamp_version`).
PAGE_VERSION = "@@gallery-page-version@@"


def _interface(ctx: Context) -> i18n.Interface:
    """Return the interface strings of the page's exhibition, its own locale/ included."""
    return i18n.for_exhibition(ctx.get("exhibition"))


@pass_context
def _gettext(ctx: Context, key: str, **values: object) -> str:
    """Jinja `_()`: an interface string in the page language."""
    return _interface(ctx).gettext(ctx.get("lang") or i18n.FALLBACK, key, **values)


@pass_context
def _plural_forms(ctx: Context, key: str) -> dict[str, str]:
    """Jinja `plural_forms()`: a counting string's forms by CLDR category, for a script."""
    return _interface(ctx).plural_forms(ctx.get("lang") or i18n.FALLBACK, key)


@pass_context
def _live_strings(ctx: Context, lang: str) -> dict[str, Any]:
    """Jinja `live_strings()`: the live scripts' strings for a page in `lang`."""
    return _interface(ctx).live(lang)


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


@pass_context
def _human_size(ctx: Context, size: int) -> str:
    """Filter: a file size for humans, in the page language."""
    lang = ctx["lang"]
    units = (("size_gb", 1 << 30), ("size_mb", 1 << 20), ("size_kb", 1 << 10))
    for key, factor in units:
        if size >= factor:
            value = round(size / factor, 1)
            number = _format_number(value, lang)
            return _interface(ctx).gettext(lang, key, n=number)
    return _interface(ctx).gettext(lang, "size_b", n=size)  # a plural: "1 byte", "2 bytes"


def _format_number(value: float, lang: str) -> str:
    """Format a decimal number for the locale of `lang`."""
    try:
        return format_decimal(value, format="#,##0.#", locale=lang)
    except Exception:  # unknown locale code
        return format_decimal(value, format="#,##0.#", locale="en")


@pass_context
def _media_url(ctx: Context, path: str) -> str:
    """Jinja `media_url()`: a media file's URL, carrying its version (one layout: urllayout)."""
    exhibition = ctx.get("exhibition")
    return exhibition.media_url(path) if exhibition else urllayout.media_url(path)


@pass_context
def _image_size(ctx: Context, path: str | None) -> Markup:
    """Jinja `image_size()`: an image's width and height attributes, so its box is kept."""
    exhibition = ctx.get("exhibition")
    size = exhibition.image_size(path) if exhibition and path else None
    return Markup(' width="%d" height="%d"') % size if size else Markup("")


# Addresses a page's templates ask for, kept per mount point: dozens a page, mostly the same.
_MOST_ADDRESSES = 50_000


def _address_memo(app: Flask) -> Any:
    """Return the app's Jinja `url_for()`: Flask's, remembered for the site's own addresses.

    Werkzeug takes about 10 µs to build an address; it depends only on the endpoint, the
    values and where the site is mounted, unless a request's host takes part in routing,
    a URL default fills values in, or the address is built with options (`_external`...).
    """
    memo: dict[Any, str] = {}

    def address(endpoint: str, **values: Any) -> str:
        key = (request.script_root, endpoint, *values.items())
        try:
            return memo[key]
        except KeyError:
            pass
        except TypeError:  # a value that cannot be a key
            return url_for(endpoint, **values)
        # Checked on a miss only: what is asked of the app cannot change once it serves (Flask
        # refuses set-up methods then), and an address built otherwise is never kept.
        if (
            app.url_default_functions
            or app.url_map.host_matching
            or app.subdomain_matching
            or endpoint[:1] == "."
            or any(name[:1] == "_" for name in values)
        ):
            return url_for(endpoint, **values)
        if len(memo) >= _MOST_ADDRESSES:
            memo.clear()
        memo[key] = found = url_for(endpoint, **values)
        return found

    return address


def _asset(filename: str) -> str:
    """Return a static file URL carrying a hash of its content, so it can be cached long."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # once, not thrice
    versions: dict[str, str] = app.extensions.setdefault("gallery.assets", {})
    version = versions.get(filename)
    if version is None:
        path = app.static_folder and (app.static_folder + "/" + filename)
        try:
            with open(path or "", "rb") as handle:
                version = hashlib.blake2b(handle.read(), digest_size=6).hexdigest()
        except OSError:
            version = "0"
        versions[filename] = version
    return app.jinja_env.globals["url_for"]("static", filename=filename, v=version)


@lru_cache(maxsize=256)
def language_name(code: str) -> str:
    """Return a language's name written in that language, e.g. "Français"."""
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


def _opening_hours() -> dict[str, Any]:
    """Give every template the gallery's opening state ("before", "open", "closed")."""
    return {"gallery_state": current_state()}


def init_app(app: Flask) -> None:
    """Register the filters and globals the templates use."""
    app.after_request(_cache_versioned_assets)
    app.context_processor(_opening_hours)
    env = app.jinja_env
    env.trim_blocks = True
    env.lstrip_blocks = True
    env.globals.update(
        _=_gettext,
        url_for=_address_memo(app),
        media_url=_media_url,
        image_size=_image_size,
        url_templates=urllayout.TEMPLATES,
        media_type=media_type,
        asset=_asset,
        language_name=language_name,
        live_strings=_live_strings,
        plural_forms=_plural_forms,
        # The organiser's preview (`gallery serve --reload`): never on a production server,
        # nor in an archive.
        reload_preview=bool(app.config["RELOAD"] and not app.config["ARCHIVE"]),
        page_version=PAGE_VERSION,
        avatar_palette=PALETTE,
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
