"""The sample exhibition's project pictures: what each project does, in one flat style.

Each function draws one 800x500 picture in the colours of the project's room and returns its
shapes; none writes the project's name, which the page shows beside it. `atlas_culture`
takes a moment `t` from 0 to 1 so that the sample video can build its map up.
"""

from __future__ import annotations

import math

from sample_svg import (
    CITIES,
    CORSICA,
    FRANCE,
    INK,
    OCHRE,
    PAPER,
    WHITE,
    Map,
    Palette,
    card,
    circle,
    drawn,
    group,
    hex_cells,
    hex_tiles,
    hexagon,
    line,
    mix,
    person,
    polygon,
    polyline,
    rect,
    text_lines,
)

WIDTH, HEIGHT = 800, 500


def backdrop(p: Palette, height: float = HEIGHT) -> str:
    """The room's pale wash with a floor band, behind every picture of the set."""
    return rect(0, 0, WIDTH, height, p.ground) + rect(0, height - 60, WIDTH, 60, p.wash)


def _ease(t: float) -> float:
    """Smooth step from 0 to 1."""
    t = min(1.0, max(0.0, t))
    return t * t * (3 - 2 * t)


def france_map(p: Palette, projection: Map, r: float, t: float = 1.0) -> list[str]:
    """France as hexagons shaded by cultural density, cities as dots; `t` builds it up."""
    out = [polygon(projection.shape(FRANCE), p.wash), polygon(projection.shape(CORSICA), p.wash)]
    paris = projection(*CITIES["paris"][0])
    cells = hex_cells(projection, r)
    reach = max(math.dist(paris, c) for c, _ in cells)
    whole = []
    for centre, value in cells:
        # The map fills outwards from Paris over the first two thirds of `t`.
        shown = _ease((t * 1.5 - math.dist(paris, centre) / reach) * 4)
        colour = mix(p.light, p.base, value) if value > 0.2 else p.light
        if shown >= 1:
            whole.append((centre, colour))
        elif shown > 0:
            out.append(polygon(hexagon(*centre, r * 0.9 * shown), colour))
    out.append(hex_tiles(whole, r * 0.9))
    for i, ((lon, lat), weight) in enumerate(CITIES.values()):
        pop = _ease((t - 0.6 - i * 0.02) * 8)
        if pop > 0:
            x, y = projection(lon, lat)
            out.append(circle(x, y, (4 + weight * 16) * pop, OCHRE, stroke=WHITE, stroke_width=2.5))
    return out


def bars_card(p: Palette, x: float, y: float, values: list[float], t: float = 1.0) -> str:
    """A panel ranking territories as horizontal bars, the first one picked out."""
    if t <= 0:
        return ""
    out = [card(x, y, 230, 40 + 34 * len(values), p), text_lines(x + 22, y + 22, [90], p.light)]
    for i, v in enumerate(values):
        colour = OCHRE if i == 0 else p.mid
        out.append(rect(x + 22, y + 48 + i * 34, 186 * v * _ease(t), 18, colour, 3))
    return group(out, opacity=f"{min(1.0, t * 3):.2f}") if t < 1 / 3 else "".join(out)


def atlas_culture(p: Palette, t: float = 1.0, height: int = HEIGHT) -> list[str]:
    """A map of France whose hexagons say where culture happens, beside a ranking."""
    scale = 46 * min(1.0, height / HEIGHT)
    projection = Map(west=-4.8, north=51.2, scale=scale, x=330 + (46 - scale) * 6, y=18)
    values = [0.95, 0.78, 0.66, 0.52, 0.4, 0.3]
    ranking = bars_card(p, 60, 120 - (HEIGHT - height) / 2, values, _ease((t - 0.7) * 4))
    return [backdrop(p, height), *france_map(p, projection, 9.5 * scale / 46, t), ranking]


def atlas_poster(p: Palette) -> list[str]:
    """Atlas Culture at 16:9, the shape of the video it also stands for."""
    return atlas_culture(p, height=HEIGHTS["atlas-culture"])


def datalympics(p: Palette) -> list[str]:
    """Public money flowing from three funders into four venues, as a Sankey diagram."""
    out = [backdrop(p)]
    sources = [(60, 70, 150, p.dark), (60, 232, 110, p.base), (60, 354, 70, OCHRE)]
    targets = [(600, 70, 120), (600, 202, 80), (600, 294, 70), (600, 376, 60)]
    # Each funder splits into the venues; the ribbons leave and arrive stacked.
    shares = [[0.4, 0.2, 0.25, 0.15], [0.35, 0.3, 0.15, 0.2], [0.3, 0.25, 0.25, 0.2]]
    filled = [0.0] * len(targets)
    for (sx, sy, sh, colour), split in zip(sources, shares, strict=True):
        offset = 0.0
        for j, share in enumerate(split):
            tx, ty, th = targets[j]
            h = sh * share
            arrive = ty + filled[j] * th / sum(s[2] * shares[k][j] for k, s in enumerate(sources))
            a0, a1 = sy + offset, sy + offset + h
            hb = h * th / sum(s[2] * shares[k][j] for k, s in enumerate(sources))
            b0, b1 = arrive, arrive + hb
            x0, x1, mid = sx + 24, tx, (sx + 24 + tx) / 2
            d = (
                f"M{x0} {a0:.1f}C{mid} {a0:.1f} {mid} {b0:.1f} {x1} {b0:.1f}"
                f"L{x1} {b1:.1f}C{mid} {b1:.1f} {mid} {a1:.1f} {x0} {a1:.1f}z"
            )
            out.append(f'<path d="{d}" fill="{colour}" opacity=".35"/>')
            offset += h
            filled[j] += sh * share
        out.append(rect(sx, sy, 24, sh, colour, 3))
    for (tx, ty, th), icon in zip(targets, (_stadium, _pool, _village, _train), strict=True):
        out.append(rect(tx, ty, 24, th, p.dark, 3))
        out.append(icon(p, 700, ty + th / 2))
    return out


def _stadium(p: Palette, x: float, y: float) -> str:
    """A running track seen from above."""
    return (
        rect(x - 42, y - 24, 84, 48, p.base, 24)
        + rect(x - 32, y - 15, 64, 30, p.ground, 15)
        + rect(x - 24, y - 8, 48, 16, p.light, 8)
    )


def _pool(p: Palette, x: float, y: float) -> str:
    """A pool with its lanes."""
    lanes = "".join(
        line((x - 30, y - 10 + i * 10), (x + 30, y - 10 + i * 10), WHITE, 2) for i in range(3)
    )
    return rect(x - 38, y - 20, 76, 40, p.mid, 4) + lanes


def _village(p: Palette, x: float, y: float) -> str:
    """Three houses."""
    out = []
    for dx, h in ((-28, 26), (0, 34), (28, 22)):
        out.append(rect(x + dx - 11, y + 18 - h, 22, h, p.dark, 2))
        out.append(
            polygon(
                [(x + dx - 14, y + 19 - h), (x + dx, y + 6 - h), (x + dx + 14, y + 19 - h)], p.dark
            )
        )
        out.append(rect(x + dx - 4, y + 18 - h + 8, 8, 8, p.ground, 1))
    return "".join(out)


def _train(p: Palette, x: float, y: float) -> str:
    """A train on its rail."""
    return (
        rect(x - 38, y - 16, 76, 26, p.base, 10)
        + rect(x - 30, y - 10, 16, 10, p.ground, 2)
        + rect(x - 8, y - 10, 16, 10, p.ground, 2)
        + rect(x + 14, y - 10, 16, 10, p.ground, 2)
        + line((x - 44, y + 16), (x + 44, y + 16), INK, 2.5)
    )


def open_collectivites(p: Palette) -> list[str]:
    """A data portal: a search field, a map of local authorities and statistics to read."""
    out = [backdrop(p), card(50, 40, 700, 410, p, 12)]
    out.append(rect(50, 40, 700, 36, p.wash, 12) + rect(50, 60, 700, 16, p.wash))
    out += [circle(72 + i * 18, 58, 5, p.mid) for i in range(3)]
    out.append(rect(140, 50, 420, 16, WHITE, 8))
    # The search field, with a magnifier.
    out.append(rect(80, 96, 640, 38, p.ground, 19, stroke=p.light, stroke_width=2))
    out.append(circle(104, 114, 8, "none", stroke=p.dark, stroke_width=3))
    out.append(line((110, 120), (117, 127), p.dark, 3))
    out.append(text_lines(126, 111, [150], p.light))
    # A small map of communes, one picked.
    projection = Map(west=-4.8, north=51.2, scale=30, x=84, y=160)
    cells = hex_cells(projection, 6.5)
    tiles = [(c, mix(p.light, p.base, value)) for c, value in cells]
    tiles[len(tiles) // 2] = (tiles[len(tiles) // 2][0], OCHRE)
    out.append(hex_tiles(tiles, 5.8))
    # Statistics published for the commune picked: a line, bars, a table.
    out.append(card(400, 160, 150, 120, p, 8) + text_lines(416, 176, [70], p.light))
    points = [(416, 258), (440, 244), (464, 250), (488, 226), (512, 232), (534, 206)]
    out.append(polyline(points, p.base, 3.5))
    out.append(card(570, 160, 150, 120, p, 8) + text_lines(586, 176, [60], p.light))
    for i, h in enumerate((40, 62, 30, 74, 52)):
        out.append(rect(588 + i * 24, 266 - h, 16, h, OCHRE if i == 3 else p.mid, 2))
    out.append(card(400, 300, 320, 120, p, 8))
    for i in range(4):
        out.append(text_lines(416, 318 + i * 24, [110, 0], p.light))
        out.append(rect(560, 318 + i * 24, 140 * (0.9 - i * 0.17), 7, p.mid, 3.5))
    return out


def france_transition(p: Palette) -> list[str]:
    """A firm with its solar panels and turbine, matched with the support it can get."""
    out = [backdrop(p)]
    ground = HEIGHT - 60
    # The firm: a saw-tooth factory roof, solar panels, a wind turbine and a tree.
    out.append(rect(70, ground - 150, 230, 150, p.base, 2))
    for i in range(4):
        x = 70 + i * 57.5
        out.append(
            polygon([(x, ground - 150), (x + 57.5, ground - 150), (x + 57.5, ground - 190)], p.dark)
        )
        out.append(
            polygon([(x + 8, ground - 154), (x + 52, ground - 154), (x + 52, ground - 183)], OCHRE)
        )
    for i in range(3):
        out.append(rect(92 + i * 70, ground - 110, 44, 34, p.light, 2))
    out.append(rect(165, ground - 56, 40, 56, p.dark, 2))
    out.append(line((355, ground), (355, ground - 200), p.dark, 6))
    for angle in (90, 210, 330):
        a = math.radians(angle)
        out.append(
            line(
                (355, ground - 200),
                (355 + 62 * math.cos(a), ground - 200 - 62 * math.sin(a)),
                p.dark,
                7,
            )
        )
    out.append(circle(355, ground - 200, 8, OCHRE))
    out.append(rect(24, ground - 64, 8, 64, p.dark) + circle(28, ground - 84, 30, p.mid))
    # The support found for it, one card per kind of help, ticked.
    icons = (_leaf, _sun, _loop, _drop)
    for i, icon in enumerate(icons):
        x, y = 460 + (i % 2) * 160, 70 + (i // 2) * 170
        out.append(card(x, y, 140, 140, p, 10))
        out.append(icon(p, x + 70, y + 58))
        out.append(text_lines(x + 24, y + 104, [92, 60], p.light, 14))
        out.append(circle(x + 132, y + 8, 15, OCHRE, stroke=WHITE, stroke_width=3))
        out.append(polyline([(x + 125, y + 8), (x + 130, y + 13), (x + 139, y + 3)], WHITE, 3.5))
    links = [(300, ground - 120, 460, 140), (300, ground - 80, 460, 310)]
    for x1, y1, x2, y2 in links:
        out.append(
            polyline(
                [(x1, y1), ((x1 + x2) / 2, y1), ((x1 + x2) / 2, y2), (x2 - 8, y2)],
                p.mid,
                3,
                stroke_dasharray="2 9",
            )
        )
    return out


def _leaf(p: Palette, x: float, y: float) -> str:
    """A leaf with its vein."""
    return drawn(x, y, "M-26 24C-30-18 0-30 28-30C30 4 4 30-26 24z", fill=p.base) + line(
        (x - 20, y + 18), (x + 16, y - 18), p.ground, 3
    )


def _sun(p: Palette, x: float, y: float) -> str:
    """A sun."""
    rays = "".join(
        line(
            (x + 22 * math.cos(a), y + 22 * math.sin(a)),
            (x + 32 * math.cos(a), y + 32 * math.sin(a)),
            OCHRE,
            4,
        )
        for a in (math.radians(d) for d in range(0, 360, 45))
    )
    return circle(x, y, 16, OCHRE) + rays


def _loop(p: Palette, x: float, y: float) -> str:
    """Two arrows chasing each other: reuse and recycling."""
    arc = drawn(
        x, y, "M-26 0a26 26 0 0 1 46-16M26 0a26 26 0 0 1-46 16", fill="none", stroke=p.base,
        stroke_width=7, stroke_linecap="round",
    )  # fmt: skip
    heads = polygon([(x + 14, y - 26), (x + 28, y - 12), (x + 12, y - 8)], p.base)
    heads += polygon([(x - 14, y + 26), (x - 28, y + 12), (x - 12, y + 8)], p.base)
    return arc + heads


def _drop(p: Palette, x: float, y: float) -> str:
    """A drop of water."""
    return drawn(x, y, "M0-32C10-14 24 0 24 12a24 24 0 0 1-48 0C-24 0-10-14 0-32z", fill=p.mid)


def adex(p: Palette) -> list[str]:
    """Experts and firms linked by the money between them; a magnifier on one expert."""
    out = [backdrop(p), card(60, 40, 300, 44, p, 22)]
    out.append(
        circle(88, 62, 9, "none", stroke=p.dark, stroke_width=3)
        + line((95, 69), (102, 76), p.dark, 3)
    )
    out.append(text_lines(114, 58, [140], p.light))
    experts = [(200, 210), (330, 330), (470, 180), (560, 330), (250, 400), (660, 220)]
    firms = [(120, 320), (360, 170), (420, 270), (600, 120), (700, 360), (520, 420)]
    links = [(0, 0), (0, 1), (0, 2), (1, 0), (1, 2), (1, 5), (2, 1), (2, 2), (2, 3),
             (3, 2), (3, 4), (3, 5), (4, 0), (4, 5), (5, 3), (5, 4), (2, 4)]  # fmt: skip
    picked = 2
    for e, f in links:
        colour, width = (OCHRE, 5) if e == picked else (p.light, 3)
        out.append(line(experts[e], firms[f], colour, width))
    for x, y in firms:
        out.append(
            rect(x - 17, y - 17, 34, 34, p.dark, 4) + rect(x - 7, y - 7, 14, 14, p.ground, 2)
        )
    for i, (x, y) in enumerate(experts):
        out.append(circle(x, y, 26, OCHRE if i == picked else p.base))
        out.append(group([person(x, y + 3, 32, WHITE)]))
    # The magnifier on the picked expert.
    x, y = experts[picked]
    out.append(circle(x, y, 48, "none", stroke=INK, stroke_width=6))
    out.append(line((x + 34, y + 34), (x + 70, y + 70), INK, 12))
    return out


def siance(p: Palette) -> list[str]:
    """A nuclear plant, its inspection reports read for what they flag, and the tally."""
    out = [backdrop(p)]
    ground = HEIGHT - 60
    # The plant: a cooling tower with its plume, and a reactor dome.
    tower = drawn(0, ground, "M60 0C90-70 90-150 78-210H182C170-150 170-70 200 0z", fill=p.light)
    plume = "".join(
        circle(x, y, r, WHITE)
        for x, y, r in ((120, 212, 36), (158, 190, 30), (96, 190, 26), (190, 160, 22))
    )
    dome = rect(210, ground - 90, 90, 90, p.mid) + circle(255, ground - 90, 45, p.mid)
    out += [tower, plume, dome]
    # Three reports, passages marked in the colour of what they are about.
    marks = [OCHRE, p.base, p.dark]
    for i in range(3):
        x, y = 330 + i * 26, 70 + i * 24
        out.append(card(x, y, 200, 270, p, 6))
        for j in range(9):
            w = (150, 130, 160, 110, 150, 140, 90, 160, 120)[j]
            colour = marks[(i + j) % 3] if j % 3 == 1 else p.light
            out.append(rect(x + 22, y + 30 + j * 24, w, 9 if colour != p.light else 7, colour, 3.5))
    # What the reports say, counted by subject.
    out.append(card(610, 120, 150, 230, p, 8))
    for i, (h, colour) in enumerate(((150, OCHRE), (110, p.base), (70, p.dark))):
        out.append(rect(630 + i * 42, 330 - h, 28, h, colour, 3))
    out.append(
        line((572, 236), (598, 236), p.dark, 3)
        + polygon([(600, 228), (610, 236), (600, 244)], p.dark)
    )
    return out


def monitorfish(p: Palette) -> list[str]:
    """Fishing vessels' tracks off Brittany, a regulated zone, one vessel under watch."""
    sea = mix(PAPER, "#9fb8c4", 0.35)
    out = [rect(0, 0, WIDTH, HEIGHT, sea)]
    projection = Map(west=-9.5, north=51.6, scale=95, x=0, y=0)
    for lon in range(-9, 4):  # the graticule, one line a degree
        x = projection(lon, 50)[0]
        out.append(line((x, 0), (x, HEIGHT), mix(sea, WHITE, 0.4), 1.5))
    for lat in range(47, 52):
        y = projection(0, lat)[1]
        out.append(line((0, y), (WIDTH, y), mix(sea, WHITE, 0.4), 1.5))
    out.append(polygon(projection.shape(FRANCE), p.wash, stroke=p.light, stroke_width=2))
    zone = [(120, 330), (230, 300), (262, 392), (150, 430)]
    out.append(
        polygon(
            zone, p.base, opacity=".16", stroke=p.base, stroke_width=2.5, stroke_dasharray="8 6"
        )
    )
    tracks = [
        [(40, 120), (110, 150), (170, 140), (236, 180)],
        [(300, 60), (330, 110), (390, 130), (440, 150)],
        [(60, 470), (110, 440), (120, 390), (80, 360)],
        [(30, 250), (80, 280), (140, 330), (190, 360)],
    ]
    for track in tracks:
        out.append(polyline(track, p.dark, 2.5, stroke_dasharray="1 8"))
        out.append(_boat(track[-1], track[-2], p.dark))
    # The vessel the centre watches: in the zone, ringed.
    x, y = tracks[3][-1]
    for r, o in ((28, "1"), (46, ".6"), (64, ".3")):
        out.append(circle(x, y, r, "none", stroke=OCHRE, stroke_width=3, opacity=o))
    out.append(_boat((x, y), tracks[3][-2], OCHRE))
    out.append(card(560, 290, 200, 150, p, 8))
    out.append(circle(592, 322, 12, OCHRE) + text_lines(614, 314, [110, 70], p.light, 14))
    out.append(text_lines(580, 360, [160, 130, 150, 90], p.light, 18))
    return out


def _boat(tip: tuple[float, float], behind: tuple[float, float], colour: str) -> str:
    """A vessel seen from above at `tip`, pointing away from `behind`."""
    angle = math.atan2(tip[1] - behind[1], tip[0] - behind[0])
    shape = [(15, 0), (-6, 10), (-15, 10), (-15, -10), (-6, -10)]
    cos, sin = math.cos(angle), math.sin(angle)
    return polygon(
        [(tip[0] + x * cos - y * sin, tip[1] + x * sin + y * cos) for x, y in shape], colour
    )


def label(p: Palette) -> list[str]:
    """A document going step by step through annotation, review and publication."""
    out = [backdrop(p)]
    y0 = 150
    out.append(line((90, y0 + 250), (740, y0 + 250), p.light, 6))
    steps = 4
    for i in range(steps):
        x = 70 + i * 180
        out.append(card(x, y0, 130, 170, p, 6))
        for j in range(7):
            w = (96, 80, 100, 70, 90, 84, 60)[j]
            out.append(rect(x + 16, y0 + 22 + j * 20, w, 7, p.light, 3.5))
            marked = j in (1, 4) and i >= 1
            if marked:  # the passages the agents marked, then masked
                out.append(
                    rect(x + 16 + 24, y0 + 19 + j * 20, 44, 13, OCHRE if i == 1 else p.dark, 3)
                )
        out.append(
            circle(
                x + 65,
                y0 + 250,
                13,
                p.base if i < steps - 1 else OCHRE,
                stroke=WHITE,
                stroke_width=3,
            )
        )
        if i < steps - 1:
            out.append(polygon([(x + 150, y0 + 75), (x + 166, y0 + 85), (x + 150, y0 + 95)], p.mid))
    # The agents at the two middle steps, and the tick of the last one.
    out.append(person(70 + 180 + 65, 90, 56, p.base) + person(70 + 360 + 65, 90, 56, p.dark))
    out.append(circle(70 + 540 + 65, 92, 26, OCHRE))
    out.append(polyline([(70 + 540 + 53, 92), (70 + 540 + 62, 101), (70 + 540 + 79, 83)], WHITE, 5))
    return out


# Pictures of another height than the set's: a video's poster has the video's shape.
HEIGHTS = {"atlas-culture": 450}

PICTURES = {
    "atlas-culture": atlas_poster,
    "datalympics": datalympics,
    "open-collectivites": open_collectivites,
    "france-transition": france_transition,
    "adex": adex,
    "siance": siance,
    "monitorfish": monitorfish,
    "label": label,
}
