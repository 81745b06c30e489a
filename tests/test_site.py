"""The Site holds one exhibition snapshot and swaps it whole when room files change."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gallery.content import ContentError
from gallery.site import Site

from .content_helpers import exhibition


def _touch_later(path: Path) -> None:
    """Give `path` a newer mtime than any it had, whatever the clock's resolution."""
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))


def test_a_site_refuses_an_exhibition_with_errors(tmp_path: Path) -> None:
    """Loading broken room files raises ContentError carrying every diagnostic."""
    root = exhibition(tmp_path, {"01-hall/room.md": "---\nsummary: no title\n---\n"})
    with pytest.raises(ContentError) as raised:
        Site(root)
    assert any("title" in d.message for d in raised.value.diagnostics)


def test_nothing_changed_means_no_reload(tmp_path: Path) -> None:
    """reload_if_changed returns None and keeps the snapshot when no file changed."""
    site = Site(exhibition(tmp_path, {}))
    before = site.snapshot
    assert site.reload_if_changed() is None
    assert site.snapshot is before


def test_a_changed_file_swaps_in_a_new_snapshot(tmp_path: Path) -> None:
    """Editing a room file yields a new snapshot with the new text and a fresh cache."""
    root = exhibition(tmp_path, {})
    site = Site(root)
    site.snapshot.memo("page", lambda: "old html")
    room = root / "03-stage" / "room.md"
    room.write_text(room.read_text().replace("fr: Scène", "fr: Grande scène"))
    _touch_later(room)
    assert site.reload_if_changed() is not None
    assert site.snapshot.version == 2
    assert site.snapshot.kept() == ()
    assert site.exhibition.room("stage").title.get("fr") == "Grande scène"


def test_errors_keep_the_last_good_snapshot(tmp_path: Path) -> None:
    """A file broken while serving is reported, and visitors keep the previous version."""
    root = exhibition(tmp_path, {})
    site = Site(root)
    good = site.snapshot
    room = root / "03-stage" / "room.md"
    room.write_text("---\ntitle: [unclosed\n---\n")
    _touch_later(room)
    diagnostics = site.reload_if_changed()
    assert diagnostics and any(d.severity == "error" for d in diagnostics)
    assert site.snapshot is good
    assert site.diagnostics == diagnostics


def test_a_broken_room_keeps_its_version_while_the_others_change(tmp_path: Path) -> None:
    """Valid edits to other rooms are served while one room's file is broken."""
    root = exhibition(tmp_path, {})
    site = Site(root)
    lab = site.exhibition.room("lab")
    broken = root / "02-lab" / "02-maps.md"
    broken.write_text("---\ntitle: [unclosed\n---\n")
    hall = root / "01-hall" / "room.md"
    hall.write_text(hall.read_text().replace("title: Hall d’entrée", "title: Grand hall"))
    _touch_later(hall)
    diagnostics = site.reload_if_changed()
    assert diagnostics and diagnostics[0].path == str(broken)
    assert site.snapshot.version == 2
    assert site.exhibition.room("hall").title.get("fr") == "Grand hall"
    assert site.exhibition.room("lab") == lab
    assert site.kept == ("lab",)


def test_memo_computes_a_value_once_per_snapshot(tmp_path: Path) -> None:
    """A value asked for twice is computed once; the next snapshot starts empty."""
    site = Site(exhibition(tmp_path, {}))
    calls: list[str] = []

    def compute() -> str:
        calls.append("computed")
        return "value"

    assert site.snapshot.memo(("k",), compute) == "value"
    assert site.snapshot.memo(("k",), compute) == "value"
    assert calls == ["computed"]
    site.reload()
    assert site.snapshot.peek(("k",)) is None
    assert site.snapshot.memo(("k",), compute) == "value"
    assert calls == ["computed"] * 2


def test_memo_keeps_the_first_value_when_two_computations_race(tmp_path: Path) -> None:
    """Two requests computing the same value both get the one kept first."""
    snapshot = Site(exhibition(tmp_path, {})).snapshot

    def slow() -> list[str]:
        # Another request finishes its computation while this one runs.
        snapshot.memo(("k",), lambda: ["first"])
        return ["second"]

    got = snapshot.memo(("k",), slow)
    assert got == ["first"]
    assert snapshot.peek(("k",)) is got


def test_the_walk_and_the_load_run_where_the_caller_says(tmp_path: Path) -> None:
    """`gallery serve` runs both off the event loop: each goes through `offload`."""
    root = exhibition(tmp_path, {})
    site = Site(root)
    ran = []

    def offload(work):
        ran.append(work)
        return work()

    assert site.reload_if_changed(offload) is None
    assert len(ran) == 1  # the walk over the files
    _touch_later(root / "01-hall" / "room.md")
    assert site.reload_if_changed(offload) == ()
    assert len(ran) == 3  # the walk again, then the load
    assert site.snapshot.version == 2
