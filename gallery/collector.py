"""Python's cycle collector, set for a server that holds thousands of open connections.

Every full collection walks every object alive, and the collector stops the whole process
while it does: with 5,000 visitors a server holds about 280,000 tracked objects, and a full
collection took 160 ms at times (`gc.callbacks`, docs/benchmarks.md), every visitor's
`presence` and acknowledgement waiting behind it. Two settings shorten and space out those
pauses, once the server is ready and before its first visitor:

- What start-up made and keeps for good (modules, the app, templates, the exhibition) is
  moved out of the collector's sight (`gc.freeze`), a third of the objects at 5,000
  visitors, so no collection walks it again. It is still freed by reference counting if it
  goes (a reloaded exhibition's old version does); only cycles among it would be kept.
- A young collection runs after `YOUNG` new objects rather than 700, so the older
  generations, and the full collections they lead to, come about fourteen times less often.
  Garbage in cycles then waits a little longer to be freed: at most a young generation's
  worth of it.

Only the serving process does this: commands and tests keep Python's defaults.
"""

from __future__ import annotations

import gc

# Objects allocated (net) between young collections; Python's default is 700.
YOUNG = 10_000


def settle() -> None:
    """Freeze what start-up made and space out collections, for a long-running server."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG, middle, old)
