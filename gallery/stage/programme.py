"""Which sessions of the agenda are past, live and next at a given moment.

Times decide by default; the host's decisions (`StageView`) take precedence: a session set
live is live until the host ends it or sets another session of its room live, and a
session ended is past, whatever its times say.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime

from ..content.model import Session
from .state import ENDED, LIVE, StageView

PAST = "past"
NEXT = "next"
LATER = "later"


@dataclass(frozen=True)
class Status:
    """One session at one moment: its phase, and what the host did about it."""

    session: Session
    phase: str  # "past" | "live" | "next" | "later"
    by_host: bool = False  # the phase comes from the host's decision, not the times
    seconds: int | None = None  # for "next" and "later": whole seconds until it starts

    @property
    def id(self) -> str:
        """The session's id."""
        return self.session.id


@dataclass(frozen=True)
class Programme:
    """The whole agenda at one moment, in starting order."""

    now: datetime
    statuses: tuple[Status, ...] = ()
    spotlight: str | None = None  # the host's spotlight, "room/exhibit"

    def of(self, session_id: str) -> Status | None:
        """Return the status of one session, or None if the agenda lacks it."""
        return next((s for s in self.statuses if s.id == session_id), None)

    def in_room(self, room: str) -> tuple[Status, ...]:
        """Return the statuses of the sessions held in stage room `room`."""
        return tuple(s for s in self.statuses if s.session.room == room)

    @property
    def live(self) -> tuple[Status, ...]:
        """The sessions on now."""
        return tuple(s for s in self.statuses if s.phase == LIVE)

    @property
    def next(self) -> tuple[Status, ...]:
        """The first session to come in each room."""
        return tuple(s for s in self.statuses if s.phase == NEXT)

    def pitched(self, status: Status) -> str | None:
        """Return the exhibit a live session is about: the host's spotlight, else its own."""
        if status.phase == LIVE and self.spotlight:
            return self.spotlight
        return status.session.exhibit


def _order(session: Session) -> tuple[datetime, str]:
    """Sort key of sessions: start, then id."""
    return (session.starts, session.id)


def programme(agenda: Iterable[Session], view: StageView, now: datetime) -> Programme:
    """Compute every session's phase at `now`, the host's decisions first."""
    sessions = sorted(agenda, key=_order)
    # Per room, the session the host set live last supersedes the others.
    forced: dict[str | None, tuple[int, str]] = {}
    for session in sessions:
        found = view.overrides.get(session.id)
        if found and found[0] == LIVE:
            latest = forced.get(session.room)
            if latest is None or found[1] > latest[0]:
                forced[session.room] = (found[1], session.id)
    statuses: list[Status] = []
    upcoming: set[str | None] = set()
    for session in sessions:
        decided = view.state(session.id)
        room_forced = forced.get(session.room)
        seconds = max(0, math.ceil((session.starts - now).total_seconds()))
        if room_forced is not None and room_forced[1] == session.id:
            statuses.append(Status(session, LIVE, by_host=True))
        elif decided == ENDED:
            statuses.append(Status(session, PAST, by_host=True))
        elif session.ends <= now:
            statuses.append(Status(session, PAST))
        elif session.starts <= now:
            # On by its times, unless the host set another session of its room live.
            superseded = room_forced is not None
            statuses.append(Status(session, PAST if superseded else LIVE, by_host=superseded))
        elif session.room in upcoming or (
            room_forced is not None and _starts_before_forced(session, room_forced[1], sessions)
        ):
            statuses.append(Status(session, LATER, seconds=seconds))
        else:
            upcoming.add(session.room)
            statuses.append(Status(session, NEXT, seconds=seconds))
    return Programme(now, tuple(statuses), view.spotlight)


def _starts_before_forced(session: Session, forced_id: str, sessions: list[Session]) -> bool:
    """Tell whether `session` was planned before the one the host set live (so it was skipped)."""
    forced = next(s for s in sessions if s.id == forced_id)
    return _order(session) < _order(forced)


def boundaries(agenda: Iterable[Session]) -> tuple[datetime, ...]:
    """Return every moment a session starts or ends, sorted: phases change only there."""
    moments = {m for session in agenda for m in (session.starts, session.ends)}
    return tuple(sorted(moments))


def phase_key(moments: tuple[datetime, ...], view: StageView, now: datetime) -> Hashable:
    """Return a key that changes exactly when the programme may look different.

    It changes at session boundaries (`moments`, from `boundaries`) and on host decisions;
    between two, every session keeps its phase, so pages showing phases may be cached.
    """
    return (view.version, bisect_right(moments, now))


def next_boundary(moments: tuple[datetime, ...], now: datetime) -> datetime | None:
    """Return the next moment a session starts or ends after `now`, or None."""
    index = bisect_right(moments, now)
    return moments[index] if index < len(moments) else None
