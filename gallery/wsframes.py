"""WebSocket frames cut from the bytes a client sends, as they arrive in any pieces.

RFC 6455's framing, as far as a server reads it: the header's length in 7, 16 or 64 bits,
the client's mask, and the refusals that need no payload (too long, unmasked, a control
frame fragmented or too long). gallery/wsreader.py reads the socket and acts on the frames.
"""

from __future__ import annotations

import struct

CONTINUATION, TEXT, BINARY, CLOSE, PING, PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA


class ProtocolError(Exception):
    """The peer broke the WebSocket protocol (close code 1002), or sent too much (1009)."""

    def __init__(self, message: str, code: int = 1002) -> None:
        super().__init__(message)
        self.code = code


def unmask(payload: bytes, mask: bytes) -> bytes:
    """Return `payload` XORed with the 4-byte `mask`, in C (one big integer each)."""
    size = len(payload)
    if not size:
        return payload
    key = (mask * (size // 4 + 1))[:size]
    return (int.from_bytes(payload, "big") ^ int.from_bytes(key, "big")).to_bytes(size, "big")


class Frames:
    """Cuts the bytes a peer sends into WebSocket frames, as they arrive in any pieces."""

    __slots__ = ("buffer", "limit")

    def __init__(self, limit: int) -> None:
        self.limit = limit  # the longest payload accepted in one frame
        self.buffer: bytes = b""  # an incomplete frame's bytes so far

    def feed(self, data: bytes) -> list[tuple[int, int, bytes]]:
        """Take `data`; return the frames it completes as (fin and flags, opcode, payload).

        Raises `ProtocolError` for a frame longer than the limit, told by its header.
        """
        buf = self.buffer + data if self.buffer else data
        frames = []
        start, end, limit = 0, len(buf), self.limit
        while end - start >= 2:
            first, second = buf[start], buf[start + 1]
            length = second & 0x7F
            at = start + 2
            if length == 126:
                if end - at < 2:
                    break
                (length,) = struct.unpack_from("!H", buf, at)
                at += 2
            elif length == 127:
                if end - at < 8:
                    break
                (length,) = struct.unpack_from("!Q", buf, at)
                at += 8
            if length > limit:
                raise ProtocolError(f"a frame of {length} bytes", 1009)
            # RFC 6455, 5.1 and 5.5: a client masks every frame, and a control frame is
            # whole and short; told from the header, before any payload is read.
            if not second & 0x80:
                raise ProtocolError("an unmasked frame")
            if first & 0x08 and (length > 125 or not first & 0x80):
                raise ProtocolError("a control frame fragmented or over 125 bytes")
            if end - at < length + 4:
                break
            payload = unmask(buf[at + 4 : at + 4 + length], buf[at : at + 4])
            at += 4
            start = at + length
            frames.append((first & 0xF0, first & 0x0F, payload))
        self.buffer = buf[start:] if start < end else b""
        return frames
