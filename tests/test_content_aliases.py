"""Renaming rooms and exhibits: `aliases` checked compiler style, old addresses resolved, and
links in the texts to pages whose slug is gone listed by `check`."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from gallery.content.aliases import Aliases

from .content_helpers import exhibition, load, messages
from .pagecheck import app_for

LAB = "---\ntitle: Laboratoire\n{extra}---\n{body}"
MAPS = "---\ntitle: Cartes\n{extra}---\n{body}"


def _lab(extra: str = "", body: str = "") -> str:
    return LAB.format(extra=extra, body=body)


def _maps(extra: str = "", body: str = "") -> str:
    return MAPS.format(extra=extra, body=body)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"02-lab/room.md": _lab("aliases: [Old_Lab]\n")},
            "x/02-lab/room.md:3:11: error: invalid alias 'Old_Lab' "
            "(use lowercase letters, digits and single hyphens)",
        ),
        (
            {"02-lab/room.md": _lab("aliases: [lab]\n")},
            "x/02-lab/room.md:3:11: error: alias 'lab' is the room's own slug",
        ),
        (
            {"02-lab/room.md": _lab("aliases: [hall]\n")},
            "x/02-lab/room.md:3:11: error: alias 'hall' is the slug of a room",
        ),
        (
            {
                "02-lab/room.md": _lab("aliases: [atelier]\n"),
                "03-stage/room.md": "---\ntitle: Scène\nkind: stage\naliases: [atelier]\n---\n",
            },
            "x/03-stage/room.md:4:11: error: alias 'atelier' is also an alias of room 'lab'",
        ),
        (
            {"02-lab/room.md": _lab("aliases: [atelier, atelier]\n")},
            "x/02-lab/room.md:3:20: warning: alias 'atelier' is listed twice",
        ),
        (
            {"02-lab/room.md": _lab("aliases: atelier\n")},
            "x/02-lab/room.md:3:10: error: expected a list for 'aliases', got a text",
        ),
        (
            {"02-lab/02-maps.md": _maps("aliases: [a/b/c]\n")},
            "x/02-lab/02-maps.md:3:11: error: invalid alias 'a/b/c' "
            "(an old slug, or room/slug for an exhibit that stood in another room)",
        ),
        (
            {"02-lab/02-maps.md": _maps("aliases: [maps]\n")},
            "x/02-lab/02-maps.md:3:11: error: alias 'maps' is the exhibit's own slug",
        ),
        (
            {"02-lab/02-maps.md": _maps("aliases: [lab/maps]\n")},
            "x/02-lab/02-maps.md:3:11: error: alias 'lab/maps' is the exhibit's own slug",
        ),
        (
            {"02-lab/02-maps.md": _maps("aliases: [lanterns]\n")},
            "x/02-lab/02-maps.md:3:11: error: alias 'lanterns' is the slug of another exhibit "
            "of this room",
        ),
        (
            {
                "04-annex/room.md": "---\ntitle: Annexe\n---\n",
                "04-annex/01-kites.md": _maps("aliases: [lab/lanterns]\n"),
            },
            "x/04-annex/01-kites.md:3:11: error: alias 'lab/lanterns' is the slug of an exhibit",
        ),
        (
            {
                "02-lab/02-maps.md": _maps("aliases: [plans]\n"),
                "04-annex/room.md": "---\ntitle: Annexe\n---\n",
                "04-annex/01-kites.md": _maps("aliases: [lab/plans]\n"),
            },
            "x/04-annex/01-kites.md:3:11: error: alias 'lab/plans' is also an alias of "
            "exhibit 'lab/maps'",
        ),
    ],
    ids=[
        "invalid-room-alias",
        "own-room-slug",
        "room-in-use",
        "room-alias-twice",
        "listed-twice",
        "not-a-list",
        "invalid-exhibit-alias",
        "own-exhibit-slug",
        "own-exhibit-address",
        "sibling-in-use",
        "exhibit-in-use",
        "exhibit-alias-twice",
    ],
)
def test_alias_messages(tmp_path: Path, files: dict[str, str], expected: str) -> None:
    assert expected in messages(tmp_path, files)


def test_valid_aliases_load(tmp_path: Path) -> None:
    result = load(
        tmp_path,
        {
            "02-lab/room.md": _lab("aliases: [atelier, old-lab]\n"),
            "02-lab/02-maps.md": _maps("aliases: [plans, hall/cartes]\n"),
        },
    )
    assert result.ok, [str(d) for d in result.diagnostics]
    assert result.exhibition is not None
    assert result.exhibition.room("lab").aliases == ("atelier", "old-lab")
    assert result.exhibition.exhibit("lab", "maps").aliases == ("plans", "hall/cartes")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (("atelier", None), ("lab", None)),
        (("atelier", "lanterns"), ("lab", "lanterns")),  # a room's alias covers its exhibits
        (("lab", "plans"), ("lab", "maps")),
        (("atelier", "plans"), ("lab", "maps")),
        (("hall", "cartes"), ("lab", "maps")),  # it stood in another room
        (("nowhere", None), None),
        (("atelier", "nothing"), None),
        (("lab", "nothing"), None),
    ],
)
def test_old_addresses_resolve(
    tmp_path: Path, old: tuple[str, str | None], new: tuple[str, str | None] | None
) -> None:
    result = load(
        tmp_path,
        {
            "02-lab/room.md": _lab("aliases: [atelier]\n"),
            "02-lab/02-maps.md": _maps("aliases: [plans, hall/cartes]\n"),
        },
    )
    assert result.exhibition is not None
    assert Aliases.of(result.exhibition.rooms).resolve(*old) == new


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        (
            "/fr/rooms/atelier/",
            "x/01-hall/room.md:9:17: warning: link to '/fr/rooms/atelier/' uses an old slug "
            "(write '/fr/rooms/lab/')",
        ),
        (
            "/en/rooms/lab/plans/",
            "x/01-hall/room.md:9:17: warning: link to '/en/rooms/lab/plans/' uses an old slug "
            "(write '/en/rooms/lab/maps/')",
        ),
        (
            "/fr/rooms/labo/",
            "x/01-hall/room.md:9:17: warning: link to '/fr/rooms/labo/': no room 'labo' "
            "(did you mean 'lab'?)",
        ),
        (
            "/fr/rooms/lab/mapz/#plan",
            "x/01-hall/room.md:9:17: warning: link to '/fr/rooms/lab/mapz/#plan': no exhibit "
            "'lab/mapz' (did you mean 'lab/maps'?)",
        ),
    ],
    ids=["renamed-room", "renamed-exhibit", "no-room", "no-exhibit"],
)
def test_links_to_gone_slugs(tmp_path: Path, link: str, expected: str) -> None:
    hall = (Path(__file__).parent / "exhibitions/basic/01-hall/room.md").read_text()
    found = messages(
        tmp_path,
        {
            "01-hall/room.md": hall + f"\nVoir [la salle]({link}).\n",
            "02-lab/room.md": _lab("aliases: [atelier]\n"),
            "02-lab/02-maps.md": _maps("aliases: [plans]\n"),
        },
    )
    assert found == [expected]


@pytest.mark.parametrize(
    "link", ["/fr/rooms/lab/", "/en/rooms/lab/maps/", "/fr/agenda/", "/media/x.png", "#top"]
)
def test_links_to_pages_in_use_are_fine(tmp_path: Path, link: str) -> None:
    hall = (Path(__file__).parent / "exhibitions/basic/01-hall/room.md").read_text()
    assert messages(tmp_path, {"01-hall/room.md": hall + f"\n[x]({link})\n"}) == []


def test_a_link_to_a_broken_room_is_left_to_its_own_errors(tmp_path: Path) -> None:
    hall = (Path(__file__).parent / "exhibitions/basic/01-hall/room.md").read_text()
    found = messages(
        tmp_path,
        {
            "01-hall/room.md": hall + "\n[x](/fr/rooms/annex/)\n",
            "04-annex/room.md": "---\nsummary: no title\n---\n",
        },
    )
    assert found == ["x/04-annex/room.md:2:1: error: missing required key 'title' in room"]


@pytest.fixture
def renamed(tmp_path: Path) -> Flask:
    root = exhibition(
        tmp_path,
        {
            "02-lab/room.md": _lab("aliases: [atelier]\n"),
            "02-lab/02-maps.md": _maps("aliases: [plans, hall/cartes]\n"),
        },
    )
    return app_for(root)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/fr/rooms/atelier/", "/fr/rooms/lab/"),
        ("/en/rooms/atelier/?from=plan", "/en/rooms/lab/?from=plan"),
        ("/fr/rooms/atelier/lanterns/", "/fr/rooms/lab/lanterns/"),
        ("/fr/rooms/lab/plans/", "/fr/rooms/lab/maps/"),
        ("/en/rooms/atelier/plans/", "/en/rooms/lab/maps/"),
        ("/fr/rooms/hall/cartes/", "/fr/rooms/lab/maps/"),
    ],
)
def test_old_addresses_redirect_for_good(renamed: Flask, old: str, new: str) -> None:
    response = renamed.test_client().get(old)
    assert response.status_code == 301
    assert response.headers["Location"] == new


@pytest.mark.parametrize(
    "path", ["/fr/rooms/nowhere/", "/fr/rooms/atelier/nothing/", "/de/rooms/atelier/"]
)
def test_unknown_addresses_stay_404(renamed: Flask, path: str) -> None:
    assert renamed.test_client().get(path).status_code == 404
