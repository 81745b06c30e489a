"""Engine.IO-level hardening against a real server: refused requests, origins, the fast path."""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from gallery.transport import origin_check

from .conftest import BASIC
from .servers import GalleryServer
from .wsclient import RawClient

# Over the 64 KiB a single long-polling request may carry.
OVERSIZED = b"4" + b"x" * (64 * 1024 + 1)


# Another site whose pages the gallery trusts with live connections.
PARTNER = "https://partner.example"


@pytest.fixture
def server() -> Iterator[GalleryServer]:
    """A real server on the small fixture exhibition, trusting one other origin."""
    server = GalleryServer(BASIC, env={"GALLERY_ALLOWED_ORIGINS": f"{PARTNER}, https://x.test"})
    server.start()
    yield server
    server.kill()


def polling_session(url: str) -> str:
    """Open a long-polling Engine.IO session and return its id."""
    with urllib.request.urlopen(url + "/socket.io/?EIO=4&transport=polling", timeout=5) as r:
        opened = r.read().decode()
    assert opened.startswith("0")
    return json.loads(opened[1:])["sid"]


def post(port: int, sid: str, body: bytes, timeout: float = 5) -> bytes:
    """POST `body` to long-polling session `sid` on a fresh connection; return the status line."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
        conn.sendall(
            (
                f"POST /socket.io/?EIO=4&transport=polling&sid={sid} HTTP/1.1\r\n"
                f"Host: 127.0.0.1:{port}\r\nContent-Type: text/plain;charset=UTF-8\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode()
            + body
        )
        try:
            head = conn.recv(4096)
        except TimeoutError:
            pytest.fail(f"no answer within {timeout} s to a POST of {body[:8]!r}")
    return head.split(b"\r\n", 1)[0]


def poll_status(url: str, sid: str) -> int:
    """Return the HTTP status of a long-polling GET for session `sid`."""
    try:
        with urllib.request.urlopen(
            f"{url}/socket.io/?EIO=4&transport=polling&sid={sid}", timeout=5
        ) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.parametrize("body", [b"9", b"6", OVERSIZED], ids=["unknown", "noop", "oversized"])
def test_refused_polling_posts_are_answered_and_free_their_connection(
    server: GalleryServer, body: bytes
) -> None:
    """Invalid or oversized long-polling bodies get a 400, end the session, hold no descriptor."""
    visitor = RawClient(server.port)
    try:
        assert visitor.ack(visitor.emit("enter", {"room": "lab"}))["ok"] is True
        post(server.port, polling_session(server.url), b"3")  # warm up the request path
        before = server.open_fds()
        for _ in range(40):
            sid = polling_session(server.url)
            assert post(server.port, sid, body) == b"HTTP/1.1 400 BAD REQUEST"
            assert poll_status(server.url, sid) == 400  # the session is gone
        # The server closes its side once it sees ours closed; give it the time to look.
        deadline = time.monotonic() + 10
        while server.open_fds() > before + 2:
            assert time.monotonic() < deadline, f"{server.open_fds()} fds open, {before} before"
            time.sleep(0.05)
        # Other visitors were served all along.
        assert visitor.ack(visitor.emit("chat", {"text": "still here"}))["ok"] is True
    finally:
        visitor.close()


def handshake(port: int, origin: str | None, transport: str = "websocket") -> bytes:
    """Open an Engine.IO session from a page of `origin`; return the response's status code."""
    headers = f"Host: 127.0.0.1:{port}\r\n"
    if origin is not None:
        headers += f"Origin: {origin}\r\n"
    if transport == "websocket":
        headers += (
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        )
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(
            f"GET /socket.io/?EIO=4&transport={transport} HTTP/1.1\r\n{headers}\r\n".encode()
        )
        return conn.recv(4096).split(b"\r\n", 1)[0].split(b" ")[1]


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_only_the_gallery_and_configured_origins_open_live_connections(
    server: GalleryServer, transport: str
) -> None:
    """A page of another site cannot connect; the gallery's own pages and trusted ones can."""
    accepted, refused = (b"101" if transport == "websocket" else b"200"), b"400"
    assert handshake(server.port, "https://evil.example", transport) == refused
    assert handshake(server.port, "http://127.0.0.1:1", transport) == refused
    assert handshake(server.port, "null", transport) == refused
    assert handshake(server.port, server.url, transport) == accepted
    assert handshake(server.port, f"https://127.0.0.1:{server.port}", transport) == accepted
    assert handshake(server.port, PARTNER, transport) == accepted
    assert handshake(server.port, "https://x.test", transport) == accepted
    assert handshake(server.port, None, transport) == accepted  # programs send no Origin


@pytest.mark.parametrize(
    ("origin", "host", "allowed"),
    [
        ("http://gallery.example", "gallery.example", True),
        ("https://gallery.example", "gallery.example", True),
        ("HTTPS://Gallery.Example", "gallery.example", True),
        ("https://gallery.example:8443", "gallery.example:8443", True),
        ("https://gallery.example", "gallery.example:8443", False),
        ("https://evil.example", "gallery.example", False),
        ("https://gallery.example.evil.example", "gallery.example", False),
        ("ftp://gallery.example", "gallery.example", False),
        ("null", "gallery.example", False),
        ("https://partner.example", "gallery.example", True),
        ("https://partner.example/", "gallery.example", True),
        ("http://partner.example", "gallery.example", False),
        ("https://other.example", "gallery.example", True),
    ],
)
def test_origin_check(origin: str, host: str, allowed: bool) -> None:
    """The request's own host over http or https, or a configured origin, nothing else."""
    check = origin_check(" https://partner.example , HTTPS://other.example/,")
    assert check(origin, {"HTTP_HOST": host}) is allowed


def test_gallery_serve_writes_websocket_frames_directly(tmp_path) -> None:
    """`gallery serve` says at start-up that direct writes are on, and they stay on."""
    server = GalleryServer(BASIC, log=tmp_path / "server.log")
    server.start()
    clients = []
    try:
        clients = [RawClient(server.port), RawClient(server.port)]
        listener, talker = clients
        assert listener.ack(listener.emit("enter", {"room": "lab"}))["ok"] is True
        assert talker.ack(talker.emit("enter", {"room": "lab"}))["ok"] is True
        assert talker.ack(talker.emit("chat", {"text": "hello"}))["ok"] is True
        listener.event(lambda name, data: name == "chat", timeout=5)
    finally:
        for client in clients:
            client.close()
        server.kill()
    output = (tmp_path / "server.log").read_text()
    assert output.count("Direct WebSocket writes: on") == 1, output
    assert "direct WebSocket writes are off" not in output, output


def test_a_fragmented_message_and_a_ping_between_are_answered(server: GalleryServer) -> None:
    """An event in two fragments, in small pieces, with a WebSocket ping between: ack and pong."""
    from .test_wsreader import frame

    visitor = RawClient(server.port)
    try:
        visitor.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        data = (
            frame(b'421["enter",', fin=False)
            + frame(b"are you there", 0x9)
            + frame(b'{"room":"lab"}]', 0x0)
        )
        for i in range(0, len(data), 5):
            visitor.sock.sendall(data[i : i + 5])
            time.sleep(0.005)
        first, second = visitor._exactly(2)
        assert (first, visitor._exactly(second & 0x7F)) == (0x8A, b"are you there")  # the pong
        assert visitor.ack(1)["ok"] is True
    finally:
        visitor.close()


def test_an_oversized_websocket_frame_is_refused_from_its_header(server: GalleryServer) -> None:
    """A frame announcing more than 64 KiB closes the connection before its payload is sent."""
    from .test_wsreader import frame

    visitor = RawClient(server.port)
    try:
        visitor.sock.sendall(frame(b"4" * (64 * 1024 + 1))[:14])
        with pytest.raises(ConnectionError):
            while True:
                visitor.text()
    finally:
        visitor.close()
