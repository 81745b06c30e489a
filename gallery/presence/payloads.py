"""Checking the payloads clients send, at the edge, before anything touches the state.

Payloads are dicts with fixed keys. Unknown keys are ignored so that newer clients can
add optional keys without being refused by older servers; a known key of the wrong type
refuses the whole event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .colours import palette_index
from .text import clean_name, clean_text

BAD_PAYLOAD = "bad payload"
UNKNOWN_ROOM = "unknown room"
UNKNOWN_EXHIBIT = "unknown exhibit"
NOT_IN_ROOM = "not in a room"
EMPTY_MESSAGE = "empty message"
TOO_LONG = "message too long"
RATE_LIMITED = "rate limited"
UNKNOWN_EVENT = "unknown event"
INTERNAL_ERROR = "internal error"
# The servers' shared store (Redis) cannot be reached: live presence is degraded for a while.
UNAVAILABLE = "unavailable"
# The gallery is not open: before its opening (hosts excepted) or after its closing.
CLOSED = "closed"

# Longest slug accepted before even looking it up; exhibition slugs are far shorter.
SLUG_MAX = 200


class Refused(Exception):
    """A payload that cannot be accepted; the message is the `error` of the ack."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


@dataclass(frozen=True, slots=True)
class Enter:
    """A checked `enter` payload: room and exhibit slugs, cleaned name, visibility, colour."""

    room: str
    exhibit: str | None
    name: str  # cleaned; empty when the visitor gave none
    invisible: bool
    colour: int | None = None  # the palette index of the colour asked for, if it is one


def parse_enter(payload: Any, name_max: int) -> Enter:
    """Check an `enter` payload's shape and clean its name, or raise `Refused`."""
    if not isinstance(payload, dict):
        raise Refused(BAD_PAYLOAD)
    room = payload.get("room")
    exhibit = payload.get("exhibit")
    name = payload.get("name")
    invisible = payload.get("invisible", False)
    colour = payload.get("colour")
    if not isinstance(room, str) or not room or len(room) > SLUG_MAX:
        raise Refused(BAD_PAYLOAD)
    if exhibit is not None and (not isinstance(exhibit, str) or len(exhibit) > SLUG_MAX):
        raise Refused(BAD_PAYLOAD)
    if name is not None and not isinstance(name, str):
        raise Refused(BAD_PAYLOAD)
    if not isinstance(invisible, bool):
        raise Refused(BAD_PAYLOAD)
    if colour is not None and not isinstance(colour, str):
        raise Refused(BAD_PAYLOAD)
    # Reading a huge name whole only to cut it would let a client make the server work.
    if name is not None:
        name = clean_name(name[: name_max * 4], name_max)
    # A colour that is not in the palette (an older or newer one) is no wish at all.
    return Enter(room, exhibit or None, name or "", invisible, palette_index(colour))


def parse_watch(payload: Any) -> bool:
    """Check a `watch` payload and return whether the client wants the plan's feed."""
    if not isinstance(payload, dict) or not isinstance(payload.get("plan"), bool):
        raise Refused(BAD_PAYLOAD)
    return payload["plan"]


def parse_chat(payload: Any, chat_max: int) -> str:
    """Check a `chat` payload and return its cleaned text, or raise `Refused`."""
    if not isinstance(payload, dict):
        raise Refused(BAD_PAYLOAD)
    return parse_text(payload.get("text"), chat_max, EMPTY_MESSAGE, TOO_LONG)


def parse_text(value: Any, limit: int, empty: str, too_long: str) -> str:
    """Return `value` cleaned like chat, 1 to `limit` characters, or raise `Refused`."""
    if not isinstance(value, str):
        raise Refused(BAD_PAYLOAD)
    # Cleaning a huge text only to refuse it would let a client make the server work.
    if len(value) > limit * 4:
        raise Refused(too_long)
    text = clean_text(value)
    if not text:
        raise Refused(empty)
    if len(text) > limit:
        raise Refused(too_long)
    return text
