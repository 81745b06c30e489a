"""Messages an organiser can act on: YAML mistakes explained, did-you-mean, no knock-on errors.

Each case gives files changed in the basic fixture and the diagnostics, printed on one line
(the hint in parentheses); the hint is a field of its own (see test_hint_is_its_own_field).
"""
# ruff: noqa: E501 - expected messages read best whole, one per line

from __future__ import annotations

from pathlib import Path

import pytest

from .content_helpers import load
from .test_content_validation import MINI, PROBE, SESSION_A, assert_messages, fm

YAML_CASES = [
    pytest.param(
        {PROBE: fm("title: X", "\tsummary: Y")},
        [
            "x/02-lab/03-probe.md:3:1: error: YAML indents with spaces, not tabs (replace the tab at the start of this line with spaces)"
        ],
        id="tab",
    ),
    pytest.param(
        {PROBE: fm("title: X", "team:", "\t- Ada")},
        [
            "x/02-lab/03-probe.md:4:1: error: YAML indents with spaces, not tabs (replace the tab at the start of this line with spaces)"
        ],
        id="tab-in-a-list",
    ),
    pytest.param(
        {"01-hall/room.md": fm("title: Hall", "colour: #b5562b")},
        [
            "x/01-hall/room.md:3:8: error: expected a text for 'colour', got nothing (a # starts a comment in YAML: put the value in quotes)"
        ],
        id="hash-colour",
    ),
    pytest.param(
        {PROBE: fm("title: #1 in wind power")},
        [
            "x/02-lab/03-probe.md:2:7: error: expected a text or a map of language to text for 'title', got nothing (a # starts a comment in YAML: put the value in quotes)"
        ],
        id="hash-title",
    ),
    pytest.param(
        {PROBE: fm("title: Wind: the future")},
        [
            'x/02-lab/03-probe.md:2:12: error: a colon followed by a space inside a value makes YAML read a new key (put the value in quotes: title: "Wind: the future")'
        ],
        id="colon",
    ),
    pytest.param(
        {PROBE: fm("title: X", 'summary: Wind: the "future"')},
        [
            "x/02-lab/03-probe.md:3:14: error: a colon followed by a space inside a value makes YAML read a new key (put the value in quotes: summary: 'Wind: the \"future\"')"
        ],
        id="colon-and-double-quotes",
    ),
    pytest.param(
        {PROBE: fm("title: X", "team:", "  - name: Ada", "    role: Lead: hardware")},
        [
            'x/02-lab/03-probe.md:5:15: error: a colon followed by a space inside a value makes YAML read a new key (put the value in quotes: role: "Lead: hardware")'
        ],
        id="colon-in-a-list",
    ),
    pytest.param(
        {PROBE: fm("title: X", "  summary: Y")},
        [
            "x/02-lab/03-probe.md:3:3: error: this line is indented more than the lines it belongs with (start it in column 1, like 'title' on line 2)"
        ],
        id="indented-more",
    ),
    pytest.param(
        {PROBE: fm("title: X", "team:", "  - Ada", " - Grace")},
        [
            "x/02-lab/03-probe.md:5:2: error: this line is indented less than the lines it belongs with (start it in column 3, like '-' on line 4)"
        ],
        id="indented-less-list",
    ),
    pytest.param(
        {
            PROBE: fm(
                "title: X",
                "documents:",
                "  - title: A",
                "    file: charts.pdf",
                "",
                "  - title: B",
                "   file: charts.pdf",
            )
        },
        [
            "x/02-lab/03-probe.md:8:4: error: this line is indented less than the lines it belongs with (start it in column 5, like 'title' on line 7)"
        ],
        id="indented-less-map-in-list",
    ),
    pytest.param(
        {
            "gallery.yaml": "title: T\nlanguages: [fr, en]\nagenda:\n  - id: a\n    title: A\n      starts: 2021-06-17T14:00:00+02:00\n"
        },
        [
            "x/gallery.yaml:6:7: error: this line is indented more than the lines it belongs with (start it in column 5, like 'title' on line 5)"
        ],
        id="indented-more-in-gallery-yaml",
    ),
    pytest.param(
        {PROBE: fm("title: X", "tags:", "  - a", "  -b")},
        [
            "x/02-lab/03-probe.md:5:3: error: a list item starts with a dash and a space (write '- ' before the item)"
        ],
        id="dash-without-space",
    ),
    pytest.param(
        {PROBE: fm('title: "The lantern')},
        [
            'x/02-lab/03-probe.md:2:8: error: the quote " that opens this value is never closed (end the value with ")'
        ],
        id="quote-not-closed",
    ),
    pytest.param(
        {PROBE: fm('title: "The" lantern')},
        [
            "x/02-lab/03-probe.md:2:14: error: text follows the closing quote of a value (put the whole value inside the quotes)"
        ],
        id="text-after-quote",
    ),
    pytest.param(
        {PROBE: fm('title: "C:\\docs"')},
        [
            "x/02-lab/03-probe.md:2:12: error: a backslash inside double quotes starts an escape YAML does not know (use single quotes around the value, or write the backslash twice)"
        ],
        id="unknown-escape",
    ),
    pytest.param(
        {PROBE: fm("title: @lantern_lab")},
        [
            "x/02-lab/03-probe.md:2:8: error: a value cannot start with @ in YAML (put the value in quotes)"
        ],
        id="at-sign",
    ),
    pytest.param(
        {PROBE: fm("title: `lantern`")},
        [
            "x/02-lab/03-probe.md:2:8: error: a value cannot start with ` in YAML (put the value in quotes)"
        ],
        id="backquote",
    ),
    pytest.param(
        {PROBE: fm("title: *Lanterns* at night")},
        [
            "x/02-lab/03-probe.md:2:8: error: a value cannot start with * in YAML (put the value in quotes)"
        ],
        id="markdown-emphasis",
    ),
    pytest.param(
        {PROBE: fm("title: X", "tags: {a: b")},
        [
            "x/02-lab/03-probe.md:3:7: error: '{' opens a map that is not closed with '}' (add the '}', or put the value in quotes if it is a text)"
        ],
        id="brace-not-closed",
    ),
    pytest.param(
        {PROBE: fm("title: X", "tags: [a, b", "summary: Y")},
        [
            "x/02-lab/03-probe.md:3:7: error: '[' opens a list that is not closed with ']' (add the ']', or put the value in quotes if it is a text)"
        ],
        id="bracket-not-closed-then-more",
    ),
    pytest.param(
        {PROBE: fm("title: X", "summary: |", "  a", " b: c")},
        [
            "x/02-lab/03-probe.md:5:2: error: this line is indented more than the lines it belongs with (start it in column 1, like 'summary' on line 3)"
        ],
        id="block-text-then-a-key-out-of-line",
    ),
]

DID_YOU_MEAN_CASES = [
    pytest.param(
        {PROBE: fm("title: X", "image: Lantern.PNG", "image_alt: A lantern")},
        [
            "x/02-lab/03-probe.md:3:8: error: file 'Lantern.PNG' not found (did you mean 'lantern.png'? capitals count in file names)"
        ],
        id="file-case",
    ),
    pytest.param(
        {PROBE: fm("title: X", "image: lantern.jpg", "image_alt: A lantern")},
        [
            "x/02-lab/03-probe.md:3:8: error: file 'lantern.jpg' not found (did you mean 'lantern.png'?)"
        ],
        id="file-extension",
    ),
    pytest.param(
        {PROBE: fm("title: X", "image: ../02-lab/Lantern.jpeg", "image_alt: A lantern")},
        [
            "x/02-lab/03-probe.md:3:8: error: file '../02-lab/Lantern.jpeg' not found (did you mean '../02-lab/lantern.png'?)"
        ],
        id="file-case-and-extension",
    ),
    pytest.param(
        {"01-hall/room.md": fm("title: Hall", "image: lantern.png", "image_alt: A lantern")},
        [
            "x/01-hall/room.md:3:8: error: file 'lantern.png' not found (did you mean '../02-lab/lantern.png'?)"
        ],
        id="file-in-another-room",
    ),
    pytest.param(
        {
            "gallery.yaml": SESSION_A
            + "    replay: lanterns.mp4\n    captions: {fr: 02-lab/lanterns.fr.vtt}\n"
        },
        [
            "x/gallery.yaml:8:13: error: file 'lanterns.mp4' not found (did you mean '02-lab/lanterns.mp4'? paths in gallery.yaml start from the exhibition folder)"
        ],
        id="stream-path-from-the-exhibition-folder",
    ),
    pytest.param(
        {PROBE: fm("title: {fr: X, DE: Y}")},
        ["x/02-lab/03-probe.md:2:16: error: language 'DE' is not declared in gallery.yaml"],
        id="language-capitals-undeclared",
    ),
    pytest.param(
        {PROBE: fm("title: {fr: X, EN: Y}")},
        [
            "x/02-lab/03-probe.md:2:16: error: language 'EN' is not declared in gallery.yaml (did you mean 'en'?)"
        ],
        id="language-capitals",
    ),
    pytest.param(
        {"02-lab/lanterns.EN.md": fm("title: Lanterns")},
        [
            "x/02-lab/lanterns.EN.md:1: error: language 'EN' is not declared in gallery.yaml (did you mean 'en'?)"
        ],
        id="language-capitals-in-a-file-name",
    ),
    pytest.param(
        {"gallery.yaml": "title: T\nlanguages: [FR, en]\n"},
        ["x/gallery.yaml:2:13: error: invalid language code 'FR' (did you mean 'fr'?)"],
        id="language-capitals-declared",
    ),
    pytest.param(
        {"gallery.yaml": "title: T\nlanguages: [fr_FR, en]\n"},
        [
            "x/gallery.yaml:2:13: error: invalid language code 'fr_FR' (use codes like fr, en, pt-BR)"
        ],
        id="language-underscore",
    ),
    pytest.param(
        {PROBE: fm("title: X", "position: [1, 2]")},
        [
            "x/02-lab/03-probe.md:3:1: error: unknown key 'position' in exhibit ('position' belongs in a room's room.md)"
        ],
        id="room-key-on-an-exhibit",
    ),
    pytest.param(
        {"01-hall/room.md": fm("title: Hall", "team: [Ada]")},
        [
            "x/01-hall/room.md:3:1: error: unknown key 'team' in room ('team' belongs in an exhibit's file)"
        ],
        id="exhibit-key-on-a-room",
    ),
    pytest.param(
        {"01-hall/room.md": fm("title: Hall", "captions: {fr: x.vtt}")},
        [
            "x/01-hall/room.md:3:1: error: unknown key 'captions' in room ('captions' belongs in an exhibit's file or an agenda session of gallery.yaml)"
        ],
        id="key-of-two-other-kinds",
    ),
    pytest.param(
        {"gallery.yaml": MINI + "kind: stage\n"},
        [
            "x/gallery.yaml:3:1: error: unknown key 'kind' in gallery.yaml ('kind' belongs in a room's room.md)"
        ],
        id="room-key-in-gallery-yaml",
    ),
    pytest.param(
        {"gallery.yaml": MINI + "stream: a.mp4\n"},
        [
            "x/gallery.yaml:3:1: error: unknown key 'stream' in gallery.yaml ('stream' belongs in an agenda session of gallery.yaml)"
        ],
        id="session-key-in-gallery-yaml",
    ),
    pytest.param(
        {"gallery.yaml": SESSION_A + "    languages: [fr]\n"},
        [
            "x/gallery.yaml:8:5: error: unknown key 'languages' in agenda session ('languages' belongs in gallery.yaml)"
        ],
        id="gallery-key-in-a-session",
    ),
    pytest.param(
        {PROBE: fm("title: X", "speakers: [Ada]")},
        [
            "x/02-lab/03-probe.md:3:1: error: unknown key 'speakers' in exhibit ('speakers' belongs in an agenda session of gallery.yaml)"
        ],
        id="session-key-on-an-exhibit",
    ),
]

KNOCK_ON_CASES = [
    pytest.param(
        {PROBE: fm("titel: X")},
        ["x/02-lab/03-probe.md:2:1: error: unknown key 'titel' in exhibit (did you mean 'title'?)"],
        id="misspelt-required-key-once",
    ),
    pytest.param(
        {"01-hall": None, "hall/room.md": fm("title: Hall", "doors: [lab]")},
        ["x/hall/room.md:1: error: room folder 'hall' needs a number prefix (e.g. 01-hall)"],
        id="unnumbered-room-not-unknown-elsewhere",
    ),
    pytest.param(
        {"02-lab/room.md": fm("title: [Lab")},
        [
            "x/02-lab/room.md:2:8: error: '[' opens a list that is not closed with ']' (add the ']', or put the value in quotes if it is a text)"
        ],
        id="broken-room-referenced-by-doors-and-agenda",
    ),
    pytest.param(
        {"02-lab/01-lanterns.md": fm("title: [Lanterns")},
        [
            "x/02-lab/01-lanterns.md:2:8: error: '[' opens a list that is not closed with ']' (add the ']', or put the value in quotes if it is a text)"
        ],
        id="broken-exhibit-with-a-translation-named-by-the-agenda",
    ),
    pytest.param(
        {"gallery.yaml": b"title: \xff\n"},
        [
            "x/gallery.yaml:1:8: error: file is not valid UTF-8 (byte 0xff) (save it as UTF-8 from your editor)"
        ],
        id="broken-gallery-yaml-alone",
    ),
    pytest.param(
        {"gallery.yaml": "title: T\nlanguages: [FR, EN]\n"},
        [
            "x/gallery.yaml:2:13: error: invalid language code 'FR' (did you mean 'fr'?)",
            "x/gallery.yaml:2:17: error: invalid language code 'EN' (did you mean 'en'?)",
        ],
        id="bad-languages-not-repeated-in-every-text",
    ),
]

STREAM_CASES = [
    pytest.param(
        {"gallery.yaml": SESSION_A + "    stream: 02-lab/lanterns.mp4\n"},
        ["x/gallery.yaml:8:13: warning: stream has no captions"],
        id="stream-file-without-captions",
    ),
    pytest.param(
        {
            "gallery.yaml": SESSION_A
            + "    stream: 02-lab/lanterns.mp4\n    captions: {fr: 02-lab/lanterns.fr.vtt}\n"
        },
        [],
        id="stream-file-with-captions",
    ),
]


@pytest.mark.parametrize(
    ("files", "expected"), YAML_CASES + DID_YOU_MEAN_CASES + KNOCK_ON_CASES + STREAM_CASES
)
def test_message(tmp_path: Path, files: dict, expected: list[str]) -> None:
    assert_messages(tmp_path, files, expected)


def test_hint_is_its_own_field(tmp_path: Path) -> None:
    (diagnostic,) = load(tmp_path, {PROBE: fm("title: X", "position: [1, 2]")}).diagnostics
    assert diagnostic.message == "unknown key 'position' in exhibit"
    assert diagnostic.hint == "'position' belongs in a room's room.md"
    assert diagnostic.source == "position: [1, 2]"


def test_source_is_the_line_as_written(tmp_path: Path) -> None:
    (diagnostic,) = load(tmp_path, {PROBE: fm("title: X", "\tsummary: Y")}).diagnostics
    assert (diagnostic.line, diagnostic.column, diagnostic.source) == (3, 1, "\tsummary: Y")


def test_source_of_a_file_not_in_utf8(tmp_path: Path) -> None:
    (diagnostic,) = load(tmp_path, {PROBE: b"---\ntitle: Caf\xe9\n---\n"}).diagnostics
    assert diagnostic.source == "title: Caf\ufffd"


def test_as_dict_for_json(tmp_path: Path) -> None:
    (diagnostic,) = load(tmp_path, {PROBE: fm("title: X", "kind: stag")}).diagnostics
    assert diagnostic.as_dict() == {
        "file": "x/02-lab/03-probe.md",
        "line": 3,
        "column": 1,
        "severity": "error",
        "message": "unknown key 'kind' in exhibit",
        "hint": "'kind' belongs in a room's room.md",
        "source": "kind: stag",
    }
