"""The running heads' widths measured once per text, not once per page.

WeasyPrint shares the line of the top margin between the running title and the room's title
by the widths of their texts (min-content and max-content), and measures them again on every
page, laying each text out twice. The texts change only from room to room, so while the
catalogue is laid out each measure is kept for its margin box, text and font: the same
widths, measured once a room instead of twenty times.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any

# What a margin box's text measures depends on, besides the text: its own style (its
# anonymous boxes inherit it).
STYLE = (
    "font_family",
    "font_size",
    "font_style",
    "font_weight",
    "font_stretch",
    "font_variant_alternates",
    "font_variant_caps",
    "font_variant_numeric",
    "font_variant_east_asian",
    "font_variant_ligatures",
    "font_variant_position",
    "font_feature_settings",
    "font_variation_settings",
    "font_kerning",
    "font_language_override",
    "letter_spacing",
    "word_spacing",
    "text_indent",
    "white_space",
    "tab_size",
    "hyphens",
    "lang",
    "padding_left",
    "padding_right",
    "border_left_width",
    "border_right_width",
)

Measure = Callable[..., float]


@contextmanager
def margin_widths_once() -> Iterator[dict[Hashable, float]]:
    """Have WeasyPrint measure each margin box's text once while the context lasts; yield
    the measures kept."""
    from weasyprint.layout import page

    kept: dict[Hashable, float] = {}
    measures = page.min_content_width, page.max_content_width
    page.min_content_width, page.max_content_width = (_once(measure, kept) for measure in measures)
    try:
        yield kept
    finally:
        page.min_content_width, page.max_content_width = measures


def _once(measure: Measure, kept: dict[Hashable, float]) -> Measure:
    """Return `measure` (WeasyPrint's min- or max-content width) kept per box key."""

    def measured_once(context: Any, box: Any, outer: bool = True) -> float:
        key = (measure.__name__, outer, key_of(box))
        if key not in kept:
            kept[key] = measure(context, box, outer)
        return kept[key]

    return measured_once


def key_of(box: Any) -> Hashable:
    """Return what a margin box's widths depend on: its place, style and boxes' texts."""
    style = box.style
    boxes = tuple(
        (type(child).__name__, getattr(child, "text", None)) for child in box.descendants()
    )
    return box.at_keyword, tuple(_hashable(style[name]) for name in STYLE), boxes


def _hashable(value: Any) -> Hashable:
    """Return a style value as a key (some values are lists)."""
    if isinstance(value, list | tuple):
        return tuple(_hashable(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((key, _hashable(item)) for key, item in value.items()))
    return value
