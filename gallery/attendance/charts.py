"""Charts as plain SVG, drawn in Python: readable without JavaScript, printable, and each
shown beside a table of its numbers (the table is what a screen reader reads)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 28


@dataclass(frozen=True)
class Bar:
    """One bar of a bar chart: its label, its value, and the value printed at its end."""

    label: str
    value: float
    text: str


def _nice_top(value: float) -> float:
    """Return a round number at least `value`, for the top of an axis."""
    if value <= 0:
        return 1
    step = 10 ** (len(str(int(value))) - 1)
    for factor in (1, 2, 2.5, 5, 10):
        if value <= factor * step:
            return factor * step
    return 10 * step


def _svg(body: str, title: str, width: int = WIDTH, height: int = HEIGHT) -> Markup:
    """Wrap chart elements in an SVG named `title`; the table beside it carries the numbers."""
    return Markup(
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">{body}</svg>'
    )


def line_chart(points: Sequence[tuple[datetime, float]], title: str, tz_label: str = "") -> Markup:
    """Draw values over time as a line over a filled area, with a time axis and a value axis."""
    if not points:
        return Markup("")
    start, end = points[0][0], points[-1][0]
    span = max((end - start).total_seconds(), 1.0)
    top = _nice_top(max(v for _, v in points))
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(moment: datetime) -> float:
        return LEFT + inner_w * (moment - start).total_seconds() / span

    def y(value: float) -> float:
        return TOP + inner_h * (1 - value / top)

    parts = []
    for i in range(5):
        value = top * i / 4
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" '
            f'y2="{y(value):.1f}"/><text class="tick" x="{LEFT - 6}" y="{y(value) + 4:.1f}" '
            f'text-anchor="end">{value:g}</text>'
        )
    # The first and last labels lean inwards, so that none is cut at the edge.
    for moment, anchor in ((start, "start"), (start + (end - start) / 2, "middle"), (end, "end")):
        parts.append(
            f'<text class="tick" x="{x(moment):.1f}" y="{HEIGHT - 8}" text-anchor="{anchor}">'
            f"{moment:%H:%M}</text>"
        )
    line = " ".join(f"{x(m):.1f},{y(v):.1f}" for m, v in points)
    area = f"{x(start):.1f},{y(0):.1f} {line} {x(end):.1f},{y(0):.1f}"
    parts.append(f'<polygon class="area" points="{area}"/>')
    parts.append(f'<polyline class="line" points="{line}"/>')
    return _svg("".join(parts), title)


def bar_chart(bars: Sequence[Bar], title: str) -> Markup:
    """Draw horizontal bars, longest value full width, each labelled and with its value."""
    if not bars:
        return Markup("")
    row, label_w = 26, 200
    height = TOP + row * len(bars) + 8
    top = max(bar.value for bar in bars) or 1
    inner = WIDTH - label_w - RIGHT - 60
    parts = []
    for i, bar in enumerate(bars):
        y = TOP + i * row
        width = max(inner * bar.value / top, 1)
        label = escape(bar.label if len(bar.label) <= 30 else bar.label[:29] + "…")
        parts.append(
            f'<text class="label" x="{label_w - 8}" y="{y + 15}" text-anchor="end">{label}</text>'
            f'<rect class="bar" x="{label_w}" y="{y + 3}" width="{width:.1f}" height="{row - 8}"/>'
            f'<text class="value" x="{label_w + width + 6:.1f}" y="{y + 15}">'
            f"{escape(bar.text)}</text>"
        )
    return _svg("".join(parts), title, height=height)
