"""A socket's send queue that holds nothing while it is empty (gallery/lean.py uses it)."""

from __future__ import annotations

import time
from collections import deque
from typing import Any

from gevent.event import Event
from gevent.queue import Empty


class LeanQueue:
    """A socket's send queue, holding nothing while empty, that wakes its writer on each put.

    gevent's JoinableQueue keeps three deques (2 KiB) for a queue that is empty nearly all
    the time. This one keeps its packets in a deque only while there are some, and calls
    `wake` after each put. It offers what Engine.IO and `Delivery` use of a queue: put,
    get (blocking, for long-polling), get_nowait, qsize, task_done and join.
    """

    __slots__ = ("getter", "items", "joiner", "unfinished", "wake")

    def __init__(self) -> None:
        self.items: deque | None = None
        self.unfinished = 0
        self.wake: Any = None  # called after each put (set once the socket is a WebSocket)
        self.getter: Event | None = None  # set when a packet arrives for a waiting get
        self.joiner: Event | None = None  # set when every packet taken is done

    def qsize(self) -> int:
        """Return how many packets wait."""
        items = self.items
        return len(items) if items else 0

    def empty(self) -> bool:
        """Tell whether no packet waits."""
        return not self.items

    def put(self, item: Any, block: bool = True, timeout: float | None = None) -> None:
        """Queue `item` (never blocks: the queue has no bound), then wake the writer."""
        items = self.items
        if items is None:
            items = self.items = deque()
        items.append(item)
        self.unfinished += 1
        getter = self.getter
        if getter is not None:
            self.getter = None
            getter.set()
        wake = self.wake
        if wake is not None:
            wake()

    def get_nowait(self) -> Any:
        """Take the oldest packet; raise `Empty` if there is none."""
        items = self.items
        if not items:
            raise Empty
        item = items.popleft()
        if not items:
            self.items = None
        return item

    def get(self, block: bool = True, timeout: float | None = None) -> Any:
        """Take the oldest packet, waiting up to `timeout` seconds for one if `block`."""
        if self.items or not block:
            return self.get_nowait()
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.items:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise Empty
            if self.getter is None:
                self.getter = Event()
            self.getter.wait(left)
        return self.get_nowait()

    def task_done(self) -> None:
        """Count one packet taken as done."""
        self.unfinished -= 1
        if self.unfinished <= 0 and self.joiner is not None:
            self.joiner.set()
            self.joiner = None

    def join(self, timeout: float | None = None) -> bool:
        """Wait until every packet put was taken and done; tell whether it was."""
        if self.unfinished <= 0:
            return True
        if self.joiner is None:
            self.joiner = Event()
        return self.joiner.wait(timeout)
