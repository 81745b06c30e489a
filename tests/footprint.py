"""What idle connections hold inside a real server: `gallery serve`'s server, in-process.

    python -m tests.footprint ROOMS_DIR DATA_DIR --visitors 50

Runs under gevent in a process of its own: the server `gallery serve` runs (its app and
its WSGI server) in a greenlet, and `visitors` WebSocket clients in the same process, each
entering a room, then reading (and answering pings) in a greenlet of its own. Pings are
made frequent, so that the run sees several. Prints one JSON line: the server's greenlets
with no visitor, with every visitor idle (once each answered three pings), and once more
after a burst of events (once each had its ack), the fewest pings a client answered, how
many clients the server closed, and whether what was awaited came.
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import struct  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402

import gevent  # noqa: E402
import greenlet  # noqa: E402

from .wsclient import RawClient  # noqa: E402

PING_INTERVAL = 0.3


def server_greenlets(own: set[int]) -> int:
    """Return how many live greenlets the process holds that are not in `own`."""
    return sum(
        1
        for g in gc.get_objects()
        if isinstance(g, greenlet.greenlet) and not g.dead and id(g) not in own
    )


def wait_for(done: Callable[[], bool], timeout: float = 60) -> bool:
    """Wait until `done()` holds, looking every few milliseconds; tell whether it came."""
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            return False
        gevent.sleep(0.01)
    return True


def fewest_greenlets(own: set[int], seconds: float = 1.0) -> int:
    """Return the fewest server greenlets seen over `seconds` (a writer may be mid-write)."""
    fewest = server_greenlets(own)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        gevent.sleep(0.05)
        fewest = min(fewest, server_greenlets(own))
    return fewest


def main() -> None:
    """Start the server, connect the visitors, and print what the server holds."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rooms")
    parser.add_argument("data")
    parser.add_argument("--visitors", type=int, default=50)
    args = parser.parse_args()

    from gallery.app import create_app
    from gallery.extensions import socketio
    from gallery.records import records_of
    from gallery.serve import make_server

    app = create_app({"ROOMS": args.rooms, "RELOAD": False, "DATA_DIR": args.data})
    records_of(app).upgrade()
    eio = socketio.server.eio
    eio.ping_interval, eio.ping_timeout = PING_INTERVAL, 5
    server = make_server(app, "127.0.0.1", 0)
    server.start()
    port = server.server_port
    own = {id(greenlet.getcurrent())}
    gevent.sleep(0.2)
    before = server_greenlets(own)

    clients = [RawClient(port) for _ in range(args.visitors)]
    pings = [0] * len(clients)
    acks = [0] * len(clients)
    closed = [False] * len(clients)
    for client in clients:
        assert client.ack(client.emit("enter", {"room": "lab"}))["ok"] is True

    def read(number: int, client: RawClient) -> None:
        """Read frames until the server closes, answering and counting pings."""
        client.sock.settimeout(None)
        try:
            while True:
                first, second = client._exactly(2)
                size = second & 0x7F
                if size == 126:
                    (size,) = struct.unpack("!H", client._exactly(2))
                elif size == 127:
                    (size,) = struct.unpack("!Q", client._exactly(8))
                payload = client._exactly(size)
                if first & 0x0F == 0x08:
                    break
                if payload == b"2":
                    pings[number] += 1
                    client.send("3")
                elif payload.startswith(b"43"):
                    acks[number] += 1
        except OSError:  # ConnectionError included
            pass
        closed[number] = True

    readers = [gevent.spawn(read, n, client) for n, client in enumerate(clients)]
    own.update(id(r) for r in readers)
    waited = wait_for(lambda: min(pings) >= 3)  # several pings each, each answered
    idle = fewest_greenlets(own)
    # A burst: every visitor moves, so that every socket has an ack and presence to write.
    for number, client in enumerate(clients):
        client.emit("enter", {"room": "lab", "exhibit": ("lanterns", "maps")[number % 2]})
    waited = wait_for(lambda: min(acks) >= 1) and waited
    after = fewest_greenlets(own)
    print(
        json.dumps(
            {
                "visitors": len(clients),
                "greenlets_before": before,
                "greenlets_idle": idle,
                "greenlets_after_burst": after,
                "fewest_pings": min(pings),
                "closed": sum(closed),
                "waited": waited,
            }
        ),
        flush=True,
    )
    for client in clients:
        client.close()
    server.stop(timeout=1)


if __name__ == "__main__":
    main()
