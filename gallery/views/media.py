"""Media files the exhibition references, with Range support, never as script.

A URL that carries the file's current version (`?v=`, see `content.urllayout.media_url`)
may be kept by browsers for a year: a replaced file gets a new URL. Text media (captions,
SVG) go out compressed when the client accepts it; images and video are compressed already.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, request, send_file

from ..compression import FileForms, compressible, recode_file, requested_coding
from ..content.mediatypes import media_type
from ..content.paths import file_version
from ..content.referenced import servable
from ..content.urllayout import MEDIA_VERSION
from ..site import current_site

bp = Blueprint("media", __name__)

YEAR = 31536000

# Types a browser would run as a document if opened directly: offer them as downloads.
ACTIVE_TYPES = frozenset(
    {"text/html", "application/xhtml+xml", "application/xml", "text/xml", "text/javascript"}
)


def resolve(root: Path, path: str, referenced: frozenset[str]) -> Path | None:
    """Return the file `path` names inside `root`, or None if it is not a servable media file."""
    # Only what the room files name: never an editor's backup or any other file lying there.
    if path not in referenced or not servable(path):
        return None
    if "\\" in path or "\x00" in path or path.startswith("/"):
        return None
    parts = path.split("/")
    for part in parts:
        # No parent steps, no hidden files, no empty or drive-like segments.
        if part in ("", ".", "..") or part.startswith(".") or ":" in part:
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
    if not servable(real.name):
        return None
    return real


@bp.get("/media/<path:path>")
def media(path: str) -> Response:
    """A media file of the exhibition, with Range, caching and a sandboxing CSP."""
    site = current_site()
    found = resolve(site.root, path, site.exhibition.media)
    if found is None:
        abort(404)
    kind = media_type(found)
    version = file_version(found)
    asked = request.args.get(MEDIA_VERSION)
    # Only the file's own version is kept for good: an old URL must not pin the new file.
    lasting = asked is not None and asked == version
    max_age = YEAR if lasting else current_app.config["MEDIA_MAX_AGE"]
    coding = requested_coding() if compressible(kind) and "Range" not in request.headers else None
    body = _forms().get(found, coding) if coding and version else None
    response = send_file(
        os.fspath(found),
        mimetype=kind,
        conditional=body is None,
        etag=body is None,
        max_age=max_age,
        as_attachment=kind in ACTIVE_TYPES,
        download_name=found.name,
    )
    if body is not None and coding and version:
        recode_file(response, body, version, coding).make_conditional(request)
    elif compressible(kind):
        response.vary.add("Accept-Encoding")
    response.cache_control.public = True
    if lasting:
        response.cache_control.immutable = True
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Organisers' SVG or HTML may show but never run script, even opened directly.
    from ..security import MEDIA_CSP

    response.headers["Content-Security-Policy"] = MEDIA_CSP
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def _forms() -> FileForms:
    """Return the app's compressed forms of text media, made once per file version."""
    return current_app.extensions.setdefault("gallery.media-forms", FileForms())
