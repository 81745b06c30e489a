"""The work a serving process does beside answering visitors: heartbeats in Redis, reloads
of the room files, attendance samples and the pages kept as files.

Each runs in a greenlet of its own, started by `serve.start`, for the process's life.
"""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger("gallery")


def heartbeat(app, shared) -> None:
    """Say this server is alive in Redis, reap the servers that stopped saying it, and
    enter this server's visitors again whenever Redis lost them (gallery/presence/redisstore)."""
    from .extensions import socketio
    from .presence import StoreUnavailable

    interval = float(app.config["HEARTBEAT_INTERVAL"])
    timeout = float(app.config["HEARTBEAT_TIMEOUT"])
    stage = app.extensions["gallery.stage"]
    while True:
        try:
            for server in shared.beat(timeout):
                log.warning("Server %s fell silent: its visitors left presence", server)
            # Catches up with decisions whose events were missed while Redis was away.
            stage.refresh()
        except StoreUnavailable:
            pass  # said once by the store; tried again at the next beat
        except Exception:
            log.exception("heartbeat failed")
        socketio.sleep(interval)


def leave_all(shared) -> None:
    """Take this server's visitors out of presence on a clean stop, if Redis answers."""
    import contextlib

    from .presence import StoreUnavailable

    # Redis away: the others reap them once the heartbeats stop.
    with contextlib.suppress(StoreUnavailable):
        shared.stop()


def sample(app) -> None:
    """Sample presence into attendance counts while the server runs (gallery/attendance)."""
    from .attendance import Sampler
    from .extensions import socketio
    from .presence import StoreUnavailable
    from .records import records_of
    from .records.attendance import record_sample

    interval = float(app.config["ATTENDANCE_INTERVAL"])
    records = records_of(app)
    clock = app.extensions["gallery.clock"]

    def write(*counts) -> None:
        # A database write can wait on the disk: in a thread, so visitors are answered.
        off_the_loop(lambda: record_sample(records.engine, *counts))

    sampler = Sampler(
        app.extensions["gallery.presence"].store, write, app.config["ATTENDANCE_FLUSH"]
    )
    # Servers sharing presence share the database too: one of them samples for all.
    shared = app.extensions.get("gallery.redis")
    while True:
        socketio.sleep(interval)
        try:
            if shared is not None and not shared.lead("attendance", 3 * interval):
                continue
            sampler.look(clock.now())
        except StoreUnavailable:
            pass  # Redis is away (said once in the log): no sample until it is back
        except Exception:
            # Attendance is a report's data: losing a sample must not stop the server.
            log.exception("sampling attendance failed")


def off_the_loop(work):
    """Run `work` in a thread of gevent's pool, so visitors are answered while it runs.

    Loading a large exhibition takes seconds of CPU; on the event loop it would stall
    every request meanwhile. Only this greenlet waits; the swap stays on the loop.
    """
    from gevent import get_hub

    return get_hub().threadpool.spawn(work).get()


def watch(site, preview, interval: float) -> None:
    """Reload the room files whenever they change, keeping the last good version, and tell
    the open preview pages."""
    from .extensions import socketio

    while True:
        socketio.sleep(interval)
        diagnostics = site.reload_if_changed(off_the_loop)
        if diagnostics is None:
            continue
        preview.announce()
        report_reload(site, diagnostics)


def follow(site, interval: float) -> None:
    """Reload the room files whenever they change, on a server visitors use: no preview."""
    from .extensions import socketio

    while True:
        socketio.sleep(interval)
        diagnostics = site.reload_if_changed(off_the_loop)
        if diagnostics is not None:
            report_reload(site, diagnostics)


def report_reload(site, diagnostics) -> None:
    """Log a reload's diagnostics, and which version of the rooms is served."""
    errors = [d for d in diagnostics if d.severity == "error"]
    for diagnostic in diagnostics:
        log.warning("%s", diagnostic)
    if not errors:
        log.info("Room files reloaded.")
    elif site.kept:
        kept = ", ".join(site.kept)
        log.error("Room files hold errors; these rooms keep their last good version: %s.", kept)
    else:
        log.error("Room files hold errors; still serving the previous version.")


def keep_pages(app, out: Path) -> None:
    """Keep the pages as files in `out` in step with the room files and the programme."""
    from .archive.live import Keeper
    from .extensions import socketio

    # Between two files, visitors' requests and socket events are answered.
    keeper = Keeper(app, out, pause=lambda: socketio.sleep(0))
    interval = float(app.config["PAGES_INTERVAL"])
    while True:
        try:
            result = keeper.step()
        except Exception:
            # The previous version stays current; the next look tries again.
            log.exception("publishing the pages as files failed")
        else:
            if result is not None:
                log.info(
                    "Pages as files published: %d pages, %d files written, %d unchanged.",
                    len(result.pages),
                    result.files,
                    result.reused,
                )
        socketio.sleep(interval)
