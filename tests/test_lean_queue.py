"""The lean send queue: what Engine.IO and Delivery use of a queue, holding nothing while empty."""

from __future__ import annotations

import gevent
import pytest
from gevent.queue import Empty

from gallery.leanqueue import LeanQueue


def test_packets_come_out_in_order_and_the_queue_empties_for_good() -> None:
    queue = LeanQueue()
    woken: list[int] = []
    queue.wake = lambda: woken.append(queue.qsize())
    for item in ("a", "b", None):
        queue.put(item)
    assert woken == [1, 2, 3]  # the writer is woken after every put, the packet already in
    assert [queue.get_nowait() for _ in range(3)] == ["a", "b", None]
    assert queue.qsize() == 0 and queue.empty() and queue.items is None
    with pytest.raises(Empty):
        queue.get_nowait()


def test_a_long_polling_get_waits_for_a_packet_or_times_out() -> None:
    queue = LeanQueue()
    with pytest.raises(Empty):
        queue.get(timeout=0.01)
    with pytest.raises(Empty):
        queue.get(block=False)
    waiting = gevent.spawn(queue.get, timeout=10)
    gevent.sleep(0)  # the getter is waiting now
    queue.put("open")
    assert waiting.get(timeout=10) == "open"


def test_join_returns_once_every_packet_taken_is_done() -> None:
    queue = LeanQueue()
    assert queue.join(timeout=0) is True
    queue.put("a")
    queue.put("b")
    joiner = gevent.spawn(queue.join)
    gevent.sleep(0)
    queue.get_nowait()
    queue.task_done()
    gevent.sleep(0)
    assert not joiner.ready()
    queue.get_nowait()
    queue.task_done()
    assert joiner.get(timeout=10) is True
