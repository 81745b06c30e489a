"""The stage room, the "now live" banner and the agenda's marks, under injected clocks."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from gallery import create_app
from gallery.clock import FrozenClock

from .conftest import BASIC
from .content_helpers import media_href
from .pagecheck import copy_exhibition

REPLAY = (
    "    replay: 02-lab/lanterns.mp4\n"
    "    captions: {fr: 02-lab/lanterns.fr.vtt, en: 02-lab/lanterns.en.vtt}\n"
)


@pytest.fixture
def clock() -> FrozenClock:
    """A clock an hour before the opening (14:00-14:30, Paris)."""
    return FrozenClock("2021-06-17T13:00+02:00")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The basic exhibition, its opening given a replay of the lanterns video."""
    root = copy_exhibition(BASIC, tmp_path)
    yaml = root / "gallery.yaml"
    text = yaml.read_text(encoding="utf-8")
    yaml.write_text(
        text.replace("    exhibit: lab/lanterns\n", "    exhibit: lab/lanterns\n" + REPLAY)
    )
    return root


def make(root: Path, clock: FrozenClock, front: bool = True) -> Flask:
    """An app on `root` whose "now" is `clock`."""
    config = {"TESTING": True, "ROOMS": str(root), "SECRET_KEY": "t", "CLOCK": clock}
    return create_app({**config, "FRONT_CACHE": front})


def page(app: Flask, url: str) -> str:
    """GET `url` and return its HTML."""
    response = app.test_client().get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_before_the_session_the_stage_says_what_comes_next(root: Path, clock: FrozenClock) -> None:
    html = page(make(root, clock), "/fr/rooms/stage/")
    assert 'class="up-next up-next-hero"' in html
    assert "Ouverture" in html
    assert 'data-countdown-to="2021-06-17T14:00:00+02:00"' in html
    assert "Commence à 14:00" in html
    assert 'class="on-air' not in html
    assert "Aucun projet" not in html and "no_exhibits" not in html
    assert 'class="live-banner"' not in html


def test_during_the_session_the_stage_plays_it(root: Path, clock: FrozenClock) -> None:
    clock.set("2021-06-17T14:05+02:00")
    html = page(make(root, clock), "/en/rooms/stage/")
    assert '<article class="on-air"' in html
    assert 'data-embed-src="https://peertube.example.org/videos/embed/abc123"' in html
    assert '<span class="person-name">Ada Lovelace</span>' in html
    assert '<span class="person-role">, Host</span>' in html
    assert 'href="/en/rooms/lab/lanterns/"' in html  # the exhibit pitched
    assert "14:00</time>–<time" in html
    assert 'class="up-next' not in html  # nothing after it today


def test_the_spotlight_changes_the_exhibit_pitched(root: Path, clock: FrozenClock) -> None:
    clock.set("2021-06-17T14:05+02:00")
    app = make(root, clock)
    assert 'class="pitched-link" href="/en/rooms/lab/lanterns/"' in page(app, "/en/rooms/stage/")
    app.extensions["gallery.stage"].spotlight("lab/maps")
    assert 'class="pitched-link" href="/en/rooms/lab/maps/"' in page(app, "/en/rooms/stage/")


def test_after_the_session_the_stage_plays_its_replay(root: Path, clock: FrozenClock) -> None:
    clock.set("2021-06-17T15:00+02:00")
    app = make(root, clock)
    html = page(app, "/fr/rooms/stage/")
    assert 'class="on-air on-air-replay"' in html
    video, captions = (
        media_href("02-lab/lanterns.mp4", root),
        media_href("02-lab/lanterns.fr.vtt", root),
    )
    assert f'<source src="{video}" type="video/mp4">' in html
    assert f'src="{captions}" default>' in html
    assert "Voir le replay" in html
    assert '<p class="on-air-description">Le mot d’accueil.</p>' in html
    assert app.test_client().get("/media/02-lab/lanterns.fr.vtt").status_code == 200


def test_a_session_without_a_stream_shows_a_title_card(root: Path, clock: FrozenClock) -> None:
    yaml = root / "gallery.yaml"
    text = yaml.read_text(encoding="utf-8")
    yaml.write_text(text.replace("    stream: https://peertube.example.org/w/abc123\n", ""))
    clock.set("2021-06-17T14:05+02:00")
    html = page(make(root, clock), "/fr/rooms/stage/")
    card = html[html.index('<div class="screen-slate">') :]
    card = card[: card.index('<div class="on-air-info">')]
    assert '<p class="slate-title">Ouverture</p>' in card
    assert "14:00</time>–<time" in card
    assert 'aria-hidden="true"' in card  # the page says title and time beside it
    assert '<p class="slate-note">Cette session n’est pas diffusée en ligne.</p>' in card


def test_a_session_ended_by_the_host_shows_its_replay_at_once(
    root: Path, clock: FrozenClock
) -> None:
    clock.set("2021-06-17T14:05+02:00")
    app = make(root, clock)
    assert '<article class="on-air"' in page(app, "/fr/rooms/stage/")
    app.extensions["gallery.stage"].live("opening", "ended")
    html = page(app, "/fr/rooms/stage/")
    assert 'class="on-air on-air-replay"' in html
    assert 'class="live-banner"' not in html


def test_a_stage_without_sessions_left_says_so(tmp_path: Path, clock: FrozenClock) -> None:
    clock.set("2021-06-18T10:00+02:00")
    html = page(make(BASIC, clock), "/en/rooms/stage/")
    assert "The programme of this stage is over." in html


@pytest.mark.parametrize(
    "url", ["/fr/", "/fr/rooms/lab/", "/en/rooms/lab/lanterns/", "/en/agenda/"]
)
def test_the_banner_shows_on_every_page_while_a_session_is_live(
    root: Path, clock: FrozenClock, url: str
) -> None:
    app = make(root, clock)
    before = page(app, url)
    assert 'id="stage-banner" class="live-banner-region" role="status"' in before
    assert 'class="live-banner"' not in before
    clock.set("2021-06-17T14:00+02:00")
    during = page(app, url)
    assert 'class="live-banner"' in during
    lang = url[1:3]
    assert f'class="live-banner-link" href="/{lang}/rooms/stage/"' in during
    clock.set("2021-06-17T14:30+02:00")
    assert 'class="live-banner"' not in page(app, url)


def test_the_banner_on_the_stage_itself_does_not_ask_to_join_it(
    root: Path, clock: FrozenClock
) -> None:
    clock.set("2021-06-17T14:00+02:00")
    html = page(make(root, clock), "/fr/rooms/stage/")
    assert 'class="live-banner"' in html
    assert "live-banner-link" not in html


def test_the_404_page_shows_the_banner_too(root: Path, clock: FrozenClock) -> None:
    clock.set("2021-06-17T14:10+02:00")
    response = make(root, clock).test_client().get("/fr/nowhere/")
    assert response.status_code == 404
    assert 'class="live-banner"' in response.get_data(as_text=True)


def test_the_agenda_marks_past_now_and_next_in_words(tmp_path: Path, clock: FrozenClock) -> None:
    root = copy_exhibition(BASIC, tmp_path)
    yaml = root / "gallery.yaml"
    second = (
        "  - id: closing\n    title: Closing\n    starts: 2021-06-17T15:00:00+02:00\n"
        "    ends: 2021-06-17T15:30:00+02:00\n    room: stage\n" + REPLAY
    )
    yaml.write_text(yaml.read_text(encoding="utf-8") + second, encoding="utf-8")
    app = make(root, clock)
    html = page(app, "/en/agenda/")
    assert '<span class="status-chip status-next">Next</span>' in html
    assert '<span class="status-chip status-later">Later</span>' in html
    clock.set("2021-06-17T14:10+02:00")
    html = page(app, "/en/agenda/")
    assert 'class="session is-live" aria-current="true"' in html
    assert '<span class="status-chip status-live">Live now</span>' in html
    clock.set("2021-06-17T16:00+02:00")
    html = page(app, "/en/agenda/")
    assert html.count('<span class="status-chip status-past">Over</span>') == 2
    assert f'href="{media_href("02-lab/lanterns.mp4", root)}">Watch the replay' in html


@pytest.mark.parametrize("front", [True, False], ids=["front-cache", "page-cache"])
def test_a_cached_page_never_keeps_saying_next_once_live(
    root: Path, clock: FrozenClock, front: bool
) -> None:
    """Rendered before the start, served from the caches, then the session starts."""
    clock.set("2021-06-17T13:59:59+02:00")
    app = make(root, clock, front)
    client = app.test_client()
    first = client.get("/fr/rooms/stage/")
    again = client.get("/fr/rooms/stage/")  # from the cache
    assert again.get_data() == first.get_data()
    assert 'class="up-next up-next-hero"' in first.get_data(as_text=True)
    clock.advance(1)
    plain = client.get("/fr/rooms/stage/").get_data(as_text=True)
    assert '<article class="on-air"' in plain
    live = client.get("/fr/rooms/stage/", headers={"If-None-Match": first.headers["ETag"]})
    assert live.status_code == 200
    html = live.get_data(as_text=True)
    assert '<article class="on-air"' in html
    assert 'class="up-next' not in html
    assert live.headers["ETag"] != first.headers["ETag"]


def test_the_front_cache_keeps_working_within_a_phase(root: Path, clock: FrozenClock) -> None:
    """Between two boundaries, pages are still answered before Flask."""
    from gallery.frontcache import FrontCache

    app = make(root, clock)
    front = app.wsgi_app
    assert isinstance(front, FrontCache)
    calls: list[str] = []
    inner = front.app

    def spy(environ, start_response):
        calls.append(environ["PATH_INFO"])
        return inner(environ, start_response)

    front.app = spy
    client = app.test_client()
    client.get("/fr/rooms/stage/")
    clock.advance(600)  # 13:10, still before the opening
    client.get("/fr/rooms/stage/")
    assert calls == ["/fr/rooms/stage/"]
    app.extensions["gallery.stage"].live("opening", "live")  # the host starts it early
    html = client.get("/fr/rooms/stage/").get_data(as_text=True)
    assert calls == ["/fr/rooms/stage/"] * 2
    assert '<article class="on-air"' in html


def test_stage_json_tells_the_programme_and_the_servers_clock(
    root: Path, clock: FrozenClock
) -> None:
    clock.set("2021-06-17T13:58:30+02:00")
    response = make(root, clock).test_client().get("/api/stage.json")
    assert response.headers["Cache-Control"] == "no-store"
    data = response.get_json()
    assert data["now"] == "2021-06-17T11:58:30+00:00"
    assert data["until"] == "2021-06-17T14:00:00+02:00"
    assert data["sessions"][0] | {"starts": None, "ends": None} == {
        "id": "opening",
        "phase": "next",
        "by_host": False,
        "room": "stage",
        "starts": None,
        "ends": None,
        "seconds": 90,
    }


def test_an_hls_stream_gets_a_player_and_blob_media(root: Path, clock: FrozenClock) -> None:
    yaml = root / "gallery.yaml"
    text = yaml.read_text(encoding="utf-8")
    yaml.write_text(text.replace("https://peertube.example.org/w/abc123", "/live/stage.m3u8"))
    clock.set("2021-06-17T14:05+02:00")
    response = make(root, clock).test_client().get("/fr/rooms/stage/")
    html = response.get_data(as_text=True)
    assert 'data-hls-src="/live/stage.m3u8"' in html
    assert '<source src="/live/stage.m3u8" type="application/vnd.apple.mpegurl">' in html
    assert "media-src 'self' blob:;" in response.headers["Content-Security-Policy"]
    plain = make(BASIC, clock).test_client().get("/fr/rooms/stage/")
    assert "media-src 'self';" in plain.headers["Content-Security-Policy"]
