"""Which exhibition folder a command reads when given one, or none."""

from __future__ import annotations

from pathlib import Path

import click


def rooms_dir(directory: str | None) -> Path:
    """Return the exhibition folder: the argument, the current folder, ./rooms, or the sample."""
    from .resources import default_rooms

    return Path(directory) if directory else default_rooms()


def folder(directory: str | None) -> tuple[Path, str, str]:
    """Return the exhibition folder, the prefix of its files in messages, and how to name it.

    Without DIR: the current folder when it holds gallery.yaml, then ./rooms, then the sample,
    so that `gallery check` inside one's exhibition checks that exhibition.
    """
    from .resources import resource

    root = rooms_dir(directory)
    if directory:
        return root, directory, f"{directory.rstrip('/')}/"
    if root == Path.cwd():
        return root, "", f"{root.name}/ (the current folder)"
    if root == resource("rooms"):
        return root, str(root), f"the sample exhibition that comes with gallery ({root}/)"
    return root, "rooms", "rooms/"


def sample_note(root: Path) -> None:
    """Say, on stderr, that the sample is used because no exhibition was found here."""
    from .resources import resource

    if root == resource("rooms"):
        click.echo(
            "No gallery.yaml in the current folder nor in ./rooms: using the sample exhibition."
            " Give a folder (`gallery check DIR`) or start one with `gallery new DIR`.",
            err=True,
        )


def exhibition_root(directory: str | None) -> Path:
    """Return the exhibition folder to read (as `rooms_dir`), refusing one with no gallery.yaml."""
    root = rooms_dir(directory)
    if not (root / "gallery.yaml").is_file():
        raise click.UsageError(f"{root}: no gallery.yaml in this directory")
    return root
