"""The gunicorn worker for the gallery: gevent, with WebSockets, one per process.

It is gevent-websocket's worker (what Flask-SocketIO documents for gunicorn) with the
request handler `gallery serve` uses: no access log, so no visitor address is written,
and a WebSocket opened by another site's page refused before the upgrade. (gunicorn sets
TCP_NODELAY on its listeners itself.)
"""

from __future__ import annotations

from geventwebsocket.gunicorn.workers import GeventWebSocketWorker


class Worker(GeventWebSocketWorker):
    """gevent-websocket's gunicorn worker, with the gallery's handler."""

    def load_wsgi(self) -> None:
        """Load the app, then give the handler the app's origin check."""
        from .serve import websocket_handler

        super().load_wsgi()
        self.wsgi_handler = websocket_handler(self.wsgi.extensions["gallery.origins"])
