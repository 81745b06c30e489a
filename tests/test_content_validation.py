"""Every validation message, with its exact text and position, on small bad exhibitions."""
# ruff: noqa: E501 - expected messages read best whole, one per line

from __future__ import annotations

from pathlib import Path

import pytest

from .content_helpers import load

MINI = "title: T\nlanguages: [fr, en]\n"  # a gallery.yaml whose next line is line 3
PROBE = "02-lab/03-probe.md"  # a new exhibit in the lab
ROOM = "04-probe/room.md"  # a new room
# A gallery.yaml whose agenda session 'a' takes more keys from line 8:
SESSION_A = (
    MINI
    + "agenda:\n"
    + "  - id: a\n    title: A\n    starts: 2021-06-17T14:00:00+02:00\n"
    + "    ends: 2021-06-17T15:00:00+02:00\n"
)
# Replacing lanterns.en.md drops its English alt text:
ALT_EN = "x/02-lab/01-lanterns.md:11:1: warning: 'image_alt' has no text in 'en'"


def fm(*lines: str, body: str = "") -> str:
    """Return a Markdown file with these front matter lines (the first one is line 2)."""
    return "---\n" + "".join(f"{line}\n" for line in lines) + "---\n" + body


CASES = [
    # --- files, encodings, YAML ---
    pytest.param(
        {PROBE: b"---\ntitle: X\n---\nab\xffc\n"},
        [
            "x/02-lab/03-probe.md:4:3: error: file is not valid UTF-8 (byte 0xff) (save it as UTF-8 from your editor)"
        ],
        id="not-utf8",
    ),
    pytest.param(
        {"gallery.yaml": b"title: T\nlanguages: [fr, en]\ncontact: \xe9t\xe9\n"},
        [
            "x/gallery.yaml:3:10: error: file is not valid UTF-8 (byte 0xe9) (save it as UTF-8 from your editor)"
        ],
        id="gallery-not-utf8",
    ),
    pytest.param(
        {PROBE: fm("title: X") + "a" * 200_000},
        ["x/02-lab/03-probe.md:1: error: file is too large (200017 bytes, at most 131072)"],
        id="too-large",
    ),
    pytest.param(
        {PROBE: "---\ntitle: X\n"},
        ["x/02-lab/03-probe.md:1: error: front matter is not closed (no closing '---' line)"],
        id="front-matter-not-closed",
    ),
    pytest.param(
        {PROBE: "# Just Markdown\n"},
        ["x/02-lab/03-probe.md:1: error: missing front matter (start the file with a '---' line)"],
        id="no-front-matter",
    ),
    pytest.param(
        {PROBE: fm("title: [X")},
        [
            "x/02-lab/03-probe.md:2:8: error: '[' opens a list that is not closed with ']' (add the ']', or put the value in quotes if it is a text)"
        ],
        id="yaml-flow-not-closed",
    ),
    pytest.param(
        {PROBE: fm("title: a: b")},
        [
            'x/02-lab/03-probe.md:2:9: error: a colon followed by a space inside a value makes YAML read a new key (put the value in quotes: title: "a: b")'
        ],
        id="yaml-mapping-in-scalar",
    ),
    pytest.param(
        {PROBE: fm("title: X\x00")},
        [
            "x/02-lab/03-probe.md:2:9: error: the file holds an invisible control character (U+0000) YAML does not accept (delete it: an editor that shows invisible characters helps)"
        ],
        id="yaml-nul",
    ),
    pytest.param(
        {PROBE: fm("title: &t X", "summary: *t")},
        [
            "x/02-lab/03-probe.md:3:10: error: yaml aliases are not allowed (a * or & at the start of a value marks a YAML alias: put the value in quotes)"
        ],
        id="yaml-alias",
    ),
    pytest.param(
        {PROBE: fm("title: " + "[" * 3000)},
        [
            "x/02-lab/03-probe.md:1: error: lists and maps are nested too deeply (a room file needs a few levels of lists and maps: check the brackets)"
        ],
        id="yaml-too-deep",
    ),
    pytest.param(
        {PROBE: fm("- title", "- X")},
        ["x/02-lab/03-probe.md:2:1: error: expected a map of keys for exhibit, got a list"],
        id="front-matter-list",
    ),
    pytest.param(
        {"gallery.yaml": "just a text\n"},
        ["x/gallery.yaml:1:1: error: expected a map of keys for gallery.yaml, got a text"],
        id="gallery-not-a-map",
    ),
    pytest.param(
        {PROBE: fm("title: X", "title: Y")},
        ["x/02-lab/03-probe.md:3:1: error: duplicate key 'title' in exhibit"],
        id="duplicate-key",
    ),
    pytest.param(
        {PROBE: fm("? [a]", ": b", "title: X")},
        ["x/02-lab/03-probe.md:2:3: error: expected a text as key in exhibit, got a list"],
        id="complex-key",
    ),
    # --- gallery.yaml ---
    pytest.param(
        {"gallery.yaml": None},
        ["x/gallery.yaml:1: error: missing gallery.yaml (the exhibition's settings file)"],
        id="gallery-missing",
    ),
    pytest.param(
        {"gallery.yaml": "languages: [fr, en]\n"},
        ["x/gallery.yaml:1:1: error: missing required key 'title' in gallery.yaml"],
        id="gallery-no-title",
    ),
    pytest.param(
        {"gallery.yaml": "title: T\nlanguages: [fr, en]\ntitel: U\n"},
        ["x/gallery.yaml:3:1: error: unknown key 'titel' in gallery.yaml (did you mean 'title'?)"],
        id="gallery-unknown-key",
    ),
    pytest.param(
        {"gallery.yaml": "title: ''\nlanguages: [fr, en]\n"},
        ["x/gallery.yaml:1:8: error: 'title' must not be empty"],
        id="gallery-empty-title",
    ),
    pytest.param(
        {"gallery.yaml": "title: T\nlanguages: [fr, en, FR_fr, fr]\n"},
        [
            "x/gallery.yaml:2:21: error: invalid language code 'FR_fr' (use codes like fr, en, pt-BR)",
            "x/gallery.yaml:2:28: error: duplicate language 'fr'",
        ],
        id="languages-invalid",
    ),
    pytest.param(
        {"gallery.yaml": "title: T\nlanguages: []\n"},
        ["x/gallery.yaml:2:12: error: 'languages' must list at least one language"],
        id="languages-empty",
    ),
    pytest.param(
        {"gallery.yaml": "title: T\nlanguages: fr\n"},
        ["x/gallery.yaml:2:12: error: expected a list for 'languages', got a text"],
        id="languages-not-a-list",
    ),
    pytest.param(
        {"gallery.yaml": "title: {fr: T, en: T, de: T}\nlanguages: [fr, en]\n"},
        ["x/gallery.yaml:1:23: error: language 'de' is not declared in gallery.yaml"],
        id="text-language-not-declared",
    ),
    pytest.param(
        {"gallery.yaml": "title: [T]\nlanguages: [fr, en]\n"},
        [
            "x/gallery.yaml:1:8: error: expected a text or a map of language to text "
            "for 'title', got a list"
        ],
        id="text-wrong-type",
    ),
    pytest.param(
        {"gallery.yaml": "title: {fr: [T]}\nlanguages: [fr, en]\n"},
        ["x/gallery.yaml:1:13: error: expected a text for 'title.fr', got a list"],
        id="text-map-wrong-type",
    ),
    pytest.param(
        {"gallery.yaml": MINI + "entrance: hal\n"},
        ["x/gallery.yaml:3:11: error: unknown room 'hal' (did you mean 'hall'?)"],
        id="entrance-unknown",
    ),
    pytest.param(
        {"gallery.yaml": MINI + "timezone: Europe/Pariss\n"},
        [
            "x/gallery.yaml:3:11: error: unknown time zone 'Europe/Pariss' "
            "(expected a name like Europe/Paris)"
        ],
        id="timezone-unknown",
    ),
    pytest.param(
        {
            "gallery.yaml": MINI
            + "opens: 2021-06-30T09:00:00+02:00\ncloses: 2021-06-14T09:00:00+02:00\n"
        },
        ["x/gallery.yaml:4:9: error: 'closes' must be after 'opens'"],
        id="closes-before-opens",
    ),
    pytest.param(
        {"gallery.yaml": MINI + "opens: 2021-02-30T09:00:00+02:00\n"},
        [
            "x/gallery.yaml:3:8: error: invalid date '2021-02-30T09:00:00+02:00' for 'opens' "
            "(e.g. 2021-06-17T14:00:00+02:00)"
        ],
        id="invalid-date",
    ),
    pytest.param(
        {"gallery.yaml": MINI + "opens: 'next monday'\n"},
        [
            "x/gallery.yaml:3:8: error: invalid date 'next monday' for 'opens' "
            "(e.g. 2021-06-17T14:00:00+02:00)"
        ],
        id="invalid-date-text",
    ),
    pytest.param(
        {"gallery.yaml": MINI + "opens: 2021-06-30T09:00:00\n"},
        [
            "x/gallery.yaml:3:8: error: 'opens' needs an offset from UTC "
            "(e.g. 2021-06-17T14:00:00+02:00)"
        ],
        id="naive-date",
    ),
    pytest.param(
        {"gallery.yaml": MINI + "opens: 2021-06-30\n"},
        [
            "x/gallery.yaml:3:8: error: 'opens' needs a time and an offset "
            "(e.g. 2021-06-17T14:00:00+02:00)"
        ],
        id="date-without-time",
    ),
    pytest.param(
        {"gallery.yaml": MINI + "opens: 20210630\n"},
        ["x/gallery.yaml:3:8: error: expected a date and time for 'opens', got a number"],
        id="date-wrong-type",
    ),
    pytest.param(
        {"gallery.yaml": MINI + "introduction: '[x](../../secret.txt)'\n"},
        ["x/gallery.yaml:3:20: error: path '../../secret.txt' leads outside the exhibition folder"],
        id="introduction-link-escapes",
    ),
    pytest.param(
        {"gallery.yaml": MINI + "introduction:\n  fr: |\n    Texte.\n\n    ![Plan](plan.png)\n"},
        ["x/gallery.yaml:7:13: error: file 'plan.png' not found"],
        id="introduction-image-missing",
    ),
    pytest.param(
        {"gallery.yaml": "title: {fr: T, fr: U, ~: V}\nlanguages: [fr, en]\n"},
        [
            "x/gallery.yaml:1:16: error: duplicate language 'fr' in 'title'",
            "x/gallery.yaml:1:23: error: expected a language code in 'title', got nothing",
        ],
        id="text-map-keys",
    ),
    # --- rooms ---
    pytest.param(
        {ROOM: fm("summary: S")},
        ["x/04-probe/room.md:2:1: error: missing required key 'title' in room"],
        id="room-no-title",
    ),
    pytest.param(
        {ROOM: fm("title: P", "door: [hall]")},
        ["x/04-probe/room.md:3:1: error: unknown key 'door' in room (did you mean 'doors'?)"],
        id="room-unknown-key",
    ),
    pytest.param(
        {ROOM: fm("title: P", "doors: [hal, probe, lab, lab]")},
        [
            "x/04-probe/room.md:3:9: error: unknown room 'hal' (did you mean 'hall'?)",
            "x/04-probe/room.md:3:14: error: a room cannot have a door to itself",
            "x/04-probe/room.md:3:26: warning: door to 'lab' is listed twice",
        ],
        id="doors",
    ),
    pytest.param(
        {ROOM: fm("title: P", "doors: hall")},
        ["x/04-probe/room.md:3:8: error: expected a list for 'doors', got a text"],
        id="doors-not-a-list",
    ),
    pytest.param(
        {ROOM: fm("title: P", "kind: stag")},
        ["x/04-probe/room.md:3:7: error: invalid kind 'stag' (expected 'gallery' or 'stage')"],
        id="kind",
    ),
    pytest.param(
        {ROOM: fm("title: P", "colour: blu")},
        [
            "x/04-probe/room.md:3:9: error: invalid colour 'blu' "
            "(expected #rgb, #rrggbb or a CSS colour name)"
        ],
        id="colour-name",
    ),
    pytest.param(
        {ROOM: fm("title: P", "colour: '#12345'")},
        [
            "x/04-probe/room.md:3:9: error: invalid colour '#12345' "
            "(expected #rgb, #rrggbb or a CSS colour name)"
        ],
        id="colour-hex",
    ),
    pytest.param(
        {ROOM: fm("title: P", "position: [1, -1]")},
        [
            "x/04-probe/room.md:3:11: error: expected [column, row] (two whole numbers >= 0) "
            "for 'position'"
        ],
        id="position-negative",
    ),
    pytest.param(
        {ROOM: fm("title: P", "position: 3")},
        [
            "x/04-probe/room.md:3:11: error: expected [column, row] (two whole numbers >= 0) "
            "for 'position', got a number"
        ],
        id="position-type",
    ),
    pytest.param(
        {
            ROOM: fm("title: P", "position: [0, 0]"),
            "01-hall/room.md": fm("title: H", "position: [0, 0]"),
        },
        ["x/04-probe/room.md:3:11: warning: room 'probe' has the same position as 'hall'"],
        id="position-shared",
    ),
    pytest.param(
        {ROOM: fm("title: P", "image: ../02-lab/lantern.png")},
        ["x/04-probe/room.md:3:8: warning: image has no alt text (add 'image_alt')"],
        id="room-image-no-alt",
    ),
    pytest.param(
        {ROOM: fm("title: P", "image: ../02-lab/lantern.png", "image_alt: Une lanterne")},
        ["x/04-probe/room.md:4:1: warning: 'image_alt' has no text in 'en'"],
        id="room-alt-missing-language",
    ),
    pytest.param(
        {ROOM: fm("title: P", "image: ../02-lab/lanter.png", "image_alt: {fr: A, en: A}")},
        [
            "x/04-probe/room.md:3:8: error: file '../02-lab/lanter.png' not found "
            "(did you mean '../02-lab/lantern.png'?)"
        ],
        id="room-image-not-found",
    ),
    pytest.param(
        {ROOM: fm("title: P", "image: ../02-lab/charts.pdf", "image_alt: {fr: A, en: A}")},
        ["x/04-probe/room.md:3:8: error: '../02-lab/charts.pdf' is not an image file"],
        id="room-image-not-an-image",
    ),
    pytest.param(
        {ROOM: fm("title: P", "image_alt: Rien")},
        ["x/04-probe/room.md:3:1: warning: 'image_alt' is only used with an 'image'"],
        id="room-alt-without-image",
    ),
    pytest.param(
        {ROOM: fm("title: P", "colour: [red]")},
        ["x/04-probe/room.md:3:9: error: expected a text for 'colour', got a list"],
        id="colour-list",
    ),
    pytest.param(
        {"04-lab/room.md": fm("title: L")},
        ["x/04-lab/room.md:1: error: duplicate room slug 'lab' (also 02-lab)"],
        id="room-duplicate-slug",
    ),
    pytest.param(
        {"04-Lab_2/room.md": fm("title: L")},
        [
            "x/04-Lab_2/room.md:1: error: invalid room slug 'Lab_2' "
            "(use lowercase letters, digits and single hyphens)"
        ],
        id="room-invalid-slug",
    ),
    pytest.param(
        {"04-probe/photo.png": b"png"},
        ["x/04-probe/room.md:1: error: room folder has no room.md"],
        id="room-md-missing",
    ),
    pytest.param(
        {"probe/room.md": fm("title: P")},
        ["x/probe/room.md:1: error: room folder 'probe' needs a number prefix (e.g. 01-probe)"],
        id="room-folder-unnumbered",
    ),
    pytest.param(
        {"02-lab/notes.md": "notes"},
        [
            "x/02-lab/notes.md:1: warning: file ignored "
            "(exhibits are named NN-slug.md, translations slug.LANG.md)"
        ],
        id="markdown-ignored",
    ),
    # --- exhibits ---
    pytest.param(
        {PROBE: fm("titel: X")},
        [
            "x/02-lab/03-probe.md:2:1: error: unknown key 'titel' in exhibit (did you mean 'title'?)",
        ],
        id="exhibit-unknown-key",
    ),
    pytest.param(
        {PROBE: fm("title:")},
        [
            "x/02-lab/03-probe.md:2:7: error: expected a text or a map of language to text "
            "for 'title', got nothing"
        ],
        id="exhibit-title-empty",
    ),
    pytest.param(
        {PROBE: fm("title: X", "image: lantern.png")},
        ["x/02-lab/03-probe.md:3:1: error: 'image_alt' is required with 'image'"],
        id="image-without-alt",
    ),
    pytest.param(
        {PROBE: fm("title: X", "image: lanter.png", "image_alt: {fr: A, en: A}")},
        [
            "x/02-lab/03-probe.md:3:8: error: file 'lanter.png' not found (did you mean 'lantern.png'?)"
        ],
        id="image-not-found",
    ),
    pytest.param(
        {PROBE: fm("title: X", "image: ../../../etc/passwd", "image_alt: {fr: A, en: A}")},
        [
            "x/02-lab/03-probe.md:3:8: error: path '../../../etc/passwd' leads outside "
            "the exhibition folder"
        ],
        id="image-escapes",
    ),
    pytest.param(
        {PROBE: fm("title: X", "image: /etc/passwd", "image_alt: {fr: A, en: A}")},
        ["x/02-lab/03-probe.md:3:8: error: '/etc/passwd' must be a path relative to this file"],
        id="image-absolute",
    ),
    pytest.param(
        {PROBE: fm("title: X", "image: ../02-lab", "image_alt: {fr: A, en: A}")},
        ["x/02-lab/03-probe.md:3:8: error: '../02-lab' is a folder, not a file"],
        id="image-folder",
    ),
    pytest.param(
        {
            PROBE: fm(
                "title: X",
                "image: charts.pdf",
                "image_alt: {fr: A, en: A}",
                "video: lanterns.mp4",
                "poster: lanterns.fr.vtt",
                "captions: {fr: lanterns.fr.vtt}",
            )
        },
        [
            "x/02-lab/03-probe.md:3:8: error: 'charts.pdf' is not an image file",
            "x/02-lab/03-probe.md:6:9: error: 'lanterns.fr.vtt' is not an image file",
        ],
        id="image-not-an-image",
    ),
    pytest.param(
        {PROBE: fm("title: X", "image: lantern.png", "image_alt: Une lanterne")},
        ["x/02-lab/03-probe.md:4:1: warning: 'image_alt' has no text in 'en'"],
        id="exhibit-alt-missing-language",
    ),
    pytest.param(
        {PROBE: fm("title: X", "image_alt: Rien")},
        ["x/02-lab/03-probe.md:3:1: warning: 'image_alt' is only used with an 'image'"],
        id="alt-without-image",
    ),
    pytest.param(
        {PROBE: fm("title: X", "video: lanterns.mp4")},
        ["x/02-lab/03-probe.md:3:8: warning: video has no captions"],
        id="video-without-captions",
    ),
    pytest.param(
        {PROBE: fm("title: X", "video: charts.pdf")},
        ["x/02-lab/03-probe.md:3:8: error: 'charts.pdf' is not a video file"],
        id="video-not-a-video",
    ),
    pytest.param(
        {PROBE: fm("title: X", "video: https://example.com/film.mp4")},
        [
            "x/02-lab/03-probe.md:3:8: error: unsupported video url 'https://example.com/film.mp4' "
            "(expected a file, or a PeerTube, YouTube, Vimeo or Dailymotion page)"
        ],
        id="video-url-unsupported",
    ),
    pytest.param(
        {PROBE: fm("title: X", "video: https://youtu.be/x", "captions: {fr: lanterns.fr.vtt}")},
        [
            "x/02-lab/03-probe.md:3:8: error: unsupported video url 'https://youtu.be/x' "
            "(expected a file, or a PeerTube, YouTube, Vimeo or Dailymotion page)"
        ],
        id="video-youtube-bad-id",
    ),
    pytest.param(
        {
            PROBE: fm(
                "title: X", "video: https://youtu.be/dQw4w9WgXcQ", "captions: {fr: lanterns.fr.vtt}"
            )
        },
        ["x/02-lab/03-probe.md:4:1: warning: captions are only used with a video file"],
        id="captions-with-embed",
    ),
    pytest.param(
        {PROBE: fm("title: X", "poster: lantern.png", "captions: {fr: lanterns.fr.vtt}")},
        [
            "x/02-lab/03-probe.md:3:1: warning: 'poster' is only used with a 'video'",
            "x/02-lab/03-probe.md:4:1: warning: 'captions' is only used with a 'video'",
        ],
        id="poster-captions-without-video",
    ),
    pytest.param(
        {PROBE: fm("title: X", "video: lanterns.mp4", "captions: {de: lanterns.fr.vtt}")},
        ["x/02-lab/03-probe.md:4:12: error: language 'de' is not declared in gallery.yaml"],
        id="captions-language",
    ),
    pytest.param(
        {PROBE: fm("title: X", "video: lanterns.mp4", "captions: {fr: lanterns.de.vtt}")},
        [
            "x/02-lab/03-probe.md:4:16: error: file 'lanterns.de.vtt' not found (did you mean 'lanterns.en.vtt'?)"
        ],
        id="captions-missing",
    ),
    pytest.param(
        {
            PROBE: fm(
                "title: X",
                "video: lanterns.mp4",
                "captions: {fr: lanterns.fr.vtt, fr: lanterns.en.vtt}",
            )
        },
        ["x/02-lab/03-probe.md:4:33: error: duplicate language 'fr' in 'captions'"],
        id="captions-duplicate-language",
    ),
    pytest.param(
        {PROBE: fm("title: X", "image: ' '", "image_alt: A")},
        ["x/02-lab/03-probe.md:3:8: error: empty file path"],
        id="empty-path",
    ),
    pytest.param(
        {PROBE: fm("title: X", "video: lanterns.mp4", "captions: {fr: charts.pdf}")},
        ["x/02-lab/03-probe.md:4:16: error: captions file 'charts.pdf' is not a .vtt file"],
        id="captions-not-vtt",
    ),
    pytest.param(
        {
            PROBE: fm("title: X", "video: lanterns.mp4", "captions: {fr: bad.vtt}"),
            "02-lab/bad.vtt": "1\n00:00.000 --> 00:01.000\nHi\n",
        },
        ["x/02-lab/03-probe.md:4:16: error: captions file 'bad.vtt' does not start with WEBVTT"],
        id="captions-not-webvtt",
    ),
    pytest.param(
        {PROBE: fm("title: X", "video: lanterns.mp4", "captions: [lanterns.fr.vtt]")},
        [
            "x/02-lab/03-probe.md:4:11: error: expected a map of language to .vtt file "
            "for 'captions', got a list"
        ],
        id="captions-type",
    ),
    pytest.param(
        {
            PROBE: fm(
                "title: X",
                "documents: [{title: D, file: nope.pdf}, charts.pdf, {file: charts.pdf}]",
            )
        },
        [
            "x/02-lab/03-probe.md:3:30: error: file 'nope.pdf' not found",
            "x/02-lab/03-probe.md:3:41: error: expected a map of keys for document, got a text",
            "x/02-lab/03-probe.md:3:53: error: missing required key 'title' in document",
        ],
        id="documents",
    ),
    pytest.param(
        {
            PROBE: fm(
                "title: X",
                "links: [{title: L, url: 'javascript:alert(1)'}, {titel: L, url: ftp://x}]",
            )
        },
        [
            "x/02-lab/03-probe.md:3:25: error: invalid link url 'javascript:alert(1)' "
            "(expected http, https or mailto)",
            "x/02-lab/03-probe.md:3:50: error: unknown key 'titel' in link (did you mean 'title'?)",
            "x/02-lab/03-probe.md:3:65: error: invalid link url 'ftp://x' "
            "(expected http, https or mailto)",
        ],
        id="links",
    ),
    pytest.param(
        {
            PROBE: fm(
                "title: X",
                "links:",
                "  - {title: A, url: 'https://good.example\\@evil.example/'}",
                "  - {title: B, url: 'https://evil.example/\tx'}",
                "  - {title: C, url: 'https://good.example@evil.example/'}",
                "  - {title: D, url: 'https://evil_host.example/'}",
                "  - {title: E, url: 'https:evil.example'}",
                "  - {title: F, url: 'https://evil.example:99999/'}",
                "  - {title: G, url: 'mailto:nobody'}",
                "  - {title: H, url: 'https://evil.example/<x>'}",
            )
        },
        [
            "x/02-lab/03-probe.md:4:21: error: invalid link url 'https://good.example\\@evil.example/' (a URL may not hold a backslash, write it as %5C)",
            "x/02-lab/03-probe.md:5:21: error: invalid link url 'https://evil.example/\\tx' (a URL may not hold the invisible character U+0009)",
            "x/02-lab/03-probe.md:6:21: error: invalid link url 'https://good.example@evil.example/' (a user name or password is not allowed)",
            "x/02-lab/03-probe.md:7:21: error: invalid link url 'https://evil_host.example/' ('evil_host.example' is not a valid host name)",
            "x/02-lab/03-probe.md:8:21: error: invalid link url 'https:evil.example' (no host name)",
            "x/02-lab/03-probe.md:9:21: error: invalid link url 'https://evil.example:99999/' (invalid port)",
            "x/02-lab/03-probe.md:10:21: error: invalid link url 'mailto:nobody' ('nobody' is not an email address)",
            "x/02-lab/03-probe.md:11:21: error: invalid link url 'https://evil.example/<x>' (a URL may not hold '<', write it as %3C)",
        ],
        id="link-urls-read-as-another-host",
    ),
    pytest.param(
        {"gallery.yaml": SESSION_A + '    stream: "https://evil.example;frame-src */w/abc"\n'},
        [
            "x/gallery.yaml:8:13: error: invalid video url 'https://evil.example;frame-src */w/abc' (a URL may not hold ';', write it as %3B)"
        ],
        id="stream-url-header-injection",
    ),
    pytest.param(
        {PROBE: fm("title: X", "team: [{role: Dev}, [A]]", "mentors: Ada")},
        [
            "x/02-lab/03-probe.md:3:8: error: missing required key 'name' in person",
            "x/02-lab/03-probe.md:3:21: error: expected a map of keys for person, got a list",
            "x/02-lab/03-probe.md:4:10: error: expected a list for 'mentors', got a text",
        ],
        id="people",
    ),
    pytest.param(
        {PROBE: fm("title: X", "tags: [a, [b]]")},
        ["x/02-lab/03-probe.md:3:11: error: expected a text for 'tags', got a list"],
        id="tags",
    ),
    pytest.param(
        {PROBE: fm("title: X", body="Voir [la fiche](fiche.pdf).\n\n![](lantern.png)\n")},
        [
            "x/02-lab/03-probe.md:4:17: error: file 'fiche.pdf' not found",
            "x/02-lab/03-probe.md:6:5: warning: image 'lantern.png' has no alt text",
        ],
        id="markdown-media",
    ),
    pytest.param(
        {PROBE: fm("title: X", body="Un long\nparagraphe avec\nune [fiche](fiche.pdf)\nperdue.\n")},
        ["x/02-lab/03-probe.md:6:13: error: file 'fiche.pdf' not found"],
        id="markdown-line-in-paragraph",
    ),
    pytest.param(
        {PROBE: fm("title: X", body="| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | [x](x.pdf) |\n")},
        ["x/02-lab/03-probe.md:7:11: error: file 'x.pdf' not found"],
        id="markdown-line-in-table",
    ),
    pytest.param(
        {PROBE: fm("title: X", body="![Un pixel](https://tracker.example/p.png)\n")},
        [
            "x/02-lab/03-probe.md:4:13: error: remote image 'https://tracker.example/p.png' is not "
            "allowed (use a file of the exhibition)"
        ],
        id="markdown-remote-image",
    ),
    pytest.param(
        {PROBE: fm("title: X", body="[secret](../../../etc/passwd)\n")},
        [
            "x/02-lab/03-probe.md:4:10: error: path '../../../etc/passwd' leads outside the exhibition folder"
        ],
        id="markdown-link-escapes",
    ),
    pytest.param(
        {"02-lab/03-lanterns.md": fm("title: X")},
        [
            "x/02-lab/03-lanterns.md:1: error: duplicate exhibit slug 'lanterns' (also 01-lanterns.md)"
        ],
        id="exhibit-duplicate-slug",
    ),
    pytest.param(
        {"02-lab/03-room.md": fm("title: X")},
        [
            "x/02-lab/03-room.md:1: error: the exhibit slug 'room' is reserved (room.md describes the room)"
        ],
        id="exhibit-slug-reserved",
    ),
    pytest.param(
        {"02-lab/03-Probe_1.md": fm("title: X")},
        [
            "x/02-lab/03-Probe_1.md:1: error: invalid exhibit slug 'Probe_1' "
            "(use lowercase letters, digits and single hyphens)"
        ],
        id="exhibit-invalid-slug",
    ),
    # --- translations ---
    pytest.param(
        {"02-lab/maps.de.md": fm("title: Karten")},
        ["x/02-lab/maps.de.md:1: error: language 'de' is not declared in gallery.yaml"],
        id="translation-language",
    ),
    pytest.param(
        {"02-lab/maps.fr.md": fm("title: Cartes")},
        ["x/02-lab/maps.fr.md:1: error: 'fr' is the default language: write it in 02-maps.md"],
        id="translation-default-language",
    ),
    pytest.param(
        {"02-lab/map.en.md": fm("title: Map")},
        [
            "x/02-lab/map.en.md:1: error: translation of unknown exhibit 'map' (did you mean 'maps'?)"
        ],
        id="translation-unknown",
    ),
    pytest.param(
        {"02-lab/02-maps.en.md": fm("title: Map")},
        [
            "x/02-lab/02-maps.en.md:1: error: translation of unknown exhibit '02-maps' "
            "(name translations without the number: maps.LANG.md)"
        ],
        id="translation-numbered",
    ),
    pytest.param(
        {"02-lab/maps.en.md": fm("title: {en: Maps}")},
        ["x/02-lab/maps.en.md:2:8: error: expected a text for 'title' in a translation, got a map"],
        id="translation-text-map",
    ),
    pytest.param(
        {"02-lab/maps.en.md": fm("title: Maps", "video: https://youtu.be/dQw4w9WgXcQ")},
        [
            "x/02-lab/maps.en.md:3:1: error: 'video' cannot change in a translation (set it in 02-maps.md)"
        ],
        id="translation-fixed-key",
    ),
    pytest.param(
        {
            "02-lab/maps.en.md": fm(
                "title: Maps", "video: https://www.youtube.com/watch?v=dQw4w9WgXcQ"
            )
        },
        [],
        id="translation-fixed-key-unchanged",
    ),
    pytest.param(
        {"02-lab/maps.en.md": fm("summary: Maps", "documents: [{title: D, file: charts.pdf}]")},
        [
            "x/02-lab/maps.en.md:3:1: error: 'documents' cannot change in a translation (set it in 02-maps.md)"
        ],
        id="translation-list-not-in-main",
    ),
    pytest.param(
        {"02-lab/lanterns.en.md": fm("documents: []")},
        [
            ALT_EN,
            "x/02-lab/lanterns.en.md:2:12: error: 'documents' has 0 items here but 1 in 01-lanterns.md",
        ],
        id="translation-list-length",
    ),
    pytest.param(
        {
            "02-lab/lanterns.en.md": fm(
                "documents: [{title: Sheet, file: other.pdf}]",
                "team: [Alice Martin, {name: Bob, role: Dev}]",
            )
        },
        [
            ALT_EN,
            "x/02-lab/lanterns.en.md:2:34: error: file 'other.pdf' does not match 'charts.pdf' "
            "in 01-lanterns.md",
            "x/02-lab/lanterns.en.md:3:29: error: name 'Bob' does not match 'Bruno Petit' "
            "in 01-lanterns.md",
        ],
        id="translation-list-mismatch",
    ),
    pytest.param(
        {"01-hall/room.en.md": fm("title: Hall", "doors: [lab]")},
        [
            "x/01-hall/room.en.md:3:1: error: 'doors' cannot change in a translation (set it in room.md)"
        ],
        id="translation-room-doors",
    ),
    pytest.param(
        {"01-hall/room.de.md": fm("title: Halle")},
        ["x/01-hall/room.de.md:1: error: language 'de' is not declared in gallery.yaml"],
        id="translation-room-language",
    ),
    pytest.param(
        {
            "02-lab/lanterns.en.md": fm(
                "team: [Alice Martin, {role: [Dev]}]",
                "links: [{url: https://example.org/other}]",
                "image_alt: A",
            )
        },
        [
            "x/02-lab/lanterns.en.md:2:29: error: expected a text for 'role' in a translation, got a list",
            "x/02-lab/lanterns.en.md:3:15: error: url 'https://example.org/other' does not match 'https://example.org/lanterns' in 01-lanterns.md",
        ],
        id="translation-list-items",
    ),
    # --- agenda ---
    pytest.param(
        {"gallery.yaml": MINI + "agenda:\n  - id: a\n    titel: A\n"},
        [
            "x/gallery.yaml:4:5: error: missing required key 'starts' in agenda session",
            "x/gallery.yaml:4:5: error: missing required key 'ends' in agenda session",
            "x/gallery.yaml:5:5: error: unknown key 'titel' in agenda session (did you mean 'title'?)",
        ],
        id="session-keys",
    ),
    pytest.param(
        {
            "gallery.yaml": MINI
            + "agenda:\n"
            + "  - {id: a, title: A, starts: 2021-06-17T14:00:00, ends: 2021-06-17T15:00:00+02:00}\n"
            + "  - {id: a, title: B, starts: 2021-06-17T14:00:00+02:00, ends: 2021-06-17T13:00:00+02:00}\n"
            + "  - {id: 'b c', title: C, starts: 2021-06-17T14:00:00+02:00, ends: 2021-06-31T15:00:00+02:00}\n"
        },
        [
            "x/gallery.yaml:4:31: error: 'starts' needs an offset from UTC (e.g. 2021-06-17T14:00:00+02:00)",
            "x/gallery.yaml:5:10: error: duplicate session id 'a'",
            "x/gallery.yaml:5:64: error: 'ends' must be after 'starts'",
            "x/gallery.yaml:6:10: error: invalid session id 'b c' (use letters, digits, - and _)",
            "x/gallery.yaml:6:68: error: invalid date '2021-06-31T15:00:00+02:00' for 'ends' "
            "(e.g. 2021-06-17T14:00:00+02:00)",
        ],
        id="session-values",
    ),
    pytest.param(
        {
            "gallery.yaml": SESSION_A
            + "    room: hall\n    exhibit: lab/lantern\n    stream: https://example.com/live\n"
            + "    speakers: [{nam: Ada}]\n"
            + "  - id: b\n    title: B\n    room: stagee\n    exhibit: lab\n"
        },
        [
            "x/gallery.yaml:8:11: error: room 'hall' is not a stage (add 'kind: stage' to its room.md)",
            "x/gallery.yaml:9:14: error: unknown exhibit 'lab/lantern' (did you mean 'lab/lanterns'?)",
            "x/gallery.yaml:10:13: error: unsupported video url 'https://example.com/live' "
            "(expected a file, an HLS playlist on this site like /live/stage.m3u8, "
            "or a PeerTube, YouTube, Vimeo or Dailymotion page)",
            "x/gallery.yaml:11:17: error: unknown key 'nam' in person (did you mean 'name'?)",
            "x/gallery.yaml:12:5: error: missing required key 'starts' in agenda session",
            "x/gallery.yaml:12:5: error: missing required key 'ends' in agenda session",
            "x/gallery.yaml:14:11: error: unknown room 'stagee' (did you mean 'stage'?)",
            "x/gallery.yaml:15:14: error: invalid exhibit reference 'lab' (expected room/exhibit)",
        ],
        id="session-references",
    ),
    pytest.param(
        {
            "gallery.yaml": MINI
            + "agenda:\n"
            + "  - {id: a, title: A, starts: 2021-06-17T14:00:00+02:00, "
            + "ends: 2021-06-17T15:00:00+02:00, stream: nope.mp4}\n"
        },
        ["x/gallery.yaml:4:99: error: file 'nope.mp4' not found"],
        id="session-stream-file",
    ),
    pytest.param(
        {
            "gallery.yaml": SESSION_A
            + "    replay: https://example.com/replay\n"
            + "    stream: /live/stage.mp4\n"
            + "  - id: b\n    title: B\n    starts: 2021-06-17T16:00:00+02:00\n"
            + "    ends: 2021-06-17T17:00:00+02:00\n"
            + "    replay: [a.mp4]\n    stream: //evil.example/live.m3u8\n"
            + "  - id: c\n    title: C\n    starts: 2021-06-17T18:00:00+02:00\n"
            + "    ends: 2021-06-17T19:00:00+02:00\n"
            + "    replay: 02-lab/nope.mp4\n    captions: {fr: 02-lab/lanterns.en.vtt}\n"
        },
        [
            "x/gallery.yaml:8:13: error: unsupported video url 'https://example.com/replay' "
            "(expected a file, an HLS playlist on this site like /live/stage.m3u8, "
            "or a PeerTube, YouTube, Vimeo or Dailymotion page)",
            "x/gallery.yaml:9:13: error: '/live/stage.mp4' is not an HLS playlist path "
            "(expected a file, an HLS playlist on this site like /live/stage.m3u8, "
            "or a PeerTube, YouTube, Vimeo or Dailymotion page)",
            "x/gallery.yaml:14:13: error: expected a text for 'replay', got a list",
            "x/gallery.yaml:15:13: error: invalid video url '//evil.example/live.m3u8' "
            "(expected http or https)",
            "x/gallery.yaml:20:13: error: file '02-lab/nope.mp4' not found",
        ],
        id="session-replay-and-stream",
    ),
    pytest.param(
        {
            "gallery.yaml": SESSION_A
            + "    replay: 02-lab/lanterns.mp4\n"
            + "    stream: /live/stage.m3u8?v=2\n"
        },
        ["x/gallery.yaml:8:13: warning: replay has no captions"],
        id="session-replay-without-captions",
    ),
]


# One bad URL in a field that takes one: (the field's value as written, the error it gives).
# fmt: off
BAD_VIDEO_URLS = [  # an exhibit's video, at 3:8
    pytest.param("\"https://evil.example; script-src-elem 'unsafe-inline' x/w/abc\"", "invalid video url 'https://evil.example; script-src-elem 'unsafe-inline' x/w/abc' (a URL may not hold ';', write it as %3B)", id="video-url-header-injection"),
    pytest.param("'https://evil.example x/w/abc'", "invalid video url 'https://evil.example x/w/abc' (a URL may not hold a space, write it as %20)", id="video-url-space"),
    pytest.param("'javascript:alert(1)//x/w/abc'", "invalid video url 'javascript:alert(1)//x/w/abc' (expected http or https)", id="video-url-scheme"),
    pytest.param("https://evil_host.example/w/abc", "invalid video url 'https://evil_host.example/w/abc' ('evil_host.example' is not a valid host name)", id="video-url-host"),
]
BAD_CONTACTS = [  # the gallery's contact, at 3:10
    pytest.param('"javascript:alert(document.domain)"', "invalid contact 'javascript:alert(document.domain)' (expected an email address, or an http, https or mailto URL)", id="contact-javascript"),
    pytest.param("ask at the desk", "invalid contact 'ask at the desk' (expected an email address, or an http, https or mailto URL)", id="contact-not-an-address"),
    pytest.param("a b@example.org", "invalid contact 'a b@example.org' ('a b@example.org' is not an email address)", id="contact-bad-address"),
    pytest.param('"https://evil.example\\u0000/"', "invalid contact 'https://evil.example\\x00/' (a URL may not hold the invisible character U+0000)", id="contact-control-character"),
]
# fmt: on


def assert_messages(tmp_path: Path, files: dict, expected: list[str]) -> None:
    """Check that these files give exactly these messages, and load only if none is an error."""
    result = load(tmp_path, files)
    assert [str(d) for d in result.diagnostics] == expected
    if any(": error: " in line for line in expected):
        assert result.exhibition is None
        assert not result.ok
    else:
        assert result.ok


@pytest.mark.parametrize(("files", "expected"), CASES)
def test_message(tmp_path: Path, files: dict, expected: list[str]) -> None:
    assert_messages(tmp_path, files, expected)


@pytest.mark.parametrize(("video", "error"), BAD_VIDEO_URLS)
def test_bad_video_url(tmp_path: Path, video: str, error: str) -> None:
    files = {PROBE: fm("title: X", f"video: {video}")}
    assert_messages(tmp_path, files, [f"x/02-lab/03-probe.md:3:8: error: {error}"])


@pytest.mark.parametrize(("contact", "error"), BAD_CONTACTS)
def test_bad_contact(tmp_path: Path, contact: str, error: str) -> None:
    files = {"gallery.yaml": MINI + f"contact: {contact}\n"}
    assert_messages(tmp_path, files, [f"x/gallery.yaml:3:10: error: {error}"])


def test_a_file_full_of_problems_is_cut_short(tmp_path: Path) -> None:
    body = "".join(f"[doc](missing-{n}.pdf)\n\n" for n in range(150))
    lines = [str(d) for d in load(tmp_path, {PROBE: fm("title: X", body=body)}).diagnostics]
    assert len(lines) == 101
    assert lines[0] == "x/02-lab/03-probe.md:4:7: error: file 'missing-0.pdf' not found"
    assert lines[99] == "x/02-lab/03-probe.md:202:7: error: file 'missing-99.pdf' not found"
    assert lines[100] == (
        "x/02-lab/03-probe.md:204: error: too many problems in this file; the rest are not reported"
    )


def test_empty_translations_keep_the_fallback(tmp_path: Path) -> None:
    files = {
        "02-lab/lanterns.en.md": fm(
            "title: ''", "summary: Lanterns", "image_alt: A lantern", "documents: [{title: ''}]"
        ),
        PROBE: fm("title: {fr: Sonde, en: ''}"),
    }
    result = load(tmp_path, files)
    assert result.diagnostics == ()
    assert result.exhibition is not None
    lanterns = result.exhibition.exhibit("lab", "lanterns")
    assert lanterns is not None
    assert lanterns.title.get("en") == "Lanternes"
    assert lanterns.summary.get("en") == "Lanterns"
    assert lanterns.documents[0].title.get("en") == "Fiche projet"
    probe = result.exhibition.exhibit("lab", "probe")
    assert probe is not None
    assert probe.title.get("en") == "Sonde"


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        if path.name == "02-maps.md":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    assert [str(d) for d in load(tmp_path, {}).diagnostics] == [
        "x/02-lab/02-maps.md:1: error: cannot read file (Permission denied)"
    ]


def test_a_bug_is_reported_not_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise KeyError("oops")

    monkeypatch.setattr("gallery.content.loader.agenda", broken)
    result = load(tmp_path, {})
    assert [str(d) for d in result.diagnostics] == [
        "x/gallery.yaml:1: error: internal error: KeyError: 'oops'"
    ]
    assert result.exhibition is None


def test_unreadable_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = Path.iterdir

    def iterdir(path: Path):
        if path.name == "02-lab":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    assert [str(d) for d in load(tmp_path, {}).diagnostics] == [
        "x/02-lab/room.md:1: error: cannot read folder (Permission denied)",
        "x/gallery.yaml:30:14: error: unknown exhibit 'lab/lanterns'",
    ]
