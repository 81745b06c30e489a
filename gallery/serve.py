"""Running the gallery on gevent for real traffic."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import NoReturn

log = logging.getLogger("gallery")

# Bytes each connection's socket reader buffers (see `make_server`).
READ_BUFFER = 1024


def run(
    root: Path,
    host: str,
    port: int,
    reload: bool,
    data: str | None = None,
    clock: str | None = None,
    redis: str | None = None,
) -> None:
    """Serve the exhibition in `root` until interrupted, recording into the data folder `data`,
    at `clock`'s moment when given (a rehearsal), sharing presence with the other servers on
    the Redis at `redis` when given."""
    from .app import create_app

    quiet_logging()
    settings = {"ROOMS": str(root), "RELOAD": reload, "CLOCK": clock}
    if data:
        settings["DATA_DIR"] = data
    if redis:
        settings["REDIS_URL"] = redis
    app = create_app(settings)
    start(app)
    log.info("Serving %s on http://%s:%d/", root, host, port)
    server = make_server(app, host, port)
    if app.extensions.get("gallery.redis") is not None:
        import signal

        import gevent

        # Stopped by its service manager: say goodbye for its visitors, not wait for a reaper.
        gevent.signal_handler(signal.SIGTERM, server.stop)
    try:
        server.serve_forever()
    finally:
        stop(app)


def quiet_logging() -> None:
    """Log the gallery's own news and the migrations applied, not every library's chatter."""
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    for name in ("gallery", "alembic.runtime.migration"):
        logging.getLogger(name).setLevel(logging.INFO)


def start(app) -> None:
    """Make `app` ready for visitors: migrate its database, restore the host's decisions and
    start its background work (the room-file watcher when previewing, attendance sampling,
    the heartbeat in Redis when presence is shared).

    `gallery serve` and the WSGI entry point for gunicorn (gallery/wsgi.py) both call it.
    """
    from . import background
    from .collector import settle
    from .extensions import socketio
    from .records import display_url, records_of
    from .site import current_site

    # Migrate before listening: a database that cannot be opened stops the start-up here.
    records = records_of(app)
    upgrade_apart(records)
    # The host's decisions outlive the process: an ended session stays ended after a restart.
    app.extensions["gallery.stage"].restore(records.session_states())
    log.info("Recording to %s", display_url(app.config["DATABASE_URL"]))
    with app.app_context():
        site = current_site()
    for diagnostic in site.diagnostics:
        log.warning("%s", diagnostic)
    if app.config["RELOAD"]:
        preview = app.extensions["gallery.preview"]
        socketio.start_background_task(
            background.watch, site, preview, app.config["RELOAD_INTERVAL"]
        )
        log.info(
            "Preview: open pages follow the room files and show their errors; "
            "serve visitors with --no-reload."
        )
    elif float(app.config["WATCH_INTERVAL"]) > 0:
        socketio.start_background_task(background.follow, site, float(app.config["WATCH_INTERVAL"]))
    if app.config["PAGES_DIR"]:
        socketio.start_background_task(background.keep_pages, app, Path(app.config["PAGES_DIR"]))
        log.info("Pages as files in %s", Path(app.config["PAGES_DIR"]) / "current")
    if float(app.config["ATTENDANCE_INTERVAL"]) > 0:
        socketio.start_background_task(background.sample, app)
    if app.config["CLOCK"]:
        log.info("Rehearsal: the clock starts at %s", app.config["CLOCK"])
    if app.extensions["gallery.direct_writes"]:
        log.info("Direct WebSocket writes: on")
    else:
        log.warning("Direct WebSocket writes: off; frames go through Engine.IO's queues")
    shared = app.extensions.get("gallery.redis")
    if shared is not None:
        log.info("Presence and events shared on Redis, as server %s", shared.server)
        socketio.start_background_task(background.heartbeat, app, shared)
    # Last: what start-up made stays for good, and no full collection should walk it again.
    settle()


def upgrade_apart(records) -> None:
    """Bring the database up to date in a forked child, and raise its refusal here.

    The server itself then only checks the schema's revision: Alembic, Mako and SQLAlchemy's
    ORM (about 9 MB) are loaded by the child alone, not kept for the server's whole life.
    Ctrl-C is the server's, as for the build's workers: held back while forking, raised once
    the child is known; the child, ignoring it, is then killed and waited for.
    """
    import os
    import signal

    from gevent import monkey

    from .content.workers import interrupts_held
    from .records import StorageUnavailable

    if not hasattr(os, "fork"):
        records.upgrade()
        return
    # The plain calls, not gevent's: the child runs no greenlet, and gevent would wait for
    # its exit, and close a descriptor, through its event loop, which does not run yet.
    fork, waitpid, close = monkey.get_original("os", ["fork", "waitpid", "close"])
    read, write = os.pipe()
    pid = 0
    with open(read, "rb") as pipe:
        try:
            with interrupts_held():
                pid = fork()
                if pid == 0:
                    _upgrade_in_child(records, write, read, close)
                close(write)  # the child's alone now: the read below ends as the child does
                write = -1
            refusal = pipe.read().decode("utf-8", "replace")
            _, status = waitpid(pid, 0)
        except BaseException:
            if write >= 0:
                close(write)
            if pid:
                # Waited for even through another Ctrl-C: it comes once the child is gone.
                with interrupts_held(), suppress(OSError):  # perhaps waited for already
                    os.kill(pid, signal.SIGKILL)
                    waitpid(pid, 0)
            raise
    if os.waitstatus_to_exitcode(status) != 0:
        raise StorageUnavailable(refusal or "the database could not be brought up to date")


def _upgrade_in_child(records, write: int, read: int, close: Callable[[int], None]) -> NoReturn:
    """Migrate in the forked child, write to `write` why it could not, and leave at once."""
    import os

    from .content.workers import leave_interrupts_to_parent

    code = 1
    try:
        leave_interrupts_to_parent()
        close(read)
        records.upgrade()
        code = 0
    except BaseException as error:
        with suppress(OSError):
            os.write(write, str(error).encode("utf-8", "replace")[:8192])
    finally:
        os._exit(code)


def stop(app) -> None:
    """Take this server's visitors out of presence on a clean stop, when they are shared on
    Redis (`gallery serve` on SIGTERM; gunicorn's worker_exit hook, deploy/gunicorn.conf.py)."""
    from .background import leave_all

    shared = app.extensions.get("gallery.redis")
    if shared is not None:
        leave_all(shared)


def make_server(app, host: str, port: int):
    """Return the gevent WSGI server `gallery serve` runs: websockets, no access log."""
    import socket

    from gevent import pywsgi

    listener = socket.create_server((host, port), backlog=2048, reuse_port=False)
    # Accepted sockets inherit TCP_NODELAY: without it, each keep-alive response
    # waits ~40 ms for the client's delayed ACK (Nagle's algorithm).
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    handler = websocket_handler(app.extensions["gallery.origins"])
    return keeping_server_class(pywsgi.WSGIServer)(listener, app, handler_class=handler, log=None)


def keeping_server_class(base: type) -> type:
    """Return a subclass of gevent's WSGI server `base` that leaves open the connections
    whose WebSocket session took them over (`websocket_handler`)."""

    class KeepingServer(base):  # type: ignore[misc, valid-type]
        """A gevent WSGI server that closes a connection after its handler, unless let go."""

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            # ids of the sockets let go, each taken out right after its handler returns
            self.kept: set[int] = set()

        def do_close(self, sock, *args) -> None:
            """Close `sock` once its handler is done, unless its session owns it now."""
            if id(sock) in self.kept:
                self.kept.discard(id(sock))
                return
            super().do_close(sock, *args)

    return KeepingServer


def websocket_handler(origins):
    """Return the request handler class of gevent-websocket that the gallery's servers use
    (`gallery serve`, and gunicorn's worker): small read buffers, no access log, and a
    WebSocket from another site's page refused before the upgrade."""
    import gevent
    from geventwebsocket.handler import WebSocketHandler

    # Greenlets need not remember who spawned them: that is a copy of the spawner's stack
    # frames kept for every live greenlet, and nothing in the gallery reads it. Set here so
    # that both servers, `gallery serve` and the gunicorn worker, leave it off.
    gevent.config.track_greenlet_tree = False

    class Handler(WebSocketHandler):
        """A websocket-capable handler that logs no request, so no visitor address."""

        def __init__(self, sock, address, server) -> None:
            # A connection keeps its reader's buffer as long as it lives: small, since
            # request headers and a visitor's WebSocket messages are small (gevent's 8 KiB
            # default was a tenth of what an idle visitor cost).
            super().__init__(sock, address, server, rfile=sock.makefile("rb", READ_BUFFER))

        def log_request(self) -> None:
            pass

        # The session may let go of the connection (gallery/lean.py `hand_over`): the
        # event loop reads it from then on, and this handler's greenlet ends.
        let_go = False

        @property
        def lets_go(self) -> bool:
            """Tell whether the server leaves open a connection its handler let go of."""
            return isinstance(getattr(self.server, "kept", None), set)

        def run_websocket(self) -> None:
            """Run the WebSocket session, without the request's parsed headers; leave the
            connection open if the session took it over."""
            # The environ holds every header; the parsed copy (a kilobyte of email.message
            # objects) would be kept for the connection's life. The class's empty default
            # answers any later look.
            self.__dict__.pop("headers", None)
            # Unlike gevent-websocket's, no entry in `server.clients`: nothing reads it.
            try:
                list(self.application(self.environ, lambda s, h, e=None: []))
            finally:
                websocket, self.websocket = self.websocket, None
                if self.let_go:
                    # Closed neither by `handle` nor by the server: the session owns it now.
                    self.server.kept.add(id(self.socket))
                    self.socket = None
                else:
                    if not websocket.closed:
                        websocket.close()
                    self.environ.update({"wsgi.websocket": None})

        def upgrade_websocket(self):
            """Refuse a WebSocket opened by a page of another site, before upgrading it."""
            # gevent-websocket upgrades before the app runs: Engine.IO's own origin check
            # could then only close the socket, after a "101 Switching Protocols".
            environ = self.environ
            origin = environ.get("HTTP_ORIGIN")
            upgrade = environ.get("HTTP_UPGRADE", "").lower() == "websocket"
            if upgrade and origin and not origins(origin, environ):
                self.start_response("400 Bad Request", [("Content-Type", "text/plain")])
                return [b"Not an accepted origin."]
            return super().upgrade_websocket()

    return Handler
