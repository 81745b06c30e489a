"""Media types of exhibition files: one table for the loader, the templates and the server."""

from __future__ import annotations

import mimetypes
import posixpath
from os import PathLike

# Types the platform's own table may lack or get wrong.
TYPES = {
    ".vtt": "text/vtt",
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".webm": "video/webm",
    ".ogv": "video/ogg",
    ".mp3": "audio/mpeg",
    ".oga": "audio/ogg",
    ".ogg": "audio/ogg",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".pdf": "application/pdf",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".json": "application/json",
}

UNKNOWN = "application/octet-stream"


def media_type(path: str | PathLike[str]) -> str:
    """Return the media type of the file `path` names, from its suffix."""
    name = posixpath.basename(str(path))
    suffix = posixpath.splitext(name)[1].lower()
    return TYPES.get(suffix) or mimetypes.guess_type(name)[0] or UNKNOWN


def is_image(path: str | PathLike[str]) -> bool:
    """Tell whether `path` names an image file."""
    return media_type(path).startswith("image/")


def is_video(path: str | PathLike[str]) -> bool:
    """Tell whether `path` names a video file."""
    return media_type(path).startswith("video/")
