"""The serving process's cycle collector: start-up frozen, collections spaced out."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from gallery import collector

CHILD = textwrap.dedent(
    """
    import gc, json
    from gallery import collector

    kept = [[i] for i in range(5_000)]  # made at start-up, kept for good
    before = gc.get_threshold()
    collector.settle()
    frozen = gc.get_freeze_count()
    seen = {id(o) for o in gc.get_objects()}
    full = []
    gc.callbacks.append(lambda phase, info: phase == "stop" and full.append(info["generation"]))
    churn = [[[j]] for j in range(20_000)]  # visitors coming and going
    del churn
    print(json.dumps({
        "before": before,
        "after": gc.get_threshold(),
        "frozen": frozen,
        "kept_seen": any(id(k) in seen for k in kept),
        "collections": len(full),
    }))
    """
)


def settled() -> dict:
    """Run `settle` in a child (it changes the collector for good) and return what it saw."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, check=True, timeout=60
    )
    return json.loads(done.stdout)


def test_settle_freezes_what_start_up_made_and_spaces_out_young_collections() -> None:
    seen = settled()
    assert seen["frozen"] >= 5_000
    assert not seen["kept_seen"]  # out of the collector's sight
    assert seen["after"][0] == collector.YOUNG > seen["before"][0]
    assert seen["after"][1:] == seen["before"][1:]
    # 40,000 new containers: at 700 a young collection each 700, at YOUNG about four.
    assert 1 <= seen["collections"] <= 40_000 // collector.YOUNG + 1


def test_the_test_process_keeps_pythons_defaults() -> None:
    import gc

    assert gc.get_threshold()[0] != collector.YOUNG
