"""Checking the Demo Day payloads: every parser, its accepted shapes and its refusals."""

from __future__ import annotations

from typing import Any

import pytest

from gallery.presence import Refused
from gallery.qa import payloads as p


def refused(parse: Any, payload: Any, *args: Any) -> str:
    """Return the error `parse` refuses `payload` with."""
    with pytest.raises(Refused) as caught:
        parse(payload, *args)
    return caught.value.error


def test_ask_cleans_the_text_like_chat() -> None:
    asked = p.parse_ask({"session": "opening", "text": " Why\u202e\n now? ", "extra": 1}, 500)
    assert asked == p.Ask("opening", "Why now?")


@pytest.mark.parametrize(
    ("payload", "error"),
    [
        ([], "bad payload"),
        ({"text": "Hi"}, "bad payload"),
        ({"session": "", "text": "Hi"}, "bad payload"),
        ({"session": "s" * 201, "text": "Hi"}, "bad payload"),
        ({"session": "opening", "text": None}, "bad payload"),
        ({"session": "opening", "text": "   "}, "text empty"),
        ({"session": "opening", "text": "x" * 11}, "text too long"),
    ],
)
def test_ask_refusals(payload: Any, error: str) -> None:
    assert refused(p.parse_ask, payload, 10) == error


def test_text_of_exactly_the_limit_is_accepted() -> None:
    assert p.parse_text("x" * 10, 10) == "x" * 10


@pytest.mark.parametrize("question", [None, "3", 3.0, True, False, 0, -1, 2**63])
def test_vote_needs_a_positive_integer(question: Any) -> None:
    assert refused(p.parse_vote, {"question": question}) == "bad payload"


def test_vote_and_ids() -> None:
    assert p.parse_vote({"question": 3}) == 3
    assert p.parse_hide_chat({"message": 2**63 - 1}) == 2**63 - 1
    assert p.parse_session({"session": "opening"}) == "opening"


def test_host_payloads() -> None:
    assert p.parse_live({"session": "opening", "state": "ended"}) == ("opening", "ended")
    assert p.parse_spotlight({"exhibit": "lab/maps"}) == "lab/maps"
    assert p.parse_spotlight({"exhibit": None}) is None
    assert p.parse_announce({"text": " Hi "}, 500) == "Hi"
    assert p.parse_gather({"room": "stage"}) == "stage"
    assert p.parse_tour({"state": "start"}) is True
    assert p.parse_tour({"state": "stop"}) is False
    assert p.parse_moderate({"question": 1, "status": "hidden"}) == (1, "hidden")
    assert p.parse_mute({"visitor": "kq3Xz0aB", "minutes": 0}) == ("kq3Xz0aB", 0)


@pytest.mark.parametrize(
    ("parse", "payload"),
    [
        (p.parse_live, {"session": "opening", "state": "LIVE"}),
        (p.parse_live, {"session": "opening"}),
        (p.parse_spotlight, {}),
        (p.parse_spotlight, {"exhibit": ""}),
        (p.parse_spotlight, {"exhibit": "/maps"}),
        (p.parse_spotlight, {"exhibit": "lab/"}),
        (p.parse_spotlight, {"exhibit": 3}),
        (p.parse_gather, {"room": None}),
        (p.parse_tour, {"state": True}),
        (p.parse_moderate, {"question": 1, "status": "open "}),
        (p.parse_mute, {"visitor": "x", "minutes": 1.5}),
        (p.parse_mute, {"visitor": "x", "minutes": True}),
        (p.parse_mute, {"visitor": "x", "minutes": p.MUTE_MAX + 1}),
        (p.parse_mute, {"visitor": 3, "minutes": 1}),
        (p.parse_mute, "x"),
    ],
)
def test_host_payload_refusals(parse: Any, payload: Any) -> None:
    assert refused(parse, payload) == "bad payload"
