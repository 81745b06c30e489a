"""The application factory."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import data_dir, database_url, load_config
from .extensions import socketio
from .resources import default_rooms, resource


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build a gallery app serving the exhibition named by the configuration."""
    app = Flask(
        "gallery",
        template_folder=str(resource("templates")),
        static_folder=str(resource("static")),
        static_url_path="/static",
    )
    settings = load_config(config)
    if not settings.get("SECRET_KEY"):
        # Visitors have no accounts; the key signs CSRF tokens and hosts' session cookies.
        settings["SECRET_KEY"] = os.urandom(32).hex()
    app.config.update(settings)
    app.config["ROOMS"] = str(Path(settings["ROOMS"] or default_rooms()).resolve())
    app.config["DATA_DIR"] = str(data_dir(settings))
    app.config["DATABASE_URL"] = database_url(app.config)

    from .clock import make_clock
    from .site import Site
    from .stage import StageState

    app.extensions["gallery.clock"] = make_clock(app.config["CLOCK"])
    app.extensions["gallery.site"] = Site(Path(app.config["ROOMS"]), app.config["LOAD_WORKERS"])
    app.extensions["gallery.stage"] = StageState()

    from .records import EXTENSION, SqlRecords

    # No I/O here: the store opens and migrates the database on first use.
    # On the app's clock: a rehearsal records its questions and chat at the rehearsed time.
    app.extensions[EXTENSION] = SqlRecords(
        app.config["DATABASE_URL"], clock=app.extensions["gallery.clock"].now
    )

    from . import hosts, pagecache, security, templating
    from .views import api, assets, console, host, live, media, pages, qa, stage

    hosts.init_app(app)
    templating.init_app(app)
    assets.init_app(app)
    pagecache.init_app(app)
    security.init_app(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(host.bp)
    app.register_blueprint(console.bp)
    app.register_blueprint(live.bp)
    app.register_blueprint(media.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(qa.bp)
    stage.init_app(app)

    from . import sockets, transport

    origins = app.extensions["gallery.origins"] = transport.origin_check(
        app.config["ALLOWED_ORIGINS"]
    )
    socketio.init_app(
        app,
        async_mode=_async_mode(),
        cors_allowed_origins=origins,
        # Always given: the unbound extension keeps the options of the last app it served.
        client_manager=_message_queue(app.config["REDIS_URL"]),
    )
    transport.harden(socketio.server)
    # Around Socket.IO's middleware, inside the front cache (whose pages have them already).
    app.wsgi_app = security.BaseHeaders(app.wsgi_app)
    sockets.init_app(app)
    if app.config["FRONT_CACHE"]:
        from . import frontcache

        # Outermost, so a cached page skips Socket.IO's middleware too.
        frontcache.install(app)
    if app.config["TRUSTED_PROXIES"]:
        # Outside everything, so the cache, the cookies and the sockets see the client's
        # address and scheme (`request.is_secure` decides the host cookie's Secure flag).
        count = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    return app


def _message_queue(url: str | None) -> Any:
    """Return the Socket.IO message queue on Redis at `url` (None: this process alone)."""
    if not url:
        return None
    from .presence.queue import GalleryQueue

    # The listener reconnects by itself; only connecting is bounded, so that a Redis gone
    # away is noticed at once while an idle subscription is never taken for a dead one.
    return GalleryQueue(url, channel="gallery", redis_options={"socket_connect_timeout": 1.0})


def _async_mode() -> str:
    """Use gevent when it has patched the process, threads otherwise (tests)."""
    try:
        from gevent import monkey

        if monkey.is_module_patched("socket"):
            return "gevent"
    except ImportError:  # pragma: no cover - gevent is a dependency
        pass
    return "threading"
