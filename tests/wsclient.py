"""A bare Socket.IO client over a hand-made WebSocket, for tests that need to stop reading."""

from __future__ import annotations

import base64
import json
import os
import socket
import ssl
import struct
import time
from collections.abc import Callable
from typing import Any


class RawClient:
    """One Engine.IO WebSocket session to a real server, read only when the test says so."""

    def __init__(
        self,
        port: int,
        rcvbuf: int | None = None,
        sid: str | None = None,
        auth: Any = None,
        timeout: float = 10.0,
        tls: ssl.SSLContext | None = None,
        cookie: str | None = None,
        source: str | None = None,
    ) -> None:
        self.sock = socket.socket()
        if source is not None:
            # Another loopback address: a load balancer hashing addresses sees another visitor.
            self.sock.bind((source, 0))
        if rcvbuf is not None:
            # Before connecting, so the advertised window stays small too.
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(timeout)
        self.sock.connect(("127.0.0.1", port))
        if tls is not None:
            # A WebSocket over TLS, as a browser opens it through nginx.
            self.sock = tls.wrap_socket(self.sock, server_hostname="localhost")
        key = base64.b64encode(os.urandom(16)).decode()
        query = "EIO=4&transport=websocket" + (f"&sid={sid}" if sid else "")
        self.sock.sendall(
            (
                f"GET /socket.io/?{query} HTTP/1.1\r\n"
                f"Host: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                + (f"Cookie: {cookie}\r\n" if cookie else "")
                + "\r\n"
            ).encode()
        )
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self._read()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        assert head.startswith(b"HTTP/1.1 101"), head
        self.next_ack = 0
        if sid is not None:
            return  # upgrading a long-polling session: the caller probes
        assert self.text().startswith("0")  # Engine.IO open
        self.send("40" + (json.dumps(auth) if auth is not None else ""))
        assert self.text().startswith("40")  # Socket.IO connect

    def _read(self) -> bytes:
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError("closed by the server")
        return data

    def _exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            self.buffer += self._read()
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def send(self, text: str) -> None:
        """Send `text` as one masked WebSocket text frame."""
        payload = text.encode()
        size = len(payload)
        if size < 126:
            header = struct.pack("!BB", 0x81, 0x80 | size)
        elif size <= 0xFFFF:
            header = struct.pack("!BBH", 0x81, 0x80 | 126, size)
        else:
            header = struct.pack("!BBQ", 0x81, 0x80 | 127, size)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def text(self) -> str:
        """Return the next Engine.IO packet, answering pings on the way."""
        while True:
            first, second = self._exactly(2)
            size = second & 0x7F
            if size == 126:
                (size,) = struct.unpack("!H", self._exactly(2))
            elif size == 127:
                (size,) = struct.unpack("!Q", self._exactly(8))
            payload = self._exactly(size)
            if first & 0x0F == 0x08:
                raise ConnectionError("close frame")
            text = payload.decode()
            if text == "2":
                self.send("3")
                continue
            return text

    def emit(self, event: str, data: Any) -> int:
        """Send `event` with `data`, asking for an ack; return the ack's id."""
        self.next_ack += 1
        self.send(f"42{self.next_ack}" + json.dumps([event, data]))
        return self.next_ack

    def ack(self, ack_id: int) -> Any:
        """Read until the ack `ack_id` and return its payload (events on the way are skipped)."""
        prefix = f"43{ack_id}["
        while True:
            text = self.text()
            if text.startswith(prefix):
                return json.loads(text[len(prefix) - 1 :])[0]

    def event(self, wanted: Callable[[str, Any], bool], timeout: float) -> tuple[str, Any]:
        """Return the first event `wanted(name, data)` accepts within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no such event")
            self.sock.settimeout(left)
            text = self.text()
            if text.startswith("42"):
                name, data = json.loads(text[2:])
                if wanted(name, data):
                    self.sock.settimeout(10)
                    return name, data

    def close(self) -> None:
        """Close the TCP connection."""
        self.sock.close()
