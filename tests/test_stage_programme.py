"""The programme at a moment: phases at session boundaries, and the host's overrides."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest

from gallery.content.model import LText, Session
from gallery.stage import (
    LATER,
    LIVE,
    NEXT,
    PAST,
    StageState,
    StageView,
    boundaries,
    next_boundary,
    phase_key,
    programme,
)

PARIS = timezone(timedelta(hours=2))


def at(hour: int, minute: int = 0, second: int = 0) -> datetime:
    """A moment on Demo Day, Paris summer time."""
    return datetime(2021, 6, 17, hour, minute, second, tzinfo=PARIS)


def session(sid: str, start: tuple[int, int], end: tuple[int, int], room: str = "stage") -> Session:
    """A session on Demo Day."""
    return Session(sid, LText((("en", sid),), "en"), at(*start), at(*end), room=room)


AGENDA = (
    session("opening", (14, 0), (14, 15)),
    session("round-table", (14, 30), (15, 30)),
    session("panel", (15, 45), (16, 45)),
)
NO_HOST = StageView()


def phases(now: datetime, view: StageView = NO_HOST, agenda=AGENDA) -> dict[str, str]:
    """Return session id -> phase at `now`."""
    return {s.id: s.phase for s in programme(agenda, view, now).statuses}


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(13, 59, 59), {"opening": NEXT, "round-table": LATER, "panel": LATER}),
        (at(14, 0), {"opening": LIVE, "round-table": NEXT, "panel": LATER}),
        (at(14, 14, 59), {"opening": LIVE, "round-table": NEXT, "panel": LATER}),
        (at(14, 15), {"opening": PAST, "round-table": NEXT, "panel": LATER}),
        (at(14, 30), {"opening": PAST, "round-table": LIVE, "panel": NEXT}),
        (at(16, 44, 59), {"opening": PAST, "round-table": PAST, "panel": LIVE}),
        (at(16, 45), {"opening": PAST, "round-table": PAST, "panel": PAST}),
    ],
)
def test_phases_at_the_boundaries(now: datetime, expected: dict[str, str]) -> None:
    """A session is live from its start (included) to its end (excluded)."""
    assert phases(now) == expected


def test_the_next_session_counts_down_whole_seconds() -> None:
    result = programme(AGENDA, NO_HOST, at(13, 58, 30) + timedelta(milliseconds=400))
    [upcoming] = result.next
    assert upcoming.id == "opening"
    assert upcoming.seconds == 90  # 89.6 s rounds up: it is not on yet
    assert result.of("panel").seconds == (105 * 60) + 90


def test_each_room_has_its_own_next() -> None:
    agenda = (*AGENDA, session("workshop", (15, 0), (16, 0), room="lab"))
    assert phases(at(14, 0), agenda=agenda)["workshop"] == NEXT


def test_sessions_are_in_starting_order_whatever_the_agenda_order() -> None:
    result = programme(reversed(AGENDA), NO_HOST, at(12))
    assert [s.id for s in result.statuses] == ["opening", "round-table", "panel"]


def test_the_host_sets_a_session_live_early() -> None:
    state = StageState()
    state.live("round-table", "live")
    result = phases(at(14, 5), state.view())
    # The opening, on by its times, gives way to the session the host started.
    assert result == {"opening": PAST, "round-table": LIVE, "panel": NEXT}
    assert programme(AGENDA, state.view(), at(14, 5)).of("round-table").by_host


def test_a_session_set_live_stays_live_after_its_planned_end() -> None:
    state = StageState()
    state.live("opening", "live")
    assert phases(at(14, 20), state.view())["opening"] == LIVE


def test_the_host_ends_a_session_early() -> None:
    state = StageState()
    state.live("opening", "ended")
    assert phases(at(14, 5), state.view()) == {"opening": PAST, "round-table": NEXT, "panel": LATER}


def test_restoring_recorded_decisions_gives_the_same_stage() -> None:
    decided = StageState()
    decided.live("round-table", "live")
    decided.live("opening", "live")
    decided.live("panel", "ended")
    restored = StageState()
    restored.restore({"round-table": "live", "opening": "live", "panel": "ended", "x": "scheduled"})
    assert restored.snapshot()["sessions"] == decided.snapshot()["sessions"]
    assert phases(at(14, 5), restored.view()) == phases(at(14, 5), decided.view())


def test_the_latest_session_set_live_in_a_room_wins() -> None:
    state = StageState()
    state.live("opening", "live")
    state.live("round-table", "live")
    assert phases(at(14, 5), state.view())["opening"] == PAST
    # Setting the opening live again takes the stage back; the round table is to come.
    assert state.live("opening", "live") is True
    assert phases(at(14, 5), state.view()) == {"opening": LIVE, "round-table": NEXT, "panel": LATER}


def test_skipped_sessions_are_not_next() -> None:
    state = StageState()
    state.live("panel", "live")
    result = phases(at(14, 5), state.view())
    assert result == {"opening": PAST, "round-table": LATER, "panel": LIVE}


def test_the_spotlight_names_the_exhibit_of_the_live_session() -> None:
    agenda = (
        Session(
            "opening", LText((("en", "O"),), "en"), at(14), at(15), "stage", exhibit="lab/maps"
        ),
    )
    state = StageState()
    result = programme(agenda, state.view(), at(14, 5))
    assert result.pitched(result.live[0]) == "lab/maps"
    state.spotlight("lab/lanterns")
    result = programme(agenda, state.view(), at(14, 5))
    assert result.pitched(result.live[0]) == "lab/lanterns"
    # Before it starts, a session names its own exhibit.
    early = programme(agenda, state.view(), at(13))
    assert early.pitched(early.statuses[0]) == "lab/maps"


def test_the_state_version_changes_on_every_change_only() -> None:
    state = StageState()
    versions = [state.version]
    assert state.live("opening", "live") is True
    versions.append(state.version)
    assert state.live("opening", "live") is False  # no change, same version
    assert state.version == versions[-1]
    assert state.spotlight("lab/maps") is True
    versions.append(state.version)
    assert state.spotlight("lab/maps") is False
    assert state.spotlight(None) is True
    versions.append(state.version)
    assert len(set(versions)) == len(versions)
    assert state.snapshot() == {
        "version": versions[-1],
        "sessions": {"opening": "live"},
        "spotlight": None,
    }


@pytest.mark.parametrize(
    ("call", "args"),
    [
        ("live", ("opening", "paused")),
        ("live", ("", "live")),
        ("live", (None, "live")),
        ("spotlight", ("maps",)),
        ("spotlight", (3,)),
    ],
)
def test_the_state_refuses_bad_values(call: str, args: tuple) -> None:
    state = StageState()
    with pytest.raises(ValueError):
        getattr(state, call)(*args)
    assert state.version == 0


def test_concurrent_changes_are_all_counted() -> None:
    state = StageState()

    def toggle(sid: str) -> None:
        for n in range(200):
            state.live(sid, "live" if n % 2 else "ended")

    threads = [threading.Thread(target=toggle, args=(f"s{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert state.version == 4 * 200
    assert state.view().version == state.version


def test_phase_key_changes_only_at_boundaries_and_on_host_decisions() -> None:
    moments = boundaries(AGENDA)
    state = StageState()
    keys = {phase_key(moments, state.view(), at(14, m)) for m in range(0, 15)}
    assert len(keys) == 1  # the whole opening is one phase
    assert phase_key(moments, state.view(), at(14, 15)) not in keys
    before = phase_key(moments, state.view(), at(14, 5))
    state.spotlight("lab/maps")
    assert phase_key(moments, state.view(), at(14, 5)) != before
    assert next_boundary(moments, at(14, 5)) == at(14, 15)
    assert next_boundary(moments, at(14, 15)) == at(14, 30)
    assert next_boundary(moments, at(17)) is None
