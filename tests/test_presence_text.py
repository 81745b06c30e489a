"""Cleaning names and chat text, checking payloads and the per-connection token bucket."""

from __future__ import annotations

import pytest

from gallery.presence import Refused, parse_chat, parse_enter
from gallery.presence.limits import TokenBucket
from gallery.presence.text import clean_name, clean_text, default_name


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Ada  ", "Ada"),
        ("Ada\x00\x07Lovelace", "Ada Lovelace"),
        ("a\nb\tc\r\nd", "a b c d"),
        ("\u202eevil\u202c", "evil"),
        ("<b>Ada</b> & co", "<b>Ada</b> & co"),
        ("\x85\x9f", ""),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    """Controls and bidi overrides become spaces, spaces collapse, HTML stays as text."""
    assert clean_text(raw) == clean


def test_clean_name_cuts_to_the_limit() -> None:
    """Clean name cuts to the limit."""
    assert clean_name("x" * 100, 40) == "x" * 40
    assert clean_name("abc  def", 4) == "abc"
    assert clean_name(None, 40) == ""


def test_default_name_follows_the_language() -> None:
    """Default name follows the language."""
    assert default_name(42, "fr") == "Visiteur 42"
    assert default_name(7, "en") == "Visitor 7"
    assert default_name(7, "xx") == "Visitor 7"


@pytest.mark.parametrize(
    "payload",
    [
        None,
        "hall",
        ["hall"],
        42,
        {},
        {"room": 1},
        {"room": ""},
        {"room": "x" * 201},
        {"room": "hall", "exhibit": 3},
        {"room": "hall", "name": ["Ada"]},
        {"room": "hall", "invisible": "yes"},
    ],
)
def test_parse_enter_refuses_bad_shapes(payload: object) -> None:
    """Enter payloads of the wrong shape are refused as a bad payload."""
    with pytest.raises(Refused) as refused:
        parse_enter(payload, 40)
    assert refused.value.error == "bad payload"


def test_parse_enter_ignores_unknown_keys_and_cleans_the_name() -> None:
    """Parse enter ignores unknown keys and cleans the name."""
    entered = parse_enter({"room": "hall", "name": " <i>Ada</i>\x00 " + "x" * 99, "x": 1}, 20)
    assert (entered.room, entered.exhibit, entered.invisible) == ("hall", None, False)
    assert entered.name == "<i>Ada</i> xxxxxxxxx"
    assert parse_enter({"room": "hall", "exhibit": "", "invisible": True}, 20).invisible


@pytest.mark.parametrize(
    ("payload", "error"),
    [
        ("hi", "bad payload"),
        ({}, "bad payload"),
        ({"text": 5}, "bad payload"),
        ({"text": "   \x00 "}, "empty message"),
        ({"text": "x" * 11}, "message too long"),
        ({"text": "x" * 1000}, "message too long"),
    ],
)
def test_parse_chat_refuses(payload: object, error: str) -> None:
    """Bad chat payloads are refused with the documented error."""
    with pytest.raises(Refused) as refused:
        parse_chat(payload, 10)
    assert refused.value.error == error


def test_parse_chat_keeps_html_as_text() -> None:
    """Parse chat keeps HTML as text."""
    assert parse_chat({"text": " <script>x</script> &amp; "}, 100) == "<script>x</script> &amp;"


def test_token_bucket_allows_a_burst_then_the_rate() -> None:
    """Token bucket allows a burst then the rate."""
    bucket = TokenBucket(rate=10, burst=20, now=0.0)
    assert all(bucket.allow(now=0.0) for _ in range(20))
    assert not bucket.allow(now=0.0)
    assert bucket.allow(now=0.1)
    assert not bucket.allow(now=0.1)
    assert sum(bucket.allow(now=100.0) for _ in range(30)) == 20
