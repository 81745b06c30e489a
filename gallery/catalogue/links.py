"""Links from one part of a catalogue to anchors laid out in another part.

WeasyPrint drops a link to an anchor its document does not hold, with an error. The
contents, laid out in the front, link to every room and exhibit of the other parts; kept,
such a link names its target, and the merged PDF names every part's anchors (`merge.py`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def links_elsewhere(names: set[str]) -> Iterator[None]:
    """Keep the links to `names` that WeasyPrint would drop as leading nowhere: they lead
    to other parts, by name, and the merged PDF names them all."""
    import weasyprint.pdf as pdf

    if not names:
        yield
        return
    resolve = pdf.resolve_links

    def resolve_links(pages: list[Any]) -> Iterator[tuple[list, list]]:
        here = {name for page in pages for name in page.anchors}
        for page, (links, anchors) in zip(pages, resolve(pages), strict=True):
            elsewhere = [
                link
                for link in page.links
                if link[0] == "internal" and link[1] in names and link[1] not in here
            ]
            yield links + elsewhere, anchors

    pdf.resolve_links = resolve_links
    logger = logging.getLogger("weasyprint")
    quiet = _NotMissing(names)
    logger.addFilter(quiet)
    try:
        yield
    finally:
        pdf.resolve_links = resolve
        logger.removeFilter(quiet)


class _NotMissing(logging.Filter):
    """Hide WeasyPrint's error about links to anchors that are in other parts."""

    def __init__(self, names: set[str]) -> None:
        super().__init__()
        self.names = names

    def filter(self, record: logging.LogRecord) -> bool:
        """Let every record through but those about the anchors named."""
        missing = record.msg == "No anchor #%s for internal URI reference"
        return not (missing and record.args[0] in self.names)
