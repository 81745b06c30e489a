"""The soak test's crowd: thousands of visitors walking, chatting, asking and voting at once.

    python -m tests.soak --ports 5001[,5002] --rooms r0,r1,... --session s --visitors 2000
        --seconds 120 [--period 20] [--ramp 200]

Runs in a process of its own under gevent: one greenlet per visitor reading its socket, one
acting on it. Visitors are spread over the servers of `--ports` in turn. Each enters a room,
then every `period` seconds on average does one of: move to another room (60 %), say
something in its room's chat (20 %), ask a question (10 %), vote for a question someone
asked (10 %). One observer per room and server stays put and reads the room's chat.

At the end it prints one JSON line the test checks: connections made and failed, visitors
cut off, acknowledgements by outcome, and what was lost: a chat message acknowledged but
not heard by an observer of its room (on every server), a question acknowledged but missing
from the session's list, a question whose votes differ from the votes acknowledged for it.
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import base64  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections import Counter, defaultdict  # noqa: E402
from typing import Any  # noqa: E402
from urllib.request import urlopen  # noqa: E402

import gevent  # noqa: E402
from gevent.event import AsyncResult  # noqa: E402

from .wsclient import RawClient  # noqa: E402

ACK_TIMEOUT = 15.0
CONNECT_TIMEOUT = 60.0


class Visitor:
    """One simulated browser: a socket, its reader greenlet, and its pending acks."""

    def __init__(self, number: int, port: int, observer: bool = False) -> None:
        self.number = number
        self.port = port
        self.observer = observer
        self.heard: set[str] = set()
        self.pending: dict[int, AsyncResult] = {}
        self.cut_off = False
        self.closing = False
        self.room: str | None = None
        token = base64.urlsafe_b64encode(os.urandom(16)).decode().rstrip("=")
        # A crowd arriving on a busy machine may wait long for its handshake: that is slow,
        # not failed.
        self.client = RawClient(port, auth={"token": token}, timeout=CONNECT_TIMEOUT)
        self.reader = gevent.spawn(self._read)

    def _read(self) -> None:
        """Resolve acks and, for observers, note the chat heard; until the socket closes."""
        client = self.client
        try:
            while True:
                client.sock.settimeout(None)
                text = client.text()
                if text.startswith("43"):
                    bracket = text.index("[")
                    waiter = self.pending.pop(int(text[2:bracket]), None)
                    if waiter is not None:
                        waiter.set(json.loads(text[bracket:])[0])
                elif self.observer and text.startswith('42["chat"'):
                    self.heard.add(json.loads(text[2:])[1]["text"])
        except (OSError, ConnectionError, ValueError):
            if not self.closing:
                self.cut_off = True
            for waiter in self.pending.values():
                waiter.set(None)

    def call(self, event: str, data: Any) -> Any:
        """Emit `event` and return its ack's payload, or None when none came in time."""
        waiter = AsyncResult()
        ack_id = self.client.next_ack + 1
        self.pending[ack_id] = waiter
        self.client.emit(event, data)
        try:
            return waiter.get(timeout=ACK_TIMEOUT)
        except gevent.Timeout:
            self.pending.pop(ack_id, None)
            return None

    def close(self) -> None:
        """Hang up on purpose."""
        self.closing = True
        self.client.close()


class Crowd:
    """The visitors, what they were told, and the tallies the test reads."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.rooms: list[str] = args.rooms.split(",")
        self.ports = [int(p) for p in args.ports.split(",")]
        self.outcomes: Counter[str] = Counter()
        self.failed = 0
        self.chats: list[tuple[str, str]] = []  # (room, text) acknowledged
        self.questions: list[int] = []
        self.votes: dict[int, set[int]] = defaultdict(set)  # question -> visitors acked
        self.visitors: list[Visitor] = []
        self.observers: dict[tuple[str, int], Visitor] = {}
        self.stop_at = 0.0

    def tally(self, ack: Any) -> bool:
        """Count an ack by outcome; tell whether it was a success."""
        if ack is None:
            self.outcomes["no ack"] += 1
            return False
        if ack.get("ok"):
            self.outcomes["ok"] += 1
            return True
        self.outcomes[str(ack.get("error"))] += 1
        return False

    def enter(self, visitor: Visitor, room: str) -> None:
        """Walk `visitor` into `room`."""
        ack = visitor.call("enter", {"room": room, "name": f"Soak {visitor.number}"})
        if self.tally(ack):
            visitor.room = room

    def arrive(self, number: int) -> None:
        """Connect visitor `number` to its server, then let it act."""
        try:
            visitor = Visitor(number, self.ports[number % len(self.ports)])
        except (OSError, ConnectionError, AssertionError):
            self.failed += 1
            return
        self.visitors.append(visitor)
        self.act(visitor)

    def act(self, visitor: Visitor) -> None:
        """One visitor's life: enter, then act now and then until the end."""
        rng = random.Random(visitor.number)
        self.enter(visitor, rng.choice(self.rooms))
        sequence = 0
        while True:
            pause = rng.expovariate(1 / self.args.period)
            gevent.sleep(min(pause, max(0.0, self.stop_at - time.monotonic())))
            if time.monotonic() >= self.stop_at or visitor.cut_off:
                return
            sequence += 1
            draw = rng.random()
            if draw < 0.6 or visitor.room is None:
                self.enter(visitor, rng.choice([r for r in self.rooms if r != visitor.room]))
            elif draw < 0.8:
                text = f"v{visitor.number}-{sequence}"
                room = visitor.room
                if self.tally(visitor.call("chat", {"text": text})):
                    self.chats.append((room, text))
            elif draw < 0.9:
                text = f"Question {visitor.number}-{sequence}?"
                ack = visitor.call("ask", {"session": self.args.session, "text": text})
                if self.tally(ack):
                    self.questions.append(ack["id"])
            elif self.questions:
                question = rng.choice(self.questions)
                if self.tally(visitor.call("vote", {"question": question})):
                    self.votes[question].add(visitor.number)

    def run(self) -> dict[str, Any]:
        """Bring the crowd in, let it live for `seconds`, and say what was lost."""
        args = self.args
        for room in self.rooms:
            for port in self.ports:
                observer = Visitor(-len(self.observers) - 1, port, observer=True)
                self.tally(observer.call("enter", {"room": room, "name": "Observer"}))
                self.observers[room, port] = observer
        start = time.monotonic()
        self.stop_at = float("inf")
        actors = []
        for number in range(args.visitors):
            # Arrivals at `ramp` a second, as a crowd comes in at an opening.
            gevent.sleep(max(0.0, start + number / args.ramp - time.monotonic()))
            actors.append(gevent.spawn(self.arrive, number))
        while len(self.visitors) + self.failed < args.visitors:
            gevent.sleep(0.1)
        ramped = time.monotonic() - start
        # Everyone is in: the crowd acts for `seconds` from now.
        self.stop_at = time.monotonic() + args.seconds
        print(json.dumps({"ramped": round(ramped, 1)}), flush=True)
        gevent.joinall(actors)
        gevent.sleep(2.0)  # the last messages on their way to the observers
        return self.report(ramped)

    def report(self, ramped: float) -> dict[str, Any]:
        """Check what every acknowledgement promised against what was heard and listed."""
        lost_chat = sum(
            1
            for room, text in self.chats
            for port in self.ports
            if text not in self.observers[room, port].heard
        )
        port = self.ports[-1]
        url = f"http://127.0.0.1:{port}/api/sessions/{self.args.session}/questions.json"
        with urlopen(url, timeout=30) as answer:
            listed = {item["id"]: item["votes"] for item in json.load(answer)["items"]}
        missing = [q for q in self.questions if q not in listed]
        wrong_votes = [q for q in self.questions if listed.get(q) != len(self.votes[q])]
        cut_off = sum(v.cut_off for v in (*self.visitors, *self.observers.values()))
        for visitor in (*self.visitors, *self.observers.values()):
            visitor.close()
        return {
            "visitors": len(self.visitors),
            "failed": self.failed,
            "cut_off": cut_off,
            "ramped": round(ramped, 1),
            "acks": dict(self.outcomes),
            "chats": len(self.chats),
            "chats_lost": lost_chat,
            "questions": len(self.questions),
            "questions_missing": len(missing),
            "votes": sum(len(v) for v in self.votes.values()),
            "votes_wrong": len(wrong_votes),
        }


def main() -> None:
    """Parse the arguments, run the crowd, print its report as the last line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ports", required=True)
    parser.add_argument("--rooms", required=True)
    parser.add_argument("--session", required=True)
    parser.add_argument("--visitors", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--period", type=float, default=20.0)
    parser.add_argument("--ramp", type=float, default=200.0)
    args = parser.parse_args()
    result = Crowd(args).run()
    print(json.dumps(result), flush=True)
    sys.exit(0)


if __name__ == "__main__":
    main()
