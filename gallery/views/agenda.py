"""The agenda grouped by day, with times formatted in the exhibition's time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates

from .. import i18n
from ..content.model import Exhibition, Session


@dataclass(frozen=True)
class Slot:
    """One session with its times ready to print."""

    session: Session
    starts: str  # "14:00"
    ends: str
    starts_iso: str
    ends_iso: str
    room_slug: str | None
    exhibit_room: str | None
    exhibit_slug: str | None


@dataclass(frozen=True)
class Day:
    """The sessions of one day."""

    day: date
    label: str  # "jeudi 17 juin 2021"
    slots: tuple[Slot, ...]


def locale(lang: str) -> Locale:
    """Return the Babel locale for a page language, English when Babel does not know it."""
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(i18n.FALLBACK)


def format_date(moment: datetime, lang: str) -> str:
    """Format a date in full words for the page language."""
    return babel_dates.format_date(moment, format="long", locale=locale(lang))


def format_time(moment: datetime, tz: tzinfo, lang: str) -> str:
    """Format a time of day (hours and minutes) in `tz` for the page language."""
    # The 24-hour skeleton: "14:00" in every locale, as a programme prints it.
    return babel_dates.format_skeleton("Hm", moment.astimezone(tz), locale=locale(lang))


def zone_label(exhibition: Exhibition, lang: str) -> str:
    """Name the exhibition's time zone for visitors, e.g. "Europe/Paris (UTC+02:00)"."""
    tz = exhibition.tz()
    sample = exhibition.agenda[0].starts if exhibition.agenda else exhibition.opens
    offset = ""
    if sample is not None:
        offset = sample.astimezone(tz).strftime("%z")
        offset = f"UTC{offset[:3]}:{offset[3:]}" if offset else ""
    if isinstance(tz, ZoneInfo):
        city = babel_dates.get_timezone_location(tz, locale=locale(lang), return_city=True)
        return f"{tz.key} ({city}, {offset})" if offset else tz.key
    return offset or exhibition.timezone


def agenda_days(exhibition: Exhibition, lang: str) -> tuple[Day, ...]:
    """Group the agenda by local day, sessions in starting order."""
    tz = exhibition.tz()
    days: dict[date, list[Slot]] = {}
    for session in sorted(exhibition.agenda, key=lambda s: (s.starts, s.id)):
        local = session.starts.astimezone(tz)
        room_slug = session.room if session.room and exhibition.room(session.room) else None
        exhibit_room = exhibit_slug = None
        if session.exhibit and "/" in session.exhibit:
            exhibit_room, exhibit_slug = session.exhibit.split("/", 1)
            if exhibition.exhibit(exhibit_room, exhibit_slug) is None:
                exhibit_room = exhibit_slug = None
        days.setdefault(local.date(), []).append(
            Slot(
                session=session,
                starts=format_time(session.starts, tz, lang),
                ends=format_time(session.ends, tz, lang),
                starts_iso=local.isoformat(),
                ends_iso=session.ends.astimezone(tz).isoformat(),
                room_slug=room_slug,
                exhibit_room=exhibit_room,
                exhibit_slug=exhibit_slug,
            )
        )
    return tuple(
        Day(day, babel_dates.format_date(day, format="full", locale=locale(lang)), tuple(slots))
        for day, slots in days.items()
    )
