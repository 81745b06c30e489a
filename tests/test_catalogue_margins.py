"""The catalogue's running heads: their widths measured once per text, with the same result."""

from __future__ import annotations

from typing import Any

import pytest

from gallery.catalogue.margins import margin_widths_once

STYLE = """
@page {
  size: A5;
  margin: 20mm 15mm;
  @top-left { content: string(title); font: 8pt sans-serif; }
  @top-right { content: string(room); font: 8pt sans-serif; }
  @bottom-center { width: 100%; content: counter(page); }
}
html { string-set: title "A running title" }
h2 { string-set: room content(); break-before: page; }
"""

ROOMS = [
    "Hall",
    "A room whose title is long enough to take most of the line on its own, and more",
    "Lab",
]


def page_html(long_title: bool) -> str:
    """Return a document of two pages per room, under a short or a long running title."""
    style = STYLE
    if long_title:
        style += 'html { string-set: title "' + "A much longer running title " * 3 + '" }'
    pages = "".join(
        f'<h2>{room}</h2><p>Text.</p><p style="break-before: page">More.</p>' for room in ROOMS
    )
    return f"<style>{style}</style>{pages}"


def margins(document: Any) -> list[tuple[str, float, float, float, float, tuple[str, ...]]]:
    """Return each page's margin boxes: where they are, how large, and their texts."""
    found = []
    for page in document.pages:
        for box in page._page_box.children[1:]:
            texts = tuple(child.text for child in box.descendants() if hasattr(child, "text"))
            found.append(
                (box.at_keyword, box.position_x, box.position_y, box.width, box.height, texts)
            )
    return found


@pytest.mark.parametrize("long_title", [False, True])
def test_margin_boxes_measured_once_are_where_weasyprint_puts_them(long_title: bool) -> None:
    from weasyprint import HTML

    html = page_html(long_title)
    expected = margins(HTML(string=html).render())
    with margin_widths_once() as kept:
        got = margins(HTML(string=html).render())
    assert len(expected) > 3 * len(ROOMS)
    assert got == expected
    # Two boxes' min- and max-content width per room's text at most, not per page.
    assert 0 < len(kept) <= 2 * 2 * len(ROOMS)


def test_the_same_text_in_another_font_is_measured_again() -> None:
    from weasyprint import HTML

    style = STYLE + "@page big { @top-left { font: 14pt serif; } } .big { page: big; }"
    html = f'<style>{style}</style><h2>Hall</h2><div class="big"><h2>Hall</h2></div>'
    expected = margins(HTML(string=html).render())
    with margin_widths_once() as kept:
        got = margins(HTML(string=html).render())
    assert got == expected
    small, large = (box for box in got if box[0] == "@top-left")
    assert small[5] == large[5] and small[3] != large[3]
    assert len(kept) == 6  # each top box's two widths, and the title's again in 14pt
