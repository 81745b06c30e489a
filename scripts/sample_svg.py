"""Drawing kit for the sample exhibition's pictures: colours, SVG shapes and a map of France.

Pure Python, no dependency: every picture is a string of SVG built from these helpers, so
the same drawing gives the exhibit images, the room headers, the lobby picture and the
frames of the sample video.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

Point = tuple[float, float]

PAPER = "#f6f4ef"
WHITE = "#ffffff"
INK = "#1f1c18"
OCHRE = "#e2a72e"  # the one accent every picture shares, used sparingly


def _rgb(colour: str) -> tuple[int, int, int]:
    """Return the red, green and blue of a #rrggbb colour."""
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def mix(a: str, b: str, t: float) -> str:
    """Return the colour `t` of the way from `a` to `b` (both #rrggbb)."""
    pa, pb = _rgb(a), _rgb(b)
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(pa, pb, strict=True))


class Palette:
    """The shades of one room colour that a picture is painted with."""

    def __init__(self, colour: str) -> None:
        self.base = colour
        self.dark = mix(colour, INK, 0.45)
        self.mid = mix(colour, PAPER, 0.35)
        self.light = mix(colour, PAPER, 0.65)
        self.wash = mix(colour, PAPER, 0.86)
        self.ground = mix(colour, PAPER, 0.93)


def n(value: float) -> str:
    """Format a coordinate with at most one decimal, the way SVG files stay small."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def attrs(**values: object) -> str:
    """Return SVG attributes, `stroke_width` written `stroke-width`; None values left out."""
    parts = []
    for key, value in values.items():
        if value is None:
            continue
        text = n(value) if isinstance(value, float) else str(value)
        parts.append(f'{key.replace("_", "-")}="{text}"')
    return " ".join(parts)


def rect(x: float, y: float, w: float, h: float, fill: str, r: float = 0, **more: object) -> str:
    """A rectangle, its corners rounded by `r`."""
    box = attrs(x=float(x), y=float(y), width=float(w), height=float(h), rx=float(r) or None)
    return f"<rect {box} {attrs(fill=fill, **more)}/>"


def circle(x: float, y: float, r: float, fill: str, **more: object) -> str:
    """A circle."""
    return f"<circle {attrs(cx=float(x), cy=float(y), r=float(r), fill=fill, **more)}/>"


def line(a: Point, b: Point, stroke: str, width: float = 3, **more: object) -> str:
    """A straight line with round caps."""
    return (
        f"<line {attrs(x1=float(a[0]), y1=float(a[1]), x2=float(b[0]), y2=float(b[1]))} "
        f"{attrs(stroke=stroke, stroke_width=float(width), stroke_linecap='round', **more)}/>"
    )


def path_d(points: Sequence[Point], closed: bool = True) -> str:
    """The `d` of a path through `points`, as short relative moves."""
    x0, y0 = points[0]
    out = [f"M{n(x0)} {n(y0)}"]
    for x, y in points[1:]:
        out.append(f"l{n(x - x0)} {n(y - y0)}")
        x0, y0 = round(x, 1), round(y, 1)
    return "".join(out) + ("z" if closed else "")


def polygon(points: Sequence[Point], fill: str, **more: object) -> str:
    """A closed shape through `points`."""
    return f'<path d="{path_d(points)}" {attrs(fill=fill, **more)}/>'


def polyline(points: Sequence[Point], stroke: str, width: float = 3, **more: object) -> str:
    """An open line through `points`, with round joins."""
    return (
        f'<path d="{path_d(points, closed=False)}" fill="none" '
        f"{attrs(stroke=stroke, stroke_width=float(width), stroke_linecap='round', **more)} "
        'stroke-linejoin="round"/>'
    )


def drawn(x: float, y: float, d: str, **more: object) -> str:
    """A path written around (0, 0), moved to (x, y)."""
    return f'<path transform="translate({n(x)} {n(y)})" d="{d}" {attrs(**more)}/>'


def group(items: Iterable[str], **more: object) -> str:
    """A group of shapes sharing attributes (a transform, an opacity)."""
    head = f"<g {attrs(**more)}>" if more else "<g>"
    return head + "".join(items) + "</g>"


def document(width: int, height: int, body: Iterable[str], title: str = "") -> str:
    """A whole SVG file of this size; `title` names it for whoever opens the file alone."""
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">'
    )
    named = f"<title>{title}</title>" if title else ""
    return head + named + "".join(body) + "</svg>\n"


def card(x: float, y: float, w: float, h: float, palette: Palette, r: float = 10) -> str:
    """A white panel with a flat shadow in the room's dark shade, the set's one depth cue."""
    return rect(x + 6, y + 7, w, h, palette.light, r) + rect(x, y, w, h, WHITE, r)


def text_lines(x: float, y: float, widths: Sequence[float], colour: str, gap: float = 16) -> str:
    """Lines of text drawn as rounded bars: pictures carry no words to translate."""
    return "".join(rect(x, y + i * gap, w, 7, colour, 3.5) for i, w in enumerate(widths))


def person(x: float, y: float, size: float, fill: str) -> str:
    """A head and shoulders centred on (x, y)."""
    head = circle(x, y - size * 0.32, size * 0.26, fill)
    r = n(size * 0.46)
    body = drawn(
        x - size * 0.46, y + size * 0.5, f"M0 0a{r} {r} 0 0 1 {n(size * 0.92)} 0z", fill=fill
    )
    return head + body


def hexagon(cx: float, cy: float, r: float) -> list[Point]:
    """The corners of a pointy-top hexagon of radius `r`."""
    return [
        (cx + r * math.cos(math.radians(a)), cy + r * math.sin(math.radians(a)))
        for a in range(30, 390, 60)
    ]


def hex_tiles(cells: Sequence[tuple[Point, str]], r: float) -> str:
    """Hexagons of radius `r` at these centres and colours, drawn once and reused (small files)."""
    name = f"hex{round(r * 10)}"
    shape = path_d(hexagon(0, 0, r))
    tiles = "".join(
        f'<use href="#{name}" x="{n(x)}" y="{n(y)}" fill="{colour}"/>' for (x, y), colour in cells
    )
    return f'<defs><path id="{name}" d="{shape}"/></defs>{tiles}'


# Metropolitan France, coarse outline in longitude and latitude, from Dunkirk clockwise.
FRANCE = [
    (2.55, 51.09), (3.1, 50.78), (4.2, 50.3), (4.85, 50.15), (5.8, 49.55), (6.4, 49.47),
    (7.0, 49.15), (8.2, 48.97), (7.8, 48.3), (7.6, 47.6), (7.0, 47.45), (6.9, 47.1),
    (6.1, 46.6), (6.0, 46.15), (6.8, 46.1), (7.0, 45.9), (6.65, 45.1), (7.0, 44.7),
    (6.9, 44.3), (7.65, 43.8), (7.0, 43.55), (6.2, 43.1), (5.3, 43.2), (4.6, 43.4),
    (3.5, 43.25), (3.05, 42.8), (3.17, 42.43), (2.0, 42.4), (1.7, 42.5), (0.7, 42.85),
    (-0.3, 42.8), (-1.78, 43.37), (-1.3, 44.4), (-1.25, 45.0), (-1.1, 45.6), (-1.2, 46.2),
    (-2.1, 46.8), (-2.5, 47.3), (-3.5, 47.7), (-4.4, 47.8), (-4.75, 48.3), (-4.5, 48.6),
    (-3.5, 48.85), (-2.3, 48.65), (-1.6, 48.7), (-1.95, 49.7), (-1.25, 49.7), (-1.1, 49.35),
    (0.1, 49.45), (1.2, 49.95), (1.6, 50.2), (1.6, 50.9),
]  # fmt: skip
CORSICA = [
    (9.35, 43.0), (9.55, 42.6), (9.4, 41.9), (9.2, 41.38), (8.8, 41.6), (8.6, 42.1),
    (8.65, 42.45), (9.25, 42.7),
]  # fmt: skip

# Cities with a weight, for where culture and people gather on the sample maps.
CITIES = {
    "paris": ((2.35, 48.86), 1.0),
    "lyon": ((4.84, 45.76), 0.55),
    "marseille": ((5.37, 43.3), 0.5),
    "toulouse": ((1.44, 43.6), 0.45),
    "lille": ((3.06, 50.63), 0.45),
    "bordeaux": ((-0.58, 44.84), 0.4),
    "nantes": ((-1.55, 47.22), 0.4),
    "strasbourg": ((7.75, 48.58), 0.38),
    "avignon": ((4.8, 43.95), 0.35),
    "rennes": ((-1.68, 48.11), 0.32),
    "montpellier": ((3.88, 43.61), 0.32),
    "nice": ((7.26, 43.7), 0.3),
    "clermont": ((3.08, 45.78), 0.22),
    "dijon": ((5.04, 47.32), 0.22),
}


class Map:
    """A projection of longitudes and latitudes onto a picture's box."""

    def __init__(self, west: float, north: float, scale: float, x: float, y: float) -> None:
        self.west, self.north, self.scale, self.x, self.y = west, north, scale, x, y
        self.squeeze = math.cos(math.radians(46.5))

    def __call__(self, lon: float, lat: float) -> Point:
        """Return the picture point of a longitude and latitude."""
        return (
            self.x + (lon - self.west) * self.scale * self.squeeze,
            self.y + (self.north - lat) * self.scale,
        )

    def shape(self, outline: Sequence[Point]) -> list[Point]:
        """Project a whole outline."""
        return [self(lon, lat) for lon, lat in outline]


def inside(point: Point, shape: Sequence[Point]) -> bool:
    """Tell whether `point` lies inside the polygon `shape` (even-odd rule)."""
    x, y = point
    hit = False
    for (x1, y1), (x2, y2) in zip(shape, [*shape[1:], shape[0]], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


def density(projection: Map, point: Point) -> float:
    """How many cultural places lie near `point`, from 0 to 1, made up from the cities."""
    total = 0.0
    for (lon, lat), weight in CITIES.values():
        cx, cy = projection(lon, lat)
        reach = projection.scale * 1.1
        total += weight * math.exp(-((point[0] - cx) ** 2 + (point[1] - cy) ** 2) / reach**2)
    return min(1.0, 0.12 + total)


def hex_cells(projection: Map, r: float) -> list[tuple[Point, float]]:
    """The centres of a hexagon grid covering France and Corsica, each with its density."""
    shapes = [projection.shape(FRANCE), projection.shape(CORSICA)]
    xs = [p[0] for shape in shapes for p in shape]
    ys = [p[1] for shape in shapes for p in shape]
    cells = []
    dy = r * 1.5
    dx = r * math.sqrt(3)
    row = 0
    y = min(ys)
    while y <= max(ys):
        x = min(xs) + (dx / 2 if row % 2 else 0)
        while x <= max(xs):
            if any(inside((x, y), shape) for shape in shapes):
                cells.append(((x, y), density(projection, (x, y))))
            x += dx
        y += dy
        row += 1
    return cells
