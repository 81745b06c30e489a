"""`gallery catalogue --room`, and the memory a catalogue needs, asked before its layout."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from gallery.catalogue import CatalogueError, memory, write_catalogue
from gallery.cli import cli

from .conftest import BASIC

GB = 1000**3


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_a_catalogue_of_one_room_holds_that_room_under_its_own_number(tmp_path: Path) -> None:
    out = tmp_path / "lab.pdf"
    write_catalogue(BASIC, out, "en", rooms=["lab"])
    text = text_of(out)
    assert "Lanterns" in text
    assert "Laboratory" in text
    assert "Entrance hall" not in text
    assert "ROOM 2" in text.replace("R OOM", "ROOM")


def test_the_catalogue_reads_the_room_folders_on_every_core(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gallery.app

    create, workers = gallery.app.create_app, []

    def create_app(config: dict) -> object:
        workers.append(config["LOAD_WORKERS"])
        return create(config)

    monkeypatch.setattr(gallery.app, "create_app", create_app)
    monkeypatch.setattr("os.cpu_count", lambda: 3)
    write_catalogue(BASIC, tmp_path / "lab.pdf", "en", rooms=["lab"])
    assert workers == [3]


def test_an_unknown_room_is_refused_with_the_rooms_there_are(tmp_path: Path, runner) -> None:
    out = tmp_path / "c.pdf"
    result = runner.invoke(cli, ["catalogue", str(BASIC), "--out", str(out), "--room", "attic"])
    assert result.exit_code == 1
    assert "no room 'attic' in the exhibition (its rooms: hall, lab)" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("exhibits", "free", "message"),
    [
        (10, None, None),
        (2000, 8 * GB, None),
        (
            2000,
            int(1.5 * GB),
            "a catalogue of 2,000 exhibits needs about 3.3 GB of memory and this machine has "
            "1.5 GB free; print part of the exhibition with --room (one or more rooms per "
            "catalogue), or run it where there is more memory",
        ),
        (
            300,
            300 * 1000**2,
            "a catalogue of 300 exhibits needs about 597 MB of memory and this machine has "
            "300 MB free; print part of the exhibition with --room (one or more rooms per "
            "catalogue), or run it where there is more memory",
        ),
    ],
)
def test_a_catalogue_larger_than_the_free_memory_is_refused(exhibits, free, message) -> None:
    assert memory.shortage(exhibits, free) == message


def test_the_estimate_matches_the_measured_peaks() -> None:
    # docs/benchmarks.md: 416 MiB at 200 exhibits, 3,146 MiB at 2,000.
    assert abs(memory.needed(200) - 416 * memory.MIB) < 0.05 * 416 * memory.MIB
    assert abs(memory.needed(2000) - 3146 * memory.MIB) < 0.05 * 3146 * memory.MIB


def meminfo(tmp_path: Path, available_kib: int, swap_kib: int) -> Path:
    path = tmp_path / "meminfo"
    path.write_text(
        f"MemTotal:       16000000 kB\nMemFree:         1000000 kB\n"
        f"MemAvailable:   {available_kib} kB\nSwapTotal:       {swap_kib} kB\n"
        f"SwapFree:       {swap_kib} kB\n",
        encoding="utf-8",
    )
    return path


def test_free_memory_is_ram_and_swap(tmp_path: Path) -> None:
    info = meminfo(tmp_path, 2_000_000, 1_000_000)
    assert memory.available(info, tmp_path / "no-cgroup") == 3_000_000 * 1024


def test_a_containers_limit_bounds_the_free_memory(tmp_path: Path) -> None:
    info = meminfo(tmp_path, 2_000_000, 0)
    (tmp_path / "memory.max").write_text("1073741824\n")
    (tmp_path / "memory.current").write_text("73741824\n")
    assert memory.available(info, tmp_path) == 1_000_000_000
    (tmp_path / "memory.max").write_text("max\n")
    assert memory.available(info, tmp_path) == 2_000_000 * 1024


def test_a_system_that_does_not_say_gets_no_refusal(tmp_path: Path) -> None:
    assert memory.available(tmp_path / "absent", tmp_path) is None
    (tmp_path / "meminfo").write_text("MemTotal: 1000 kB\n")
    assert memory.available(tmp_path / "meminfo", tmp_path) is None


def test_the_command_refuses_before_laying_out_and_names_the_way_out(
    tmp_path: Path, runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(memory, "available", lambda: 100 * 1000**2)
    laid_out = []
    monkeypatch.setattr("gallery.catalogue.build._write_pdf", lambda *args: laid_out.append(1))
    out = tmp_path / "c.pdf"
    result = runner.invoke(cli, ["catalogue", str(BASIC), "--out", str(out)])
    assert result.exit_code == 1
    assert "Error: a catalogue of 2 exhibits needs about 122 MB of memory" in result.output
    assert "this machine has 100 MB free; print part of the exhibition with --room" in result.output
    assert "Traceback" not in result.output
    assert not laid_out
    assert not out.exists()


def test_a_room_that_fits_is_printed_where_the_whole_would_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "c.pdf"
    with pytest.raises(CatalogueError, match="needs about"):
        write_catalogue(BASIC, out, "en", free=memory.needed(1))
    write_catalogue(BASIC, out, "en", rooms=["lab"], free=memory.needed(2))
    assert out.exists()
