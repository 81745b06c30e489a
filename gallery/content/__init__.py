"""Loading and validating exhibitions from room files: pure Python, no Flask."""

from __future__ import annotations

from .diagnostics import ContentError, Diagnostic, summary
from .loader import LoadResult, load_exhibition
from .model import (
    Caption,
    Document,
    Exhibit,
    Exhibition,
    Link,
    LText,
    Person,
    Room,
    Session,
    Video,
)

__all__ = [
    "Caption",
    "ContentError",
    "Diagnostic",
    "Document",
    "Exhibit",
    "Exhibition",
    "LText",
    "Link",
    "LoadResult",
    "Person",
    "Room",
    "Session",
    "Video",
    "load_exhibition",
    "summary",
]
