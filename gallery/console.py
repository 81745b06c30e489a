"""What the host console reads and who it asks to act: the agenda with the host's decisions,
questions, recent chat and attendance; the Demo Day service for every change.

The console changes nothing itself: each form calls the same `DemoDay` method as the
matching host socket event (`app.extensions["gallery.demoday"]`), so a decision taken in
the console and one taken live are one and the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from flask import Flask

from . import i18n
from .content.model import Exhibition, Session
from .presence import LOBBY, StoreUnavailable, occupancy_of
from .records import ChatMessage, Question, Records, records_of
from .stage import LIVE, PAST, Programme

DEMODAY = "gallery.demoday"
STAGE = "gallery.stage"
CHAT_SHOWN = 8
MUTE_MINUTES = (5, 15, 60, 240)


class HostActions(Protocol):
    """The host use cases of the Demo Day service, as the console calls them.

    Each returns the ack the socket event would send (`{ok: true, ...}`) or raises
    `Refused` with the error; `actor` is the host id of the login.
    """

    def live(self, actor: str, session_id: str, state: str) -> dict[str, Any]:
        """Mark a session "live" or "ended" and tell everyone."""
        ...

    def spotlight(self, actor: str, exhibit: str | None) -> dict[str, Any]:
        """Spotlight "room/exhibit", or nothing."""
        ...

    def announce(self, actor: str, text: str) -> dict[str, Any]:
        """Send everyone an announcement."""
        ...

    def gather(self, actor: str, room: str) -> dict[str, Any]:
        """Invite everyone to a room."""
        ...

    def stop_tour(self) -> dict[str, Any]:
        """End the guided tour."""
        ...

    def moderate(self, actor: str, question_id: int, status: str) -> dict[str, Any]:
        """Mark a question open, answered or hidden."""
        ...

    def hide_chat(self, actor: str, message_id: int) -> dict[str, Any]:
        """Hide a chat message."""
        ...

    def mute(self, actor: str, visitor: str, minutes: int) -> dict[str, Any]:
        """Refuse a visitor's chat and questions for some minutes (0 lifts it)."""
        ...


def actions_of(app: Flask) -> HostActions | None:
    """Return the app's Demo Day service, or None while it has none."""
    return app.extensions.get(DEMODAY)


def stage_snapshot(app: Flask) -> dict[str, Any]:
    """Return the host's decisions: {sessions: {id: "live"|"ended"}, spotlight}."""
    stage = app.extensions.get(STAGE)
    if stage is None:
        return {"sessions": {}, "spotlight": None}
    return stage.snapshot()


@dataclass(frozen=True)
class AgendaRow:
    """One session of the agenda as the console lists it."""

    session: Session
    title: str
    when: str
    state: str  # "live", "ended" or "" (not yet)
    speakers: str
    by_host: bool = False  # the state is a host's decision, not the session's times


def _hours(moment: datetime, exhibition: Exhibition) -> str:
    """Return a time as HH:MM in the exhibition's time zone."""
    return moment.astimezone(exhibition.tz()).strftime("%H:%M")


def programme_states(programme: Programme) -> dict[str, str]:
    """Return each session's state as the stage shows it: "live", "ended" or "" (not yet).

    The host's decisions come first, else the times, so a session on by its times can be
    ended from the console without first being set live.
    """
    names = {LIVE: "live", PAST: "ended"}
    return {status.id: names.get(status.phase, "") for status in programme.statuses}


def agenda_rows(
    exhibition: Exhibition, states: Mapping[str, str], decided: Mapping[str, str] | None = None
) -> list[AgendaRow]:
    """Return the agenda's sessions in order, with their times and state.

    `states` gives each session's state; `decided` the host's decisions among them.
    """
    decided = states if decided is None else decided
    rows = []
    for session in exhibition.agenda:
        day = session.starts.astimezone(exhibition.tz()).strftime("%a %d %b")
        when = f"{day}, {_hours(session.starts, exhibition)}–{_hours(session.ends, exhibition)}"
        names = ", ".join(person.name for person in session.speakers)
        rows.append(
            AgendaRow(
                session,
                i18n.ltext(session.title, "en"),
                when,
                states.get(session.id, ""),
                names,
                session.id in decided,
            )
        )
    return rows


def chosen_session(exhibition: Exhibition, states: Mapping[str, str], wanted: str | None) -> str:
    """Return the session whose questions to show: the one asked for, a live one, or the first."""
    ids = [session.id for session in exhibition.agenda]
    if wanted in ids:
        return wanted  # type: ignore[return-value]
    live = [sid for sid in ids if states.get(sid) == "live"]
    if live:
        return live[-1]
    return ids[0] if ids else ""


def stage_room(exhibition: Exhibition, session_id: str) -> str | None:
    """Return the room a session takes place in: its own, or the first stage room."""
    for session in exhibition.agenda:
        if session.id == session_id and session.room:
            return session.room
    return next((room.slug for room in exhibition.rooms if room.kind == "stage"), None)


def questions(records: Records, session: str) -> list[Question]:
    """Return all questions of a session, hidden ones too, most votes first."""
    if not session:
        return []
    return records.questions(session, include_hidden=True)


def chat_places(exhibition: Exhibition) -> list[tuple[str, str]]:
    """Return (slug, title) of every place visitors chat in: the lobby, then each room."""
    return [(LOBBY, "Lobby")] + [
        (room.slug, i18n.ltext(room.title, "en")) for room in exhibition.rooms
    ]


def recent_chat(records: Records, exhibition: Exhibition) -> list[tuple[str, str, list[Any]]]:
    """Return (slug, title, last messages) for each place where something was said."""
    places = []
    for slug, title in chat_places(exhibition):
        messages: list[ChatMessage] = records.recent_chat(slug, CHAT_SHOWN)
        if messages:
            places.append((slug, title, messages))
    return places


def attendance_report(records: Any, exhibition: Exhibition) -> dict[str, Any]:
    """Return the attendance report's figures so far, as `gallery report` draws them."""
    from .attendance.report import report_context
    from .records.attendance import read_attendance

    return report_context(read_attendance(records.engine), exhibition, "en", exhibition.tz())


def attendance(app: Flask, exhibition: Exhibition) -> dict[str, Any]:
    """Return `{rooms: {slug: count}, lobby, total}` from live presence, as `occupancy` sends it."""
    presence = app.extensions.get("gallery.presence")
    rooms = [room.slug for room in exhibition.rooms]
    if presence is not None:
        try:
            return occupancy_of(presence.store, rooms)
        except StoreUnavailable:
            pass  # the console still opens; the store said once in the log that it is away
    return {"rooms": dict.fromkeys(rooms, 0), "lobby": 0, "total": 0}


def console_context(
    app: Flask, exhibition: Exhibition, wanted: str | None, programme: Programme | None = None
) -> dict[str, Any]:
    """Return everything the console page shows; `programme` is the stage's one now."""
    stage = stage_snapshot(app)
    decided = stage["sessions"]
    states = programme_states(programme) if programme is not None else decided
    records = records_of(app)
    session = chosen_session(exhibition, states, wanted)
    exhibits = [
        (f"{room.slug}/{ex.slug}", i18n.ltext(room.title, "en"), i18n.ltext(ex.title, "en"))
        for room in exhibition.rooms
        for ex in room.exhibits
    ]
    return dict(
        agenda=agenda_rows(exhibition, states, decided),
        stage_room=stage_room(exhibition, session),
        spotlight=stage["spotlight"],
        exhibits=exhibits,
        rooms=[(room.slug, i18n.ltext(room.title, "en")) for room in exhibition.rooms],
        session=session,
        questions=questions(records, session),
        chat=recent_chat(records, exhibition),
        attendance=attendance(app, exhibition),
        report=attendance_report(records, exhibition),
        report_every=round(float(app.config["ATTENDANCE_FLUSH"])),
        mute_minutes=MUTE_MINUTES,
        available=actions_of(app) is not None,
    )
