"""Media files from inside the exhibition folder, with Range support, never as script."""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, send_file

from ..site import current_site

bp = Blueprint("media", __name__)

# The room files themselves are sources, not media.
SOURCE_SUFFIXES = frozenset({".md", ".markdown", ".yaml", ".yml"})

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

# Types a browser would run as a document if opened directly: offer them as downloads.
ACTIVE_TYPES = frozenset(
    {"text/html", "application/xhtml+xml", "application/xml", "text/xml", "text/javascript"}
)


def resolve(root: Path, path: str) -> Path | None:
    """Return the file `path` names inside `root`, or None if it is not a servable media file."""
    if not path or "\\" in path or "\x00" in path or path.startswith("/"):
        return None
    parts = path.split("/")
    for part in parts:
        # No parent steps, no hidden files, no empty or drive-like segments.
        if part in ("", ".", "..") or part.startswith(".") or ":" in part:
            return None
    if Path(parts[-1]).suffix.lower() in SOURCE_SUFFIXES:
        return None
    base = root.resolve()
    candidate = base.joinpath(*parts)
    try:
        real = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    # Symlinks may point anywhere: only what really lies under the root is served.
    if base != real and base not in real.parents:
        return None
    if not real.is_file():
        return None
    if real.suffix.lower() in SOURCE_SUFFIXES or real.name.startswith("."):
        return None
    return real


def media_type(path: Path) -> str:
    """Return the media type to send for `path`."""
    suffix = path.suffix.lower()
    return TYPES.get(suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


@bp.get("/media/<path:path>")
def media(path: str) -> Response:
    """A media file of the exhibition, with Range, caching and a sandboxing CSP."""
    found = resolve(current_site().root, path)
    if found is None:
        abort(404)
    kind = media_type(found)
    response = send_file(
        os.fspath(found),
        mimetype=kind,
        conditional=True,
        etag=True,
        max_age=current_app.config["MEDIA_MAX_AGE"],
        as_attachment=kind in ACTIVE_TYPES,
        download_name=found.name,
    )
    response.cache_control.public = True
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Organisers' SVG or HTML may show but never run script, even opened directly.
    from ..security import MEDIA_CSP

    response.headers["Content-Security-Policy"] = MEDIA_CSP
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
