"""Encoding events once and delivering them: JSON, packets, frames and direct writes."""

from __future__ import annotations

from typing import Any

import pytest
from socketio import packet as sio_packet

from gallery.presence import Connection, Connections
from gallery.presence.frames import FastJSON, FastPacket, Frame, event_packet, websocket_frame
from gallery.presence.limits import TokenBucket
from gallery.presence.wire import QUEUE_MAX, Delivery, fast_websocket_class, install


def test_fast_json_round_trips_and_refuses_lone_surrogates() -> None:
    """FastJSON round-trips payloads and refuses lone surrogates."""
    data = {"room": "hall", "name": "Zoë <b>", "n": [1, None, True]}
    assert FastJSON.loads(FastJSON.dumps(data, separators=(",", ":"))) == data
    assert isinstance(FastJSON.dumps(data), str)
    with pytest.raises(ValueError):
        FastJSON.loads('"\\ud800"')


@pytest.mark.parametrize(
    ("kind", "namespace", "id", "data"),
    [
        (sio_packet.ACK, "/", 7, [{"ok": True, "visitors": [{"id": "a"}]}]),
        (sio_packet.EVENT, "/", None, ["presence", {"room": "hall"}]),
        (sio_packet.EVENT, "/other", 12, ["chat", {"text": "é"}]),
        (sio_packet.ACK, "/", 3, []),
    ],
)
def test_fast_packet_encodes_like_python_socketio(
    kind: int, namespace: str, id: int | None, data: Any
) -> None:
    """FastPacket encodes exactly like python-socketio's packet."""
    fast = FastPacket(kind, data=data, namespace=namespace, id=id).encode()
    plain = sio_packet.Packet(kind, data=data, namespace=namespace, id=id).encode()
    assert FastJSON.loads(fast[fast.index("[") :]) == FastJSON.loads(plain[plain.index("[") :])
    assert fast[: fast.index("[")] == plain[: plain.index("[")]


def test_fast_packet_still_sends_binary_as_attachments() -> None:
    """FastPacket still sends bytes as binary attachments."""
    pkt = FastPacket(sio_packet.EVENT, data=["file", b"\x00\x01"], namespace="/")
    assert pkt.packet_type == sio_packet.BINARY_EVENT
    assert pkt.encode()[1] == b"\x00\x01"


@pytest.mark.parametrize(("size", "header"), [(5, 2), (125, 2), (126, 4), (65535, 4), (65536, 10)])
def test_websocket_frame_header_lengths(size: int, header: int) -> None:
    """WebSocket frame headers use the 7-bit, 16-bit and 64-bit length forms."""
    frame = websocket_frame(b"x" * size)
    assert len(frame) == size + header
    assert frame[0] == 0x81


def test_event_packet_is_text_and_frame() -> None:
    """Event packet is text and frame."""
    pkt = event_packet("chat", {"text": "é"})
    text = pkt.encode()
    assert isinstance(text, Frame)
    assert text == '42["chat",{"text":"é"}]'
    assert text.frame == websocket_frame(text.encode())
    assert pkt.data == text[1:]


class FakeQueue:
    """An Engine.IO socket queue that records what was put."""

    def __init__(self, waiting: int = 0) -> None:
        self.items: list[Any] = [None] * waiting

    def put(self, item: Any) -> None:
        self.items.append(item)

    def get_nowait(self) -> Any:
        return self.items.pop(0)

    def qsize(self) -> int:
        return len(self.items)


class FakeRaw:
    """A non-blocking socket that accepts `room` bytes per send."""

    def __init__(self, room: int | None = None, error: Exception | None = None) -> None:
        self.room, self.error, self.sent = room, error, b""

    def send(self, data: bytes) -> int:
        if self.error is not None:
            raise self.error
        taken = data if self.room is None else data[: self.room]
        self.sent += taken
        return len(taken)

    def shutdown(self, how: int) -> None:
        self.shut = how


class FakeWS:
    """The fast WebSocket wrapper as Delivery sees it."""

    def __init__(self, raw: FakeRaw, busy: bool = False) -> None:
        self.raw, self.busy = raw, busy
        self.aborted = False

    def abort(self) -> None:
        self.aborted = True


class FakeSocket:
    """An Engine.IO socket with what Delivery reads."""

    def __init__(self, ws: FakeWS | None, waiting: int = 0, upgraded: bool = True) -> None:
        self.queue = FakeQueue(waiting)
        self.closed = False
        self.upgraded = upgraded
        if ws is not None:
            self.fast_ws = ws

    def close(self, wait: bool = True, abort: bool = False) -> None:
        self.closed = True


class FakeEngine:
    def __init__(self, sockets: dict[str, FakeSocket]) -> None:
        self.sockets = sockets


class FakeServer:
    def __init__(self, sockets: dict[str, FakeSocket]) -> None:
        self.eio = FakeEngine(sockets)


def registry(rooms: dict[str, str | None]) -> tuple[Connections, dict[str, Connection]]:
    """Return a registry holding a connection at each address, in the room given for it."""
    connections = Connections()
    made = {}
    for address, room in rooms.items():
        made[address] = Connection(address, TokenBucket(1.0, 1.0), address)
        connections.add(address, made[address])
        connections.place(made[address], room)
    return connections, made


def deliver(sockets: dict[str, FakeSocket]) -> bytes:
    """Send one chat event to every fake socket through a room; return its frame."""
    members, _ = registry(dict.fromkeys(sockets, "hall"))
    delivery = Delivery(FakeServer(sockets), members)
    delivery.room("hall", "chat", {"text": "hello"})
    return event_packet("chat", {"text": "hello"}).encode().frame


@pytest.mark.parametrize("to", ["room", "everyone"])
def test_an_event_is_encoded_once_for_all_its_recipients(
    monkeypatch: pytest.MonkeyPatch, to: str
) -> None:
    """Delivery encodes an event once; written or queued, every recipient gets those bytes."""
    from gallery.presence import wire

    made: list[Any] = []

    def counting(event: str, data: Any) -> Any:
        made.append(event_packet(event, data))
        return made[-1]

    monkeypatch.setattr(wire, "event_packet", counting)
    raws = [FakeRaw() for _ in range(3)]
    busy = FakeSocket(FakeWS(FakeRaw(), busy=True))
    sockets = {**{str(i): FakeSocket(FakeWS(raw)) for i, raw in enumerate(raws)}, "b": busy}
    members, _ = registry(dict.fromkeys(sockets, "hall"))
    delivery = Delivery(FakeServer(sockets), members)
    if to == "room":
        delivery.room("hall", "chat", {"text": "hello"})
    else:
        delivery.everyone("chat", {"text": "hello"})
    [pkt] = made
    assert all(raw.sent == pkt.encode().frame for raw in raws)
    assert busy.queue.items == [pkt]


def test_an_idle_socket_gets_the_frame_written_directly() -> None:
    """An idle socket gets the frame written directly."""
    raw = FakeRaw()
    frame = deliver({"a": FakeSocket(FakeWS(raw))})
    assert raw.sent == frame


@pytest.mark.parametrize(
    "sock",
    [
        FakeSocket(FakeWS(FakeRaw(), busy=True)),  # the writer is mid-write
        FakeSocket(FakeWS(FakeRaw()), waiting=1),  # packets wait: keep their order
        FakeSocket(FakeWS(FakeRaw()), upgraded=False),  # still polling
        FakeSocket(None),  # not a fast WebSocket
    ],
)
def test_a_socket_that_is_not_idle_gets_the_packet_queued(sock: FakeSocket) -> None:
    """A socket that is not idle gets the packet queued."""
    deliver({"a": sock})
    assert sock.queue.items[-1].encode() == '42["chat",{"text":"hello"}]'
    if hasattr(sock, "fast_ws"):
        assert sock.fast_ws.raw.sent == b""


def test_a_partial_write_queues_the_rest_of_the_frame() -> None:
    """A partial write queues the rest of the frame."""
    raw = FakeRaw(room=3)
    sock = FakeSocket(FakeWS(raw))
    frame = deliver({"a": sock})
    [rest] = sock.queue.items
    assert raw.sent + rest.encode() == frame
    full = FakeSocket(FakeWS(FakeRaw(error=BlockingIOError())))
    frame = deliver({"b": full})
    assert full.queue.items[0].encode() == frame


def test_closed_or_failing_sockets_are_skipped() -> None:
    """Closed or failing sockets are skipped."""
    closed = FakeSocket(FakeWS(FakeRaw()))
    closed.closed = True
    broken = FakeSocket(FakeWS(FakeRaw(error=ConnectionResetError())))
    fine = FakeSocket(FakeWS(FakeRaw()))
    frame = deliver({"closed": closed, "broken": broken, "fine": fine, "gone": None})  # type: ignore[dict-item]
    assert closed.queue.items == [] and broken.queue.items == []
    assert fine.fast_ws.raw.sent == frame


def test_delivery_follows_the_registry_as_connections_move_and_go() -> None:
    """Moving, leaving a room and disconnecting change what a socket receives, at once."""
    raws = {sid: FakeRaw() for sid in "abcd"}
    sockets = {sid: FakeSocket(FakeWS(raw)) for sid, raw in raws.items()}
    members, made = registry({"a": "hall", "b": "hall", "c": "hall", "d": None})
    delivery = Delivery(FakeServer(sockets), members)
    members.place(made["a"], None)
    members.place(made["b"], "lab")
    members.remove("c")
    delivery.room("hall", "chat", {})
    delivery.room("nowhere", "chat", {})
    assert [sid for sid, raw in raws.items() if raw.sent] == []
    delivery.room("lab", "chat", {})
    assert [sid for sid, raw in raws.items() if raw.sent] == ["b"]
    delivery.everyone("occupancy", {})
    occupancy = event_packet("occupancy", {}).encode().frame
    assert [sid for sid, raw in raws.items() if raw.sent.endswith(occupancy)] == ["a", "b", "d"]


def test_the_fast_websocket_writes_frames_raw_and_the_rest_as_before() -> None:
    """The fast websocket writes frames raw and the rest as before."""

    class Base:
        def __init__(self, handler: Any, server: Any) -> None:
            self.app = handler
            self.plain: list[Any] = []

        def send(self, message: Any) -> None:
            self.plain.append(message)

        def wait(self) -> None:  # pragma: no cover - present for install's check only
            return None

    class GSock:
        def __init__(self) -> None:
            self.sent = b""

        def sendall(self, data: bytes) -> None:
            self.sent += data

    ws = fast_websocket_class(Base)(None, None)
    ws.gsock = GSock()
    frame = event_packet("chat", {"text": "x"}).encode()
    ws.send(frame)
    ws.send("3probe")
    assert ws.gsock.sent == frame.frame
    assert ws.plain == ["3probe"]
    assert ws.busy is False


def test_install_needs_gevent(app: Any) -> None:
    """Direct writes are only installed under gevent-websocket."""
    from gallery.extensions import socketio

    assert socketio.server.eio.async_mode == "threading"
    assert install(socketio.server) is False


def test_the_fast_websocket_registers_on_its_socket_and_finds_the_raw_socket() -> None:
    """The fast websocket registers on its socket and finds the raw socket."""

    class EngineSocket:
        def handler(self, ws: Any) -> None:
            pass

    class Base:
        def __init__(self, handler: Any, server: Any) -> None:
            self.app = handler

    class GSock:
        _sock = object()

    class Handler:
        socket = GSock()

    class GeventWS:
        handler = Handler()

    engine_socket = EngineSocket()
    ws = fast_websocket_class(Base)(engine_socket.handler, None)
    assert engine_socket.fast_ws is ws  # type: ignore[attr-defined]
    assert ws.resolve() is None  # no session yet: Delivery queues instead
    ws._sock = GeventWS()
    assert ws.resolve() is GSock._sock
    assert ws.gsock is Handler.socket


def test_a_stalled_socket_is_dropped_and_its_queue_freed() -> None:
    """A socket with a full queue is closed, its queue emptied and its connection cut."""
    stalled = FakeSocket(FakeWS(FakeRaw(), busy=True), waiting=QUEUE_MAX)
    polling = FakeSocket(None, waiting=QUEUE_MAX, upgraded=False)
    nearly = FakeSocket(FakeWS(FakeRaw(), busy=True), waiting=QUEUE_MAX - 1)
    deliver({"stalled": stalled, "polling": polling, "nearly": nearly})
    assert stalled.closed and stalled.fast_ws.aborted and stalled.queue.items == []
    assert polling.closed and polling.queue.items == []
    assert not nearly.closed and len(nearly.queue.items) == QUEUE_MAX


def test_backlogged_drops_only_a_socket_over_the_bound() -> None:
    """`backlogged` drops a socket whose queue reached the bound with its writer blocked."""
    full = FakeSocket(FakeWS(FakeRaw(), busy=True), waiting=3)
    fine = FakeSocket(FakeWS(FakeRaw(), busy=True), waiting=2)
    burst = FakeSocket(FakeWS(FakeRaw()), waiting=3)  # acks of a burst; the writer is not blocked
    sockets = {"full": full, "fine": fine, "burst": burst}
    delivery = Delivery(FakeServer(sockets), Connections(), queue_max=3)
    assert delivery.backlogged("fine") is False and not fine.closed
    assert delivery.backlogged("burst") is False and not burst.closed
    assert delivery.backlogged(None) is False and delivery.backlogged("gone") is False
    assert delivery.backlogged("full") is True and full.closed


def test_drop_all_closes_every_open_socket_so_that_each_client_enters_afresh() -> None:
    """A server behind the shared stream drops every socket it holds, idle ones too."""
    idle = FakeSocket(FakeWS(FakeRaw()), waiting=0)
    polling = FakeSocket(None, waiting=1, upgraded=False)
    gone = FakeSocket(FakeWS(FakeRaw()), waiting=0)
    gone.closed = True
    delivery = Delivery(FakeServer({"idle": idle, "polling": polling, "gone": gone}), Connections())
    delivery.drop_all()
    assert idle.closed and idle.fast_ws.aborted
    assert polling.closed and polling.queue.items == []
    assert not gone.fast_ws.aborted  # already closed: left alone


def test_a_socket_that_raises_does_not_keep_the_packet_from_others() -> None:
    """An unexpected error writing to one socket is logged; the others still get the frame."""

    class Weird(FakeRaw):
        def send(self, data: bytes) -> int:
            raise RuntimeError("unexpected")

    first, last = FakeRaw(), FakeRaw()
    frame = deliver(
        {
            "a": FakeSocket(FakeWS(first)),
            "b": FakeSocket(FakeWS(Weird())),
            "c": FakeSocket(FakeWS(last)),
        }
    )
    assert first.sent == frame and last.sent == frame


class RawSocket(FakeRaw):
    """The standard library socket under gevent's: non-blocking."""

    def gettimeout(self) -> float | None:
        return 0.0


class GeventSocket:
    """gevent's socket: the raw one inside, `sendall` outside."""

    def __init__(self, raw: Any) -> None:
        self._sock = raw

    def sendall(self, data: bytes) -> None:  # pragma: no cover - present for the check only
        self._sock.send(data)


class Handler:
    """gevent-websocket's handler: holds the connection's gevent socket."""

    def __init__(self, gsock: Any) -> None:
        self.socket = gsock


class Inner:
    """gevent-websocket's WebSocket as the fast wrapper sees it: writes through `raw_write`."""

    def __init__(self, owner: list[Any], raw: Any = None) -> None:
        self.owner, self.closed, self.seen = owner, False, []
        self.raw_write = self.write
        self.handler = Handler(GeventSocket(RawSocket() if raw is None else raw))

    def write(self, data: bytes) -> None:
        self.seen.append((data, self.owner[0].busy))


def test_every_gevent_websocket_write_keeps_direct_writes_out() -> None:
    """Pongs and close frames by gevent-websocket mark the socket busy; a close, for good."""

    class Base:
        def __init__(self, handler: Any, server: Any) -> None:
            self.app = handler

        def __call__(self, environ: Any, start_response: Any) -> Any:
            self._sock = environ["wsgi.websocket"]
            return self.app(self)

        def send(self, message: Any) -> None:
            self.plain = message  # gevent-websocket would refuse: it is closed

    owner: list[Any] = []
    inner = Inner(owner)
    ws = fast_websocket_class(Base)(lambda ws: ws, None)
    owner.append(ws)
    ws({"wsgi.websocket": inner}, None)
    inner.raw_write(b"\x8a\x00")  # a pong
    assert inner.seen[-1][1] is True and ws.busy is False
    inner.raw_write(b"\x88\x02\x03\xe8")  # the close frame
    assert inner.seen[-1][1] is True and ws.busy is True
    inner.closed = True
    frame = event_packet("chat", {}).encode()
    ws.send(frame)  # after the close: not written raw, left to gevent-websocket to refuse
    assert len(inner.seen) == 2 and ws.plain is frame and ws.busy is True


def test_the_fast_websocket_abort_shuts_the_raw_socket_down() -> None:
    """`abort` shuts the raw socket down (waking a blocked writer) and stops direct writes."""
    ws = fast_websocket_class(type("Base", (), {"__init__": lambda self, h, s: None}))(None, None)
    ws.raw = FakeRaw()
    ws.abort()
    assert ws.raw.shut == 2 and ws.busy is True


class BlockingRaw(RawSocket):
    def gettimeout(self) -> float | None:
        return None


class Session:
    """An Engine.IO socket as the fast wrapper sees it: its bound session handler."""

    def handler(self, ws: Any) -> Any:
        return ws


class SessionBase:
    """Engine.IO's gevent-websocket wrapper, reduced to the session call."""

    def __init__(self, handler: Any, server: Any) -> None:
        self.app = handler

    def __call__(self, environ: Any, start_response: Any) -> Any:
        self._sock = environ["wsgi.websocket"]
        return self.app(self)


@pytest.mark.parametrize("missing", ["raw_write", "handler", "_sock", "non-blocking"])
def test_the_fast_websocket_steps_aside_when_the_internals_it_uses_are_missing(
    missing: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Without the internals, the session runs as before, unregistered, with one warning."""
    fast = fast_websocket_class(SessionBase)
    for _ in range(2):
        session = Session()
        owner: list[Any] = []
        inner = Inner(owner, raw=BlockingRaw() if missing == "non-blocking" else None)
        if missing == "raw_write":
            del inner.raw_write
        elif missing == "handler":
            del inner.handler
        elif missing == "_sock":
            del inner.handler.socket._sock
        ws = fast(session.handler, None)
        owner.append(ws)
        assert session.fast_ws is ws  # type: ignore[attr-defined]
        assert ws({"wsgi.websocket": inner}, None) is ws
        assert session.fast_ws is None  # type: ignore[attr-defined]
        assert getattr(inner, "raw_write", inner.write) == inner.write  # not wrapped
    warnings = [r for r in caplog.records if "direct WebSocket writes are off" in r.getMessage()]
    assert len(warnings) == 1


def test_the_fast_websocket_resolves_its_sockets_when_the_session_starts() -> None:
    """With the internals there, the session is registered and its raw socket known at once."""
    session, owner = Session(), []
    inner = Inner(owner)
    ws = fast_websocket_class(SessionBase)(session.handler, None)
    owner.append(ws)
    ws({"wsgi.websocket": inner}, None)
    assert session.fast_ws is ws  # type: ignore[attr-defined]
    assert ws.raw is inner.handler.socket._sock and ws.gsock is inner.handler.socket


def test_a_websocket_without_direct_writes_is_never_judged_stalled() -> None:
    """Its queue cannot tell a blocked writer from a burst: Engine.IO's ping timeout decides."""
    plain = FakeSocket(None, waiting=QUEUE_MAX)
    delivery = Delivery(FakeServer({"plain": plain}), Connections())
    deliver({"plain": plain})
    assert not plain.closed and len(plain.queue.items) == QUEUE_MAX + 1
    assert delivery.backlogged("plain") is False and not plain.closed


class CountingRaw(FakeRaw):
    """A fake raw socket that also counts its sends."""

    def __init__(self) -> None:
        super().__init__()
        self.sends = 0

    def send(self, data: bytes) -> int:
        self.sends += 1
        return super().send(data)


def tick_sockets() -> dict[str, FakeSocket]:
    """Sockets in a changed room, an unchanged one, no room, and one whose writer is busy."""
    return {
        "in-hall": FakeSocket(FakeWS(CountingRaw())),
        "in-lab": FakeSocket(FakeWS(CountingRaw())),
        "nowhere": FakeSocket(FakeWS(CountingRaw())),
        "busy": FakeSocket(FakeWS(CountingRaw(), busy=True)),
    }


ROOMS = {"in-hall": "hall", "in-lab": "lab", "nowhere": None, "busy": "hall"}
PRESENCE = [("hall", "presence", {"room": "hall", "count": 2, "joined": [], "left": []})]
OCCUPANCY = {"rooms": {"hall": 2, "lab": 1}, "total": 4}


def test_a_ticks_presence_and_occupancy_reach_each_socket_as_room_then_everyone_would() -> None:
    """Same bytes, same order as `room` for each room then `everyone`; one write per socket."""
    together, apart = tick_sockets(), tick_sockets()
    members, _ = registry(ROOMS)
    Delivery(FakeServer(together), members).rooms_then_everyone(PRESENCE, "occupancy", OCCUPANCY)
    delivery = Delivery(FakeServer(apart), members)
    for slug, event, data in PRESENCE:
        delivery.room(slug, event, data)
    delivery.everyone("occupancy", OCCUPANCY)
    for address in ROOMS:
        one, two = together[address], apart[address]
        assert one.fast_ws.raw.sent == two.fast_ws.raw.sent
        assert [p.encode() for p in one.queue.items] == [p.encode() for p in two.queue.items]
    assert together["in-hall"].fast_ws.raw.sent == (
        event_packet(*PRESENCE[0][1:]).encode().frame
        + event_packet("occupancy", OCCUPANCY).encode().frame
    )
    assert together["in-hall"].fast_ws.raw.sends == 1  # apart: two
    assert apart["in-hall"].fast_ws.raw.sends == 2
    assert [p.encode()[2:11] for p in together["busy"].queue.items] == ['["presenc', '["occupan']
