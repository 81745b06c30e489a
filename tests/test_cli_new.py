"""`gallery new`, `new-room` and `new-exhibit`: what they write passes `check --strict`."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from gallery.cli import cli
from gallery.content import load_exhibition
from gallery.content.agenda_file import SESSION_KEYS
from gallery.content.exhibits import EXHIBIT_KEYS
from gallery.content.gallery_file import GALLERY_KEYS
from gallery.content.rooms import ROOM_KEYS
from gallery.scaffold import new_exhibition

from .conftest import BASIC

WRITTEN = [
    "01-hall/01-welcome.md",
    "01-hall/room.md",
    "01-hall/welcome-notes.txt",
    "01-hall/welcome.en.vtt",
    "01-hall/welcome.png",
    "01-hall/welcome.webm",
    "02-stage/room.md",
    "gallery.yaml",
]


def strict(runner: CliRunner, root: Path) -> None:
    """Assert that `gallery check --strict` finds nothing in `root`."""
    result = runner.invoke(cli, ["check", "--strict", str(root)])
    assert (result.exit_code, result.output) == (0, result.output.splitlines()[-1] + "\n")
    assert ": 0 errors, 0 warnings in " in result.output


@pytest.fixture
def expo(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A new exhibition made by `gallery new my-expo` in tmp_path, the current folder."""
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["new", "my-expo"])
    assert result.exit_code == 0, result.output
    return tmp_path / "my-expo"


def test_new_writes_a_small_exhibition_and_says_what(runner: CliRunner, expo: Path) -> None:
    result = runner.invoke(cli, ["new", "other"])
    assert result.output.splitlines() == [
        *(f"wrote other/{rel}" for rel in WRITTEN),
        "Next: edit the files, then `gallery check other` and `gallery serve other`.",
    ]
    assert sorted(str(p.relative_to(expo)) for p in expo.rglob("*") if p.is_file()) == WRITTEN


def test_new_passes_strict_check(runner: CliRunner, expo: Path) -> None:
    strict(runner, expo)


def test_new_holds_two_rooms_a_stage_an_exhibit_a_captioned_video_and_an_agenda(
    expo: Path,
) -> None:
    result = load_exhibition(expo)
    assert result.exhibition is not None
    exhibition = result.exhibition
    assert exhibition.title.get("en") == "My expo"
    assert [(r.slug, r.kind) for r in exhibition.rooms] == [("hall", "gallery"), ("stage", "stage")]
    welcome = exhibition.exhibit("hall", "welcome")
    assert welcome is not None and welcome.image == "01-hall/welcome.png"
    assert welcome.video is not None and welcome.video.file == "01-hall/welcome.webm"
    assert [c.lang for c in welcome.video.captions] == ["en"]
    (session,) = exhibition.agenda
    assert session.stream_video is not None and session.stream_video.captions
    assert (expo / "01-hall/welcome.webm").read_bytes()[:4] == b"\x1a\x45\xdf\xa3"  # WebM


def test_new_dates_the_agenda_around_today(tmp_path: Path) -> None:
    now = datetime(2030, 3, 4, 10, 0, tzinfo=timezone(timedelta(hours=2)))
    new_exhibition(tmp_path / "x", now)
    text = (tmp_path / "x/gallery.yaml").read_text()
    assert "opens: 2030-03-04T09:00:00+02:00\n" in text
    assert "closes: 2030-04-03T18:00:00+02:00\n" in text
    assert "starts: 2030-03-05T14:00:00+02:00\n" in text
    assert "ends: 2030-03-05T14:30:00+02:00\n" in text
    assert 'timezone: "+02:00"\n' in text


def _keys_without_comment(text: str) -> list[str]:
    """Return the keys of a YAML text with no comment line above them (or their group)."""
    lines = text.split("\n")
    key = re.compile(r"(\s*(?:- )?)([a-z_]+):")
    missing = []
    for index, line in enumerate(lines):
        found = key.match(line)
        if not found:
            continue
        depth = len(found.group(1))
        above = index - 1
        while above >= 0:
            other = key.match(lines[above])
            if other and len(other.group(1)) == depth:
                above -= 1  # keys given together share a comment (opens, closes)
                continue
            break
        comment = above >= 0 and lines[above].lstrip().startswith("#")
        if not comment and found.group(2) not in ("name", "role", "title", "file", "url", "en"):
            missing.append(found.group(2))
    return missing


@pytest.mark.parametrize(
    ("rel", "keys"),
    [
        ("gallery.yaml", GALLERY_KEYS + SESSION_KEYS),
        ("01-hall/room.md", ROOM_KEYS),
        ("01-hall/01-welcome.md", EXHIBIT_KEYS),
    ],
)
def test_new_sets_every_key_and_explains_it(expo: Path, rel: str, keys: tuple[str, ...]) -> None:
    text = (expo / rel).read_text()
    front = text.split("---\n")[1] if rel.endswith(".md") else text
    data = yaml.safe_load(front)
    present = set(data) | (set(data["agenda"][0]) if "agenda" in data else set())
    assert sorted(set(keys) - present) == []
    assert _keys_without_comment(front) == []


def test_new_accepts_an_empty_folder(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert runner.invoke(cli, ["new", str(tmp_path / "empty")]).exit_code == 0
    strict(runner, tmp_path / "empty")


@pytest.mark.parametrize("what", ["folder", "file"])
def test_new_never_overwrites(runner: CliRunner, tmp_path: Path, what: str) -> None:
    target = tmp_path / "taken"
    if what == "folder":
        target.mkdir()
        (target / "notes.txt").write_text("mine")
    else:
        target.write_text("mine")
    result = runner.invoke(cli, ["new", str(target)])
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {target} already exists and is not empty: choose a new folder\n",
    )
    assert not (target / "gallery.yaml").exists()


# --- new-room and new-exhibit ---


def test_new_room_takes_the_next_number(runner: CliRunner, expo: Path, monkeypatch) -> None:
    monkeypatch.chdir(expo)
    result = runner.invoke(cli, ["new-room", "wind-turbines"])
    assert (result.exit_code, result.output) == (
        0,
        "wrote 03-wind-turbines/room.md\n"
        "Open a way to it: add wind-turbines to the doors of a room.\n",
    )
    assert "title: Wind turbines\n" in (expo / "03-wind-turbines/room.md").read_text()
    strict(runner, expo)


def test_new_room_in_a_folder_after_gaps(runner: CliRunner, tmp_path: Path) -> None:
    root = tmp_path / "x"
    new_exhibition(root)
    (root / "02-stage").rename(root / "07-stage")
    result = runner.invoke(cli, ["new-room", "lab", "--in", str(root)])
    assert (result.exit_code, result.output) == (
        0,
        f"wrote {root}/08-lab/room.md\nOpen a way to it: add lab to the doors of a room.\n",
    )
    strict(runner, root)


def test_new_exhibit_takes_the_next_number(runner: CliRunner, expo: Path, monkeypatch) -> None:
    monkeypatch.chdir(expo)
    (expo / "01-hall/welcome.fr.md").write_text("---\ntitle: Bienvenue\n---\n")
    result = runner.invoke(cli, ["new-exhibit", "hall", "wind-turbine"])
    assert (result.exit_code, result.output) == (0, "wrote 01-hall/02-wind-turbine.md\n")
    (expo / "01-hall/welcome.fr.md").unlink()
    strict(runner, expo)


def test_new_exhibit_in_a_new_room(runner: CliRunner, expo: Path) -> None:
    runner.invoke(cli, ["new-room", "lab", "--in", str(expo)])
    result = runner.invoke(cli, ["new-exhibit", "lab", "probe", "--in", str(expo)])
    assert (result.exit_code, result.output) == (0, "wrote my-expo/03-lab/01-probe.md\n")
    assert "title: Probe\n" in (expo / "03-lab/01-probe.md").read_text()
    strict(runner, expo)


def test_new_commands_find_rooms_below(runner: CliRunner, tmp_path: Path, monkeypatch) -> None:
    new_exhibition(tmp_path / "rooms")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["new-room", "lab"])
    assert (result.exit_code, result.output.splitlines()[0]) == (0, "wrote rooms/03-lab/room.md")


@pytest.mark.parametrize(
    ("args", "error"),
    [
        pytest.param(
            ["new-room", "hall"], "the room 'hall' exists already (01-hall/)", id="room-exists"
        ),
        pytest.param(
            ["new-room", "Wind_Turbines"],
            "invalid room slug 'Wind_Turbines' "
            "(use lowercase letters, digits and single hyphens, e.g. wind-turbines)",
            id="room-slug",
        ),
        pytest.param(
            ["new-exhibit", "hall", "welcome"],
            "the exhibit 'welcome' exists already (01-hall/01-welcome.md)",
            id="exhibit-exists",
        ),
        pytest.param(
            ["new-exhibit", "hal", "probe"],
            "no room 'hal' in . (its rooms: hall, stage)",
            id="unknown-room",
        ),
        pytest.param(
            ["new-exhibit", "hall", "Probe 1"],
            "invalid exhibit slug 'Probe 1' "
            "(use lowercase letters, digits and single hyphens, e.g. wind-turbines)",
            id="exhibit-slug",
        ),
    ],
)
def test_new_commands_refuse(
    runner: CliRunner, expo: Path, monkeypatch, args: list[str], error: str
) -> None:
    monkeypatch.chdir(expo)
    before = sorted(expo.rglob("*"))
    result = runner.invoke(cli, [*args, "--in", "."])
    assert (result.exit_code, result.output) == (1, f"Error: {error}\n")
    assert sorted(expo.rglob("*")) == before


def test_new_commands_need_an_exhibition(runner: CliRunner, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["new-room", "lab"])
    assert (result.exit_code, result.output) == (
        1,
        "Error: no gallery.yaml in the current folder nor in ./rooms: "
        "give the exhibition with --in DIR\n",
    )
    result = runner.invoke(cli, ["new-exhibit", "hall", "x", "--in", str(BASIC / "01-hall")])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {BASIC / '01-hall'}: no gallery.yaml here (start one with `gallery new DIR`)\n"
    )
