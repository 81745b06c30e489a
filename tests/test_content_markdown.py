"""Markdown from room files: rendering, sanitising and media URL rewriting."""
# ruff: noqa: E501 - hostile samples read best whole, one per line

from __future__ import annotations

from pathlib import Path

import pytest

from gallery.content.markdown import render, sanitise
from gallery.content.paths import Media
from gallery.content.report import Doc, Report

from .conftest import BASIC
from .content_helpers import media_href


def md(source: str, root: Path = BASIC, rel: str = "02-lab/01-lanterns.md") -> tuple[str, Report]:
    """Render `source` as if it were the body of `rel`, starting at line 1."""
    report = Report("x")
    return render(source, Doc(report, rel), Media.at(root), 0, "en"), report


HOSTILE = [
    pytest.param("<script>alert(1)</script>Hi", ["<script", "alert(1)"], id="script"),
    pytest.param('<img src="lantern.png" onerror="alert(1)">', ["onerror", "alert"], id="onerror"),
    pytest.param('<a href="#" onclick="steal()">x</a>', ["onclick", "steal"], id="onclick"),
    pytest.param("[x](javascript:alert(1))", ['href="javascript'], id="md-javascript-link"),
    pytest.param('<a href="javascript:alert(1)">x</a>', ["javascript:"], id="html-javascript"),
    pytest.param('<a href="JaVaScRiPt:alert(1)">x</a>', ["javascript:"], id="mixed-case"),
    pytest.param('<a href="java&#09;script:alert(1)">x</a>', ["script:"], id="entity-tab"),
    pytest.param('<a href=" javascript:alert(1)">x</a>', ["javascript:"], id="leading-space"),
    pytest.param('<iframe src="https://evil.example/"></iframe>', ["<iframe", "evil"], id="iframe"),
    pytest.param("<style>body{display:none}</style>Hi", ["<style", "display"], id="style-tag"),
    pytest.param('<p style="position:fixed">Hi</p>', ["style=", "position"], id="style-attr"),
    pytest.param('<object data="x.swf"></object>', ["<object", "x.swf"], id="object"),
    pytest.param('<embed src="x.swf">', ["<embed", "x.swf"], id="embed"),
    pytest.param(
        '<form action="https://evil.example/"><input name="p"></form>',
        ["<form", "<input"],
        id="form",
    ),
    pytest.param(
        '<a href="data:text/html,<script>alert(1)</script>">x</a>',
        ["data:", "<script"],
        id="data-url",
    ),
    pytest.param(
        '<img src="https://tracker.example/p.png" alt="">', ["tracker"], id="remote-image"
    ),
    pytest.param('<img src="//tracker.example/p.png" alt="">', ["tracker"], id="protocol-relative"),
    pytest.param("<svg><script>alert(1)</script></svg>", ["<svg", "alert"], id="svg"),
    pytest.param(
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
        ["<meta", "evil"],
        id="meta",
    ),
    pytest.param('<base href="https://evil.example/">', ["<base", "evil"], id="base"),
    pytest.param(
        '<div id="main" class="x">Hi</div>', ['id="main"', 'class="x"'], id="id-and-class"
    ),
    pytest.param("<!-- <script>alert(1)</script> -->Hi", ["<!--", "alert"], id="comment"),
]


@pytest.mark.parametrize(("source", "forbidden"), HOSTILE)
def test_hostile_markup_never_survives(source: str, forbidden: list[str]) -> None:
    html, _ = md(source)
    for needle in forbidden:
        assert needle.lower() not in html.lower()


def test_safe_markup_is_kept() -> None:
    html, report = md(
        "# Title\n\n*em* **strong** ~~gone~~ `code`\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "> quote\n\n```python\nprint(1)\n```\n\n<details><summary>More</summary>Text</details>\n"
    )
    assert report.items == []
    for needle in (
        "<h1>Title</h1>",
        "<em>em</em>",
        "<strong>strong</strong>",
        "<s>gone</s>",
        "<code>code</code>",
        "<table>",
        "<td>1</td>",
        "<blockquote>",
        '<code class="language-python">',
        "<details><summary>More</summary>Text</details>",
    ):
        assert needle in html


def test_links_get_rel_and_keep_allowed_schemes() -> None:
    html, _ = md("[a](https://example.org/) [b](http://example.org/) [c](mailto:a@example.org)")
    assert '<a href="https://example.org/" rel="noopener noreferrer">a</a>' in html
    assert '<a href="http://example.org/" rel="noopener noreferrer">b</a>' in html
    assert '<a href="mailto:a@example.org" rel="noopener noreferrer">c</a>' in html


def test_other_schemes_are_dropped() -> None:
    html, _ = md('<a href="ftp://example.org/">x</a> <a href="vbscript:x">y</a>')
    assert "ftp:" not in html
    assert "vbscript" not in html


def test_relative_media_is_rewritten_under_media() -> None:
    html, report = md("![A lantern](lantern.png) [sheet](charts.pdf#page=2) [top](#top)")
    assert report.items == []
    lantern, charts = media_href("02-lab/lantern.png"), media_href("02-lab/charts.pdf")
    assert f'<img src="{lantern}" alt="A lantern">' in html
    assert f'<a href="{charts}#page=2" rel="noopener noreferrer">sheet</a>' in html
    assert 'href="#top"' in html


def test_relative_media_in_raw_html_is_rewritten() -> None:
    html, _ = md('<img src="lantern.png" alt="A lantern">')
    assert f'<img src="{media_href("02-lab/lantern.png")}" alt="A lantern">' in html


def test_media_from_another_room_folder() -> None:
    html, report = md("![A lantern](../02-lab/lantern.png)", rel="01-hall/room.md")
    assert report.items == []
    assert f'src="{media_href("02-lab/lantern.png")}"' in html


def test_names_with_spaces_are_encoded(tmp_path: Path) -> None:
    (tmp_path / "01-hall").mkdir()
    (tmp_path / "01-hall" / "my plan.png").write_bytes(b"png")
    html, report = md("![Plan](<my plan.png>) ![Plan](my%20plan.png)", tmp_path, "01-hall/room.md")
    assert report.items == []
    url = media_href("01-hall/my plan.png", tmp_path)
    assert url.startswith("/media/01-hall/my%20plan.png?v=")
    assert html.count(f'src="{url}"') == 2


def test_escaping_the_root_is_an_error_and_is_dropped() -> None:
    html, report = md('[x](../../etc/passwd)\n\n<img src="../../../etc/passwd" alt="">')
    assert [str(d) for d in report.items] == [
        "x/02-lab/01-lanterns.md:1: error: path '../../etc/passwd' leads outside the exhibition folder"
    ]
    assert "passwd" not in html


def test_sanitise_without_media_keeps_only_absolute_and_scheme_urls() -> None:
    html = sanitise('<a href="x.pdf">a</a><a href="/fr/">b</a><a href="https://e.org/">c</a>')
    assert 'href="x.pdf"' not in html
    assert 'href="/fr/"' in html
    assert 'href="https://e.org/"' in html


def test_links_to_room_files_lead_to_their_pages() -> None:
    html, report = md(
        '[maps](02-maps.md) [hall](../01-hall/room.md#doors) <a href="01-lanterns.md">l</a>'
    )
    assert report.items == []
    assert '<a href="/en/rooms/lab/maps/" rel="noopener noreferrer">maps</a>' in html
    assert '<a href="/en/rooms/hall/#doors" rel="noopener noreferrer">hall</a>' in html
    assert '<a href="/en/rooms/lab/lanterns/" rel="noopener noreferrer">l</a>' in html


# Each of these is read by a browser as a URL on evil.example (WHATWG URL parsing: outer
# controls and spaces stripped, tabs and newlines removed, "\" read as "/").
OTHER_HOST = [
    pytest.param("/\\evil.example/x", id="slash-backslash"),
    pytest.param("\\\\evil.example/x", id="two-backslashes"),
    pytest.param("\\/evil.example/x", id="backslash-slash"),
    pytest.param("/&#9;/evil.example/x", id="slash-tab-slash"),
    pytest.param("/&#10;/evil.example/x", id="slash-newline-slash"),
    pytest.param("/&#13;\\evil.example/x", id="slash-cr-backslash"),
    pytest.param("&#1;/\\evil.example/x", id="leading-control"),
    pytest.param("/\\evil.example/x&#9; ", id="trailing-tab-space"),
    pytest.param("//evil.example/x", id="scheme-relative"),
]


@pytest.mark.parametrize("url", OTHER_HOST)
@pytest.mark.parametrize(
    "template", ['<a href="{}">x</a>', '<img src="{}" alt="x">'], ids=["a-href", "img-src"]
)
def test_urls_a_browser_reads_as_another_host_are_dropped(template: str, url: str) -> None:
    html, _ = md(template.format(url))
    assert "evil.example" not in html
    assert "evil.example" not in sanitise(template.format(url))


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https:\\\\example.org/a", "https://example.org/a"),
        ("https:/\\example.org/a?b=\\c", "https://example.org/a?b=\\c"),
        ("&#9;https://example.org/&#10;a ", "https://example.org/a"),
        ("/fr/\\rooms/", "/fr//rooms/"),
    ],
    ids=["backslashes", "backslash-not-in-query", "tab-and-newline", "same-site-path"],
)
def test_kept_links_are_written_as_the_browser_reads_them(url: str, kept: str) -> None:
    html = sanitise(f'<a href="{url}">x</a>')
    assert f'href="{kept}"' in html


@pytest.mark.parametrize(
    "url",
    [
        "https://user@evil.example/",
        "https://good.example@evil.example/",
        "https://evil_host.example/",
        "https://evil.example:99999/",
        "https:evil.example",
        "mailto:nobody",
    ],
)
def test_links_to_hosts_that_are_not_valid_are_dropped(url: str) -> None:
    assert "href" not in sanitise(f'<a href="{url}">x</a>')


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "[x](https://good.example@evil.example/)",
            "x/02-lab/01-lanterns.md:1: error: invalid link url 'https://good.example@evil.example/' (a user name or password is not allowed)",
        ),
        (
            "[x](https://evil_host.example/)",
            "x/02-lab/01-lanterns.md:1: error: invalid link url 'https://evil_host.example/' ('evil_host.example' is not a valid host name)",
        ),
        (
            "[x](//evil.example/)",
            "x/02-lab/01-lanterns.md:1: error: invalid link url '//evil.example/' (expected http, https or mailto)",
        ),
        (
            "[x](mailto:nobody)",
            "x/02-lab/01-lanterns.md:1: error: invalid link url 'mailto:nobody' ('nobody' is not an email address)",
        ),
    ],
)
def test_markdown_links_to_bad_hosts_are_reported(source: str, message: str) -> None:
    html, report = md(source)
    assert [str(d) for d in report.items] == [message]
    assert "href" not in html


def test_same_site_images_stay() -> None:
    assert 'src="/media/02-lab/lantern.png"' in sanitise('<img src="/media/02-lab/lantern.png">')
    html, _ = md('<img src=" lantern.png&#9;" alt="A lantern">')
    assert f'<img src="{media_href("02-lab/lantern.png")}" alt="A lantern">' in html
