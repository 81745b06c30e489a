"""`gallery build --live` and its keeper: the live pages as files, swapped in whole, kept in
step with the room files and the programme (gallery/archive/live.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from gallery import create_app
from gallery.archive import BuildError
from gallery.archive.live import Keeper, publish, shareable
from gallery.cli import cli
from gallery.clock import FrozenClock
from gallery.security import exhibition_policy

from .conftest import BASIC


@pytest.fixture
def rooms(tmp_path: Path) -> Path:
    copy = tmp_path / "rooms"
    shutil.copytree(BASIC, copy)
    return copy


@pytest.fixture
def clock() -> FrozenClock:
    # Before the opening session of the basic exhibition, the gallery open.
    return FrozenClock("2021-06-17T13:00+02:00")


@pytest.fixture
def live_app(rooms: Path, clock: FrozenClock, tmp_path: Path) -> Flask:
    return create_app({"ROOMS": str(rooms), "CLOCK": clock, "DATA_DIR": str(tmp_path / "data")})


def page(out: Path, path: str) -> str:
    return (out / "current" / path.lstrip("/") / "index.html").read_text(encoding="utf-8")


def test_pages_are_the_live_ones_with_the_exhibitions_policy(live_app: Flask, tmp_path) -> None:
    out = tmp_path / "pages"
    published = publish(live_app, out)
    room = page(out, "/fr/rooms/lab/")
    assert "data-live-root" in room and "/static/js/live.js" in room
    # Absolute URLs, as the gallery serves them: the files answer the same paths.
    assert 'href="/fr/rooms/lab/lanterns/"' in room
    policy = exhibition_policy(live_app.extensions["gallery.site"].exhibition)
    assert f'<meta http-equiv="Content-Security-Policy" content="{policy}">' in room
    assert "https://peertube.example.org" in policy
    assert "/fr/rooms/lab/" in published.pages and "/en/agenda/" in published.pages
    # Pages answered per request (a form's CSRF cookie) stay with the gallery.
    assert "/fr/sessions/opening/questions/" in published.dynamic
    assert not (out / "current" / "fr" / "sessions" / "opening" / "questions").exists()
    current = out / "current"
    assert (current / "fr" / "rooms" / "lab" / "index.html.br").is_file()
    assert (current / "fr" / "rooms" / "lab" / "index.html.gz").is_file()
    assert (current / "static" / "js" / "live-urls.js").is_file()
    assert (current / "media" / "02-lab" / "lantern.png").read_bytes() == (
        live_app.extensions["gallery.site"].root / "02-lab" / "lantern.png"
    ).read_bytes()
    assert (current / "theme.css").is_file()
    # Nothing the room files do not name.
    assert not (current / "media" / "02-lab" / "room.md").exists()


def test_a_new_version_is_swapped_in_whole_reusing_unchanged_files(
    live_app: Flask, tmp_path: Path
) -> None:
    out = tmp_path / "pages"
    first = publish(live_app, out)
    second = publish(live_app, out)
    assert (out / "current").resolve() == second.folder != first.folder
    assert second.files == 0 and second.reused > 0
    name = "static/css/site.css"
    assert (first.folder / name).stat().st_ino == (second.folder / name).stat().st_ino
    third = publish(live_app, out)
    # The previous version stays for answers being sent; older ones go.
    assert sorted((out / ".versions").iterdir()) == sorted([second.folder, third.folder])


def test_a_folder_that_is_not_a_live_build_is_refused(live_app: Flask, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    with pytest.raises(BuildError) as refused:
        publish(live_app, out)
    assert str(refused.value) == f"{out}: exists and is not a previous `gallery build --live`"
    assert (out / "notes.txt").read_text() == "keep me"


@pytest.mark.parametrize("where", ["inside", "around"])
def test_pages_are_never_written_inside_the_exhibition(
    live_app: Flask, rooms: Path, where: str
) -> None:
    out = rooms / "pages" if where == "inside" else rooms.parent
    with pytest.raises(BuildError) as refused:
        publish(live_app, out)
    assert str(refused.value) == (
        f"{out}: the pages may not be written inside the exhibition or around it"
    )
    assert not (rooms / "pages").exists()


def test_the_keeper_publishes_again_when_the_programme_changes(
    live_app: Flask, clock: FrozenClock, tmp_path: Path
) -> None:
    out = tmp_path / "pages"
    keeper = Keeper(live_app, out)
    assert keeper.step() is not None
    assert "live-banner-text" not in page(out, "/fr/rooms/lab/")
    assert keeper.step() is None  # nothing changed
    clock.set("2021-06-17T14:05+02:00")  # the opening session is live
    assert keeper.step() is not None
    assert "live-banner-text" in page(out, "/fr/rooms/lab/")


def test_the_keeper_publishes_again_when_the_room_files_change(
    live_app: Flask, rooms: Path, tmp_path: Path
) -> None:
    out = tmp_path / "pages"
    keeper = Keeper(live_app, out)
    keeper.step()
    room = rooms / "02-lab" / "room.md"
    room.write_text(room.read_text(encoding="utf-8") + "\nUn mot ajouté.\n", encoding="utf-8")
    live_app.extensions["gallery.site"].reload()
    assert keeper.step() is not None
    assert "Un mot ajouté" in page(out, "/fr/rooms/lab/")


def test_only_answers_alike_for_everyone_become_files(live_app: Flask) -> None:
    client = live_app.test_client()
    assert shareable(client.get("/fr/rooms/lab/"))
    assert not shareable(client.get("/fr/sessions/opening/questions/"))
    assert not shareable(client.get("/fr/rooms/nowhere/"))


def test_the_command_builds_the_live_pages(rooms: Path, tmp_path: Path) -> None:
    out = tmp_path / "pages"
    result = CliRunner().invoke(
        cli, ["build", str(rooms), "--live", "--out", str(out), "--data", str(tmp_path / "d")]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Built {out / 'current'}: ")
    assert "pages as files, 2 left to the gallery." in result.output
    assert (out / "current" / "fr" / "index.html").is_file()
