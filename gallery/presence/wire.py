"""Encoding server events once and handing the same bytes to every recipient.

python-socketio encodes a broadcast once too, but then walks each recipient through
several layers (participant lookup, skip lists, ping checks, logging calls). Presence
ticks send the same packet to hundreds of sockets, so `Delivery` builds the Engine.IO
packet itself and puts it straight on each recipient socket's outgoing queue.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson
from engineio import packet as eio_packet

NAMESPACE = "/"


class FastJSON:
    """The `json` module interface python-socketio expects, backed by orjson."""

    @staticmethod
    def dumps(obj: Any, **_options: Any) -> str:
        """Encode `obj` compactly (the separators python-socketio passes are orjson's own)."""
        return orjson.dumps(obj).decode()

    @staticmethod
    def loads(text: str | bytes, **_options: Any) -> Any:
        """Decode JSON text; refuses lone surrogates, NaN and infinities."""
        return orjson.loads(text)


def room_key(slug: str) -> str:
    """Return the Socket.IO room holding the sockets of exhibition room `slug`."""
    return "room:" + slug


def event_packet(event: str, data: Any) -> eio_packet.Packet:
    """Return a ready-encoded Engine.IO packet carrying Socket.IO event `event` with `data`."""
    # "2" is a Socket.IO EVENT on the default namespace; the Engine.IO MESSAGE adds "4".
    text = "2" + orjson.dumps([event, data]).decode()
    pkt = eio_packet.Packet(eio_packet.MESSAGE, text)
    pkt.encode_cache = "4" + text
    return pkt


class Delivery:
    """Sends pre-encoded packets to the sockets of a room, or of everyone, with little work each."""

    def __init__(self, server: Any) -> None:
        self.server = server

    def _targets(self, room: str | None) -> Iterable[str]:
        """Return the Engine.IO session ids of the room's sockets (all sockets for None)."""
        rooms = self.server.manager.rooms.get(NAMESPACE)
        if not rooms:
            return ()
        members = rooms.get(room) if room is not None else rooms.get(None)
        return list(members.values()) if members else ()

    def room(self, slug: str, pkt: eio_packet.Packet) -> None:
        """Send `pkt` to every socket in exhibition room `slug`."""
        self._send(self._targets(room_key(slug)), pkt)

    def everyone(self, pkt: eio_packet.Packet) -> None:
        """Send `pkt` to every connected socket."""
        self._send(self._targets(None), pkt)

    def _send(self, eio_sids: Iterable[str], pkt: eio_packet.Packet) -> None:
        """Queue `pkt` on each socket, or hand it to a replaced sender (test clients)."""
        server = self.server
        sender = server.__dict__.get("_send_eio_packet")
        if sender is not None:
            # A test client swapped in its own sender; go through it.
            for eio_sid in eio_sids:
                sender(eio_sid, pkt)
            return
        sockets = server.eio.sockets
        for eio_sid in eio_sids:
            sock = sockets.get(eio_sid)
            if sock is not None and not sock.closed:
                sock.queue.put(pkt)
