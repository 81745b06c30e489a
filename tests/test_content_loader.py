"""Loading the basic fixture exhibition into the content model."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from gallery.content import Exhibition, load_exhibition

from .conftest import BASIC


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
    assert basic.closes == datetime(2021, 6, 30, 18, 0, tzinfo=paris)
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
    assert basic.media_files() == {
        "02-lab/lantern.png",
        "02-lab/lanterns.mp4",
        "02-lab/lanterns.fr.vtt",
        "02-lab/lanterns.en.vtt",
        "02-lab/charts.pdf",
    }


def test_loading_is_fast() -> None:
    started = time.perf_counter()
    for _ in range(5):
        load_exhibition(BASIC)
    assert (time.perf_counter() - started) / 5 < 0.5
