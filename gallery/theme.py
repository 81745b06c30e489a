"""A stylesheet generated from the model: the room colours.

It replaces inline style attributes, which the CSP forbids. Pages name it with a hash of its
text (`theme_version`), so browsers may keep each version for good.
"""

from __future__ import annotations

import hashlib
import re

from .content.model import Exhibition
from .site import Snapshot

# Anything else is dropped rather than escaped: a colour is all a room may set here.
COLOUR = re.compile(r"^(#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|[a-zA-Z]{3,20})$")


def theme_css(snapshot: Snapshot) -> str:
    """Return the generated stylesheet of a content version, built once."""
    return snapshot.memo(("theme.css",), lambda: build_css(snapshot.exhibition))


def theme_version(snapshot: Snapshot) -> str:
    """Return a short hash of the generated stylesheet, to cache-bust its URL."""
    return hashlib.blake2b(theme_css(snapshot).encode(), digest_size=6).hexdigest()


def build_css(exhibition: Exhibition) -> str:
    """Build the stylesheet of an exhibition."""
    lines = ["/* Generated from the room files. */"]
    for index, room in enumerate(exhibition.rooms, start=1):
        if room.colour and COLOUR.match(room.colour):
            lines.append(f".room-colour-{index} {{ --room-colour: {room.colour}; }}")
    return "\n".join(lines) + "\n"
