"""The `gallery` command line: a click group whose commands import their work lazily."""

from __future__ import annotations

from pathlib import Path

import click


@click.group()
@click.version_option(package_name="gallery")
def cli() -> None:
    """Serve and check virtual exhibitions written as room files."""


def _rooms_dir(directory: str | None) -> Path:
    """Return the exhibition folder to use: the argument, ./rooms, or the sample."""
    from .resources import default_rooms

    return Path(directory) if directory else default_rooms()


@cli.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def check(directory: str | None, strict: bool) -> None:
    """Check an exhibition's room files and report every problem found."""
    from .content import load_exhibition, summary

    root = _rooms_dir(directory)
    if not root.is_dir():
        raise click.UsageError(f"{root}: no such directory")
    result = load_exhibition(root, display=str(directory) if directory else str(root))
    for diagnostic in result.diagnostics:
        click.echo(str(diagnostic), err=False)
    click.echo(summary(result.diagnostics, result.files))
    if result.errors or (strict and result.warnings):
        raise SystemExit(1)


@cli.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--reload/--no-reload",
    default=True,
    show_default=True,
    help="Reload the exhibition when its room files change.",
)
def serve(directory: str | None, host: str, port: int, reload: bool) -> None:
    """Serve an exhibition to visitors, with live presence."""
    from .content import ContentError
    from .serve import run

    root = _rooms_dir(directory)
    if not (root / "gallery.yaml").is_file():
        raise click.UsageError(f"{root}: no gallery.yaml in this directory")
    try:
        run(root, host=host, port=port, reload=reload)
    except ContentError as exc:
        for diagnostic in exc.diagnostics:
            click.echo(str(diagnostic), err=True)
        raise click.ClickException("the exhibition holds errors; nothing was served") from exc
