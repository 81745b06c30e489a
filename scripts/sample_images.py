"""Redraw the sample exhibition's pictures into rooms/, as SVG files.

    .venv/bin/python scripts/sample_images.py [--rooms rooms]

Reads the exhibition the way the gallery does, then paints each project of the sample
(sample_art.PICTURES, by exhibit slug) in its room's colour as <slug>.svg next to the
exhibit's file, each room's wall as room.svg in its folder, the building seen from above as
gallery.svg (shown by the lobby's introduction) and the route through the rooms as route.svg
(the visitor guide's picture, in the entrance hall). Pure Python: the SVG files are small
text files, shown by the pages as images; the room files name them and describe them.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sample_art import HEIGHT, HEIGHTS, PICTURES, WIDTH
from sample_building import HEADER_HEIGHT, HEADER_WIDTH, header, isometric, route
from sample_svg import Palette, document

from gallery.content.loader import load_exhibition
from gallery.content.model import Exhibition

ROOT = Path(__file__).resolve().parent.parent


def load(rooms: Path) -> Exhibition:
    """Load the exhibition in `rooms`, stopping on any error it has."""
    result = load_exhibition(rooms)
    if not result.ok or result.exhibition is None:
        raise SystemExit("\n".join(str(d) for d in result.errors) or "the exhibition did not load")
    return result.exhibition


def write(path: Path, svg: str) -> None:
    """Write one picture and say how big it is."""
    path.write_text(svg, encoding="utf-8")
    print(f"{path}: {len(svg.encode()) / 1024:.1f} KB")


def project_pictures(exhibition: Exhibition, rooms: Path) -> None:
    """Paint every exhibit that has a drawing, as <slug>.svg beside its Markdown file."""
    for room in exhibition.rooms:
        palette = Palette(room.colour or "#8a7f70")
        for exhibit in room.exhibits:
            draw = PICTURES.get(exhibit.slug)
            if draw is None:
                continue
            folder = (rooms / exhibit.source).parent
            height = HEIGHTS.get(exhibit.slug, HEIGHT)
            write(folder / f"{exhibit.slug}.svg", document(WIDTH, height, draw(palette)))


def building_pictures(exhibition: Exhibition, rooms: Path) -> None:
    """Draw the lobby's view of the building, the route and every room's header."""
    width, height, body = isometric(exhibition)
    write(rooms / "gallery.svg", document(width, height, [body]))
    for room in exhibition.rooms:
        folder = (rooms / room.source).parent
        write(
            folder / "room.svg", document(HEADER_WIDTH, HEADER_HEIGHT, [header(exhibition, room)])
        )
    hall = exhibition.room(exhibition.entrance) if exhibition.entrance else None
    if hall is not None and hall.exhibits:
        width, height, body = route(exhibition)
        write(
            (rooms / hall.exhibits[0].source).parent / "route.svg", document(width, height, [body])
        )


def main() -> None:
    """Redraw the pictures of the sample exhibition."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rooms", type=Path, default=ROOT / "rooms")
    args = parser.parse_args()
    exhibition = load(args.rooms)
    project_pictures(exhibition, args.rooms)
    building_pictures(exhibition, args.rooms)


if __name__ == "__main__":
    main()
