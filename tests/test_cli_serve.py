"""`gallery serve`: refuses broken room files with the messages of `gallery check`."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from gallery.cli import cli

from .content_helpers import exhibition


def test_serve_refuses_an_exhibition_with_errors(runner: CliRunner, tmp_path: Path) -> None:
    """Broken room files stop `serve` before it listens, drawn as check draws them, on stderr."""
    root = exhibition(tmp_path, {"02-lab/02-maps.md": "---\ntitel: Cartes\n---\n"})
    checked = runner.invoke(cli, ["check", str(root)])
    served = runner.invoke(cli, ["serve", str(root), "--port", "1"])
    assert checked.exit_code == 1
    assert served.exit_code == 1
    drawn = checked.output.rpartition("Checked ")[0]
    assert drawn.startswith("error: ")
    assert drawn in served.stderr
    assert "nothing was served" in served.output


def test_serve_needs_a_gallery_yaml(runner: CliRunner, tmp_path: Path) -> None:
    """A folder without gallery.yaml is a usage error (exit 2)."""
    result = runner.invoke(cli, ["serve", str(tmp_path)])
    assert result.exit_code == 2
    assert "gallery.yaml" in result.output
