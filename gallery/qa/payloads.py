"""Checking the Demo Day payloads at the edge, in the style of the presence payloads.

Each parser returns plain checked values or raises `Refused` with one of the error strings
below, which are part of the protocol (docs/protocol.md). Whether a session, room, exhibit
or question exists is the service's to say: it depends on the exhibition and the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..presence.payloads import BAD_PAYLOAD, SLUG_MAX, Refused
from ..presence.payloads import parse_text as parse_chat_text

UNKNOWN_SESSION = "unknown session"
UNKNOWN_QUESTION = "unknown question"
QUESTION_HIDDEN = "question hidden"
UNKNOWN_MESSAGE = "unknown message"
UNKNOWN_VISITOR = "unknown visitor"
TEXT_EMPTY = "text empty"
TEXT_TOO_LONG = "text too long"
FORBIDDEN = "forbidden"
MUTED = "muted"

LIVE_STATES = ("live", "ended")
TOUR_STATES = ("start", "stop")
STATUSES = ("open", "answered", "hidden")
# Longest mute a host may give at once, in minutes: a day.
MUTE_MAX = 24 * 60
# Ids are SQL integers: anything past 2**63 cannot name a row (and would overflow the driver).
ID_MAX = 2**63 - 1


@dataclass(frozen=True, slots=True)
class Ask:
    """A checked `ask` payload: the session's id and the cleaned question."""

    session: str
    text: str


def _object(payload: Any) -> dict[str, Any]:
    """Return the payload if it is a JSON object, or refuse it."""
    if not isinstance(payload, dict):
        raise Refused(BAD_PAYLOAD)
    return payload


def _slug(value: Any) -> str:
    """Return `value` if it is a non-empty string short enough to be a slug or an id."""
    if not isinstance(value, str) or not value or len(value) > SLUG_MAX:
        raise Refused(BAD_PAYLOAD)
    return value


def _id(value: Any) -> int:
    """Return `value` if it is a positive integer (JSON booleans are not numbers here)."""
    if type(value) is not int or not 0 < value <= ID_MAX:
        raise Refused(BAD_PAYLOAD)
    return value


def _choice(value: Any, choices: tuple[str, ...]) -> str:
    """Return `value` if it is one of `choices`."""
    if not isinstance(value, str) or value not in choices:
        raise Refused(BAD_PAYLOAD)
    return value


def parse_text(value: Any, limit: int) -> str:
    """Return a question or announcement cleaned like chat, 1 to `limit` characters."""
    return parse_chat_text(value, limit, TEXT_EMPTY, TEXT_TOO_LONG)


def parse_ask(payload: Any, limit: int) -> Ask:
    """Check an `ask` payload {session, text}."""
    payload = _object(payload)
    return Ask(_slug(payload.get("session")), parse_text(payload.get("text"), limit))


def parse_vote(payload: Any) -> int:
    """Check a `vote` payload {question} and return the question's id."""
    return _id(_object(payload).get("question"))


def parse_session(payload: Any) -> str:
    """Check a payload {session} (`applaud`) and return the session's id."""
    return _slug(_object(payload).get("session"))


def parse_live(payload: Any) -> tuple[str, str]:
    """Check a `live` payload {session, state: "live"|"ended"}."""
    payload = _object(payload)
    return _slug(payload.get("session")), _choice(payload.get("state"), LIVE_STATES)


def parse_spotlight(payload: Any) -> str | None:
    """Check a `spotlight` payload {exhibit: "room/exhibit"|null}."""
    exhibit = _object(payload).get("exhibit", ...)
    if exhibit is None:
        return None
    room, _, slug = _slug(exhibit).partition("/")
    if not room or not slug or "/" in slug:
        raise Refused(BAD_PAYLOAD)
    return exhibit


def parse_announce(payload: Any, limit: int) -> str:
    """Check an `announce` payload {text} and return the cleaned text."""
    return parse_text(_object(payload).get("text"), limit)


def parse_gather(payload: Any) -> str:
    """Check a `gather` payload {room} and return the room's slug."""
    return _slug(_object(payload).get("room"))


def parse_tour(payload: Any) -> bool:
    """Check a `tour` payload {state: "start"|"stop"}; tell whether the tour starts."""
    return _choice(_object(payload).get("state"), TOUR_STATES) == "start"


def parse_moderate(payload: Any) -> tuple[int, str]:
    """Check a `moderate` payload {question, status: "open"|"answered"|"hidden"}."""
    payload = _object(payload)
    return _id(payload.get("question")), _choice(payload.get("status"), STATUSES)


def parse_hide_chat(payload: Any) -> int:
    """Check a `hide_chat` payload {message} and return the message's id."""
    return _id(_object(payload).get("message"))


def parse_mute(payload: Any) -> tuple[str, int]:
    """Check a `mute` payload {visitor, minutes}: a visitor id and 0 (lift) to a day."""
    payload = _object(payload)
    minutes = payload.get("minutes")
    if type(minutes) is not int or not 0 <= minutes <= MUTE_MAX:
        raise Refused(BAD_PAYLOAD)
    return _slug(payload.get("visitor")), minutes
