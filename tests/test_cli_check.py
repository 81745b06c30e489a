"""`gallery check`: compiler-style lines, the summary line and exit codes."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from gallery.cli import cli

from .conftest import BASIC
from .content_helpers import exhibition

BAD = {
    "01-hall/room.md": "---\ntitle: H\ncolour: blu\ndoors: [labo]\n---\n",
    "03-stage/room.md": "---\ntitle: S\nkind: stage\nimage: ../02-lab/lantern.png\n---\n",
}
WARNING_ONLY = {"02-lab/03-probe.md": "---\ntitle: X\nvideo: lanterns.mp4\n---\n"}


def test_basic_fixture_passes(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", str(BASIC)])
    assert result.exit_code == 0, result.output
    assert result.output == "0 errors, 0 warnings in 8 files\n"


def test_basic_fixture_passes_strict(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", "--strict", str(BASIC)])
    assert result.exit_code == 0, result.output


def test_errors_print_lines_then_summary_and_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    root = exhibition(tmp_path, BAD)
    result = runner.invoke(cli, ["check", str(root)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{root}/01-hall/room.md:3:9: error: invalid colour 'blu' "
        "(expected #rgb, #rrggbb or a CSS colour name)",
        f"{root}/01-hall/room.md:4:9: error: unknown room 'labo' (did you mean 'lab'?)",
        f"{root}/03-stage/room.md:4:8: warning: image has no alt text (add 'image_alt')",
        "2 errors, 1 warning in 8 files",
    ]


def test_paths_are_shown_as_given(runner: CliRunner, tmp_path: Path, monkeypatch) -> None:
    exhibition(tmp_path, BAD)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["check", "x"])
    assert result.output.splitlines()[0].startswith("x/01-hall/room.md:3:9: error: ")


def test_warnings_pass_unless_strict(runner: CliRunner, tmp_path: Path) -> None:
    root = exhibition(tmp_path, WARNING_ONLY)
    relaxed = runner.invoke(cli, ["check", str(root)])
    strict = runner.invoke(cli, ["check", "--strict", str(root)])
    expected = [
        f"{root}/02-lab/03-probe.md:3:8: warning: video has no captions",
        "0 errors, 1 warning in 9 files",
    ]
    assert (relaxed.exit_code, relaxed.output.splitlines()) == (0, expected)
    assert (strict.exit_code, strict.output.splitlines()) == (1, expected)


def test_missing_directory_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["check", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "no such directory" in result.output


def test_a_file_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", str(BASIC / "gallery.yaml")])
    assert result.exit_code == 2


def test_unknown_option_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", "--strcit", str(BASIC)])
    assert result.exit_code == 2


def test_no_traceback_on_hostile_files(runner: CliRunner, tmp_path: Path) -> None:
    root = exhibition(
        tmp_path,
        {
            "gallery.yaml": b"\xff\xfe\x00t\x00i",
            "01-hall/room.md": "---\n" + "[" * 5000 + "\n---\n",
            "02-lab/03-x.md": "---\na: &a [1]\nb: *a\n---\n",
        },
    )
    result = runner.invoke(cli, ["check", str(root)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.output.splitlines() == [
        f"{root}/01-hall/room.md:1: error: invalid yaml: nested too deeply",
        f"{root}/02-lab/03-x.md:3:4: error: yaml aliases are not allowed",
        f"{root}/gallery.yaml:1:1: error: file is not valid UTF-8 (byte 0xff)",
        "3 errors, 0 warnings in 9 files",
    ]
