"""The visitor pages of the fixture exhibition: content, links, languages and walking order."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from markupsafe import Markup

from gallery import create_app
from gallery.views import plan

from .conftest import BASIC, SAMPLE
from .content_helpers import media_href
from .pagecheck import active_content, app_for, copy_exhibition, parse

PAGES = [
    "/fr/",
    "/en/",
    "/fr/rooms/hall/",
    "/en/rooms/lab/",
    "/fr/rooms/stage/",
    "/fr/rooms/lab/lanterns/",
    "/en/rooms/lab/maps/",
    "/fr/agenda/",
    "/en/agenda/",
]


def html_of(client: FlaskClient, url: str, **kwargs) -> str:
    """GET a page, check it is a 200 HTML page and return its text."""
    response = client.get(url, **kwargs)
    assert response.status_code == 200, url
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_the_shared_frame(client: FlaskClient, url: str) -> None:
    lang = url.split("/")[1]
    page = parse(html_of(client, url))
    assert page.find("html")[0].attrs["lang"] == lang
    assert page.find("a", href="#main", **{"class": "skip-link"})
    assert page.find("main", id="main")
    assert page.find("body")[0].attrs["data-lang"] == lang
    assert page.find("a", href=f"/{lang}/agenda/")
    assert page.find("a", href="mailto:contact@example.org")


@pytest.mark.parametrize("url", PAGES)
def test_no_inline_script_style_or_third_party(client: FlaskClient, url: str) -> None:
    assert active_content(html_of(client, url)) == []


@pytest.mark.parametrize("url", PAGES)
def test_language_switcher_links_to_the_same_page(client: FlaskClient, url: str) -> None:
    page = parse(html_of(client, url))
    rest = url.split("/", 2)[2]
    for code in ("fr", "en"):
        (link,) = [t for t in page.find("a", hreflang=code) if t.attrs.get("lang") == code]
        assert link.attrs["href"] == f"/{code}/{rest}"
        assert page.find("link", rel="alternate", hreflang=code, href=f"/{code}/{rest}")
    current = [t for t in page.find("a") if t.attrs.get("aria-current") == "true"]
    assert [t.attrs["hreflang"] for t in current] == [url.split("/")[1]]


def test_lobby_shows_introduction_floor_plan_and_every_room(client: FlaskClient) -> None:
    html = html_of(client, "/fr/")
    page = parse(html)
    assert "<h1>Galerie d’essai</h1>" in html
    assert "Une petite exposition pour les tests" in html
    assert "Bienvenue dans la <strong>galerie d’essai</strong>." in html
    assert page.find("a", href="/fr/rooms/hall/", **{"class": "button"})
    # The plan is an SVG read as a list: per room its link, its exhibits and its doors.
    (svg,) = page.find("svg", **{"class": "plan"})
    assert svg.attrs["role"] == "list"
    assert svg.attrs["aria-labelledby"] == "plan-title"
    rooms = [
        g
        for g in page.find("g")
        if g.attrs.get("role") == "listitem" and "data-plan-room" in g.attrs
    ]
    assert [g.attrs["data-plan-room"] for g in rooms] == ["hall", "lab", "stage"]
    links = [a for a in page.find("a") if a.attrs.get("class") == "plan-room-link"]
    assert [a.attrs["href"] for a in links] == [
        "/fr/rooms/hall/",
        "/fr/rooms/lab/",
        "/fr/rooms/stage/",
    ]
    doors = sorted(
        (g.attrs["data-plan-door"]) for g in page.find("g") if "data-plan-door" in g.attrs
    )
    assert doors == ["hall", "hall", "lab", "stage"]  # hall-lab and hall-stage, in both rooms
    stands = [
        g.attrs["data-plan-exhibit"] for g in page.find("g") if "data-plan-exhibit" in g.attrs
    ]
    assert stands == ["lanterns", "maps"]
    assert "Porte vers Laboratoire" in html
    assert "Scène · aucun projet" in html
    assert "Entrée · aucun projet" in html


def test_lobby_in_english(client: FlaskClient) -> None:
    html = html_of(client, "/en/")
    assert "<h1>Test gallery</h1>" in html
    assert "Welcome to the <strong>test gallery</strong>." in html
    assert "Door to Laboratory" in html
    assert "Start the visit" in html


def test_room_page_lists_panels_doors_and_neighbours(client: FlaskClient) -> None:
    html = html_of(client, "/fr/rooms/lab/")
    page = parse(html)
    assert "<h1>Laboratoire</h1>" in html
    assert "Une salle d’expériences." in html
    assert page.find("a", href="/fr/rooms/lab/lanterns/")
    assert page.find("a", href="/fr/rooms/lab/maps/")
    (image,) = page.find("img", src=media_href("02-lab/lantern.png"))
    assert image.attrs["alt"] == "Une lanterne bleue sur fond blanc"
    assert "Ministère de la Lumière" in html
    assert "Des lanternes qui éclairent les données." in html
    # The hall declared the door; it opens both ways.
    assert page.find("a", href="/fr/rooms/hall/", **{"class": "door room-colour-1"})
    assert page.find("span", **{"data-room-count": "hall"})
    # The walk: the hall (which has no exhibit) before, the lab's first exhibit after.
    assert page.find("a", rel="prev", href="/fr/rooms/hall/")
    assert page.find("a", rel="next", href="/fr/rooms/lab/lanterns/")
    assert page.find("a", rel="up", href="/fr/")
    assert page.find("link", rel="next", href="/fr/rooms/lab/lanterns/")
    assert page.find("body")[0].attrs["data-room"] == "lab"
    # The arrow-key hint waits for walk.js: without JavaScript the keys do nothing.
    (hint,) = page.find("p", **{"class": "walk-hint"})
    assert "hidden" in hint.attrs
    assert "pour parcourir l’exposition" in html
    assert page.find("script", type="module")[0].attrs["src"].startswith("/static/js/walk.js")


def test_the_walk_starts_in_the_lobby_and_ends_in_the_last_room(client: FlaskClient) -> None:
    lobby = parse(html_of(client, "/en/"))
    assert lobby.find("a", rel="next", href="/en/rooms/hall/", **{"class": "button"})
    assert lobby.find("link", rel="next", href="/en/rooms/hall/")
    assert not lobby.find("a", rel="prev") and not lobby.find("link", rel="up")
    first = parse(html_of(client, "/en/rooms/hall/"))
    # Back and up lead to the same lobby: one link says both.
    assert first.find("a", rel="prev up", href="/en/")
    assert first.find("a", rel="next", href="/en/rooms/lab/")
    last = parse(html_of(client, "/en/rooms/stage/"))
    assert last.find("a", rel="prev", href="/en/rooms/lab/maps/")
    assert not last.find("a", rel="next")


def test_past_the_last_exhibit_the_walk_enters_the_next_room(client: FlaskClient) -> None:
    html = html_of(client, "/fr/rooms/lab/maps/")
    page = parse(html)
    assert page.find("a", rel="next", href="/fr/rooms/stage/")
    assert page.find("a", rel="prev", href="/fr/rooms/lab/lanterns/")
    assert page.find("a", rel="up", href="/fr/rooms/lab/")
    assert page.find("link", rel="up", href="/fr/rooms/lab/")
    assert re.search(r"Salle suivante</span> <span class=\"pager-title\">Scène", html)
    assert "en haut de la page pour revenir à la salle" in html


def test_exhibit_pages_show_the_doors_of_their_room(client: FlaskClient) -> None:
    page = parse(html_of(client, "/en/rooms/lab/lanterns/"))
    assert page.find("a", href="/en/rooms/hall/", **{"class": "door room-colour-1"})
    assert page.find("span", **{"data-room-count": "hall"})


def test_a_room_hangs_its_exhibits_on_its_wall(client: FlaskClient) -> None:
    html = html_of(client, "/fr/rooms/lab/")
    page = parse(html)
    (head,) = [t for t in page.find("header") if "room-head" in (t.attrs.get("class") or "")]
    assert head.attrs["class"] == "room-head room-colour-2"
    (wall,) = page.find("section", **{"aria-labelledby": "exhibits-title"})
    assert wall.attrs["class"] == "wall room-colour-2"
    assert page.find("ul", **{"class": "hang hang-2"})
    works = [t.attrs["data-exhibit"] for t in page.find("li", **{"class": "work"})]
    assert works == ["lanterns", "maps"]
    # Each panel's label is a cartel: the title (a link, the panel's only one), then who made it.
    assert re.search(
        r'<h3 class="cartel-title"><a href="/fr/rooms/lab/lanterns/">Lanternes</a></h3>\s*'
        r'<p class="cartel-org">Ministère de la Lumière</p>',
        html,
    )
    # Without a picture the panel shows a plate with the summary instead.
    assert '<p class="work-plate">Des cartes du territoire.</p>' in html
    # The room's place on the walk is its number.
    assert "Salle 2 · 2 projets" in html
    assert '<span class="room-numeral" aria-hidden="true">2</span>' in html


def test_a_room_image_heads_its_page(tmp_path: Path) -> None:
    root = copy_exhibition(BASIC, tmp_path)
    room_file = root / "01-hall" / "room.md"
    room_file.write_text(
        room_file.read_text(encoding="utf-8").replace(
            'colour: "#1d4e89"\n',
            'colour: "#1d4e89"\nimage: ../02-lab/lantern.png\nimage_alt: Le hall en lumière\n',
        ),
        encoding="utf-8",
    )
    with app_for(root).test_client() as client:
        page = parse(html_of(client, "/fr/rooms/hall/"))
    (head,) = [t for t in page.find("header") if "room-head" in (t.attrs.get("class") or "")]
    assert head.attrs["class"] == "room-head room-colour-1 has-image"
    (image,) = page.find("img", src=media_href("02-lab/lantern.png", root))
    assert image.attrs["alt"] == "Le hall en lumière"
    assert not page.find("span", **{"class": "room-numeral"})


def test_room_text_missing_in_the_page_language_is_marked(client: FlaskClient) -> None:
    html = html_of(client, "/en/rooms/lab/")
    # Only French is written for the organisation: screen readers must read it as French.
    assert '<span lang="fr">Ministère de la Lumière</span>' in html
    assert '<div lang="fr"><p>Une salle d’expériences.</p>' in html


def test_exhibit_page_with_a_video_file(client: FlaskClient) -> None:
    html = html_of(client, "/fr/rooms/lab/lanterns/")
    page = parse(html)
    assert '<h1 id="exhibit-title">Lanternes</h1>' in html
    assert "Les <strong>lanternes</strong> éclairent les politiques publiques." in html
    (video,) = page.find("video")
    assert video.attrs["preload"] == "metadata"
    assert "controls" in video.attrs
    assert video.attrs["poster"] == media_href("02-lab/lantern.png")
    assert page.find("source", src=media_href("02-lab/lanterns.mp4"), type="video/mp4")
    tracks = {t.attrs["srclang"]: t.attrs for t in page.find("track", kind="captions")}
    assert tracks["fr"]["src"] == media_href("02-lab/lanterns.fr.vtt")
    assert tracks["en"]["src"] == media_href("02-lab/lanterns.en.vtt")
    assert tracks["fr"]["label"] == "Français" and tracks["en"]["label"] == "English"
    assert "default" in tracks["fr"] and "default" not in tracks["en"]
    assert "Ministère de la Lumière" in html
    assert "Alice Martin" in html
    assert re.search(r"Bruno Petit</span><span class=\"person-role\">, Développeur", html)
    assert "Chloé Durand" in html
    assert page.find("a", href=media_href("02-lab/charts.pdf"))
    assert "(PDF, 329 octets)" in html
    assert page.find("a", href="https://example.org/lanterns")
    assert page.find("a", rel="next", href="/fr/rooms/lab/maps/")
    # The first exhibit comes right after its room: ← and ↑ both lead back there.
    assert page.find("a", rel="prev up", href="/fr/rooms/lab/")
    body = page.find("body")[0].attrs
    assert (body["data-room"], body["data-exhibit"]) == ("lab", "lanterns")


def test_exhibit_page_in_english_defaults_to_english_captions(client: FlaskClient) -> None:
    page = parse(html_of(client, "/en/rooms/lab/lanterns/"))
    tracks = {t.attrs["srclang"]: t.attrs for t in page.find("track")}
    assert "default" in tracks["en"] and "default" not in tracks["fr"]
    assert page.find("img", alt="A blue lantern on a white background") or page.find(
        "video", poster=media_href("02-lab/lantern.png")
    )


def test_third_party_video_is_a_placeholder_until_clicked(client: FlaskClient) -> None:
    html = html_of(client, "/en/rooms/lab/maps/")
    page = parse(html)
    assert not page.find("iframe")
    (embed,) = page.find("div", **{"class": "embed"})
    assert embed.attrs["data-embed-src"].startswith("https://www.youtube-nocookie.com/embed/")
    (button,) = page.find("button", type="button")
    assert "hidden" in button.attrs  # shown by the script; without it the link does the job
    assert page.find("a", href="https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    scripts = {t.attrs["src"].split("?")[0] for t in page.find("script") if "src" in t.attrs}
    assert {"/static/js/embed.js", "/static/js/walk.js"} <= scripts
    assert page.find("a", rel="prev", href="/en/rooms/lab/lanterns/")
    assert page.find("a", rel="next", href="/en/rooms/stage/")


def test_agenda_times_are_in_the_exhibition_time_zone(client: FlaskClient) -> None:
    for lang, day in (("fr", "jeudi 17 juin 2021"), ("en", "Thursday, June 17, 2021")):
        html = html_of(client, f"/{lang}/agenda/")
        page = parse(html)
        assert day in html
        assert page.find("time", datetime="2021-06-17T14:00:00+02:00")
        assert re.search(r">14:00</time> – <time datetime=\"[^\"]+\">14:30<", html)
        assert "Europe/Paris" in html
        assert "Ada Lovelace" in html
        assert page.find("a", href=f"/{lang}/rooms/stage/")
        assert page.find("a", href=f"/{lang}/rooms/lab/lanterns/")
    assert "Animatrice" in html_of(client, "/fr/agenda/")
    assert "Host" in html_of(client, "/en/agenda/")


def test_agenda_uses_another_time_zone_when_the_exhibition_says_so(tmp_path: Path) -> None:
    root = copy_exhibition(BASIC, tmp_path)
    config = root / "gallery.yaml"
    config.write_text(config.read_text().replace("Europe/Paris", "America/New_York"))
    html = app_for(root).test_client().get("/en/agenda/").get_data(as_text=True)
    assert re.search(r">08:00</time> – <time datetime=\"[^\"]+\">08:30<", html)
    assert "America/New_York" in html


def test_urls_without_trailing_slash_redirect(client: FlaskClient) -> None:
    response = client.get("/fr/rooms/lab")
    assert response.status_code in (301, 308)
    assert response.headers["Location"].endswith("/fr/rooms/lab/")


@pytest.mark.parametrize(
    ("url", "accept", "lang", "vary"),
    [
        ("/fr/rooms/nowhere/", "en", "fr", False),
        ("/en/rooms/nowhere/", "fr", "en", False),
        ("/en/rooms/lab/nothing/", "fr", "en", False),
        ("/fr/rooms/lab/lanterns/extra/", "en", "fr", False),
        ("/de/", "en-GB,en;q=0.8", "en", True),
        ("/nowhere/at/all/", "fr-FR", "fr", True),
        ("/nowhere/", "de", "fr", True),
    ],
)
def test_not_found_pages_speak_the_visitor_language(
    client: FlaskClient, url: str, accept: str, lang: str, vary: bool
) -> None:
    response = client.get(url, headers={"Accept-Language": accept})
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    page = parse(html)
    assert page.find("html")[0].attrs["lang"] == lang
    title = {"fr": "Page introuvable", "en": "Page not found"}[lang]
    assert f"<h1>{title}</h1>" in html
    assert page.find("a", href=f"/{lang}/")
    assert page.find("a", href=f"/{lang}/rooms/lab/")
    assert ("Accept-Language" in response.headers.get("Vary", "")) is vary
    assert active_content(html) == []


def test_room_image_is_shown_with_its_alt_text(tmp_path: Path) -> None:
    root = copy_exhibition(BASIC, tmp_path)
    room = root / "02-lab" / "room.md"
    room.write_text(
        room.read_text().replace(
            'colour: "#2e6b30"', 'colour: "#2e6b30"\nimage: lantern.png\nimage_alt: Une lanterne'
        )
    )
    page = parse(app_for(root).test_client().get("/en/rooms/lab/").get_data(as_text=True))
    (image,) = [t for t in page.find("img") if t.attrs.get("alt") == "Une lanterne"]
    assert image.attrs["src"] == media_href("02-lab/lantern.png", root)
    assert image.attrs["lang"] == "fr"  # the alt text is French on an English page


def test_agenda_links_to_the_stream(client: FlaskClient) -> None:
    page = parse(html_of(client, "/en/agenda/"))
    assert page.find("a", href="https://peertube.example.org/w/abc123")


@pytest.mark.parametrize(
    ("stream", "href", "text"),
    [
        ("HTTPS://peertube.example.org/w/abc123", "https://peertube.example.org/w/abc123", None),
        ("02-lab/lanterns.mp4", "/media/02-lab/lanterns.mp4", ">lanterns.mp4</a>"),
    ],
    ids=["page-url-in-capitals", "file"],
)
def test_agenda_links_to_the_stream_the_model_read(
    tmp_path: Path, stream: str, href: str, text: str | None
) -> None:
    root = copy_exhibition(BASIC, tmp_path)
    config = root / "gallery.yaml"
    config.write_text(config.read_text().replace("https://peertube.example.org/w/abc123", stream))
    html = app_for(root).test_client().get("/en/agenda/").get_data(as_text=True)
    if href.startswith("/media/"):  # a file's URL carries its version
        href = media_href(href.removeprefix("/media/"), root)
    hrefs = [a.attrs.get("href") or "" for a in parse(html).find("a")]
    assert href in [h.lower() if h.startswith("HTTP") else h for h in hrefs]
    assert not any(h.startswith("/media/HTTP") for h in hrefs)
    if text is not None:
        assert text in html


def nearby_of(html: str):
    """Parse the "you are here" plan of a page."""
    start = html.index('<nav class="nearby"')
    return parse(html[start : html.index("</nav>", start)])


def test_room_and_exhibit_pages_carry_a_you_are_here_plan(client: FlaskClient) -> None:
    """The plan around the room: the current place marked, a link through each door."""
    for url, current, mark in (
        ("/fr/rooms/hall/", "page", "Vous êtes ici"),
        ("/fr/rooms/lab/lanterns/", "location", "Vous êtes ici, devant Lanternes"),
    ):
        html = html_of(client, url)
        nav = nearby_of(html)
        (svg,) = nav.find("svg")
        assert svg.attrs["aria-hidden"] == "true"
        here = [a for a in nav.find("a") if a.attrs.get("aria-current")]
        room = url.split("/")[3]
        assert [(a.attrs["href"], a.attrs["aria-current"]) for a in here] == [
            (f"/fr/rooms/{room}/", current)
        ]
        assert mark in html
    nav = nearby_of(html_of(client, "/fr/rooms/hall/"))
    doors = [a.attrs["href"] for a in nav.find("a") if not a.attrs.get("aria-current")]
    assert doors == ["/fr/rooms/lab/", "/fr/rooms/stage/"]


@pytest.mark.parametrize("root", [BASIC, SAMPLE], ids=["basic", "sample"])
def test_the_room_drawn_once_for_its_pages_is_the_room_drawn_on_each(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The "you are here" room, drawn once and marked per exhibit, is the room drawn anew."""

    def pages() -> dict[str, str]:
        app = create_app(
            {"TESTING": True, "ROOMS": str(root), "SECRET_KEY": "test", "DATA_DIR": str(tmp_path)}
        )
        client, exhibition = app.test_client(), app.extensions["gallery.site"].exhibition
        urls = [f"/fr/rooms/{room.slug}/" for room in exhibition.rooms]
        urls += [f"/fr/rooms/{r.slug}/{e.slug}/" for r in exhibition.rooms for e in r.exhibits]
        return {url: html_of(client, url) for url in urls}

    drawn: list[Markup | None] = []
    real = plan.Nearby.room
    monkeypatch.setattr(
        plan.Nearby, "room", lambda self, e: drawn.append(real(self, e)) or drawn[-1]
    )
    once = pages()
    assert drawn and None not in drawn
    assert sum('class="plan-nearby-stand is-here"' in html for html in once.values()) >= 2
    monkeypatch.setattr(plan.Nearby, "room", lambda self, exhibit: None)
    assert pages() == once
