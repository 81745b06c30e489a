"""Cleaning names and chat text, checking payloads and the per-connection token bucket."""

from __future__ import annotations

import pytest

from gallery.presence import Refused, parse_chat, parse_enter
from gallery.presence.limits import TokenBucket
from gallery.presence.text import claims_default_name, clean_name, clean_text, default_name


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


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Ev\u200be", "Eve"),  # a zero-width space: a look-alike of "Eve"
        ("\u00adA\u2060d\ufeffa\u00ad", "Ada"),  # soft hyphen, word joiner, BOM
        ("Ada\U000e0041\U000e007f", "Ada"),  # tag characters
        ("Ev\u200de", "Eve"),  # a joiner between ASCII letters joins nothing
        ("Ada \u200b Lovelace", "Ada Lovelace"),
        ("Ada\u202eLovelace", "Ada Lovelace"),  # bidi overrides still become spaces
        (
            "\u0645\u06cc\u200c\u062e\u0648\u0627\u0645",
            "\u0645\u06cc\u200c\u062e\u0648\u0627\u0645",
        ),
        ("\U0001f469\u200d\U0001f4bb", "\U0001f469\u200d\U0001f4bb"),  # an emoji sequence
        ("José", "José"),
        ("Ada 42", "Ada 42"),
        ("Visitor", "Visitor"),
        ("Visitors 42", "Visitors 42"),
        ("Visitor 42b", "Visitor 42b"),
    ],
)
def test_clean_name_strips_format_characters(raw: str, clean: str) -> None:
    """Format characters go from names, except joiners that scripts and emoji need."""
    assert clean_name(raw, 40) == clean


@pytest.mark.parametrize(
    "raw",
    [
        "\u200b",
        "\u200b\u200c\u200d\u2060\ufeff\u00ad",
        "\U000e0041\U000e0064",
        "\u3164\u3164",  # Hangul fillers
        "\u2800",  # the braille blank
        "\u0301\u0301",  # combining marks with nothing to combine with
        " \u200b \u034f ",
    ],
)
def test_a_name_nothing_of_which_shows_is_empty(raw: str) -> None:
    """A name made only of invisible characters is no name: the server gives a default."""
    assert clean_name(raw, 40) == ""


@pytest.mark.parametrize(
    "raw",
    [
        "Visitor 7",
        "Visiteur 42",
        "visitor 7",
        "VISITEUR-42",
        "Visitor42",
        "Visitor #7",
        "Visi\u200btor 7",  # a zero-width space inside
        "Visitor \uff14\uff12",  # full-width digits
        "  Visitor   7 ",
    ],
)
def test_a_name_claiming_the_default_pattern_is_empty(raw: str) -> None:
    """Names reading like a default one, in any interface language, are not accepted."""
    assert clean_name(raw, 40) == ""


@pytest.mark.parametrize("lang", ["en", "fr", "de", "es", "it", "xx"])
def test_default_names_claim_the_default_pattern(lang: str) -> None:
    """The server's own default names are exactly those a visitor may not take."""
    assert claims_default_name(default_name(42, lang))


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


def test_an_ascii_name_is_cleaned_as_any_other_name() -> None:
    """The shortcut for ASCII names gives what the character-by-character cleaning gives."""
    import random

    from gallery.presence.text import _clean_any_name

    pick = random.Random(5)
    pieces = ["Ada", " ", "  ", "\t", "\x00", "\x1b", "\x7f", "\n", "Visitor", "42", "_", "-", "x"]
    names = ["Visitor 42", " visitor_7 ", "\x00", "   ", "a\tb", "Visiteur 3x", "x" * 60]
    names += ["".join(pick.choices(pieces, k=pick.randrange(1, 8))) for _ in range(3000)]
    for name in names:
        for limit in (1, 4, 40):
            assert clean_name(name, limit) == _clean_any_name(name, limit), (name, limit)
