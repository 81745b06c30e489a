"""What the host decided about the programme: sessions set live or ended, and the spotlight.

Held in memory by each process; the records store keeps the sessions' states, and
`gallery serve` restores them at start-up (`restore`), so a restart does not put a session
the host ended back on air. Every change bumps `version`, which pages cached per programme
state include in their key (see `gallery.stage.programme.phase_key`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

LIVE = "live"
ENDED = "ended"
HOST_STATES = (LIVE, ENDED)


@dataclass(frozen=True)
class StageView:
    """One consistent reading of the host's decisions."""

    version: int = 0
    # session id -> (state, order of the decision): a later "live" in a room wins.
    overrides: Mapping[str, tuple[str, int]] = field(default_factory=lambda: MappingProxyType({}))
    spotlight: str | None = None
    changed_at: datetime | None = None  # real time of the last decision, for Last-Modified

    def state(self, session_id: str) -> str | None:
        """Return "live" or "ended" when the host decided so for `session_id`, else None."""
        found = self.overrides.get(session_id)
        return found[0] if found else None


class StageState:
    """The host's overrides of the programme, shared by pages and host events, lock-guarded."""

    def __init__(self, real_time: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._real_time = real_time
        self._lock = threading.Lock()
        self._view = StageView()
        self._order = 0

    @property
    def version(self) -> int:
        """A number that changes on every change of the state."""
        return self._view.version

    def view(self) -> StageView:
        """Return the state as it is now; it never changes afterwards."""
        return self._view

    def live(self, session_id: str, state: str) -> bool:
        """Set session `session_id` "live" or "ended"; return whether anything changed."""
        if state not in HOST_STATES:
            raise ValueError(f"state must be one of {', '.join(HOST_STATES)}, not {state!r}")
        if not isinstance(session_id, str) or not session_id:
            raise ValueError("session id must be a non-empty string")
        with self._lock:
            view = self._view
            # Again the same, unless other decisions came since (setting it live again then
            # takes its room back from a session set live after it).
            if view.overrides.get(session_id) == (state, self._order):
                return False
            self._order += 1
            overrides = dict(view.overrides)
            overrides[session_id] = (state, self._order)
            self._swap(overrides, view.spotlight)
            return True

    def restore(self, states: Mapping[str, str]) -> None:
        """Replay recorded host decisions, oldest first; "scheduled" ones are skipped."""
        for session_id, state in states.items():
            if state in HOST_STATES:
                self.live(session_id, state)

    def spotlight(self, exhibit: str | None) -> bool:
        """Put exhibit "room/exhibit" in the spotlight, or none; return whether it changed."""
        if exhibit is not None and (not isinstance(exhibit, str) or "/" not in exhibit):
            raise ValueError("spotlight must be 'room/exhibit' or None")
        with self._lock:
            view = self._view
            if view.spotlight == exhibit:
                return False
            self._swap(dict(view.overrides), exhibit)
            return True

    def _swap(self, overrides: dict[str, tuple[str, int]], spotlight: str | None) -> None:
        """Replace the view whole (lock held), so readers never see half a change."""
        self._view = StageView(
            self._view.version + 1, MappingProxyType(overrides), spotlight, self._real_time()
        )

    def snapshot(self) -> dict[str, Any]:
        """Return the state as JSON-ready data: version, sessions' host states, spotlight."""
        view = self._view
        return {
            "version": view.version,
            "sessions": {sid: state for sid, (state, _order) in view.overrides.items()},
            "spotlight": view.spotlight,
        }
