"""One broken room does not freeze the rest: a reload keeps each broken room's last good
version and serves the valid changes made to the other rooms."""

from __future__ import annotations

from pathlib import Path

import pytest

from gallery.content import Diagnostic, Exhibition, load_exhibition
from gallery.content.lastgood import broken_folders, reload_exhibition

from .content_helpers import exhibition

BROKEN_EXHIBIT = "---\ntitle: [unclosed\n---\n"
ANNEX = "---\ntitle: Annexe\ndoors: [lab]\n---\n"


def _loaded(root: Path) -> Exhibition:
    """Load `root`, which must hold no error."""
    result = load_exhibition(root)
    assert result.ok, [str(d) for d in result.errors]
    assert result.exhibition is not None
    return result.exhibition


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    """Replace `old` with `new` in the file `rel` of `root`."""
    path = root / rel
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_a_valid_edit_is_served_while_another_room_is_broken(tmp_path: Path) -> None:
    root = exhibition(tmp_path, {})
    previous = _loaded(root)
    _edit(root, "01-hall/room.md", "title: Hall d’entrée", "title: Grand hall")
    (root / "02-lab" / "02-maps.md").write_text(BROKEN_EXHIBIT)
    reloaded = reload_exhibition(root, previous)
    assert reloaded.exhibition is not None
    assert reloaded.exhibition.room("hall").title.get("fr") == "Grand hall"
    # The broken room is served exactly as it was, its exhibits included.
    assert reloaded.exhibition.room("lab") == previous.room("lab")
    assert reloaded.kept == ("lab",)
    assert [d.path for d in reloaded.errors] == [str(root / "02-lab" / "02-maps.md")]


def test_the_broken_room_comes_back_once_fixed(tmp_path: Path) -> None:
    root = exhibition(tmp_path, {})
    previous = _loaded(root)
    (root / "02-lab" / "02-maps.md").write_text(BROKEN_EXHIBIT)
    kept = reload_exhibition(root, previous)
    assert kept.kept == ("lab",)
    (root / "02-lab" / "02-maps.md").write_text("---\ntitle: Nouvelles cartes\n---\n")
    fixed = reload_exhibition(root, previous)
    assert fixed.kept == () and fixed.errors == ()
    assert fixed.exhibition is not None
    assert fixed.exhibition.exhibit("lab", "maps").title.get("fr") == "Nouvelles cartes"


def test_an_error_in_gallery_yaml_keeps_the_whole_exhibition(tmp_path: Path) -> None:
    root = exhibition(tmp_path, {})
    previous = _loaded(root)
    _edit(root, "01-hall/room.md", "title: Hall d’entrée", "title: Grand hall")
    _edit(root, "gallery.yaml", "timezone: Europe/Paris", "timezone: Europe/Pariss")
    reloaded = reload_exhibition(root, previous)
    assert reloaded.exhibition is None
    assert reloaded.kept == ()
    assert reloaded.errors


def test_a_broken_new_room_is_left_out(tmp_path: Path) -> None:
    root = exhibition(tmp_path, {})
    previous = _loaded(root)
    (root / "04-annex").mkdir()
    (root / "04-annex" / "room.md").write_text("---\nsummary: no title yet\n---\n")
    _edit(root, "01-hall/room.md", "title: Hall d’entrée", "title: Grand hall")
    reloaded = reload_exhibition(root, previous)
    assert reloaded.exhibition is not None
    assert [room.slug for room in reloaded.exhibition.rooms] == ["hall", "lab", "stage"]
    assert reloaded.exhibition.room("hall").title.get("fr") == "Grand hall"
    assert reloaded.kept == ()


def test_a_door_to_a_broken_new_room_keeps_the_whole_exhibition(tmp_path: Path) -> None:
    """The valid edit depends on the broken room: serving it alone would lead nowhere."""
    root = exhibition(tmp_path, {})
    previous = _loaded(root)
    (root / "04-annex").mkdir()
    (root / "04-annex" / "room.md").write_text("---\nsummary: no title yet\n---\n")
    _edit(root, "01-hall/room.md", "doors: [lab, stage]", "doors: [lab, stage, annex]")
    assert reload_exhibition(root, previous).exhibition is None


def test_the_agenda_naming_a_new_exhibit_of_a_broken_room_keeps_everything(
    tmp_path: Path,
) -> None:
    root = exhibition(tmp_path, {})
    previous = _loaded(root)
    (root / "02-lab" / "03-kites.md").write_text("---\nsummary: no title yet\n---\n")
    _edit(root, "gallery.yaml", "exhibit: lab/lanterns", "exhibit: lab/kites")
    assert reload_exhibition(root, previous).exhibition is None


def test_a_kept_room_loses_its_doors_to_rooms_that_are_gone(tmp_path: Path) -> None:
    root = exhibition(tmp_path, {"04-annex/room.md": ANNEX})
    previous = _loaded(root)
    assert previous.room("lab").doors == ("hall", "annex")
    (root / "04-annex" / "room.md").unlink()
    (root / "04-annex").rmdir()
    (root / "02-lab" / "02-maps.md").write_text(BROKEN_EXHIBIT)
    reloaded = reload_exhibition(root, previous)
    assert reloaded.exhibition is not None
    assert reloaded.kept == ("lab",)
    assert reloaded.exhibition.room("lab").doors == ("hall",)
    assert [room.slug for room in reloaded.exhibition.rooms] == ["hall", "lab", "stage"]


def test_without_a_previous_version_nothing_is_served(tmp_path: Path) -> None:
    root = exhibition(tmp_path, {"02-lab/02-maps.md": BROKEN_EXHIBIT})
    assert reload_exhibition(root, None).exhibition is None


def test_a_clean_reload_serves_the_files_as_they_are(tmp_path: Path) -> None:
    root = exhibition(tmp_path, {})
    previous = _loaded(root)
    _edit(root, "01-hall/room.md", "title: Hall d’entrée", "title: Grand hall")
    reloaded = reload_exhibition(root, previous)
    assert reloaded.exhibition == _loaded(root)
    assert reloaded.kept == ()


def _error(path: str) -> Diagnostic:
    return Diagnostic(path, 1, None, "error", "x")


@pytest.mark.parametrize(
    ("paths", "expected"),
    [
        (["x/02-lab/02-maps.md"], {"02-lab"}),
        (["x/02-lab/room.md", "x/01-hall/room.en.md"], {"01-hall", "02-lab"}),
        (["x/gallery.yaml"], None),
        (["x/02-lab/room.md", "x/gallery.yaml"], None),
        (["x/hall/room.md"], None),  # a folder without a number is no room
        (["x"], None),  # the exhibition folder itself
    ],
)
def test_broken_folders(paths: list[str], expected: set[str] | None) -> None:
    diagnostics = tuple(_error(path) for path in paths)
    assert broken_folders(diagnostics, "x") == expected


def test_warnings_break_nothing() -> None:
    warning = Diagnostic("x/gallery.yaml", 1, None, "warning", "x")
    assert broken_folders((warning, _error("x/02-lab/room.md")), "x") == {"02-lab"}


def test_only_the_broken_room_changed_means_nothing_new(tmp_path: Path) -> None:
    """Nothing else changed: the previous exhibition goes on being served as it is."""
    root = exhibition(tmp_path, {})
    previous = _loaded(root)
    (root / "02-lab" / "02-maps.md").write_text(BROKEN_EXHIBIT)
    reloaded = reload_exhibition(root, previous)
    assert reloaded.exhibition is None
    assert reloaded.kept == ("lab",)
