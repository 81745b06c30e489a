"""Running the gallery on gevent for real traffic."""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger("gallery")


def run(root: Path, host: str, port: int, reload: bool) -> None:
    """Serve the exhibition in `root` until interrupted."""
    from .app import create_app
    from .extensions import socketio
    from .site import current_site

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    app = create_app({"ROOMS": str(root), "RELOAD": reload})
    with app.app_context():
        site = current_site()
    for diagnostic in site.diagnostics:
        log.warning("%s", diagnostic)
    if reload:
        socketio.start_background_task(_watch, site, app.config["RELOAD_INTERVAL"])
    log.info("Serving %s on http://%s:%d/", root, host, port)
    _server(app, host, port).serve_forever()


def _server(app, host: str, port: int):
    """Return a gevent WSGI server with websockets that keeps no access log."""
    from gevent import pywsgi
    from geventwebsocket.handler import WebSocketHandler

    class Handler(WebSocketHandler):
        """A websocket-capable handler that logs no request, so no visitor address."""

        def log_request(self) -> None:
            pass

    return pywsgi.WSGIServer((host, port), app, handler_class=Handler, log=None)


def _watch(site, interval: float) -> None:
    """Reload the room files whenever they change, keeping the last good version."""
    from .extensions import socketio

    while True:
        socketio.sleep(interval)
        diagnostics = site.reload_if_changed()
        if diagnostics is None:
            continue
        errors = [d for d in diagnostics if d.severity == "error"]
        for diagnostic in diagnostics:
            log.warning("%s", diagnostic)
        if errors:
            log.error("Room files hold errors; still serving the previous version.")
        else:
            log.info("Room files reloaded.")
