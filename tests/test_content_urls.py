"""URLs from room files: what is refused, and why, before any reaches a page or a header."""

from __future__ import annotations

import pytest

from gallery.content import Exhibition, LText
from gallery.content.urls import (
    browser_url,
    contact_problem,
    hostname,
    origin,
    shown,
    url_problem,
)

WEB = ("http", "https")
LINK = ("http", "https", "mailto")


@pytest.mark.parametrize(
    ("url", "schemes", "problem"),
    [
        # The header injection of a PeerTube-shaped URL.
        (
            "https://evil.example; script-src-elem 'unsafe-inline' x/w/abc",
            WEB,
            "a URL may not hold ';', write it as %3B",
        ),
        (
            "https://evil.example;script-src-elem/w/abc",
            WEB,
            "a URL may not hold ';', write it as %3B",
        ),
        ("javascript:alert(document.domain)", LINK, "expected http, https or mailto"),
        ("JavaScript:alert(1)", WEB, "expected http or https"),
        ("data:text/html,x", LINK, "expected http, https or mailto"),
        ("ftp://x", LINK, "expected http, https or mailto"),
        ("//evil.example/x", WEB, "expected http or https"),
        ("evil.example/x", WEB, "expected http or https"),
        (" https://evil.example/", WEB, "expected http or https"),
        ("https:evil.example", WEB, "no host name"),
        ("https:/evil.example", WEB, "no host name"),
        ("https:///evil.example", WEB, "no host name"),
        ("https:\\\\evil.example\\x", WEB, "a URL may not hold a backslash, write it as %5C"),
        (
            "https://good.example\\@evil.example/",
            WEB,
            "a URL may not hold a backslash, write it as %5C",
        ),
        ("https://evil.example/\tx", WEB, "a URL may not hold the invisible character U+0009"),
        ("https://evil\n.example/", WEB, "a URL may not hold the invisible character U+000A"),
        ("https://evil.example/\x00", WEB, "a URL may not hold the invisible character U+0000"),
        ("https://evil.example/\u200bx", WEB, "a URL may not hold the invisible character U+200B"),
        ("https://evil.example/\u202ex", WEB, "a URL may not hold the invisible character U+202E"),
        ("https://evil.example/\u00a0", WEB, "a URL may not hold the invisible character U+00A0"),
        ('https://evil.example/"x', WEB, "a URL may not hold a double quote, write it as %22"),
        ("https://evil.example/'x", WEB, "a URL may not hold an apostrophe, write it as %27"),
        ("https://evil.example/`x", WEB, "a URL may not hold a backquote, write it as %60"),
        ("https://evil.example/<x>", WEB, "a URL may not hold '<', write it as %3C"),
        ("https://good.example@evil.example/", WEB, "a user name or password is not allowed"),
        ("https://user:pass@evil.example/", WEB, "a user name or password is not allowed"),
        ("https://@evil.example/", WEB, "a user name or password is not allowed"),
        ("https://evil.example:99999/", WEB, "invalid port"),
        ("https://evil.example:x/", WEB, "invalid port"),
        ("https://evil.example:0/", WEB, "invalid port"),
        ("https://evil.example:/", WEB, "invalid port"),
        ("https://evil_host.example/", WEB, "'evil_host.example' is not a valid host name"),
        ("https://-evil.example/", WEB, "'-evil.example' is not a valid host name"),
        ("https://evil..example/", WEB, "'evil..example' is not a valid host name"),
        ("https://evil.example./", WEB, "'evil.example.' is not a valid host name"),
        ("https://ev%69l.example/", WEB, "'ev%69l.example' is not a valid host name"),
        (
            "https://" + "a" * 64 + ".example/",
            WEB,
            f"'{'a' * 64}.example' is not a valid host name",
        ),
        ("https://\u2603.example/", WEB, "'\u2603.example' is not a valid host name"),
        ("https://[::1]/", WEB, "'::1' is not a valid host name"),
        ("https://example.0x7f/", WEB, "'example.0x7f' is not a valid host name"),
        ("https://1.2.3/", WEB, "'1.2.3' is not a valid host name"),
        ("https://300.1.1.1/", WEB, "'300.1.1.1' is not a valid host name"),
        ("https://[evil.example/", WEB, "not a valid URL"),
        ("mailto:", LINK, "'' is not an email address"),
        ("mailto:nobody", LINK, "'nobody' is not an email address"),
        ("mailto:a@evil_host", LINK, "'a@evil_host' is not an email address"),
        ("mailto:a@b.example", WEB, "expected http or https"),
    ],
)
def test_refused_urls(url: str, schemes: tuple[str, ...], problem: str) -> None:
    assert url_problem(url, schemes) == problem


@pytest.mark.parametrize(
    ("url", "schemes"),
    [
        ("https://example.org/", WEB),
        ("HTTPS://Example.ORG/Path?q=1#top", WEB),
        ("http://example.org:8080/a/b", WEB),
        ("https://vidéos.example.org/w/abc", WEB),
        ("https://192.0.2.10/w/abc", WEB),
        ("https://localhost/", WEB),
        ("https://example.org/a%20b?q=%22x%22", WEB),
        ("https://example.org/@user/videos", WEB),
        ("mailto:contact@example.org", LINK),
        ("mailto:first.last+tag@example.org?subject=Hello", LINK),
    ],
)
def test_accepted_urls(url: str, schemes: tuple[str, ...]) -> None:
    assert url_problem(url, schemes) is None


@pytest.mark.parametrize(
    ("contact", "problem"),
    [
        ("contact@example.org", None),
        ("mailto:contact@example.org", None),
        ("https://example.org/contact", None),
        (
            "javascript:alert(document.domain)",
            "expected an email address, or an http, https or mailto URL",
        ),
        (
            "JAVASCRIPT:alert(1)//@example.org",
            "expected an email address, or an http, https or mailto URL",
        ),
        ("ask at the desk", "expected an email address, or an http, https or mailto URL"),
        ("www.example.org", "expected an email address, or an http, https or mailto URL"),
        ("write to a@example.org", "'write to a@example.org' is not an email address"),
        ('a"b@example.org', "'a\"b@example.org' is not an email address"),
        ("a@example.org;x", "'a@example.org;x' is not an email address"),
        ("mailto:a@example.org;x", "a URL may not hold ';', write it as %3B"),
        ("https://evil.example x", "a URL may not hold a space, write it as %20"),
    ],
)
def test_contact(contact: str, problem: str | None) -> None:
    assert contact_problem(contact) == problem


@pytest.mark.parametrize(
    ("host", "ascii_form"),
    [
        ("example.org", "example.org"),
        ("EXAMPLE.org", "example.org"),
        ("bücher.example", "xn--bcher-kva.example"),
        ("192.0.2.1", "192.0.2.1"),
        ("example.org.", None),
        ("a_b.example", None),
        ("evil.example; script-src *", None),
        ("0x7f.1", None),
        ("", None),
    ],
)
def test_hostname(host: str, ascii_form: str | None) -> None:
    assert hostname(host) == ascii_form


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://videos.example.org/videos/embed/abc", "https://videos.example.org"),
        ("https://Videos.Example.org:8443/videos/embed/abc", "https://videos.example.org:8443"),
        ("https://vidéos.example.org/videos/embed/abc", "https://xn--vidos-dsa.example.org"),
        ("http://videos.example.org/videos/embed/abc", None),
        ("https://evil.example; script-src-elem 'unsafe-inline' x/videos/embed/abc", None),
        ("https://evil.example;/videos/embed/abc", None),
        ("https://a@evil.example/", None),
    ],
)
def test_origin(url: str, expected: str | None) -> None:
    assert origin(url) == expected


def test_messages_show_invisible_characters_escaped_and_long_values_cut() -> None:
    assert shown("a\tb\x00c\u202e") == "a\\tb\\x00c\\u202e"
    assert shown("x" * 500) == "x" * 117 + "..."


@pytest.mark.parametrize(
    ("contact", "url"),
    [
        ("contact@example.org", "mailto:contact@example.org"),
        ("mailto:contact@example.org", "mailto:contact@example.org"),
        ("https://example.org/contact", "https://example.org/contact"),
        ("javascript:alert(document.domain)", None),
        (None, None),
    ],
)
def test_contact_url_links_only_to_mail_or_the_web(contact: str | None, url: str | None) -> None:
    exhibition = Exhibition(root=None, title=LText(), languages=("en",), contact=contact)  # type: ignore[arg-type]
    assert exhibition.contact_url == url


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("/\\evil.example/x", "//evil.example/x"),
        ("\\\\evil.example", "//evil.example"),
        ("/\t/evil.example", "//evil.example"),
        ("\x01 //evil.example \x00", "//evil.example"),
        ("https:\\\\evil.example\\a?b=\\c#d\\e", "https://evil.example/a?b=\\c#d\\e"),
        ("java\nscript:alert(1)", "javascript:alert(1)"),
        ("mailto:a\\b@example.org", "mailto:a\\b@example.org"),
        ("lantern.png", "lantern.png"),
    ],
)
def test_browser_url_reads_like_a_browser(written: str, read: str) -> None:
    assert browser_url(written) == read


def test_every_character_is_judged_as_the_rules_say() -> None:
    """The quick check of a URL's characters refuses exactly those the rules name."""
    import unicodedata

    from gallery.content.urls import FORBIDDEN, _character_problem

    def refused(char: str) -> bool:
        return (
            char == " "
            or char.isspace()
            or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")
            or char in FORBIDDEN
        )

    wrong = [
        f"U+{code:04X}"
        # The planes holding characters, and the tags and selectors of plane 14.
        for code in [*range(0x40000), *range(0xE0000, 0xE1000)]
        if (_character_problem(f"https://a.example/{chr(code)}") is not None) != refused(chr(code))
    ]
    assert wrong == []
