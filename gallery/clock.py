"""The one clock the gallery asks for "now": real UTC time, or a rehearsal of another moment.

`gallery serve --clock 2021-06-17T14:00+02:00` (or `GALLERY_CLOCK`) starts the clock at that
instant; it then runs on at normal speed, so that organisers can rehearse a Demo Day and
screenshots show a live stage. Tests put a `Clock` object in the configuration instead.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from time import monotonic
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class Clock(Protocol):
    """Something that tells the current moment, timezone-aware."""

    def now(self) -> datetime:
        """Return the current moment, in UTC."""
        ...


class SystemClock:
    """The real time."""

    def now(self) -> datetime:
        """Return the real current moment, in UTC."""
        return datetime.now(UTC)


class RehearsalClock:
    """A clock that started at a chosen moment and runs on at normal speed."""

    def __init__(self, start: datetime) -> None:
        self.start = start.astimezone(UTC)
        self._origin = monotonic()

    def now(self) -> datetime:
        """Return the start moment plus the time elapsed since the clock was made."""
        return self.start + timedelta(seconds=monotonic() - self._origin)


class FrozenClock:
    """A clock that stands still until moved: for tests."""

    def __init__(self, moment: datetime | str) -> None:
        self._lock = threading.Lock()
        self._moment = parse_moment(moment) if isinstance(moment, str) else moment.astimezone(UTC)

    def now(self) -> datetime:
        """Return the moment the clock was set to."""
        with self._lock:
            return self._moment

    def set(self, moment: datetime | str) -> None:
        """Move the clock to `moment`."""
        value = parse_moment(moment) if isinstance(moment, str) else moment.astimezone(UTC)
        with self._lock:
            self._moment = value

    def advance(self, seconds: float) -> None:
        """Move the clock forward by `seconds`."""
        with self._lock:
            self._moment += timedelta(seconds=seconds)


def parse_moment(text: str) -> datetime:
    """Read an ISO 8601 moment with its UTC offset, e.g. 2021-06-17T14:00+02:00."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"invalid moment '{text}' (expected e.g. 2021-06-17T14:00+02:00)"
        ) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"moment '{text}' has no UTC offset (add one, e.g. +02:00 or Z)")
    return moment.astimezone(UTC)


def make_clock(setting: Any) -> Clock:
    """Return the clock the CLOCK setting asks for: none is real time, a moment a rehearsal."""
    if setting is None or (isinstance(setting, str) and not setting.strip()):
        return SystemClock()
    if isinstance(setting, str):
        return RehearsalClock(parse_moment(setting))
    if isinstance(setting, datetime):
        return RehearsalClock(setting)
    if isinstance(setting, Clock):
        return setting
    raise TypeError(f"CLOCK must be a moment or a Clock, not {type(setting).__name__}")
