"""Socket.IO events as the bytes that go on the wire, each encoded once for every recipient.

python-socketio encodes a packet for each socket it goes to, and gevent-websocket frames
and encodes it again. Here an event becomes its Engine.IO text and its finished WebSocket
frame at once (`event_packet`, `Frame`), with orjson in C (`FastJSON`, `FastPacket`, which
python-socketio also uses for its own packets), and `presence.wire` writes those bytes.
"""

from __future__ import annotations

import struct
from typing import Any

import orjson
from engineio import packet as eio_packet
from socketio import packet as sio_packet

from .store import Listed

NAMESPACE = "/"
_OPTIONS = orjson.OPT_NON_STR_KEYS


class FastJSON:
    """The `json` module interface python-socketio expects, backed by orjson."""

    @staticmethod
    def dumps(obj: Any, **_options: Any) -> str:
        """Encode `obj` compactly (the separators python-socketio passes are orjson's own)."""
        return orjson.dumps(obj, option=_OPTIONS).decode()

    @staticmethod
    def loads(text: str | bytes, **_options: Any) -> Any:
        """Decode JSON text; refuses lone surrogates, NaN and infinities."""
        return orjson.loads(text)


# Subclasses of str, int, dict and list go to `_made`: a `Listed` brings its own JSON.
_PASSING = _OPTIONS | orjson.OPT_PASSTHROUGH_SUBCLASS


def _made(value: Any) -> Any:
    """Return what encodes `value`: a `Listed`'s own JSON, else the plain value it extends."""
    if isinstance(value, Listed):
        return orjson.Fragment(value.json)
    for plain in (str, int, dict, list):
        if isinstance(value, plain):
            return plain(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


class FastPacket(sio_packet.Packet):
    """A Socket.IO packet that finds out it holds no binary data by encoding it once, in C."""

    _text: str | None = None

    def data_is_binary(self, data: Any) -> bool:  # type: ignore[override]
        """Tell whether `data` holds bytes; the JSON made on the way is kept for `encode`."""
        if data is None:
            return False
        try:
            self._text = orjson.dumps(data, default=_made, option=_PASSING).decode()
        except TypeError:  # bytes, or something JSON cannot hold
            return sio_packet.Packet.data_is_binary(data)
        return False

    def encode(self) -> Any:
        """Encode the packet, reusing the JSON made when it was created."""
        text = self._text
        if text is None or self.packet_type not in (sio_packet.EVENT, sio_packet.ACK):
            return super().encode()
        encoded = str(self.packet_type)
        if self.namespace is not None and self.namespace != NAMESPACE:
            encoded += self.namespace + ","
        if self.id is not None:
            encoded += str(self.id)
        return encoded + text


class Frame(str):
    """An Engine.IO packet's text that also carries its finished WebSocket frame (`frame`)."""

    frame: bytes


class Remainder(bytes):
    """The unsent tail of a frame, to be written as raw bytes by the socket's writer."""


class FramePacket(eio_packet.Packet):
    """An Engine.IO MESSAGE whose encoding is a `Frame`, ready for any transport."""

    def __init__(self, frame: Frame) -> None:
        super().__init__(eio_packet.MESSAGE, frame[1:])
        self.encode_cache = frame


class RemainderPacket:
    """Queued after a partial direct write; only ever queued on a WebSocket."""

    packet_type = eio_packet.MESSAGE
    data = "<frame remainder>"

    def __init__(self, rest: bytes) -> None:
        self.rest = Remainder(rest)

    def encode(self, b64: bool = False) -> bytes:
        """Return the rest of the frame."""
        return self.rest


def frame_of(pkt: Any) -> bytes | None:
    """Return the WebSocket frame carrying Engine.IO packet `pkt`; None if it is not text."""
    encoded = pkt.encode()
    frame = getattr(encoded, "frame", None)
    if frame is not None:
        return frame
    # A remainder is raw bytes, a binary packet a binary frame: the writer sends those.
    return websocket_frame(encoded.encode()) if type(encoded) is str else None


def websocket_frame(payload: bytes) -> bytes:
    """Return an unmasked final WebSocket text frame holding `payload`."""
    size = len(payload)
    if size < 126:
        header = struct.pack("!BB", 0x81, size)
    elif size <= 0xFFFF:
        header = struct.pack("!BBH", 0x81, 126, size)
    else:
        header = struct.pack("!BBQ", 0x81, 127, size)
    return header + payload


def event_packet(event: str, data: Any) -> FramePacket:
    """Return a packet carrying Socket.IO event `event` with `data`, encoded once."""
    # "4" is an Engine.IO MESSAGE, "2" a Socket.IO EVENT on the default namespace.
    body = b"42" + orjson.dumps([event, data], option=_OPTIONS)
    frame = Frame(body.decode())
    frame.frame = websocket_frame(body)
    return FramePacket(frame)
