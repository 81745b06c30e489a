"""The contents' leaders laid out as one text each, not one text per repetition of the dots.

WeasyPrint fills a leader with copies of its text box, one per repetition of its string
(`. ` about 70 times a line of the contents), and draws each copy on its own, setting a
Pango layout up again each time: most of the CPU of the contents' pages. Once a line is
laid out, its copies are joined into one text box holding the same repeated string at the
place of the leftmost copy: the same dots at the same places, drawn as one text.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any


@contextmanager
def leaders_as_one_text() -> Iterator[None]:
    """Have WeasyPrint lay each leader out as one text box while the context lasts."""
    from weasyprint.layout import inline, leader

    handle_leader = inline.handle_leader

    def joining_leader(context: Any, line: Any, containing_block: Any) -> None:
        handle_leader(context, line, containing_block)
        _, box = leader.leader_index(line)
        if box is not None and len(box.children) > 1:
            box.children = (joined(context, box.children),)

    inline.handle_leader = joining_leader
    try:
        yield
    finally:
        inline.handle_leader = handle_leader


def joined(context: Any, copies: Sequence[Any]) -> Any:
    """Return one text box of the repeated text of `copies`, where the leftmost one is."""
    from weasyprint.text.line_break import split_first_line

    first = min(copies, key=lambda copy: copy.position_x)
    text = "".join(copy.text for copy in copies)
    layout, *_, width, _height, _baseline = split_first_line(
        text, first.style, context, math.inf, first.justification_spacing
    )
    box = first.copy_with_text(layout.text)
    box.pango_layout = layout
    box.width = width
    return box
