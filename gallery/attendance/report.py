"""The attendance report's content: headline figures, charts and their tables, and the CSV.

Built from the counts `records.attendance` reads; room and exhibit titles come from the
exhibition when it still holds them, else their slugs. Nothing in it names a visitor.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from markupsafe import Markup

from ..content.model import Exhibition
from ..i18n import gettext
from ..presence import LOBBY
from ..records.attendance import Attendance
from .charts import Bar, bar_chart, line_chart


@dataclass(frozen=True)
class Table:
    """A chart's numbers as a table: a caption, column headings and rows of text."""

    caption: str
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Figure:
    """One chart of the report with the table of its numbers."""

    id: str
    title: str
    chart: Markup
    table: Table


def _duration(seconds: float, lang: str) -> str:
    """Format a duration in minutes and seconds, e.g. "3 min 05 s"."""
    minutes, rest = divmod(round(seconds), 60)
    return gettext(lang, "report_duration", m=minutes, s=f"{rest:02d}")


def _room_title(exhibition: Exhibition | None, slug: str, lang: str) -> str:
    """Return a room's title in `lang` (the lobby's name for the lobby), or its slug when the
    exhibition no longer has it."""
    if slug == LOBBY:
        return gettext(lang, "lobby")
    room = exhibition.room(slug) if exhibition else None
    return room.title.get(lang) if room else slug


def _exhibit_title(exhibition: Exhibition | None, room: str, slug: str, lang: str) -> str:
    """Return an exhibit's title in `lang`, or its room/slug when it is gone."""
    found = exhibition.exhibit(room, slug) if exhibition else None
    return found.title.get(lang) if found else f"{room}/{slug}"


def report_context(
    data: Attendance, exhibition: Exhibition | None, lang: str, tz: tzinfo
) -> dict[str, Any]:
    """Return what the report shows: headline figures and the figures with their tables."""
    _ = lambda key, **values: gettext(lang, key, **values)  # noqa: E731

    def local(moment: datetime) -> datetime:
        return moment.astimezone(tz)

    figures: list[Figure] = []
    totals = [(local(at), visitors, peak) for at, visitors, peak in data.totals]
    if totals:
        title = _("report_visitors_title")
        figures.append(
            Figure(
                "visitors",
                title,
                line_chart([(at, peak) for at, _v, peak in totals], title),
                Table(
                    title,
                    (_("report_time"), _("report_visitors"), _("report_peak")),
                    tuple((f"{at:%Y-%m-%d %H:%M}", str(v), str(p)) for at, v, p in totals),
                ),
            )
        )
    rooms: dict[str, list[int]] = {}
    for _at, room, visitors in data.occupancy:
        rooms.setdefault(room, []).append(visitors)
    if rooms:
        title = _("report_rooms_title")
        order = sorted(rooms, key=lambda r: -max(rooms[r]))
        figures.append(
            Figure(
                "rooms",
                title,
                bar_chart(
                    [
                        Bar(_room_title(exhibition, r, lang), max(rooms[r]), str(max(rooms[r])))
                        for r in order
                    ],
                    title,
                ),
                Table(
                    title,
                    (_("report_room"), _("report_peak"), _("report_average")),
                    tuple(
                        (
                            _room_title(exhibition, r, lang),
                            str(max(rooms[r])),
                            f"{sum(rooms[r]) / len(rooms[r]):.1f}",
                        )
                        for r in order
                    ),
                ),
            )
        )
    exhibits: dict[tuple[str, str], list[int]] = {}
    for time in data.exhibits:
        counts = exhibits.setdefault((time.room, time.exhibit), [0, 0])
        counts[0] += time.visits
        counts[1] += time.seconds
    if exhibits:
        title = _("report_exhibits_title")
        order = sorted(exhibits, key=lambda k: (-exhibits[k][0], k))
        rows = []
        bars = []
        for room, slug in order:
            visits, seconds = exhibits[(room, slug)]
            name = _exhibit_title(exhibition, room, slug, lang)
            average = _duration(seconds / visits if visits else 0, lang)
            bars.append(Bar(name, visits, str(visits)))
            rows.append((name, str(visits), _duration(seconds, lang), average))
        figures.append(
            Figure(
                "exhibits",
                title,
                bar_chart(bars, title),
                Table(
                    title,
                    (
                        _("report_exhibit"),
                        _("report_visits"),
                        _("report_time_spent"),
                        _("report_average_visit"),
                    ),
                    tuple(rows),
                ),
            )
        )
    activity_rows = _activity_rows(data, local)
    if activity_rows:
        title = _("report_activity_title")
        figures.append(
            Figure(
                "activity",
                title,
                bar_chart(
                    [
                        Bar(_(f"report_{kind}"), sum(n for _h, n in data.activity[kind]), "")
                        for kind in ("questions", "votes", "chat")
                    ],
                    title,
                ),
                Table(
                    title,
                    (_("report_hour"), _("report_questions"), _("report_votes"), _("report_chat")),
                    activity_rows,
                ),
            )
        )
    headline = [
        (_("report_peak_visitors"), str(max((p for _a, _v, p in totals), default=0))),
        (_("report_visits"), str(sum(v for v, _s in exhibits.values()))),
        (_("report_questions"), str(sum(n for _h, n in data.activity["questions"]))),
        (_("report_votes"), str(sum(n for _h, n in data.activity["votes"]))),
        (_("report_chat"), str(sum(n for _h, n in data.activity["chat"]))),
    ]
    span = (totals[0][0], totals[-1][0]) if totals else None
    return {"figures": figures, "headline": headline, "span": span}


def _activity_rows(data: Attendance, local) -> tuple[tuple[str, ...], ...]:
    """Return (hour, questions, votes, chat) rows, one per hour with any of them."""
    hours: dict[datetime, list[int]] = {}
    for index, kind in enumerate(("questions", "votes", "chat")):
        for hour, count in data.activity[kind]:
            hours.setdefault(hour, [0, 0, 0])[index] += count
    return tuple(
        (f"{local(hour):%Y-%m-%d %H:00}", *(str(n) for n in counts))
        for hour, counts in sorted(hours.items())
    )


def report_csv(data: Attendance) -> str:
    """Return every count as CSV rows: metric, moment (UTC), room, exhibit, value."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("metric", "at", "room", "exhibit", "value"))
    for at, visitors, peak in data.totals:
        writer.writerow(("visitors", at.isoformat(), "", "", visitors))
        writer.writerow(("peak", at.isoformat(), "", "", peak))
    for at, room, visitors in data.occupancy:
        writer.writerow(("room_visitors", at.isoformat(), room, "", visitors))
    for time in data.exhibits:
        writer.writerow(
            ("exhibit_visits", time.hour.isoformat(), time.room, time.exhibit, time.visits)
        )
        writer.writerow(
            ("exhibit_seconds", time.hour.isoformat(), time.room, time.exhibit, time.seconds)
        )
    for kind in ("questions", "votes", "chat"):
        for hour, count in data.activity[kind]:
            writer.writerow((kind, hour.isoformat(), "", "", count))
    return out.getvalue()
