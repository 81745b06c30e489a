"""Group commit: the scripts of many visitors' events sent to Redis in few pipelines."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import redis

from gallery.presence import StoreUnavailable
from gallery.presence.redisbatch import GroupCommit
from gallery.presence.redisclient import connect

ECHO = "return ARGV[1]"


@pytest.fixture
def client(redis_url: str) -> Iterator[redis.Redis]:
    """A client of the session's Redis, emptied for the test."""
    made = connect(redis_url)
    yield made
    made.close()


class HeldPipeline:
    """A pipeline of a real client whose first `execute` waits until `release` is set."""

    def __init__(self, client: redis.Redis, held: HeldClient) -> None:
        self.pipe = client.pipeline(transaction=False)
        self.held = held

    def evalsha(self, *args: Any) -> None:
        self.pipe.evalsha(*args)

    def execute(self, raise_on_error: bool = True) -> list[Any]:
        held = self.held
        held.sizes.append(len(self.pipe.command_stack))
        if len(held.sizes) == 1:
            held.sending.set()
            held.release.wait()
        return self.pipe.execute(raise_on_error=raise_on_error)


class HeldClient:
    """A client whose pipelines are `HeldPipeline`s, remembering each one's size."""

    def __init__(self, client: redis.Redis) -> None:
        self.client = client
        self.sizes: list[int] = []
        self.sending = threading.Event()
        self.release = threading.Event()

    def pipeline(self, transaction: bool = False) -> HeldPipeline:
        return HeldPipeline(self.client, self)

    def script_load(self, source: str) -> str:
        return self.client.script_load(source)


def wait_until(condition: Any) -> None:
    """Wait (10 s at most) until `condition()` holds, as threads move on."""
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "never happened"
        time.sleep(0.001)


def test_a_burst_waits_in_line_and_goes_in_one_pipeline(client: redis.Redis) -> None:
    """While one pipeline is on its way, the calls that come queue up; the next pipeline
    takes them all, and each caller gets its own answer."""
    script = client.register_script(ECHO)
    script(args=["load"])
    held = HeldClient(client)
    commit = GroupCommit(held, in_flight=1)  # type: ignore[arg-type]
    answers: dict[int, Any] = {}

    def call(i: int) -> None:
        answers[i] = commit.run(script, [str(i)])

    first = threading.Thread(target=call, args=(0,))
    first.start()
    assert held.sending.wait(10)
    others = [threading.Thread(target=call, args=(i,)) for i in range(1, 21)]
    for thread in others:
        thread.start()
    wait_until(lambda: len(commit._queue) == 20)
    held.release.set()
    for thread in [first, *others]:
        thread.join(10)
    assert answers == {i: str(i).encode() for i in range(21)}
    assert held.sizes == [1, 20]
    assert commit._sending == 0 and commit._queue == []


def test_a_quiet_caller_sends_at_once(client: redis.Redis) -> None:
    script = client.register_script(ECHO)
    commit = GroupCommit(client)
    assert [commit.run(script, [word]) for word in ("a", "b")] == [b"a", b"b"]


def test_scripts_redis_forgot_are_loaded_again(client: redis.Redis) -> None:
    """Redis restarted empty: the scripts are loaded again and the calls answered."""
    script = client.register_script(ECHO)
    commit = GroupCommit(client)
    assert commit.run(script, ["a"]) == b"a"
    client.script_flush()
    assert commit.run(script, ["b"]) == b"b"


def test_reads_follow_their_script_and_are_sent_again_with_it(client: redis.Redis) -> None:
    """The commands read after a script see its change; when Redis forgot the script, the
    reads that followed it in vain are sent again with it."""
    script = client.register_script("return redis.call('RPUSH', ARGV[1], ARGV[2])")
    commit = GroupCommit(client)
    reads = [("LRANGE", "words", 0, -1), ("LLEN", "words")]
    assert commit.run_reading(script, ["words", "a"], reads) == [1, [b"a"], 1]
    client.script_flush()
    assert commit.run_reading(script, ["words", "b"], reads) == [2, [b"a", b"b"], 2]
    with pytest.raises(redis.ResponseError):
        commit.run_reading(script, ["words", "c"], [("INCR", "words")])


def test_a_failing_script_fails_its_call_only(client: redis.Redis) -> None:
    script = client.register_script("return redis.call('INCR', ARGV[1])")
    client.set("word", "not a number")
    commit = GroupCommit(client)
    with pytest.raises(redis.ResponseError):
        commit.run(script, ["word"])
    assert commit.run(script, ["number"]) == 1


def test_redis_away_is_unavailable_for_every_caller_and_then_answers_again() -> None:
    away = redis.Redis(port=1, socket_connect_timeout=1.0)
    commit = GroupCommit(away, in_flight=1)
    script = away.register_script(ECHO)
    for _ in range(2):  # the place of the failed pipeline is free again
        with pytest.raises(StoreUnavailable):
            commit.run(script, ["a"])
    assert commit._sending == 0
