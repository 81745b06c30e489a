"""The pages a visitor walks through: lobby, rooms, exhibits, agenda, and the 404 page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, redirect, request, url_for
from werkzeug.exceptions import NotFound

from .. import i18n
from ..content import urllayout
from ..content.aliases import Aliases, page_address_url
from ..content.model import Exhibition, Room
from ..hosts import current_host
from ..pagecache import render_fresh, render_page
from ..site import current_site, current_state
from ..theme import theme_css
from ..walk import LOBBY, Stop
from .agenda import agenda_days, format_date, zone_label
from .plan import (
    drawing,
    entrance_slug,
    nearby_plan,
    plan_labels,
    room_numbers,
    room_positions,
)
from .stage import agenda_marks, stage_context
from .steps import walk_context

bp = Blueprint("pages", __name__)


def _exhibition() -> Exhibition:
    """Return the exhibition being served."""
    return current_site().exhibition


def _language(lang: str) -> str:
    """Return `lang` when the exhibition is written in it, else answer 404."""
    if lang not in _exhibition().languages:
        abort(404)
    return lang


def _alternates(endpoint: str, **values: Any) -> list[tuple[str, str]]:
    """Return (language, URL) of this page in every language of the exhibition."""
    return [(code, url_for(endpoint, lang=code, **values)) for code in _exhibition().languages]


def _room(slug: str) -> Room | None:
    """Return the room of `slug`, or None."""
    return _exhibition().room(slug)


def _moved_or_404(lang: str, room: str, exhibit: str | None = None) -> Response:
    """Send an old address of a renamed room or exhibit (`aliases`) to the new one for good,
    or answer 404."""
    snapshot = current_site().snapshot
    aliases = snapshot.memo(("aliases",), lambda: Aliases.of(snapshot.exhibition.rooms))
    moved = aliases.resolve(room, exhibit)
    if moved is None:
        abort(404)
    url = page_address_url(lang, moved)
    query = request.query_string.decode("latin-1")
    return redirect(f"{url}?{query}" if query else url, code=301)


@bp.get("/")
def index() -> Response:
    """Send visitors to the lobby in the best of their languages."""
    exhibition = _exhibition()
    lang = i18n.best_language(
        request.accept_languages, exhibition.languages, exhibition.default_language
    )
    response = redirect(url_for("pages.lobby", lang=lang), code=302)
    response.vary.add("Accept-Language")
    return response


@bp.get(urllayout.LOBBY)
def lobby(lang: str) -> Response:
    """The lobby: introduction, floor plan and the way into every room."""
    lang = _language(lang)
    return render_page("lobby.html", ("lobby", lang), lambda: _lobby_context(lang))


def _lobby_context(lang: str) -> dict[str, Any]:
    """Build what the lobby template shows."""
    exhibition = _exhibition()
    entrance = exhibition.room(entrance_slug(exhibition) or "")
    return dict(
        lang=lang,
        page="lobby",
        alternates=_alternates("pages.lobby"),
        drawing=drawing(),
        plan_labels=plan_labels(exhibition, lang),
        entrance=entrance,
        opening=_opening(exhibition, lang),
        opens_at=exhibition.opens.isoformat() if exhibition.opens else None,
        **walk_context(exhibition, lang, LOBBY),
    )


def _opening(exhibition: Exhibition, lang: str) -> str:
    """Return "Open from ... to ..." in the page language, or an empty string."""
    if not (exhibition.opens and exhibition.closes):
        return ""
    tz = exhibition.tz()
    return i18n.for_exhibition(exhibition).gettext(
        lang,
        "opens",
        start=format_date(exhibition.opens.astimezone(tz), lang),
        end=format_date(exhibition.closes.astimezone(tz), lang),
    )


def _open_page(lang: str, template: str, key: tuple[str, ...], build: Any) -> Response:
    """Render a room's or exhibit's page; before the opening, only for signed-in hosts.

    A host's preview is rendered per request and never cached, so that no cache can hand
    it to a visitor; visitors get a "not open yet" page saying when the gallery opens.
    """
    if current_state() != "before":
        return render_page(template, key, build)
    if current_host(current_app) is not None:
        return render_fresh(template, {**build(), "preview": True})
    exhibition = _exhibition()
    return render_page(
        "not_open.html",
        ("not-open", lang),
        lambda: dict(
            lang=lang,
            page="not-open",
            alternates=_alternates("pages.lobby"),
            opening=_opening(exhibition, lang),
        ),
        status=403,
    )


@bp.get(urllayout.ROOM)
def room(lang: str, room: str) -> Response:
    """A room: its introduction, exhibit panels, doors and the rooms around it."""
    lang = _language(lang)
    found = _room(room)
    if found is None:
        return _moved_or_404(lang, room)
    if found.kind == "stage":
        return _open_page(
            lang,
            "stage.html",
            ("room", lang, room),
            lambda: {**_room_context(lang, found), **stage_context(lang, found)},
        )
    return _open_page(lang, "room.html", ("room", lang, room), lambda: _room_context(lang, found))


def _room_context(lang: str, found: Room) -> dict[str, Any]:
    """Build what the room template shows."""
    exhibition = _exhibition()
    positions, numbers = room_positions(exhibition), room_numbers()
    return dict(
        lang=lang,
        page="room",
        alternates=_alternates("pages.room", room=found.slug),
        room=found,
        doors=_doors(found),
        positions=positions,
        **walk_context(exhibition, lang, Stop(found.slug)),
        plan_numbers=numbers,
        nearby=nearby_plan(found.slug, positions, numbers),
    )


def _doors(found: Room) -> list[Room]:
    """Return the rooms behind the doors of `found`, in room order."""
    return [r for r in (_exhibition().room(slug) for slug in found.doors) if r]


@bp.get(urllayout.EXHIBIT)
def exhibit(lang: str, room: str, exhibit: str) -> Response:
    """An exhibit: its full description, people, documents, links and video."""
    lang = _language(lang)
    found_room = _room(room)
    exhibits = found_room.exhibits if found_room else ()
    position = next((i for i, e in enumerate(exhibits) if e.slug == exhibit), None)
    if found_room is None or position is None:
        return _moved_or_404(lang, room, exhibit)
    return _open_page(
        lang,
        "exhibit.html",
        ("exhibit", lang, room, exhibit),
        lambda: _exhibit_context(lang, found_room, position),
    )


def _exhibit_context(lang: str, found_room: Room, position: int) -> dict[str, Any]:
    """Build what the exhibit template shows."""
    exhibition = _exhibition()
    positions, numbers = room_positions(exhibition), room_numbers()
    found = found_room.exhibits[position]
    return dict(
        lang=lang,
        page="exhibit",
        alternates=_alternates("pages.exhibit", room=found_room.slug, exhibit=found.slug),
        room=found_room,
        exhibit=found,
        doors=_doors(found_room),
        positions=positions,
        caption_default=_default_caption(found, lang),
        **walk_context(exhibition, lang, Stop(found_room.slug, found.slug)),
        plan_numbers=numbers,
        nearby=nearby_plan(found_room.slug, positions, numbers),
    )


def _default_caption(found: Any, lang: str) -> str | None:
    """Return the caption language shown by default: the page's, else none."""
    if not found.video:
        return None
    languages = [caption.lang for caption in found.video.captions]
    return lang if lang in languages else None


@bp.get(urllayout.AGENDA)
def agenda(lang: str) -> Response:
    """The Demo Day agenda, by day, in the exhibition's time zone."""
    lang = _language(lang)
    return render_page("agenda.html", ("agenda", lang), lambda: _agenda_context(lang))


def _agenda_context(lang: str) -> dict[str, Any]:
    """Build what the agenda template shows."""
    exhibition = _exhibition()
    return dict(
        lang=lang,
        page="agenda",
        alternates=_alternates("pages.agenda"),
        days=agenda_days(exhibition, lang),
        zone=zone_label(exhibition, lang),
        statuses=agenda_marks(),
    )


@bp.get("/theme.css")
def theme() -> Response:
    """The generated stylesheet: room colours and floor-plan positions."""
    response = Response(theme_css(current_site().snapshot), mimetype="text/css")
    response.add_etag()
    if request.args.get("v"):
        # The URL names the version, so browsers may keep it for good.
        response.cache_control.public = True
        response.cache_control.max_age = 31536000
        response.cache_control.immutable = True
    else:
        response.cache_control.no_cache = True
    return response.make_conditional(request)


@bp.app_errorhandler(404)
def not_found(error: NotFound) -> Response:
    """A real 404 page in the visitor's language: from the URL, else Accept-Language."""
    exhibition = _exhibition()
    first = request.path.strip("/").split("/", 1)[0]
    from_url = first in exhibition.languages
    lang = (
        first
        if from_url
        else i18n.best_language(
            request.accept_languages, exhibition.languages, exhibition.default_language
        )
    )
    return render_page(
        "404.html",
        ("404", lang),
        lambda: dict(
            lang=lang,
            page="404",
            alternates=[(code, url_for("pages.lobby", lang=code)) for code in exhibition.languages],
        ),
        status=404,
        vary_language=not from_url,
    )
