"""Attendance counts in the database: what the sampler writes and the report reads.

Only numbers are written: visitors per room at each sample, the gallery's total and peak,
visits and seconds spent per exhibit and hour. No visitor id, name or address.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.engine import Engine

from .tables import (
    attendance_totals,
    chat_messages,
    exhibit_visits,
    occupancy_samples,
    questions,
    votes,
)


@dataclass(frozen=True)
class ExhibitTime:
    """Visits and seconds spent at one exhibit during one hour."""

    hour: datetime
    room: str
    exhibit: str
    visits: int
    seconds: int


@dataclass(frozen=True)
class Attendance:
    """Everything the attendance report shows, read at once."""

    occupancy: list[tuple[datetime, str, int]]  # (at, room, visitors), by time
    totals: list[tuple[datetime, int, int]]  # (at, visitors, peak), by time
    exhibits: list[ExhibitTime]
    activity: dict[str, list[tuple[datetime, int]]]  # questions, votes, chat per hour


def record_sample(
    engine: Engine,
    at: datetime,
    rooms: Mapping[str, int],
    visitors: int,
    peak: int,
    exhibits: Iterable[ExhibitTime],
) -> None:
    """Write one sample: visitors per room, the total and peak, and exhibit time to add."""
    with engine.begin() as connection:
        rows = [{"at": at, "room": room, "visitors": n} for room, n in sorted(rooms.items())]
        if rows:
            connection.execute(occupancy_samples.insert(), rows)
        connection.execute(
            attendance_totals.insert(), {"at": at, "visitors": visitors, "peak": peak}
        )
        for time in exhibits:
            key = (
                (exhibit_visits.c.hour == time.hour)
                & (exhibit_visits.c.room == time.room)
                & (exhibit_visits.c.exhibit == time.exhibit)
            )
            updated = connection.execute(
                exhibit_visits.update()
                .where(key)
                .values(
                    visits=exhibit_visits.c.visits + time.visits,
                    seconds=exhibit_visits.c.seconds + time.seconds,
                )
            )
            if updated.rowcount == 0:
                connection.execute(
                    exhibit_visits.insert(),
                    {
                        "hour": time.hour,
                        "room": time.room,
                        "exhibit": time.exhibit,
                        "visits": time.visits,
                        "seconds": time.seconds,
                    },
                )


def _per_hour(engine: Engine, column) -> list[tuple[datetime, int]]:
    """Count rows per hour of a timestamp column, read in Python to stay portable."""
    counts: dict[datetime, int] = {}
    with engine.connect() as connection:
        for (moment,) in connection.execute(select(column)):
            hour = moment.replace(minute=0, second=0, microsecond=0)
            counts[hour] = counts.get(hour, 0) + 1
    return sorted(counts.items())


def read_attendance(engine: Engine) -> Attendance:
    """Read every attendance count, and the questions, votes and chat messages per hour."""
    with engine.connect() as connection:
        occupancy = [
            (row.at, row.room, row.visitors)
            for row in connection.execute(
                select(occupancy_samples).order_by(occupancy_samples.c.at, occupancy_samples.c.room)
            )
        ]
        totals = [
            (row.at, row.visitors, row.peak)
            for row in connection.execute(
                select(attendance_totals).order_by(attendance_totals.c.at)
            )
        ]
        exhibits = [
            ExhibitTime(row.hour, row.room, row.exhibit, row.visits, row.seconds)
            for row in connection.execute(
                select(exhibit_visits).order_by(
                    exhibit_visits.c.hour, exhibit_visits.c.room, exhibit_visits.c.exhibit
                )
            )
        ]
    activity = {
        "questions": _per_hour(engine, questions.c.created_at),
        "votes": _per_hour(engine, votes.c.at),
        "chat": _per_hour(engine, chat_messages.c.at),
    }
    return Attendance(occupancy, totals, exhibits, activity)
