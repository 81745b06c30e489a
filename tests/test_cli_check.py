"""`gallery check`: which folder it reads, the messages drawn with their line, exit codes, JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from gallery.cli import cli
from gallery.content import Diagnostic
from gallery.resources import resource
from gallery.terminal import excerpt, render

from .conftest import BASIC
from .content_helpers import exhibition

BAD = {
    "01-hall/room.md": "---\ntitle: H\ncolour: blu\ndoors: [labo]\n---\n",
    "03-stage/room.md": "---\ntitle: S\nkind: stage\nimage: ../02-lab/lantern.png\n---\n",
}
WARNING_ONLY = {"02-lab/03-probe.md": "---\ntitle: X\nvideo: lanterns.mp4\n---\n"}
SAMPLE_NOTE = (
    "No gallery.yaml in the current folder nor in ./rooms: using the sample exhibition. "
    "Give a folder (`gallery check DIR`) or start one with `gallery new DIR`.\n"
)


def test_basic_fixture_passes(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", str(BASIC)])
    assert result.exit_code == 0, result.output
    assert result.output == f"Checked {BASIC}/: 0 errors, 0 warnings in 8 files\n"


def test_basic_fixture_passes_strict(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", "--strict", str(BASIC)])
    assert result.exit_code == 0, result.output


def test_errors_are_drawn_with_their_line_then_the_summary(
    runner: CliRunner, tmp_path: Path
) -> None:
    root = exhibition(tmp_path, BAD)
    result = runner.invoke(cli, ["check", str(root)])
    assert result.exit_code == 1
    assert result.output.split("\n") == [
        "error: invalid colour 'blu' (expected #rgb, #rrggbb or a CSS colour name)",
        f" --> {root}/01-hall/room.md:3:9",
        "  |",
        "3 | colour: blu",
        "  |         ^",
        "",
        "error: unknown room 'labo'",
        f" --> {root}/01-hall/room.md:4:9",
        "  |",
        "4 | doors: [labo]",
        "  |         ^",
        "  = hint: did you mean 'lab'?",
        "",
        "warning: image has no alt text (add 'image_alt')",
        f" --> {root}/03-stage/room.md:4:8",
        "  |",
        "4 | image: ../02-lab/lantern.png",
        "  |        ^",
        "",
        f"Checked {root}/: 2 errors, 1 warning in 8 files",
        "",
    ]


def test_paths_are_shown_as_given(runner: CliRunner, tmp_path: Path, monkeypatch) -> None:
    exhibition(tmp_path, BAD)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["check", "x/"])
    lines = result.output.splitlines()
    assert lines[1] == " --> x/01-hall/room.md:3:9"
    assert lines[-1] == "Checked x/: 2 errors, 1 warning in 8 files"


def test_warnings_pass_unless_strict(runner: CliRunner, tmp_path: Path) -> None:
    root = exhibition(tmp_path, WARNING_ONLY)
    relaxed = runner.invoke(cli, ["check", str(root)])
    strict = runner.invoke(cli, ["check", "--strict", str(root)])
    expected = [
        "warning: video has no captions",
        f" --> {root}/02-lab/03-probe.md:3:8",
        "  |",
        "3 | video: lanterns.mp4",
        "  |        ^",
        "",
        f"Checked {root}/: 0 errors, 1 warning in 9 files",
    ]
    assert (relaxed.exit_code, relaxed.output.splitlines()) == (0, expected)
    assert (strict.exit_code, strict.output.splitlines()) == (1, expected)


def test_json_lists_one_object_per_problem(runner: CliRunner, tmp_path: Path) -> None:
    root = exhibition(tmp_path, BAD)
    result = runner.invoke(cli, ["check", "--format", "json", str(root)])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "file": f"{root}/01-hall/room.md",
            "line": 3,
            "column": 9,
            "severity": "error",
            "message": "invalid colour 'blu' (expected #rgb, #rrggbb or a CSS colour name)",
            "hint": None,
            "source": "colour: blu",
        },
        {
            "file": f"{root}/01-hall/room.md",
            "line": 4,
            "column": 9,
            "severity": "error",
            "message": "unknown room 'labo'",
            "hint": "did you mean 'lab'?",
            "source": "doors: [labo]",
        },
        {
            "file": f"{root}/03-stage/room.md",
            "line": 4,
            "column": 8,
            "severity": "warning",
            "message": "image has no alt text (add 'image_alt')",
            "hint": None,
            "source": "image: ../02-lab/lantern.png",
        },
    ]
    assert result.stderr == f"Checked {root}/: 2 errors, 1 warning in 8 files\n"


def test_json_of_a_clean_exhibition_is_an_empty_list(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", "--format", "json", str(BASIC)])
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


# --- which folder: the current one, ./rooms, else the sample, and always said ---


def test_the_current_folder_when_it_holds_gallery_yaml(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = exhibition(tmp_path, WARNING_ONLY)
    shutil.copytree(BASIC, root / "rooms")  # a ./rooms beside it does not win
    monkeypatch.chdir(root)
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.output.splitlines()[1] == " --> 02-lab/03-probe.md:3:8"
    assert result.output.splitlines()[-1] == (
        "Checked x/ (the current folder): 0 errors, 1 warning in 9 files"
    )


def test_the_current_folder_even_when_broken(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = exhibition(tmp_path, {"gallery.yaml": "title: [T\n"})
    monkeypatch.chdir(root)
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        "error: '[' opens a list that is not closed with ']'",
        " --> gallery.yaml:1:8",
    ]


def test_rooms_below_the_current_folder(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(BASIC, tmp_path / "rooms")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["check"])
    assert (result.exit_code, result.output) == (
        0,
        "Checked rooms/: 0 errors, 0 warnings in 8 files\n",
    )


def test_the_sample_when_no_exhibition_is_here_and_it_says_so(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "rooms").mkdir()  # a ./rooms without gallery.yaml is not an exhibition
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 0
    assert result.stderr == SAMPLE_NOTE
    sample = resource("rooms")
    assert result.stdout == (
        f"Checked the sample exhibition that comes with gallery ({sample}/): "
        "0 errors, 0 warnings in 31 files\n"
    )


def test_serve_names_the_folder_it_reads(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`serve` picks the folder as `check` does and says which, before anything else."""
    root = exhibition(tmp_path, {"02-lab/02-maps.md": "---\ntitel: Cartes\n---\n"})
    monkeypatch.chdir(root)
    result = runner.invoke(cli, ["serve", "--port", "1"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "Exhibition: x/ (the current folder)"
    assert f" --> {root}/02-lab/02-maps.md:2:1" in result.stderr.splitlines()


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
    result = runner.invoke(cli, ["check", "--format", "json", str(root)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    found = [(d["file"], d["line"], d["column"], d["message"]) for d in json.loads(result.stdout)]
    assert found == [
        (f"{root}/01-hall/room.md", 1, None, "lists and maps are nested too deeply"),
        (f"{root}/02-lab/03-x.md", 3, 4, "yaml aliases are not allowed"),
        (f"{root}/gallery.yaml", 1, 1, "file is not valid UTF-8 (byte 0xff)"),
    ]
    assert result.stderr == f"Checked {root}/: 3 errors, 0 warnings in 9 files\n"


# --- drawing one diagnostic ---


def test_a_hint_and_no_column() -> None:
    diagnostic = Diagnostic(
        "x/a.md",
        12,
        None,
        "warning",
        "image 'p.png' has no alt text",
        "describe it: ![A plan of the hall](p.png)",
        "  See ![](p.png) here",
    )
    assert click.unstyle(render(diagnostic)).split("\n") == [
        "warning: image 'p.png' has no alt text",
        "  --> x/a.md:12",
        "   |",
        "12 |   See ![](p.png) here",
        "   |   ^^^^^^^^^^^^^^^^^^^",
        "   = hint: describe it: ![A plan of the hall](p.png)",
    ]


def test_without_its_line_only_the_place_is_shown() -> None:
    diagnostic = Diagnostic("x/02-lab", 1, None, "error", "room folder has no room.md")
    assert click.unstyle(render(diagnostic)) == "error: room folder has no room.md\n --> x/02-lab:1"


@pytest.mark.parametrize(
    ("source", "column", "expected"),
    [
        pytest.param("\tsummary: y", 1, ("    summary: y", "^"), id="tab-as-spaces"),
        pytest.param("a:\tb", 4, ("a:    b", "      ^"), id="caret-after-a-tab"),
        pytest.param("x: \x1b[31mred", 4, ("x: \ufffd[31mred", "   ^"), id="no-escapes"),
        pytest.param("x: a\u202eb", 6, ("x: a\ufffdb", "     ^"), id="no-bidi-override"),
        pytest.param("k: v", 9, ("k: v", "    ^"), id="column-past-the-end"),
        pytest.param(
            "t: " + "a" * 200 + "#",
            204,
            ("…" + "a" * 99 + "#", " " * 100 + "^"),
            id="long-line-cut-around-the-column",
        ),
        pytest.param(
            "t: b" + "a" * 200,
            4,
            ("t: b" + "a" * 96 + "…", "   ^"),
            id="long-line-cut-at-the-end",
        ),
    ],
)
def test_excerpt(source: str, column: int, expected: tuple[str, str]) -> None:
    assert excerpt(source, column) == expected


def test_colours_only_for_a_terminal(runner: CliRunner, tmp_path: Path) -> None:
    root = exhibition(tmp_path, BAD)
    plain = runner.invoke(cli, ["check", str(root)])
    coloured = runner.invoke(cli, ["check", str(root)], color=True)
    assert "\x1b[" not in plain.output
    assert "\x1b[31m\x1b[1merror:\x1b[0m" in coloured.output
