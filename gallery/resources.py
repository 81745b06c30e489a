"""Where templates, static files and the sample exhibition live.

In a source checkout they sit beside the package; in an installed wheel they
are copied inside it, so both layouts are looked up in that order.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def resource(name: str) -> Path:
    """Return the folder `name` ("templates", "static" or "rooms")."""
    inside = PACKAGE / name
    if inside.is_dir():
        return inside
    return PACKAGE.parent / name


def default_rooms(cwd: Path | None = None) -> Path:
    """Return ./rooms when it holds gallery.yaml, else the bundled sample."""
    here = (cwd or Path.cwd()) / "rooms"
    if (here / "gallery.yaml").is_file():
        return here
    return resource("rooms")
