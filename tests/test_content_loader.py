"""Loading exhibitions into the content model: the basic fixture, derived settings, whole-tree problems."""
# ruff: noqa: E501 - expected messages read best whole, one per line

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from gallery.content import Exhibition, load_exhibition

from .conftest import BASIC
from .content_helpers import exhibition, load


@pytest.fixture(scope="module")
def basic() -> Exhibition:
    """The basic fixture, loaded once."""
    result = load_exhibition(BASIC)
    assert result.errors == (), [str(d) for d in result.errors]
    assert result.exhibition is not None
    return result.exhibition


def test_basic_loads_without_diagnostics() -> None:
    result = load_exhibition(BASIC, display="basic")
    assert [str(d) for d in result.diagnostics] == []
    assert result.ok
    assert result.files == 8  # gallery.yaml, 4 room files, 3 exhibit files


def test_gallery_settings(basic: Exhibition) -> None:
    paris = timezone(timedelta(hours=2))
    assert basic.languages == ("fr", "en")
    assert basic.default_language == "fr"
    assert basic.title.get("fr") == "Galerie d’essai"
    assert basic.title.get("en") == "Test gallery"
    assert basic.subtitle.get("en") == "A small exhibition for the tests"
    assert basic.introduction.get("en") == (
        "<p>Welcome to the <strong>test gallery</strong>.</p>\n"
    )
    assert basic.entrance == "hall"
    assert basic.timezone == "Europe/Paris"
    assert basic.opens == datetime(2021, 6, 14, 9, 0, tzinfo=paris)
    assert basic.closes == datetime(2099, 6, 30, 18, 0, tzinfo=paris)
    assert basic.contact == "contact@example.org"


def test_rooms_in_order_with_two_way_doors(basic: Exhibition) -> None:
    assert [r.slug for r in basic.rooms] == ["hall", "lab", "stage"]
    hall, lab, stage = basic.rooms
    assert hall.doors == ("lab", "stage")
    assert lab.doors == ("hall",)
    assert stage.doors == ("hall",)
    assert stage.kind == "stage"
    assert hall.kind == "gallery"
    assert hall.colour == "#1d4e89"
    assert hall.source == "01-hall/room.md"


def test_room_translation_overrides_texts_and_body(basic: Exhibition) -> None:
    hall = basic.room("hall")
    assert hall is not None
    assert hall.title.get("fr") == "Hall d’entrée"
    assert hall.title.get("en") == "Entrance hall"
    assert hall.summary.get("en") == "Where it all begins."
    assert hall.body.get("fr") == "<p>Le <strong>hall</strong> mène à toutes les salles.</p>\n"
    assert hall.body.get("en") == "<p>The <strong>hall</strong> leads to every room.</p>\n"


def test_exhibits_in_order(basic: Exhibition) -> None:
    lab = basic.room("lab")
    assert lab is not None
    assert [e.slug for e in lab.exhibits] == ["lanterns", "maps"]
    assert all(e.room == "lab" for e in lab.exhibits)
    assert [e.slug for e in basic.exhibits()] == ["lanterns", "maps"]


def test_exhibit_fields_and_translation(basic: Exhibition) -> None:
    lanterns = basic.exhibit("lab", "lanterns")
    assert lanterns is not None
    assert lanterns.title.get("fr") == "Lanternes"
    assert lanterns.title.get("en") == "Lanterns"
    assert lanterns.summary.get("en") == "Lanterns that light up data."
    assert lanterns.organisation.get("en") == "Ministère de la Lumière"  # falls back to French
    assert [p.name for p in lanterns.team] == ["Alice Martin", "Bruno Petit"]
    assert lanterns.team[1].role.get("fr") == "Développeur"
    assert not lanterns.team[0].role
    assert [p.name for p in lanterns.mentors] == ["Chloé Durand"]
    assert lanterns.image == "02-lab/lantern.png"
    assert lanterns.image_alt.get("en") == "A blue lantern on a white background"
    assert lanterns.image_alt.get("fr") == "Une lanterne bleue sur fond blanc"
    assert lanterns.tags == ("données", "lumière")
    english = "<p>The <strong>lanterns</strong> light up public policy.</p>\n"
    assert lanterns.body.get("en") == english
    assert "<li>une liste</li>" in lanterns.body.get("fr")
    assert lanterns.source == "02-lab/01-lanterns.md"


def test_video_file_with_captions_and_poster(basic: Exhibition) -> None:
    video = basic.exhibit("lab", "lanterns").video
    assert video is not None
    assert video.file == "02-lab/lanterns.mp4"
    assert video.poster == "02-lab/lantern.png"
    assert [(c.lang, c.file) for c in video.captions] == [
        ("fr", "02-lab/lanterns.fr.vtt"),
        ("en", "02-lab/lanterns.en.vtt"),
    ]
    assert video.embed_url is None


def test_video_url_becomes_embed(basic: Exhibition) -> None:
    video = basic.exhibit("lab", "maps").video
    assert video is not None
    assert video.file is None
    assert video.provider == "youtube"
    assert video.url == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert video.embed_url == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"


def test_documents_have_size_type_and_translated_titles(basic: Exhibition) -> None:
    (document,) = basic.exhibit("lab", "lanterns").documents
    assert document.file == "02-lab/charts.pdf"
    assert document.size == (BASIC / "02-lab" / "charts.pdf").stat().st_size
    assert document.type == "application/pdf"
    assert document.title.get("fr") == "Fiche projet"
    assert document.title.get("en") == "Project sheet"


def test_links(basic: Exhibition) -> None:
    (link,) = basic.exhibit("lab", "lanterns").links
    assert link.url == "https://example.org/lanterns"
    assert link.title.get("fr") == "Code source"


def test_agenda(basic: Exhibition) -> None:
    (session,) = basic.agenda
    paris = timezone(timedelta(hours=2))
    assert session.id == "opening"
    assert session.title.get("en") == "Opening"
    assert session.starts == datetime(2021, 6, 17, 14, 0, tzinfo=paris)
    assert session.ends == datetime(2021, 6, 17, 14, 30, tzinfo=paris)
    assert session.room == "stage"
    assert session.exhibit == "lab/lanterns"
    assert [(p.name, p.role.get("en")) for p in session.speakers] == [("Ada Lovelace", "Host")]
    assert session.description.get("fr") == "Le mot d’accueil."
    assert session.stream == "https://peertube.example.org/w/abc123"
    assert session.stream_video is not None
    assert session.stream_video.embed_url == "https://peertube.example.org/videos/embed/abc123"


def test_media_files(basic: Exhibition) -> None:
    assert basic.media == {
        "02-lab/lantern.png",
        "02-lab/lanterns.mp4",
        "02-lab/lanterns.fr.vtt",
        "02-lab/lanterns.en.vtt",
        "02-lab/charts.pdf",
    }


def test_media_files_include_markdown_room_images_and_streams(tmp_path: Path) -> None:
    gallery = (BASIC / "gallery.yaml").read_text()
    gallery = gallery.replace("https://peertube.example.org/w/abc123", "03-stage/live.mp4")
    result = load(
        tmp_path,
        {
            "gallery.yaml": gallery.replace("**galerie d’essai**", "![Logo](logo.png)"),
            "logo.png": b"png",
            "03-stage/live.mp4": b"mp4",
            "01-hall/room.md": "---\ntitle: Hall\nimage: hall.png\nimage_alt: Le hall\n---\n"
            "![Plan](plan%20a.png) et [la salle](../02-lab/room.md).\n",
            "01-hall/hall.png": b"png",
            "01-hall/plan a.png": b"png",
            "01-hall/room.en.md": "---\ntitle: Hall\n---\n[Notes](notes.txt) &amp; more.\n",
            "01-hall/notes.txt": "notes",
            "01-hall/unused.png": b"png",
        },
    )
    assert result.exhibition is not None, [str(d) for d in result.errors]
    assert result.exhibition.media == {
        "logo.png",
        "03-stage/live.mp4",
        "01-hall/hall.png",
        "01-hall/plan a.png",
        "01-hall/notes.txt",
        "02-lab/lantern.png",
        "02-lab/lanterns.mp4",
        "02-lab/lanterns.fr.vtt",
        "02-lab/lanterns.en.vtt",
        "02-lab/charts.pdf",
    }


# --- settings derived when absent, and whole-exhibition problems ---

BARE = "title: T\nlanguages: [fr, en]\n"


def test_timezone_from_the_first_date_when_not_given(tmp_path: Path) -> None:
    gallery = BARE + "opens: 2021-06-14T09:00:00-05:30\ncloses: 2021-06-30T18:00:00+02:00\n"
    result = load(tmp_path, {"gallery.yaml": gallery})
    assert result.exhibition is not None
    assert result.exhibition.timezone == "-05:30"
    assert result.exhibition.tz().utcoffset(None) == -timedelta(hours=5, minutes=30)


def test_timezone_from_the_agenda_when_no_opening_dates(tmp_path: Path) -> None:
    gallery = BARE + (
        "agenda:\n  - {id: a, title: A, starts: 2021-06-17T14:00:00Z, ends: 2021-06-17T15:00:00Z}\n"
    )
    result = load(tmp_path, {"gallery.yaml": gallery})
    assert result.exhibition is not None
    assert result.exhibition.timezone == "+00:00"


def test_timezone_defaults_to_utc(tmp_path: Path) -> None:
    result = load(tmp_path, {"gallery.yaml": BARE})
    assert result.exhibition is not None
    assert result.exhibition.timezone == "UTC"
    assert result.exhibition.entrance == "hall"  # the first room when not given
    assert result.exhibition.agenda == ()


def test_timezone_as_a_fixed_offset(tmp_path: Path) -> None:
    result = load(tmp_path, {"gallery.yaml": BARE + "timezone: '+05:30'\n"})
    assert result.exhibition is not None
    assert result.exhibition.timezone == "+05:30"


def test_language_codes_with_regions(tmp_path: Path) -> None:
    files = {
        "gallery.yaml": "title: {pt-BR: Galeria, fr: Galerie}\nlanguages: [pt-BR, fr, en]\n",
        "01-hall/room.fr.md": "---\ntitle: Hall\n---\n",
    }
    result = load(tmp_path, files)
    assert result.errors == ()
    assert result.exhibition is not None
    assert result.exhibition.default_language == "pt-BR"
    assert result.exhibition.title.get("en") == "Galeria"


def test_crlf_files_load_with_the_same_lines(tmp_path: Path) -> None:
    probe = "---\r\ntitle: X\r\ntitel: Y\r\n---\r\nCorps\r\n"
    assert [str(d) for d in load(tmp_path, {"02-lab/03-probe.md": probe}).diagnostics] == [
        "x/02-lab/03-probe.md:3:1: error: unknown key 'titel' in exhibit (did you mean 'title'?)"
    ]


def test_an_exhibition_without_rooms(tmp_path: Path) -> None:
    files = {"01-hall": None, "02-lab": None, "03-stage": None, "gallery.yaml": BARE}
    assert [str(d) for d in load(tmp_path, files).diagnostics] == [
        "x/gallery.yaml:1: error: the exhibition has no rooms (folders named NN-slug with a room.md)"
    ]


def test_not_a_folder(tmp_path: Path) -> None:
    result = load_exhibition(tmp_path / "nowhere", display="nowhere")
    assert [str(d) for d in result.diagnostics] == [
        "nowhere:1: error: not a folder",
    ]
    assert result.files == 0


def test_errors_are_sorted_and_all_reported(tmp_path: Path) -> None:
    files = {
        "03-stage/room.md": "---\ntitle: S\nkind: stag\n---\n",
        "01-hall/room.md": "---\ntitle: H\ncolour: nope\ndoors: [labo]\n---\n",
        "gallery.yaml": BARE + "entrance: lobby\n",
    }
    assert [str(d) for d in load(tmp_path, files).diagnostics] == [
        "x/01-hall/room.md:3:9: error: invalid colour 'nope' (expected #rgb, #rrggbb or a CSS colour name)",
        "x/01-hall/room.md:4:9: error: unknown room 'labo' (did you mean 'lab'?)",
        "x/03-stage/room.md:3:7: error: invalid kind 'stag' (expected 'gallery' or 'stage')",
        "x/gallery.yaml:3:11: error: unknown room 'lobby'",
    ]


def test_hidden_files_and_plain_folders_are_ignored(tmp_path: Path) -> None:
    files = {
        ".git/room.md": "binary \xff",
        "02-lab/.01-draft.md": "---\ntitel: X\n---\n",
        "02-lab/.DS_Store": b"\x00\xff",
        "shared/logo.png": b"png",
    }
    result = load(tmp_path, files)
    assert result.diagnostics == ()
    assert result.files == 8


def test_the_display_root_prefixes_paths(tmp_path: Path) -> None:
    root = exhibition(tmp_path, {"01-hall/room.md": "---\ntitel: H\n---\n"})
    result = load_exhibition(root, display="some/where")
    assert str(result.diagnostics[0]).startswith("some/where/01-hall/room.md:2:1: error: ")
    assert str(load_exhibition(root).diagnostics[0]).startswith(f"{root}/01-hall/room.md:2:1: ")


def test_links_between_exhibits_follow_the_language(tmp_path: Path) -> None:
    files = {
        "02-lab/maps.en.md": "---\ntitle: Maps\n---\nSee the [lanterns](01-lanterns.md).\n",
        "02-lab/02-maps.md": "---\ntitle: Cartes\n---\nVoir les [lanternes](01-lanterns.md).\n",
    }
    result = load(tmp_path, files)
    assert result.exhibition is not None
    maps = result.exhibition.exhibit("lab", "maps")
    assert maps is not None
    assert 'href="/fr/rooms/lab/lanterns/"' in maps.body.get("fr")
    assert 'href="/en/rooms/lab/lanterns/"' in maps.body.get("en")
