"""State shared while loading one exhibition: root, languages, diagnostics, file count."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from yaml.nodes import Node

from .aliases import AliasRef, PageLink
from .mediatypes import is_image
from .model import LText
from .paths import Media
from .report import Doc, Report
from .schema import string


@dataclass
class Context:
    """Everything the readers of room files need to know about the exhibition."""

    root: Path
    report: Report
    media: Media
    languages: tuple[str, ...] | None = None  # None until gallery.yaml declared them
    default: str = "en"
    files: int = 0  # room files read (YAML and Markdown)
    # Rooms and exhibits whose files exist, even if they hold errors: references to them
    # are not reported again as unknown ("room/*": a room folder that could not be read).
    known: set[str] = field(default_factory=set)
    # The `aliases` read, and the links of the texts to room and exhibit pages, checked
    # once every room is read.
    aliases: list[AliasRef] = field(default_factory=list)
    page_links: list[PageLink] = field(default_factory=list)

    def ltext(self, values: dict[str, str] | None) -> LText:
        """Return an LText with its languages in the exhibition's order."""
        if not values:
            return LText((), self.default)
        order = {code: i for i, code in enumerate(self.languages or ())}
        items = sorted(values.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
        return LText(tuple(items), self.default)

    def file(self, doc: Doc, key: str, node: Node) -> str | None:
        """Return a media path (relative to the root) written in `doc`, or report it."""
        value = string(doc, key, node)
        if value is None:
            return None
        rel, problem = self.media.locate(posixpath.dirname(doc.rel), value)
        if problem:
            doc.error(node, *problem)
        return rel

    def image(self, doc: Doc, key: str, node: Node) -> str | None:
        """Return the path of an image file written in `doc`, or report it."""
        rel = self.file(doc, key, node)
        if rel is not None and not is_image(rel):
            doc.error(node, f"'{string(doc, key, node)}' is not an image file")
            return None
        return rel
