"""The gunicorn worker for the gallery: gevent, with WebSockets, one per process.

It is gevent-websocket's worker (what Flask-SocketIO documents for gunicorn) with the
request handler and the server `gallery serve` uses: no access log, so no visitor address
is written; a WebSocket opened by another site's page refused before the upgrade; and an
open WebSocket read by the event loop, with no greenlet of its own (`gallery.handover`),
so it holds no slot of `worker_connections` either. (gunicorn sets TCP_NODELAY on its
listeners itself.)
"""

from __future__ import annotations

from geventwebsocket.gunicorn.workers import GeventWebSocketWorker
from gunicorn.workers.ggevent import PyWSGIServer

from .serve import keeping_server_class


class Worker(GeventWebSocketWorker):
    """gevent-websocket's gunicorn worker, with the gallery's handler and server."""

    # Leaves open the connections the event loop reads from then on (`gallery.handover`).
    server_class = keeping_server_class(PyWSGIServer)

    def load_wsgi(self) -> None:
        """Load the app, then give the handler the app's origin check."""
        from .serve import websocket_handler

        super().load_wsgi()
        self.wsgi_handler = websocket_handler(self.wsgi.extensions["gallery.origins"])
