"""The host's decisions shared by several servers on Redis: `SharedStage`.

A `StageState` whose decisions are made in Redis, each in one atomic script, so that every
server agrees on the order of the decisions (a later "live" in a room wins) and on the
version that pages cached per programme state include. Pages never ask Redis: each server
reads the whole state into its memory (`refresh`) after its own decisions, when another
server's `live` or `spotlight` event reaches it (before its sockets hear that event), and
on every heartbeat, so that an event missed while Redis was away is caught up.

Keys, after the store's prefix: the `stage` hash, with `s:SESSION` -> "STATE:ORDER" for
each decision, `spot` -> "room/exhibit" or "", `v` the version, `o` the order of the last
decision and `at` the real time of the last change (ms since the epoch). A Redis that
holds no `stage` (the first server, or Redis restarted empty) is filled again from the
decisions the records keep (`seed`); the spotlight, which only lives this long, is lost.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from ..presence import StoreUnavailable
from ..presence.redisclient import call_redis
from ..stage.state import HOST_STATES, StageState, StageView

log = logging.getLogger("gallery.stage")

_KEY = "local k = ARGV[1] .. 'stage'\n"

# ARGV[2] session, [3] state, [4] now (ms). Returns 1 if it changed anything.
LIVE = (
    _KEY
    + """
local order = redis.call('HGET', k, 'o') or '0'
if redis.call('HGET', k, 's:' .. ARGV[2]) == ARGV[3] .. ':' .. order then return 0 end
order = redis.call('HINCRBY', k, 'o', 1)
redis.call('HSET', k, 's:' .. ARGV[2], ARGV[3] .. ':' .. order, 'at', ARGV[4])
redis.call('HINCRBY', k, 'v', 1)
return 1
"""
)

# ARGV[2] "room/exhibit" or "" for none, [3] now (ms). Returns 1 if it changed anything.
SPOTLIGHT = (
    _KEY
    + """
if (redis.call('HGET', k, 'spot') or '') == ARGV[2] then return 0 end
redis.call('HSET', k, 'spot', ARGV[2], 'at', ARGV[3])
redis.call('HINCRBY', k, 'v', 1)
return 1
"""
)

# ARGV[2] the lowest version to start from, [3] now (ms), then session, state pairs, oldest
# first. Fills the hash unless it exists; returns 1 if it filled it.
SEED = (
    _KEY
    + """
if redis.call('HEXISTS', k, 'v') == 1 then return 0 end
local order = 0
for i = 4, #ARGV, 2 do
  order = order + 1
  redis.call('HSET', k, 's:' .. ARGV[i], ARGV[i + 1] .. ':' .. order)
end
redis.call('HSET', k, 'o', order, 'v', math.max(order, tonumber(ARGV[2])), 'spot', '')
if order > 0 then redis.call('HSET', k, 'at', ARGV[3]) end
return 1
"""
)


def _ms(moment: datetime) -> int:
    """Return a moment as milliseconds since the epoch."""
    return int(moment.timestamp() * 1000)


def read_view(fields: Mapping[bytes, bytes]) -> StageView:
    """Return the view the `stage` hash holds."""
    overrides: dict[str, tuple[str, int]] = {}
    for name, value in fields.items():
        if name.startswith(b"s:"):
            state, _, order = value.decode().rpartition(":")
            overrides[name[2:].decode()] = (state, int(order))
    at = fields.get(b"at")
    return StageView(
        int(fields.get(b"v", 0)),
        MappingProxyType(dict(sorted(overrides.items(), key=lambda item: item[1][1]))),
        fields.get(b"spot", b"").decode() or None,
        datetime.fromtimestamp(int(at) / 1000, UTC) if at else None,
    )


class SharedStage(StageState):
    """The host's decisions kept in Redis for every server, read into this one's memory.

    `seed` returns the decisions the records keep, oldest first, to fill an empty Redis.
    """

    def __init__(
        self,
        client: Any,
        seed: Callable[[], Mapping[str, str]],
        prefix: str = "gallery:",
        real_time: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(real_time)
        self.redis = client
        self.seed = seed
        self.prefix = prefix
        self._key = prefix + "stage"
        self._scripts = {
            name: client.register_script(source)
            for name, source in (("live", LIVE), ("spotlight", SPOTLIGHT), ("seed", SEED))
        }

    def _run(self, script: str, *args: Any) -> int:
        """Run a script on the `stage` hash; an unreachable Redis raises `StoreUnavailable`."""
        return int(call_redis(self._scripts[script], args=[self.prefix, *args]))

    def live(self, session_id: str, state: str) -> bool:
        """Set session `session_id` "live" or "ended" for every server; tell if it changed."""
        if state not in HOST_STATES:
            raise ValueError(f"state must be one of {', '.join(HOST_STATES)}, not {state!r}")
        if not isinstance(session_id, str) or not session_id:
            raise ValueError("session id must be a non-empty string")
        changed = self._run("live", session_id, state, _ms(self._real_time()))
        self.refresh()
        return bool(changed)

    def spotlight(self, exhibit: str | None) -> bool:
        """Spotlight "room/exhibit", or none, for every server; tell if it changed."""
        if exhibit is not None and (not isinstance(exhibit, str) or "/" not in exhibit):
            raise ValueError("spotlight must be 'room/exhibit' or None")
        changed = self._run("spotlight", exhibit or "", _ms(self._real_time()))
        self.refresh()
        return bool(changed)

    def restore(self, states: Mapping[str, str]) -> None:
        """Fill Redis with the recorded decisions unless another server did, then read it.

        Redis away at start-up: the recorded decisions are replayed here alone, until the
        heartbeat finds Redis again (`refresh`).
        """
        try:
            self._fill(states)
            self.refresh()
        except StoreUnavailable:
            log.warning("Stage: Redis is away; the recorded decisions hold until it is back")
            for session_id, state in states.items():
                if state in HOST_STATES:
                    StageState.live(self, session_id, state)

    def _fill(self, states: Mapping[str, str]) -> None:
        """Fill an empty Redis with `states`, versions going on from this server's."""
        decided = [(sid, state) for sid, state in states.items() if state in HOST_STATES]
        pairs = [item for decision in decided for item in decision]
        self._run("seed", self.version + 1, _ms(self._real_time()), *pairs)

    def refresh(self) -> None:
        """Read the decisions of every server into this one; fill Redis again if it lost them."""
        fields = call_redis(self.redis.hgetall, self._key)
        if not fields:
            self._fill(self.seed())
            fields = call_redis(self.redis.hgetall, self._key)
        view = read_view(fields)
        with self._lock:
            if view != self._view:
                self._view = view
