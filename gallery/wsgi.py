"""The WSGI entry point for servers that load the app themselves (gunicorn).

    gunicorn --worker-class gallery.worker.Worker --workers 1 --bind 127.0.0.1:8001 \
        gallery.wsgi:application

The app is configured from GALLERY_* variables only (GALLERY_ROOMS, GALLERY_DATA_DIR,
GALLERY_DATABASE_URL, ...; see gallery/config.py) and started as `gallery serve --no-reload`
starts it: database migrated, the host's decisions restored, attendance sampled.
Nothing is read or started on import: `application` is made on first access, in the worker
process, after gevent has patched it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

_made: Flask | None = None


def create(settings: Mapping[str, Any] | None = None) -> Flask:
    """Return a started production app (`settings` over the GALLERY_* variables)."""
    from .app import create_app
    from .serve import quiet_logging, start

    quiet_logging()
    app = create_app(settings)
    start(app)
    return app


def __getattr__(name: str) -> Any:
    """Make `application` on first access, once per process."""
    global _made
    if name != "application":
        raise AttributeError(name)
    if _made is None:
        _made = create()
    return _made
