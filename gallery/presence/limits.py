"""A per-connection token bucket, so one client cannot flood the server with events."""

from __future__ import annotations

from time import monotonic


class TokenBucket:
    """Allow `rate` events a second on average, with bursts of up to `burst` events."""

    __slots__ = ("burst", "rate", "stamp", "tokens")

    def __init__(self, rate: float, burst: float, now: float | None = None) -> None:
        self.rate = rate
        self.burst = burst
        self.tokens = burst
        self.stamp = monotonic() if now is None else now

    def allow(self, now: float | None = None) -> bool:
        """Take one token if there is one; tell whether the event may go through."""
        if now is None:
            now = monotonic()
        tokens = self.tokens + (now - self.stamp) * self.rate
        self.stamp = now
        if tokens > self.burst:
            tokens = self.burst
        if tokens < 1.0:
            self.tokens = tokens
            return False
        self.tokens = tokens - 1.0
        return True
