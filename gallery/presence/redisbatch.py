"""Group commit for the Redis presence store: the scripts that many visitors' events ask for
at once go to Redis together, in one pipeline per round trip.

Every visitor's event runs in a greenlet of its own, and each used to send its script and
wait for the answer on a connection of its own: under a burst, as many round trips (two
system calls and a wake-up on the server, a read and a write on Redis) as events, and a
pool of connections that a burst empties, the last ones in line refused after a wait.
Here an event's script joins a queue; the first caller to find fewer than `in_flight`
pipelines on their way takes everything queued and sends it as one pipeline, and hands
over to a queued caller when more came meanwhile. A quiet server sends each script at
once, alone; a busy one sends them by tens, and a burst waits in line, not for a
connection of the pool.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import redis
from redis.commands.core import Script
from redis.exceptions import NoScriptError

from .store import StoreUnavailable

Read = tuple[Any, ...]  # a Redis command sent right after a script, as `execute_command` takes it


class _Call:
    """One script call waiting in the queue, with the commands that read after it: their
    answers (the script's first), or the error one of them raised."""

    __slots__ = ("args", "done", "error", "finished", "reads", "result", "script")

    def __init__(self, script: Script, args: list[Any], reads: Sequence[Read]) -> None:
        self.script = script
        self.args = args
        self.reads = reads
        self.done = threading.Event()  # set when finished, or when the call is to send next
        self.finished = False
        self.result: Any = None
        self.error: BaseException | None = None

    def finish(self, result: list[Any] | BaseException) -> None:
        """Hand the call its answers (an exception when it failed) and wake it."""
        if isinstance(result, BaseException):
            self.error = result
        else:
            self.error = next((a for a in result if isinstance(a, BaseException)), None)
            self.result = result
        self.finished = True
        self.done.set()


class GroupCommit:
    """Runs scripts on `client` for many callers, as few pipelines as `in_flight` allows."""

    def __init__(self, client: redis.Redis, in_flight: int = 4) -> None:
        self.client = client
        self.in_flight = in_flight
        self._queue: list[_Call] = []
        self._sending = 0  # pipelines on their way
        self._lock = threading.Lock()

    def run(self, script: Script, args: list[Any]) -> Any:
        """Run `script` with `args` (no keys) and return its answer; raise what it raised,
        `StoreUnavailable` when Redis cannot be reached."""
        return self.run_reading(script, args, ())[0]

    def run_reading(self, script: Script, args: list[Any], reads: Sequence[Read]) -> list[Any]:
        """Run `script` like `run`, then the commands `reads` right after it in the same
        pipeline; return the script's answer followed by theirs.

        Not atomic with the script: another server's change may come in between.
        """
        call = _Call(script, args, reads)
        with self._lock:
            send = self._sending < self.in_flight
            if send:
                self._sending += 1
            else:
                self._queue.append(call)
        if not send:
            call.done.wait()  # answered in another caller's pipeline, or asked to send
        if not call.finished:
            self._send(call)
        if call.error is not None:
            raise call.error
        return call.result

    def _send(self, first: _Call) -> None:
        """Send `first` and everything queued as one pipeline, then hand this pipeline's
        place over to the first call queued meanwhile, if any."""
        with self._lock:
            batch, self._queue = [first, *self._queue], []
        answers: list[Any] = []
        try:
            answers = self._pipeline(batch)
        except (redis.ConnectionError, redis.TimeoutError) as error:
            answers = [StoreUnavailable(str(error))] * len(batch)
        except BaseException as error:  # even killed, it leaves no caller waiting
            answers = [error] * len(batch)
            raise
        finally:
            with self._lock:
                if self._queue:
                    self._queue.pop(0).done.set()  # not finished: it sends next
                else:
                    self._sending -= 1
            for call, answer in zip(batch, answers, strict=True):
                call.finish(answer)

    def _pipeline(self, batch: list[_Call]) -> list[list[Any]]:
        """Send the batch's scripts and reads in one pipeline; return each call's answers.
        Load the scripts Redis lacks (it restarted) and send their calls again."""
        answers = self._send_calls(batch)
        missing = [i for i, answer in enumerate(answers) if isinstance(answer[0], NoScriptError)]
        if missing:
            for script in {batch[i].script for i in missing}:
                script.sha = self.client.script_load(script.script)
            again = self._send_calls([batch[i] for i in missing])
            for i, answer in zip(missing, again, strict=True):
                answers[i] = answer
        return answers

    def _send_calls(self, calls: list[_Call]) -> list[list[Any]]:
        """Send `calls` in one pipeline; return the answers of each, its script's first."""
        pipe = self.client.pipeline(transaction=False)
        for call in calls:
            pipe.evalsha(call.script.sha, 0, *call.args)
            for read in call.reads:
                pipe.execute_command(*read)
        flat = iter(pipe.execute(raise_on_error=False))
        return [[next(flat) for _ in range(1 + len(call.reads))] for call in calls]
