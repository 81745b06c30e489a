"""`gallery new`, `new-room` and `new-exhibit`: start an exhibition, add a room or an exhibit."""

from __future__ import annotations

from pathlib import Path

import click


def _scaffold_root(directory: str | None) -> Path:
    """Return the exhibition to add to: --in DIR, else the current folder or ./rooms."""
    if directory:
        return Path(directory)
    here = Path.cwd()
    for folder in (here, here / "rooms"):
        if (folder / "gallery.yaml").is_file():
            return folder
    raise click.ClickException(
        "no gallery.yaml in the current folder nor in ./rooms: give the exhibition with --in DIR"
    )


def _written(path: Path) -> str:
    """Return a written file's path as the organiser typed it: relative when below here."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@click.command()
@click.argument("directory", type=click.Path())
def new(directory: str) -> None:
    """Start an exhibition in DIRECTORY: two rooms, a stage, an exhibit and an agenda.

    Every key is present and explained in a comment; the files pass `gallery check --strict`.
    """
    from .scaffold import ScaffoldError, new_exhibition

    try:
        written = new_exhibition(Path(directory))
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from None
    for path in written:
        click.echo(f"wrote {_written(path)}")
    click.echo(
        f"Next: edit the files, then `gallery check {directory}` and `gallery serve {directory}`."
    )


@click.command("new-room")
@click.argument("slug")
@click.option(
    "--in",
    "directory",
    type=click.Path(file_okay=False, exists=True),
    help="The exhibition folder (default: the current folder, else ./rooms).",
)
def new_room_command(slug: str, directory: str | None) -> None:
    """Add the room SLUG (NN-SLUG/room.md), numbered after the last room."""
    from .scaffold import ScaffoldError, new_room

    try:
        path = new_room(_scaffold_root(directory), slug)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote {_written(path)}")
    click.echo(f"Open a way to it: add {slug} to the doors of a room.")


@click.command("new-exhibit")
@click.argument("room")
@click.argument("slug")
@click.option(
    "--in",
    "directory",
    type=click.Path(file_okay=False, exists=True),
    help="The exhibition folder (default: the current folder, else ./rooms).",
)
def new_exhibit_command(room: str, slug: str, directory: str | None) -> None:
    """Add the exhibit SLUG to ROOM (its slug), numbered after the room's last exhibit."""
    from .scaffold import ScaffoldError, new_exhibit

    try:
        path = new_exhibit(_scaffold_root(directory), room, slug)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote {_written(path)}")
