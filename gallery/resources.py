"""Where templates, static files, the sample exhibition and `gallery new`'s templates live.

In a source checkout they sit beside the package; in an installed wheel they
are copied inside it, so both layouts are looked up in that order.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def resource(name: str) -> Path:
    """Return the folder `name` ("templates", "static", "rooms" or "scaffold")."""
    inside = PACKAGE / name
    if inside.is_dir():
        return inside
    return PACKAGE.parent / name


def default_rooms(cwd: Path | None = None) -> Path:
    """Return the current folder when it holds gallery.yaml, else ./rooms, else the sample."""
    here = cwd or Path.cwd()
    for folder in (here, here / "rooms"):
        if (folder / "gallery.yaml").is_file():
            return folder
    return resource("rooms")
