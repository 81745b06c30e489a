"""The static files of the interface (styles, scripts, icons), compressed once per version."""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path

from flask import Flask, Response, current_app, request, send_from_directory
from werkzeug.security import safe_join

from ..compression import FileForms, compress_response, compressible, recode_file, requested_coding
from ..content.paths import file_version


def static_file(filename: str) -> Response:
    """A static file: in Brotli or gzip when it is text and the client accepts that."""
    app = current_app
    folder = app.static_folder or ""
    mimetype = mimetypes.guess_type(filename)[0]
    coding = requested_coding() if compressible(mimetype) else None
    path = safe_join(folder, filename) if coding else None
    version = file_version(Path(path)) if path and os.path.isfile(path) else None
    forms: FileForms = app.extensions["gallery.static-forms"]
    body = forms.get(Path(path), coding) if path and coding and version else None
    if body is None or coding is None or version is None:
        response = app.send_static_file(filename)
        if compressible(response.mimetype):
            response.vary.add("Accept-Encoding")
        return response
    response = send_from_directory(
        folder, filename, conditional=False, etag=False, max_age=app.get_send_file_max_age(path)
    )
    return recode_file(response, body, version, coding).make_conditional(request)


def init_app(app: Flask) -> None:
    """Serve static files through `static_file`, and compress other text answers on the fly."""
    app.extensions["gallery.static-forms"] = FileForms()
    app.view_functions["static"] = static_file
    app.after_request(compress_response)
